"""Citing unnumbered provisions by their headings: the readable form, canonical citations on a synthetic
document (unique headings quoted, repeated ones falling back to eIds), resolution of heading citations
(quotes, case, whitespace, accents), errors, and Ireland's groupings in the real corpus."""

from __future__ import annotations

import pytest

from constitutions.canonical import canonical_citations
from constitutions.headings import readable_heading
from constitutions.model import Kind
from constitutions.resolve import resolve
from convene.errors import CitationError
from tests.test_citations import P, doc

K = Kind


# ------------------------------------------------------------------ the readable form

READABLE = [
    ("THE PRESIDENT", "The President"),
    ("FUNDAMENTAL RIGHTS", "Fundamental Rights"),
    ("THE COURTS", "The Courts"),
    ("DÁIL ÉIREANN", "Dáil Éireann"),  # accented capitals keep their accents
    ("RIGHTS OF THE CITIZEN AND THE STATE", "Rights of the Citizen and the State"),
    ("THE RIGHT TO VOTE FOR A REPRESENTATIVE BY BALLOT WITH AN ENVELOPE ON PAPER IN PERSON",
     "The Right to Vote for a Representative by Ballot with an Envelope on Paper in Person"),
    ("OF ELECTIONS", "Of Elections"),  # a small word first is capitalised
    ("THE PRESIDENT:", "The President"),  # trailing punctuation dropped
    ("Money Bills.", "Money Bills"),
    ("  THE   NATIONAL\tASSEMBLY  ", "The National Assembly"),  # whitespace collapsed
    ("Right to Equality", "Right to Equality"),  # mixed case kept as printed
    ("Powers Of The Council", "Powers Of The Council"),  # mixed case kept, even where title case would differ
    ("I. The States", "I. The States"),
    ("VICE-PRESIDENT AND DEPUTY", "Vice-President and Deputy"),  # each part of a hyphenated word
    ("THE PEOPLE'S ASSEMBLY", "The People's Assembly"),  # an apostrophe starts no word
    ("PART II GENERAL", "Part II General"),  # roman numerals stay in capitals
    ("LIST I — THE UNION", "List I — The Union"),  # a small word after a dash starts a phrase
    ("", ""),
    ("...", ""),
]


@pytest.mark.parametrize(("printed", "expected"), READABLE, ids=[r[0] or "empty" for r in READABLE])
def test_readable_heading(printed, expected):
    assert readable_heading(printed) == expected


# ------------------------------------------------------------------ a synthetic document

COUNTRY = doc("ie",
              P(K.PREAMBLE),
              P(K.DIVISION, "", P(K.ARTICLE, "1"), heading="THE NATION"),
              P(K.DIVISION, "", P(K.ARTICLE, "2"), heading="DÁIL ÉIREANN:"),
              P(K.DIVISION, "", P(K.ARTICLE, "3"), heading="Money Bills."),
              P(K.DIVISION, "", P(K.ARTICLE, "4"), heading="Eire"),  # differs from the next only by an accent
              P(K.DIVISION, "", P(K.ARTICLE, "5"), heading="Éire"),
              P(K.PART, "1", P(K.DIVISION, "", P(K.ARTICLE, "6"), heading="GENERAL")),
              P(K.PART, "2", P(K.DIVISION, "", P(K.ARTICLE, "7"), heading="General")),  # the same heading again
              P(K.DIVISION, "", P(K.ARTICLE, "8")),  # no heading at all
              P(K.DIVISION, "", P(K.ARTICLE, "9"), heading="Article 1"),  # reads like a numbered citation
              P(K.DIVISION, "", P(K.ARTICLE, "10"), heading="Preamble"),
              P(K.DIVISION, "", P(K.ARTICLE, "11"), heading="x" * 301),  # too long to cite
              P(K.DIVISION, "", P(K.ARTICLE, "12"), heading="A: SOME HEADING"),  # a colon, as in "doc:citation"
              P(K.SCHEDULE, "", heading="Schedule 2"))  # numbered by its heading: cited by that number

CANONICAL = [
    ("dvs_nn_2", "“The Nation”"),
    ("dvs_nn_3", "“Dáil Éireann”"),
    ("dvs_nn_4", "“Money Bills”"),
    ("dvs_nn_5", "“Eire”"),
    ("dvs_nn_6", "“Éire”"),
    ("part_1__dvs_nn_1", "Pt. 1, “General”"),  # "GENERAL" and "General" are one heading: cited below a number
    ("part_2__dvs_nn_1", "Pt. 2, “General”"),
    ("dvs_nn_9", "dvs_nn_9"),  # no heading: eId
    ("dvs_nn_10", "“Article 1”"),
    ("dvs_nn_11", "“Preamble”"),
    ("dvs_nn_12", "dvs_nn_12"),  # over 300 characters: eId
    ("dvs_nn_13", "“A: Some Heading”"),
    ("sched_nn_14", "Sch. 2"),
    ("dvs_nn_2__art_1", "Art. 1"),
    ("preamble", "Preamble"),
]


