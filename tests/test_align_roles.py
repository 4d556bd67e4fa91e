"""Role terms (compare.roles) in the alignment's lexical representation: institutions named differently in
each document are matched by the role they play (invented wording only)."""

from __future__ import annotations

import numpy as np
import pytest

from compare import index as index_mod
from compare.align import align
from compare.index import CorpusIndex, role_terms
from constitutions.model import Document, Kind, Provision


def _doc(doc_id: str, title: str, texts: list[str]) -> Document:
    provs = tuple(Provision(f"sec_{i}", Kind.SECTION, str(i), "", text) for i, text in enumerate(texts, start=1))
    return Document(doc_id, title, doc_id, provs)


# A national constitution and a state's own: the same two rules, the institutions named in each tradition's way.
# In B, the right provision shares fewer words with the query than a decoy does, or none at all.
NATION = _doc("nation", "Constitution of the Republic of Arcadia", [
    "The President may refuse to sign a bill and return it within ten days with written objections.",
    "Congress shall meet at least once in every year.",
    "Every citizen may petition for redress of grievances.",
])
STATE = _doc("state", "Constitution of the State of Borealis", [
    "A clerk of court shall sign each bill of costs within ten days.",
    "The Governor may decline to approve a bill and send it back with objections.",
    "The Legislature convenes on the first Monday of each January.",
    "Public schools are free to every child.",
])
# query -> (the right provision of STATE, the decoy that words alone prefer, or None)
CASES = [("sec_1", "sec_2", "sec_1"), ("sec_2", "sec_3", None)]


def _index(monkeypatch, role_tf: float) -> CorpusIndex:
    monkeypatch.setattr(index_mod, "ROLE_TF", role_tf)
    return CorpusIndex([NATION, STATE])  # built directly: the cache key does not see a patched constant


@pytest.mark.parametrize(("query", "right", "decoy"), CASES)
def test_role_terms_make_the_right_provision_win(monkeypatch, query, right, decoy):
    with_roles = align(NATION, STATE, top=3, index=_index(monkeypatch, index_mod.ROLE_TF))
    row = next(r for r in with_roles.rows if r.eid == query)
    assert row.matches[0].eid == right
    if decoy is not None:  # the same index without role terms: words alone pick the decoy
        words_only = align(NATION, STATE, top=3, index=_index(monkeypatch, 0.0))
        assert next(r for r in words_only.rows if r.eid == query).matches[0].eid == decoy


def test_the_shared_role_is_part_of_the_explanation(monkeypatch):
    row = align(NATION, STATE, top=1, index=_index(monkeypatch, index_mod.ROLE_TF)).rows[0]
    assert "role:head-of-state" in row.matches[0].explanation.shared_lemmas


@pytest.mark.parametrize(("text", "subnational", "expected"), [
    ("The Governor may veto bills of the Legislature.", True, ["role:head-of-state", "role:executive",
                                                               "role:legislature"]),
    ("The Governor may veto bills of the Legislature.", False, ["role:subnational-executive", "role:legislature"]),
    ("The President may veto bills of Congress.", False, ["role:head-of-state", "role:executive", "role:legislature"]),
    ("Both the Senate and the Seanad.", False, ["role:second-chamber", "role:legislative-chamber",
                                                "role:second-chamber", "role:legislative-chamber"]),
    ("No institution is named here.", False, []),
])
def test_role_terms(text, subnational, expected):
    assert role_terms(text, subnational) == expected


def test_a_states_own_governor_is_its_head_of_state():
    index = CorpusIndex([NATION, STATE])
    f = index.features("state")
    row = f.tfidf[f.row("sec_2")]
    assert "role:head-of-state" in index.lemmas_of(row.indices)
    assert "role:subnational-executive" not in index.lemmas_of(row.indices)


def test_role_terms_leave_lengths_topics_and_fuzzy_strings_alone(monkeypatch):
    with_roles, without = _index(monkeypatch, 1.0), _index(monkeypatch, 0.0)
    for doc_id in ("nation", "state"):
        a, b = with_roles.features(doc_id), without.features(doc_id)
        assert np.array_equal(a.lengths, b.lengths)
        assert np.allclose(a.topics, b.topics)
        assert a.fuzz_strings == b.fuzz_strings
        assert not any("role:" in s for s in a.fuzz_strings)


def test_similar_reads_the_roles_of_a_free_text_query_and_of_a_provision(monkeypatch):
    from compare import similar as similar_mod
    from compare import text_query

    index = _index(monkeypatch, index_mod.ROLE_TF)

    def best(query) -> tuple[str, float] | None:
        (found,) = similar_mod.similar(query, docs=[NATION], index=index, top=1)
        return (found.matches[0].eid, found.matches[0].score) if found.matches else None

    # "Legislature" is a word NATION never uses: only its role finds "Congress shall meet ..."
    assert best("Where the Legislature sits")[0] == "sec_2"
    assert best((STATE, "sec_3"))[0] == "sec_2"
    monkeypatch.setattr(text_query, "role_terms", lambda text, subnational=False: [])
    for query in ("Where the Legislature sits", (STATE, "sec_3")):
        found = best(query)
        assert found is None or found[0] != "sec_2" or found[1] == 0.0


def test_a_query_vectors_role_terms_are_weighted_as_a_units_are(monkeypatch):
    index = _index(monkeypatch, index_mod.ROLE_TF)
    plain, raw_plain = index.query_vector(["sign", "bill"])
    named, raw_named = index.query_vector(["sign", "bill"], ["role:head-of-state"])
    j = index.vocab["role:head-of-state"]
    assert plain[0, j] == 0 and named[0, j] == pytest.approx(index.idf[j] * index_mod.ROLE_TF)
    assert (raw_plain != raw_named).nnz == 0  # role terms never count in lengths or topics
    assert index.query_vector([], ["role:no-such-role"])[0].nnz == 0
