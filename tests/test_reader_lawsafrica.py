"""Laws.Africa JSON reader: the real South African Constitution, plus synthetic records."""

from __future__ import annotations

import json
import re

import pytest

from constitutions.model import Kind, State
from constitutions.readers import Source, lawsafrica, read_source
from convene.errors import ReadError

ZA = "south-africa/constitution.json"


@pytest.fixture(scope="module")
def za(corpus_doc):
    return corpus_doc(ZA)


def _children(doc, eid):
    return [(c.kind, c.num) for c in doc.get(eid).children]


# ------------------------------------------------------------------ the real document


def test_document_metadata(za):
    assert (za.id, za.jurisdiction, za.format, za.year, za.version, za.language) == (
        "za", "za", "lawsafrica-json", 1996, "2013-08-23", "en")
    assert za.title == "Constitution of the Republic of South Africa, 1996"
    assert za.meta["frbr_uri"] == "/akn/za/act/1996/constitution"
    assert za.meta["expression_frbr_uri"] == "/akn/za/act/1996/constitution/eng@2013-08-23"


def test_top_level_is_preamble_chapters_schedules(za):
    kinds = [p.kind for p in za.provisions]
    assert kinds == [Kind.PREAMBLE] + [Kind.CHAPTER] * 14 + [Kind.SCHEDULE] * 10
    assert [p.num for p in za.provisions if p.kind is Kind.CHAPTER] == [str(n) for n in range(1, 15)]
    assert [p.num for p in za.provisions if p.kind is Kind.SCHEDULE] == [
        "1", "1A", "2", "3", "4", "5", "6", "6A", "6B", "7"]
    assert [p.eid for p in za.provisions if p.kind is Kind.SCHEDULE] == [f"att_{n}" for n in range(1, 11)]


def test_sections_are_1_to_243_with_230A(za):
    nums = [loc.provision.num for loc in za.walk() if loc.provision.kind is Kind.SECTION]
    assert len(nums) == 244
    assert nums == [str(n) for n in range(1, 231)] + ["230A"] + [str(n) for n in range(231, 244)]


@pytest.mark.parametrize(("eid", "kind", "num", "heading"), [
    ("chp_2", Kind.CHAPTER, "2", "Bill of Rights"),
    ("chp_2__sec_14", Kind.SECTION, "14", "Privacy"),
    ("chp_4__subpart_nn_1", Kind.DIVISION, "", "The National Assembly"),
    ("chp_4__subpart_nn_1__sec_46", Kind.SECTION, "46", "Composition and election"),
    ("chp_13__subpart_nn_4__sec_230A", Kind.SECTION, "230A", "Municipal loans"),
    ("chp_2__sec_9__subsec_3", Kind.SUBSECTION, "(3)", ""),
    ("chp_2__sec_14__para_a", Kind.PARAGRAPH, "(a)", ""),
    ("chp_6__subpart_nn_2__sec_139__subsec_2__para_a__subpara_ii", Kind.SUBPARAGRAPH, "(ii)", ""),
    ("att_1", Kind.SCHEDULE, "1", "National flag"),
    ("att_4__part_A", Kind.PART, "A", "Election procedures for constitutional office-bearers"),
    ("att_4__part_A__sec_2", Kind.ITEM, "2", "Nominations"),
    ("att_4__part_B__para_1", Kind.PARAGRAPH, "1", ""),
    ("att_7__sec_16", Kind.ITEM, "16", "Courts"),
    ("preamble", Kind.PREAMBLE, "", ""),
])
def test_laws_africa_eids_kinds_numbers_headings(za, eid, kind, num, heading):
    provision = za.get(eid)
    assert (provision.kind, provision.num, provision.heading) == (kind, num, heading)


def test_section_14_has_paragraphs_a_to_d_directly(za):
    assert _children(za, "chp_2__sec_14") == [(Kind.PARAGRAPH, f"({x})") for x in "abcd"]
    assert za.get("chp_2__sec_14").text.startswith("Everyone has the right to privacy")
    assert za.get("chp_2__sec_14__para_d").eid == "chp_2__sec_14__para_d"


def test_section_9_subsections_and_text_fidelity(za):
    assert _children(za, "chp_2__sec_9") == [(Kind.SUBSECTION, f"({n})") for n in range(1, 6)]
    text = za.get("chp_2__sec_9__subsec_3").text
    assert text.startswith("The state may not unfairly discriminate directly or indirectly")
    assert text.endswith("culture, language and birth.")
    assert "(3)" not in text


def test_preamble_text(za):
    text = za.get("preamble").text
    assert text.startswith("We, the people of South Africa,")
    assert text.endswith("God bless South Africa.\n\nMudzimu fhatutshedza Afurika. Hosi katekisa Afrika.")
    assert text.count("\n\n") == 13  # 14 printed paragraphs


def test_no_markup_numbers_or_remarks_in_text(za):
    tag = re.compile(r"</?[a-zA-Z][^>]*>|akn-|&[a-z]+;")
    for loc in za.walk():
        p = loc.provision
        for field in (p.text, p.heading, p.num):
            assert not tag.search(field), p.eid
        assert "[" not in p.text, p.eid  # editorial remarks are all bracketed
        if p.num and p.kind in (Kind.SUBSECTION, Kind.PARAGRAPH, Kind.SUBPARAGRAPH):
            assert not p.text.startswith(p.num + " "), p.eid


