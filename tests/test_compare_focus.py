"""compare.align.focus: the sub-provision of a match where the match lies, shown right after the match."""

from __future__ import annotations

import numpy as np
import pytest

from compare.align import FOCUS_MARGIN, Match, Scored, align, focus
from compare.index import CorpusIndex
from compare.similar import similar
from constitutions.model import Document, Kind, Provision
from studio.views import compare_rows, runners_up

# invented wording: a section on arrested persons whose second clause is about challenging a detention
RIGHTS = Document(id="rights", title="Rights", jurisdiction="xx", version="2020", provisions=(
    Provision("sec_1", Kind.SECTION, "1", "Arrested persons", "", children=(
        Provision("sec_1__cl_1", Kind.CLAUSE, "1", "", "An arrested person must be told promptly why."),
        Provision("sec_1__cl_2", Kind.CLAUSE, "2", "", "A detained person may ask a court to examine the "
                  "lawfulness of the detention and to order release."),
        Provision("sec_1__cl_3", Kind.CLAUSE, "3", "", "An accused person is presumed innocent at trial."))),
    Provision("sec_2", Kind.SECTION, "2", "Elections", "", children=(
        Provision("sec_2__cl_1", Kind.CLAUSE, "1", "", "The assembly is elected every four years."),)),
    Provision("sec_3", Kind.SECTION, "3", "Treasury", "The treasury keeps the public accounts."),
    Provision("sec_4", Kind.SECTION, "4", "Schools", "Schooling is free for all children."),
))
QUERY = Document(id="query", title="Query", jurisdiction="yy", version="2021", provisions=(
    Provision("sec_9", Kind.SECTION, "9", "Detention", "No detention may continue unless a court examines its "
              "lawfulness; a court may order release of the detained person."),
    Provision("sec_10", Kind.SECTION, "10", "Accounts", "The public accounts are kept by the treasury."),
))

# an article holding two sections, the second with paragraphs (the focus is nested two levels down)
NESTED = Document(id="nested", title="Nested", jurisdiction="zz", version="2022", provisions=(
    Provision("art_1", Kind.ARTICLE, "1", "Courts", "", children=(
        Provision("art_1__sec_1", Kind.SECTION, "1", "", "", children=(
            Provision("art_1__sec_1__subsec_1", Kind.SUBSECTION, "1", "", "", children=(
                Provision("art_1__sec_1__subsec_1__para_a", Kind.PARAGRAPH, "a", "", "Judges are independent."),
                Provision("art_1__sec_1__subsec_1__para_b", Kind.PARAGRAPH, "b", "", "Judges retire at seventy."))),
            Provision("art_1__sec_1__subsec_2", Kind.SUBSECTION, "2", "", "Courts sit in public."))),
        Provision("art_1__sec_2", Kind.SECTION, "2", "", "The treasury keeps the accounts."))),
))


def _scored(fb, values: dict[str, float]) -> Scored:
    cheap = np.zeros((1, len(fb.units)))
    for eid, value in values.items():
        cheap[0, fb.row(eid)] = value
    return Scored(cheap, np.zeros((1, 0), dtype=int), np.zeros((1, 0)), {}, fb.candidate_mask)


@pytest.mark.parametrize(("match", "values", "expected"), [
    # the second clause leads its siblings by more than the margin: it is the focus
    ("sec_1", {"sec_1__cl_1": 1.0, "sec_1__cl_2": 1.0 + FOCUS_MARGIN + 0.1, "sec_1__cl_3": 0.5}, "sec_1__cl_2"),
    # a lead under the margin: the match is spread over the section, no focus
    ("sec_1", {"sec_1__cl_1": 1.0, "sec_1__cl_2": 1.0 + FOCUS_MARGIN - 0.1, "sec_1__cl_3": 0.5}, None),
    # a single sub-provision is the section itself
    ("sec_2", {"sec_2__cl_1": 9.0}, None),
    # no sub-provisions
    ("sec_3", {"sec_3": 9.0}, None),
])
def test_focus_is_a_clause_that_stands_out_among_its_siblings(match, values, expected):
    fb = CorpusIndex.load_or_build([RIGHTS]).features("rights")
    found = focus(_scored(fb, values), 0, fb, fb.row(match))
    assert (None if found is None else fb.units[found].eid) == expected


