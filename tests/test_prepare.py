"""compare.prepare and ``convene import``'s preparation step: after an import the index, the matrix and the
topic tags are on disk, a second preparation reads them instead of computing them, and a failure to prepare
never fails (or undoes) the import."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from compare import facets, topic_cache, topics
from compare import prepare as prepare_mod
from compare.index import CorpusIndex, clear_memory
from compare.prepare import prepare
from constitutions.store import Store
from convene import settings
from convene.cli import app
from tests.needs import need_encoder

runner = CliRunner()

NORTH = """Article 1
Every person has the right to speak and write freely.

Article 2
The Governor holds the executive power and serves a term of four years; the Governor may be removed by the
legislature for grave misconduct.
"""
SOUTH = """Article 1
Everyone enjoys freedom of expression, in speech and in writing.

Article 2
The President is head of the executive and is elected for five years.

Article 3
The flag is green.
"""


@pytest.fixture
def texts(tmp_path) -> list[str]:
    """Two plain-text files, named (a folder walk would skip plain text)."""
    paths = []
    for name, body in (("north.txt", NORTH), ("south.txt", SOUTH)):
        (tmp_path / name).write_text(body, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


def _fresh_process() -> None:
    """Forget what this process keeps in memory, as a new process would."""
    clear_memory()
    topics.clear_cache()
    facets._unit_cache.clear()


def test_import_prepares_everything_on_disk(corpus_dir, texts):
    result = runner.invoke(app, ["import", *texts, "--json"])
    assert result.exit_code == 0, result.output
    prepared = json.loads(result.stdout)["prepared"]
    assert prepared["ok"] and prepared["documents"] == ["north", "south"]
    assert [s["name"] for s in prepared["steps"]] == ["index", "matrix", "topics", "facets"]
    home = settings.home()
    assert list((home / "index-cache").glob("*.npz")) and list((home / "index-cache").glob("*.matrix-*.json"))
    assert len(list((home / topic_cache.TAG_CACHE_FOLDER).glob("*.json"))) == 2


def test_a_second_preparation_reads_instead_of_computing(corpus_dir, texts, monkeypatch):
    assert runner.invoke(app, ["import", *texts]).exit_code == 0
    _fresh_process()

    def refuse(*args, **kwargs):
        raise AssertionError("prepared data was computed again instead of read")

    monkeypatch.setattr(CorpusIndex, "__init__", refuse)
    monkeypatch.setattr(topics, "_compute", refuse)
    monkeypatch.setattr("compare.matrix.similarity_matrix", refuse)
    monkeypatch.setattr(facets, "facet_queries", refuse)  # North's Article 2 has two facets, read and saved
    report = prepare()
    assert report.ok and report.documents == ("north", "south"), report.to_dict()
    assert len(report.steps) == 4


def test_with_the_encoder_in_alignment_an_import_encodes_what_aligning_needs(corpus_dir, texts, monkeypatch):
    from compare import align, semantic
    from compare.encoder import SentenceEncoder

    need_encoder()
    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", "1")
    result = runner.invoke(app, ["import", *texts, "--json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["prepared"]["steps"]
    assert [s["name"] for s in steps] == ["index", "matrix", "topics", "facets", "encoder"]
    assert all(s["ok"] for s in steps)
    _fresh_process()
    semantic._encoded.clear()  # a new process: only the disk cache is left

    def refuse(self, texts):
        raise AssertionError(f"encoded again: {list(texts)[:2]}")

    monkeypatch.setattr(SentenceEncoder, "encode", refuse)
    store = Store()
    result = align.align(store.get("north"), store.get("south"))  # would call the encoder for any text not stored
    assert [r.matches[0].citation for r in result.rows if r.citation == "Art. 1"] == ["Art. 1"]


def test_text_output_says_what_was_prepared(corpus_dir, texts):
    result = runner.invoke(app, ["import", *texts])
    assert result.exit_code == 0, result.output
    assert "Prepared for comparison: index" in result.stdout


def test_no_prepare_skips_it(corpus_dir, texts):
    result = runner.invoke(app, ["import", *texts, "--json", "--no-prepare"])
    assert result.exit_code == 0
    assert "prepared" not in json.loads(result.stdout)
    assert not list((settings.home() / topic_cache.TAG_CACHE_FOLDER).glob("*.json"))


def test_without_an_ontology_the_import_still_succeeds(texts, tmp_path, monkeypatch):
    empty = tmp_path / "no-corpus"
    empty.mkdir()
    monkeypatch.setenv("CONVENE_CORPUS", str(empty))
    result = runner.invoke(app, ["import", *texts])
    assert result.exit_code == 0, result.output
    assert "note: the index was not prepared" in result.stderr and "ontology" in result.stderr
    assert "Traceback" not in result.output
    assert [d.id for d in Store().documents()] == ["north", "south"]


def test_a_failed_step_is_reported_and_the_others_still_run(corpus_dir, texts, monkeypatch):
    assert runner.invoke(app, ["import", *texts, "--no-prepare"]).exit_code == 0
    _fresh_process()
    from convene.errors import ReadError

    def broken(docs, *, persist=True):
        raise ReadError("disk full", source="index-cache")

    monkeypatch.setattr(CorpusIndex, "load_or_build", broken)
    report = prepare()
    assert not report.ok
    assert [(s.name, s.ok) for s in report.steps] == [("index", False), ("topics", True)]
    assert "disk full" in report.steps[0].error


def test_an_empty_store_has_nothing_to_prepare():
    report = prepare()
    assert report.ok and report.documents == () and report.steps == ()
    assert prepare_mod.PrepareReport((), ()).to_dict() == {"documents": [], "ok": True, "steps": []}
