"""The on-disk cache of :func:`compare.topics.tag_document` and :func:`compare.topics.cached_document_scores`: a
new process reads the tags and decision scores of an unchanged document; anything that changes them (the
document, a tuning constant) misses the cache; a damaged cache file costs a recomputation, never an error or a
wrong answer."""

from __future__ import annotations

import numpy as np
import pytest

from compare import topic_cache, topics
from constitutions.model import Document, Kind, Provision
from convene import settings


@pytest.fixture
def ontology(corpus_dir):
    topics.clear_cache()
    yield topics.load_ontology()
    topics.clear_cache()


def _doc(text: str = "Everyone may practise a religion of their choice.") -> Document:
    art = Provision("art_1", Kind.ARTICLE, "1", "Freedom of religion", text)
    return Document("c", "C", "c", (art,))


def _cache_files() -> list:
    folder = settings.home() / topic_cache.TAG_CACHE_FOLDER
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _count_calls(monkeypatch, name: str) -> list[str]:
    """The ids of the documents ``topics.<name>(t, doc)`` is called with, in order."""
    calls: list[str] = []
    real = getattr(topics, name)

    def counting(t, doc):
        calls.append(doc.id)
        return real(t, doc)

    monkeypatch.setattr(topics, name, counting)
    return calls


@pytest.fixture
def computations(monkeypatch):
    """How many times tags were computed rather than read."""
    return _count_calls(monkeypatch, "_compute")


def test_tags_are_read_back_from_disk_in_a_new_process(ontology, computations):
    first = topics.tag_document(_doc())
    assert computations == ["c"] and len(_cache_files()) == 1
    topics.clear_cache()  # what a new server process starts with
    again = topics.tag_document(_doc())
    assert computations == ["c"], "the second call must read the file, not recompute"
    assert again == first and "freerel" in [s.key for s in again["art_1"]]


def test_a_changed_document_is_tagged_again(ontology, computations):
    topics.tag_document(_doc())
    topics.clear_cache()
    topics.tag_document(_doc("The flag of the republic is blue and gold."))
    assert computations == ["c", "c"] and len(_cache_files()) == 2


def test_a_changed_tuning_constant_misses_the_cache(ontology, computations, monkeypatch):
    first = topics.tag_document(_doc())
    topics.clear_cache()
    monkeypatch.setattr(topics, "MIN_CONFIDENCE", 0.999)
    strict = topics.tag_document(_doc())
    assert computations == ["c", "c"]
    assert strict != first


@pytest.mark.parametrize("damage", ["", "not json", '{"format": 1, "tags": {"art_1": [["x"]]}}', '{"format": 999}',
                                    '[1, 2, 3]'])
def test_a_damaged_cache_file_is_recomputed(ontology, computations, damage):
    first = topics.tag_document(_doc())
    (path,) = _cache_files()
    path.write_text(damage, encoding="utf-8")
    topics.clear_cache()
    assert topics.tag_document(_doc()) == first
    assert computations == ["c", "c"]
    assert topic_cache.read_tags(path) == first, "the recomputed tags replace the damaged file"


def test_an_unwritable_home_still_tags(ontology, computations, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CONVENE_HOME", str(blocker / "home"))  # a folder that cannot be created
    tags = topics.tag_document(_doc())
    assert "freerel" in [s.key for s in tags["art_1"]]


def _two_articles() -> Document:
    return Document("c", "C", "c", (
        Provision("art_1", Kind.ARTICLE, "1", "Freedom of religion",
                  "Everyone may practise a religion of their choice."),
        Provision("art_2", Kind.ARTICLE, "2", "", "", children=(
            Provision("art_2__para_1", Kind.PARAGRAPH, "1", "", "The judges serve a single term of nine years."),)),
    ))


def _score_files() -> list:
    folder = settings.home() / topic_cache.TAG_CACHE_FOLDER
    return sorted(folder.glob("*.scores.npy")) if folder.is_dir() else []


def test_scores_are_document_scores_and_are_saved_with_the_tags(ontology, computations):
    doc = _two_articles()
    exact = topics.document_scores(doc)
    topics.tag_document(doc)  # one pass computes both, and saves both
    assert computations == ["c"] and len(_score_files()) == 1
    topics.clear_cache()  # a new process
    scores = topics.cached_document_scores(doc)
    assert computations == ["c"], "the scores must be read from the file written with the tags"
    assert list(scores) == list(exact) == ["art_1", "art_2", "art_2__para_1"]
    for eid, row in exact.items():
        assert scores[eid].dtype == np.float32
        assert np.allclose(scores[eid], row, atol=1e-6)
    assert topics.tag_document(doc) and computations == ["c"]


@pytest.fixture
def passes(monkeypatch):
    """How many times a document's evidence was computed (for tags, scores or both)."""
    return _count_calls(monkeypatch, "_document_evidence")


def test_scores_asked_first_are_computed_alone_and_read_back(ontology, computations, passes):
    doc = _two_articles()
    first = topics.cached_document_scores(doc)
    assert passes == ["c"] and computations == [], "the scores alone: no tags decided"
    assert len(_score_files()) == 1 and _cache_files() == []
    topics.clear_cache()
    again = topics.cached_document_scores(doc)
    assert passes == ["c"], "read from the file"
    assert all(np.array_equal(first[e], again[e]) for e in first)
    topics.tag_document(doc)  # tags still to decide: one more pass, which rewrites the same scores
    assert passes == ["c", "c"] and computations == ["c"]
    assert np.array_equal(np.load(_score_files()[0]), np.vstack(list(first.values())))


@pytest.mark.parametrize("damage", [b"", b"not numpy", "float64", "shape", "nan", "object"])
def test_a_damaged_scores_file_is_recomputed(ontology, passes, damage):
    doc = _two_articles()
    first = topics.cached_document_scores(doc)
    (path,) = _score_files()
    good = np.load(path)
    if damage == "float64":
        np.save(path, good.astype(np.float64))
    elif damage == "shape":
        np.save(path, good[:2])
    elif damage == "nan":
        bad = good.copy()
        bad[0, 0] = np.nan
        np.save(path, bad)
    elif damage == "object":
        np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    else:
        path.write_bytes(damage)
    topics.clear_cache()
    again = topics.cached_document_scores(doc)
    assert passes == ["c", "c"]
    assert all(np.array_equal(first[e], again[e]) for e in first)
    assert np.array_equal(np.load(path), good), "the recomputed scores replace the damaged file"


def test_an_unwritable_home_still_scores(ontology, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CONVENE_HOME", str(blocker / "home"))
    scores = topics.cached_document_scores(_doc())
    assert list(scores) == ["art_1"] and scores["art_1"].shape == (len(ontology.topics),)
