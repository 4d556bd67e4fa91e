"""The importer over synthetic files, folders and a real HTTP server on 127.0.0.1.

The reader registry is replaced by two tiny test readers (a file format and a
folder format, defined below) so these tests depend on nothing but the importer
and the store; the real readers are exercised by the corpus tests."""

from __future__ import annotations

import re
import socket
import threading
import types
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

import constitutions.readers as registry
from constitutions.importer import corpus_import, fetch_url, import_paths
from constitutions.model import Document, Kind, Provision
from constitutions.readers.base import Source
from constitutions.store import Store
from convene import db, settings
from convene.errors import NotFoundError, ReadError, ValidationError

# ---------------------------------------------------------------- test formats

HEADER = "%TESTCONST"
_ART = re.compile(r"^art (\d+)(?: \[(.*?)\])?: (.+)$")


def _parse(name: str, text: str, defaults: dict[str, str]) -> Document:
    fields = dict(defaults)
    articles = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line == HEADER:
            continue
        if m := _ART.match(line):
            articles.append(Provision(f"art_{m.group(1)}", Kind.ARTICLE, m.group(1), heading=m.group(2) or "",
                                      text=m.group(3)))
        elif m := re.match(r"^(id|title|version): (.+)$", line):
            fields[m.group(1)] = m.group(2)
        else:
            raise ReadError(f"line {number}: not understood: {line[:40]!r}", source=name)
    return Document(fields["id"], fields["title"], fields["id"], tuple(articles), version=fields["version"],
                    source=name, format="testconst")


def _file_reader() -> types.ModuleType:
    module = types.ModuleType("testconst")
    module.NAME = "testconst"
    module.PRIORITY = 0
    module.sniff = lambda source: source.head_text(200).startswith(HEADER)
    module.read = lambda source: _parse(source.name, source.text, {"id": "tl", "title": "Testland", "version": ""})
    return module


def _dir_reader() -> types.ModuleType:
    """A folder holding a ``TESTTREE`` marker file and ``*.part`` files in the test format."""
    module = types.ModuleType("testtree")
    module.NAME = "testtree"
    module.PRIORITY = 0
    module.sniff_dir = lambda path: (Path(path) / "TESTTREE").is_file()

    def read_dir(path):
        text = "\n".join(p.read_text("utf-8") for p in sorted(Path(path).glob("*.part")))
        return _parse(str(path), text, {"id": "tree", "title": "Tree Charter", "version": "2001"})

    module.read_dir = read_dir
    return module


def _fallback_reader() -> types.ModuleType:
    """Like the plain-text fallback: any text is one paragraph of a document named after its first line."""
    module = types.ModuleType("fallback")
    module.NAME = "fallback-text"
    module.PRIORITY = 100
    module.FALLBACK = True
    module.sniff = lambda source: bool(source.head_text().strip())

    def read(source):
        first = source.text.strip().splitlines()[0]
        return Document(re.sub(r"\W+", "-", first.lower()).strip("-"), first, "xx",
                        (Provision("para_1", Kind.PARAGRAPH, "1", text=source.text.strip()),), source=source.name)

    module.read = read
    return module


TEST_READERS = (_file_reader(), _dir_reader(), _fallback_reader())


@pytest.fixture(autouse=True)
def test_readers(monkeypatch):
    """Only the test formats are known while these tests run."""
    readers = TEST_READERS
    monkeypatch.setattr(registry, "_modules", lambda: readers)
    return readers


def _text(doc_id: str = "tl", version: str = "2020", *articles: str) -> str:
    body = articles or ("art 1 [Name]: The island is called Testland.", "art 2: Ninety members sit by lot.")
    return "\n".join((HEADER, f"id: {doc_id}", f"version: {version}", *body)) + "\n"


GOOD = _text()
MALFORMED = HEADER + "\nid: bad\nthis line is not in the format\n"
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "db.sqlite3")


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _outcomes(report) -> list[tuple[str, str, str]]:
    return [(Path(i.target).name, i.outcome, i.doc_id) for i in report.items]


# ---------------------------------------------------------------- files

def test_good_malformed_binary_missing_each_reported(tmp_path, store):
    files = [_write(tmp_path, "good.txt", GOOD), _write(tmp_path, "bad.txt", MALFORMED),
             _write(tmp_path, "pic.png", BINARY), tmp_path / "absent.txt", _write(tmp_path, "empty.txt", "")]
    report = import_paths([str(p) for p in files], store=store)
    assert _outcomes(report) == [("good.txt", "new", "tl"), ("bad.txt", "failed", ""), ("pic.png", "failed", ""),
                                 ("absent.txt", "failed", ""), ("empty.txt", "failed", "")]
    assert not report.ok
    reasons = [i.reason for i in report.failed]
    assert "line 3: not understood" in reasons[0] and str(files[1]) in reasons[0]
    assert "binary" in reasons[1]
    assert "no such file" in reasons[2]
    assert "empty" in reasons[3]
    assert all(r.startswith("[E1") for r in reasons)
    assert [d.id for d in store.documents()] == ["tl"]
    assert store.get("tl").get("art_1").heading == "Name"