def test_remarks_go_to_meta(za):
    remarks = za.get("chp_4__subpart_nn_1__sec_47__subsec_3").meta["remarks"]
    assert remarks.startswith("[subsection (3) substituted by section 2 of the Constitution Tenth Amendment Act")
    assert "substituted" not in za.get("chp_4__subpart_nn_1__sec_47__subsec_3").text
    assert za.meta["long_title"].startswith("To introduce a new Constitution")


@pytest.mark.parametrize(("eid", "words"), [
    ("chp_7__sec_155__subsec_6A", "deleted by section 2 of the Constitution Twelfth Amendment Act, 2005"),
    ("chp_7__sec_157__subsec_4__para_b", "deleted by section 3"),
    ("att_8", "repealed by section 6 of the Constitution Fourteenth Amendment Act, 2008"),
    ("att_9", "repealed by section 5 of the Constitution Fifteenth Amendment Act, 2008"),
])
def test_deleted_provisions_are_repealed(za, eid, words):
    provision = za.get(eid)
    assert provision.status.state is State.REPEALED
    assert words in provision.status.note
    assert provision.text == ""


def test_repealed_provisions_are_exactly_the_deleted_ones(za):
    repealed = {loc.provision.eid for loc in za.walk() if not loc.provision.status.in_force}
    assert repealed == {"chp_7__sec_155__subsec_6A", "chp_7__sec_157__subsec_4__para_b",
                        "att_7__sec_16__subsec_2__para_b", "att_7__sec_16__subsec_3__para_b",
                        "att_7__subpart_nn_4__para_1__subpara_c", "att_8", "att_9"}


def test_wrap_up_words_are_kept(za):
    para = za.get("chp_6__subpart_nn_2__sec_139__subsec_2__para_a")
    assert para.text == "it must submit a written notice of the intervention to—\n\n" \
                        "within 14 days after the intervention began;"
    assert para.meta["wrap_up"] == "within 14 days after the intervention began;"


def test_block_lists_and_tables_stay_in_order(za):
    text = za.get("chp_14__subpart_nn_2__sec_239").text
    assert text.index('"national legislation" includes -') < text.index("(a) subordinate legislation") \
        < text.index('"organ of state" means -') < text.index("but does not include a court")
    table = za.get("att_10").text.split("\n\n")
    assert table[0] == "Number and year of law | Title"
    assert table[1] == "Act 200 of 1993 | Constitution of the Republic of South Africa, 1993"


def test_eids_are_unique(za):
    eids = [loc.provision.eid for loc in za.walk()]
    assert len(eids) == len(set(eids))


# ------------------------------------------------------------------ synthetic records

_BODY = (
    '<section class="akn-preamble" id="preamble"><span class="akn-p">We the makers.</span></section>'
    '<section class="akn-chapter" id="chp_1"><h2>Chapter 1<br>Basics</h2>'
    '<section class="akn-section" id="chp_1__sec_1"><h3>1. Name</h3>'
    '<section class="akn-subsection" id="chp_1__sec_1__subsec_1"><span class="akn-num">(1)</span>'
    '<span class="akn-content"><span class="akn-p">The land is called <b>Zed</b>.</span>'
    '<span class="akn-p"><span class="akn-remark">[note by the editor]</span></span></span></section>'
    '</section></section>'
)


def _record(**extra):
    return {"frbr_uri": "/akn/zz/act/2001/constitution",
            "expression_frbr_uri": "/akn/zz/act/2001/constitution/eng@2020-01-02",
            "title": "Constitution of Zed", "country": "zz", "year": "2001", "expression_date": "2020-01-02",
            "language": "eng", "toc": [], "body": _BODY, **extra}


def _source(data) -> Source:
    return Source("synthetic.json", json.dumps(data).encode())


@pytest.mark.parametrize("wrapper", [lambda r: r, lambda r: {"en": r}, lambda r: {"xx": {**r, "language": "xho"},
                                                                                   "yy": r}])
def test_synthetic_record_shapes(wrapper):
    source = _source(wrapper(_record()))
    assert lawsafrica.sniff(source)
    doc = read_source(source)
    assert (doc.id, doc.year, doc.version, doc.format) == ("zz", 2001, "2020-01-02", "lawsafrica-json")
    sub = doc.get("chp_1__sec_1__subsec_1")
    assert (sub.num, sub.text, sub.meta["remarks"]) == ("(1)", "The land is called Zed.", "[note by the editor]")
    assert doc.get("chp_1").heading == "Basics"


@pytest.mark.parametrize(("data", "message"), [
    ({"xh": {**_record(), "language": "xho"}}, "no English expression"),
    (_record(body=""), "no HTML 'body'"),
    (_record(body=42), "no HTML 'body'"),
    (_record(body="<p>nothing structural</p>"), "no preamble, chapter"),
    ({"frbr_uri_list": ["/akn/"], "expression_frbr_uri": 1}, "not a Laws.Africa work record"),
])
def test_synthetic_bad_records(data, message):
    with pytest.raises(ReadError, match=re.escape(message)):
        lawsafrica.read(_source(data))


@pytest.mark.parametrize("raw", [b'{"frbr_uri": "/akn/x", "expression_frbr_uri": ', b"[1, 2, 3]"])
def test_malformed_json_is_a_read_error(raw):
    with pytest.raises(ReadError):
        lawsafrica.read(Source("bad.json", raw))


@pytest.mark.parametrize(("raw", "expected"), [
    (json.dumps(_record()).encode(), True),
    (b'{"type": "document", "children": []}', False),
    (b"<akn>/akn/ frbr_uri expression_frbr_uri</akn>", False),
])
def test_sniff(raw, expected):
    assert lawsafrica.sniff(Source("x", raw)) is expected
