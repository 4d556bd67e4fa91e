"""compare.topics: the Constitute ontology and provision tagging."""

from __future__ import annotations

import re

import numpy as np
import pytest

from compare import topic_cues, topics
from compare.topics import clear_cache, load_ontology, search_topics, stem, tag_document, tag_provision, tagger, terms
from constitutions.model import Document, Kind, Provision
from convene.errors import ReadError
from tests.needs import need_encoder


@pytest.fixture(scope="session")
def ontology(corpus_dir):
    return load_ontology(corpus_dir / "constitute-topics" / "ontology.owl")


def test_ontology_shape(ontology):
    assert len(ontology.categories) == 11
    assert len(ontology.topics) == 328
    hosdec = ontology.topic("hosdec")
    assert hosdec.label == "Head of state decree power"
    assert hosdec.category == "executive"
    assert {"king", "president"} <= set(hosdec.keywords)
    assert hosdec.description
    assert {t.category for t in ontology.topics} == {c.key for c in ontology.categories}
    assert any("head of state" in q for q in ontology.topic("hoselect").questions)
    assert sum(bool(t.questions) for t in ontology.topics) > 300


def test_missing_ontology_is_a_clear_error(tmp_path):
    with pytest.raises(ReadError, match="ontology"):
        load_ontology(tmp_path / "nothing.owl")


def test_hostile_ontology_is_not_resolved(tmp_path):
    owl = tmp_path / "evil.owl"
    owl.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>')
    with pytest.raises(ReadError):
        load_ontology(owl)


# invented wording, one subject each
TAGS = [
    ("Nobody may be stopped from voicing opinions; freedom of expression is guaranteed.", "", "express"),
    ("Officers may not make searches and seizures of a home without a warrant.", "", "evidence"),
    ("Every person may worship freely: freedom of religion is guaranteed.", "Religion", "freerel"),
    ("Citizens may keep and bear arms.", "", "arms"),
]


@pytest.mark.parametrize(("text", "heading", "expected"), TAGS)
def test_tag_provision_finds_the_subject(ontology, text, heading, expected):
    found = tag_provision(text, heading)
    assert expected in [s.key for s in found[:3]]
    assert all(0 < s.confidence <= 1 for s in found)
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)


def test_tag_provision_empty_text(ontology):
    assert tag_provision("", "") == ()


def test_tag_document_inherits_from_a_bare_heading(ontology):
    child = Provision("art_1__sec_1", Kind.SECTION, "1", "", "")
    art = Provision("art_1", Kind.ARTICLE, "1", "Freedom of religion", "", (child,))
    doc = Document("x", "X", "x", (art,))
    tags = tag_document(doc)
    assert "freerel" in [s.key for s in tags["art_1"]]
    assert "freerel" in [s.key for s in tags["art_1__sec_1"]]


@pytest.mark.parametrize(("phrase", "expected"), [("freedom of speech", "express"), ("bear arms", "arms")])
def test_search_topics(ontology, phrase, expected):
    assert search_topics(phrase)[0].key == expected


def test_search_topics_empty():
    assert search_topics("  ") == []
    assert topics.topic_keys(()) == ()


# Porter (1980) stems: the paper's examples and the word families tagging relies on
STEMS = [("caresses", "caress"), ("ponies", "poni"), ("cats", "cat"), ("feed", "feed"), ("agreed", "agre"),
         ("plastered", "plaster"), ("motoring", "motor"), ("hopping", "hop"), ("filing", "file"), ("happy", "happi"),
         ("relational", "relat"), ("conditional", "condit"), ("hopeful", "hope"), ("goodness", "good"),
         ("adjustment", "adjust"), ("adoption", "adopt"), ("controll", "control"), ("rate", "rate"), ("as", "as"),
         ("equal", "equal"), ("equality", "equal"), ("equally", "equal"), ("elect", "elect"), ("election", "elect"),
         ("elections", "elect"), ("amendment", "amend"), ("amend", "amend")]


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_stem(word, expected):
    assert stem(word) == expected


def test_terms_are_stems_then_bigrams():
    assert terms(["head", "state", "elections"]) == ["head", "state", "elect", "head state", "state elect"]
    assert terms([]) == []


def test_shared_sibling_words_weigh_less_than_distinguishing_ones(ontology):
    t = tagger(ontology.source)
    assert t.df["presid"] >= 12  # every head-of-state topic shares it
    assert t.idf["presid"] < t.idf["head state"]


@pytest.fixture
def lexical_only(monkeypatch):
    """Tagging without the optional sentence encoder."""
    monkeypatch.setenv("CONVENE_TOPIC_SEMANTIC", "0")
    clear_cache()
    yield
    clear_cache()


def _use_encoder(monkeypatch, on: bool = True) -> None:
    """Tag with the sentence encoder (:func:`tests.needs.need_encoder`), or without it."""
    if on:
        need_encoder()
    monkeypatch.setenv("CONVENE_TOPIC_SEMANTIC", "1" if on else "0")


