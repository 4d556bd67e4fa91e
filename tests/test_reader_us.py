"""The three US formats: USLM (House Manual), hsurden XML and hsurden JSON.

Corpus tests read each file once per session (``corpus_doc``); unit tests use
short synthetic documents with invented wording."""

from __future__ import annotations

import json
import re

import pytest
from rapidfuzz import fuzz

from constitutions.model import Kind, State, int_to_roman
from constitutions.readers import Source, hsurden_json, hsurden_xml, read_source, uslm

USLM = "us/HMAN-117-constitution.xml"
HS_XML = "us/constitution.xml"
HS_JSON = "us/usconstitution.full.json"
ALL_US = (USLM, HS_XML, HS_JSON)

def _eids(doc, kind):
    return [loc.provision.eid for loc in doc.walk() if loc.provision.kind is kind]


# ------------------------------------------------------------------ structure (all three formats)


@pytest.mark.corpus
@pytest.mark.parametrize("path, fmt, version", [
    (USLM, "uslm", "2021"),
    (HS_XML, "hsurden-xml", "2016-09-14"),
    (HS_JSON, "hsurden-json", "2016-09-14"),
])
def test_metadata(corpus_doc, path, fmt, version):
    doc = corpus_doc(path)
    assert (doc.id, doc.jurisdiction, doc.title, doc.year) == ("us", "us", "Constitution of the United States", 1787)
    assert (doc.format, doc.version) == (fmt, version)


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
def test_top_level_structure(corpus_doc, path):
    doc = corpus_doc(path)
    assert doc.provisions[0].kind is Kind.PREAMBLE and doc.provisions[0].eid == "preamble"
    articles = [p for p in doc.provisions if p.kind is Kind.ARTICLE]
    amendments = [p for p in doc.provisions if p.kind is Kind.AMENDMENT]
    assert [a.num for a in articles] == [int_to_roman(n) for n in range(1, 8)]
    assert [a.eid for a in articles] == [f"art_{n}" for n in range(1, 8)]
    assert [a.num for a in amendments] == [int_to_roman(n) for n in range(1, 28)]
    assert [a.eid for a in amendments] == [f"amdt_{n}" for n in range(1, 28)]


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
@pytest.mark.parametrize("eid, sections", [("art_1", 10), ("art_2", 4), ("art_3", 3), ("art_4", 4)])
def test_sections_per_article(corpus_doc, path, eid, sections):
    node = corpus_doc(path).get(eid)
    assert [c.eid for c in node.children] == [f"{eid}__sec_{n}" for n in range(1, sections + 1)]


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
@pytest.mark.parametrize("eid, clauses", [
    ("art_1__sec_1", 0), ("art_1__sec_2", 5), ("art_1__sec_3", 7), ("art_1__sec_8", 18), ("art_1__sec_9", 8),
    ("art_1__sec_10", 3), ("art_2__sec_1", 8), ("art_3__sec_2", 3), ("art_6", 3), ("art_7", 0),
])
def test_clauses(corpus_doc, path, eid, clauses):
    node = corpus_doc(path).get(eid)
    assert [c.eid for c in node.children] == [f"{eid}__cl_{n}" for n in range(1, clauses + 1)]
    assert all(c.kind is Kind.CLAUSE for c in node.children)


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
@pytest.mark.parametrize("eid, sections", [("amdt_1", 0), ("amdt_14", 5), ("amdt_18", 3), ("amdt_20", 6),
                                           ("amdt_25", 4), ("amdt_27", 0)])
def test_amendment_sections(corpus_doc, path, eid, sections):
    node = corpus_doc(path).get(eid)
    assert [c.eid for c in node.children] == [f"{eid}__sec_{n}" for n in range(1, sections + 1)]
    assert all(c.kind is Kind.SECTION and c.text for c in node.children)


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
def test_word_count_is_the_constitution_not_the_annotations(corpus_doc, path):
    assert 7300 <= corpus_doc(path).word_count() <= 7700


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
@pytest.mark.parametrize("forbidden", ["* * *", "\ue000", "[", "]", "§", "Sec. 4313", "U.S.C.", "Stat."])
def test_no_house_manual_material_leaks(corpus_doc, path, forbidden):
    for loc in corpus_doc(path).walk():
        assert forbidden not in loc.provision.text, loc.provision.eid
        assert forbidden not in loc.provision.heading, loc.provision.eid


