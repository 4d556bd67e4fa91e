"""compare.facets and the facets' matches in compare.align: a provision holding several subjects has each one
matched on its own, and a facet's counterpart takes one of the provision's last places."""

from __future__ import annotations

import time

import pytest

from compare.align import Explanation, Match, align, with_facets
from compare.facets import MAX_FACETS, facets
from compare.index import CorpusIndex
from compare.similar import similar
from constitutions.model import Document, Kind, Provision

LONG = "the assembly shall meet in public session"  # seven words: a facet of its own


@pytest.mark.parametrize(("text", "expected"), [
    # pieces between semicolons, whitespace normalised
    (f"{LONG}; {LONG} again;  and  every   year it shall elect a speaker",
     (LONG, f"{LONG} again", "and every year it shall elect a speaker")),
    # a colon followed by a space opens a facet; "1:30" does not
    ("The following rules shall apply: the assembly shall meet at 1:30 every day",
     ("The following rules shall apply", "the assembly shall meet at 1:30 every day")),
    # a piece of fewer than five words is no subject of its own, and one subject is no facet
    (f"{LONG}; and so on", ()),
    (LONG, ()),
    ("", ()),
    (";;;:  ;", ()),
    # only the first ones of a long provision
    ("; ".join(f"{LONG} {i}" for i in range(MAX_FACETS + 3)), tuple(f"{LONG} {i}" for i in range(MAX_FACETS))),
])
def test_facets_are_the_pieces_between_semicolons_and_after_colons(text, expected):
    assert facets(text) == expected


def test_facets_of_a_huge_hostile_text_are_read_in_linear_time():
    text = ";" * 200_000 + ":" * 200_000 + " word" * 50_000
    started = time.perf_counter()
    assert facets(text) == ()
    assert len(facets("; ".join([LONG] * 50_000))) == MAX_FACETS
    assert time.perf_counter() - started < 5  # a regression guard against backtracking, not a benchmark


# invented wording: one clause on a trial, the indictment and the taking of property, against a document whose
# property section shares few words with the whole clause and most with its last piece
CLAUSE = Document(id="clause", title="Clause", jurisdiction="xx", version="2020", provisions=(
    Provision("sec_1", Kind.SECTION, "1", "", "No person shall be tried twice for the same offence, nor compelled "
              "in any criminal case to testify against himself; no person shall answer for a serious crime unless "
              "indicted by a grand jury of citizens; nor shall private property be taken for public use without "
              "just compensation."),
    Provision("sec_2", Kind.SECTION, "2", "", "The assembly meets every year in the capital."),
))
RIGHTS = Document(id="rights", title="Rights", jurisdiction="yy", version="2021", provisions=(
    Provision("sec_1", Kind.SECTION, "1", "Double jeopardy", "No person may be tried twice for the same offence."),
    Provision("sec_2", Kind.SECTION, "2", "Testimony", "No accused person may be compelled in a criminal case to "
              "testify against himself."),
    Provision("sec_3", Kind.SECTION, "3", "Property", "Private property may be taken for public use only against "
              "just compensation fixed by a court."),
    Provision("sec_4", Kind.SECTION, "4", "Indictment", "A person may answer for a serious crime only when "
              "indicted by a grand jury of citizens."),
    Provision("sec_5", Kind.SECTION, "5", "Criminal trials", "Every criminal trial of an accused person is held in "
              "public before an impartial court."),
    Provision("sec_6", Kind.SECTION, "6", "Elections", "The assembly is elected every four years by secret ballot."),
    Provision("sec_7", Kind.SECTION, "7", "Treasury", "The treasury keeps the public accounts of the state."),
    Provision("sec_8", Kind.SECTION, "8", "Schools", "Schooling is free and compulsory for all children."),
    Provision("sec_9", Kind.SECTION, "9", "Languages", "The official languages are used in the courts and the "
              "assembly."),
    Provision("sec_10", Kind.SECTION, "10", "Armed forces", "The armed forces defend the state and obey the law."),
))


def _index() -> CorpusIndex:
    return CorpusIndex.load_or_build([CLAUSE, RIGHTS])


def test_a_facets_counterpart_takes_one_of_the_last_places_and_names_its_facet(monkeypatch):
    # with the sentence encoder, the whole clause ranks the sections on the accused first and the property
    # section last of five; its facet brings it into the first two
    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", "1")
    index = _index()
    (found,) = similar((CLAUSE, "sec_1"), docs=[RIGHTS], index=index, top=2)
    assert [m.eid for m in found.matches][1:] == ["sec_3"]
    assert found.matches[0].eid in {"sec_1", "sec_2", "sec_4", "sec_5"} and found.matches[0].facet is None
    assert found.matches[1].facet == "nor shall private property be taken for public use without just compensation."
    assert found.matches[1].to_json()["facet"] == found.matches[1].facet
    assert "facet" not in found.matches[0].to_json()
    # align gives the provision the same places
    rows = {r.eid: r for r in align(CLAUSE, RIGHTS, top=2, index=index).rows}
    assert [m.eid for m in rows["sec_1"].matches] == [m.eid for m in found.matches]
    # a provision of one subject has no facets: its matches are its own ranking
    assert all(m.facet is None for m in rows["sec_2"].matches)
    # where the clause's own ranking already holds the section, it is not repeated
    (found,) = similar((CLAUSE, "sec_1"), docs=[RIGHTS], index=index, top=5)
    assert [m.eid for m in found.matches].count("sec_3") == 1


@pytest.mark.parametrize("semantic", ["0", "1"])
def test_facets_never_displace_the_first_place(monkeypatch, semantic):
    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", semantic)
    index = _index()
    for top in (1, 2, 3):
        rows = {r.eid: r for r in align(CLAUSE, RIGHTS, top=top, index=index).rows}
        matches = rows["sec_1"].matches
        assert len(matches) <= top and matches[0].facet is None
        assert len({m.eid for m in matches}) == len(matches)


