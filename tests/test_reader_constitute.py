"""The Constitute page-text reader on the eight real scrapes: exact structure,
nesting and text fidelity.  Each file is parsed once per session (corpus_doc)."""

from __future__ import annotations

import re

import pytest

from constitutions.model import Document, Kind, Provision, State
from constitutions.readers import Source, constitute, read_source

pytestmark = pytest.mark.corpus

FILES = {
    "ie": "ireland/Ireland_2012.txt",
    "de": "germany/German_Federal_Republic_2012.txt",
    "in": "india/India_2012.txt",
    "ke": "kenya/Kenya_2010.txt",
    "ca": "canada/Canada_2011.txt",
    "ch": "switzerland/Switzerland_2002.txt",
    "jp": "japan/Japan_1946.txt",
    "za": "south-africa/South_Africa_2012.txt",
}


def units(doc: Document, kind: Kind, *, within: Provision | None = None) -> list[Provision]:
    """Provisions of ``kind`` outside schedules (and inside ``within`` if given)."""
    out = []
    for loc in doc.walk():
        if loc.provision.kind is not kind or any(a.kind is Kind.SCHEDULE for a in loc.ancestors):
            continue
        if within is not None and (not loc.ancestors or loc.ancestors[0] is not within):
            continue
        out.append(loc.provision)
    return out


def numbers(provisions: list[Provision]) -> set[int]:
    return {int(re.match(r"\d+", p.num).group()) for p in provisions}


def lettered(provisions: list[Provision]) -> set[str]:
    return {p.num for p in provisions if not p.num.isdigit()}


@pytest.mark.parametrize(("code", "path", "year", "version"), [
    ("ie", FILES["ie"], 1937, "2012"), ("de", FILES["de"], 1949, "2012"), ("in", FILES["in"], 1949, "2012"),
    ("ke", FILES["ke"], 2010, "2010"), ("ca", FILES["ca"], 1867, "2011"), ("ch", FILES["ch"], 1999, "2002"),
    ("jp", FILES["jp"], 1946, "1946"), ("za", FILES["za"], 1996, "2012"),
])
def test_metadata_and_sniffing(corpus_doc, code, path, year, version):
    doc = corpus_doc(path)
    assert (doc.id, doc.jurisdiction, doc.year, doc.version, doc.format) == (code, code, year, version, NAME)
    assert doc.title == constitute.TITLES[code]


NAME = constitute.NAME


@pytest.mark.parametrize("path", FILES.values())
def test_no_page_chrome_and_unique_eids(corpus_doc, path):
    doc = corpus_doc(path)
    eids = [loc.provision.eid for loc in doc.walk()]
    assert len(eids) == len(set(eids))
    for loc in doc.walk():
        p = loc.provision
        assert "Share" not in p.text.split("\n"), p.eid
        assert p.text == p.text.strip() and "\t" not in p.text and "\n\n\n" not in p.text
        assert not p.heading.startswith("[")


def test_ireland_articles_and_preamble(corpus_doc):
    doc = corpus_doc(FILES["ie"])
    assert doc.provisions[0].kind is Kind.PREAMBLE
    assert doc.provisions[0].text.startswith("In the Name of the Most Holy Trinity")
    assert doc.provisions[0].text.endswith("give to ourselves this Constitution.")
    arts = units(doc, Kind.ARTICLE)
    assert numbers(arts) == set(range(1, 51))
    assert [a.num for a in arts].count("28A") == 1
    assert len(arts) == 51
    nation = doc.provisions[1]
    assert (nation.kind, nation.num, nation.heading) == (Kind.DIVISION, "", "THE NATION")
    assert [c.num for c in nation.children] == ["1", "2", "3"]


def test_ireland_nesting(corpus_doc):
    doc = corpus_doc(FILES["ie"])
    sec3 = doc.get("art_40__sec_3")
    assert sec3.kind is Kind.SECTION
    assert [(c.kind, c.num) for c in sec3.children] == [(Kind.SUBSECTION, n) for n in ("1°", "2°", "3°")]
    s61 = doc.get("art_40__sec_6__subsec_1")
    assert s61.text.startswith("The State guarantees liberty for the exercise of the following rights")
    assert [(c.kind, c.num) for c in s61.children] == [(Kind.PARAGRAPH, n) for n in ("i", "ii", "iii")]
    assert doc.get("art_40__sec_6__subsec_1__para_i").text.startswith("The right of the citizens to express")
    assert doc.get("art_40__sec_1").text.startswith("All citizens shall, as human persons")
    assert doc.get("art_40__sec_2__subsec_1").text == "Titles of nobility shall not be conferred by the State."
    assert doc.get("art_4").text == "The name of the State is Éire, or, in the English language, Ireland."
    assert doc.get("art_50__sec_2").text.startswith("Laws enacted before, but expressed to come into force after")


