"""compare.vocabulary: the drafting-vocabulary thesaurus, its confirmation on the corpus and the tagger's use of it."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from compare import prototypes, topics, vocabulary
from compare.vocabulary import Tally, candidates, load_aliases, select, tally
from convene.errors import ValidationError


def _write(tmp_path, payload, name="aliases.json"):
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return path


def test_an_alias_file_is_read_cleaned(tmp_path):
    path = _write(tmp_path, {"aliases": {"budget": ["financial  year", "financial year", " fiscal year "],
                                         "anthem": []}})
    assert load_aliases(path) == {"budget": ("financial year", "fiscal year")}


@pytest.mark.parametrize(("payload", "fault"), [
    ("{not json", "Expecting"),
    ({"aliases": ["money bill"]}, '"aliases" object'),
    ([], '"aliases" object'),
    ({"aliases": {"finance": "money bill"}}, "not a list of strings"),
    ({"aliases": {"finance": ["money bill", 7]}}, "not a list of strings"),
    ({"aliases": {"finance": ["a bill for the raising of money"]}}, "longer than 4 words"),
    ({"aliases": {"finance": ["   "]}}, "is empty"),
])
def test_a_bad_alias_file_is_a_clear_error(tmp_path, payload, fault):
    path = _write(tmp_path, payload)
    with pytest.raises(ValidationError, match=fault) as err:
        load_aliases(path)
    assert err.value.code == "E614" and str(path) in str(err.value.source)


def test_a_missing_alias_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match="not a topic-alias file"):
        load_aliases(tmp_path / "absent.json")


def test_candidates_are_phrases_that_name_no_institution():
    found = candidates({"finance": ["money bill", "appropriation"], "lhlead": ["deputy speaker", "presiding officer"],
                        "cabinet": ["council of ministers"], "uhseats": ["senate seats"]})
    assert found == [("finance", "money bill"), ("lhlead", "presiding officer")]


def test_tally_counts_occurrences_and_how_often_the_topic_ranks_among_the_best():
    phrases = [(0, frozenset({"monei bill"})), (2, frozenset({"financi year", "year estim"})), (1, frozenset())]
    provisions = [
        (frozenset({"monei bill", "other"}), np.array([0.9, 0.5, 0.1])),  # topic 0 ranks 1st
        (frozenset({"monei bill"}), np.array([0.2, 0.5, 0.9])),  # topic 0 ranks 3rd
        (frozenset({"financi year"}), np.array([0.1, 0.2, 0.9])),  # one of the two pairs only: no occurrence
        (frozenset({"financi year", "year estim"}), np.array([0.5, 0.5, 0.5])),  # ties: first
    ]
    assert tally(phrases, provisions, rank=2) == [Tally(2, 1), Tally(1, 1), Tally(0, 0)]
    assert tally(phrases, provisions, rank=3) == [Tally(2, 2), Tally(1, 1), Tally(0, 0)]


def test_select_keeps_phrases_confirmed_often_enough():
    found = [(("finance", "money bill"), Tally(4, 2)), (("finance", "bill for money"), Tally(4, 1)),
             (("budget", "financial year"), Tally(3, 3)), (("budget", "never said"), Tally(0, 0))]
    assert select(found, share=0.5) == {"finance": ["money bill"], "budget": ["financial year"]}
    assert select(found, share=0.25) == {"finance": ["money bill", "bill for money"], "budget": ["financial year"]}


def test_the_builder_needs_a_corpus_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CONVENE_CORPUS", str(tmp_path / "absent"))
    assert vocabulary.main(["--check"]) == 2
    assert "no corpus folder" in capsys.readouterr().err


# ---------------------------------------------------------------- the shipped files and the tagger


def test_the_shipped_aliases_are_confirmed_phrases_of_the_thesaurus():
    thesaurus = load_aliases(vocabulary.THESAURUS_PATH)
    confirmed = load_aliases()
    assert sum(map(len, thesaurus.values())) > 1000 and 100 < sum(map(len, confirmed.values())) < 600
    allowed = set(candidates(thesaurus))
    assert {(k, p) for k, ps in confirmed.items() for p in ps} <= allowed
    shipped = json.loads(vocabulary.ALIASES_PATH.read_text(encoding="utf-8"))
    assert shipped["thesaurus_sha256"] == hashlib.sha256(vocabulary.THESAURUS_PATH.read_bytes()).hexdigest(), \
        "the thesaurus changed since the aliases were confirmed: python -m compare.vocabulary"
    assert [rel for rel, _ in shipped["sources"]] == list(prototypes.REFERENCE)
    tallies = [(tuple(k.split("|", 1)), Tally(*v)) for k, v in shipped["tallies"].items()]
    rule = shipped["rule"]
    assert (rule["rank"], rule["share"]) == (vocabulary.CONFIRM_RANK, vocabulary.CONFIRM_SHARE)
    assert {k: set(v) for k, v in select(tallies, rule["share"]).items()} == \
        {k: set(v) for k, v in confirmed.items()}


def test_the_shipped_aliases_were_confirmed_on_the_corpus_texts(corpus_dir):
    shipped = json.loads(vocabulary.ALIASES_PATH.read_text(encoding="utf-8"))
    for rel, digest in shipped["sources"]:
        assert prototypes.source_digest(corpus_dir / rel) == digest, \
            f"{rel} changed since the aliases were confirmed: python -m compare.vocabulary"


@pytest.fixture(scope="module")
def ontology(corpus_dir):
    return topics.load_ontology(corpus_dir / "constitute-topics" / "ontology.owl")


def test_every_topic_of_the_thesaurus_is_in_the_ontology(ontology):
    keys = {t.key for t in ontology.topics}
    written = set(load_aliases(vocabulary.THESAURUS_PATH))
    assert written <= keys and len(written) >= 0.95 * len(keys)
    assert set(load_aliases()) <= keys


def test_a_confirmed_phrase_is_evidence_of_its_topic_and_an_anchor(ontology):
    text = "The estimates for the financial year shall be laid before the House."
    lemmas = topics.analyse_many([text])[0].lemmas
    without = topics.TopicTagger(ontology, adapted=False, aliases={})
    with_phrase = topics.TopicTagger(ontology, adapted=False, aliases={"budget": ("financial year",)})
    i = with_phrase.topic_index["budget"]
    pair = with_phrase.vocab["financi year"]
    assert with_phrase.strong_mask[pair, i] and with_phrase.weights[pair, i] > 0
    assert "financi year" not in without.terms_of[i]
    assert with_phrase.anchored(with_phrase.evidence(lemmas))[i]
    assert with_phrase.confidence(with_phrase.evidence(lemmas))[i] > \
        without.confidence(without.evidence(lemmas))[i]


def test_a_single_word_alias_adds_nothing(ontology):
    plain = topics.TopicTagger(ontology, adapted=False, aliases={})
    single = topics.TopicTagger(ontology, adapted=False, aliases={"budget": ("appropriation",)})
    assert single.terms_of == plain.terms_of
