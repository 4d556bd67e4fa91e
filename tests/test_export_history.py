"""The revision history in every export (who changed what, when): present when asked for and only then,
one row (or AKN lifecycle event) per revision, hostile authors and descriptions shown as text (no markup,
no broken Markdown table), JSON and AKN still re-importable, the CLI's ``--history`` flag and the studio's
checkbox.  Drafts are made through the store API in each test's own CONVENE_HOME."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
import typer
from lxml import etree, html
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from constitutions.model import Kind
from drafting.cli import register
from drafting.export import FORMATS, export, history_rows, utc_time
from drafting.export.akn import read_akn, validate
from drafting.model import Draft, Node
from drafting.ops import Delete, Edit, Write
from drafting.store import DraftStore, Revision
from tests.needs import need

AKN_NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0", "c": "urn:convene:draft:1"}
HOSTILE_AUTHOR = "Mal <script>alert('a')</script> | x"
HOSTILE_SOURCE = "evil.json\n| --- | --- |\n<script>alert(1)</script> **bold** `tick` \\| end\\"
HOSTILE_HEADING = "<b onclick=x>Courts</b> | <i>"


def _seeded() -> tuple[DraftStore, Draft]:
    """A draft imported by a hostile author from a hostile file name (revision 1), then written, edited and
    deleted in by others (revisions 2-4); revision 5 deletes the article of revision 2."""
    store = DraftStore()
    first = Node("p1", Kind.ARTICLE, order="1", heading="Rights", text="All may speak.")
    d = store.import_draft(Draft(id="dhist", title="History <test>", nodes={"p1": first}), author=HOSTILE_AUTHOR,
                           source=HOSTILE_SOURCE)
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading=HOSTILE_HEADING, text="Judges sit.", id="p2"),
                    base=d.revision, author="Bo שלום")
    d = store.apply(d.id, Write(kind=Kind.SECTION, text="In public.", parent="p2", id="p3"), base=d.revision,
                    author="Cy")
    d = store.apply(d.id, Edit("p1", text="All may speak and write."), base=d.revision, author="Bo שלום")
    d = store.apply(d.id, Delete("p2"), base=d.revision, author="Cy")
    return store, d


@pytest.fixture
def seeded() -> tuple[Draft, list[Revision]]:
    store, draft = _seeded()
    return draft, store.history(draft.id)


def _one(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ the rows every format shows

def test_history_rows_name_who_changed_what_and_when(seeded):
    draft, history = seeded
    rows = history_rows(draft, history)
    assert [(r.revision.rev, r.author, r.operation, r.provisions) for r in rows] == [
        (0, _one(HOSTILE_AUTHOR), "create", ()),
        (1, _one(HOSTILE_AUTHOR), "import", ("Article I. Rights",)),
        (2, "Bo שלום", "write", ("p2 (deleted)",)),
        (3, "Cy", "write", ("p3 (deleted)",)),
        (4, "Bo שלום", "edit", ("Article I. Rights",)),
        (5, "Cy", "delete", ("p2 (deleted)", "p3 (deleted)")),
    ]
    assert rows[1].description == "Imported from " + HOSTILE_SOURCE
    assert all(r.time == utc_time(h.at) and r.time.endswith(" UTC") for r, h in zip(rows, history, strict=True))


def test_touched_provisions_are_named_by_their_full_place_in_draft_order():
    nodes = [Node("a1", Kind.ARTICLE, order="1", heading="Courts"), Node("a1s1", Kind.SECTION, parent="a1", order="1"),
             Node("a2", Kind.ARTICLE, order="2")]
    draft = Draft(id="dplace", title="Places", revision=1, nodes={n.id: n for n in nodes})
    rev = Revision("dplace", 1, "Ana", "2026-03-04T05:06:07.000Z", "Moved", "move", 0, None, ("a2", "gone", "a1s1"))
    assert history_rows(draft, [rev])[0].provisions == ("Article I, Section 1", "Article II", "gone (deleted)")


@pytest.mark.parametrize(("at", "shown"), [
    ("2026-03-04T05:06:07.123Z", "2026-03-04 05:06 UTC"),
    ("2026-03-04T07:06:07+02:00", "2026-03-04 05:06 UTC"),
    ("2026-03-04T05:06:07", "2026-03-04 05:06 UTC"),
    ("yesterday\nat noon\x01", "yesterday at noon"),
])
def test_revision_times_print_in_utc_as_the_exports_print_times(at, shown):
    assert utc_time(at) == shown


# ------------------------------------------------------------------ each format, with and without

def _history_text(fmt: str, data: bytes) -> list[list[str]]:
    """The history as each format shows it: a list of rows of cell texts (whitespace collapsed), without
    the header row; for AKN, (revision, author, date, TLCEvent showAs) per eventRef; for JSON the
    "history" entries' revision, author, op and description."""
    if fmt == "md":
        rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(data.decode())
        tree = html.fromstring(f"<div>{rendered}</div>")
        rows = tree.xpath("//table/tbody/tr")
    elif fmt == "html":
        tree = html.fromstring(data.replace(b"<wbr>", b"").replace(b"<br>", b"\n"))
        rows = tree.xpath("//table[@class='revisions']/tbody/tr")
    elif fmt == "docx":
        import docx

        tables = docx.Document(io.BytesIO(data)).tables
        return [[_one(c.text) for c in row.cells] for table in tables for row in table.rows[1:]]
    elif fmt == "akn":
        root = etree.fromstring(data)
        out = []
        for event in root.xpath("//a:meta/a:lifecycle/a:eventRef", namespaces=AKN_NS):
            person = root.xpath(f"//a:TLCPerson[@eId='{event.get('source')[1:]}']", namespaces=AKN_NS)[0]
            what = root.xpath(f"//a:TLCEvent[@eId='{event.get('refersTo')[1:]}']", namespaces=AKN_NS)[0]
            out.append([event.find("c:revision", AKN_NS).get("number"), person.get("showAs"), event.get("date"),
                        what.get("showAs")])
        return out
    elif fmt == "json":
        return [[str(r["revision"]), r["author"], r["op"], r["description"]]
                for r in json.loads(data).get("history", [])]
    else:  # pdf
        need(shutil.which("pdftotext") is not None, "pdftotext (Debian's poppler-utils) is not installed")
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
        return [[line] for line in text.splitlines() if line.startswith("Revision history")]
    return [[_one(c.text_content()) for c in row.xpath("td")] for row in rows]