def test_germany_articles(corpus_doc):
    doc = corpus_doc(FILES["de"])
    arts = units(doc, Kind.ARTICLE)
    assert numbers(arts) == set(range(1, 147))
    assert {"12a", "16a", "17a", "20a", "45a", "45d", "87a", "87f", "91e", "115a", "115l", "143d"} <= lettered(arts)
    assert len(arts) == len({a.num for a in arts}) == 197
    for num in ("49", "75"):
        repealed = doc.get(f"art_{num}")
        assert repealed.status.state is State.REPEALED and "repealed" in repealed.status.note
    a20a = doc.get("art_20a")
    assert a20a.heading == "Protection of the natural foundations of life and animals"
    assert a20a.text.startswith("Mindful also of its responsibility toward future generations")
    a13 = doc.get("art_13")
    assert a13.heading == "Inviolability of the home"
    assert [c.num for c in a13.children] == [str(n) for n in range(1, 8)]
    assert doc.get("art_13__cl_1").text == "The home is inviolable."
    assert doc.get("art_1__cl_1").text.startswith("Human dignity shall be inviolable.")
    groups = [p for p in doc.provisions if p.kind is Kind.DIVISION]
    assert [g.num for g in groups] == ["I", "II", "III", "IV", "IVa", "V", "VI", "VII", "VIII", "VIIIa", "IX", "X",
                                       "Xa", "XI"]
    assert groups[0].heading == "Basic Rights"


def test_switzerland_articles(corpus_doc):
    doc = corpus_doc(FILES["ch"])
    arts = units(doc, Kind.ARTICLE)
    assert numbers(arts) == set(range(1, 198))
    assert lettered(arts) == {"29a", "119a", "191a", "191b", "191c"}
    assert len(arts) == 202
    assert [t.num for t in doc.provisions if t.kind is Kind.TITLE] == ["1", "2", "3", "4", "5", "6"]
    a7 = doc.get("art_7")
    assert (a7.heading, a7.text) == ("Human Dignity", "Human dignity shall be respected and protected.")
    assert [c.num for c in doc.get("art_2").children] == ["1", "2", "3", "4"]
    # Art. 196's transitional provisions are headed sub-provisions, not articles
    a196 = doc.get("art_196")
    assert a196.children[0].heading.startswith("Transitory Provision to Art. 84")


def test_japan_chapters_and_articles(corpus_doc):
    doc = corpus_doc(FILES["jp"])
    chapters = [p for p in doc.provisions if p.kind is Kind.CHAPTER]
    assert len(chapters) == 11 and chapters[1].heading == "Renunciation of War"
    assert [c.num for c in chapters][-1] == "XI"
    arts = units(doc, Kind.ARTICLE)
    assert [a.num for a in arts] == [str(n) for n in range(1, 104)]
    assert [a.num for a in chapters[1].children] == ["9"]
    # Japan's paragraphs are unnumbered in the text (two blank lines apart); they are numbered as cited
    a9 = doc.get("art_9")
    assert (a9.text, [(c.kind, c.num) for c in a9.children]) == ("", [(Kind.CLAUSE, "1"), (Kind.CLAUSE, "2")])
    assert doc.get("art_9__cl_1").text.startswith("Aspiring sincerely to an international peace")
    assert doc.get("art_9__cl_2").text.startswith("In order to accomplish the aim of the preceding paragraph")
    assert [c.num for c in doc.get("art_79").children] == ["1", "2", "3", "4", "5", "6"]
    # a list under a lead-in (one blank line apart) stays in its article, whose one paragraph it is
    a7 = doc.get("art_7")
    assert not a7.children and a7.text.startswith("The Emperor, with the advice and approval of the Cabinet")
    assert a7.text.endswith("Performance of ceremonial functions.") and a7.text.count("\n\n") == 10
    assert not doc.get("art_8").children  # one paragraph: no sub-provision


