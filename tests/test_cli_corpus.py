"""The corpus commands (import, list, show, cite, search) through typer's CliRunner,
first over synthetic files with the test readers, then over the real corpus
folder imported once for this module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import constitutions.readers as registry
from constitutions.cli import register
from constitutions.importer import ImportReport, import_paths
from constitutions.store import Store, version_key
from tests.test_importer import BINARY, GOOD, MALFORMED, TEST_READERS, _write

NODE_KEYS = {"id", "citation", "kind", "num", "heading", "text", "status", "children"}


def _app() -> typer.Typer:
    try:
        from convene.cli import app
    except ImportError:  # another area's commands not written yet: ours alone
        app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
        register(app)
    return app


APP = _app()
runner = CliRunner()


def run(*args: str, home: Path | None = None):
    env = {"CONVENE_HOME": str(home)} if home else None
    return runner.invoke(APP, list(args), env=env)


def _assert_one_line_error(result, code: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: [{code}]"), result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- synthetic

@pytest.fixture
def fake_readers(monkeypatch):
    readers = TEST_READERS
    monkeypatch.setattr(registry, "_modules", lambda: readers)


@pytest.fixture
def imported(fake_readers, tmp_path):
    path = _write(tmp_path, "good.txt", GOOD)
    assert run("import", str(path)).exit_code == 0
    return path


def test_import_reports_every_target_and_exits_1_on_failure(fake_readers, tmp_path):
    good = _write(tmp_path, "good.txt", GOOD)
    bad = _write(tmp_path, "bad.txt", MALFORMED)
    pic = _write(tmp_path, "pic.png", BINARY)
    result = run("import", str(good), str(bad), str(pic))
    assert result.exit_code == 1
    for expected in ("good.txt", "new", "bad.txt", "failed", "pic.png", "binary", "tl"):
        assert expected in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("error: [E100]") for line in errors)
    assert "Traceback" not in result.output
    listed = json.loads(run("list", "--json").stdout)
    assert [d["id"] for d in listed] == ["tl"]
    again = run("import", str(good))
    assert again.exit_code == 0 and "unchanged" in again.stdout


def test_import_json_report(fake_readers, tmp_path):
    good = _write(tmp_path, "good.txt", GOOD)
    bad = _write(tmp_path, "bad.txt", MALFORMED)
    result = run("import", str(good), str(bad), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [(i["outcome"], i["document"]) for i in report["items"]] == [("new", "tl"), ("failed", None)]
    assert report["items"][1]["reason"].startswith("[E100]")


def test_import_as(fake_readers, tmp_path):
    one = _write(tmp_path, "one.txt", GOOD)
    assert run("import", str(one), "--as", "mine").exit_code == 0
    _assert_one_line_error(run("import", str(one), str(one), "--as", "x"), "E600")
    assert [d["id"] for d in json.loads(run("list", "--json").stdout)] == ["mine"]


@pytest.mark.parametrize("bad", ["[/]", "../../x", "a b", "", "-x", "x" * 65, "é"])
def test_import_as_refuses_an_id_that_cannot_name_a_document(fake_readers, tmp_path, bad):
    one = _write(tmp_path, "one.txt", GOOD)
    result = run("import", str(one), "--as", bad)
    assert result.exit_code == 1 and "invalid document id" in result.stderr and "Traceback" not in result.output
    assert json.loads(run("list", "--json").stdout) == []  # nothing stored
    assert run("list").exit_code == 0


@pytest.mark.parametrize(("files", "message"), [
    ({"notes.md": "", "data.csv": "a,b\n1,2\n"}, "error: no constitution found (2 file(s) skipped"),
    ({}, "error: no files to import there"),
])
def test_import_of_a_folder_without_constitutions_fails_and_says_why(fake_readers, tmp_path, files, message):
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    result = run("import", str(folder))
    assert result.exit_code == 1 and message in result.stderr, result.output
    report = json.loads(run("import", str(folder), "--json").stdout)
    assert report["ok"] is False and report["error"].startswith(message.removeprefix("error: "))


def test_list(imported):
    (doc,) = json.loads(run("list", "--json").stdout)
    assert {k: doc[k] for k in ("id", "title", "version", "versions", "provisions", "current")} == {
        "id": "tl", "title": "Testland", "version": "2020", "versions": 1, "provisions": 2, "current": True}
    human = run("list").stdout
    assert "tl" in human and "Testland" in human


def test_list_empty():
    result = run("list")
    assert result.exit_code == 0 and "convene import" in result.stdout
    assert json.loads(run("list", "--json").stdout) == []


def test_show_json_shape(imported):
    root = json.loads(run("show", "tl", "--json").stdout)
    assert root.keys() >= NODE_KEYS
    assert (root["id"], root["kind"], root["citation"], root["version"], root["jurisdiction"]) == (
        "tl", "document", "Testland", "2020", "tl")
    first = root["children"][0]
    assert first.keys() >= NODE_KEYS
    assert (first["id"], first["kind"], first["num"], first["heading"]) == ("art_1", "article", "1", "Name")
    assert first["status"] == {"state": "in_force", "note": ""}
    assert first["citation"]
    node = json.loads(run("show", "tl", "art_2", "--json").stdout)  # an eId works as well as a citation
    assert (node["id"], node["text"], node["children"]) == ("art_2", "Ninety members sit by lot.", [])


def test_show_human_outline(imported):
    out = run("show", "tl").stdout
    assert out.splitlines()[0] == "Testland"
    assert "    The island is called Testland." in out
    assert "Name" in out


def test_search(imported):
    hits = json.loads(run("search", "ninety members", "--json").stdout)
    assert [(h["doc_id"], h["eid"]) for h in hits] == [("tl", "art_2")]
    assert "«Ninety»" in hits[0]["snippet"]
    human = run("search", "ninety", "--doc", "tl")
    assert human.exit_code == 0 and "art_2" in human.stdout
    assert run("search", '"AND *', "--json").exit_code == 0
    assert "No matches" in run("search", "nothing-like-this").stdout


@pytest.mark.parametrize(("args", "code"), [
    (("show", "nope"), "E300"),
    (("show", "tl", "--version", "9"), "E300"),
    (("show", "tl", "Art. 99"), "E200"),
    (("cite", "tl", "Art. 99"), "E200"),
    (("cite", "nope", "Art. 1"), "E300"),
    (("cite", "tl"), "E200"),  # no citation at all
    (("cite", "nope:Art. 1"), "E300"),
    (("show", "tl:Art. 99"), "E200"),
    (("search", "x", "--doc", "nope"), "E300"),
    (("import", "/no/such/file.txt"), "E100"),
])
def test_errors_are_one_line(imported, args, code):
    _assert_one_line_error(run(*args), code)


def test_cite(imported):
    result = run("cite", "tl", "art_1")
    assert result.exit_code == 0
    eid, citation = result.stdout.rstrip("\n").split("\t")
    assert eid == "art_1" and citation
    as_json = json.loads(run("cite", "tl", "art_1", "--json").stdout)
    assert as_json == {"document": "tl", "id": "art_1", "citation": citation, "kind": "article"}


def test_cite_and_show_take_one_reference(imported):
    """``ID:CITATION`` in one argument, as diff and similar take it, works for cite and show too."""
    assert run("cite", "tl:Art. 1").stdout == run("cite", "tl", "Art. 1").stdout
    assert run("show", "tl:Art. 1").stdout == run("show", "tl", "Art. 1").stdout


# ---------------------------------------------------------------- the real corpus

EXPECTED_IDS = {"us", "us-ca", "za", "ie", "de", "in", "ke", "ca", "ch", "jp", "np"}


@pytest.fixture(scope="module")
def corpus(corpus_dir, tmp_path_factory) -> tuple[Path, ImportReport]:
    """The whole corpus folder imported once into this module's own store."""
    home = tmp_path_factory.mktemp("corpus-home")
    report = import_paths([str(corpus_dir)], store=Store(home / "convene.sqlite3"))
    return home, report


