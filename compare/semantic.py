"""Optional semantic scorer: static sentence embeddings from WordLlama.

WordLlama (PyPI ``wordllama``, no torch) ships its model weights and tokenizer
inside the wheel.  It is loaded from the package folder with downloads
disabled, so it works with no network; if the package is missing (it is the
optional extra ``semantic``) or fails to load, :func:`available` is False and
alignment uses its lexical and topical parts only.  Setting the environment
variable ``CONVENE_SEMANTIC=0`` turns it off.

Embeddings are cached per text (in-process) so a provision is embedded once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import weakref
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from compare.index import DocFeatures

MAX_CHARS = 4000  # a unit's text is embedded from its first characters
_cache: dict[str, np.ndarray] = {}
_unit_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def available() -> bool:
    if os.environ.get("CONVENE_SEMANTIC", "1") == "0":
        return False
    return importlib.util.find_spec("wordllama") is not None and _model() is not None


def for_alignment() -> bool:
    """Whether alignment adds the semantic part: opt in with ``CONVENE_ALIGN_SEMANTIC=1``.  On the
    gold set it is neutral for alignment (bench/eval_alignment.py prints both), while embedding every
    provision is most of a cold corpus index build; topic tagging, which it does help, uses the
    model whenever :func:`available`."""
    return os.environ.get("CONVENE_ALIGN_SEMANTIC", "0") == "1" and available()


@cache
def _model():
    try:
        from wordllama import WordLlama  # type: ignore[import-not-found]

        package = Path(importlib.util.find_spec("wordllama").origin).parent  # type: ignore[union-attr]
        return WordLlama.load(cache_dir=package, disable_download=True)
    except Exception:  # noqa: BLE001 - any failure of the optional model means "not available"
        return None


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text."""
    model = _model()
    keys = [hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest() for t in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in _cache))
    if missing:
        by_key = dict(zip(keys, texts, strict=True))
        with np.errstate(invalid="ignore", divide="ignore"):  # a text without known tokens embeds as zeros
            vectors = np.asarray(model.embed([by_key[k][:MAX_CHARS] for k in missing], norm=True), dtype=np.float32)
        vectors = np.nan_to_num(vectors, nan=0.0, posinf=0.0, neginf=0.0)
        for k, v in zip(missing, vectors, strict=True):
            _cache[k] = v
    if not keys:
        return np.zeros((0, 1), dtype=np.float32)
    return np.vstack([_cache[k] for k in keys])


def unit_texts(features: DocFeatures) -> list[str]:
    doc = features.doc
    return [doc.get(u.eid).full_text() for u in features.units]


def unit_embeddings(features: DocFeatures) -> np.ndarray:
    """Embeddings of a document's candidate units (rows in ``features.candidate_mask`` order), computed once
    per :class:`compare.index.DocFeatures` and kept while it lives."""
    found = _unit_cache.get(features)
    if found is None:
        doc = features.doc
        texts = [doc.get(features.units[j].eid).full_text() for j in np.flatnonzero(features.candidate_mask)]
        found = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        _unit_cache[features] = found
    return found


def candidate_scores(q_texts: Sequence[str], features: DocFeatures) -> np.ndarray:
    """Cosine (clipped to [0, 1]) of every query with every candidate unit of ``features``:
    len(q) x number of candidate units."""
    b = unit_embeddings(features)
    if not q_texts or not len(b):
        return np.zeros((len(q_texts), len(b)))
    return np.clip(embed(q_texts) @ b.T, 0.0, 1.0).astype(np.float64)