@pytest.fixture
def with_semantic(monkeypatch):
    _use_encoder(monkeypatch)
    clear_cache()
    yield
    clear_cache()


def test_siblings_need_their_own_evidence(ontology, lexical_only):
    text = "The head of state is elected for a term of five years; nobody may serve more than two terms."
    found = [s.key for s in tag_provision(text, "")]
    assert [k for k in found if k.startswith("hos")] == ["hosterm"], found


@pytest.mark.parametrize("switch", ["CONVENE_TOPIC_SEMANTIC", "CONVENE_SEMANTIC"])
def test_without_the_encoder_tagging_is_lexical(ontology, monkeypatch, switch):
    monkeypatch.setenv("CONVENE_TOPIC_SEMANTIC", "1")
    monkeypatch.setenv(switch, "0")
    t = tagger(ontology.source)
    assert t.topic_embeddings is None
    assert t.semantic_z(["some words"], [""], [""]) is None
    found = tag_provision("Every person may worship freely: freedom of religion is guaranteed.", "Religion")
    assert found and all(0 < s.confidence <= 1 for s in found)


# invented wording whose subject the ontology names with other words ("double jeopardy", "environment")
SEMANTIC_TAGS = [
    ("Nobody may be tried twice for the same offence.", "", "doubjep"),
    ("The State shall keep the air, water and forests clean for future generations.", "", "env"),
]


@pytest.mark.parametrize(("text", "heading", "expected"), SEMANTIC_TAGS)
def test_the_encoder_bridges_the_ontology_vocabulary(ontology, monkeypatch, with_semantic, text, heading, expected):
    found = tag_provision(text, heading)
    assert expected in [s.key for s in found]
    assert all(0 < s.confidence <= 1 for s in found)
    _use_encoder(monkeypatch, False)
    assert expected not in [s.key for s in tag_provision(text, heading)]  # the words alone do not get there


def test_semantic_z_scores_are_normalised_per_provision(ontology, with_semantic):
    t = tagger(ontology.source)
    z = t.semantic_z(["Citizens may keep and bear arms.", ""], ["", ""], ["", ""], attributes=False)
    assert z.shape == (2, len(ontology.topics))
    assert z[0].mean() == pytest.approx(0.0, abs=1e-6) and z[0].std() == pytest.approx(1.0, abs=1e-6)
    assert not z[1].any()  # nothing to embed: no semantic evidence
    assert int(z[0].argmax()) == [x.key for x in ontology.topics].index("arms")


def test_semantic_tagging_is_deterministic_and_cached(ontology, with_semantic):
    art = Provision("art_1", Kind.ARTICLE, "1", "Bail", "A person held may be released pending trial.")
    doc = Document("b", "B", "b", (art,))
    first = tag_document(doc)
    clear_cache()
    assert tag_document(doc) == first
    assert all(0 < s.confidence <= 1 for s in first["art_1"])


def test_ancestor_headings_give_context(ontology):
    child = Provision("art_1__sec_1", Kind.SECTION, "1", "", "The state shall protect it and prevent harm to it.")
    art = Provision("art_1", Kind.ARTICLE, "1", "Protection of the natural environment", "", (child,))
    tags = tag_document(Document("ctx", "Ctx", "ctx", (art,)))
    assert "env" in [s.key for s in tags["art_1__sec_1"]]
    assert "env" not in [s.key for s in tag_provision(child.text, "")]


def test_tag_document_is_cached_per_content(ontology):
    art = Provision("art_1", Kind.ARTICLE, "1", "Freedom of religion", "Everyone may practise a religion.")
    doc = Document("c", "C", "c", (art,))
    first = tag_document(doc)
    assert tag_document(Document("c", "C", "c", (art,))) is first
    clear_cache()
    again = tag_document(doc)
    assert again is not first and again == first
    changed = Provision("art_1", Kind.ARTICLE, "1", "Flag", "The flag is blue.")
    assert tag_document(Document("c", "C", "c", (changed,))) != first


def test_lemma_profiles_for_alignment(ontology):
    t = tagger(ontology.source)
    profile = t.profiles[[x.key for x in ontology.topics].index("equal")]
    assert {"equal", "equality"} <= set(profile.weights)
    assert profile.norm == pytest.approx(float(t.norms[[x.key for x in ontology.topics].index("equal")]))


def test_document_scores_are_what_tag_document_thresholds(ontology):
    """Every provision gets one score per topic, and every reported tag's score clears the decision minimum."""
    clear_cache()
    child = Provision("art_1__para_1", Kind.PARAGRAPH, "1", "", "Every citizen may vote by secret ballot.")
    bare = Provision("art_1", Kind.ARTICLE, "1", "Elections", "", (child,))
    doc = Document("s", "S", "s", (bare,))
    scores = topics.document_scores(doc)
    tags = tag_document(doc)
    assert set(scores) == set(tags) == {"art_1", "art_1__para_1"}
    keys = [t.key for t in tagger().ontology.topics]
    minimum = topics.FUSED_MIN if topics.semantic.for_topics() else topics.MIN_CONFIDENCE
    for eid, found in tags.items():
        assert scores[eid].shape == (len(keys),)
        for s in found:
            assert scores[eid][keys.index(s.key)] >= minimum
    assert tags["art_1__para_1"]