def test_kenya_structure(corpus_doc):
    doc = corpus_doc(FILES["ke"])
    chapters = [p for p in doc.provisions if p.kind is Kind.CHAPTER]
    assert [c.num for c in chapters] == [str(n) for n in range(1, 19)]
    arts = units(doc, Kind.ARTICLE)
    assert [a.num for a in arts] == [str(n) for n in range(1, 265)]
    schedules = [p for p in doc.provisions if p.kind is Kind.SCHEDULE]
    assert [s.num for s in schedules] == ["1", "2", "3", "4", "5", "6"]
    assert len([c for c in doc.get("sched_1").children if c.kind is Kind.ITEM]) == 47
    assert doc.get("sched_1__item_1").text == "Mombasa"
    bill = chapters[3]
    assert [p.heading for p in bill.children][:2] == ["General Provisions Relating to the Bill of Rights",
                                                     "Rights and Fundamental Freedoms"]


def test_kenya_text_and_nesting(corpus_doc):
    doc = corpus_doc(FILES["ke"])
    a26 = doc.get("art_26")
    assert a26.heading == "Right to life"
    assert [c.num for c in a26.children] == ["1", "2", "3", "4"]
    assert doc.get("art_26__cl_1").text == "Every person has the right to life."
    assert doc.get("art_26__cl_4").text.startswith("Abortion is not permitted unless")
    a43 = doc.get("art_43__cl_1")
    assert a43.text == "Every person has the right-"
    assert [(c.kind, c.num) for c in a43.children] == [(Kind.PARAGRAPH, n) for n in "abcdef"]
    assert doc.get("art_43__cl_1__para_f").text == "to education."
    assert doc.get("art_43__cl_1__para_a").text.startswith("to the highest attainable standard of health")


def test_india_structure(corpus_doc):
    doc = corpus_doc(FILES["in"])
    arts = units(doc, Kind.ARTICLE)
    omitted = {232, 238, *range(379, 392)}
    assert numbers(arts) == set(range(1, 396)) - omitted
    assert {"2A", "21A", "31A", "31B", "31C", "39A", "51A", "239AA", "239AB", "243ZT", "371J"} <= lettered(arts)
    assert len(arts) == len({a.num for a in arts})
    schedules = [p for p in doc.provisions if p.kind is Kind.SCHEDULE]
    assert [s.num for s in schedules] == [str(n) for n in range(1, 13)]
    assert all(s.children or s.text for s in schedules)
    parts = [p for p in doc.provisions if p.kind is Kind.PART]
    assert [p.num for p in parts][:6] == ["I", "II", "III", "IV", "IVA", "V"] and parts[-1].num == "XXII"
    a21 = doc.get("art_21")
    assert (a21.heading, a21.text) == ("Protection of life and personal liberty", "No person shall be deprived of "
                                       "his life or personal liberty except according to procedure established by law.")
    assert [c.num for c in doc.get("art_13").children] == ["1", "2", "3", "4"]
    assert [c.num for c in doc.get("art_13__cl_3").children] == ["a", "b"]
    assert doc.get("art_31").status.state is State.REPEALED


def test_south_africa_structure(corpus_doc):
    doc = corpus_doc(FILES["za"])
    chapters = [p for p in doc.provisions if p.kind is Kind.CHAPTER]
    assert [c.num for c in chapters] == [str(n) for n in range(1, 15)]
    secs = units(doc, Kind.SECTION)
    assert numbers(secs) == set(range(1, 244))
    assert lettered(secs) == {"230A"} and len(secs) == 244
    s11 = doc.get("sec_11")
    assert (s11.heading, s11.text) == ("Life", "Everyone has the right to life.")
    s24 = doc.get("sec_24")
    assert s24.heading == "Environment"
    assert [c.num for c in s24.children] == ["a", "b"]
    assert [c.num for c in doc.get("sec_24__subsec_b").children] == ["i", "ii", "iii"]
    assert [c.num for c in doc.get("sec_37").children] == [str(n) for n in range(1, 9)]
    schedules = [p for p in doc.provisions if p.kind is Kind.SCHEDULE]
    assert [s.num for s in schedules] == ["1", "1A", "2", "3", "4", "5", "6", "6A", "6B", "7"]


