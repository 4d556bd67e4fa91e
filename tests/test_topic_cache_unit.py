"""compare.topic_cache on its own, without the ontology or the corpus: the memory's order, the content key,
the fingerprint's inputs, and files that round-trip or are refused."""

from __future__ import annotations

import numpy as np

from compare import topic_cache
from compare.ontology import TopicScore
from constitutions.model import Document, Kind, Provision


def _doc(text: str, title: str = "Constitution of Ruritania") -> Document:
    return Document("r", title, "r", (Provision("art_1", Kind.ARTICLE, "1", "Religion", text),))


def test_memory_forgets_the_least_recently_used_first():
    memory: topic_cache.Memory[int] = topic_cache.Memory(size=2)
    memory.put("a", 1)
    memory.put("b", 2)
    assert memory.get("a") == 1  # "b" is now the least recently used
    memory.put("c", 3)
    assert (memory.get("a"), memory.get("b"), memory.get("c"), len(memory)) == (1, None, 3, 2)
    memory.clear()
    assert len(memory) == 0 and memory.get("a") is None


def test_the_document_key_follows_the_content_and_the_level_of_government():
    key = topic_cache.document_key(_doc("Everyone may worship."), "onto.owl")
    assert key == topic_cache.document_key(_doc("Everyone may worship."), "onto.owl")
    assert key != topic_cache.document_key(_doc("Everyone may worship freely."), "onto.owl")
    assert key != topic_cache.document_key(_doc("Everyone may worship."), "other.owl")
    # the Governor of a state is its head of state: a state's constitution is another reading
    assert key != topic_cache.document_key(_doc("Everyone may worship.", "Constitution of the State of X"),
                                           "onto.owl")


def test_the_fingerprint_follows_the_constants_and_the_encoder(tmp_path):
    source = str(tmp_path / "missing.owl")  # an unreadable ontology counts by its path
    base = topic_cache.code_fingerprint(source, False, "[('A', 1)]")
    assert base == topic_cache.code_fingerprint(source, False, "[('A', 1)]")
    assert base != topic_cache.code_fingerprint(source, False, "[('A', 2)]")
    assert base != topic_cache.code_fingerprint(source, True, "[('A', 1)]")


def test_tags_and_scores_round_trip_and_bad_files_are_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVENE_HOME", str(tmp_path))
    path = topic_cache.tags_path("f" * 32, "k" * 32)
    assert path is not None and path.parent == tmp_path / topic_cache.TAG_CACHE_FOLDER
    tags = {"art_1": (TopicScore("freerel", "Freedom of religion", "rights", 0.9, ("religion",)),), "art_2": ()}
    topic_cache.write_tags(path, tags)
    assert topic_cache.read_tags(path) == tags
    matrix = np.arange(6, dtype=np.float32).reshape(2, 3)
    topic_cache.write_scores(path, matrix)
    read = topic_cache.read_scores(path, 2, 3)
    assert read is not None and np.array_equal(read, matrix) and not read.flags.writeable
    assert topic_cache.read_scores(path, 3, 3) is None, "a matrix for another document"
    path.write_text('{"format": 1, "tags": {"art_1": [["freerel", "x"]]}}', encoding="utf-8")
    assert topic_cache.read_tags(path) is None
    assert topic_cache.read_tags(tmp_path / "absent.json") is None and topic_cache.read_tags(None) is None


def test_an_unusable_folder_means_no_cache(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CONVENE_HOME", str(blocker / "home"))
    assert topic_cache.tags_path("f", "k") is None
    topic_cache.write_tags(None, {})  # nothing to write to, nothing raised
    topic_cache.write_scores(None, np.zeros((1, 1), np.float32))
    assert topic_cache.read_scores(None, 1, 1) is None