def test_reimport_is_unchanged_and_a_change_is_a_new_version(tmp_path, store):
    path = _write(tmp_path, "c.txt", GOOD)
    assert _outcomes(import_paths([str(path)], store=store)) == [("c.txt", "new", "tl")]
    assert _outcomes(import_paths([str(path)], store=store)) == [("c.txt", "unchanged", "tl")]
    path.write_text(_text("tl", "2024", "art 1: Changed wording of the first article."), encoding="utf-8")
    (item,) = import_paths([str(path)], store=store).items
    assert (item.outcome, item.version, item.version_no) == ("new-version", "2024", 2)
    assert store.get("tl").version == "2024"
    assert len(store.versions("tl")) == 2


def test_as_id_renames_one_document_and_refuses_several(tmp_path, store):
    one = _write(tmp_path, "one.txt", GOOD)
    two = _write(tmp_path, "two.txt", _text("other"))
    assert _outcomes(import_paths([str(one)], as_id="mine", store=store)) == [("one.txt", "new", "mine")]
    with pytest.raises(ValidationError, match="one document"):
        import_paths([str(one), str(two)], as_id="x", store=store)
    assert [d.id for d in store.documents()] == ["mine"]


def test_forced_encoding(tmp_path, store):
    latin = _text("lt", "2020", "art 1: Caf\u00e9 r\u00e9publique.").encode("latin-1")
    path = _write(tmp_path, "latin.txt", latin)
    (item,) = import_paths([str(path)], store=store).items
    assert item.outcome == "failed" and "--encoding" in item.reason
    (item,) = import_paths([str(path)], encoding="latin-1", store=store).items
    assert item.outcome == "new"
    assert store.get("lt").get("art_1").text == "Café république."


def test_progress_is_reported(tmp_path, store):
    paths = [str(_write(tmp_path, f"{n}.txt", _text(n))) for n in ("a", "b")]
    calls = []
    import_paths(paths, store=store, progress=lambda done, total, target: calls.append((done, total, target)))
    assert calls == [(0, 2, paths[0]), (1, 2, paths[1]), (2, 2, "")]


# ---------------------------------------------------------------- folders

def test_folder_walk(tmp_path, store):
    root = tmp_path / "corpus"
    _write(root, "README.md", "# Notes about this folder\n\nNothing constitutional.\n")
    _write(root, "LICENSE", "Permission is hereby granted to everyone.\n")
    _write(root, "a/first.txt", _text("aa"))
    _write(root, "a/logo.png", BINARY)
    _write(root, "a/broken.txt", MALFORMED)
    _write(root, "b/deep/second.txt", _text("bb"))
    _write(root, "tree/TESTTREE", "")
    _write(root, "tree/1.part", "art 1: The first part of the tree.\n")
    _write(root, "tree/2.part", "art 2: The second part of the tree.\n")
    _write(root, ".hidden/secret.txt", _text("hidden"))
    report = import_paths([str(root)], store=store)
    assert _outcomes(report) == [
        ("LICENSE", "skipped", ""), ("README.md", "skipped", ""),
        ("broken.txt", "failed", ""), ("first.txt", "new", "aa"), ("logo.png", "skipped", ""),
        ("second.txt", "new", "bb"), ("tree", "new", "tree"),
    ]
    assert all(i.reason for i in report.skipped)
    assert [d.id for d in store.documents()] == ["aa", "bb", "tree"]
    assert [p.eid for p in store.get("tree").provisions] == ["art_1", "art_2"]
    # the folder document is "unchanged" until one of its files changes
    assert _outcomes(import_paths([str(root / "tree")], store=store)) == [("tree", "unchanged", "tree")]
    _write(root, "tree/3.part", "art 3: A third part.\n")
    assert _outcomes(import_paths([str(root / "tree")], store=store)) == [("tree", "new-version", "tree")]


def test_folder_named_explicitly_with_nothing_readable(tmp_path, store):
    note = _write(tmp_path / "notes", "x.md", "Just notes\n")
    report = import_paths([str(tmp_path / "notes")], store=store)
    assert [i.outcome for i in report.items] == ["skipped"]
    assert not report.ok and report.nothing_found.startswith("no constitution found (1 file(s) skipped")
    assert "fallback-text fallback" in report.items[0].reason and "name the file" in report.items[0].reason
    # named explicitly, the same file is read by the fallback
    assert _outcomes(import_paths([str(note)], store=store)) == [("x.md", "new", "just-notes")]