def test_focus_lead_is_taken_over_rivals_not_nested_with_it():
    fb = CorpusIndex.load_or_build([NESTED]).features("nested")
    sec = fb.row("art_1__sec_1")
    # paragraph (b) and the subsection holding it score alike: the lead is over paragraph (a) and subsection 2
    values = {"art_1__sec_1__subsec_1": 2.9, "art_1__sec_1__subsec_1__para_b": 3.0,
              "art_1__sec_1__subsec_1__para_a": 1.0, "art_1__sec_1__subsec_2": 1.2}
    assert fb.units[focus(_scored(fb, values), 0, fb, sec)].eid == "art_1__sec_1__subsec_1__para_b"
    # an article holding sections has no focus: its sections are offered on their own
    assert focus(_scored(fb, values), 0, fb, fb.row("art_1")) is None


def test_descendants_are_the_units_nested_in_each_unit():
    fb = CorpusIndex.load_or_build([NESTED]).features("nested")
    inner = {u.eid: {fb.units[j].eid for j in fb.descendants[i]} for i, u in enumerate(fb.units)}
    assert inner["art_1__sec_1"] == {"art_1__sec_1__subsec_1", "art_1__sec_1__subsec_1__para_a",
                                     "art_1__sec_1__subsec_1__para_b", "art_1__sec_1__subsec_2"}
    assert inner["art_1__sec_1__subsec_1__para_a"] == set() and inner["art_1__sec_2"] == set()
    assert len(inner["art_1"]) == 6


@pytest.fixture(scope="module")
def detention_row():
    alignment = align(QUERY, RIGHTS, top=5)
    return next(r for r in alignment.rows if r.eid == "sec_9"), alignment


def test_alignment_names_the_clause_where_the_match_lies(detention_row):
    row, _ = detention_row
    first, second = row.matches[:2]
    assert first.eid == "sec_1" and first.within is None
    assert (second.eid, second.within, second.score) == ("sec_1__cl_2", "sec_1", first.score)
    assert {"lawfulness", "release"} <= set(second.explanation.shared_lemmas)
    # a focus follows its match only, and the other matches are other places
    assert [m.within for m in row.matches[2:]] == [None] * len(row.matches[2:])


def test_a_focus_takes_one_of_the_places_asked_for():
    for top in (1, 2, 3):
        row = next(r for r in align(QUERY, RIGHTS, top=top).rows if r.eid == "sec_9")
        assert len(row.matches) == top
        assert [m.eid for m in row.matches] == ["sec_1", "sec_1__cl_2", "sec_3"][:top]


def test_json_names_within_for_a_focus_only(detention_row):
    _, alignment = detention_row
    data = next(r for r in alignment.to_json()["rows"] if r["id"] == "sec_9")
    assert data["matches"][0] == {"id": "sec_1", "citation": data["matches"][0]["citation"],
                                  "score": data["matches"][0]["score"]}
    assert data["matches"][1]["within"] == "sec_1"


def test_similar_names_the_clause_too():
    found = similar("a court examines the lawfulness of a detention and orders release", [RIGHTS], top=5)
    eids = [(m.eid, m.within) for m in found[0].matches]
    assert eids[:2] == [("sec_1", None), ("sec_1__cl_2", "sec_1")]


def test_the_compare_view_shows_the_focus_and_does_not_count_it_as_another_candidate(detention_row):
    row, alignment = detention_row
    assert "sec_1__cl_2" not in runners_up(row.matches) and row.matches[1].citation not in runners_up(row.matches)
    cp = next(r for r in compare_rows(QUERY, [alignment]) if r.eid == "sec_9").counterparts[0]
    assert (cp.eid, cp.focus, cp.focus_eid) == ("sec_1", row.matches[1].citation, row.matches[1].eid)


@pytest.mark.parametrize(("matches", "expected"), [
    ((Match("a", "A", 0.9, None), Match("a1", "A(1)", 0.9, None, within="a"), Match("b", "B", 0.5, None)),
     "B (0.50)"),
    ((Match("a", "A", 0.9, None), Match("b", "B", 0.5, None)), "B (0.50)"),
])
def test_runners_up_are_other_places(matches, expected):
    assert runners_up(matches) == expected
