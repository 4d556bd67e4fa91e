"""compare.prototypes: topic prototypes adapted to constitutional wording, their file and the tagger's use of it."""

from __future__ import annotations

import numpy as np
import pytest

from compare import prototypes, semantic, topics
from compare.prototypes import MIN_EXEMPLARS, Prototypes, blend, exemplar_sums, load, save
from constitutions.model import Document, Kind, Provision
from tests.needs import need_encoder


def _unit(rows):
    rows = np.asarray(rows, dtype=np.float64)
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


PLAIN = _unit([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


def test_exemplar_sums_count_first_topics_and_skip_empty_provisions():
    rows = [(0, np.array([1.0, 2.0, 0.0])), (0, np.array([0.0, 1.0, 0.0])), (None, np.array([5.0, 5.0, 5.0])),
            (2, np.zeros(3)), (1, np.array([0.0, 0.0, 3.0]))]
    sums, counts = exemplar_sums(rows, 3)
    assert counts.tolist() == [2, 1, 0]
    np.testing.assert_allclose(sums, [[1.0, 3.0, 0.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]])


def test_exemplar_sums_of_nothing_are_empty():
    sums, counts = exemplar_sums([], 4)
    assert counts.tolist() == [0, 0, 0, 0] and sums.shape == (4, 0)


@pytest.mark.parametrize(("count", "moved"), [(0, False), (MIN_EXEMPLARS - 1, False), (MIN_EXEMPLARS, True),
                                              (50, True)])
def test_only_topics_with_enough_exemplars_move_towards_them(count, moved):
    sums = np.zeros((3, 3))
    sums[0] = [0.0, count, 0.0]  # topic 0's exemplars all point where topic 1's plain prototype does
    counts = np.array([count, 0, 0])
    out = blend(PLAIN, sums, counts)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0)
    np.testing.assert_allclose(out[1:], PLAIN[1:])
    if moved:
        assert 0 < out[0] @ PLAIN[0] < 1 and out[0] @ PLAIN[1] > 0
        assert out[0] @ PLAIN[0] > out[0] @ PLAIN[1]  # the plain prototype keeps the larger share
    else:
        np.testing.assert_allclose(out[0], PLAIN[0])


def _prototypes(keys=("a", "b", "c"), encoder="enc@1"):
    return Prototypes(tuple(keys), blend(PLAIN, np.eye(3) * 4, np.array([4, 0, 9])), np.array([4, 0, 9]), encoder,
                      (("x/y.txt", "0" * 64),))


def test_saved_prototypes_load_back(tmp_path):
    path = tmp_path / "p.npz"
    save(_prototypes(), path)
    found = load(("a", "b", "c"), "enc@1", path)
    assert found is not None
    np.testing.assert_allclose(found.vectors, _prototypes().vectors, atol=2e-3)  # float16 on disk
    assert found.exemplars.tolist() == [4, 0, 9] and found.adapted == 2
    assert found.sources == (("x/y.txt", "0" * 64),)


@pytest.mark.parametrize(("keys", "encoder", "reason"), [
    (("a", "b"), "enc@1", "another ontology"),
    (("a", "c", "b"), "enc@1", "another ontology"),
    (("a", "b", "c"), "enc@2", "another encoder"),
])
def test_prototypes_made_for_something_else_are_ignored(tmp_path, caplog, keys, encoder, reason):
    path = tmp_path / "p.npz"
    save(_prototypes(), path)
    assert load(keys, encoder, path) is None
    assert reason in caplog.text


@pytest.mark.parametrize("damage", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_a_damaged_file_is_ignored(tmp_path, caplog, damage):
    path = tmp_path / "p.npz"
    path.write_bytes(damage)
    assert load(("a", "b", "c"), "enc@1", path) is None
    assert "ignoring the topic prototypes" in caplog.text


def test_vectors_that_are_not_unit_rows_are_ignored(tmp_path, caplog):
    bad = _prototypes()
    path = tmp_path / "p.npz"
    save(Prototypes(bad.keys, np.full((3, 3), np.nan), bad.exemplars, bad.encoder, bad.sources), path)
    assert load(bad.keys, bad.encoder, path) is None
    assert "not unit rows" in caplog.text


def test_a_missing_file_means_plain_prototypes(tmp_path, caplog):
    assert load(("a",), "enc@1", tmp_path / "none.npz") is None
    assert not caplog.text


def test_the_builder_needs_a_corpus_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CONVENE_CORPUS", str(tmp_path / "absent"))
    assert prototypes.main(["--check"]) == 2
    assert "no corpus folder" in capsys.readouterr().err


def test_the_builder_names_missing_reference_texts(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CONVENE_CORPUS", str(tmp_path))
    assert prototypes.main(["--check"]) == 2
    assert "us/HMAN-117-constitution.xml" in capsys.readouterr().err


# ---------------------------------------------------------------- the shipped file and the tagger


@pytest.fixture
def encoder_on(monkeypatch, corpus_dir):
    need_encoder()
    monkeypatch.setenv("CONVENE_TOPIC_SEMANTIC", "1")
    topics.clear_cache()
    yield topics.load_ontology()
    topics.clear_cache()


def test_the_shipped_prototypes_fit_the_ontology_and_the_encoder(encoder_on):
    keys = [t.key for t in encoder_on.topics]
    shipped = load(keys, semantic.ENCODER_ID)
    assert shipped is not None, "compare/data/topic_prototypes.npz is missing or made for another ontology/encoder"
    assert 200 <= shipped.adapted < len(keys)
    assert [rel for rel, _ in shipped.sources] == list(prototypes.REFERENCE)


def test_the_shipped_prototypes_were_built_from_the_corpus_texts(corpus_dir, encoder_on):
    shipped = load([t.key for t in encoder_on.topics], semantic.ENCODER_ID)
    assert shipped is not None
    for rel, digest in shipped.sources:
        assert prototypes.source_digest(corpus_dir / rel) == digest, \
            f"{rel} changed since the prototypes were built: python -m compare.prototypes"


def test_the_tagger_compares_with_the_adapted_prototypes(encoder_on):
    adapted = topics.tagger()
    plain = topics.TopicTagger(encoder_on, adapted=False)
    shipped = load([t.key for t in encoder_on.topics], semantic.ENCODER_ID)
    np.testing.assert_allclose(adapted._centred_topics()[1], shipped.vectors)
    np.testing.assert_allclose(adapted.centre, plain.centre)  # the centre stays the plain prototypes' mean
    same = np.isclose((adapted._centred_topics()[1] * plain._centred_topics()[1]).sum(axis=1), 1.0)
    assert same.sum() == len(same) - shipped.adapted


def test_building_from_documents_adapts_the_topics_they_address(encoder_on):
    clauses = ["Every person may say, write and publish what they think.",
               "Nobody shall be punished for an opinion spoken in public.",
               "The press is free and no censor shall read it first.",
               "Citizens may express their views in speech, print and pictures."]
    docs = [Document(id=f"d{i}", title=f"Charter {i}", jurisdiction="xx", provisions=tuple(
        Provision(eid=f"art_{k}", kind=Kind.ARTICLE, num=str(k), text=text)
        for k, text in enumerate(clauses, start=1))) for i in range(3)]  # each first topic thrice
    built = prototypes.build(docs, [("synthetic", "-")])
    plain = topics.TopicTagger(encoder_on, adapted=False)
    assert built.exemplars.sum() == 12
    moved = np.nonzero(built.exemplars >= MIN_EXEMPLARS)[0]
    assert len(moved) >= 1
    _, plain_vectors = plain._centred_topics()
    keep = np.setdiff1d(np.arange(len(built.keys)), moved)
    np.testing.assert_allclose(built.vectors[keep], plain_vectors[keep])
    assert all(built.vectors[i] @ plain_vectors[i] < 0.999 for i in moved)
