"""Heavy resources, built once per server process and shared by every session.

Keys always include each document's stored version number (and the database
path), so a new import is picked up and nothing stale is served.  SQLite
connections are never cached: the library opens one per operation.

The corpus index comes from the persistent index cache
(:meth:`compare.index.CorpusIndex.load_or_build`): a cold server reads it from
disk in a fraction of a second instead of rebuilding it, and only the first
comparison after an import builds (and saves) it.  Similar-provision queries
and the similarity matrix are those of :mod:`compare.similar` and
:mod:`compare.matrix`, over that same index.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import streamlit as st

from compare.align import Alignment, align
from compare.index import CorpusIndex
from compare.matrix import Matrix, cached_matrix
from compare.similar import similar
from constitutions.model import Document
from constitutions.store import DocumentInfo
from convene import settings
from convene.errors import ConveneError
from studio.state import _document, store

Versions = tuple[tuple[str, int], ...]


def catalogue() -> list[DocumentInfo]:
    """The current version of every stored document (one quick query, not cached)."""
    return store().documents()


def library_or_stop(minimum: int = 0, needed: str = "") -> list[DocumentInfo]:
    """The catalogue for a page; when it cannot be read, or holds fewer than ``minimum`` documents,
    say so on the page (``needed`` ends the sentence "Import at least N constitution(s) on the
    Library page ...") and stop the page."""
    try:
        infos = catalogue()
    except ConveneError as exc:
        st.error(f"The library could not be read: {exc}")
        st.stop()
    if len(infos) < minimum:
        st.info(f"Import at least {minimum} constitution{'s' if minimum > 1 else ''} on the Library page {needed}.")
        st.stop()
    return infos


def versions(doc_ids: list[str] | None = None) -> Versions:
    infos = catalogue()
    return tuple((d.id, d.version_no) for d in infos if doc_ids is None or d.id in doc_ids)


def docs(keys: Versions) -> list[Document]:
    db = str(settings.database_path())
    return [_document(db, doc_id, vno) for doc_id, vno in keys]


@st.cache_resource(show_spinner=False, max_entries=4)
def _index(db: str, keys: Versions) -> CorpusIndex:
    return CorpusIndex.load_or_build([_document(db, doc_id, vno) for doc_id, vno in keys])


def corpus_index() -> CorpusIndex:
    """One index over every stored document (shared IDF and vocabulary), built once per corpus state."""
    return _index(str(settings.database_path()), versions())


@st.cache_resource(show_spinner=False, max_entries=64)
def _alignment(db: str, keys: Versions, a: tuple[str, int], b: tuple[str, int]) -> Alignment:
    index = _index(db, keys)
    return align(_document(db, *a), _document(db, *b), index=index, explain=True)


def alignment(a: str, b: str) -> Alignment:
    """``a`` aligned with ``b``, computed once per pair of stored versions."""
    keys = versions()
    known = dict(keys)
    return _alignment(str(settings.database_path()), keys, (a, known[a]), (b, known[b]))


@dataclass(frozen=True, slots=True)
class SimilarHit:
    doc_id: str
    eid: str
    citation: str
    score: float
    counterpart: bool | None = None  # the alignment's verdict: a counterpart, or only the closest provision


@st.cache_resource(show_spinner=False, max_entries=64)
def _similar(db: str, keys: Versions, doc_id: str, eid: str, limit: int) -> tuple[SimilarHit, ...]:
    index = _index(db, keys)
    found = similar((index.features(doc_id).doc, eid), index=index, top=1)
    hits = [SimilarHit(d.doc, m.eid, m.citation, round(m.score, 4), d.counterpart)
            for d in found for m in d.matches if m.within is None]  # places, not where in them a match lies
    hits.sort(key=lambda h: (-h.score, h.doc_id))
    return tuple(hits[:limit])


def similar_everywhere(doc_id: str, eid: str, *, limit: int = 20) -> tuple[SimilarHit, ...]:
    """The best match of provision ``eid`` of ``doc_id`` in every other stored document, best first
    (:func:`compare.similar.similar` over the corpus index), computed once per corpus state.  Raises
    NotFoundError for an unknown document or provision."""
    return _similar(str(settings.database_path()), versions(), doc_id, eid, limit)


@st.cache_resource(show_spinner=False, max_entries=4)
def _matrix(db: str, keys: Versions) -> Matrix:
    index = _index(db, keys)
    return cached_matrix([index.features(doc_id).doc for doc_id, _ in keys], index)


def corpus_matrix() -> Matrix:
    """Every stored document against every other (:func:`compare.matrix.similarity_matrix`), computed once
    per corpus state and kept in the index cache (:func:`compare.matrix.cached_matrix`)."""
    return _matrix(str(settings.database_path()), versions())


@st.cache_resource(show_spinner=False, max_entries=64)
def _tags(db: str, doc_id: str, vno: int) -> dict:
    from compare.topics import tag_document

    return tag_document(_document(db, doc_id, vno))


def document_tags(doc_id: str) -> dict:
    """Topic tags of every provision of a stored document (:func:`compare.topics.tag_document`), cached."""
    known = dict(versions())
    return _tags(str(settings.database_path()), doc_id, known[doc_id])


@st.cache_resource(show_spinner=False)
def ontology():
    from compare.topics import load_ontology

    return load_ontology()


@st.cache_resource(show_spinner=False, max_entries=4)
def _warm_up(db: str, keys: Versions) -> threading.Thread:
    def work() -> None:
        try:
            _index(db, keys)
            known = dict(keys)
            if "us" in known and "us-ca" in known:
                _alignment(db, keys, ("us", known["us"]), ("us-ca", known["us-ca"]))
            _matrix(db, keys)
            for doc_id, vno in keys:  # the Insights page's topic coverage needs every document's tags
                _tags(db, doc_id, vno)
        except ConveneError:
            pass  # the page that needs it will build it again and show the error

    thread = threading.Thread(target=work, name="convene-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up() -> None:
    """On a real server (not under AppTest), start loading (or building) the corpus index, the US/California
    alignment, the similarity matrix and every document's topic tags in the background, once per process and
    state of the corpus (so an import from the Library page starts it again for the new documents), so the
    first page that needs them does not wait for all of it.  CONVENE_WARM_UP=0 turns it off."""
    from streamlit import runtime

    if runtime.exists() and os.environ.get("CONVENE_WARM_UP", "1") != "0":
        try:
            keys = versions()
        except ConveneError:
            return  # the pages show the store's error
        if keys:
            _warm_up(str(settings.database_path()), keys)
