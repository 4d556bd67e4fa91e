"""The two California readers: the official leginfo text and the 2011 Markdown.

Unit tests use short invented texts; corpus tests read the real files once per session."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constitutions.model import Kind, Provision, State
from constitutions.readers import Source, california_md, california_text, read_source
from constitutions.readers.california_text import nest_subdivisions, paragraphs_of, split_markers
from convene.errors import ReadError

OFFICIAL = "us-ca/CA Code - California Constitution.txt"
MARKDOWN = "us-ca/nolta-california-constitution/README.md"


def shape(children: tuple[Provision, ...]) -> list:
    """A provision forest as nested (num, text, [children]) tuples, for compact expectations."""
    return [(c.num, c.text, shape(c.children)) if c.children else (c.num, c.text) for c in children]


# ------------------------------------------------------------------ subdivisions

NESTING = [
    pytest.param(["Intro only."], ["Intro only."], [], id="no markers"),
    pytest.param(["(a) One.", "(b) Two."], [], [("(a)", "One."), ("(b)", "Two.")], id="flat letters"),
    pytest.param(["(a) One.", "(b) (1) Two.", "(2) Three.", "(c) Four."], [],
                 [("(a)", "One."), ("(b)", "", [("(1)", "Two."), ("(2)", "Three.")]), ("(c)", "Four.")],
                 id="two levels open on one line"),
    pytest.param(["Lead in.", "(1) A.", "(2) B."], ["Lead in."], [("(1)", "A."), ("(2)", "B.")],
                 id="intro stays on the section"),
    pytest.param(["(a) A.", "More of a.", "(b) B."], [], [("(a)", "A.\n\nMore of a."), ("(b)", "B.")],
                 id="unnumbered paragraph joins the numbered one before it"),
    pytest.param(["(h) H.", "(i) I as a letter.", "(j) J."], [],
                 [("(h)", "H."), ("(i)", "I as a letter."), ("(j)", "J.")], id="(i) after (h) is a letter"),
    pytest.param(["(a) A.", "(1) P.", "(A) S.", "(i) C1.", "(ii) C2.", "(B) S2."], [],
                 [("(a)", "A.", [("(1)", "P.", [("(A)", "S.", [("(i)", "C1."), ("(ii)", "C2.")]),
                                                ("(B)", "S2.")])])],
                 id="(i) under (A) is a roman clause"),
    pytest.param(["(h) H.", "(1) P.", "(A) S.", "(i) Roman.", "(ii) Roman 2."], [],
                 [("(h)", "H.", [("(1)", "P.", [("(A)", "S.", [("(i)", "Roman."), ("(ii)", "Roman 2.")])])])],
                 id="(i) after (h) but followed by (ii) is roman"),
    pytest.param(["(h) H.", "(1) P.", "(A) S.", "(i) Letter.", "(j) J."], [],
                 [("(h)", "H.", [("(1)", "P.", [("(A)", "S.")])]), ("(i)", "Letter."), ("(j)", "J.")],
                 id="(i) followed by (j) is a letter even under (A)"),
    pytest.param(["(h) H.", "(i) (1) Deeper.", "(2) Two."], [],
                 [("(h)", "H."), ("(i)", "", [("(1)", "Deeper."), ("(2)", "Two.")])],
                 id="(i) (1) on one line: (i) is a letter"),
    pytest.param(["(a) (1) X.", "(2) Y.", "(b) (1) Restart."], [],
                 [("(a)", "", [("(1)", "X."), ("(2)", "Y.")]), ("(b)", "", [("(1)", "Restart.")])],
                 id="numbering restarts under the next subdivision"),
    pytest.param(["(a) A.", "(c) C."], [], [("(a)", "A."), ("(c)", "C.")], id="gap continues"),
    pytest.param(["(e) E.", "(f) F1.", "(f) F2."], [], [("(e)", "E."), ("(f)", "F1."), ("(f)", "F2.")],
                 id="a repeated number stays a sibling"),
    pytest.param(["(i) One.", "(ii) Two."], [], [("(i)", "One."), ("(ii)", "Two.")], id="roman at top"),
    pytest.param(["(B) (i) X.", "(ii) Y.", "(I) Sub.", "(II) Sub2."], [],
                 [("(B)", "", [("(i)", "X."), ("(ii)", "Y.", [("(I)", "Sub."), ("(II)", "Sub2.")])])],
                 id="subclauses under a clause"),
]


@pytest.mark.parametrize(("paragraphs", "intro", "expected"), NESTING)
def test_nest_subdivisions(paragraphs, intro, expected):
    got_intro, children = nest_subdivisions(paragraphs)
    assert got_intro == intro
    assert shape(children) == expected


@pytest.mark.parametrize(("marker", "kind"), [("(a)", Kind.SUBSECTION), ("(1)", Kind.PARAGRAPH),
                                              ("(A)", Kind.SUBPARAGRAPH)])
def test_kind_follows_marker_style(marker, kind):
    _, children = nest_subdivisions([f"{marker} Text."])
    assert children[0].kind is kind


def test_roman_levels_are_clause_and_item():
    _, children = nest_subdivisions(["(A) (i) (I) Deep."])
    clause = children[0].children[0]
    assert (clause.kind, clause.children[0].kind) == (Kind.CLAUSE, Kind.ITEM)


@pytest.mark.parametrize(("paragraph", "tokens", "rest"), [
    ("(b) (1) The people.", ["b", "1"], "The people."),
    ("(commencing with Section 6) text", [], "(commencing with Section 6) text"),
    ("(1991) a year", [], "(1991) a year"),
    ("(a)", ["a"], ""),
])
def test_split_markers(paragraph, tokens, rest):
    assert split_markers(paragraph) == (tokens, rest)


def test_paragraphs_of_joins_wrapped_lines():
    lines = ["First line of a", "wrapped sentence.", "", "", "(a) Second", "  (commencing here) part."]
    assert paragraphs_of(lines) == ["First line of a wrapped sentence.", "(a) Second (commencing here) part."]


@pytest.mark.parametrize(("lines", "expected"), [
    (["the Consti-", "tution of the land"], "the Constitution of the land"),
    (["political or other-", "wise, that"], "political or otherwise, that"),
    (["a self-", "executing clause"], "a self-executing clause"),  # a compound keeps its hyphen
    (["single- or", "multiple-family"], "single- or multiple-family"),  # a hyphen mid-line is left alone
    (["ends with a dash -", "then more"], "ends with a dash - then more"),
    (["Part A-", "Rules"], "Part A- Rules"),  # the next line starts in upper case: not a broken word
])
def test_paragraphs_of_joins_words_hyphenated_at_line_ends(lines, expected):
    assert paragraphs_of(lines) == [expected]


# ------------------------------------------------------------------ synthetic files

BANNER = """======================================================================
  California Constitution
  State of California
