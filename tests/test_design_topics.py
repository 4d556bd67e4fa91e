"""World practice by topic: the reform ideas, the explorer, the gold labels and their scoring, `convene topic`."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from constitutions.model import Document, Kind, Provision
from convene.errors import NotFoundError, ValidationError
from design.evaluation import GOLD_PATH, GoldLabel, load_gold, score, split_of, subtree_topics, wilson_interval
from design.explorer import Phrase, document_matches, explore, phrase_topics, resolve
from design.ideas import IDEAS, find_idea, missing_topic_keys
from tests.needs import need_encoder


@pytest.fixture(scope="module")
def ontology(corpus_dir):
    from compare.topics import load_ontology

    return load_ontology(corpus_dir / "constitute-topics" / "ontology.owl")


# ------------------------------------------------------------------ ideas


def test_ideas_cover_the_proposals():
    assert [i.key for i in IDEAS] == ["proportional-representation", "referendum-on-war", "judges-fixed-terms",
                                      "equal-rights-women", "environmental-protection", "popular-president",
                                      "senate-by-population"]
    senate = next(i for i in IDEAS if i.key == "senate-by-population")
    assert [c.options.get("per") for c in senate.calculators] == [8_000_000, 2_000_000, None]


def test_idea_topic_keys_exist(ontology):
    assert missing_topic_keys({t.key for t in ontology.topics}) == {}
    assert missing_topic_keys({"env"})["environmental-protection"] == ("resrce", "health")


def test_idea_calculators_run():
    from design.apportion import apportion, seats_per_population
    from design.census import load_census
    from design.pr import allocate

    pops = load_census(2020).populations
    for idea in IDEAS:
        for setup in idea.calculators:
            options = dict(setup.options)
            if setup.tool == "pr":
                assert sum(allocate({"A": 60, "B": 30, "C": 10}, 10, **options).seats.values()) == 10
            elif "per" in options:
                per = options.pop("per")
                assert seats_per_population(pops, per, **options).total >= 50
            else:
                assert apportion(pops, options.pop("seats"), **options).assigned == 100


@pytest.mark.parametrize(("phrase", "key"), [
    ("proportional representation", "proportional-representation"),
    ("Proportional Representation", "proportional-representation"),
    ("a senate apportioned by population", "senate-by-population"),
    ("gender equality", "equal-rights-women"),
    ("environment", "environmental-protection"),
    ("judges with fixed terms", "judges-fixed-terms"),
    ("national referendums on war", "referendum-on-war"),
    ("freedom of the press", None),
    ("", None),
])
def test_find_idea(phrase, key):
    found = find_idea(phrase)
    assert (found.key if found else None) == key


# ------------------------------------------------------------------ explorer


@pytest.mark.parametrize(("query", "keys", "idea"), [
    ("env", ("env",), None),
    ("Protection of environment", ("env",), None),
    ("proportional representation", ("lhselect", "uhselect", "district"), "proportional-representation"),
    ("popularly elected president", ("hoselect",), "popular-president"),
])
def test_resolve(ontology, query, keys, idea):
    topics, found = resolve(query)
    assert tuple(t.key for t in topics) == keys
    assert (found.key if found else None) == idea


def test_resolve_phrase_and_failures(ontology):
    topics, idea = resolve("freedom of the press")
    assert idea is None and "press" in [t.key for t in topics]
    with pytest.raises(NotFoundError, match="no Constitute topic matches"):
        resolve("qwxzv")
    with pytest.raises(ValidationError, match="the query is empty"):
        resolve("   ")
    long_query = "qzxw " * 20_000
    with pytest.raises(NotFoundError) as info:
        resolve(long_query)
    assert len(str(info.value)) < 300 and "qzxw qzxw" in str(info.value) and "…'" in str(info.value)


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_explore_blank_query_is_an_empty_result(query):
    """A blank query stands for no topic: nothing resolved, no document read (the iterable is never consumed)."""

    def documents():
        raise AssertionError("documents read for a blank query")
        yield

    result = explore(query, documents())
    assert result.to_dict() == {"query": query, "idea": None, "topics": [], "documents": [], "silent": []}


def _doc(doc_id: str, *texts: tuple[str, str]) -> Document:
    provisions = tuple(Provision(f"art_{n}", Kind.ARTICLE, str(n), heading, text)
                       for n, (heading, text) in enumerate(texts, start=1))
    return Document(doc_id, f"Synthetic {doc_id}", doc_id, provisions)


def _score(key: str, confidence: float, evidence: tuple[str, ...] = ("w",)):
    from compare.topics import TopicScore

    return TopicScore(key, key, "c", confidence, evidence)


def test_document_matches_ranks_filters_and_limits():
    doc = _doc("xx", ("", "one"), ("", "two"), ("", "three"), ("", "four"))
    tags = {"art_1": (_score("env", 0.5),), "art_2": (_score("war", 0.9), _score("env", 0.7)),
            "art_3": (_score("env", 0.95, evidence=()),),  # inherited only: not listed
            "art_4": (_score("press", 0.99),)}
    result = document_matches(doc, ["env", "war"], tags=tags, cite=lambda d, e: e.upper(), limit=None)
    assert [(m.eid, m.score, m.topics, m.citation) for m in result.matches] == [
        ("art_2", 0.9, ("war", "env"), "ART_2"), ("art_1", 0.5, ("env",), "ART_1")]
    limited = document_matches(doc, ["env", "war"], tags=tags, cite=lambda d, e: e, limit=1)
    assert limited.total == 2 and len(limited.matches) == 1


@pytest.mark.parametrize(("query", "text", "expected"), [
    ("proportional representation", "Members are elected by proportional representation.", 1.0),
    ("proportional representation", "Seats are shared in proportion to the votes; representation is fair.", 0.85),
    ("proportional representation", "Representation is fair.", 1.0 / 4),  # half the stems: counts little
    ("proportional representation", "The flag is blue.", 0.0),
    ("of the", "Anything at all.", 0.0),  # no content words: no text relevance
])
def test_phrase_relevance(query, text, expected):
    assert Phrase.of(query).relevance(text)[0] == pytest.approx(expected)


@pytest.mark.parametrize(("query", "text"), [
    ("hoping for peace", "We hope for peace."),  # the stem "hope" is no prefix of "hoping"; its screen "hop" is
    ("ponies", "A pony may graze."),
    ("the judges serve", "Judges, serving for life, retire at seventy."),
    ("relational duties", "The relation of duty to right."),
    ("proportional representation", "Representation is fair."),
    ("proportional representation", "The flag is blue."),
    ("Élections libres", "Les élections sont libres."),
])
def test_the_cheap_screens_never_change_relevance(query, text):
    """The screens only skip work: relevance is what it is without them, and a text whose relevance is 1.0
    always passes :meth:`Phrase.may_hold_all`."""
    screened = Phrase.of(query)
    unscreened = Phrase(screened.stems, screened.normalised)
    assert screened.relevance(text) == unscreened.relevance(text)
    if unscreened.relevance(text)[0] >= 1.0:
        assert screened.may_hold_all(text)


def test_may_hold_all_rejects_a_text_missing_a_word():
    phrase = Phrase.of("proportional representation")
    assert phrase.may_hold_all("Seats by PROPORTIONAL representation.")
    assert not phrase.may_hold_all("Representation is fair.")


def test_query_words_rank_provisions_that_state_the_phrase_first():
    doc = _doc("xx", ("", "Elections are held every four years."), ("", "Seats go by proportional representation."),
               ("", "Proportional representation with a five per cent threshold applies."))
    tags = {"art_1": (_score("lhselect", 0.8),), "art_2": (_score("lhselect", 0.4),)}  # art_3 untagged
    phrase = Phrase.of("proportional representation")
    result = document_matches(doc, ["lhselect"], tags=tags, cite=lambda d, e: e, limit=None, phrase=phrase)
    assert [(m.eid, m.score) for m in result.matches] == [("art_2", 0.7), ("art_3", 0.5), ("art_1", 0.4)]
    without = document_matches(doc, ["lhselect"], tags=tags, cite=lambda d, e: e, limit=None)
    assert [m.eid for m in without.matches] == ["art_1", "art_2"]  # a topic key alone: tags only


def test_explore_real_tagger(ontology):
    green = _doc("g1", ("Environment", "The state shall protect the natural environment and prevent pollution."))
    silent = _doc("s1", ("Flag", "The flag is blue."))
    result = explore("environmental protection", [silent, green])
    assert result.idea is not None and result.idea.key == "environmental-protection"
    assert [d.doc_id for d in result.addressed] == ["g1"]
    assert result.addressed[0].matches[0].eid == "art_1" and "env" in result.addressed[0].matches[0].topics
    assert result.silent == (("s1", "Synthetic s1"),)
    assert json.loads(json.dumps(result.to_dict()))["silent"] == [{"doc_id": "s1", "title": "Synthetic s1"}]


# ------------------------------------------------------------------ command line


@pytest.fixture()
def app() -> typer.Typer:
    from tests.test_design_cli import design_app

    return design_app()


def test_topic_command_empty_store(app):
    result = CliRunner().invoke(app, ["topic", "env"])
    assert result.exit_code == 1 and "convene import" in result.stderr


@pytest.mark.parametrize(("args", "stdout"), [
    (["topic", ""], "No topics: the query is empty.\n"),
    (["topic", "   "], "No topics: the query is empty.\n"),
    (["topic", "", "--json"], {"query": "", "idea": None, "topics": [], "documents": [], "silent": []}),
    (["topic", "  ", "--json", "--docs", "nope"], {"query": "  ", "idea": None, "topics": [], "documents": [],
                                                   "silent": []}),
])
def test_topic_command_blank_query_is_an_empty_result(app, args, stdout):
    """Audit defect 20: as `convene search ""` prints "No matches.", an empty topic query exits 0."""
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and result.stderr == ""
    assert (json.loads(result.stdout) if isinstance(stdout, dict) else result.stdout) == stdout


def test_topic_command_shortens_the_query_it_echoes(app, ontology):
    """Audit defect 21: a 100 kB query that matches nothing gives one short error line, not 100 kB."""
    from constitutions.store import Store

    Store().add(_doc("g1", ("Flag", "The flag is blue.")), checksum="g1")
    result = CliRunner().invoke(app, ["topic", "qzxw " * 20_000])
    assert result.exit_code == 1 and result.stderr.startswith("error: [E611] no Constitute topic matches 'qzxw")
    assert len(result.stderr) < 300


def test_topic_command_prints_titles_literally(app, ontology):
    """A stored title with Rich markup in it is shown as written (audit defect 8, as for state names)."""
    from constitutions.store import Store

    doc = _doc("m1", ("Environment", "The state shall protect the natural environment and prevent pollution."))
    Store().add(Document(doc.id, "[/] Charter [bold]", doc.id, doc.provisions), checksum="m1")
    result = CliRunner().invoke(app, ["topic", "env"])
    assert result.exit_code == 0, result.output
    assert "[/] Charter [bold] (m1): 1 provision(s)" in result.stdout


def test_topic_command_lists_matches(app, ontology):
    from constitutions.store import Store

    store = Store()
    store.add(_doc("g1", ("Environment", "The state shall protect the natural environment and prevent pollution.")),
              checksum="g1")
    store.add(_doc("s1", ("Flag", "The flag is blue.")), checksum="s1")
    data = json.loads(CliRunner().invoke(app, ["topic", "environmental protection", "--json"]).stdout)
    assert [d["doc_id"] for d in data["documents"]] == ["g1"] and data["silent"][0]["doc_id"] == "s1"
    assert data["documents"][0]["matches"][0]["citation"] and data["documents"][0]["matches"][0]["score"] > 0
    human = CliRunner().invoke(app, ["topic", "env", "--docs", "g1,s1"])
    assert human.exit_code == 0 and "Synthetic g1 (g1): 1 provision(s)" in human.stdout
    assert "topics: Protection of environment [env]" in human.stdout  # the key was swallowed as Rich markup
    assert "Not addressed in: Synthetic s1 (s1)" in human.stdout
    unknown = CliRunner().invoke(app, ["topic", "env", "--docs", "nope"])
    assert unknown.exit_code == 1 and "no document 'nope'" in unknown.stderr
    bad = CliRunner().invoke(app, ["topic", "env", "--limit", "-1"])
    assert bad.exit_code == 1 and "--limit" in bad.stderr


# ------------------------------------------------------------------ gold labels and scoring


def test_scoring_definitions():
    labels = [GoldLabel("f", "a", "e1", "Art. 1", frozenset({"x", "y"}), frozenset({"z"})),
              GoldLabel("f", "a", "e2", "Art. 2", frozenset({"w"})),
              GoldLabel("f", "a", "e3", "Art. 3", frozenset({"v"}))]
    metrics = score(labels, {("a", "e1"): ("x", "z", "q"), ("a", "e2"): (), ("a", "e3"): None})
    assert (metrics.correct, metrics.predicted, metrics.found, metrics.required) == (2, 3, 1, 4)
    assert metrics.precision == pytest.approx(2 / 3) and metrics.recall == pytest.approx(1 / 4)
    assert [lb.eid for lb in metrics.unresolved] == ["e3"]


def test_a_provision_without_words_of_its_own_is_judged_on_its_subtree():
    para = Provision("art_9__cl_1", Kind.CLAUSE, "1", text="War is renounced.")
    article = Provision("art_9", Kind.ARTICLE, "9", children=(
        para, Provision("art_9__cl_2", Kind.CLAUSE, "2", text="No forces.")))
    lead_in = Provision("art_7", Kind.ARTICLE, "7", text="The Emperor shall:", children=(
        Provision("art_7__item_1", Kind.ITEM, "1", text="Convoke the Diet."),))
    tags = {"art_9": ["war"], "art_9__cl_1": ["war", "milrest"], "art_9__cl_2": ["milrest", "army"],
            "art_7": ["hosdec"], "art_7__item_1": ["session"]}
    assert subtree_topics(article, tags) == ("war", "milrest", "army")  # each once, in document order
    assert subtree_topics(lead_in, tags) == ("hosdec",)  # words of its own: judged on them alone
    assert subtree_topics(para, tags) == ("war", "milrest")
    assert subtree_topics(Provision("art_1", Kind.ARTICLE, "1"), {}) == ()


def test_wilson_interval():
    assert wilson_interval(8, 10) == pytest.approx((0.490, 0.943), abs=1e-3)
    assert wilson_interval(0, 5)[0] == 0.0 and wilson_interval(5, 5)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)
    lo, hi = wilson_interval(127, 165)
    assert lo < 127 / 165 < hi and hi - lo < 0.14
    with pytest.raises(ValueError, match="6 successes out of 5"):
        wilson_interval(6, 5)


def test_gold_file_shape(ontology):
    raw = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    assert all(set(item) <= {"source", "doc", "eid", "citation", "topics", "also", "batch"} for item in raw["labels"])
    labels = load_gold()
    assert len(labels) >= 40 and len({(lb.doc, lb.eid) for lb in labels}) == len(labels)
    known = {t.key for t in ontology.topics}
    for label in labels:
        assert label.topics <= known and label.also <= known, label
        assert not label.topics & label.also, label


def test_split_is_stable_and_balanced():
    label = GoldLabel("f", "ie", "art_12", "Art. 12", frozenset({"x"}))
    assert split_of(label) == split_of(GoldLabel("g", "ie", "art_12", "Art. 12 again", frozenset({"y"})))
    halves = [split_of(lb) for lb in load_gold()]
    assert set(halves) == {"dev", "test"}
    assert min(halves.count("dev"), halves.count("test")) >= 40
    docs = {lb.doc for lb in load_gold()}
    assert len(docs) >= 8 and {"us-ca", "za", "in", "np", "ca"} <= docs


def test_gold_eids_resolve(corpus_doc):
    for source in sorted({lb.source for lb in load_gold()}):
        doc = corpus_doc(source)
        missing = [lb.eid for lb in load_gold() if lb.source == source and lb.eid not in doc.index]
        assert missing == [], source


def test_load_gold_rejects(tmp_path):
    path = tmp_path / "g.json"
    path.write_text('{"labels": [{"source": "s", "doc": "d", "eid": "e", "citation": "c", "topics": []}]}')
    with pytest.raises(ValidationError, match="no topics"):
        load_gold(path)


@pytest.mark.parametrize("semantic_on", [False, True])
def test_a_phrase_about_nothing_constitutional_has_no_topic(ontology, monkeypatch, semantic_on):
    if semantic_on:
        need_encoder()
    monkeypatch.setenv("CONVENE_TOPIC_SEMANTIC", "1" if semantic_on else "0")
    assert phrase_topics("how to fix a bicycle") == ()
    with pytest.raises(NotFoundError):
        resolve("how to fix a bicycle")


def test_the_encoder_answers_a_phrase_the_words_alone_do_not(ontology, monkeypatch):
    need_encoder()
    monkeypatch.setenv("CONVENE_TOPIC_SEMANTIC", "0")
    assert phrase_topics("right to a lawyer") == ()
    monkeypatch.setenv("CONVENE_TOPIC_SEMANTIC", "1")
    assert [s.key for s in phrase_topics("right to a lawyer")] == ["couns"]
    assert [t.key for t in resolve("right to a lawyer")[0]] == ["couns"]