# ---------------------------------------------------------------- corpus helper

def test_corpus_import_without_a_corpus_folder(monkeypatch, store):
    monkeypatch.setattr(settings, "corpus_dir", lambda: None)
    with pytest.raises(NotFoundError, match="CONVENE_CORPUS"):
        corpus_import(store)


def test_corpus_import_reads_the_configured_folder(tmp_path, monkeypatch, store):
    _write(tmp_path / "c", "x.txt", _text("cx"))
    monkeypatch.setenv("CONVENE_CORPUS", str(tmp_path / "c"))
    assert _outcomes(corpus_import(store)) == [("x.txt", "new", "cx")]


# ---------------------------------------------------------------- URLs

class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes, str]]] = {
        "/good.txt": (200, GOOD.encode("utf-8"), "text/plain; charset=ISO-8859-1"),
        "/bad.txt": (200, MALFORMED.encode("utf-8"), "text/plain"),
        "/latin.txt": (200, _text("lt", "2020", "art 1: Caf\u00e9.").encode("latin-1"),
                       "text/plain; charset=latin-1"),
    }

    def do_GET(self):
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the cap must be enforced while streaming
            try:
                for _ in range(64):
                    self.wfile.write(b"x" * 1024)
            except OSError:
                pass
            return
        status, body, ctype = self.routes.get(self.path, (404, b"not here", "text/plain"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_http_import(server, store):
    closed = f"http://127.0.0.1:{_closed_port()}/x.txt"
    targets = [f"{server}/good.txt", f"{server}/missing.txt", closed, f"{server}/bad.txt",
               f"{server}/latin.txt", "ftp://127.0.0.1/x.txt"]
    report = import_paths(targets, store=store)
    assert [(i.outcome, i.doc_id) for i in report.items] == [
        ("new", "tl"), ("failed", ""), ("failed", ""), ("failed", ""), ("new", "lt"), ("failed", "")]
    reasons = [i.reason for i in report.failed]
    assert "HTTP 404" in reasons[0] and f"{server}/missing.txt" in reasons[0]
    assert "unreachable" in reasons[1] and closed in reasons[1]
    assert "not understood" in reasons[2]
    assert "only http" in reasons[3]
    assert store.get("tl").source == f"{server}/good.txt"
    assert store.get("lt").get("art_1").text == "Café."  # the declared charset, used because it is not UTF-8
    assert import_paths([f"{server}/good.txt"], store=store).items[0].outcome == "unchanged"


@pytest.mark.parametrize("url", ["http://[::1", "http://[not-an-address]/x"])
def test_a_malformed_url_is_a_read_error(url):
    with pytest.raises(ReadError, match="not a valid URL") as info:
        fetch_url(url)
    assert info.value.source == url


def test_http_size_cap_while_streaming(server, monkeypatch):
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 10_000)
    with pytest.raises(ReadError, match="over the 10,000-byte limit") as info:
        fetch_url(f"{server}/huge")
    assert info.value.source == f"{server}/huge"
    with pytest.raises(ReadError, match="over the 100-byte limit"):
        fetch_url(f"{server}/good.txt", limit=100)  # announced by Content-Length


def test_sniffing_needs_no_file_name(store, tmp_path):
    path = _write(tmp_path, "no-extension", GOOD)
    assert import_paths([str(path)], store=store).items[0].outcome == "new"
    assert registry.reader_for(Source("x", GOOD.encode()))


# ---------------------------------------------------------------- language analysis at import


def _analysed_rows() -> int:
    with db.opened() as conn:
        table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'language_analysis'").fetchone()
        return conn.execute("SELECT count(*) FROM language_analysis").fetchone()[0] if table else 0


def test_import_caches_the_language_analysis_of_changed_documents(tmp_path):
    """Into the default database: sentences and lemmas are computed once, at import."""
    from constitutions.language import clear_memory_cache

    clear_memory_cache()  # texts analysed by earlier tests in this process would not reach the database
    path = _write(tmp_path, "a.txt", GOOD)
    calls = []
    report = import_paths([str(path)], progress=lambda done, total, target: calls.append(target))
    assert report.items[0].outcome == "new"
    assert "analysing tl" in calls and calls[-1] == ""
    assert _analysed_rows() > 0
    before = _analysed_rows()
    calls.clear()
    import_paths([str(path)], progress=lambda done, total, target: calls.append(target))  # unchanged
    assert not any(c.startswith("analysing") for c in calls) and _analysed_rows() == before


def test_import_without_analysis(tmp_path):
    import_paths([str(_write(tmp_path, "a.txt", GOOD))], analyse=False)
    assert _analysed_rows() == 0