# invented wording naming an institution the ontology only knows by its role ("second chamber", "head of government")
ROLE_TAGS = [
    ("The Senate consists of two members from each province.", "uh"),
    ("The Bundesrat has one seat for each Land.", "uhseats"),
    ("The Taoiseach is appointed by the President on the nomination of the Dáil.", "hogelect"),
]


@pytest.mark.parametrize("semantic_on", [False, True])
@pytest.mark.parametrize(("text", "expected"), ROLE_TAGS)
def test_institutions_are_read_as_their_role(ontology, monkeypatch, text, expected, semantic_on):
    """Without compare.roles none of these is tagged at all, with or without the embedding model."""
    _use_encoder(monkeypatch, semantic_on)
    found = tag_provision(text, "")
    assert any(s.key.startswith(expected) for s in found), found
    role_terms = {"second chamber", "head govern"}
    assert any(role_terms & set(s.evidence) for s in found if s.key.startswith(expected))  # explained by the role


def test_role_evidence_counts_each_role_once_and_not_the_broader_one(ontology):
    t = tagger(ontology.source)
    assert topic_cues.named_roles("The Senate and the Senate, then the House of Representatives.") == [
        "second chamber", "first chamber"]
    assert topic_cues.named_roles("The Governor signs.") == ["subnational executive"]
    assert topic_cues.named_roles("The Governor signs.", subnational=True) == ["head of state"]
    items = t.role_evidence(["second chamber"], ["second chamber"], [["cabinet"]])
    assert items == [(("second", "chamber"), topics.ROLE_WEIGHT),
                     (("second", "chamber"), topics.ROLE_WEIGHT * topics.ROLE_HEADING * topics.HEADING_WEIGHT),
                     (("cabinet",), topics.ROLE_WEIGHT * topics.ROLE_HEADING * topics.CONTEXT_WEIGHT)]
    assert t.role_evidence(topic_cues.named_roles("No institution here.")) == []


def test_a_state_constitution_has_its_governor_as_head_of_state(ontology, lexical_only):
    art = Provision("art_1", Kind.ARTICLE, "1", "", "The Governor holds office for a term of four years.")
    state = tag_document(Document("g", "Constitution of the State of Utopia", "g", (art,)))
    nation = tag_document(Document("g", "Constitution of Utopia", "g", (art,)))  # same content: not the same tags
    assert "hosterml" in [s.key for s in state["art_1"]]
    assert "hosterml" not in [s.key for s in nation["art_1"]]


@pytest.mark.parametrize(("label", "expected"), [
    ("Head of government term length", {"head-of-government"}),
    ("Advisory bodies to the head of state", {"head-of-state"}),
    ("Size of second chamber", {"second-chamber"}),
    ("Min age of const court judges", {"constitutional-court"}),
    ("Supreme/ordinary court judge removal", {"apex-court", "ordinary-court"}),
    ("Eligibility for administrative judges", {"administrative-court"}),
    ("Deputy executive", {"deputy-head-of-state", "deputy-head-of-government"}),
    ("Protection of consumers", set()),
    ("Right to join trade unions", set()),
    ("Mandatory retirement age for judges", {"judiciary"}),
    ("Establishment of judicial council", {"judiciary"}),
    ("Protection of judges' salaries", {"judiciary"}),
])
def test_topic_institutions_are_read_from_the_label(label, expected):
    assert topic_cues.topic_institutions(label) == expected


def test_every_institution_a_topic_label_names_is_a_known_role(ontology):
    from compare import roles

    about = [topic_cues.topic_institutions(t.label) for t in ontology.topics]
    assert set().union(*about) <= {*roles.BY_KEY, topic_cues.JUDICIARY}  # judges in general: read by word
    assert sum(bool(a) for a in about) >= 60  # the head-of-state, chamber and court families at least