def _expected(fmt: str, draft: Draft, history: list[Revision]) -> list[list[str]]:
    rows = history_rows(draft, history)
    if fmt in ("md", "html", "docx"):
        joiner = "; " if fmt == "md" else " "
        return [[str(r.revision.rev), r.time, _one(r.author), r.operation, _one(r.description),
                 _one(joiner.join(r.provisions))] for r in rows]
    if fmt == "akn":
        shown = [f"Revision {r.revision.rev} ({r.operation}): {_one(r.description)}" for r in rows]
        return [[str(r.revision.rev), r.author, h.at[:19] + "Z", what]
                for r, h, what in zip(rows, history, shown, strict=True)]
    if fmt == "json":
        return [[str(h.rev), h.author, h.op, h.description] for h in history]
    return [["Revision history"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_shows_the_history_when_asked_and_only_then(fmt, seeded):
    draft, history = seeded
    assert _history_text(fmt, export(draft, fmt, history=history)) == _expected(fmt, draft, history)
    assert _history_text(fmt, export(draft, fmt, provenance=True, history=history)) == _expected(fmt, draft,
                                                                                                 history)
    for none in (None, []):
        assert _history_text(fmt, export(draft, fmt, history=none)) == []


@pytest.mark.parametrize("fmt", ["md", "html", "akn", "json"])
def test_without_a_history_the_export_is_unchanged(fmt, seeded, monkeypatch):
    import drafting.export.html as html_module
    import drafting.export.markdown as md_module

    for module in (html_module, md_module):
        monkeypatch.setattr(module, "exported_at", lambda: "2026-01-01 00:00 UTC")
    draft, _ = seeded
    before = export(draft, fmt, provenance=True)
    assert export(draft, fmt, provenance=True, history=[]) == before
    assert b"Revision history" not in before and b"lifecycle" not in before and b'"history"' not in before


@pytest.mark.parametrize(("fmt", "after"), [("md", "## Annex: provenance and rationale"),
                                            ("html", '<section class="annex">')])
def test_the_history_follows_the_annex_or_the_text(fmt, after, seeded):
    draft, history = seeded
    with_annex = export(draft, fmt, provenance=True, history=history).decode()
    assert with_annex.index(after) < with_annex.index("Revision history")
    text_only = export(draft, fmt, history=history).decode()
    assert text_only.index("All may speak and write.") < text_only.index("Revision history")


def test_revisions_after_the_exported_one_are_left_out(seeded):
    draft, history = seeded
    store = DraftStore()
    old = store.get(draft.id, 2)
    exported = json.loads(export(old, "json", history=history))["history"]
    assert [r["revision"] for r in exported] == [0, 1, 2]
    assert history_rows(old, history[:3])[2].provisions == ("Article II. " + HOSTILE_HEADING,)


# ------------------------------------------------------------------ hostile text

HOSTILE_CASES = [  # (author, description): what a typed name or an imported file's name may hold
    ("<script>alert(1)</script>", "a | b || c"),
    ("Ana | Bo", "line one\nline two\n| --- | --- |\n"),
    ("\\", "ends with a backslash \\"),
    ("#1. -", "<img src=x onerror=alert(1)> &amp; `code` **b** [l](javascript:x) ~~s~~"),
    ("שלום", "\x01\x0b\ufffe controls\r\nand carriage returns"),
]


def _hostile_history() -> tuple[Draft, list[Revision]]:
    draft = Draft(id="dhost", title="Hostile", revision=len(HOSTILE_CASES),
                  nodes={"p1": Node("p1", Kind.ARTICLE, heading="One | <two>", text="Words.")})
    history = [Revision("dhost", n, author, f"2026-03-04T05:0{n}:00.000Z", description, "edit", n - 1, None,
                        ("p1", "p|<x>"))
               for n, (author, description) in enumerate(HOSTILE_CASES, start=1)]
    return draft, history


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "akn", "json"])
def test_hostile_authors_and_descriptions_are_shown_as_text(fmt):
    draft, history = _hostile_history()
    data = export(draft, fmt, history=history)
    assert _history_text(fmt, data) == _expected(fmt, draft, history)
    if fmt == "md":
        rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(data.decode())
        tree = html.fromstring(f"<div>{rendered}</div>")
        assert not tree.xpath("//script|//img|//a|//code|//strong|//s")
        assert [len(tr.xpath("td|th")) for tr in tree.xpath("//tr")] == [6] * (len(HOSTILE_CASES) + 1)
    elif fmt == "html":
        tree = html.fromstring(data)
        assert not tree.xpath("//script|//img|//*[@onerror]|//*[@onclick]|//code|//strong")
        cells = tree.xpath("//table[@class='revisions']//td[@class='description']")
        assert [len(td.xpath("br")) for td in cells] == [0, 2, 0, 0, 1]  # the description's own line breaks
    elif fmt == "docx":
        import docx

        table = docx.Document(io.BytesIO(data)).tables[0]
        assert [row.cells[2].text for row in table.rows[1:]] == [author for author, _ in HOSTILE_CASES]
    elif fmt == "akn":
        assert validate(data) == []
        assert read_akn(data) == draft
    else:
        assert [r["description"] for r in json.loads(data)["history"]] == [d for _, d in HOSTILE_CASES]


