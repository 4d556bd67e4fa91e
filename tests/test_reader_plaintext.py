"""The plain-text fallback reader: synthetic texts with several numbering
schemes, Markdown headings, unstructured text, bad input, and a Constitute file
forced through it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constitutions.model import Kind
from constitutions.readers import Source, plaintext, read_source
from convene.errors import ReadError


def read(text: str, name: str = "upload.txt"):
    return read_source(Source(name, text.encode("utf-8")), format=plaintext.NAME)


def shape(provision) -> tuple:
    """(kind, num, [children shapes]) for compact structural comparisons."""
    return (provision.kind.value, provision.num, [shape(c) for c in provision.children])


ARTICLES_PAREN = """Constitution of Utopia 2031

Preamble

We the islanders agree.

CHAPTER 1. FOUNDATIONS

Article 1. The Republic

(1) Utopia is a republic.
(2) Power comes from:
(a) the voters; and
(b) the assemblies.

Article 2. Languages

The languages are two.

CHAPTER 2. RIGHTS

Article 3

(1) Each person may speak,
(i) loudly; or
(ii) softly.
(2) Nobody may shout at night.
"""

SECTIONS_DOT = """Charter of Glenmoor

PART I. THE COUNCIL

Section 1. Council

1. The council has nine members.

2. Members serve for:

a.four years; or

b.until replaced.

Section 2. Meetings

The council meets monthly.

PART II. FINANCE

Section 3. Budget

The council adopts a budget.
"""

MARKDOWN = """# Constitution of Kenya

## Chapter 1 Sovereignty

### Article 1. Sovereignty of the people

1. All power belongs to the people.
2. The people exercise it directly.

### Article 2. Supremacy

This text binds everyone.
"""

DEGREES = """Bunreacht Example

ARTICLE 40

1. Equality before the law.

2. 1° Titles are not conferred.

2° Titles are not accepted.

3. 1° The State guarantees:

i. the first right;

ii. the second right.