# ------------------------------------------------------------------ fidelity


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
@pytest.mark.parametrize("eid, starts, ends", [
    ("preamble", "We the People", "for the United States of America."),
    ("amdt_4", "The right of the people to be secure", "the persons or things to be seized."),
    ("art_1__sec_8__cl_3", "To regulate Commerce", "with the Indian Tribes;"),
    ("art_7", "The Ratification of the Conventions", "so ratifying the Same."),
    ("amdt_14__sec_1", "All persons born or naturalized", "the equal protection of the laws."),
    # the House Manual splits these with "* * *" joints and editorial insertions
    ("art_1__sec_2__cl_5", "The House of Representatives shall chuse", "and shall have the sole Power of Impeachment."),
    ("art_1__sec_5__cl_2", "Each House may determine the Rules of its Proceedings, punish", "expel a Member."),
])
def test_text_starts_and_ends_like_the_real_one(corpus_doc, path, eid, starts, ends):
    text = corpus_doc(path).get(eid).text
    assert text.startswith(starts)
    assert text.endswith(ends)


@pytest.mark.corpus
def test_uslm_rejoins_split_clause_without_editorial_insertions(corpus_doc):
    text = corpus_doc(USLM).get("art_1__sec_6__cl_1").text
    assert "United States. They shall in all Cases" in text
    assert "they shall not be questioned" in text
    assert text.count("Senators and Representatives") == 1  # the editors' "[the Senators and Representatives]" is gone
    assert "\n" not in text


@pytest.mark.corpus
def test_uslm_em_dash_joint_keeps_no_space(corpus_doc):
    assert "counted;—The person having" in corpus_doc(USLM).get("amdt_12").text


@pytest.mark.corpus
def test_uslm_signatures_are_the_attestation_only(corpus_doc):
    doc = corpus_doc(USLM)
    signatures = [p for p in doc.provisions if p.meta.get("role") == "signatures"]
    assert len(signatures) == 1
    text = signatures[0].text
    assert text.startswith("Done in Convention") and text.endswith("William Jackson, Secretary.")
    assert "Signed also" not in text
    assert 120 < len(text.split()) < 250


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", re.sub(r"\s+", " ", text.casefold())).strip()


@pytest.mark.corpus
@pytest.mark.parametrize("eid", ["amdt_1", "preamble", "amdt_4", "art_1__sec_1"])
def test_three_formats_agree(corpus_doc, eid):
    texts = {path: _plain(corpus_doc(path).get(eid).text) for path in ALL_US}
    assert texts[USLM] == texts[HS_XML] == texts[HS_JSON]


@pytest.mark.corpus
@pytest.mark.parametrize("eid", ["art_1__sec_2__cl_3", "amdt_12", "art_3__sec_2__cl_1", "amdt_25__sec_4"])
def test_three_formats_nearly_agree_where_spelling_differs(corpus_doc, eid):
    """The hobbyist files modernise a few spellings ("Behavior", "Rhode Island")."""
    uslm_text = _plain(corpus_doc(USLM).get(eid).text)
    for path in (HS_XML, HS_JSON):
        assert fuzz.ratio(uslm_text, _plain(corpus_doc(path).get(eid).text)) > 95


@pytest.mark.corpus
def test_hsurden_formats_are_identical(corpus_doc):
    xml_doc, json_doc = corpus_doc(HS_XML), corpus_doc(HS_JSON)
    assert xml_doc.provisions == json_doc.provisions


# ------------------------------------------------------------------ status


@pytest.mark.corpus
@pytest.mark.parametrize("eid, state, says", [
    ("amdt_18", State.REPEALED, "repealing this amendment"),
    ("amdt_18__sec_2", State.REPEALED, "repealing this amendment"),
    ("art_1__sec_3__cl_1", State.SUPERSEDED, "17th amendment"),
    ("art_1__sec_3__cl_2", State.SUPERSEDED, "17th amendment"),
    ("art_1__sec_2__cl_3", State.SUPERSEDED, "14th amendment"),
    ("art_1__sec_4__cl_2", State.SUPERSEDED, "20th amendment"),
    ("art_1__sec_9__cl_4", State.SUPERSEDED, "16th amendment"),
    ("art_2__sec_1__cl_3", State.SUPERSEDED, "12th amendment"),
    ("amdt_21", State.IN_FORCE, ""),
    ("art_1__sec_8__cl_3", State.IN_FORCE, ""),
])
def test_uslm_status_from_editorial_notes(corpus_doc, eid, state, says):
    status = corpus_doc(USLM).get(eid).status
    assert status.state is state
    assert says in status.note
    assert "§" not in status.note