def test_institution_scope(ontology):
    t = tagger(ontology.source)
    keys = [x.key for x in ontology.topics]

    def allowed(*levels):
        mask = t.allowed(tuple(frozenset(level) for level in levels))
        return {k for k, ok in zip(keys, [True] * len(keys) if mask is None else mask, strict=True) if ok}

    president = allowed({"head-of-state"})
    assert {"hosterm", "hoselect", "lhseats", "env"} <= president and not {"hogterm", "cabsel"} & president
    both = allowed({"head-of-state", "head-of-government"})
    assert {"hosterm", "hogterm"} <= both and "cabsel" not in both
    assert "hogterm" in allowed(set(), {"head-of-government"})  # the parent's heading names it
    assert "hogterm" not in allowed({"head-of-state"}, {"head-of-government"})  # the nearest level decides
    senate = allowed({"second-chamber"})
    assert "uhseats" in senate and "lhseats" not in senate
    assert {"lhseats", "uhseats", "hogterm", "hocterm", "ordterm"} <= allowed()  # nothing named: no scope
    assert not {"conterm", "adterm", "ecterm", "depexec"} & allowed()  # named-only institutions
    court = allowed({"constitutional-court"})
    assert "conterm" in court and not {"hocterm", "ordterm", "adterm"} & court
    assert {"jrem", "ordterm", "hocterm"} <= allowed({"apex-court", "ordinary-court"})
    # a deputy stands in for the head of state: the nearest level naming either decides between them
    assert "depexec" not in allowed({"head-of-state"}, {"deputy-head-of-state"})
    assert "depexec" in allowed({"head-of-state", "deputy-head-of-state"})
    deputy = allowed({"deputy-head-of-state"}, {"head-of-state"})
    assert "depexec" in deputy and not {"hosterm", "hoselect", "hosdiss"} & deputy
    assert not {"jc", "judretir", "judsal"} & allowed({"second-chamber"})  # judges in general need a judicial word
    assert {"jc", "judretir", "judsal"} <= allowed({"second-chamber"}, {"judiciary"})


@pytest.mark.parametrize(("heading", "expected"), [
    ("THE STATES", True), ("Provinces", True), ("County Governments", True), ("Local government", True),
    ("THE PANCHAYATS", True), ("PROVINCIAL CONSTITUTIONS", True), ("State Executive", True),
    ("Local Self-Government", True), ("DEVOLVED GOVERNMENT", True), ("COUNTIES (Article 6 (1))", True),
    # the nation itself, or the nation beside its parts
    ("THE STATE", False), ("Relations between the Union and the States", False),
    ("The Federation and the Länder", False), ("National and provincial legislation", False),
    ("THE UNION TERRITORIES", False), ("Emergency provisions in the States", False), ("Parliament", False), ("", False),
])
def test_subnational_headings(heading, expected):
    assert topic_cues.subnational_heading(heading) is expected


def test_subnational_parts_have_no_national_institution_topics(ontology):
    t = tagger(ontology.source)
    keys = [x.key for x in ontology.topics]
    def barred(subnational_part: bool) -> set[str]:
        mask = t.allowed((frozenset({"judiciary"}),), subnational_part=subnational_part)
        return {k for k, ok in zip(keys, mask, strict=True) if not ok}

    more = barred(True) - barred(False)
    assert {"hogterm", "hogdiss", "cabsel", "lhseats", "uhseats", "hosterm"} <= more
    assert not {"ordsel", "hocterm", "judsal", "mun", "sub", "env"} & barred(True)  # courts and all else stay

    def doc(heading: str) -> Document:
        art = Provision("part_6__art_1", Kind.ARTICLE, "1", "", "The Council of Ministers shall be collectively "
                        "responsible to the Assembly.")
        return Document("x-" + heading, "X", "x", (Provision("part_6", Kind.PART, "6", heading, "", (art,)),))

    def institutional(found) -> list[str]:
        return [s.key for s in found["part_6__art_1"] if s.key.startswith(("cab", "hog", "hos", "lh", "uh"))]

    assert "cabinet" in institutional(tag_document(doc("THE GOVERNMENT")))
    assert institutional(tag_document(doc("THE STATES"))) == []
    # the builders of the adapted vectors and the vocabulary read wording, at every level
    wording, _ = topics._compute(topics.TopicTagger(ontology, national_scope=False), doc("THE STATES"))
    assert institutional(wording)


@pytest.mark.parametrize(("text", "expected"), [
    ("Judges of the district courts are appointed by the Cabinet, choosing among candidates put forward by the "
     "Supreme Court.", {"cabinet", "apex-court"}),
    ("The Assembly may be dissolved early by the President at the request of the Prime Minister.", {"head-of-state"}),
    # named otherwise as well: not only an agent
    ("The President is elected by the people; the President shall be removed by the Senate.", {"second-chamber"}),
    ("The Senate shall try impeachments; a judgment of the Senate binds.", set()),
    ("", set()),
])
def test_agents_only(text, expected):
    assert topic_cues.agents_only(text) == frozenset(expected)


def test_an_institution_named_only_as_the_agent_gives_way_to_its_rival_the_provision_speaks_of():
    assert topic_cues.scope_level(frozenset({"ordinary-court", "apex-court", "cabinet"}),
                              frozenset({"apex-court", "cabinet"})) == {"ordinary-court", "cabinet"}
    # with no rival named otherwise, the agent stays: "judges appointed by the President" still names him
    assert topic_cues.scope_level(frozenset({"head-of-state"}), frozenset({"head-of-state"})) == {"head-of-state"}
    assert topic_cues.scope_level(frozenset(), frozenset()) == frozenset()
    # a deputy acting for the principal is what the provision is about, agent or not
    assert topic_cues.scope_level(frozenset({"head-of-state", "deputy-head-of-state"}),
                              frozenset({"deputy-head-of-state"})) == {"head-of-state", "deputy-head-of-state"}


