"""Topic profiles: what the topic tagger makes of each provision, as a vector alignment can compare.

The alignment's ``topical`` part (:mod:`compare.index`) compares the ontology's words found in two
provisions.  A *profile* compares what the full tagger (:mod:`compare.topics`, with the sentence encoder)
decides they are about: its decision score for each of the 328 topics (:func:`compare.topics.document_scores`:
lexical confidence fused with the embedding's z-score, the institution scope and the attribute read apart),
taken for a provision with sub-provisions as the maximum over its subtree (an article is about what any of
its clauses is about), negative scores set to 0, raised to :data:`POWER` (so a provision's leading topics
dominate its many faint ones) and L2-normalised.  The cosine of two profiles is the alignment's ``tagged``
part: two provisions on the removal of the head of state agree on "Head of state removal" even when one
says "impeachment" and the other "removed from office ... by a resolution of Parliament".

Profiles are computed when an alignment first needs them and kept while the document's features live
(the tagger's inputs, the lemmas and the encoder's vectors, are cached on disk, so this takes about a second
for a large constitution).  Free text (a ``similar`` query) is profiled from its words alone
(:func:`compare.topics.text_scores`).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from compare import topics

if TYPE_CHECKING:
    from compare.index import DocFeatures

POWER = 2.0  # chosen on the dev half of the alignment gold set (1, 2, 3, 4 tried)
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def profile(scores: np.ndarray) -> np.ndarray:
    """Rows of decision scores as profiles: ``max(score, 0) ** POWER``, L2-normalised (a row with no
    positive score stays zero, so it agrees with nothing)."""
    m = np.maximum(np.atleast_2d(scores), 0.0) ** POWER
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def unit_profiles(features: DocFeatures) -> np.ndarray:
    """Profiles of every unit of a document (rows in ``features.units`` order, float32), computed once per
    :class:`compare.index.DocFeatures` and kept while it lives."""
    found = _cache.get(features)
    if found is None:
        found = profile(subtree_max(features, topics.document_scores(features.doc))).astype(np.float32)
        _cache[features] = found
    return found


def subtree_max(features: DocFeatures, scores: dict[str, np.ndarray]) -> np.ndarray:
    """Per unit, the maximum of its own scores and its descendants' (units without scores count as 0)."""
    n_topics = len(next(iter(scores.values()))) if scores else len(topics.tagger().ontology.topics)
    out = np.zeros((len(features.units), n_topics))
    for k, unit in enumerate(features.units):
        row = scores.get(unit.eid)
        if row is not None:
            out[k] = row
    for k in range(len(features.units)):  # every unit passes its own scores to each of its ancestors
        for eid in features.ancestry[k]:
            j = features.row_of.get(eid)
            if j is not None:
                np.maximum(out[j], out[k], out=out[j])
    return out


def text_profiles(texts: Sequence[str]) -> np.ndarray:
    """Profiles of free texts (no heading, no context), one row each."""
    if not texts:
        return np.zeros((0, len(topics.tagger().ontology.topics)), dtype=np.float32)
    return profile(np.vstack([topics.text_scores(t) for t in texts])).astype(np.float32)