@pytest.mark.corpus
def test_uslm_statuses_are_only_the_noted_ones(corpus_doc):
    not_in_force = {loc.provision.eid for loc in corpus_doc(USLM).walk() if not loc.provision.status.in_force}
    assert not_in_force == {"art_1__sec_2__cl_3", "art_1__sec_3__cl_1", "art_1__sec_3__cl_2", "art_1__sec_4__cl_2",
                            "art_1__sec_9__cl_4", "art_2__sec_1__cl_3", "amdt_18", "amdt_18__sec_1",
                            "amdt_18__sec_2", "amdt_18__sec_3"}


@pytest.mark.corpus
@pytest.mark.parametrize("path", [HS_XML, HS_JSON])
@pytest.mark.parametrize("eid, state", [("amdt_18", State.REPEALED), ("amdt_18__sec_3", State.REPEALED),
                                        ("art_1__sec_9__cl_4", State.SUPERSEDED), ("amdt_21", State.IN_FORCE)])
def test_hsurden_status(corpus_doc, path, eid, state):
    node = corpus_doc(path).get(eid)
    assert node.status.state is state
    assert "(" not in node.text[:1] and "clarified" not in node.text


# ------------------------------------------------------------------ synthetic documents (no corpus)

_USLM_NS = "http://xml.house.gov/schemas/uslm/1.0"


def _uslm(body: str) -> Source:
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><document xmlns="{_USLM_NS}">'
           '<meta xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Charter of the Cat Republic</dc:title>'
           '<property name="s-heading" idref="a-1">§9. Heading of the manual.</property></meta>'
           f'<content id="constitution">{body}</content></document>')
    return Source("synthetic.xml", xml.encode())


@pytest.mark.parametrize("body, eid, expected", [
    # a joint rejoins one sentence; a short bracketed insertion after it goes
    ('<article id="a-1"><num value="I">ARTICLE I.</num><text>Blue birds sing, <inline name="three-star">* * *'
     '</inline></text><note name="annotation"><p>Long commentary.</p><section><num>Sec. 9.</num>'
     '<text>Quoted statute.</text></section></note><text><inline name="three-star">* * *</inline> and [the birds]'
     ' fly.</text></article>', "art_1", "Blue birds sing, and fly."),
    # consecutive fragments without a joint are paragraphs
    ('<level id="amendments"><level name="amendment" id="x"><num value="II">AMENDMENT II.</num><text>One.</text>'
     '<text>Two.</text></level></level>', "amdt_2", "One.\n\nTwo."),
    # a long bracketed passage is text no longer in force: brackets removed
    ('<article id="a-3"><num value="III">ARTICLE III.</num><text>[Old rule of the many green hills.]</text>'
     '<note name="annotation"><p>Some history. This provision was changed by the 40th amendment (see §§1–2, '
     'infra).</p></note></article>', "art_3", "Old rule of the many green hills."),
])
def test_uslm_synthetic_text(body, eid, expected):
    doc = read_source(_uslm(body))
    assert doc.format == "uslm"
    assert doc.get(eid).text == expected


def test_uslm_synthetic_status():
    doc = read_source(_uslm(
        '<article id="a-3"><num value="III">ARTICLE III.</num><text>[Old rule of the many green hills.]</text>'
        '<note name="annotation"><p>Some history. This provision was changed by the 40th amendment (see §§1–2, '
        'infra).</p></note></article>'
        '<level id="amendments"><level name="amendment" id="a5"><num value="V">AMENDMENT V.</num>'
        '<section id="a5-1"><num value="1">Section 1.</num><text>[Nothing shall be green.</text>'
        '<note type="footnote"><p>See amendment VI, repealing this amendment. Ratified quickly.</p></note></section>'
        '<section id="a5-2"><num value="2">Section 2.</num><text>Nor blue.]</text></section></level></level>'))
    assert doc.get("art_3").status.state is State.SUPERSEDED
    assert doc.get("art_3").status.note == "This provision was changed by the 40th amendment."
    for eid in ("amdt_5", "amdt_5__sec_1", "amdt_5__sec_2"):
        assert doc.get(eid).status.state is State.REPEALED
        assert doc.get(eid).status.note == "See amendment VI, repealing this amendment."
    assert doc.get("amdt_5__sec_2").text == "Nor blue."


