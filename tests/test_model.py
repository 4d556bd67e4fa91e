from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constitutions.model import (
    Document,
    Kind,
    Provision,
    State,
    Status,
    dedupe_sibling_eids,
    eid_num,
    int_to_roman,
    make_eid,
    renumber_eids,
    roman_to_int,
    unique_eid,
)
from convene.errors import NotFoundError, ReadError


def _doc() -> Document:
    cl3 = Provision("art_1__sec_8__cl_3", Kind.CLAUSE, "3", text="To regulate Commerce with foreign Nations;")
    sec8 = Provision("art_1__sec_8", Kind.SECTION, "8", text="The Congress shall have Power", children=(cl3,))
    art1 = Provision("art_1", Kind.ARTICLE, "I", heading="Legislative", children=(sec8,))
    a18 = Provision("amdt_18", Kind.AMENDMENT, "XVIII", text="intoxicating liquors...",
                    status=Status(State.REPEALED, "Repealed by Amendment XXI."), meta={"ratified": "1919"})
    return Document("us", "Constitution of the United States", "us", (art1, a18), year=1787, version="2022",
                    source="synthetic", format="test", meta={"k": "v"})


def test_json_round_trip_is_lossless():
    doc = _doc()
    assert Document.from_dict(doc.to_dict()) == doc


def test_walk_and_index():
    doc = _doc()
    assert [loc.provision.eid for loc in doc.walk()] == ["art_1", "art_1__sec_8", "art_1__sec_8__cl_3", "amdt_18"]
    loc = doc.locate("art_1__sec_8__cl_3")
    assert [a.eid for a in loc.ancestors] == ["art_1", "art_1__sec_8"]
    assert doc.get("amdt_18").status.state is State.REPEALED
    with pytest.raises(NotFoundError):
        doc.get("art_9")


def test_full_text_includes_descendants():
    sec = _doc().get("art_1__sec_8")
    assert sec.full_text() == "The Congress shall have Power\n\n3\nTo regulate Commerce with foreign Nations;"


@pytest.mark.parametrize(("kind", "num", "expected"), [
    (Kind.ARTICLE, "XIII A", "13A"),
    (Kind.AMENDMENT, "XIV", "14"),
    (Kind.SECTION, "6½", "6half"),
    (Kind.PARAGRAPH, "(a)", "a"),
    (Kind.SUBPARAGRAPH, "(iv)", "iv"),  # lower levels keep roman numbers as printed
    (Kind.SECTION, "1.1", "1.1"),
    (Kind.CLAUSE, "1°", "1"),
    (Kind.ARTICLE, "20a", "20a"),
])
def test_eid_num(kind, num, expected):
    assert eid_num(kind, num) == expected


def test_make_eid_and_renumber():
    assert make_eid("art_1", Kind.SECTION, "8") == "art_1__sec_8"
    assert make_eid(None, Kind.PREAMBLE, "") == "preamble"
    assert make_eid("chp_1", Kind.PARAGRAPH, "", position=2) == "chp_1__para_nn_2"
    forest = (Provision("x", Kind.SECTION, "1"), Provision("y", Kind.SECTION, "1"))
    assert [p.eid for p in renumber_eids(forest, "art_2")] == ["art_2__sec_1", "art_2__sec_1_2"]


@given(st.integers(min_value=1, max_value=3999))
def test_roman_round_trip(n):
    assert roman_to_int(int_to_roman(n)) == n


@pytest.mark.parametrize("bad", ["", "IIII", "VX", "iv", "A", "IC"])
def test_roman_rejects(bad):
    assert roman_to_int(bad) is None


@pytest.mark.parametrize("bad", [[], {"schema": 99}, {"schema": 1, "id": "x", "provisions": [{"kind": "nope"}]}])
def test_from_dict_rejects_with_read_error(bad):
    with pytest.raises(ReadError):
        Document.from_dict(bad)


def test_dedupe_sibling_eids_renames_subtrees():
    forest = (Provision("a", Kind.SECTION, "1", children=(Provision("a__b", Kind.SUBSECTION, "(b)"),)),
              Provision("a", Kind.SECTION, "1", children=(Provision("a__b", Kind.SUBSECTION, "(b)"),)))
    out = dedupe_sibling_eids(forest)
    assert [p.eid for p in out] == ["a", "a_2"]
    assert out[1].children[0].eid == "a_2__b"
    seen: set[str] = set()
    assert [unique_eid("x", seen) for _ in range(3)] == ["x", "x_2", "x_3"]