def _failures(report: ImportReport) -> str:
    return "\n".join(f"{i.target}: {i.reason}" for i in report.failed) or "(no failures)"


@pytest.mark.corpus
def test_corpus_imports_without_failures(corpus):
    _, report = corpus
    assert not report.failed, "corpus files that failed to import:\n" + _failures(report)


@pytest.mark.corpus
def test_corpus_ids(corpus):
    home, report = corpus
    ids = {d.id for d in Store(home / "convene.sqlite3").documents()}
    assert ids >= EXPECTED_IDS, f"missing {sorted(EXPECTED_IDS - ids)}; failures:\n{_failures(report)}"


@pytest.mark.corpus
def test_corpus_current_versions_are_the_greatest(corpus):
    home, _ = corpus
    store = Store(home / "convene.sqlite3")
    for info in store.documents():
        versions = store.versions(info.id)
        assert version_key(info.version) == max(version_key(v.version) for v in versions), info.id
    formats = {v.format for v in store.versions("us")}
    if "uslm" in formats:
        assert store.get("us").format == "uslm"


@pytest.mark.corpus
def test_corpus_show_us_amendment_iv(corpus):
    home, _ = corpus
    result = run("show", "us", "Amend. IV", "--json", home=home)
    assert result.exit_code == 0, result.stderr
    node = json.loads(result.stdout)
    assert node.keys() >= NODE_KEYS
    assert (node["id"], node["kind"], node["num"]) == ("amdt_4", "amendment", "IV")
    assert "unreasonable searches" in (node["text"] + json.dumps(node["children"]))
    assert "IV" in node["citation"]


@pytest.mark.corpus
def test_corpus_cite(corpus):
    home, _ = corpus
    result = run("cite", "us", "Art. I, § 9, cl. 2", home=home)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split("\t")[0] == "art_1__sec_9__cl_2"
    _assert_one_line_error(run("cite", "us", "Art. XII", home=home), "E200")


@pytest.mark.corpus
def test_corpus_search_freedom_of_speech(corpus):
    home, _ = corpus
    result = run("search", "freedom of speech", "--json", home=home)
    assert result.exit_code == 0, result.stderr
    hits = [(h["doc_id"], h["eid"]) for h in json.loads(result.stdout)]
    assert ("us", "amdt_1") in hits, hits
    assert any(doc == "us-ca" and eid.startswith("art_1__sec_2") for doc, eid in hits), hits


def test_outline_names_a_heading_once_when_it_is_the_citation():
    from constitutions.canonical import canonical_citations
    from constitutions.cli import _outline
    from constitutions.model import Document, Kind, Provision

    article = Provision(eid="dvs_nn_1__art_1", kind=Kind.ARTICLE, num="1", heading="Lanterns", text="Lamps burn.")
    group = Provision(eid="dvs_nn_1", kind=Kind.DIVISION, heading="THE LAMPS", children=(article,))
    doc = Document(id="tl", title="Testland", jurisdiction="tl", provisions=(group,))
    lines: list[str] = []
    _outline(doc.provisions, canonical_citations(doc), 0, lines)
    assert lines == ["“The Lamps”", "  Art. 1 — Lanterns", "      Lamps burn."]