def test_uslm_version_from_house_manual_references():
    doc = read_source(_uslm('<article id="a-1"><num value="I">ARTICLE I.</num><text>Words.</text>'
                            '<note><p><ref href="HMAN-118-pg1.xml#x">rule</ref></p></note></article>'))
    assert doc.version == "2023"


_HS_XML = ('<?xml version="1.0" ?><root><document type="document" name=" " id="1" description="Cat Charter">'
           '<part type="part" name=" " id="2" description="Preamble"><paragraph><content>We the cats.</content>'
           '</paragraph></part><part description="Articles" id="3" name=" " type="part">'
           '<article description=" Naps" id="4" name="Article I " type="article">'
           '<section description=" Where" id="5" name="Section 1 " type="section">'
           '<paragraph><content>Cats shall have Power:</content></paragraph>'
           '<paragraph><content>To nap;</content></paragraph><paragraph><content>To purr.</content></paragraph>'
           '</section></article></part><part description="Amendments" id="6" name=" " type="part">'
           '<amendment description=" Dogs" id="7" name="Amendment 1 " type="amendment">'
           '<paragraph><content>1. No dogs, except</content></paragraph>'
           '<paragraph><content>small ones.</content></paragraph>'
           '<paragraph><content>2. Fish are fine.</content></paragraph></amendment>'
           '<amendment description=" Amendment 1 Repealed" id="8" name="Amendment 2 " type="amendment">'
           '<paragraph><content>Amendment one is gone.</content></paragraph></amendment></part></document></root>')


def _hs_json_from_xml() -> bytes:
    def para(text):
        return {"content": [text], "num": " ", "type": "paragraph", "name": " ", "children": []}

    tree = {"type": "document", "num": " ", "name": "Cat Charter", "children": [
        {"type": "part", "num": " ", "name": "Preamble", "children": [para("We the cats.")]},
        {"type": "part", "num": " ", "name": "Articles", "children": [
            {"type": "article", "identifer": 1, "num": "Article I ", "name": " Naps", "children": [
                {"num": "Section 1 ", "type": "section", "name": " Where", "children": [
                    para("Cats shall have Power:"), para("To nap;"), para("To purr.")]}]}]},
        {"num": " ", "type": "part", "name": "Amendments", "children": [
            {"num": "Amendment 1 ", "type": "amendment", "name": " Dogs", "children": [
                para("1. No dogs, except"), para("small ones."), para("2. Fish are fine.")]},
            {"num": "Amendment 2 ", "type": "amendment", "name": " Amendment 1 Repealed", "children": [
                para("Amendment one is gone.")]}]}]}
    return json.dumps(tree, indent=4).encode()


@pytest.mark.parametrize("data, fmt", [(_HS_XML.encode(), "hsurden-xml"), (_hs_json_from_xml(), "hsurden-json")])
def test_hsurden_synthetic(data, fmt):
    doc = read_source(Source("cats", data))
    assert doc.format == fmt
    assert doc.get("preamble").text == "We the cats."
    assert doc.get("art_1").heading == "Naps"
    section = doc.get("art_1__sec_1")
    assert (section.heading, section.text) == ("Where", "Cats shall have Power:")
    assert [(c.eid, c.text) for c in section.children] == [("art_1__sec_1__cl_1", "To nap;"),
                                                           ("art_1__sec_1__cl_2", "To purr.")]
    assert doc.get("amdt_1__sec_1").text == "No dogs, except small ones."
    assert doc.get("amdt_1__sec_2").text == "Fish are fine."
    assert doc.get("amdt_1").status.state is State.REPEALED
    assert doc.get("amdt_2").status.in_force


@pytest.mark.parametrize("module, data, expected", [
    (uslm, _uslm("<article/>").data, True),
    (uslm, _HS_XML.encode(), False),
    (hsurden_xml, _HS_XML.encode(), True),
    (hsurden_xml, _uslm("<article/>").data, False),
    (hsurden_xml, _hs_json_from_xml(), False),
    (hsurden_json, _hs_json_from_xml(), True),
    (hsurden_json, b'{"type": "document", "children": []}', False),
    (hsurden_json, _HS_XML.encode(), False),
])
def test_sniff_looks_at_content(module, data, expected):
    assert module.sniff(Source("no-extension", data)) is expected


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_US)
def test_convene_json_round_trip_of_a_real_document(corpus_doc, path):
    doc = corpus_doc(path)
    again = read_source(Source("saved.json", json.dumps(doc.to_dict()).encode()))
    assert again == doc
    assert again.format == doc.format and again.source == doc.source
