"""``convene draft ...`` through typer's CliRunner on a local app (only this area registered)."""

from __future__ import annotations

import json
import os

import pytest
import typer
from typer.testing import CliRunner

from constitutions.model import Document, Kind, Provision
from drafting.cli import register
from drafting.export.akn import validate
from drafting.model import DRAFT_SCHEMA

app = typer.Typer()
register(app)
runner = CliRunner()


def run(*args: str, code: int = 0):
    result = runner.invoke(app, ["draft", *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def run_json(*args: str):
    return json.loads(run(*args, "--json").stdout)


@pytest.fixture
def corpus_doc_in_store():
    from constitutions.store import Store

    doc = Document(id="xx", title="Sample Charter", jurisdiction="xx", version="2020-01-01", provisions=(
        Provision("art_1", Kind.ARTICLE, "I", "Assembly", "The assembly meets yearly.", children=(
            Provision("art_1__sec_1", Kind.SECTION, "1", "", "Members serve four years."),
            Provision("art_1__sec_2", Kind.SECTION, "2", "", "The speaker presides."))),
        Provision("art_2", Kind.ARTICLE, "II", "Courts", "Judges are independent."),
    ))
    Store().add(doc, checksum="test")
    return doc


def test_full_session(corpus_doc_in_store, tmp_path):
    draft = run("new", "My Charter").stdout.strip()
    assert draft.startswith("d") and len(draft) == 9
    out = run_json("adopt", draft, "xx:Art. I")
    assert out["revision"] == 1 and len(out["touched"]) == 3
    run("adopt", draft, "xx:Art. II", "--position", "1", "--author", "ana")
    shown = run_json("show", draft)
    assert shown["revision"] == 2
    top = shown["provisions"]
    assert [(p["label"], p["origin"]["citation"], p["origin"]["num"]) for p in top] == [
        ("Article I", "xx:Art. II", "II"), ("Article II", "xx:Art. I", "I")]
    section = top[1]["children"][0]
    assert section["origin"]["type"] == "adopted" and section["origin"]["text"] == "Members serve four years."
    written = run_json("write", draft, "--heading", "Rights", "--text", "All are equal.", "--tag", "rights")
    assert written["revision"] == 3
    human = run("edit", draft, section["id"], "--text", "Members serve five years.", "--base", "3").stdout
    assert "Revision 4" in human and "Section 1" in human
    run("edit", draft, "art_2__sec_2", "--status", "agreed", "--rationale", "Settled.", "--base", "4")
    run("move", draft, top[0]["id"], "--position", "3", "--base", "5")
    assert [p["label"] + ":" + p["heading"] for p in run_json("show", draft)["provisions"]] == [
        "Article I:Assembly", "Article II:Rights", "Article III:Courts"]
    run("delete", draft, top[0]["id"])
    run("undo", draft)
    run("redo", draft)
    run("undo", draft)
    history = run_json("history", draft)
    assert [h["op"] for h in history] == ["create", "adopt", "adopt", "write", "edit", "edit", "move", "delete",
                                          "undo", "redo", "undo"]
    assert history[2]["author"] == "ana" and history[3]["author"] == "tester"
    assert "Members serve" in run("history", draft).stdout or "Edited" in run("history", draft).stdout
    cmp = run_json("compare", draft, "2", "4")
    assert {c["change"] for c in cmp["changes"]} == {"added", "changed"}
    text = run("compare", draft, "2", "4").stdout
    assert "[-four-] {+five+}" in text
    run("restore", draft, "2")
    assert run_json("show", draft)["revision"] == 11
    for fmt in ("md", "html", "pdf", "docx", "akn", "json"):
        target = tmp_path / f"out.{fmt}"
        result = run_json("export", draft, "--format", fmt, "-o", str(target), "--provenance")
        assert target.stat().st_size == result["bytes"] > 0
    assert validate((tmp_path / "out.akn").read_bytes()) == []
    for fmt in ("json", "akn"):
        imported = run_json("import", str(tmp_path / f"out.{fmt}"))
        assert imported["provisions"] == 4 and imported["id"] != draft
        again = run_json("show", imported["id"])
        assert [p["heading"] for p in again["provisions"]] == ["Courts", "Assembly"]
    listed = run_json("list")
    assert len(listed) == 3 and listed[0]["revision"] >= 1


def test_conflict_exits_3_and_keeps_the_change():
    draft = run("new", "C").stdout.strip()
    pid = run_json("write", draft, "--heading", "A", "--text", "one")["touched"][0]
    run("edit", draft, pid, "--text", "two", "--base", "1", "--author", "ana")
    result = run("edit", draft, pid, "--text", "my precious words", "--base", "1", "--author", "ben", code=3)
    assert "revision 2 by ana" in result.stderr and "rejected change #1" in result.stderr
    kept = run_json("rejected", draft)
    assert kept[0]["change"]["text"] == "my precious words" and kept[0]["author"] == "ben"


def test_edit_replaces_and_clears_tags():
    draft = run("new", "T").stdout.strip()
    pid = run_json("write", draft, "--heading", "A", "--text", "one", "--tag", "rights")["touched"][0]

    def tags() -> list[str]:
        return run_json("show", draft)["provisions"][0]["tags"]

    run("edit", draft, pid, "--tag", "courts", "--tag", "terms", "--base", "1")
    assert tags() == ["courts", "terms"]
    run("edit", draft, pid, "--text", "two", "--base", "2")  # an edit naming no tag keeps them
    assert tags() == ["courts", "terms"]
    run("edit", draft, pid, "--clear-tags", "--base", "3")
    assert tags() == []
    result = run("edit", draft, pid, "--clear-tags", "--tag", "x", "--base", "4", code=1)
    assert "--clear-tags" in result.stderr and run_json("show", draft)["revision"] == 4


@pytest.mark.parametrize("args", [
    ("show", "nope"), ("edit", "nope", "p1", "--text", "x", "--base", "0"), ("new", "  "),
    ("adopt", "{draft}", "xx:Art. IX"), ("adopt", "{draft}", "no-doc-colon"), ("restore", "{draft}", "9"),
    ("export", "{draft}", "--format", "rtf", "-o", "x.rtf"), ("import", "missing.json"), ("undo", "{draft}"),
    ("write", "{draft}", "--kind", "stanza"), ("move", "{draft}", "p-missing", "--position", "1"),
])
def test_errors_are_one_line_and_nonzero(args, corpus_doc_in_store, tmp_path):
    draft = run("new", "E").stdout.strip()
    result = runner.invoke(app, ["draft", *(a.replace("{draft}", draft) for a in args)])
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("error: [E") and len(result.stderr.strip().splitlines()) == 1


def test_import_rejects_garbage(tmp_path):
    for name, data in (("a.json", b'{"format": "other"}'), ("b.xml", b"<html/>"), ("c.txt", b"hello"),
                       ("d.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x/>')):
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(app, ["draft", "import", str(path)])
        assert result.exit_code == 1 and "error: [E100]" in result.stderr


def _draft_json(style) -> bytes:
    return json.dumps({"format": "convene-draft", "schema": DRAFT_SCHEMA, "id": "d1", "title": "Styled", "style": style,
                       "provisions": [{"id": "p1", "kind": "article", "order": "a", "heading": "Rules",
                                       "text": "Some words."}]}).encode()


@pytest.mark.parametrize(("style", "field"), [
    ({"formats": [1]}, '"style.formats"'),
    ({"formats": {}, "continuous": 5}, '"style.continuous"'),
    ({"formats": {"article": "klingon"}}, '"style.formats.article"'),
    ({"continuous": ["bogus"]}, '"style.continuous"'),
    ("x", '"style"'),
])
def test_import_rejects_a_bad_style_naming_file_and_field_and_stores_nothing(style, field, tmp_path):
    path = tmp_path / "styled.json"
    path.write_bytes(_draft_json(style))
    result = runner.invoke(app, ["draft", "import", str(path)])
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith(f"error: [E100] {path}: bad numbering style") and field in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert run_json("list") == []


def test_import_accepts_a_good_style(tmp_path):
    path = tmp_path / "styled.json"
    path.write_bytes(_draft_json({"formats": {"article": "arabic"}, "continuous": ["article"]}))
    imported = run_json("import", str(path))
    assert [p["label"] for p in run_json("show", imported["id"])["provisions"]] == ["Article 1"]


@pytest.mark.parametrize(("given", "kept"), [
    ("d1", True),
    ("my-draft.v2", True),
    ("evil\x01<i>&]]>", False),
    ("../../etc", False),
    ("[/]", False),
    ("x" * 65, False),
])
def test_import_keeps_a_usable_draft_id_and_replaces_any_other(given, kept, tmp_path):
    path = tmp_path / "d.json"
    data = json.loads(_draft_json({"formats": {}}))
    path.write_text(json.dumps({**data, "id": given}), encoding="utf-8")
    imported = run_json("import", str(path))
    assert (imported["id"] == given) is kept
    assert run_json("show", imported["id"])["provisions"][0]["text"] == "Some words."
    assert [d["id"] for d in run_json("list")] == [imported["id"]]


def _special_files(tmp_path):
    """name -> (the -o argument, what the error must say); each is made inside tmp_path."""
    (tmp_path / "adir").mkdir()
    (tmp_path / "target.md").write_text("keep me")
    (tmp_path / "link.md").symlink_to(tmp_path / "target.md")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    os.mkfifo(tmp_path / "pipe.md")
    return {
        "empty": ("", "no output file"),
        "blank": ("  ", "no output file"),
        "dot": (".", "names a directory"),
        "dotdot": (str(tmp_path / "adir" / ".."), "names a directory"),
        "slash": (str(tmp_path / "newdir") + "/", "names a directory"),
        "existing dir": (str(tmp_path / "adir"), "is a directory, not a regular file"),
        "symlink": (str(tmp_path / "link.md"), f"is a symbolic link (to {tmp_path / 'target.md'})"),
        "dangling symlink": (str(tmp_path / "dangling.md"), "is a symbolic link"),
        "fifo": (str(tmp_path / "pipe.md"), "is a named pipe (FIFO)"),
    }


@pytest.mark.parametrize("case", ["empty", "blank", "dot", "dotdot", "slash", "existing dir", "symlink",
                                  "dangling symlink", "fifo"])
def test_export_refuses_an_output_that_is_not_a_file(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    draft = run("new", "Out").stdout.strip()
    output, message = _special_files(tmp_path)[case]
    before = {p.name: (p.is_symlink(), p.lstat().st_mode) for p in tmp_path.iterdir()}
    result = runner.invoke(app, ["draft", "export", draft, "-f", "md", "-o", output])
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("error: [E600]") and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # nothing replaced, nothing left behind (no .part file), the link still points at untouched text
    assert {p.name: (p.is_symlink(), p.lstat().st_mode) for p in tmp_path.iterdir()} == before
    assert (tmp_path / "target.md").read_text() == "keep me" and (tmp_path / "link.md").is_symlink()


def test_export_into_a_missing_folder_fails_without_leftovers(tmp_path):
    draft = run("new", "Out").stdout.strip()
    result = runner.invoke(app, ["draft", "export", draft, "-f", "md", "-o", str(tmp_path / "missing" / "x.md")])
    assert result.exit_code == 1 and result.stderr.startswith(f"error: [E310] {tmp_path / 'missing' / 'x.md'}: ")
    assert list(tmp_path.iterdir()) == []


def test_export_replaces_a_regular_file_and_leaves_only_it(tmp_path):
    draft = run("new", "Out").stdout.strip()
    (tmp_path / "out.md").write_text("old")
    assert run_json("export", draft, "-f", "md", "-o", str(tmp_path / "out.md"))["file"] == str(tmp_path / "out.md")
    assert "Out" in (tmp_path / "out.md").read_text() and [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_write_replacing_removes_its_temporary_file_when_the_rename_fails(tmp_path):
    from convene.errors import StoreError
    from drafting.cli import write_replacing

    (tmp_path / "adir").mkdir()
    with pytest.raises(StoreError) as info:
        write_replacing(tmp_path / "adir", b"data")
    assert info.value.source == str(tmp_path / "adir")
    assert [p.name for p in tmp_path.iterdir()] == ["adir"] and list((tmp_path / "adir").iterdir()) == []


@pytest.mark.parametrize("draft_id", ["nosuchdraft", "x y"])
def test_rejected_of_an_unknown_draft_is_e300(draft_id):
    run("new", "Known")
    result = runner.invoke(app, ["draft", "rejected", draft_id])
    assert result.exit_code == 1 and result.stderr.startswith(f"error: [E300] {draft_id}: no draft"), result.stderr
    assert run("rejected", run("new", "Other").stdout.strip()).stdout.strip() == "No rejected changes."