def test_a_lone_surrogate_in_a_revision_does_not_break_the_json_export():
    draft = Draft(id="dsur", title="Surrogate", revision=1)
    rev = Revision("dsur", 1, "Ana\udc80", "2026-03-04T05:06:07Z", "bad \ud800 byte", "edit", 0, None, ())
    assert json.loads(export(draft, "json", history=[rev]))["history"][0]["description"] == "bad  byte"


def test_an_unreadable_time_is_printed_as_given_and_left_out_of_the_akn_lifecycle():
    draft = Draft(id="dtime", title="Times", revision=2)
    history = [Revision("dtime", 1, "Ana", "not a time", "first", "edit", 0, None, ()),
               Revision("dtime", 2, "Bo", "2026-03-04T05:06:07Z", "second", "edit", 1, None, ())]
    assert [r.time for r in history_rows(draft, history)] == ["not a time", "2026-03-04 05:06 UTC"]
    data = export(draft, "akn", history=history)
    assert validate(data) == []
    assert _history_text("akn", data) == [["2", "Bo", "2026-03-04T05:06:07Z", "Revision 2 (edit): second"]]


# ------------------------------------------------------------------ many revisions

def test_hundreds_of_revisions_give_one_row_each():
    nodes = {f"p{i}": Node(f"p{i}", Kind.ARTICLE, order=str(i), heading=f"H{i}") for i in range(1, 10)}
    draft = Draft(id="dmany", title="Many", revision=400, nodes=nodes)
    history = [Revision("dmany", n, f"user{n % 7}", "2026-03-04T05:06:07.000Z", f"Change {n}", "edit", n - 1, None,
                        (f"p{n % 9 + 1}",)) for n in range(1, 401)]
    for fmt in ("md", "html", "docx", "akn", "json"):
        data = export(draft, fmt, history=history)
        rows = _history_text(fmt, data)
        assert len(rows) == 400 and rows[-1][0] == "400", fmt
        if fmt == "akn":
            root = etree.fromstring(data)
            assert validate(data) == [] and len(root.xpath("//a:TLCPerson", namespaces=AKN_NS)) == 7


