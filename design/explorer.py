"""World practice by topic: which documents address a topic, in which provisions, and which do not.

:func:`resolve` turns what the drafter typed into Constitute topic keys: a topic key (``env``), a
topic label (``Protection of environment``), one of the reform ideas of :mod:`design.ideas`
(``proportional representation``), or else a free phrase looked up with
:func:`compare.topics.search_topics` (:func:`phrase_topics`; with the sentence encoder, "right to a lawyer"
finds the right to counsel; ``bench/eval_phrases.py`` measures it).  :func:`explore` then tags every document with
:func:`compare.topics.tag_document` and lists, per document, the provisions tagged with any of
those topics, strongest first, with their citations.

Unless the query was a topic key, its own words count too: a provision's score blends its topic
confidence with how well its words match the query (every query word present, by Porter stem;
the exact phrase scores highest), so "proportional representation" puts the provisions that
prescribe it before those that merely concern elections; a provision that states the phrase is
listed even when the tagger missed its topic.

An empty or blank query stands for no topic: :func:`explore` then returns an empty
:class:`Exploration` (no topics, no documents, none silent) without looking at any document, and
``convene topic ""`` prints "No topics: the query is empty." with exit status 0, as ``convene search ""``
prints "No matches.".  :func:`resolve` alone, which must return at least one topic, refuses a blank
query with :class:`convene.errors.ValidationError` (E610), so a caller that resolves first checks for
a blank query itself (:func:`is_blank`).  Messages quote at most :data:`QUOTE_CHARS` characters of the query.

Guarantees: every document given appears once, either in ``addressed`` or in ``silent``; a
provision is listed only when its own words (or heading) carry the evidence; a tag a provision
merely inherits from its parent is not repeated.  Unknown topic keys and phrases that match no
topic raise :class:`convene.errors.NotFoundError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from constitutions.headings import titled
from constitutions.model import Document
from convene.errors import ConveneError, NotFoundError, ValidationError
from design.ideas import Idea, find_idea, get_idea

if TYPE_CHECKING:
    from compare.topics import TopicScore

__all__ = ["DocumentTopics", "Exploration", "Phrase", "TopicMatch", "TopicRef", "explore", "is_blank",
           "phrase_topics", "query_phrase", "register_topic_command", "resolve"]

SEARCH_MIN_CONFIDENCE = 0.4  # a free phrase's topics: at least this confidence...
SEARCH_RELATIVE = 0.95  # ...and this share of the best topic's
SEARCH_MAX_TOPICS = 3
EXCERPT_CHARS = 240
QUOTE_CHARS = 80  # of the query, quoted in an error message
ALL_WORDS = 0.85  # text relevance of a provision with every query word, but not as the phrase
TEXT_WEIGHT = 0.5  # share of a provision's score that comes from matching the query's own words
_WORD = re.compile(r"[^\W\d_]+")
_STOP = frozenset({"the", "of", "and", "or", "for", "to", "in", "on", "an", "by", "with", "any", "all", "its",
                   "their", "be", "is", "are", "shall", "may"})


@dataclass(frozen=True, slots=True)
class TopicRef:
    key: str
    label: str
    category: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label, "category": self.category}


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A provision tagged with some of the wanted topics; ``score`` is the best of their confidences."""

    eid: str
    citation: str
    heading: str
    score: float
    topics: tuple[str, ...]
    evidence: tuple[str, ...]
    excerpt: str

    def to_dict(self) -> dict[str, Any]:
        return {"eid": self.eid, "citation": self.citation, "heading": self.heading, "score": self.score,
                "topics": list(self.topics), "evidence": list(self.evidence), "excerpt": self.excerpt}


@dataclass(frozen=True, slots=True)
class DocumentTopics:
    doc_id: str
    title: str
    matches: tuple[TopicMatch, ...]  # strongest first, at most the limit asked for
    total: int  # all matching provisions, before the limit

    @property
    def best(self) -> float:
        return self.matches[0].score if self.matches else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "total": self.total,
                "matches": [m.to_dict() for m in self.matches]}


@dataclass(frozen=True)
class Exploration:
    query: str
    topics: tuple[TopicRef, ...]
    idea: Idea | None
    addressed: tuple[DocumentTopics, ...]  # documents with a match, the strongest first
    silent: tuple[tuple[str, str], ...]  # (doc id, title) of documents with none

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "idea": self.idea.to_dict() if self.idea else None,
                "topics": [t.to_dict() for t in self.topics],
                "documents": [d.to_dict() for d in self.addressed],
                "silent": [{"doc_id": i, "title": t} for i, t in self.silent]}


def _ontology():
    from compare.topics import load_ontology

    return load_ontology()


def is_blank(query: str) -> bool:
    """True when ``query`` has nothing but white space: it stands for no topic."""
    return not str(query).strip()


