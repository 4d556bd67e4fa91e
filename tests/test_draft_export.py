"""Exports in every format, with and without the provenance annex, including hostile content;
AKN validated against the OASIS schema; JSON and AKN re-imported."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from lxml import etree, html
from markdown_it import MarkdownIt

from constitutions.model import Kind, Provision
from drafting.export import FORMATS, export
from drafting.export.akn import read_akn, validate
from drafting.model import Draft
from drafting.ops import Adopt, Edit, Write
from drafting.store import DraftStore

HOSTILE = ("<script>alert('x')</script> **bold** [link](javascript:alert(1)) # not a heading\n"
           "- not a list\n1. not a list\n> not a quote\n    not code\n&amp; &lt; ]]> <!-- c --> \x00\x01\x0b\x1f\ufffe"
           " \u202eRTL override\u202c שלום עולם مرحبا 🎉👩🏽‍⚖️ `tick` ~~strike~~ <b onclick=x>b</b> {{t}} | a | b |")
LONG = "word " * 19_999 + "x" * 5  # 100,000 characters


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    store = DraftStore(tmp_path_factory.mktemp("export-home") / "drafts.sqlite3")
    d = store.create("Charter <i>of</i> & Co")
    src = Provision("art_3", Kind.ARTICLE, "III", "Assembly", "The assembly meets yearly.", children=(
        Provision("art_3__sec_1", Kind.SECTION, "1", "", "Members serve four years.\n\nThey may serve twice."),))
    d = store.apply(d.id, Write(kind=Kind.PREAMBLE, text="We, the drafters, write this."), base=0)
    d = store.apply(d.id, Adopt("xx", src, "xx:Art. III", document_title="Sample <Charter>"), base=1)
    d = store.apply(d.id, Edit(d.tree[1].children[0].id, text="Members serve five years.\n\nThey may serve twice.",
                               rationale="Longer terms <for> stability", tags=("terms",)), base=2)
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="Hostile <h1>", text=HOSTILE, rationale=HOSTILE), base=3)
    plain = d
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="Long", text=LONG), base=4)
    d = store.apply(d.id, Edit(d.tree[1].id, status="struck"), base=5)
    return {"plain": plain, "long": d}


def _visible(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("provenance", [False, True])
def test_markdown_escapes_everything(drafts, provenance):
    data = export(drafts["plain"], "md", provenance=provenance).decode("utf-8")
    rendered = MarkdownIt("commonmark", {"html": False}).render(data)
    tree = html.fromstring(f"<div>{rendered}</div>")
    assert not tree.xpath("//script|//b|//a|//ul|//ol|//blockquote|//pre|//code")
    paragraphs = [_visible(p.text_content()) for p in tree.xpath("//p")]
    assert any("<script>alert('x')</script> **bold** [link](javascript:alert(1)) # not a heading" in p
               for p in paragraphs)
    assert any("🎉" in p and "שלום" in p for p in paragraphs)
    assert [h.text_content() for h in tree.xpath("//h2")][:3] == ["Preamble", "Article I. Assembly",
                                                                  "Article II. Hostile <h1>"]
    if provenance:
        assert "~~four~~ **five**" in data
        assert "Adopted from xx:Art. III" in data


@pytest.mark.parametrize("provenance", [False, True])
def test_html_is_standalone_print_ready_and_escaped(drafts, provenance):
    data = export(drafts["plain"], "html", provenance=provenance).decode("utf-8")
    tree = html.fromstring(data)
    assert not tree.xpath("//script|//link|//img|//iframe|//*[@onclick]|//*[@src]")
    assert "@page" in data and "counter(page)" in data
    assert tree.xpath("//title")[0].text == "Charter <i>of</i> & Co"
    texts = " ".join(_visible(p.text_content()) for p in tree.xpath("//p"))
    assert "<script>alert('x')</script>" in texts and "\x01" not in data
    assert tree.xpath("//section[@id='art_2']/h2")[0].text_content() == "Article II. Hostile <h1>"
    if provenance:
        assert [d.text for d in tree.xpath("//del")][-1:] == ["four"]
        assert "five" in [i.text for i in tree.xpath("//ins")]


@pytest.mark.parametrize("provenance", [False, True])
def test_akn_is_valid_and_reimports_losslessly(drafts, provenance):
    draft = drafts["plain"]
    data = export(draft, "akn", provenance=provenance)
    assert validate(data) == []
    back = read_akn(data)
    assert back.title == draft.title and back.style == draft.style and back.id == draft.id
    hostile = next(n for n in draft.nodes.values() if n.heading == "Hostile <h1>")
    expected = {k: v for k, v in draft.nodes.items() if k != hostile.id}
    assert {k: v for k, v in back.nodes.items() if k != hostile.id} == expected
    assert back.nodes[hostile.id].text == HOSTILE.replace("\x00\x01\x0b\x1f\ufffe", "")
    if provenance:
        root = etree.fromstring(data)
        ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
        assert [d.text for d in root.xpath("//a:attachment//a:del", namespaces=ns)] == ["four"]


def test_akn_of_long_and_struck_draft_is_valid(drafts):
    data = export(drafts["long"], "akn", provenance=True)
    assert validate(data) == []
    root = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    assert root.xpath("//a:article[@status='removed']", namespaces=ns)
    back = read_akn(data).nodes
    same = {k for k, v in drafts["long"].nodes.items() if "\x01" not in v.text}
    assert len(same) == len(back) - 1 and all(back[k] == drafts["long"].nodes[k] for k in same)


def test_empty_draft_exports_valid_akn():
    draft = Draft(id="dempty", title="Empty", nodes={})
    data = export(draft, "akn")
    assert validate(data) == []
    assert read_akn(data).nodes == {}


def test_foreign_akn_imports_as_new_provisions():
    xml = b"""<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act name="act"><meta/>
    <body><chapter eId="chp_1"><num>1</num><heading>General</heading><section eId="chp_1__sec_1"><num>1</num>
    <content><p>First words.</p></content></section></chapter></body></act></akomaNtoso>"""
    draft = read_akn(xml)
    assert [(p.label, p.node.kind, p.node.text) for p in draft.walk()] == [
        ("Chapter I", Kind.CHAPTER, ""), ("Section 1", Kind.SECTION, "First words.")]


@pytest.mark.parametrize("provenance", [False, True])
def test_json_round_trip(drafts, provenance):
    draft = drafts["long"]
    data = export(draft, "json", provenance=provenance)
    assert Draft.from_dict(json.loads(data)) == draft
    if provenance:
        assert json.loads(data)["annex"][0]["citation"] == "xx:Art. III"


@pytest.mark.parametrize("provenance", [False, True])
def test_docx_uses_word_headings_and_diff_runs(drafts, provenance):
    import docx

    data = export(drafts["plain"], "docx", provenance=provenance)
    document = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:4] == [("Title", "Charter <i>of</i> & Co"), ("Heading 1", "Preamble"),
                            ("Heading 1", "Article I. Assembly"), ("Heading 2", "Section 1")]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert('x')</script>" in body and "🎉" in body
    if provenance:
        runs = [r for p in document.paragraphs for r in p.runs]
        assert any(r.font.strike and r.text == "four" for r in runs)
        assert any(r.font.underline and r.text == "five" for r in runs)


def test_pdf_renders_the_html(drafts, tmp_path):
    data = export(drafts["plain"], "pdf", provenance=True)
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "d.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Article II. Hostile <h1>" in text and "Page 1 of" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_hundred_thousand_character_provision(drafts, fmt):
    import docx

    data = export(drafts["long"], fmt)
    if fmt == "docx":
        assert any(len(p.text) == len(LONG.strip()) for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif fmt == "pdf":
        assert data.startswith(b"%PDF") and len(data) > 20_000
    else:
        assert LONG.strip().encode() in data


@pytest.mark.parametrize(("style", "field"), [
    ('{"formats": [1]}', '"style.formats"'), ('{"continuous": 5}', '"style.continuous"'),
    ('{"formats": {"article": "klingon"}}', '"style.formats.article"'), ('"x"', '"style"'),
    ("{not json", "bad numbering style"),
])
def test_akn_with_a_bad_style_is_a_read_error_naming_the_file(style, field):
    from convene.errors import ReadError

    draft = Draft(id="d1", title="Styled")
    root = etree.fromstring(export(draft, "akn"))
    holders = [el for el in root.iter() if el.get("style") is not None]
    assert len(holders) == 1
    holders[0].set("style", style)
    with pytest.raises(ReadError) as info:
        read_akn(etree.tostring(root), "styled.xml")
    assert info.value.source == "styled.xml" and field in info.value.message
