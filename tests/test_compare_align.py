"""compare.align / similar / matrix on small invented documents, and the gold set on the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz, process, utils

from compare.align import MEANING_WEIGHT, Alignment, align, verdict_evidence
from compare.index import CorpusIndex
from compare.matrix import similarity_matrix
from compare.similar import similar
from constitutions.model import Document, Kind, Provision
from convene.errors import NotFoundError, ValidationError
from tests.synthetic import sections_doc

GOLD = Path(__file__).parent / "data" / "gold_alignment.json"


_doc = sections_doc


# invented wording: A and B address the same subjects in different order and words
A = _doc("aa", [
    ("", "Officers may not search any dwelling or seize papers without a warrant issued by a magistrate."),
    ("", "The assembly of the republic holds every legislative power and meets each spring."),
    ("", "No person may be held in slavery or forced labour."),
    ("", "Citizens may keep and carry firearms for hunting."),
])
B = _doc("bb", [
    ("Slavery", "Slavery and forced labour are forbidden for every person."),
    ("Legislature", "All legislative power rests in the assembly, which meets in spring."),
    ("Home", "A dwelling may be searched, and papers seized, only under a warrant from a magistrate."),
    ("Budget", "The treasury publishes an annual budget and audited accounts."),
    ("Schools", "Primary schooling is free and compulsory for all children."),
])

EXPECTED_TOP = [("sec_1", "sec_3"), ("sec_2", "sec_2"), ("sec_3", "sec_1")]


@pytest.fixture(scope="module")
def alignment() -> Alignment:
    return align(A, B, top=3)


@pytest.mark.parametrize(("a_eid", "b_eid"), EXPECTED_TOP)
def test_best_match(alignment, a_eid, b_eid):
    row = next(r for r in alignment.rows if r.eid == a_eid)
    assert row.matches[0].eid == b_eid


def test_rows_cover_every_provision_with_words_and_scores_are_ranked(alignment):
    assert [r.eid for r in alignment.rows] == ["sec_1", "sec_2", "sec_3", "sec_4"]
    for row in alignment.rows:
        scores = [m.score for m in row.matches]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert len({m.eid for m in row.matches}) == len(row.matches) <= 3


def test_explanation_names_shared_lemmas(alignment):
    best = alignment.rows[0].matches[0].explanation
    assert {"warrant", "magistrate", "dwell"} <= set(best.shared_lemmas)
    assert 0 < best.lexical <= 1 and best.fused > 0
    assert best.semantic is None or 0 <= best.semantic <= 1


def test_shared_topics_are_computed_when_asked_and_the_ranking_is_the_same(alignment):
    explained = align(A, B, top=3, explain=True)
    assert [[(m.eid, m.score) for m in r.matches] for r in explained.rows] == \
        [[(m.eid, m.score) for m in r.matches] for r in alignment.rows]
    assert all(m.explanation.shared_topics is None for r in alignment.rows for m in r.matches)
    assert all(isinstance(m.explanation.shared_topics, tuple) for r in explained.rows for m in r.matches)


def test_json_shape(alignment):
    data = alignment.to_json()
    assert set(data) == {"a", "b", "rows"} and (data["a"], data["b"]) == ("aa", "bb")
    row = data["rows"][0]
    assert set(row) == {"id", "citation", "counterpart", "matches"}
    assert set(row["matches"][0]) == {"id", "citation", "score"}
    assert isinstance(row["counterpart"], bool)


def test_empty_document_gives_empty_rows():
    empty = Document("ee", "E", "ee", (Provision("sec_1", Kind.SECTION, "1"),))
    assert align(empty, B).rows == ()
    rows = align(A, empty).rows
    assert [r.matches for r in rows] == [()] * 4 and not any(r.counterpart for r in rows)


def test_bad_top_is_a_validation_error():
    with pytest.raises(ValidationError):
        align(A, B, top=0)


def test_similar_free_text_and_provision():
    index = CorpusIndex([A, B])
    hits = similar("a magistrate's warrant to search a dwelling", index=index, top=2)
    assert [h.doc for h in hits] and all(h.matches[0].eid in {"sec_1", "sec_3"} for h in hits)
    by_provision = similar((A, "sec_3"), [A, B], top=1)
    assert [h.doc for h in by_provision] == ["bb"] and by_provision[0].matches[0].eid == "sec_1"
    assert similar("   ", [A, B]) == []
    assert similar("zzzz qqqq", [A, B]) == []


def test_similar_long_query_is_handled():
    text = "The assembly holds legislative power. " * 2800  # over 100,000 characters
    hits = similar(text, [B], top=1)
    assert hits[0].matches[0].eid == "sec_2"


def test_long_query_compares_its_heaviest_known_lemmas_only():
    from compare.index import MAX_FUZZ_LEMMAS
    from compare.text_query import _fuzz_string
    from constitutions.language import analyse

    index = CorpusIndex([A, B])
    made_up = " ".join(f"zz{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(MAX_FUZZ_LEMMAS + 50))
    lemmas = analyse("The assembly holds legislative power. " + made_up).lemmas
    tfidf, _ = index.query_vector(lemmas)
    words = _fuzz_string(index, lemmas, tfidf).split()
    assert set(words) == {"assembly", "hold", "legislative", "power"}  # unknown to the index: never compared
    short = analyse("The assembly holds legislative power.").lemmas
    assert _fuzz_string(index, short, index.query_vector(short)[0]) == "assembly hold legislative power"


def test_index_rejects_unknown_document():
    with pytest.raises(NotFoundError):
        CorpusIndex([A]).features("zz")


def test_matrix_is_symmetric_with_unit_diagonal():
    m = similarity_matrix([A, B])
    scores = np.array(m.scores)
    assert m.ids == ("aa", "bb")
    assert np.allclose(scores, scores.T) and np.allclose(np.diag(scores), 1.0)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert {(p.a, p.b) for p in m.pairs} == {("aa", "bb"), ("bb", "aa")}


# ------------------------------------------------------------------ counterpart verdict across sizes

SUBJECTS = ("The harbour board", "Each district council", "The forestry office", "The mint", "The census bureau",
            "The railway commission", "Every public library", "The weather service", "The lottery agency",
            "The postal service", "The fisheries inspectorate", "The museum trust", "The road authority",
            "The statistics office", "The water board", "The dairy council", "The archive", "The port pilots",
            "The tourism office", "The mapping agency")
ACTIONS = ("shall publish yearly figures on", "may set fees for", "must keep public records of", "shall inspect",
           "may license", "shall maintain", "must report quarterly on", "may lease", "shall audit", "may tax",
           "shall survey", "must repair", "may subsidise", "shall catalogue", "must forecast", "may auction",
           "shall insure", "must measure", "may regulate", "shall promote")
OBJECTS = ("river locks", "timber sales", "coin designs", "household counts", "freight wagons", "rare books",
           "storm warnings", "ticket prizes", "parcel routes", "trawler catches", "painting loans", "toll bridges",
           "price indices", "reservoir levels", "cheese exports", "old maps", "tide tables", "hotel ratings",
           "boundary stones", "canal barges", "grain silos", "lighthouse lamps")
SAME_A = "Officers may not search any dwelling or seize papers without a warrant issued by a magistrate."
SAME_B = "No officer may search a dwelling or seize papers without a warrant issued by a magistrate."
UNRELATED_A = "Every citizen shall have the right to keep and carry firearms for hunting."


def _sized_b(n: int) -> Document:
    """A document of ``n`` sections: invented administrative filler with SAME_B in the middle."""
    texts = [f"{SUBJECTS[i % 20]} {ACTIONS[(i // 20) % 20]} {OBJECTS[(i * 7 + i // 20) % len(OBJECTS)]}."
             for i in range(n - 1)]
    texts.insert((n - 1) // 2, SAME_B)
    return _doc(f"b{n}", [("", t) for t in texts])


@pytest.mark.parametrize("semantic", ["1", "0"])
@pytest.mark.parametrize(("n", "same_at"), [(5, "sec_3"), (20, "sec_10"), (400, "sec_200")])
def test_counterpart_verdict_holds_for_every_size_of_b(monkeypatch, semantic, n, same_at):
    monkeypatch.setenv("CONVENE_SEMANTIC", semantic)
    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", semantic)
    a = _doc("aa", [("", SAME_A), ("", UNRELATED_A)])
    same, unrelated = align(a, _sized_b(n), top=3).rows
    assert (same.matches[0].eid, same.counterpart) == (same_at, True)
    assert unrelated.counterpart is False


@pytest.mark.parametrize(("z", "meaning", "expected"), [
    (4.0, None, 4.0),  # without the encoder the verdict weighs the standing alone
    (4.0, 0.0, 4.0),  # a cosine at the centre of constitutional prose adds nothing
    (4.0, 0.5, 4.0 + 0.5 * MEANING_WEIGHT),
    (4.0, -0.2, 4.0 - 0.2 * MEANING_WEIGHT),  # meaning less alike than typical prose counts against
])
def test_verdict_evidence_adds_the_encoders_cosine_to_the_standing(z, meaning, expected):
    assert verdict_evidence(z, meaning) == pytest.approx(expected)


@pytest.mark.parametrize(("n", "same_at"), [(5, "sec_3"), (20, "sec_10"), (400, "sec_200")])
def test_similar_gives_a_provision_query_the_alignments_verdict(monkeypatch, n, same_at):
    """similar() gives each document the alignment's verdict for a provision: its best match is shown either way,
    and only a document with a real counterpart is said to have one.  Free text gets no verdict."""
    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", "0")
    a, b = _doc("aa", [("", SAME_A), ("", UNRELATED_A)]), _sized_b(n)
    index = CorpusIndex([a, b])
    rows = {r.eid: r for r in align(a, b, top=1, index=index).rows}
    for eid in ("sec_1", "sec_2"):
        (found,) = similar((a, eid), index=index, top=1)
        assert found.counterpart is rows[eid].counterpart
        assert found.matches[0].eid == rows[eid].matches[0].eid
    assert similar((a, "sec_1"), index=index, top=1)[0].matches[0].eid == same_at
    assert [d.counterpart for d in similar(SAME_A, [b], index=index)] == [None]


# ------------------------------------------------------------------ corpus

FILES = {
    "us": "us/HMAN-117-constitution.xml", "us-ca": "us-ca/CA Code - California Constitution.txt",
    "de": "germany/German_Federal_Republic_2012.txt", "ie": "ireland/Ireland_2012.txt", "jp": "japan/Japan_1946.txt",
    "ke": "kenya/Kenya_2010.txt", "in": "india/India_2012.txt", "ch": "switzerland/Switzerland_2002.txt",
    "ca": "canada/Canada_2011.txt", "np": "nepal", "za": "south-africa/constitution.json",
}


def _refs(gold):
    for p in gold["pairs"]:
        yield p["a"]
        yield from p["b"]
    for n in gold["no_counterpart"]:
        yield n["a"]


@pytest.mark.corpus
def test_gold_set_is_big_enough_and_resolves(corpus_doc):
    gold = json.loads(GOLD.read_text())
    assert len(gold["pairs"]) >= 60 and len(gold["no_counterpart"]) >= 10
    for ref in _refs(gold):
        doc_id, eid = ref.split(":", 1)
        assert corpus_doc(FILES[doc_id]).get(eid).full_text().strip(), ref
    for n in gold["no_counterpart"]:
        assert n["in"] in FILES


@pytest.mark.corpus
def test_matcher_beats_token_set_ratio_on_us_california(corpus_doc):
    gold = json.loads(GOLD.read_text())
    us, ca = corpus_doc(FILES["us"]), corpus_doc(FILES["us-ca"])
    rows = {r.eid: r for r in align(us, ca, top=5).rows}
    texts = [(loc.provision.eid, loc.provision.full_text()) for loc in ca.walk() if loc.provision.full_text()]
    ours = base = 0
    for p in gold["pairs"]:
        if not (p["a"].startswith("us:") and p["b"][0].startswith("us-ca:")):
            continue
        targets = [b.split(":", 1)[1] for b in p["b"]]

        def hit(eid, targets=targets):
            return any(eid == t or eid.startswith(t + "__") for t in targets)

        ours += any(hit(m.eid) for m in rows[p["a"][3:]].matches)
        scores = process.cdist([us.get(p["a"][3:]).full_text()], [t for _, t in texts], scorer=fuzz.token_set_ratio,
                               processor=utils.default_process)[0]
        base += any(hit(texts[k][0]) for k in np.argsort(-scores, kind="stable")[:5])
    assert ours > base


# ------------------------------------------------------------------ standardised fusion

PRIOR = (0.1, 0.1)


@pytest.mark.parametrize(("row", "outlier_z_at_least"), [
    ([0.9, 0.0, 0.0, 0.0, 0.0], 6.0),  # one identical unit among five: measured against the four others
    ([0.9] + [0.1] * 399, 6.0),  # and among four hundred
])
def test_standardise_measures_a_candidate_against_the_others(row, outlier_z_at_least):
    from compare.align import standardise

    z = standardise(np.array([row]), np.ones(len(row), dtype=bool), PRIOR)[0]
    assert z[0] >= outlier_z_at_least
    assert np.all(z[1:] < 1.0)


def test_standardise_shrinks_a_tiny_document_toward_the_prior():
    from compare.align import standardise

    # a single candidate has no others: it is judged against the prior alone
    assert standardise(np.array([[0.4]]), np.array([True]), PRIOR)[0, 0] == pytest.approx((0.4 - 0.1) / 0.1)
    # a unit outside the mask is measured against every candidate, and its own value is not removed from them
    z = standardise(np.array([[0.1, 0.1, 0.5]]), np.array([True, True, False]), PRIOR)[0]
    assert z[2] > z[0] and z[0] == pytest.approx(z[1])


@pytest.mark.parametrize("semantic", [False, True])
def test_score_is_a_monotone_map_to_the_unit_interval(semantic):
    from compare.align import FUSED_MID, to_score

    fused = np.array([-50.0, 0.0, FUSED_MID[semantic], 10.0, 50.0])
    s = to_score(fused, semantic)
    assert np.all(np.diff(s) > 0) and s[0] >= 0.0 and s[-1] <= 1.0
    assert s[2] == pytest.approx(0.5)


def test_a_candidate_sharing_nothing_with_the_query_scores_zero():
    (found,) = similar("The treasury keeps accounts.", [B], top=5)
    scores = {m.eid: m.score for m in found.matches}
    assert found.matches[0].eid == "sec_4" and scores["sec_4"] > 0.0
    # no shared word, topic or latent association (the index is too small for LSA): nothing to score
    assert scores and all(s == 0.0 for eid, s in scores.items() if eid != "sec_4")


# an article with two sections beside two articles without: the null's nesting, and like with like
COURTS = Document(id="courts", title="Courts", jurisdiction="xx", version="2020", provisions=(
    Provision("art_1", Kind.ARTICLE, "1", "Judiciary", "", children=(
        Provision("art_1__sec_1", Kind.SECTION, "1", "", "Judges decide cases free of orders from ministers."),
        Provision("art_1__sec_2", Kind.SECTION, "2", "", "Every judge leaves the bench at seventy years of age."))),
    Provision("art_2", Kind.ARTICLE, "2", "Money", "The treasury keeps the public accounts."),
    Provision("art_3", Kind.ARTICLE, "3", "Roads", "The state maintains the highways."),
))


def test_the_null_leaves_out_the_units_nested_in_the_best_match_or_containing_it():
    from compare.align import Scored, null_rows

    fb = CorpusIndex.load_or_build([COURTS]).features("courts")
    rows = {u.eid: i for i, u in enumerate(fb.units)}
    for best_eid, left_out in (("art_1__sec_1", {"art_1"}), ("art_1", {"art_1__sec_1", "art_1__sec_2"}),
                               ("art_3", set())):
        cheap = np.zeros((1, len(fb.units)))
        cheap[0, rows[best_eid]] = 5.0
        scored = Scored(cheap, np.array([[rows[best_eid]]]), np.array([[0.9]]), {}, fb.candidate_mask)
        best, others = null_rows(scored, 0, fb)
        expected = {e for e in rows if fb.candidate_mask[rows[e]]} - {best_eid} - left_out
        assert fb.units[best].eid == best_eid
        assert {fb.units[r].eid for r in others} == expected
        # without B's features only the best match itself is left out
        assert {fb.units[r].eid for r in null_rows(scored, 0)[1]} == expected | left_out


# like with like: a provision holding no candidate unit meets single provisions, never the article around them
BENCH = Document(id="bench", title="Bench", jurisdiction="yy", version="2021", provisions=(
    Provision("art_7", Kind.ARTICLE, "7", "The courts", "", children=(
        Provision("art_7__sec_1", Kind.SECTION, "1", "", "No minister may give orders to a judge on a case."),
        Provision("art_7__sec_2", Kind.SECTION, "2", "", "A judge retires at the age of seventy years."))),
    Provision("art_8", Kind.ARTICLE, "8", "Accounts", "Public accounts are kept by the treasury."),
))


def test_units_holding_candidates_and_single_candidates():
    fb = CorpusIndex.load_or_build([COURTS]).features("courts")
    holds = {u.eid for u, h in zip(fb.units, fb.holds_candidates, strict=True) if h}
    single = {u.eid for u, s in zip(fb.units, fb.single_candidates, strict=True) if s}
    assert holds == {"art_1"}
    assert single == {"art_1__sec_1", "art_1__sec_2", "art_2", "art_3"}


@pytest.mark.parametrize(("query", "offered_article"), [
    ("art_7", True),  # an article with sections may meet a whole article
    ("art_7__sec_1", False), ("art_7__sec_2", False), ("art_8", False),  # a single provision never does
])
def test_a_query_is_offered_the_whole_article_only_when_it_holds_sections(query, offered_article):
    from compare.align import score_block

    index = CorpusIndex.load_or_build([BENCH, COURTS])
    fa, fb = index.features("bench"), index.features("courts")
    rows = [fa.row(query)]
    scored = score_block(index, fa.tfidf[rows], fa.topics[rows], [fa.fuzz_strings[r] for r in rows], fb,
                         shared=fa.vocab_mask & fb.vocab_mask, q_holds=fa.holds_candidates[rows])
    candidates = {fb.units[j].eid for j in scored.candidates[0]}
    assert ("art_1" in candidates) is offered_article
    assert {"art_1__sec_1", "art_1__sec_2", "art_2", "art_3"} <= candidates
    assert bool(scored.offered(0)[fb.row("art_1")]) is offered_article


def test_clauses_meet_their_sections_and_typed_text_never_meets_a_whole_article():
    alignment = align(BENCH, COURTS, top=3)
    tops = {r.eid: r.matches[0].eid for r in alignment.rows}
    assert tops["art_7__sec_1"] == "art_1__sec_1"
    assert tops["art_7__sec_2"] == "art_1__sec_2"
    for found in similar("judges retire at seventy", [COURTS, BENCH], top=5):
        assert found.matches and all(m.eid not in {"art_1", "art_7"} for m in found.matches)