@pytest.mark.parametrize("semantic_on", [False, True])
def test_a_provision_on_the_president_alone_is_not_about_the_deputy(ontology, monkeypatch, semantic_on):
    _use_encoder(monkeypatch, semantic_on)
    clause = Provision("art_9__sec_1", Kind.SECTION, "1", "", "The President may resign by a letter to the Speaker.")
    art = Provision("art_9", Kind.ARTICLE, "9", "The President and the Vice-President", "", (clause,))
    president = {s.key for s in tag_document(Document("dep", "Dep", "dep", (art,)))["art_9__sec_1"]}
    assert "hosdiss" in president and "depexec" not in president, president  # the article's heading names both
    deputy = {s.key for s in tag_provision("While the President is abroad, the powers of the office are "
                                           "exercised by the Vice-President.")}
    assert "depexec" in deputy, deputy


@pytest.mark.parametrize("semantic_on", [False, True])
def test_the_agent_of_an_appointment_does_not_scope_the_provision(ontology, monkeypatch, semantic_on):
    _use_encoder(monkeypatch, semantic_on)
    keys = {s.key for s in tag_provision(
        "Judges of the district courts are appointed by the Cabinet, choosing among candidates put forward by the "
        "Supreme Court. They serve for eight years and may be reappointed.")}
    assert "ordterm" in keys, keys
    assert not {k for k in keys if k.startswith("hoc")}, keys  # not the Supreme Court's term or eligibility


@pytest.mark.parametrize(("text", "expected"), [
    ("The judges shall retire at seventy.", {"judiciary"}),
    ("An appeal lies to the High Court.", {"judiciary"}),
    ("The Judicial Service Commission", {"judiciary"}),
    ("The National Security Council shall meet monthly.", set()),
    ("The retirement system of legislators", set()),
    ("", set()),
])
def test_judicial_keys(text, expected):
    assert topic_cues.judicial_keys(text) == expected


@pytest.mark.corpus
def test_a_council_that_is_not_judicial_is_not_a_judicial_council(corpus_doc, lexical_only):
    za = corpus_doc("south-africa/constitution.json")
    tags = tag_document(za)
    council = [eid for eid, found in tags.items() if eid.startswith("chp_4__subpart_nn_2")  # Council of Provinces
               and any(s.key == "jc" for s in found)]
    assert council == []
    # a member of the Judicial Service Commission (named by the section's heading), designated by that Council
    assert "jc" in [s.key for s in tags["chp_8__sec_178__subsec_1__para_i"]]



@pytest.mark.parametrize("semantic_on", [False, True])
def test_a_president_is_not_tagged_with_head_of_government_topics(ontology, monkeypatch, semantic_on):
    _use_encoder(monkeypatch, semantic_on)
    president = [s.key for s in tag_provision("No person may hold office as President for more than two terms.")]
    premier = [s.key for s in tag_provision("No person may hold office as Prime Minister for more than two terms.")]
    assert "hosterml" in president and not any(k.startswith("hog") for k in president)
    assert not any(k.startswith("hos") for k in premier)
    # the lexical tagger reads the term limit; with the encoder the term limit and the term length of a head of
    # government score within 0.02 of each other (bench/eval_topics.py measures which sibling wins in general)
    assert ("hogterml" in premier) if not semantic_on else ({"hogterml", "hogterm"} & set(premier)), premier


def test_ground_phrases_come_from_labels_and_descriptions():
    def topic(key, label, description):
        return topics.Topic(key, label, description, (), "Rights", ("Equality, Gender, and Minority Rights",), ())
    found = topic_cues.ground_phrases([
        topic("equalgr1", "Equality regardless of gender",
              "Requires that everyone is treated equally before the law, without regard to their gender or sex."),
        topic("equalgr9", "Equality for persons with disabilities", "... without regard to any disability."),
        topic("equal", "General guarantee of equality", "Guarantees that all individuals are entitled to the same."),
    ])
    assert found == {0: ("gender", "gender or sex"), 1: ("persons with disabilities", "disability")}


def test_ground_mentions_are_short_runs_inside_list_items():
    found = topic_cues.ground_mentions(
        "No one shall be disadvantaged because of sex, place of birth or religious belief.")
    assert {"sex", "place", "birth", "religious belief", "religious", "belief"} <= set(found)
    assert not {"because", "no one", "birth or", "sex place"} & set(found)  # stop words at the edges, items apart
    assert topic_cues.ground_mentions("") == []


@pytest.mark.parametrize(("text", "passages"), [
    # the spheres before the introducing words are not grounds
    ("There shall be no bias in political or economic affairs because of sex or language.", [" sex or language"]),
    ("No one may be favoured on the grounds of age; political parties are free.", [" of age"]),
    ("Men and women have equal rights.", ["Men and women have equal rights."]),  # nothing introduces them
    ("", [""]),
])
def test_ground_passages_follow_the_words_that_introduce_grounds(text, passages):
    assert topic_cues.ground_passages(text) == passages