@pytest.mark.parametrize(("eid", "expected"), CANONICAL, ids=[c[0] for c in CANONICAL])
def test_canonical_citation_of_a_heading(eid, expected):
    assert canonical_citations(COUNTRY)[eid] == expected
    assert resolve(COUNTRY, expected).provision.eid == eid


def test_every_provision_keeps_one_unique_citation_that_resolves_to_it():
    citations = canonical_citations(COUNTRY)
    assert set(citations) == {loc.provision.eid for loc in COUNTRY.walk()}
    assert len(set(citations.values())) == len(citations)
    assert {eid: resolve(COUNTRY, c).provision.eid for eid, c in citations.items()} == {e: e for e in citations}


RESOLVES = [
    ("“The Nation”", "dvs_nn_2"),
    ('"The Nation"', "dvs_nn_2"),  # straight quotes
    ("‘The Nation’", "dvs_nn_2"),
    ("The Nation", "dvs_nn_2"),  # no quotes
    ("THE NATION", "dvs_nn_2"),  # as printed
    ("the nation", "dvs_nn_2"),  # any case
    ("  The   Nation ", "dvs_nn_2"),  # any whitespace
    ("The Nation:", "dvs_nn_2"),  # trailing punctuation
    ("ie:“The Nation”", "dvs_nn_2"),  # with the document id
    ("ie: The Nation", "dvs_nn_2"),
    ("Dáil Éireann", "dvs_nn_3"),
    ("Dail Eireann", "dvs_nn_3"),  # accents left out
    ("Dáil Eireann", "dvs_nn_3"),  # accents partly given: compared without them when the exact form fails
    ("Money Bills", "dvs_nn_4"),
    ("Eire", "dvs_nn_5"),  # accents as given pick the heading printed so ...
    ("Éire", "dvs_nn_6"),  # ... over the one differing only by an accent
    ("A: Some Heading", "dvs_nn_13"),
    ("a: some heading", "dvs_nn_13"),  # "a:" is no document id here
    # numbered citations come first: a heading never shadows them
    ("Article 1", "dvs_nn_2__art_1"),
    ("“Article 1”", "dvs_nn_10"),  # quoted, it can only be the heading
    ("Preamble", "preamble"),
    ("“Preamble”", "dvs_nn_11"),
    ("Schedule 2", "sched_nn_14"),
    ("x" * 301, "dvs_nn_12"),  # too long to be its canonical citation, yet its heading still names it
    ("part_1__dvs_nn_1", "part_1__dvs_nn_1"),  # eIds still work
    ("Part 1, General", "part_1__dvs_nn_1"),  # a repeated heading below the number that singles it out
    ("Pt. 2, “GENERAL”", "part_2__dvs_nn_1"),
]


@pytest.mark.parametrize(("citation", "eid"), RESOLVES, ids=[r[0] for r in RESOLVES])
def test_resolve_heading(citation, eid):
    assert resolve(COUNTRY, citation).provision.eid == eid
    assert resolve(COUNTRY, citation).ancestors == COUNTRY.locate(eid).ancestors


ERRORS = [
    ("General", r"'General' is ambiguous in ie: 2 provisions are headed 'General' "
                r"\(part_1__dvs_nn_1 in Part 1; part_2__dvs_nn_1 in Part 2\); cite one of them by its eId"),
    ("“GENERAL”", "ambiguous"),
    ("“The Republic”", "no provision headed 'The Republic' in ie"),
    ("The Republic", "cannot read citation 'The Republic'"),  # unquoted and unknown: the error as for any text
    ("“”", "no provision headed '' in ie"),
    ("y" * 301, "too long"),
    ("“" + "x" * 1200 + "”", "too long"),
    ("us:“The Nation”", "cites document 'us', not 'ie'"),
    ("Pt. 3, “General”", "no Part 3 in ie"),
    ("Pt. 1, “The Nation”", "no provision headed 'The Nation' in Part 1 of ie"),
]


@pytest.mark.parametrize(("citation", "message"), ERRORS, ids=[e[0][:30] for e in ERRORS])
def test_resolve_heading_errors(citation, message):
    with pytest.raises(CitationError, match=message):
        resolve(COUNTRY, citation)


# ------------------------------------------------------------------ anchored citations: numbers below a heading

# Annexures with no numbers of their own, each numbering its paragraphs from 1 (South Africa's Schedule 6):
# a paragraph's numbers are unique only below its annexure, so it is cited through the annexure's heading.
ANNEXED = doc("za",
              P(K.SECTION, "1"),
              P(K.SCHEDULE, "6",
                P(K.DIVISION, "", P(K.PARAGRAPH, "1"), P(K.PARAGRAPH, "2", P(K.SUBPARAGRAPH, "(a)")),
                  heading="Annexure A"),
                P(K.DIVISION, "", P(K.PARAGRAPH, "1"), P(K.PARAGRAPH, "2"), heading="Annexure B"),
                heading="Transitional arrangements"),
              P(K.SCHEDULE, "7",
                P(K.DIVISION, "", P(K.PARAGRAPH, "1"), heading="Notes"),
                P(K.DIVISION, "", P(K.PARAGRAPH, "1"), heading="Notes"),  # the same heading twice
                heading="Repealed laws"))


