"""``convene draft ...`` through typer's CliRunner on a local app (only this area registered)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from constitutions.model import Document, Kind, Provision
from drafting.cli import register
from drafting.export.akn import validate

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