GROUND_TAGS = [  # invented clauses: (text, grounds it lists)
    ("No one may be treated unequally in political, economic or social life because of religion or language.",
     {"equalgr6", "equalgr5"}),
    ("Everyone is equal before the law. No one may be favoured or disadvantaged because of sex, race or language.",
     {"equalgr1", "equalgr4", "equalgr5"}),
    ("The State shall not discriminate against any citizen on grounds of nationality, age or disability.",
     {"equalgr2", "equalgr8", "equalgr9"}),
]


@pytest.mark.parametrize("semantic_on", [False, True])
@pytest.mark.parametrize(("text", "grounds"), GROUND_TAGS)
def test_an_equality_clause_is_tagged_with_the_grounds_it_names(ontology, monkeypatch, semantic_on, text, grounds):
    _use_encoder(monkeypatch, semantic_on)
    found = tag_provision(text)
    assert {s.key for s in found if s.key.startswith("equalgr")} == grounds, found
    named = {s.key: s.evidence for s in found if s.key in grounds}
    assert all(len(words) >= 1 for words in named.values())
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)


@pytest.mark.parametrize("semantic_on", [False, True])
def test_an_equality_clause_naming_no_ground_gets_none(ontology, monkeypatch, semantic_on):
    _use_encoder(monkeypatch, semantic_on)
    text = "Every person is equal before the law and has the right to equal protection and equal benefit of the law."
    found = [s.key for s in tag_provision(text)]
    assert not [k for k in found if k.startswith("equalgr")], found


def test_the_encoder_matches_a_ground_named_in_other_words(ontology, with_semantic):
    t = tagger(ontology.source)
    keys = [x.key for x in ontology.topics]
    named = {keys[i]: words for i, (_, words) in t.named_grounds("without distinction of skin colour or creed").items()}
    assert set(named) == {"equalgr10", "equalgr11"}, named
    assert "skin colour" in named["equalgr10"]


# a drafter's words for topics the ontology names otherwise
SEARCH_BRIDGES = [("right to a lawyer", "couns"), ("gun rights", "arms"), ("healthcare for all", "health")]


@pytest.mark.parametrize(("phrase", "expected"), SEARCH_BRIDGES)
def test_phrase_search_with_the_encoder_bridges_vocabulary(ontology, monkeypatch, with_semantic, phrase, expected):
    found = search_topics(phrase)
    assert found[0].key == expected, [s.key for s in found[:5]]
    assert all(0 < s.confidence <= 1 for s in found)
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)
    _use_encoder(monkeypatch, False)
    assert expected not in [s.key for s in search_topics(phrase)[:1]]  # the words alone do not get there


@pytest.mark.parametrize(("label", "expected"), [
    ("Term length for first chamber", "term length"),
    ("Supreme court term length", "term length"),
    ("Min age of const court judges", "minimum age"),
    ("Minimum age of head of state", "minimum age"),
    ("Size of second chamber", "size"),
    ("Supreme/ordinary court judge removal", "removal"),
    ("Eligibility for administrative judges", "eligibility"),
    ("Protection of consumers", ""),
])
def test_topic_attribute_is_the_label_without_its_institution(label, expected):
    assert topic_cues.topic_attribute(label) == expected


def test_attributes_group_the_same_question_asked_of_several_institutions(ontology):
    t = tagger(ontology.source)
    keys = [x.key for x in ontology.topics]
    families = {a: {keys[i] for i in ix} for a, ix in t.attributes.items()}
    assert families["size"] == {"lhseats", "uhseats"}
    assert {"lhterm", "uhterm", "hosterm", "hogterm", "hocterm", "ordterm", "conterm"} <= families["term length"]
    assert {"hosage", "lhage", "hocage", "conage"} <= families["minimum age"]
    assert all(len(ix) > 1 for ix in families.values())
    assert all(t.institutions[keys.index(k)] for ix in families.values() for k in ix)


def test_attribute_shift_lowers_only_topics_of_the_less_likely_attributes(ontology, with_semantic):
    t = tagger(ontology.source)
    keys = [x.key for x in ontology.topics]
    texts = ["The Senate shall consist of forty members.", ""]
    shift = t.semantic_z(texts, ["", ""], ["", ""]) - t.semantic_z(texts, ["", ""], ["", ""], attributes=False)
    members = sorted(i for ix in t.attributes.values() for i in ix)
    others = [i for i in range(len(keys)) if i not in set(members)]
    assert (shift <= 1e-12).all() and not shift[:, others].any() and not shift[1].any()
    assert shift[0, keys.index("uhseats")] == 0.0  # size is the attribute this text is about
    assert shift[0, keys.index("uhterm")] < 0 and shift[0, keys.index("hosage")] < 0


