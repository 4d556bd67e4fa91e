"""The numbering regex table and style helpers: tables of (input, expected),
plus one exhaustive generated test per tricky pattern."""

from __future__ import annotations

import re

import pytest

from constitutions import numbering as nb
from constitutions.model import int_to_roman

ROMANS = [int_to_roman(n) for n in range(1, 51)]


@pytest.mark.parametrize("value", range(1, 51))
def test_every_roman_numeral_to_l_matches_in_both_cases(value):
    upper = int_to_roman(value)
    assert re.fullmatch(nb.ROMAN_UPPER, upper)
    assert re.fullmatch(nb.ROMAN_LOWER, upper.lower())
    label = nb.match_label(f"({upper.lower()}) text")
    assert label is not None and label.num == f"({upper.lower()})"
    assert (nb.Style.ROMAN_LOWER, value) in nb.styles_of(label)
    m = nb.PART_HEADING.match(f"PART {upper}. HEADING")
    assert m and m.group("num") == upper


@pytest.mark.parametrize("bad", ["IIII", "VX", "IL", "XXXX", "VV", "", "IC", "MMMM"])
def test_ill_formed_roman_numerals_do_not_match(bad):
    assert not re.fullmatch(nb.ROMAN_UPPER, bad)


@pytest.mark.parametrize("value", range(1, 27))
def test_every_letter_label_reads_as_a_letter_at_its_place(value):
    letter = nb.alpha_text(value)
    previous = nb.Level(nb.Style.ALPHA_LOWER, nb.Form.PAREN, value - 1) if value > 1 else None
    label = nb.match_label(f"({letter}) words")
    assert label is not None
    style, got, depth = nb.choose_style(label, (previous,) if previous else ())
    assert (style, got) == (nb.Style.ALPHA_LOWER, value)
    assert depth == (0 if previous else None)


@pytest.mark.parametrize(("line", "expected_nums", "rest"), [
    ("(1) Every person", ["(1)"], "Every person"),
    ("(a) the voters", ["(a)"], "the voters"),
    ("(iv) fourth", ["(iv)"], "fourth"),
    ("(A) capital", ["(A)"], "capital"),
    ("1. All citizens", ["1"], "All citizens"),
    ("1A. Inserted", ["1A"], "Inserted"),
    ("a.to an environment", ["a"], "to an environment"),
    ("1.Mombasa", ["1"], "Mombasa"),
    ("i.The right of the citizens", ["i"], "The right of the citizens"),
    ("1° Titles", ["1°"], "Titles"),
    ("1°. Titles", ["1°"], "Titles"),
    ("2. 1°. Titles of nobility", ["2", "1°"], "Titles of nobility"),
    ("2°. i. first", ["2°", "i"], "first"),
    ("(1)(a) both", ["(1)", "(a)"], "both"),
    ("(a)(b) twice", ["(a)"], "(b) twice"),
    ("1. 2. 3.", ["1"], "2. 3."),
    ("e.g. an example", [], "e.g. an example"),
    ("i.e. that is", [], "i.e. that is"),
    ("U.S. law", [], "U.S. law"),
    ("1.5 million people", [], "1.5 million people"),
    ("no. 5 is", [], "no. 5 is"),
    ("40.6.1° cited", [], "40.6.1° cited"),
    ("Plain sentence.", [], "Plain sentence."),
])
def test_leading_labels(line, expected_nums, rest):
    labels, remainder = nb.leading_labels(line)
    assert [label.num for label in labels] == expected_nums
    assert remainder == rest


@pytest.mark.parametrize(("line", "num", "heading"), [
    ("ARTICLE 12", "12", None),
    ("ARTICLE 28A", "28A", None),
    ("Article 9", "9", None),
    ("Article 20a. [Protection of the foundations]", "20a", "[Protection of the foundations]"),
    ("Article 7. Human Dignity", "7", "Human Dignity"),
    ("Article XIII A", "XIII A", None),
    ("Art. 5", "5", None),
])
def test_article_heading_matches(line, num, heading):
    m = nb.ARTICLE_HEADING.match(line)
    assert m is not None
    assert (m.group("num"), m.group("heading")) == (num, heading)


@pytest.mark.parametrize("line", ["Article 12 applies to everyone", "Articles 1 and 4", "ARTICLES", "article 3"])
def test_article_heading_refuses_prose(line):
    assert nb.ARTICLE_HEADING.match(line) is None