def test_canada_two_acts(corpus_doc):
    doc = corpus_doc(FILES["ca"])
    acts = list(doc.provisions)
    assert [(a.kind, a.eid, a.heading) for a in acts] == [
        (Kind.DIVISION, "dvs_1867", "Constitution Act, 1867"), (Kind.DIVISION, "dvs_1982", "Constitution Act, 1982")]
    s1867 = units(doc, Kind.SECTION, within=acts[0])
    assert numbers(s1867) == set(range(1, 148))
    repealed = {s.num for s in s1867 if s.status.state is State.REPEALED}
    assert {"2", "20", "42", "81", "89", "118", "127", "145"} <= repealed
    assert doc.get("dvs_1867__sec_2").status.note == "Repealed"
    s1982 = units(doc, Kind.SECTION, within=acts[1])
    assert numbers(s1982) == set(range(1, 62))
    assert {"16.1", "35.1", "37.1", "54.1"} <= lettered(s1982)
    parts = [p for p in acts[1].children if p.kind is Kind.PART]
    assert [p.num for p in parts] == ["I", "II", "III", "IV", "IV.I", "V", "VI", "VII"]
    schedule = [p for p in acts[1].children if p.kind is Kind.SCHEDULE]
    assert len(schedule) == 1
    assert [i.num for i in schedule[0].children if i.kind is Kind.ITEM] == [str(n) for n in range(1, 31)]
    assert [s.num for s in acts[0].children if s.kind is Kind.SCHEDULE] == ["1", "2", "3", "4", "5", "6"]


def test_canada_sections_text(corpus_doc):
    doc = corpus_doc(FILES["ca"])
    s2 = doc.get("dvs_1982__sec_2")
    assert (s2.heading, s2.text) == ("Fundamental freedoms", "Everyone has the following fundamental freedoms:")
    assert [c.num for c in s2.children] == ["a", "b", "c", "d"]
    s29 = doc.get("dvs_1867__sec_29")
    assert [(c.num, c.heading) for c in s29.children] == [
        ("1", "Tenure of Place in Senate"), ("2", "Retirement upon attaining age of seventy-five years")]
    assert doc.get("dvs_1867__sec_1").text == "This Act may be cited as the Constitution Act, 1867."
    s6 = doc.get("dvs_1982__sec_6")
    assert s6.children[0].heading == "Mobility of citizens"


@pytest.mark.parametrize(("data", "reason"), [
    (b"Ireland 1937 (rev. 2012)\n", "no provisions"),
    (b"Not a title line\n\nPreamble\nShare\n\nText.\n", "not a Constitute title"),
])
def test_bad_input_is_a_read_error(data, reason):
    from convene.errors import ReadError

    with pytest.raises(ReadError, match=reason):
        read_source(Source("x.txt", data), format=NAME)


@pytest.mark.parametrize(("data", "expected"), [
    (b"Ireland 1937 (rev. 2012)\n\nPreamble\nShare\n\nText.\n\nARTICLE 1\nShare\n\nWords.\n", True),
    (b"Ireland 1937 (rev. 2012)\n\nPreamble\n\nText.\n", False),
    (b"Some title\n\nPreamble\nShare\n\nText.\nShare\n", False),
    (b"<xml/>", False),
])
def test_sniff(data, expected):
    assert constitute.sniff(Source("x", data)) is expected


# ------------------------------------------------------------------ lists inside lists (fidelity audit)


@pytest.mark.parametrize(("path", "eid", "children"), [
    # Kenya Art. 232(1)(i) "... of-" is followed by its roman list "i." "ii." "iii.", not by a second letter i
    (FILES["ke"], "art_232__cl_1__para_i", ["i", "ii", "iii"]),
    # Canada 1867 s. 51(1), a headed subsection, holds Rules 1 to 6 ("1.There shall be ...")
    (FILES["ca"], "dvs_1867__sec_51", ["1", "1.1", "2"]),
    (FILES["ca"], "dvs_1867__sec_51__subsec_1", ["1", "2", "3", "4", "5", "6"]),
    # Switzerland Art. 197 no. 1 (accession to the UN) holds its two paragraphs
    (FILES["ch"], "art_197", ["1"]),
    (FILES["ch"], "art_197__cl_1", ["1", "2"]),
    # Art. 196 no. 14 (VAT), para. 1: lit. a "The following shall be taxable:" holds 1. and 2., lit. b follows
    (FILES["ch"], "art_196__cl_14__para_1", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "k", "l", "m", "n"]),
    (FILES["ch"], "art_196__cl_14__para_1__subpara_a", ["1", "2"]),
    # Swiss lists skip the letter j: Art. 173(1) runs a to k
    (FILES["ch"], "art_173__cl_1", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "k"]),
])
def test_nested_lists_in_the_corpus(corpus_doc, path, eid, children):
    assert [c.num for c in corpus_doc(path).get(eid).children] == children


