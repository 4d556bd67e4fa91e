"""Measuring topic tagging against hand-verified labels (``tests/data/gold_topics.json``).

A label names a provision (corpus file, document id, eId, citation) and two sets of Constitute
topic keys: ``topics``, which the provision's own words address (a tagger must find them), and
``also``, which it arguably addresses (a tagger is not penalised for them).  Over all labels:

- precision = predicted topics that are in ``topics`` or ``also`` / all predicted topics;
- recall = topics of ``topics`` predicted / all topics of ``topics``.

A label on a provision without words of its own (an article split into numbered paragraphs, such as
Japan's Art. 9 into Art. 9(1) and 9(2)) is judged on the topics of its whole subtree
(:func:`subtree_topics`): what the article addresses is what its paragraphs address.

Labels whose eId the reader no longer produces are ``unresolved``: reported, never silently
dropped (they count as misses for recall).

Every label belongs to one of two fixed halves, :func:`split_of`: ``dev`` (tune the tagger on it)
and ``test`` (only measured; never tune after reading its failures).  The split is a hash of
document id and eId, so it does not depend on the order of the file and a new label never moves
an old one to the other half.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from convene.errors import ValidationError

GOLD_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold_topics.json"
SPLITS = ("dev", "test")


@dataclass(frozen=True, slots=True)
class GoldLabel:
    source: str  # path relative to the corpus folder
    doc: str
    eid: str
    citation: str
    topics: frozenset[str]
    also: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LabelOutcome:
    label: GoldLabel
    predicted: tuple[str, ...]
    resolved: bool

    @property
    def hits(self) -> frozenset[str]:
        return self.label.topics & set(self.predicted)

    @property
    def misses(self) -> frozenset[str]:
        return self.label.topics - set(self.predicted)

    @property
    def false_positives(self) -> tuple[str, ...]:
        allowed = self.label.topics | self.label.also
        return tuple(k for k in self.predicted if k not in allowed)


@dataclass(frozen=True)
class Metrics:
    outcomes: tuple[LabelOutcome, ...]

    @property
    def predicted(self) -> int:
        return sum(len(o.predicted) for o in self.outcomes)

    @property
    def correct(self) -> int:
        return self.predicted - sum(len(o.false_positives) for o in self.outcomes)

    @property
    def required(self) -> int:
        return sum(len(o.label.topics) for o in self.outcomes)

    @property
    def found(self) -> int:
        return sum(len(o.hits) for o in self.outcomes)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def unresolved(self) -> tuple[GoldLabel, ...]:
        return tuple(o.label for o in self.outcomes if not o.resolved)


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% for the default ``z``): how far a figure measured on a
    few dozen cases may be from the rate behind it, the trials taken as independent (a provision's several
    topics, or a query's, are not quite).  (0.0, 1.0) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes out of {trials} trials")
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def split_of(label: GoldLabel) -> str:
    """``"dev"`` or ``"test"``: a stable hash of ``doc:eid`` (about half of the labels each)."""
    digest = hashlib.blake2b(f"{label.doc}:{label.eid}".encode(), digest_size=8).digest()
    return SPLITS[digest[0] & 1]


def load_gold(path: str | Path = GOLD_PATH) -> tuple[GoldLabel, ...]:
    """The labels of a gold file; ValidationError names the file and the bad entry."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        labels = []
        for n, item in enumerate(data["labels"], start=1):
            topics = frozenset(item["topics"])
            if not topics:
                raise ValueError(f"label {n} has no topics")
            labels.append(GoldLabel(str(item["source"]), str(item["doc"]), str(item["eid"]), str(item["citation"]),
                                    topics, frozenset(item.get("also", ()))))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"not a gold topic file: {exc}", source=str(path), code="E613") from exc
    return tuple(labels)


def subtree_topics(provision, tags: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """The topic keys ``tags`` gives ``provision`` (a :class:`constitutions.model.Provision`), or, when it has no
    words of its own but has sub-provisions, those of every provision of its subtree, each once, in document
    order."""
    if provision.text or not provision.children:
        return tuple(tags.get(provision.eid, ()))
    return tuple(dict.fromkeys(k for p in provision.walk() for k in tags.get(p.eid, ())))


def score(labels: Iterable[GoldLabel], predictions: Mapping[tuple[str, str], Iterable[str] | None]) -> Metrics:
    """Compare ``predictions[(doc, eid)]`` (topic keys, or None when the eId does not exist) with labels."""
    outcomes = []
    for label in labels:
        predicted = predictions.get((label.doc, label.eid))
        outcomes.append(LabelOutcome(label, tuple(predicted or ()), predicted is not None))
    return Metrics(tuple(outcomes))
