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

The same tagger names the topics an alignment's explanation says two provisions share
(:func:`unit_topics`, :func:`shared_topics`): a topic it *reports* for one of them
(:func:`compare.topics.tag_document`, as the topic explorer shows it) and scores at its reporting minimum for
the other, so an explanation never names a topic the explorer shows for neither.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from compare import topics

if TYPE_CHECKING:
    from compare.index import DocFeatures

POWER = 2.0  # chosen on the dev half of the alignment gold set (1, 2, 3, 4 tried)
SHARED_TOPICS = 3  # topics an explanation names at most
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_scores_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_tags_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
        found = profile(unit_scores(features)).astype(np.float32)
        _cache[features] = found
    return found


def unit_scores(features: DocFeatures) -> np.ndarray:
    """The tagger's decision scores of every unit (rows in ``features.units`` order, float32): the maximum over
    the unit and its sub-provisions (:func:`subtree_max`), computed once per :class:`compare.index.DocFeatures`."""
    found = _scores_cache.get(features)
    if found is None:
        found = subtree_max(features, topics.cached_document_scores(features.doc)).astype(np.float32)
        _scores_cache[features] = found
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


@dataclass(frozen=True, slots=True)
class UnitTopics:
    """What the tagger says of one provision, for explanations: the topics it reports (key -> confidence) and
    those it scores at least at its reporting minimum (key -> decision score), with their labels."""

    reported: dict[str, float]
    scored: dict[str, float]
    labels: dict[str, str]


def _unit_topics(reported: dict[str, float], scores: np.ndarray, t: topics.TopicTagger,
                 minimum: float) -> UnitTopics:
    scored = {t.ontology.topics[i].key: float(scores[i]) for i in np.flatnonzero(scores >= minimum)}
    return UnitTopics(reported, scored, {key: t.ontology.by_key[key].label for key in {*reported, *scored}})


def unit_topics(features: DocFeatures) -> tuple[UnitTopics, ...]:
    """Per unit (``features.units`` order), the topics the tagger reports for it or for any of its
    sub-provisions (:func:`compare.topics.tag_document`, the highest confidence) and those its decision scores
    (:func:`unit_scores`) reach the reporting minimum; computed once per :class:`compare.index.DocFeatures`
    (the tags themselves are cached on disk)."""
    found = _tags_cache.get(features)
    if found is None:
        rows: list[dict[str, float]] = [{} for _ in features.units]
        tags = topics.tag_document(features.doc)
        for loc in features.doc.walk():
            found_tags = tags.get(loc.provision.eid, ())
            if not found_tags:
                continue
            for eid in (loc.provision.eid, *(a.eid for a in loc.ancestors)):
                k = features.row_of.get(eid)
                if k is None:
                    continue
                for tag in found_tags:
                    if tag.confidence > rows[k].get(tag.key, 0.0):
                        rows[k][tag.key] = tag.confidence
        t, minimum, scores = topics.tagger(), topics.decision_minimum(), unit_scores(features)
        found = tuple(_unit_topics(row, scores[k], t, minimum) for k, row in enumerate(rows))
        _tags_cache[features] = found
    return found


def text_topics(text: str) -> UnitTopics:
    """What the tagger says of free text (no heading, no context)."""
    tags, scores = topics.text_tags_and_scores(text)
    return _unit_topics({tag.key: tag.confidence for tag in tags}, scores, topics.tagger(), topics.decision_minimum())


def shared_topics(a: UnitTopics, b: UnitTopics, limit: int = SHARED_TOPICS) -> tuple[str, ...]:
    """Labels of the topics two provisions share: reported for one of them and scored at least at the
    tagger's reporting minimum (:func:`compare.topics.decision_minimum`) for the other, so a topic the relative
    cutoff left out of a provision with many subjects still counts; the most clearly shared first (by the lesser
    of the two scores), at most ``limit``."""
    keys = {k for k in a.reported if k in b.scored} | {k for k in b.reported if k in a.scored}
    ranked = sorted(keys, key=lambda k: (-min(a.scored.get(k, 0.0), b.scored.get(k, 0.0)), k))
    return tuple(a.labels.get(k) or b.labels[k] for k in ranked[:limit])
