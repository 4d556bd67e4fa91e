"""The on-disk cache of :func:`compare.topics.tag_document`: a new process reads the tags of an unchanged
document; anything that changes the tags (the document, a tuning constant) misses the cache; a damaged
cache file costs a recomputation, never an error or a wrong answer."""

from __future__ import annotations

import pytest

from compare import topics
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
    folder = settings.home() / topics.TAG_CACHE_FOLDER
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@pytest.fixture
def computations(monkeypatch):
    """How many times tags were computed rather than read."""
    calls: list[str] = []
    real = topics._compute_tags

    def counting(t, doc):
        calls.append(doc.id)
        return real(t, doc)

    monkeypatch.setattr(topics, "_compute_tags", counting)
    return calls


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
    assert topics._read_disk(path) == first, "the recomputed tags replace the damaged file"


def test_an_unwritable_home_still_tags(ontology, computations, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CONVENE_HOME", str(blocker / "home"))  # a folder that cannot be created
    tags = topics.tag_document(_doc())
    assert "freerel" in [s.key for s in tags["art_1"]]
