"""compare.topic_profile: the topic tagger's scores as vectors alignment compares (invented wording only)."""

from __future__ import annotations

import numpy as np
import pytest

from compare import semantic, topic_profile, topics
from compare.index import CorpusIndex
from constitutions.model import Document, Kind, Provision
from tests.synthetic import sections_doc


def _key_index(key: str) -> int:
    return [t.key for t in topics.tagger().ontology.topics].index(key)


def test_a_profile_keeps_positive_scores_squared_and_normalised():
    rows = topic_profile.profile(np.array([[0.0, 0.0, 0.0], [0.9, 0.3, -0.5], [-0.2, -0.1, 0.0]]))
    assert np.allclose(rows[0], 0.0) and np.allclose(rows[2], 0.0)  # nothing positive: agrees with nothing
    assert np.isclose(np.linalg.norm(rows[1]), 1.0)
    assert rows[1, 2] == 0.0
    assert rows[1, 0] / rows[1, 1] == pytest.approx((0.9 / 0.3) ** topic_profile.POWER)  # the leading topic dominates


def _president_article(doc_id: str) -> Document:
    """One article of two clauses on two subjects: the President's term and minimum age."""
    clause = lambda eid, text: Provision(eid, Kind.CLAUSE, eid[-1], "", text)  # noqa: E731
    article = Provision("art_1", Kind.ARTICLE, "1", "", "", (
        clause("art_1__cl_1", "The President shall hold office for a term of four years."),
        clause("art_1__cl_2", "No person shall be President unless he has attained the age of thirty-five years.")))
    return Document(doc_id, doc_id.upper(), doc_id, (article,))


def test_an_article_is_about_what_any_of_its_clauses_is_about():
    doc = _president_article("pp")
    features = CorpusIndex([doc]).features("pp")
    scores = topics.document_scores(doc)
    raw = topic_profile.subtree_max(features, scores)
    rows = {u.eid: k for k, u in enumerate(features.units)}
    assert np.allclose(raw[rows["art_1"]], np.maximum(scores["art_1__cl_1"], scores["art_1__cl_2"]))
    assert np.allclose(raw[rows["art_1__cl_1"]], scores["art_1__cl_1"])
    profiles = topic_profile.unit_profiles(features)
    assert profiles.dtype == np.float32
    assert profiles.shape == (len(features.units), len(topics.tagger().ontology.topics))
    assert topic_profile.unit_profiles(features) is profiles  # computed once per document's features
    term, age = _key_index("hosterm"), _key_index("hosage")
    art = profiles[rows["art_1"]]
    assert art[term] > 0 and art[age] > 0  # both clauses' subjects


def test_free_text_is_profiled_as_a_provision_without_heading_or_context():
    text = "The President shall hold office for a term of four years."
    doc = sections_doc("tt", [("", text)])
    assert np.allclose(topics.text_scores(text), topics.document_scores(doc)["sec_1"])
    assert np.allclose(topic_profile.text_profiles([text]), topic_profile.profile(topics.text_scores(text)))
    assert topic_profile.text_profiles([]).shape == (0, len(topics.tagger().ontology.topics))
    assert not topics.text_scores("   ").any()


def test_profiles_agree_on_the_subject_not_on_the_institution_alone():
    removal_a, removal_b, term = topic_profile.text_profiles([
        "The President shall be removed from office on impeachment for treason or bribery.",
        "The President may be removed from office by impeachment for a violation of the Constitution.",
        "The President shall hold office for a term of five years."])
    assert removal_a @ removal_b > removal_a @ term


def test_centred_vectors_drop_what_every_text_shares():
    centre = np.array([1.0, 0.0, 0.0])
    rows = semantic.centred(np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 0.0, 0.0]]), centre)
    assert np.allclose(rows[0], 0.0) and np.allclose(rows[3], 0.0)  # the centre itself, and a blank text
    assert np.allclose(rows[1], [0.0, 1.0, 0.0]) and np.allclose(rows[2], [0.0, 0.0, 1.0])
    assert rows[1] @ rows[2] == pytest.approx(0.0)  # alike only through the centre: nothing in common