def _match(eid: str, score: float, facet: str | None = None) -> Match:
    return Match(eid, eid, score, Explanation(0.0, 0.0, 0.0, None, 0.0, (), None), facet=facet)


NESTED = Document(id="nested", title="Nested", jurisdiction="zz", version="2022", provisions=(
    Provision("sec_1", Kind.SECTION, "1", "", "", children=(
        Provision("sec_1__cl_1", Kind.CLAUSE, "1", "", "Judges are independent."),
        Provision("sec_1__cl_2", Kind.CLAUSE, "2", "", "Judges retire at seventy."))),
    *(Provision(f"sec_{n}", Kind.SECTION, str(n), "", f"Rule number {n}.") for n in range(2, 7)),
))


@pytest.mark.parametrize(("ranked", "extra", "top", "expected"), [
    # facets' matches replace the last places, the first always stays
    (["sec_2", "sec_3", "sec_4"], ["sec_5"], 3, ["sec_2", "sec_3", "sec_5"]),
    (["sec_2", "sec_3", "sec_4"], ["sec_5", "sec_6"], 3, ["sec_2", "sec_5", "sec_6"]),
    (["sec_2", "sec_3", "sec_4"], ["sec_5", "sec_6", "sec_1"], 3, ["sec_2", "sec_5", "sec_6"]),
    # room left: nothing is dropped
    (["sec_2"], ["sec_5"], 3, ["sec_2", "sec_5"]),
    # a place already in the list, or nested in one, or containing one, is not added twice
    (["sec_2", "sec_1"], ["sec_1__cl_2", "sec_2"], 3, ["sec_2", "sec_1"]),
    (["sec_1__cl_1", "sec_2"], ["sec_1"], 3, ["sec_1__cl_1", "sec_2"]),
    # two facets with the same counterpart give one place
    (["sec_2", "sec_3"], ["sec_5", "sec_5"], 2, ["sec_2", "sec_5"]),
    # no facets
    (["sec_2", "sec_3"], [], 2, ["sec_2", "sec_3"]),
])
def test_with_facets_places(ranked, extra, top, expected):
    fb = CorpusIndex.load_or_build([NESTED]).features("nested")
    matches = tuple(_match(e, 0.9 - 0.1 * k) for k, e in enumerate(ranked))
    faceted = tuple(_match(e, 0.5, facet=f"piece {k}") for k, e in enumerate(extra))
    placed = with_facets(matches, faceted, top, fb)
    assert [m.eid for m in placed] == expected
    assert all((m.facet is None) == (m in matches) for m in placed)


def test_the_studio_and_the_command_line_say_which_part_a_facets_match_is_for(capsys):
    from compare.cli import _echo_match
    from studio.views import runners_up

    plain, faceted = _match("sec_2", 0.8), _match("sec_5", 0.5, facet="nor shall private property be taken for "
                                                                     "public use without just compensation")
    shown = "\u201cnor shall private property be taken for public use without \u2026\u201d"  # 60 characters at most
    assert runners_up((_match("sec_1", 0.9), plain, faceted)) == f"sec_2 (0.80); sec_5 (0.50, for {shown})"
    _echo_match(faceted)
    assert f"sec_5  for {shown}" in capsys.readouterr().out


def test_a_documents_facet_reading_is_saved_beside_the_index_for_the_next_process(monkeypatch):
    import numpy as np

    from compare import facets as facets_mod
    from compare import index as index_mod

    index = _index()
    features = index.features("clause")
    first, owners = facets_mod.unit_facet_queries(index, features)
    (path,) = index_mod.cache_dir().glob(f"{index.key}.facets-*.npz")
    # a new process: nothing in memory, the facets are not read again
    facets_mod._unit_cache.clear()
    monkeypatch.setattr(facets_mod, "facet_queries", lambda *a, **k: pytest.fail("read again"))
    again, owners_again = facets_mod.unit_facet_queries(index, features)
    assert again.texts == first.texts and again.fuzz == first.fuzz and list(owners_again) == list(owners)
    assert (again.tfidf != first.tfidf).nnz == 0 and np.allclose(again.topics, first.topics)
    assert len(first) == 3 and set(owners) == {features.row("sec_1")}
    # a damaged file is read again, never trusted
    path.write_bytes(b"not a zip file")
    facets_mod._unit_cache.clear()
    monkeypatch.undo()
    assert facets_mod.unit_facet_queries(index, features)[0].texts == first.texts
    # an index built outside load_or_build has no cache file, so neither has its facets' reading
    built = CorpusIndex([CLAUSE, RIGHTS])
    assert built.key is None and facets_mod._disk_path(built, built.features("clause")) is None


def test_readings_saved_beside_an_index_go_with_it(tmp_path):
    import os

    from compare.index import CACHE_KEEP, _prune

    keys = [f"{n:040x}" for n in range(CACHE_KEEP + 1)]
    for age, key in enumerate(keys):  # the first the most recently used
        for name in (f"{key}.npz", f"{key}.facets-ab12.npz", f"{key}.matrix-cd34.json"):
            (tmp_path / name).write_bytes(b"x")
            os.utime(tmp_path / name, (1_000_000 - age, 1_000_000 - age))
    _prune(tmp_path)
    left = {p.name for p in tmp_path.iterdir()}
    oldest = keys[-1]
    assert not any(name.startswith(oldest) for name in left)
    assert {f"{keys[0]}.npz", f"{keys[0]}.facets-ab12.npz", f"{keys[0]}.matrix-cd34.json"} <= left
    assert len(left) == 3 * CACHE_KEEP