@pytest.mark.parametrize(("line", "num"), [
    ("SEC. 6½.", "6½"), ("Section 1. Tasks of the Confederation", "1"), ("SECTION 1.", "1"),
    ("Sec. 7.", "7"), ("SEC. 1.1.", "1.1"), ("§ 3", "3"),
])
def test_section_heading_matches(line, num):
    m = nb.SECTION_HEADING.match(line)
    assert m is not None and m.group("num") == num


@pytest.mark.parametrize("line", ["Section 46(1)(d) provides", "Sections 1-3", "Section of the law"])
def test_section_heading_refuses_prose(line):
    assert nb.SECTION_HEADING.match(line) is None


@pytest.mark.parametrize(("line", "pattern", "num", "heading"), [
    ("26. Right to life", nb.NUMBERED_HEADING, "26", "Right to life"),
    ("2A. Sikkim to be associated", nb.NUMBERED_HEADING, "2A", "Sikkim to be associated"),
    ("35.1. Commitment to participation", nb.NUMBERED_HEADING, "35.1", "Commitment to participation"),
    ("PART III. FUNDAMENTAL RIGHTS", nb.PART_HEADING, "III", "FUNDAMENTAL RIGHTS"),
    ("PART IVA. FUNDAMENTAL DUTIES", nb.PART_HEADING, "IVA", "FUNDAMENTAL DUTIES"),
    ("Part 1. General Provisions", nb.PART_HEADING, "1", "General Provisions"),
    ("PART B", nb.PART_HEADING, "B", None),
    ("PART IV.I. CONSTITUTIONAL CONFERENCES", nb.PART_HEADING, "IV.I", "CONSTITUTIONAL CONFERENCES"),
    ("CHAPTER 4. THE BILL OF RIGHTS", nb.CHAPTER_HEADING, "4", "THE BILL OF RIGHTS"),
    ("Chapter I. The Emperor", nb.CHAPTER_HEADING, "I", "The Emperor"),
    ("Title 2. Fundamental Rights", nb.TITLE_HEADING, "2", "Fundamental Rights"),
    ("I. Basic Rights", nb.ROMAN_GROUP_HEADING, "I", "Basic Rights"),
    ("IVa. The Joint Committee", nb.ROMAN_GROUP_HEADING, "IVa", "The Joint Committee"),
    ("A. GUARANTEE OF RIGHTS", nb.LETTER_GROUP_HEADING, "A", "GUARANTEE OF RIGHTS"),
    ("Schedule 1A. GEOGRAPHICAL AREAS", nb.SCHEDULE_HEADING, "1A", "GEOGRAPHICAL AREAS"),
    ("List I. Union List", nb.LIST_HEADING, "I", "Union List"),
])
def test_heading_table(line, pattern, num, heading):
    m = pattern.match(line)
    assert m is not None
    assert (m.group("num"), m.group("heading")) == (num, heading)


@pytest.mark.parametrize(("line", "pattern"), [
    ("1.Mombasa", nb.NUMBERED_HEADING),
    ("2. 1°. Titles of nobility", nb.NUMBERED_HEADING),
    ("Part 2 of this Chapter applies", nb.PART_HEADING),
    ("part of the territory", nb.PART_HEADING),
    ("Schedule 6 applies to the transition", nb.SCHEDULE_HEADING),
    ("i.The right of the citizens", nb.ROMAN_GROUP_HEADING),
    ("the First Schedule", nb.ORDINAL_SCHEDULE_HEADING),
    ("Adopted in 1937.", nb.CONSTITUTE_TITLE),
    ("2. Repealed laws continue in force until", nb.REPEALED_STUB),
])
def test_heading_table_refusals(line, pattern):
    assert pattern.match(line) is None


@pytest.mark.parametrize(("line", "country", "year", "rev"), [
    ("Ireland 1937 (rev. 2012)", "Ireland", "1937", "2012"),
    ("Canada 1867 (rev. 2011)", "Canada", "1867", "2011"),
    ("German Federal Republic 1949 (rev. 2012)", "German Federal Republic", "1949", "2012"),
    ("Japan 1946", "Japan", "1946", None),
])
def test_constitute_title(line, country, year, rev):
    m = nb.CONSTITUTE_TITLE.match(line)
    assert m is not None
    assert (m.group("country"), m.group("year"), m.group("rev")) == (country, year, rev)


@pytest.mark.parametrize(("ordinal", "value"), [(o, i) for i, o in enumerate(nb.ORDINALS, start=1)])
def test_every_ordinal_schedule(ordinal, value):
    m = nb.ORDINAL_SCHEDULE_HEADING.match(f"THE {ordinal} SCHEDULE. SOME HEADING")
    assert m is not None and nb.ORDINALS.index(m.group("ordinal")) + 1 == value


