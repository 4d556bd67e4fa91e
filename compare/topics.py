"""Topics from the Constitute Project ontology, and provisions tagged with them.

:func:`load_ontology` reads ``constitute-topics/ontology.owl`` (RDF/XML) with
lxml, safely (no DTD, no entity resolution, no network): the root class
``Topics``, its 11 categories, their sub-categories and the 328 leaf topics
keyed by CCP variable names (``hosdec``), each with its English label,
description and keywords.

Tagging (:func:`tag_provision`) is lexical and explainable: every topic has a
profile of lemmas (label and keywords weigh most, the sub-category label less,
the description least), each lemma weighted by its inverse frequency over the
topic profiles (so "right" or "constitution" count little), matched with a
BM25 saturation on the provision's lemmas; multiword labels and keywords
("freedom of expression") earn a phrase bonus when their lemmas appear in
sequence; heading lemmas count double.  A topic is reported only with strong
evidence (a label or keyword lemma or phrase, not description words alone) and
a confidence in (0, 1] at or above :data:`MIN_CONFIDENCE`.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from lxml import etree

from constitutions.language import analyse_many
from constitutions.model import Document
from convene import settings
from convene.errors import ConveneError, NotFoundError, ReadError

ROOT_KEY = "Topics"
BASE = "http://www.constituteproject.org/ontology/"
_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "terms": "http://purl.org/dc/terms/",
    "ontology": BASE,
}
_ABOUT = f"{{{_NS['rdf']}}}about"
_RESOURCE = f"{{{_NS['rdf']}}}resource"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MIN_CONFIDENCE = 0.45
RELATIVE_CUTOFF = 0.6  # a tag must reach this share of the best tag's confidence
SPECIFIC_DF = 10  # a lemma in at most this many topic profiles is specific evidence on its own
MAX_TAGS = 6

# profile weights: how much a lemma says about the topic, by where it comes from
W_LABEL, W_KEYWORD, W_GROUP, W_DESCRIPTION = 3.0, 2.5, 1.0, 0.4
PHRASE_BONUS = 2.0
HEADING_WEIGHT = 2.0
INHERITANCE = 0.8  # a provision without words of its own takes its parent's topics at this share
K1, B = 1.2, 0.5


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Topic:
    key: str  # CCP variable name, e.g. "hosdec"
    label: str  # English label
    description: str
    keywords: tuple[str, ...]
    category: str  # key of one of the 11 categories
    groups: tuple[str, ...] = ()  # labels of the sub-categories it sits under


@dataclass(frozen=True)
class Ontology:
    categories: tuple[Category, ...]
    topics: tuple[Topic, ...]
    source: str = ""
    by_key: dict[str, Topic] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({t.key: t for t in self.topics})

    def topic(self, key: str) -> Topic:
        try:
            return self.by_key[key]
        except KeyError:
            raise NotFoundError(f"no topic {key!r} in the ontology", source=self.source) from None


@dataclass(frozen=True, slots=True)
class TopicScore:
    key: str
    label: str
    category: str
    confidence: float  # in (0, 1]
    evidence: tuple[str, ...] = ()  # lemmas or phrases of the profile found in the text


# ------------------------------------------------------------------ reading

def default_path() -> Path | None:
    root = settings.corpus_dir()
    return root / "constitute-topics" / "ontology.owl" if root else None


def _text(el, tag: str) -> str:
    for node in el.iterfind(tag, _NS):
        if node.get(_LANG) == "en" and node.text:
            return " ".join(node.text.split())
    return ""


def load_ontology(path: str | Path | None = None) -> Ontology:
    """The topic taxonomy; ``path`` defaults to the corpus' ``constitute-topics/ontology.owl``."""
    target = Path(path) if path is not None else default_path()
    if target is None or not target.is_file():
        raise ReadError("Constitute ontology not found; set CONVENE_CORPUS to the corpus folder "
                        "(it must hold constitute-topics/ontology.owl)", source=str(target or "ontology.owl"))
    return _load(str(target.resolve()))