# ------------------------------------------------------------------ JSON and AKN round trips

def test_json_with_history_imports_as_the_same_draft(seeded, tmp_path):
    draft, history = seeded
    data = export(draft, "json", provenance=True, history=history)
    assert Draft.from_dict(json.loads(data)) == draft
    assert read_akn(export(draft, "akn", provenance=True, history=history)) == draft


runner = CliRunner()
app = typer.Typer()
register(app)


def _cli(*args: str) -> dict:
    result = runner.invoke(app, ["draft", *args, "--json"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_cli_history_flag_end_to_end_and_import_ignores_it(tmp_path):
    store, draft = _seeded()
    plain, full = tmp_path / "plain.json", tmp_path / "full.json"
    assert "history" not in _cli("export", draft.id, "-f", "json", "-o", str(plain))
    assert "history" not in json.loads(plain.read_bytes())
    out = _cli("export", draft.id, "-f", "json", "-o", str(full), "--history")
    assert out["history"] == 6
    assert json.loads(full.read_bytes())["history"] == [r.to_dict() for r in store.history(draft.id)]
    imported = _cli("import", str(full))
    again = store.get(imported["id"])
    assert dict(again.nodes) == dict(draft.nodes)
    assert [r.op for r in store.history(again.id)] == ["create", "import"]  # the file's history is not replayed


@pytest.mark.parametrize(("fmt", "revision", "expected"), [
    ("md", None, ["0", "1", "2", "3", "4", "5"]),
    ("md", "2", ["0", "1", "2"]),
    ("html", "3", ["0", "1", "2", "3"]),
    ("akn", None, ["0", "1", "2", "3", "4", "5"]),
    ("docx", "1", ["0", "1"]),
])
def test_cli_history_covers_the_revisions_up_to_the_one_exported(fmt, revision, expected, tmp_path):
    _, draft = _seeded()
    target = tmp_path / f"out.{fmt}"
    args = ["export", draft.id, "-f", fmt, "-o", str(target), "--history"]
    out = _cli(*args, *(["--revision", revision] if revision else []))
    assert out["history"] == len(expected)
    assert [row[0] for row in _history_text(fmt, target.read_bytes())] == expected


# ------------------------------------------------------------------ the studio's export page

def test_studio_export_page_includes_the_history_by_default_and_leaves_it_out_on_request():
    from streamlit.testing.v1 import AppTest

    from convene.settings import REPO_ROOT

    _, draft = _seeded()
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["draft"] = draft.id
    at = at.run()
    at.switch_page("studio/pages/export.py").run()
    box = next(c for c in at.checkbox if c.label == "Include the revision history (who changed what, when)")
    assert box.value is True
    at.selectbox[0].set_value("json").run()
    assert [r["revision"] for r in json.loads(at.code[0].value)["history"]] == [0, 1, 2, 3, 4, 5]
    next(c for c in at.checkbox if c.label.startswith("Include the revision history")).uncheck().run()
    assert "history" not in json.loads(at.code[0].value)
    at.selectbox[0].set_value("md").run()
    assert "Revision history" not in at.code[0].value