def test_switzerland_final_provisions_heading_is_not_article_197_text(corpus_doc):
    doc = corpus_doc(FILES["ch"])
    assert "Final provisions" not in doc.get("art_197").full_text()
    heads = [loc for loc in doc.walk() if loc.provision.heading.startswith("Final provisions of the Federal Decree")]
    assert len(heads) == 1 and heads[0].provision.kind is Kind.DIVISION
    assert [c.num for c in heads[0].provision.children] == ["II", "III", "IV"]


_A_TO_H = "".join(f"{letter}.part {letter};\n\n" for letter in "abcdefgh")
_LETTER_I = ("Article 1. Kites\nShare\n\n1. Kites have-\n\n" + _A_TO_H
             + "i.flyers, of-\n\ni.paper;\n\nii.cloth.\n\n2. Kites fly.\n")
_LIST_IN_LIST = ("Article 1. Kites\nShare\n\n1. Rules apply.\n\na.These are kept:\n\n1.Tails;\n\n2.Strings.\n\n"
                 "b.Those not.\n")


def _synthetic(body: str) -> Document:
    return read_source(Source("x.txt", ("Kenya 2010\n\nPreamble\nShare\n\nWe the people.\n\n" + body).encode()),
                       format=NAME)


@pytest.mark.parametrize(("body", "eid", "children"), [
    # a letter "i." that ends "of-", then "i." "ii.": the roman list of the letter
    (_LETTER_I, "art_1__cl_1__para_i", ["i", "ii"]),
    (_LETTER_I, "art_1", ["1", "2"]),
    # words that introduce a list ("...:"), then a repeated "1.": the list's first item
    (_LIST_IN_LIST, "art_1__cl_1", ["a", "b"]),
    (_LIST_IN_LIST, "art_1__cl_1__para_a", ["1", "2"]),
    # no introducing words: a repeated number stays a sibling (a typographic slip)
    ("Article 1. Kites\nShare\n\n1. Kites fly.\n\n1. Owls fly.\n", "art_1", ["1", "1"]),
    # a list skipping j: k is i's sibling
    ("Article 1. Kites\nShare\n\n1. It shall:\n\n" + _A_TO_H + "i.land;\n\nk.rest.\n", "art_1__cl_1", [*"abcdefghik"]),
])
def test_synthetic_nested_lists(body, eid, children):
    assert [c.num for c in _synthetic(body).get(eid).children] == children


def test_synthetic_marked_heading_before_roman_block_is_a_heading():
    doc = _synthetic("Article 1. Kites\nShare\n\n1. Kites fly.\n\nClosing words of the decree\nShare\n\n"
                     "II. 1. The old kites are grounded.\n\n2. New ones may fly.\n\nIII. The rest waits.\n")
    assert doc.get("art_1").full_text() == "1\nKites fly."
    group = next(loc.provision for loc in doc.walk() if loc.provision.heading == "Closing words of the decree")
    assert group.kind is Kind.DIVISION and [c.num for c in group.children] == ["II", "III"]


@pytest.mark.parametrize(("path", "eid", "note"), [
    (FILES["de"], "art_49", "(repealed)"),
    (FILES["de"], "art_91a__cl_4", "(repealed)"),
    (FILES["in"], "art_31", "Rep. by the Constitution (Forty-fourth Amendment) Act, 1978,"),
    (FILES["za"], "sec_62__subsec_3__para_b", "[repealed]"),
    (FILES["ca"], "dvs_1867__sec_91__subsec_1", "Repealed."),
])
def test_repealed_stubs_are_status_not_text(corpus_doc, path, eid, note):
    provision = corpus_doc(path).get(eid)
    assert provision.status.state is State.REPEALED and provision.status.note.startswith(note)
    assert provision.text == ""  # the editor's "(repealed)" is not the constitution's words