@pytest.mark.parametrize(("numeral", "readings"), [
    ("(1)", [(nb.Style.ARABIC, 1)]),
    ("1°", [(nb.Style.DEGREE, 1)]),
    ("iv", [(nb.Style.ROMAN_LOWER, 4)]),
    ("i", [(nb.Style.ROMAN_LOWER, 1), (nb.Style.ALPHA_LOWER, 9)]),
    ("c", [(nb.Style.ALPHA_LOWER, 3), (nb.Style.ROMAN_LOWER, 100)]),
    ("I", [(nb.Style.ROMAN_UPPER, 1), (nb.Style.ALPHA_UPPER, 9)]),
    ("B", [(nb.Style.ALPHA_UPPER, 2)]),
    ("aa", [(nb.Style.ALPHA_LOWER, 27)]),
])
def test_styles_of(numeral, readings):
    assert list(nb.styles_of(numeral)) == readings


def _label(text: str) -> nb.Label:
    label = nb.match_label(text + " x")
    assert label is not None
    return label


@pytest.mark.parametrize(("label", "levels", "expected"), [
    # "(i)" after "(h)" is the letter i, continuing the letters
    ("(i)", (nb.Level(nb.Style.ALPHA_LOWER, nb.Form.PAREN, 8),), (nb.Style.ALPHA_LOWER, 9, 0)),
    # "(i)" under "(a)" opens a roman level below it
    ("(i)", (nb.Level(nb.Style.ALPHA_LOWER, nb.Form.PAREN, 1),), (nb.Style.ROMAN_LOWER, 1, None)),
    # "(ii)" after "(i)" roman continues
    ("(ii)", (nb.Level(nb.Style.ALPHA_LOWER, nb.Form.PAREN, 1), nb.Level(nb.Style.ROMAN_LOWER, nb.Form.PAREN, 1)),
     (nb.Style.ROMAN_LOWER, 2, 1)),
    # "(b)" after "(a)(i)(ii)" climbs back to the letters
    ("(b)", (nb.Level(nb.Style.ALPHA_LOWER, nb.Form.PAREN, 1), nb.Level(nb.Style.ROMAN_LOWER, nb.Form.PAREN, 2)),
     (nb.Style.ALPHA_LOWER, 2, 0)),
    # "(v)" after "(iv)" is roman five, "(v)" after "(u)" the letter
    ("(v)", (nb.Level(nb.Style.ROMAN_LOWER, nb.Form.PAREN, 4),), (nb.Style.ROMAN_LOWER, 5, 0)),
    ("(v)", (nb.Level(nb.Style.ALPHA_LOWER, nb.Form.PAREN, 21),), (nb.Style.ALPHA_LOWER, 22, 0)),
    # "2." after "1. 1°" returns to the arabic level
    ("2.", (nb.Level(nb.Style.ARABIC, nb.Form.DOT, 1), nb.Level(nb.Style.DEGREE, nb.Form.DEGREE, 1)),
     (nb.Style.ARABIC, 2, 0)),
    # "(1)" under "1." is a new level: different punctuation
    ("(1)", (nb.Level(nb.Style.ARABIC, nb.Form.DOT, 1),), (nb.Style.ARABIC, 1, None)),
])
def test_choose_style(label, levels, expected):
    assert nb.choose_style(_label(label), levels) == expected


@pytest.mark.parametrize(("previous", "following", "expected"), [
    ("12", "13", True), ("12", "12A", True), ("12A", "12B", True), ("12A", "13", True), ("35", "35.1", True),
    ("h", "i", True), ("i", "ii", True), ("IV", "V", True), ("12", "14", False), ("13", "12", False),
    ("a", "c", False), ("1", "1", False),
])
def test_is_successor(previous, following, expected):
    assert nb.is_successor(previous, following) is expected


@pytest.mark.parametrize(("nums", "ordered"), [
    (["13", "12b", "12", "12a"], ["12", "12a", "12b", "13"]),
    (["IV", "II", "X"], ["II", "IV", "X"]),
])
def test_number_key_sorts(nums, ordered):
    assert sorted(nums, key=nb.number_key) == ordered


@pytest.mark.parametrize("value", range(1, 60))
def test_alpha_round_trip(value):
    assert nb.alpha_value(nb.alpha_text(value)) == value
    assert nb.render(nb.Style.ALPHA_UPPER, value) == nb.alpha_text(value).upper()