======================================================================

Source: Official California Legislative Information
Last Updated by State of California: March 3, 2024


======================================================================

"""

SYNTHETIC = BANNER + """ARTICLE I SAMPLE RIGHTS [SECTION 1. - SEC. 2.]

SECTION 1.

A person may hum in
public places.

(History: Sec. 1 added by nobody.)
-------------------------------------------

SEC. 6½.

(a) (1) First paragraph
of the first subdivision.

(2) Second.

Trailing words of (2).

(b) Last.

(History: Sec. 6½ added
by Prop. Z.)
-------------------------------------------

======================================================================

ARTICLE XIII A [SAMPLE LIMITATION] [SECTION 1. - SEC. 1.]

Sec. 1.

Repealed.

(History: Sec. 1 repealed.)
-------------------------------------------
"""


def read_text(text: str, name: str = "sample.txt"):
    return read_source(Source(name, text.encode("utf-8")))


def test_synthetic_official_text():
    doc = read_text(SYNTHETIC)
    assert (doc.id, doc.jurisdiction, doc.format, doc.version, doc.year) == (
        "us-ca", "us-ca", "california-leginfo", "2024-03-03", 1879)
    assert [(a.eid, a.num, a.heading) for a in doc.provisions] == [
        ("art_1", "I", "SAMPLE RIGHTS"), ("art_13A", "XIII A", "SAMPLE LIMITATION")]
    sec1 = doc.get("art_1__sec_1")
    assert sec1.text == "A person may hum in public places."
    assert sec1.meta["history"] == "(History: Sec. 1 added by nobody.)"
    half = doc.get("art_1__sec_6half")
    assert half.num == "6½"
    assert half.meta["history"] == "(History: Sec. 6½ added by Prop. Z.)"
    assert doc.get("art_1__sec_6half__subsec_a__para_1").text == "First paragraph of the first subdivision."
    assert doc.get("art_1__sec_6half__subsec_a__para_2").text == "Second.\n\nTrailing words of (2)."
    assert doc.get("art_1__sec_6half__subsec_b").text == "Last."
    repealed = doc.get("art_13A__sec_1")
    assert repealed.status.state is State.REPEALED


@pytest.mark.parametrize("text", [
    BANNER + "ARTICLE I X [SECTION 1. - SEC. 1.]\n\nstray words\n(History: none)\n",
    BANNER + "no articles here (History: none)\n",
])
def test_malformed_official_text_is_a_read_error(text):
    with pytest.raises(ReadError):
        read_source(Source("bad.txt", text.encode()), format=california_text.NAME)


MD = """# Constitution of the State of California

