"""compare.statutes: statute titles inside constitutional text, and what the topic tagger reads without them.
Every title below is invented."""

from __future__ import annotations

import itertools

import pytest

from compare import topics
from compare.statutes import StatuteTitle, find_titles, without_titles
from constitutions.model import Document, Kind, Provision

# (text, the titles it holds)
TITLES = [
    # a list item that is nothing but a title and its citation
    ("The Northshire Land Reforms Act, 1950 (Northshire Act XXX of 1950).",
     ["The Northshire Land Reforms Act, 1950 (Northshire Act XXX of 1950)"]),
    # a parenthesised part of the title, and "Amendment" inside it
    ("The Westmark Tenancy (Amendment) Act, 1971 (Westmark Act 25 of 1971).",
     ["The Westmark Tenancy (Amendment) Act, 1971 (Westmark Act 25 of 1971)"]),
    # commas and small words inside the title, a parenthesised group with commas
    ("The Abolition of Proprietary Rights (Estates, Mahals, Alienated Lands) Act, 1950.",
     ["The Abolition of Proprietary Rights (Estates, Mahals, Alienated Lands) Act, 1950"]),
    ("The Goa, Daman and Diu Reorganisation Act, 1987.", ["The Goa, Daman and Diu Reorganisation Act, 1987"]),
    # inside prose: the title begins at its "the", after lower-case words
    ("The territories specified in section 3 of the Riverland Reorganisation Act, 1956.",
     ["the Riverland Reorganisation Act, 1956"]),
    ("Section 3 does not apply to the Children and Families First Act of 1998.",
     ["the Children and Families First Act of 1998"]),
    # "Regulation", "Code", "Law" with the year written three ways
    ("as in the Scheduled Areas Regulation 1963 and the Internal Revenue Code of 1986",
     ["the Scheduled Areas Regulation 1963", "the Internal Revenue Code of 1986"]),
    ("under the Wildlife Conservation Law of 1947", ["the Wildlife Conservation Law of 1947"]),
    # a "No." citation
    ("the Gender Commission Act, 2003 (No. 13 of 2003) is repealed",
     ["the Gender Commission Act, 2003 (No. 13 of 2003)"]),
    # two titles joined by "and the": each is its own title
    ("the repeal of the Old Charter and the Free State (Transition) Act, 1922",
     ["the Free State (Transition) Act, 1922"]),
    # a line break ends a title: a table's column heading is not part of it
    ("Column I. Act Affected\n\nNorth Province Act, 1867", ["North Province Act, 1867"]),
]

# texts with no title: no year, a determiner alone, a constitution's own name
NO_TITLES = [
    "This Act may be cited as the Constitution Amendment Act.",
    "Parliament may by an Act of Parliament provide otherwise.",
    "This Act, 1996 is in force.",
    "the Constitution of Freedonia, 2010",
    "The Law shall be published within 1950 days.",
    "Order in Council 12 of the Governor",
    "",
]


@pytest.mark.parametrize(("text", "expected"), TITLES)
def test_titles(text, expected):
    found = find_titles(text)
    assert [t.title for t in found] == expected
    for t in found:
        assert text[t.start:t.end] == t.title
    assert [t.start for t in found] == sorted(t.start for t in found)


@pytest.mark.parametrize("text", NO_TITLES)
def test_no_titles(text):
    assert find_titles(text) == ()
    assert without_titles(text) == text


def test_titles_are_frozen_records():
    (t,) = find_titles("under the Wildlife Conservation Law of 1947")
    assert t == StatuteTitle(6, 43, "the Wildlife Conservation Law of 1947")
    with pytest.raises(AttributeError):
        t.start = 0  # type: ignore[misc]


@pytest.mark.parametrize(("text", "expected"), [
    ("The Northshire Land Reforms Act, 1950 (Northshire Act XXX of 1950).", ""),
    ("The Goa, Daman and Diu Reorganisation Act, 1987", ""),
    ("The territories specified in section 3 of the Riverland Reorganisation Act, 1956.",
     "The territories specified in section 3 of."),
    ("Section 3 does not apply to the Children and Families First Act of 1998, as amended.",
     "Section 3 does not apply to, as amended."),
])
def test_without_titles(text, expected):
    assert without_titles(text) == expected


def test_hostile_text_is_read_in_one_pass():
    # long runs of capitalised words and kind words with years, a provision of over 100,000 characters: every
    # title is found once, none overlaps the next, and nothing raises
    text = " ".join(["Alpha Beta (Gamma, Delta) Act, 1950"] * 3000) + " (" * 5000 + "Act 1999 " * 2000
    found = find_titles(text)
    assert len(found) >= 3000
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert find_titles("(" * 10000) == ()


def test_reading_leaves_prose_whole_for_the_encoder_and_blanks_a_bare_title():
    assert topics.reading("The Northshire Land Reforms Act, 1950 (Northshire Act XXX of 1950).") == ("", "")
    prose = "The territories specified in section 3 of the Riverland Reorganisation Act, 1956."
    assert topics.reading(prose) == ("The territories specified in section 3 of.", prose)
    assert topics.reading("Everyone has the right to life.") == ("Everyone has the right to life.",) * 2


def test_a_bare_title_has_no_topics_of_its_own(corpus_dir):
    # read as prose, "(Amendment)" would be the amendment of the constitution and "Land" the accession of territory
    title = "The Northshire Land Reforms (Amendment) Act, 1971 (Northshire Act 25 of 1971)."
    assert topics.tag_provision(title) == ()
    assert not topics.text_scores(title).any()
    item = Provision("sched_9__item_1", Kind.ITEM, "1", "", title)
    law = Provision("sched_9", Kind.SCHEDULE, "9", "Validated laws", "", (item,))
    doc = Document("x", "X", "x", (law,))
    tags = topics.tag_document(doc)
    assert "amend" not in [s.key for s in tags["sched_9__item_1"]]
    # the same words with no year are prose, and read as such
    prose = topics.text_scores("The Northshire Land Reforms (Amendment) Act (Northshire Act 25).")
    assert prose[topics.tagger().topic_index["amend"]] > 0