2° The State protects.
"""


@pytest.mark.parametrize(("text", "expected_id", "expected"), [
    (ARTICLES_PAREN, "utopia", [
        ("preamble", "", []),
        ("chapter", "1", [
            ("article", "1", [("clause", "(1)", []), ("clause", "(2)", [("paragraph", "(a)", []),
                                                                       ("paragraph", "(b)", [])])]),
            ("article", "2", [])]),
        ("chapter", "2", [
            ("article", "3", [("clause", "(1)", [("paragraph", "(i)", []), ("paragraph", "(ii)", [])]),
                              ("clause", "(2)", [])])]),
    ]),
    (SECTIONS_DOT, "glenmoor", [
        ("part", "I", [
            ("section", "1", [("subsection", "1", []), ("subsection", "2", [("paragraph", "a", []),
                                                                            ("paragraph", "b", [])])]),
            ("section", "2", [])]),
        ("part", "II", [("section", "3", [])]),
    ]),
    (MARKDOWN, "ke", [
        ("chapter", "1", [
            ("article", "1", [("clause", "1", []), ("clause", "2", [])]),
            ("article", "2", [])]),
    ]),
    (DEGREES, "bunreacht-example", [
        ("article", "40", [
            ("clause", "1", []),
            ("clause", "2", [("paragraph", "1°", []), ("paragraph", "2°", [])]),
            ("clause", "3", [("paragraph", "1°", [("subparagraph", "i", []), ("subparagraph", "ii", [])]),
                             ("paragraph", "2°", [])]),
        ]),
    ]),
])
def test_structure_of_synthetic_texts(text, expected_id, expected):
    doc = read(text)
    assert doc.id == expected_id
    assert doc.format == "plain-text"
    assert [shape(p) for p in doc.provisions] == expected


def test_texts_eids_and_headings():
    doc = read(ARTICLES_PAREN)
    assert doc.title == "Constitution of Utopia 2031" and doc.year == 2031
    assert doc.get("art_1").heading == "The Republic"
    assert doc.get("art_1__cl_2").text == "Power comes from:"
    assert doc.get("art_1__cl_2__para_b").text == "the assemblies."
    assert doc.get("art_3__cl_1__para_ii").text == "softly."
    assert doc.get("art_3__cl_2").text == "Nobody may shout at night."
    assert doc.get("preamble").text == "We the islanders agree."
    sections = read(SECTIONS_DOT)
    assert sections.get("sec_1__subsec_2__para_a").text == "four years; or"


def test_hard_wrapped_lines_are_rejoined():
    doc = read("Charter of Wrapton\n\nArticle 1\n\n(1) The first line\ncontinues here.\n(2) Second.\n")
    assert doc.get("art_1__cl_1").text == "The first line continues here."
    assert doc.get("art_1__cl_2").text == "Second."


def test_unstructured_text_becomes_numbered_paragraphs():
    doc = read("A short note about nothing.\nStill the same paragraph.\n\nAnother thought here.\n\nA third.")
    assert [(p.kind, p.num, p.text) for p in doc.provisions] == [
        (Kind.PARAGRAPH, "1", "A short note about nothing. Still the same paragraph."),
        (Kind.PARAGRAPH, "2", "Another thought here."),
        (Kind.PARAGRAPH, "3", "A third."),
    ]
    assert doc.meta["structured"] == "no"
    assert [p.eid for p in doc.provisions] == ["para_1", "para_2", "para_3"]


def test_unstructured_paragraphs_keep_their_words():
    doc = read("Title Line\n\nFirst words here.\n\nSecond words here.")
    assert [p.text for p in doc.provisions] == ["First words here.", "Second words here."]


@pytest.mark.parametrize("data", [b"", b"   \n\t\n  ", "\u00a0\n".encode()])
def test_empty_or_whitespace_is_a_read_error(data):
    with pytest.raises(ReadError):
        read_source(Source("blank.txt", data), format=plaintext.NAME)


def test_title_only_is_a_read_error():
    with pytest.raises(ReadError):
        read("Constitution of Nowhere\n")


@pytest.mark.parametrize(("data", "expected"), [
    (b"Some text", True), (b"<?xml version='1.0'?><a/>", False), (b'{"a": 1}', False), (b"  \n", False),
])
def test_sniff(data, expected):
    assert plaintext.sniff(Source("x", data)) is expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Constitution of Kenya", "ke"), ("The Constitution of the Republic of South Africa, 1996", "za"),
    ("Japan 1946", "jp"), ("Basic Law of Freedonia", "freedonia"), ("Draft charter text", "draft-charter-text"),
])
def test_identify(title, expected):
    assert plaintext.identify(title) == expected


@pytest.mark.corpus
def test_constitute_file_through_the_plain_text_reader(corpus_dir):
    path = corpus_dir / "kenya" / "Kenya_2010.txt"
    doc = read_source(Source(str(path), path.read_bytes()), format=plaintext.NAME)
    assert doc.format == "plain-text" and doc.id == "ke"
    arts = [loc.provision for loc in doc.walk()
            if loc.provision.kind is Kind.ARTICLE and not any(a.kind is Kind.SCHEDULE for a in loc.ancestors)]
    assert [a.num for a in arts] == [str(n) for n in range(1, 265)]
    assert doc.get("art_26").heading == "Right to life"
    assert [c.num for c in doc.get("art_43__cl_1").children] == list("abcdef")


_PIECES = ["Article 1", "ARTICLE 2A", "Section 3.", "CHAPTER IV. X", "PART B", "(a)", "(i)", "(1)", "1.", "1°",
           "2°. i.", "a.to", "Share", "Preamble", "# Title", "## Part 2", "SCHEDULES", "FIRST SCHEDULE", "29.",
           "2. Repealed", "I. Basic", "A. Group", "Item 3", "CONSTITUTION ACT 1867", "words here", "", "\n\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.text(max_size=60))
def test_keyword_fuzz_never_raises_anything_but_read_error(pieces, noise):
    text = "\n".join([*pieces, noise])
    try:
        doc = plaintext.read(Source("fuzz.txt", text.encode("utf-8", "surrogatepass")))
    except ReadError:
        return
    eids = [loc.provision.eid for loc in doc.walk()]
    assert len(eids) == len(set(eids))