def test_a_topic_the_encoder_singles_out_gains_more_than_linearly():
    fuse = topics.TopicTagger.fuse
    below, above = topics.SALIENCE_Z - 1, topics.SALIENCE_Z + 1
    assert fuse(np.zeros(1), np.array([below]))[0] == pytest.approx(topics.SEMANTIC_WEIGHT * below)
    assert fuse(np.zeros(1), np.array([above]))[0] == pytest.approx(
        topics.SEMANTIC_WEIGHT * above + topics.SALIENCE_WEIGHT)


@pytest.mark.parametrize(("text", "expected", "absent"), [
    ("The National Assembly consists of no fewer than 350 and no more than 400 members.", {"lhseats"}, set()),
    ("The House of Representatives shall consist of 150 members.", {"lhseats"}, set()),
    ("The judges of the Supreme Court shall be appointed by the President with the consent of the Senate.",
     {"hocsel"}, {"hocres"}),
])
def test_the_attribute_a_provision_sets_decides_among_an_institutions_topics(ontology, with_semantic, text,
                                                                             expected, absent):
    found = {s.key for s in tag_provision(text)}
    assert expected <= found and not absent & found


@pytest.mark.parametrize("semantic_on", [False, True])
def test_a_phrase_naming_an_institution_finds_only_its_topics(ontology, monkeypatch, semantic_on):
    _use_encoder(monkeypatch, semantic_on)
    president = [s.key for s in search_topics("minimum age to run for president")]
    premier = [s.key for s in search_topics("prime minister term length")]
    assert president[0] == "hosage" and not {"hogage", "ecage"} & set(president)
    assert premier[0] == "hogterm" and not any(k.startswith(("hos", "ec", "ad", "con")) for k in premier)


@pytest.mark.parametrize(("text", "expected"), [
    ("Judges shall retire on attaining the age of seventy years.", True),
    ("A member shall vacate office at the age of seventy.", True),
    ("A judge ceases to hold office when aged sixty-five.", True),
    ("No person under the age of thirty shall be a judge, and judges shall retire at seventy.", False),
    ("A person qualified to be a judge shall retire at the age of seventy.", False),
    ("Judges shall retire after ten years of service.", False),  # no age
    ("No person shall be a senator who has not attained the age of thirty years.", False),  # no end of office
])
def test_retirement_age_only(text, expected):
    assert topic_cues.retirement_age_only(text) is expected


@pytest.mark.parametrize("semantic_on", [False, True])
def test_a_retirement_age_is_not_a_minimum_age(ontology, monkeypatch, semantic_on):
    _use_encoder(monkeypatch, semantic_on)
    minimum_age = {t.key for t, m in zip(ontology.topics, tagger(ontology.source).minimum_age, strict=True) if m}
    assert {"hocage", "ordage", "lhage", "uhage", "hosage"} <= minimum_age and "judretir" not in minimum_age
    for text in ("The judges of the Supreme Court shall retire upon attaining the age of seventy years.",
                 "A judge of the High Court shall vacate office on reaching the age of sixty-five years."):
        keys = [s.key for s in tag_provision(text)]
        assert keys and not set(keys) & minimum_age, keys
    eligible = [s.key for s in tag_provision("A person who has attained the age of forty years may be appointed "
                                             "a judge of the Supreme Court.")]
    assert "hocage" in eligible, eligible


@pytest.mark.parametrize(("text", "expected"), [
    ("The Senate has a membership of 40 Senators elected for 4-year terms.", {"size", "term length"}),
    ("The House of the People shall consist of-", {"size"}),
    ("not less than one member for each thirty thousand of the population", {"size"}),
    ("The Senate shall be composed of two Senators from each State, chosen by the Legislature thereof.",
     {"size", "selection"}),
    ("No person shall be President who has not attained the age of thirty-five years.", {"minimum age"}),
    ("The President shall appoint the Chief Justice.", {"selection"}),
    ("A majority of the total number of members present shall constitute a quorum.", set()),
    ("The Prime Minister appointed in accordance with this Article may resign.", set()),
])
def test_stated_attributes(text, expected):
    assert topic_cues.stated_attributes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the institution the statement is about: named before it, not after a preposition
    ("The Senate has a membership of 40 Senators elected for 4-year terms.",
     {"size": {"second-chamber"}, "term length": {"second-chamber"}}),
    # an agent is not what the statement is about
    ("The Board consists of 5 members appointed by the Governor and approved by the Senate, for 6-year terms.",
     {"size": set(), "selection": set(), "term length": set()}),
    ("They shall be elected from those eligible for membership in the House of Representatives for four years.",
     {"selection": set(), "term length": set()}),
    # a house named without saying which is the first chamber
    ("The National Assembly consists of no fewer than 350 members.", {"size": {"legislative-chamber",
                                                                               "first-chamber"}}),
    # stated of what follows
    ("The President shall appoint the judges of the Supreme Court.", {"selection": {"apex-court"}}),
    ("The Bundesrat shall elect its President for one year.", {"selection": set(), "term length": {"second-chamber"}}),
    ("", {}),
])
def test_stated_subjects(text, expected):
    assert topic_cues.stated_subjects(text) == {a: frozenset(k) for a, k in expected.items()}