def _quoted(text: str) -> str:
    """``text`` for an error message: its first QUOTE_CHARS characters, then "…" if there are more."""
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def resolve(query: str) -> tuple[tuple[TopicRef, ...], Idea | None]:
    """The topics ``query`` stands for (see the module docstring), and the idea it named if any.

    Always at least one topic: a blank query raises ValidationError (E610), a query no topic matches
    NotFoundError (E611)."""
    text = " ".join(str(query).split())
    if not text:
        raise ValidationError("the query is empty: give a topic key, a topic name or a phrase", code="E610")
    ontology = _ontology()

    def ref(key: str) -> TopicRef:
        topic = ontology.topic(key)
        return TopicRef(topic.key, topic.label, topic.category)

    lowered = text.lower()
    for topic in ontology.topics:
        if lowered in (topic.key.lower(), topic.label.lower()):
            return (ref(topic.key),), None
    idea = get_idea(lowered.replace(" ", "-")) or find_idea(text)
    if idea is not None:
        return tuple(ref(k) for k in idea.topics), idea
    keep = phrase_topics(text)
    if keep:
        return tuple(ref(s.key) for s in keep), None
    raise NotFoundError(f"no Constitute topic matches {_quoted(text)!r}; try a topic key (e.g. 'env', 'referen') "
                        "or a reform idea (e.g. 'proportional representation')", code="E611")


def phrase_topics(phrase: str) -> tuple[TopicScore, ...]:
    """The topics a free phrase stands for: those :func:`compare.topics.search_topics` finds with at least
    :data:`SEARCH_MIN_CONFIDENCE` and :data:`SEARCH_RELATIVE` of the best one's confidence, at most
    :data:`SEARCH_MAX_TOPICS`, best first; () when none does."""
    from compare.topics import search_topics

    found = search_topics(phrase, limit=10)
    if not found:
        return ()
    best = found[0].confidence
    keep = [s for s in found if s.confidence >= SEARCH_MIN_CONFIDENCE and s.confidence >= SEARCH_RELATIVE * best]
    return tuple(keep[:SEARCH_MAX_TOPICS])


@dataclass(frozen=True, slots=True)
class Phrase:
    """The query's own words, for text relevance: their stems and the normalised phrase."""

    stems: tuple[str, ...]
    normalised: str
    # a stem without its last letter begins every word it is the stem of (the Porter stemmer only rewrites endings:
    # "hoping" -> "hope", "ponies" -> "poni"), so a text holding none of these holds none of the stems
    screens: tuple[str, ...] = ()

    @classmethod
    def of(cls, query: str) -> Phrase:
        from compare.topics import stem

        words = [w.lower() for w in _WORD.findall(query)]
        stems = tuple(dict.fromkeys(stem(w) for w in words if len(w) > 2 and w not in _STOP))
        return cls(stems, " ".join(words), tuple(dict.fromkeys(s[:-1] or s for s in stems)))

    def may_hold_all(self, text: str) -> bool:
        """False when ``text`` cannot hold every stem of the query (so its :meth:`relevance` is below 1.0): a
        cheap test, true for every text that does."""
        low = text.lower()
        return bool(self.stems) and all(screen in low for screen in self.screens)

    def relevance(self, text: str) -> tuple[float, tuple[str, ...]]:
        """(1.0 for the exact phrase (or a one-word query's word), 0.85 for all its words in another
        order or form, else the share of query stems present, squared so partial matches count
        little; the matched words)."""
        if not self.stems:
            return 0.0, ()
        low = text.lower()
        if self.screens and not any(screen in low for screen in self.screens):
            return 0.0, ()  # no word of the text can have a stem of the query (the common case: cheap)
        from compare.topics import stem

        words = [w.lower() for w in _WORD.findall(text)]
        present = {stem(w): w for w in reversed(words) if len(w) > 2}
        matched = tuple(present[s] for s in self.stems if s in present)
        if len(self.stems) > 1 and f" {self.normalised} " in f" {' '.join(words)} ":
            return 1.0, matched
        if len(matched) == len(self.stems):
            return (1.0 if len(self.stems) == 1 else ALL_WORDS), matched
        return (len(matched) / len(self.stems)) ** 2, matched


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def document_matches(doc: Document, keys: Iterable[str], *, limit: int | None = 5,
                     tags: Mapping[str, Sequence[Any]] | None = None,
                     cite: Callable[[Document, str], str] | None = None,
                     phrase: Phrase | None = None) -> DocumentTopics:
    """The provisions of ``doc`` tagged with any of ``keys`` (``tags`` = a precomputed
    :func:`compare.topics.tag_document` result, computed when None), scored with the query's
    words too when ``phrase`` is given (see the module docstring)."""
    if tags is None:
        from compare.topics import tag_document

        tags = tag_document(doc)
    if cite is None:
        from compare.cite import cite as cite_fn

        cite = cite_fn
    wanted = set(keys)
    found: list[TopicMatch] = []
    for loc in doc.walk():
        provision = loc.provision
        hits = [s for s in tags.get(provision.eid, ()) if s.key in wanted and s.evidence]
        text = f"{provision.heading} {provision.text}"
        if not hits and (phrase is None or not phrase.may_hold_all(text)):
            continue  # untagged, and the query's words cannot all be there: relevance below 1.0
        relevance, words = phrase.relevance(text) if phrase else (0.0, ())
        if not hits and relevance < 1.0:
            continue
        hits.sort(key=lambda s: -s.confidence)
        confidence = hits[0].confidence if hits else 0.0
        score = (1 - TEXT_WEIGHT) * confidence + TEXT_WEIGHT * relevance if phrase else confidence
        evidence = tuple(dict.fromkeys((*words, *(e for s in hits for e in s.evidence))))
        found.append(TopicMatch(provision.eid, cite(doc, provision.eid), provision.heading,
                                round(score, 4), tuple(s.key for s in hits), evidence,
                                _excerpt(provision.text or provision.full_text())))
    found.sort(key=lambda m: -m.score)  # stable: document order among equal scores
    shown = found if limit is None else found[:limit]
    return DocumentTopics(doc.id, doc.title, tuple(shown), len(found))