@pytest.mark.parametrize("path", FILES.values())
def test_no_repealed_provision_repeats_its_note_as_text(corpus_doc, path):
    assert [loc.provision.eid for loc in corpus_doc(path).walk()
            if not loc.provision.status.in_force and loc.provision.text == loc.provision.status.note] == []


def test_synthetic_repealed_stub():
    doc = _synthetic("Article 1. Kites\nShare\n\n1. Kites fly.\n\n2. (repealed)\n\n"
                     "Article 2. Owls\nShare\n\n(repealed)\n")
    assert [(p.text, p.status.state, p.status.note) for p in (doc.get("art_1__cl_2"), doc.get("art_2"))] == [
        ("", State.REPEALED, "(repealed)")] * 2


@pytest.mark.parametrize(("eid", "words", "children"), [
    # "... under clause (2) or clause" / "3. shall not be inconsistent ..." was split into a second clause 3
    ("art_227", "tables settled under clause (2) or clause (3) shall not be inconsistent", ["1", "2", "3", "4"]),
    # "... as is referred to in clause" / "k.in relation to ..." was taken for a sub-clause k of (l)
    ("art_371F__cl_l", "referred to in clause (k) in relation to the administration", []),
])
def test_india_cross_references_cut_by_the_scrape_are_joined(corpus_doc, eid, words, children):
    provision = corpus_doc(FILES["in"]).get(eid)
    assert words in provision.full_text()
    assert [c.num for c in provision.children] == children


@pytest.mark.parametrize(("body", "clause_text", "clauses"), [
    ("1. Kites fly.\n\n2. Owls rest, save as said in clause\n\n1. of this article.\n\n3. Bats wake.\n",
     "Owls rest, save as said in clause (1) of this article.", ["1", "2", "3"]),
    # the next number in sequence is a clause even after a referring word
    ("1. Kites fly as in clause\n\n2. owls rest.\n", "Kites fly as in clause", ["1", "2"]),
    # no referring word before it: a list item, not a cited number
    ("1. Kites fly.\n\n2. Owls rest here\n\n1. bats wake.\n", "Owls rest here", ["1", "2"]),
])
def test_synthetic_cross_reference_rejoined(body, clause_text, clauses):
    article = _synthetic("Article 1. Kites\nShare\n\n" + body).get("art_1")
    assert [c.num for c in article.children] == clauses
    assert clause_text in (article.children[0].text, article.children[1].text)


def _japanese(body: str) -> Document:
    return read_source(Source("x.txt", ("Japan 1946\n\n" + body).encode()), format=NAME)


def test_synthetic_unnumbered_paragraphs_are_numbered_where_the_text_spaces_them():
    doc = _japanese("Chapter I. Kites\nShare\n\nArticle 1\nShare\n\nKites fly.\n\n\nOwls fly\nat night.\n\n\n"
                    "Article 2\nShare\n\nThe Warden shall:\n\nMend kites.\n\nFeed owls.\n\n\n"
                    "Article 3\nShare\n\nAll is calm.\n\n\nThe Warden may:\n\nRest.\n\nSleep.\n")
    a1 = doc.get("art_1")
    assert a1.text == "" and [(c.eid, c.kind, c.text) for c in a1.children] == [
        ("art_1__cl_1", Kind.CLAUSE, "Kites fly."), ("art_1__cl_2", Kind.CLAUSE, "Owls fly at night.")]
    # a list one blank line apart is the paragraph it follows
    assert not doc.get("art_2").children
    assert doc.get("art_2").text == "The Warden shall:\n\nMend kites.\n\nFeed owls."
    assert [c.text for c in doc.get("art_3").children] == ["All is calm.", "The Warden may:\n\nRest.\n\nSleep."]


def test_countries_that_number_their_paragraphs_are_not_split_by_spacing():
    doc = _synthetic("Article 1. Kites\nShare\n\nKites fly.\n\n\nOwls fly.\n")
    assert not doc.get("art_1").children and doc.get("art_1").text == "Kites fly.\n\nOwls fly."