@pytest.mark.parametrize("semantic_on", [False, True])
def test_a_provision_stating_several_attributes_is_tagged_with_each(ontology, monkeypatch, semantic_on):
    _use_encoder(monkeypatch, semantic_on)
    keys = {s.key for s in tag_provision("The Senate has a membership of 40 Senators elected for 4-year terms.")}
    assert {"uhseats", "uhterm"} <= keys, keys
    assert not {k for k in keys if k.startswith("lh")}, keys  # the Senate's, not the other chamber's


def test_stated_topics_are_those_of_the_attribute_and_the_institution_it_is_stated_of(ontology):
    t = tagger(ontology.source)
    key = {i: x.key for i, x in enumerate(ontology.topics)}
    assert {key[i] for i in t.stated("The Senate has a membership of 40 Senators elected for 4-year terms.")} == {
        "uhseats", "uhterm"}
    assert {key[i] for i in t.stated("The National Assembly consists of-")} == {"lhseats"}
    assert t.stated("The Board consists of 5 members appointed by the Governor, for 6-year terms.") == frozenset()
    assert t.stated("The Senate may adopt rules.") == frozenset()


# ---- "Union" naming a polity (invented wording)

@pytest.mark.parametrize(("text", "lemmas", "expected"), [
    ("the Union and trade unions", ("union", "trade", "union"), ("Union", "trade", "union")),
    ("THE UNION AND ITS TERRITORY", ("union", "territory"), ("Union", "territory")),
    ("Freedom of Association and Trade Unions", ("freedom", "association", "trade", "union"),
     ("freedom", "association", "trade", "union")),
    ("workers may form Labour Unions", ("worker", "form", "labour", "union"), ("worker", "form", "labour", "union")),
    ("to form associations or unions", ("form", "association", "union"), ("form", "association", "union")),
    ("the European Union", ("european", "union"), ("european", "Union")),
    ("no union word here", ("word",), ("word",)),
    # the lemmas' count differs from the words': all names -> all replaced; mixed -> none
    ("the Union's Union", ("union",), ("Union",)),
    ("the Union, trade unions", ("union",), ("union",)),
])
def test_polity_names(text, lemmas, expected):
    assert topic_cues.polity_names(text, lemmas) == expected


def test_a_polity_named_union_is_no_evidence_of_trade_unions(ontology, lexical_only):
    j = [t.key for t in ontology.topics].index("jointrde")
    assert topics.text_scores("Public debt of the Union.")[j] == 0
    assert topics.text_scores("The executive power of the Union shall extend to the States.")[j] == 0
    assert topics.text_scores("", "THE UNION")[j] == 0
    assert "jointrde" in [s.key for s in tag_provision("Everyone may form and join trade unions.", "")]
    assert "jointrde" in [s.key for s in tag_provision("Workers may join Unions.", "Trade Unions")]
    both = topics.text_scores("The Union shall protect the right of workers to form unions.")[j]
    assert 0 < both == topics.text_scores("The State shall protect the right of workers to form unions.")[j]


@pytest.mark.corpus
def test_india_the_union_is_not_a_trade_union(corpus_doc, lexical_only):
    india = corpus_doc("india/India_2012.txt")
    tags = tag_document(india)
    union = [eid for eid, found in tags.items() if any(s.key == "jointrde" and "union" in s.evidence for s in found)]
    assert "art_19__cl_1__para_c" in union  # "to form associations or unions"
    for eid in union:  # each of them says "union" in lower case, or "Trade Unions"
        p = india.get(eid)
        assert re.search(r"\bunions?\b|\bTrade Unions?\b", f"{p.heading}\n{p.text}"), eid


def test_description_words_alone_are_weaker_evidence(ontology, lexical_only):
    """*Anchors*: a topic none of whose label or keyword terms a provision has keeps UNANCHORED of its
    lexical confidence (campaign financing's description speaks of public funds; its label of campaigns)."""
    t = tagger()
    j = [x.key for x in ontology.topics].index("camppubf")

    def plain_and_tagged(text: str) -> tuple[dict[int, float], float, float]:
        row = t.evidence(topics.analyse_many([text])[0].lemmas)
        return row, float(t.confidence(row, anchors=False)[j]), float(topics.text_scores(text)[j])

    row, plain, scored = plain_and_tagged("Revenues of the fund shall be spent for public purposes.")
    assert plain > 0 and not t.anchored(row)[j]
    assert scored == pytest.approx(topics.UNANCHORED * plain)
    row, plain, scored = plain_and_tagged("Public funds may pay for the campaigns of candidates.")
    assert t.anchored(row)[j]
    assert scored == pytest.approx(plain)
    assert not t.anchored({})[j]