def query_phrase(query: str, topics: Sequence[TopicRef]) -> Phrase | None:
    """The query's own words as scored beside the topic confidences, or None when the query was a topic
    key (``env``): every front end scores a query this way, so the command line and the app agree."""
    if len(topics) == 1 and " ".join(query.split()).lower() == topics[0].key.lower():
        return None
    return Phrase.of(query)


def explore(query: str, documents: Iterable[Document], *, limit: int | None = 5) -> Exploration:
    """Resolve ``query`` and look for its topics in every document (see the module docstring); a blank
    query gives an empty Exploration without reading ``documents``."""
    if is_blank(query):
        return Exploration(str(query), (), None, (), ())
    topics, idea = resolve(query)
    keys = [t.key for t in topics]
    phrase = query_phrase(query, topics)
    addressed: list[DocumentTopics] = []
    silent: list[tuple[str, str]] = []
    for doc in documents:
        result = document_matches(doc, keys, limit=limit, phrase=phrase)
        if result.total:
            addressed.append(result)
        else:
            silent.append((doc.id, doc.title))
    addressed.sort(key=lambda d: (-d.best, d.doc_id))
    return Exploration(query, topics, idea, tuple(addressed), tuple(silent))


# ------------------------------------------------------------------ command line


def _stored_documents(doc_ids: Sequence[str]) -> list[Document]:
    from constitutions.store import Store

    store = Store()
    ids = list(doc_ids) or store.ids()
    if not ids:
        raise NotFoundError("the store is empty: import constitutions first with `convene import PATH` "
                            "(e.g. `convene import ../shared/corpus`)", code="E612")
    return [store.get(i) for i in ids]


def register_topic_command(app: typer.Typer) -> None:
    @app.command("topic")
    def topic_command(
        query: str = typer.Argument(..., help="A topic key (env), a topic name, a reform idea or a phrase."),
        docs: list[str] = typer.Option(None, "--docs", "-d", help="Document ids (repeat or comma-separate); "
                                                                   "default: every stored document."),
        limit: int = typer.Option(5, "--limit", "-n", help="Provisions shown per document (0: all)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Which stored constitutions address a topic, in which provisions (with citations and scores)."""
        from convene.clitools import EXIT_ERROR
        from design.cli import _console

        ids = [part.strip() for item in docs or () for part in item.split(",") if part.strip()]
        try:
            if limit < 0:
                raise ValidationError(f"--limit must be 0 (all) or more, not {limit}", code="E610")
            result = explore(query, [] if is_blank(query) else _stored_documents(ids), limit=limit or None)
        except ConveneError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=EXIT_ERROR) from None
        if as_json:
            typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
            return
        console = _console()
        if not result.topics:
            console.print("No topics: the query is empty.")
            return
        label = f"idea '{result.idea.title}' -> " if result.idea else ""
        console.print(f"{label}topics: " + ", ".join(f"{t.label} [{t.key}]" for t in result.topics), markup=False)
        for doc in result.addressed:
            console.print(f"\n[bold]{escape(doc.title or doc.doc_id)}[/] ({escape(doc.doc_id)}): "
                          f"{doc.total} provision(s)")
            for match in doc.matches:
                named = titled(match.citation, match.heading, separator=" ")
                console.print(f"  {match.score:.2f}  {named}  [{', '.join(match.topics)}]", markup=False)
        if result.silent:
            console.print("\nNot addressed in: " + ", ".join(f"{t or i} ({i})" for i, t in result.silent),
                          markup=False)
