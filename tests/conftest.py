"""Shared fixtures.  Every test gets its own CONVENE_HOME, so nothing touches the
user's real database.  Tests that need the real corpus use ``corpus_dir``; when
the folder is missing they are skipped on a developer's machine and fail in CI
(CI=true), so a green CI run always means the corpus was really read."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from convene import settings


def pytest_configure(config) -> None:
    """The sentence encoder costs ~0.5 ms per word piece (minutes for the corpus): the tests written for it
    turn it on, the others run without it, in this process and in every process it starts (an import, the
    studio server).  ``CONVENE_TEST_ALIGN_SEMANTIC=1`` / ``CONVENE_TEST_TOPIC_SEMANTIC=1`` put it back."""
    os.environ["CONVENE_ALIGN_SEMANTIC"] = os.environ.get("CONVENE_TEST_ALIGN_SEMANTIC", "0")
    os.environ["CONVENE_TOPIC_SEMANTIC"] = os.environ.get("CONVENE_TEST_TOPIC_SEMANTIC", "0")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("convene-home")
    monkeypatch.setenv("CONVENE_HOME", str(home))
    monkeypatch.setenv("CONVENE_AUTHOR", "tester")
    return home


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    found = settings.corpus_dir()
    if found is None:
        message = "corpus folder not found: set CONVENE_CORPUS (default ../shared/corpus)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@cache
def _read_corpus_file(relative: str):
    from constitutions.readers import read_path

    root = settings.corpus_dir()
    assert root is not None
    return read_path(root / relative)


@pytest.fixture(scope="session")
def corpus_doc(corpus_dir):
    """``corpus_doc("us/HMAN-117-constitution.xml")``: the parsed document, read once per session."""
    return _read_corpus_file
