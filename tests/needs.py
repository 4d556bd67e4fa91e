"""What some tests need from the machine, checked the same way everywhere: missing on a developer's machine
it skips the test, missing in CI (``CI`` set, where ``.ci/run`` installs it) it fails it."""

from __future__ import annotations

import os

import pytest

from compare import semantic
from compare.encoder import SentenceEncoder


def need(condition: bool, message: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI installs it: this must not happen there)")
        pytest.skip(message)


def need_encoder() -> SentenceEncoder:
    """The real sentence encoder (the ``semantic`` extra)."""
    problem = semantic.encoder_problem()
    need(problem is None, f"the sentence encoder (the 'semantic' extra) is not available: {problem}")
    return semantic._load_encoder()
