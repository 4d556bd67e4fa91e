"""The Constitute Project's topic ontology, read from its OWL file.

:func:`load_ontology` reads ``constitute-topics/ontology.owl`` (RDF/XML) with lxml, safely (no DTD, no entity
resolution, no network): the root class ``Topics``, its 11 categories, their sub-categories and the 328 leaf
topics keyed by CCP variable names (``hosdec``), each with its English label, description, keywords and the
texts of its CCP survey questions.  A missing or unreadable file is a :class:`convene.errors.ReadError` naming it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

from convene import settings
from convene.errors import NotFoundError, ReadError

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
    questions: tuple[str, ...] = ()  # texts of its CCP survey questions


@dataclass(frozen=True, slots=True)
class TopicScore:
    """A topic a text addresses, with the tagger's confidence and the evidence it found."""

    key: str
    label: str
    category: str
    confidence: float  # in (0, 1]
    evidence: tuple[str, ...] = ()  # terms (stems) or bigrams of the profile found in the text


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


def default_path() -> Path | None:
    root = settings.corpus_dir()
    return root / "constitute-topics" / "ontology.owl" if root else None


def _text(el, tag: str) -> str:
    for node in el.iterfind(tag, _NS):
        if node.get(_LANG) == "en" and node.text:
            return " ".join(node.text.split())
    return ""


def _questions(el, classes: dict) -> tuple[str, ...]:
    """Texts of the CCP survey questions a topic class points to (``hasQuestion`` restrictions)."""
    out = []
    for ref in el.iterfind("rdfs:subClassOf/owl:Restriction/owl:someValuesFrom", _NS):
        target = (ref.get(_RESOURCE) or "")[len(BASE):]
        question = classes.get(target)
        node = question.find("ontology:questionText", _NS) if question is not None else None
        if node is not None and node.text and node.text.strip():
            out.append(" ".join(node.text.split()))
    return tuple(dict.fromkeys(out))


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
                                          cat.key, groups, _questions(el, classes))
    return Ontology(categories, tuple(sorted(topics.values(), key=lambda t: t.key)), path)
