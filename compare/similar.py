"""Similar provisions anywhere: a provision or free text against every document of an index.

``similar("judges serve a single term of twelve years", docs)`` scores the text
against every provision of every document with the engine of
:mod:`compare.align` (words, roles, LSA, topics and length, standardised over
each document; the optional semantic part) and returns the best ``top`` provisions of each document, each
document's list best first, documents ordered by their best score.  A query
given as ``(document, eid)`` skips its own document.  An empty query gives [].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from compare import semantic as semantic_mod
from compare import topic_profile
from compare.align import Match, evidence, facet_matches, ranked_matches, score_block, verdict_evidence, with_facets
from compare.cite import cite
from compare.facets import facet_queries
from compare.index import CANDIDATE_KINDS, CorpusIndex
from compare.roles import is_subnational
from compare.text_query import text_queries
from constitutions.model import Document
from convene.errors import ValidationError

MAX_QUERY_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class DocumentMatches:
    doc: str
    title: str
    matches: tuple[Match, ...]
    counterpart: bool | None = None  # provision queries: the best match is a counterpart, not only the closest
    evidence: float = 0.0  # the verdict's evidence (:func:`compare.align.verdict_evidence`)

    @property
    def best(self) -> float:
        return self.matches[0].score if self.matches else 0.0


Query = str | tuple[Document, str]


def similar(query: Query, docs: Sequence[Document] | None = None, *, top: int = 5,
            index: CorpusIndex | None = None, explain: bool = False) -> list[DocumentMatches]:
    """The ``top`` best provisions of each document for ``query`` (see the module docstring).
    Pass ``index`` (built once over the documents) to avoid rebuilding it; ``docs`` then defaults
    to all of its documents.  ``explain=True``: the explanations name shared topics too (as for
    :func:`compare.align.align`)."""
    if top < 1:
        raise ValidationError(f"top must be at least 1, not {top}")
    if index is None:
        if docs is None:
            raise ValidationError("similar() needs documents or an index")
        index = CorpusIndex.load_or_build(list(docs))
    targets = [d.id for d in docs] if docs is not None else list(index.docs)
    exclude = None
    subnational = False
    heading = ""
    if isinstance(query, tuple):
        doc, eid = query
        text, heading = doc.get(eid).full_text(), doc.get(eid).heading
        exclude = doc.id
        subnational = is_subnational(doc.title)
    else:
        text = query
    if not text.strip():
        return []
    text = text[:MAX_QUERY_CHARS]
    # a provision's analysis is the corpus's own (cached on disk); typed text is cached in memory only, so
    # ad hoc queries never grow the database
    persist = isinstance(query, tuple)
    profiles = _query_profile(index, query) if semantic_mod.for_alignment() else None
    read = text_queries(index, [text], persist=persist, subnational=subnational, profiles=profiles)
    if read.empty(0):
        return []
    tfidf = read.tfidf
    said = _query_topics(index, query, text) if explain else None
    holding = _holds_candidates(index, query)
    holds = np.array([holding])
    # facets (compare.facets) of a query that holds no candidate unit, read once for every document
    facets = facet_queries(index, ["" if holding else text], persist=persist, subnational=subnational)
    out = []
    for doc_id in targets:
        if doc_id == exclude:
            continue
        fb = index.features(doc_id)
        if not fb.units:
            out.append(DocumentMatches(doc_id, fb.doc.title, ()))
            continue
        scored = score_block(index, tfidf, read.topics, read.fuzz, fb, shared=None, q_texts=[text],
                             q_profiles=read.profiles, q_lsa=read.lsa, q_holds=holds, q_headings=[heading],
                             q_subnational=subnational)
        matches = ranked_matches(index, None, fb, scored, 0, top, None, q_row=tfidf, q_topics=said, explain=explain)
        matches = with_facets(matches, facet_matches(index, fb, *facets, 1, explain=explain)[0], top, fb)
        z, meaning, threshold = evidence(scored, 0, fb)
        weighed = verdict_evidence(z, meaning)
        verdict = (bool(matches) and weighed >= threshold) if exclude is not None else None
        out.append(DocumentMatches(doc_id, fb.doc.title, matches, verdict, round(float(weighed), 3)))
    out.sort(key=lambda d: -d.best)
    return out


def _query_profile(index: CorpusIndex, query: Query) -> np.ndarray:
    """The query's topic profile (:mod:`compare.topic_profile`): a provision of an indexed document has its
    own (read with its heading and context); any other query is profiled as free text."""
    if isinstance(query, tuple) and query[0].id in index.docs:
        features = index.features(query[0].id)
        if query[1] in features.row_of:
            return topic_profile.unit_profiles(features)[[features.row_of[query[1]]]]
    text = query[0].get(query[1]).full_text() if isinstance(query, tuple) else query
    return topic_profile.text_profiles([text[:MAX_QUERY_CHARS]])


def _holds_candidates(index: CorpusIndex, query: Query) -> bool:
    """Whether the query contains candidate units (an article with sections): then it is compared with whole
    provisions, like an article query of :func:`compare.align.align`; typed text never does."""
    if not isinstance(query, tuple):
        return False
    doc, eid = query
    if doc.id in index.docs:
        features = index.features(doc.id)
        if eid in features.row_of:
            return bool(features.holds_candidates[features.row_of[eid]])
    provision = doc.get(eid)
    return any(p.kind in CANDIDATE_KINDS for p in provision.walk() if p is not provision)


def _query_topics(index: CorpusIndex, query: Query, text: str) -> topic_profile.UnitTopics:
    """What the tagger says of the query (for the explanations' shared topics): a provision of an indexed
    document has its own (:func:`compare.topic_profile.unit_topics`); any other query is tagged as free text."""
    if isinstance(query, tuple) and query[0].id in index.docs:
        features = index.features(query[0].id)
        if query[1] in features.row_of:
            return topic_profile.unit_topics(features)[features.row_of[query[1]]]
    return topic_profile.text_topics(text)


def resolve_query(doc: Document, eid: str) -> tuple[Document, str]:
    """A provision query, checked: raises NotFoundError when ``eid`` is not in ``doc``."""
    doc.get(eid)
    return doc, eid


__all__ = ["DocumentMatches", "cite", "similar"]