def test_similar_profiles_a_provision_query_with_its_own_context_and_free_text_alone():
    from compare.similar import _query_profile

    doc = sections_doc("qq", [("Removal of the President", "The President may be removed by the Senate."),
                              ("", "The budget is published every year.")])
    index = CorpusIndex([doc])
    features = index.features("qq")
    own = _query_profile(index, (doc, "sec_1"))
    assert np.allclose(own, topic_profile.unit_profiles(features)[[features.row("sec_1")]])
    # the heading counts for the provision; typed text has none
    typed = _query_profile(index, "The President may be removed by the Senate.")
    assert np.allclose(typed, topic_profile.text_profiles(["The President may be removed by the Senate."]))
    assert not np.allclose(own, typed)


def test_shared_topics_are_reported_for_one_side_and_scored_for_the_other():
    label = {t.key: t.label for t in topics.tagger().ontology.topics}
    unit = lambda reported, scored: topic_profile.UnitTopics(  # noqa: E731
        reported, scored, {k: label[k] for k in {*reported, *scored}})
    # age scored on both sides but reported for neither; seats reported for A, not scored for B
    a = unit({"hosterm": 0.9, "lhseats": 0.8}, {"hosterm": 1.4, "hosage": 1.0, "lhseats": 1.3})
    b = unit({"hosterm": 0.6}, {"hosterm": 1.1, "hosage": 1.2})
    assert topic_profile.shared_topics(a, b) == (label["hosterm"],)
    b = unit({"hosterm": 0.6, "hosage": 0.7}, {"hosterm": 1.1, "hosage": 1.2})
    assert topic_profile.shared_topics(a, b) == (label["hosterm"], label["hosage"])  # 1.1 before 1.0
    assert topic_profile.shared_topics(b, a) == (label["hosterm"], label["hosage"])
    assert topic_profile.shared_topics(a, b, limit=1) == (label["hosterm"],)
    assert topic_profile.shared_topics(unit({}, {}), b) == ()


def test_unit_topics_gather_an_articles_clauses_and_explanations_use_them():
    from compare.align import align

    doc = _president_article("pq")
    other = sections_doc("pr", [("", "The President holds office for five years and may be re-elected once.")])
    index = CorpusIndex([doc, other])
    features = index.features("pq")
    tags = topics.tag_document(doc)
    rows = topic_profile.unit_topics(features)
    assert topic_profile.unit_topics(features) is rows  # computed once per document's features
    clauses = {s.key for e in ("art_1__cl_1", "art_1__cl_2") for s in tags[e]}
    art = rows[features.row("art_1")]
    assert clauses and set(art.reported) == clauses | {s.key for s in tags["art_1"]}
    scores, minimum = topic_profile.unit_scores(features)[features.row("art_1")], topics.decision_minimum()
    index_of = topics.tagger().topic_index
    assert set(art.scored) == {k for k in index_of if scores[index_of[k]] >= minimum}
    by_label = {t.label: t.key for t in topics.tagger().ontology.topics}
    b = topic_profile.unit_topics(index.features("pr"))[0]
    for row in align(doc, other, index=index, explain=True).rows:
        a = rows[features.row(row.eid)]
        for name in row.matches[0].explanation.shared_topics:
            key = by_label[name]
            assert (key in a.reported and key in b.scored) or (key in b.reported and key in a.scored)
    cl_1 = next(r for r in align(doc, other, index=index, explain=True).rows if r.eid == "art_1__cl_1")
    shared = cl_1.matches[0].explanation.shared_topics
    assert shared and all(name.startswith("Head of state") for name in shared)  # both speak of the President
    free = topic_profile.text_topics("The President holds office for five years and may be re-elected once.")
    assert free.reported == b.reported  # free text is tagged as a provision without heading or context


def test_tags_and_scores_of_free_text_from_one_reading_equal_the_separate_calls():
    text = "The President shall hold office for a term of four years."
    tags, scores = topics.text_tags_and_scores(text)
    assert tags == topics.tag_provision(text) and np.allclose(scores, topics.text_scores(text))
    assert topics.text_tags_and_scores("  ")[0] == () and not topics.text_tags_and_scores("  ")[1].any()