@cache
def _load(path: str) -> Ontology:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                             remove_comments=True)
    try:
        root = etree.parse(path, parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise ReadError(f"not a readable OWL file: {exc}", source=path) from exc
    classes = {}
    parents: dict[str, list[str]] = defaultdict(list)
    for el in root.iterfind("owl:Class", _NS):
        about = el.get(_ABOUT) or ""
        if not about.startswith(BASE):
            continue
        key = about[len(BASE):]
        classes[key] = el
        for sub in el.iterfind("rdfs:subClassOf", _NS):
            ref = sub.get(_RESOURCE) or ""
            if ref.startswith(BASE):
                parents[key].append(ref[len(BASE):])
    children: dict[str, list[str]] = defaultdict(list)
    for key, ps in parents.items():
        for p in ps:
            children[p].append(key)
    if not children.get(ROOT_KEY):
        raise ReadError("no topic taxonomy (class 'Topics' has no sub-classes)", source=path)

    def label_of(key: str) -> str:
        return _text(classes[key], "rdfs:label") or key.replace("_", " ") if key in classes else key

    categories = tuple(Category(k, label_of(k)) for k in sorted(children[ROOT_KEY]))
    topics: dict[str, Topic] = {}
    for cat in categories:
        stack = [(cat.key, ())]
        while stack:
            key, groups = stack.pop()
            for child in sorted(children.get(key, ())):
                if children.get(child):
                    stack.append((child, (*groups, label_of(child))))
                elif child not in topics and child in classes:
                    el = classes[child]
                    keywords = tuple(dict.fromkeys(
                        " ".join(k.text.split()) for k in el.iterfind("ontology:keyword", _NS)
                        if k.get(_LANG) == "en" and k.text and k.text.strip()))
                    topics[child] = Topic(child, label_of(child), _text(el, "terms:description"), keywords,
                                          cat.key, groups)
    return Ontology(categories, tuple(sorted(topics.values(), key=lambda t: t.key)), path)


# ------------------------------------------------------------------ tagging

@dataclass(frozen=True)
class _Profile:
    weights: dict[str, float]  # lemma -> weight x idf
    strong: frozenset[str]  # lemmas from label / keywords
    phrases: tuple[tuple[str, ...], ...]
    norm: float


class TopicTagger:
    """Scores texts against every topic of an ontology (see the module docstring)."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        topics = ontology.topics
        sources: list[list[tuple[str, float]]] = []
        for t in topics:
            sources.append([(t.label, W_LABEL), *((k, W_KEYWORD) for k in t.keywords),
                            *((g, W_GROUP) for g in t.groups[-1:]), (t.description, W_DESCRIPTION)])
        flat = [text for src in sources for text, _ in src]
        analysed = dict(zip(flat, analyse_many(flat), strict=True))
        raw: list[dict[str, float]] = []
        strong: list[set[str]] = []
        phrases: list[set[tuple[str, ...]]] = []
        for src in sources:
            weights: dict[str, float] = {}
            s: set[str] = set()
            ph: set[tuple[str, ...]] = set()
            for text, w in src:
                lem = analysed[text].lemmas
                for lemma in set(lem):
                    weights[lemma] = max(weights.get(lemma, 0.0), w)
                if w >= W_KEYWORD:
                    s.update(lem)
                    if len(lem) >= 2:
                        ph.add(tuple(lem))
            raw.append(weights)
            strong.append(s)
            phrases.append(ph)
        df = Counter(lemma for weights in raw for lemma in weights)
        n = len(topics)
        self.df = dict(df)
        self.idf = {lemma: math.log(1 + n / d) for lemma, d in df.items()}
        self.profiles: list[_Profile] = []
        for weights, s, ph in zip(raw, strong, phrases, strict=True):
            scaled = {lemma: w * self.idf[lemma] for lemma, w in weights.items()}
            strong_mass = sorted((scaled[x] for x in s), reverse=True)
            norm = sum(strong_mass[:3]) or 1.0
            self.profiles.append(_Profile(scaled, frozenset(s), tuple(sorted(ph)), norm))
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.profiles):
            for lemma in p.weights:
                self.postings[lemma].append(i)

    def scores(self, lemmas: Sequence[str], heading_lemmas: Sequence[str] = ()) -> np.ndarray:
        """Raw evidence per topic (index = position in ``ontology.topics``), before thresholds."""
        out = np.zeros(len(self.profiles), dtype=np.float64)
        if not lemmas and not heading_lemmas:
            return out
        tf = Counter(lemmas)
        for lemma in heading_lemmas:
            tf[lemma] += HEADING_WEIGHT
        length = len(lemmas) + HEADING_WEIGHT * len(heading_lemmas)
        avg = 60.0
        denom_len = K1 * (1 - B + B * length / avg)
        for lemma, f in tf.items():
            for i in self.postings.get(lemma, ()):
                out[i] += self.profiles[i].weights[lemma] * f * (K1 + 1) / (f + denom_len)
        seq = (*heading_lemmas, *lemmas)
        if len(seq) >= 2:
            bigrams = set(itertools.pairwise(seq))
            for i in np.nonzero(out)[0]:
                prof = self.profiles[i]
                for phrase in prof.phrases:
                    if all(pair in bigrams for pair in itertools.pairwise(phrase)):
                        out[i] += PHRASE_BONUS * sum(prof.weights.get(x, 0.0) for x in phrase) / len(phrase)
        return out

    def vector(self, lemmas: Sequence[str], heading_lemmas: Sequence[str] = ()) -> np.ndarray:
        """Per-topic confidences in [0, 1) (a soft topic vector, used by alignment)."""
        raw = self.scores(lemmas, heading_lemmas)
        norms = np.fromiter((p.norm for p in self.profiles), dtype=np.float64, count=len(self.profiles))
        return 1.0 - np.exp(-raw / norms)

    def tag(self, lemmas: Sequence[str], heading_lemmas: Sequence[str] = (),
            inherited: np.ndarray | None = None) -> tuple[TopicScore, ...]:
        conf = self.vector(lemmas, heading_lemmas)
        if inherited is not None:
            conf = np.maximum(conf, INHERITANCE * inherited)
        present = set(lemmas) | set(heading_lemmas)
        out = []
        order = np.argsort(-conf)
        best = conf[order[0]] if len(order) else 0.0
        for i in order[:MAX_TAGS * 3]:
            c = float(conf[i])
            if c < MIN_CONFIDENCE or c < RELATIVE_CUTOFF * best:
                break
            prof = self.profiles[i]
            evidence = sorted(prof.strong & present, key=lambda x: -prof.weights[x])
            specific = len(evidence) >= 2 or any(self.df[x] <= SPECIFIC_DF for x in evidence)
            if not specific and (inherited is None or INHERITANCE * inherited[i] < MIN_CONFIDENCE):
                continue
            t = self.ontology.topics[i]
            out.append(TopicScore(t.key, t.label, t.category, round(c, 4), tuple(evidence)))
            if len(out) == MAX_TAGS:
                break
        return tuple(out)


@cache
def _tagger_for(path: str) -> TopicTagger:
    return TopicTagger(_load(path))


def tagger(path: str | Path | None = None) -> TopicTagger:
    """The tagger for the default (or given) ontology, built once per process."""
    return _tagger_for(load_ontology(path).source)


def tag_provision(text: str, heading: str = "") -> tuple[TopicScore, ...]:
    """Topics a provision addresses, most confident first."""
    t = tagger()
    text_a, head_a = analyse_many([text, heading])
    return t.tag(text_a.lemmas, head_a.lemmas)


def tag_document(doc: Document) -> dict[str, tuple[TopicScore, ...]]:
    """Topics of every provision (by eId), each judged on its own words plus its heading;
    a provision with no words of its own inherits its parent's topics (x :data:`INHERITANCE`)."""
    t = tagger()
    locs = list(doc.walk())
    texts = [loc.provision.text for loc in locs]
    headings = [loc.provision.heading for loc in locs]
    analysed = analyse_many([*texts, *headings])
    n = len(locs)
    out: dict[str, tuple[TopicScore, ...]] = {}
    vectors: dict[str, np.ndarray] = {}
    for i, loc in enumerate(locs):
        p = loc.provision
        parent = loc.parent
        inherited = vectors.get(parent.eid) if parent is not None else None
        lem, head = analysed[i].lemmas, analysed[n + i].lemmas
        own = t.vector(lem, head)
        if not lem and inherited is not None:
            own = np.maximum(own, INHERITANCE * inherited)
        vectors[p.eid] = own
        out[p.eid] = t.tag(lem, head, inherited if not lem else None)
    return out


def search_topics(phrase: str, *, limit: int = 10) -> list[TopicScore]:
    """Topics whose label, keywords or description match ``phrase``, best first ([] for an empty phrase)."""
    if not phrase.strip():
        return []
    t = tagger()
    lem = analyse_many([phrase])[0].lemmas
    if not lem:
        return []
    conf = t.vector(lem, lem)
    out = []
    wanted = set(lem)
    for i in np.argsort(-conf)[:limit]:
        if conf[i] <= 0:
            break
        topic = t.ontology.topics[i]
        prof = t.profiles[i]
        out.append(TopicScore(topic.key, topic.label, topic.category, round(float(conf[i]), 4),
                              tuple(sorted(wanted & set(prof.weights)))))
    return out


def topic_keys(scores: Iterable[TopicScore]) -> tuple[str, ...]:
    return tuple(s.key for s in scores)


__all__ = ["Category", "ConveneError", "Ontology", "Topic", "TopicScore", "TopicTagger", "load_ontology",
           "search_topics", "tag_document", "tag_provision", "tagger"]
