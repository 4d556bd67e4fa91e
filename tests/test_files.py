"""convene.files.write_atomically: whole files or nothing, never written through an existing name."""

from __future__ import annotations

import pytest

from convene.files import write_atomically


def test_writes_a_new_file_and_replaces_an_old_one(tmp_path):
    target = tmp_path / "out.bin"
    write_atomically(target, lambda fh: fh.write(b"first"))
    write_atomically(target, lambda fh: fh.write(b"second"), sync=True)
    assert target.read_bytes() == b"second" and [p.name for p in tmp_path.iterdir()] == ["out.bin"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failure_while_filling_leaves_the_old_file_and_no_temporary_one(tmp_path, error):
    target = tmp_path / "out.bin"
    target.write_bytes(b"kept")

    def fill(fh):
        fh.write(b"half")
        raise error

    with pytest.raises(type(error)):
        write_atomically(target, fill)
    assert target.read_bytes() == b"kept" and [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path):
    (tmp_path / "adir").mkdir()
    with pytest.raises(OSError):
        write_atomically(tmp_path / "adir", lambda fh: fh.write(b"data"))
    assert [p.name for p in tmp_path.iterdir()] == ["adir"]


def test_replacing_a_link_replaces_the_link_not_what_it_points_to(tmp_path):
    (tmp_path / "real.txt").write_text("untouched")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    write_atomically(tmp_path / "link.txt", lambda fh: fh.write(b"new"))
    assert (tmp_path / "real.txt").read_text() == "untouched"
    assert not (tmp_path / "link.txt").is_symlink() and (tmp_path / "link.txt").read_text() == "new"