def test_anchored_canonical_citations():
    citations = canonical_citations(ANNEXED)
    located = {loc.provision.eid: loc for loc in ANNEXED.walk()}
    by_path = {(*(a.heading or a.num for a in loc.ancestors[1:]), loc.provision.num): citations[eid]
               for eid, loc in located.items() if loc.provision.kind in (K.PARAGRAPH, K.SUBPARAGRAPH)}
    assert by_path[("Annexure A", "1")] == "“Annexure A”, Paragraph 1"
    assert by_path[("Annexure A", "2", "(a)")] == "“Annexure A”, Paragraph 2(a)"
    assert by_path[("Annexure B", "2")] == "“Annexure B”, Paragraph 2"
    # "Notes" twice: each division is cited below its schedule, and its paragraph below that
    # "Notes" twice in one schedule: nothing above them tells them apart, so they and theirs keep eIds
    notes = [eid for eid, loc in located.items() if loc.provision.heading == "Notes"]
    assert len(notes) == 2
    assert [citations[e] for e in notes] == notes
    assert all(citations[e] == e for e, loc in located.items() if loc.ancestors and loc.ancestors[-1].eid in notes)
    assert len(set(citations.values())) == len(citations)
    assert all(resolve(ANNEXED, c).provision.eid == eid for eid, c in citations.items())


def test_anchored_citations_resolve_as_people_write_them():
    para = resolve(ANNEXED, "“Annexure B”, para. 1")
    assert para.provision.kind is K.PARAGRAPH and para.ancestors[-1].heading == "Annexure B"
    assert resolve(ANNEXED, "Annexure B, 1").provision.eid == para.provision.eid  # no quotes, no kind
    assert resolve(ANNEXED, "Sch. 6, “Annexure A”, 2(a)").provision.kind is K.SUBPARAGRAPH
    with pytest.raises(CitationError, match="no Paragraph 3 in “Annexure B” of za"):
        resolve(ANNEXED, "“Annexure B”, para. 3")
    with pytest.raises(CitationError, match="'Notes' is ambiguous in Schedule 7 of za: 2 provisions"):
        resolve(ANNEXED, "Sch. 7, “Notes”, 1")
    with pytest.raises(CitationError, match="more than one heading"):
        resolve(ANNEXED, "“Annexure A”, “Annexure B”")


# ------------------------------------------------------------------ the real corpus

IRELAND = "ireland/Ireland_2012.txt"


@pytest.mark.parametrize(("heading", "citation", "first_article"), [
    ("THE PRESIDENT", "“The President”", "12"),
    ("FUNDAMENTAL RIGHTS", "“Fundamental Rights”", None),  # the scrape leaves it empty
    ("PERSONAL RIGHTS", "“Personal Rights”", "40"),
    ("THE COURTS", "“The Courts”", "34"),
    ("DÁIL ÉIREANN", "“Dáil Éireann”", "16"),
])
def test_corpus_ireland_groupings_are_cited_by_heading(corpus_doc, heading, citation, first_article):
    document = corpus_doc(IRELAND)
    division = next(loc.provision for loc in document.walk()
                    if loc.provision.kind is K.DIVISION and loc.provision.heading == heading)
    assert canonical_citations(document)[division.eid] == citation
    assert resolve(document, citation).provision.eid == division.eid
    assert resolve(document, heading).provision.eid == division.eid
    assert [c.num for c in division.children[:1]] == ([first_article] if first_article else [])


def test_corpus_india_repeated_headings_are_cited_below_their_part(corpus_doc):
    document = corpus_doc("india/India_2012.txt")
    citations = canonical_citations(document)
    general = [loc.provision.eid for loc in document.walk() if loc.provision.heading == "General"
               and loc.provision.kind is K.DIVISION]
    assert len(general) > 1
    cited = [citations[eid] for eid in general]
    assert all(c.endswith(", “General”") and c.startswith("Pt. ") for c in cited)
    assert [resolve(document, c).provision.eid for c in cited] == general
    with pytest.raises(CitationError, match="ambiguous"):
        resolve(document, "“General”")


def test_corpus_no_provision_of_india_or_south_africa_is_cited_by_its_eid(corpus_doc):
    for source in ("india/India_2012.txt", "south-africa/constitution.json"):
        document = corpus_doc(source)
        citations = canonical_citations(document)
        assert [eid for eid, c in citations.items() if c == eid] == []
        assert len(set(citations.values())) == len(citations)


def test_an_ambiguous_first_citation_names_the_candidates_by_their_citations():
    # a fresh document whose citations nobody has asked for yet: the error still offers them, anchored ones too
    fresh = doc("za",
                P(K.SCHEDULE, "6",
                  P(K.DIVISION, "", P(K.PARAGRAPH, "1"), heading="Annexure A"),
                  P(K.DIVISION, "", P(K.PARAGRAPH, "1"), heading="Annexure B")))
    with pytest.raises(CitationError, match=r"\(“Annexure A”, Paragraph 1; “Annexure B”, Paragraph 1\)"):
        resolve(fresh, "Sch. 6, para. 1")