We, the People, wrote
this sample.

## Article 1 (SAMPLE RIGHTS)

### Section 1

Plain
words.

## Article 13A (SAMPLE LIMITS)

### Section 3.5

(a) One
line.

(b) Two.
"""


def test_synthetic_markdown():
    doc = read_source(Source("README.md", MD.encode()))
    assert (doc.format, doc.version) == ("california-md", "2011-07-24")
    assert [(p.eid, p.num, p.heading) for p in doc.provisions] == [
        ("preamble", "", ""), ("art_1", "I", "SAMPLE RIGHTS"), ("art_13A", "XIII A", "SAMPLE LIMITS")]
    assert doc.get("preamble").text == "We, the People, wrote this sample."
    assert doc.get("art_1__sec_1").text == "Plain words."
    assert doc.get("art_13A__sec_3.5__subsec_a").text == "One line."


def test_markdown_without_articles_is_a_read_error():
    with pytest.raises(ReadError):
        read_source(Source("x.md", b"# Constitution of the State of California\n\nOnly words.\n"),
                    format=california_md.NAME)


@pytest.mark.parametrize(("number", "letter", "expected"), [("1", None, "I"), ("13", "A", "XIII A"),
                                                            ("19", "D", "XIX D"), ("35", None, "XXXV")])
def test_article_num(number, letter, expected):
    assert california_md.article_num(number, letter) == expected


# ------------------------------------------------------------------ corpus: official text

OFFICIAL_ARTICLES = ["I", "II", "III", "IV", "V", "VI", "VII", "IX", "X", "X A", "X B", "XI", "XII", "XIII",
                     "XIII A", "XIII B", "XIII C", "XIII D", "XIV", "XV", "XVI", "XVIII", "XIX", "XIX A",
                     "XIX B", "XIX C", "XIX D", "XX", "XXI", "XXII", "XXXIV", "XXXV"]


@pytest.fixture(scope="module")
def official(corpus_doc):
    return corpus_doc(OFFICIAL)


@pytest.fixture(scope="module")
def markdown(corpus_doc):
    return corpus_doc(MARKDOWN)


def test_official_metadata(official):
    assert (official.id, official.jurisdiction, official.format) == ("us-ca", "us-ca", "california-leginfo")
    assert (official.title, official.year, official.version) == (
        "Constitution of the State of California", 1879, "2025-12-17")


def test_official_structure(official):
    assert [a.num for a in official.provisions] == OFFICIAL_ARTICLES
    assert all(a.kind is Kind.ARTICLE for a in official.provisions)
    assert official.count(Kind.SECTION) == 372
    assert official.get("art_1").heading == "DECLARATION OF RIGHTS"
    assert official.get("art_13A").heading == "TAX LIMITATION"


def test_official_section_numbers(official):
    art1 = [s.num for s in official.get("art_1").children]
    assert art1[:4] == ["1", "1.1", "2", "3"]
    assert art1[-1] == "32" and len(art1) == 35
    assert [s.num for s in official.get("art_13A").children] == ["1", "2", "2.1", "2.2", "2.3", "3", "4", "5",
                                                                 "6", "7"]
    assert official.get("art_9__sec_6half").num == "6½"


def test_official_nesting(official):
    sec3 = official.get("art_1__sec_3")
    assert [c.num for c in sec3.children] == ["(a)", "(b)"]
    sub_b = official.get("art_1__sec_3__subsec_b")
    assert [c.num for c in sub_b.children] == [f"({n})" for n in range(1, 8)]
    assert all(c.kind is Kind.PARAGRAPH for c in sub_b.children)
    assert sub_b.text == ""
    # (i) after (h) is subdivision (i), holding paragraphs and, deeper, roman clauses
    clause = official.get("art_13A__sec_2__subsec_i__para_1__subpara_A__cl_ii")
    assert clause.kind is Kind.CLAUSE
    items = official.get("art_16__sec_20__subsec_c__para_1__subpara_B__cl_ii").children
    assert [i.num for i in items] == ["(I)", "(II)", "(III)", "(IV)"]
    # two subdivisions (f), enacted by two propositions, both kept
    assert [c.num for c in official.get("art_4__sec_19").children][-2:] == ["(f)", "(f)"]


def test_official_text_fidelity(official):
    sec13 = official.get("art_1__sec_13")
    assert sec13.text.startswith("The right of the people to be secure")
    assert sec13.text.endswith("the persons and things to be seized.")
    assert official.get("art_1__sec_1").text.startswith("All people are by nature free and independent")
    assert official.get("art_13D__sec_4").heading == "Procedures and Requirements for All Assessments"


def test_official_history_is_metadata_not_text(official):
    sections = [loc.provision for loc in official.walk() if loc.provision.kind is Kind.SECTION]
    assert all(s.meta.get("history", "").startswith("(History:") for s in sections)
    assert not [loc.provision.eid for loc in official.walk() if "(History" in loc.provision.text]


@pytest.mark.parametrize("name", [OFFICIAL, MARKDOWN])
def test_no_line_wrap_artefacts(corpus_doc, name):
    doc = corpus_doc(name)
    bad = [loc.provision.eid for loc in doc.walk()
           if any("\n" in para or para != para.strip() for para in loc.provision.text.split("\n\n"))]
    assert bad == []
    broken = [loc.provision.eid for loc in doc.walk() if re.search(r"[a-z]- (?!or |and |to )[a-z]", loc.provision.text)]
    assert broken == []  # "Consti- tution": a word hyphenated at a line end, joined with a space


# ------------------------------------------------------------------ corpus: 2011 Markdown


def test_markdown_structure(markdown):
    assert (markdown.id, markdown.format, markdown.version) == ("us-ca", "california-md", "2011-07-24")
    articles = [p for p in markdown.provisions if p.kind is Kind.ARTICLE]
    assert len(articles) == 31
    assert markdown.count(Kind.SECTION) == 357
    assert markdown.provisions[0].kind is Kind.PREAMBLE
    assert markdown.provisions[0].text.startswith("We, the People of the State of California")
    assert markdown.get("art_13A").num == "XIII A"
    assert markdown.get("art_13A").heading == "TAX LIMITATION"
    assert markdown.get("art_13__sec_3.5").num == "3.5"
    assert [c.num for c in markdown.get("art_1__sec_3__subsec_b").children][:2] == ["(1)", "(2)"]


def test_markdown_articles_match_official_numbers(markdown, official):
    md = {p.num for p in markdown.provisions if p.kind is Kind.ARTICLE}
    assert md == set(OFFICIAL_ARTICLES) - {"XIX D"}


# ------------------------------------------------------------------ keyword fuzzer

_PIECES = ["ARTICLE I X [SECTION 1. - SEC. 2.]", "ARTICLE XIII A [T] [SEC. 1. - SEC. 1.]", "SEC. 1.", "SEC. 6½.",
           "Section 25.", "(a)", "(b) (1)", "(i)", "(ii)", "(I)", "(A) (i)", "(h)", "(f)", "words", "more words.",
           "(History: x.)", "-" * 43, "=" * 70, "", "## Article 13A (T)", "## Article 0", "### Section 3.5",
           "# Constitution of the State of California", "(commencing with Section 1)"]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from([california_text.NAME, california_md.NAME]))
def test_readers_raise_only_read_errors(pieces, reader):
    text = BANNER + "\n".join(pieces) if reader == california_text.NAME else "\n".join(pieces)
    try:
        doc = read_source(Source("fuzz.txt", (text or "x").encode()), format=reader)
    except ReadError:
        return
    eids = [loc.provision.eid for loc in doc.walk()]
    assert len(eids) == len(set(eids))
