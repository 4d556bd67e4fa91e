"""Session state and shared resources for the studio.

- The open draft's id lives in ``st.query_params["draft"]`` so a reload or a
  second tab reopens it; ``st.session_state`` only mirrors it.
- Documents and comparison indexes are cached per server process with
  ``st.cache_resource`` (keyed by document id and stored version, so a new
  import is picked up); SQLite connections are never cached: the library opens
  one per operation.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from constitutions.model import Document
from constitutions.store import Store
from convene import settings
from convene.errors import ConveneError

T = TypeVar("T")
DRAFT_PARAM = "draft"


def store() -> Store:
    return Store()


@st.cache_resource(show_spinner=False, max_entries=64)
def _document(db: str, doc_id: str, version_no: int) -> Document:
    return Store().get(doc_id, version_no)


def document(doc_id: str) -> Document:
    """The current version of a document, cached per server process."""
    info = {d.id: d for d in store().documents()}.get(doc_id)
    if info is None:
        return store().get(doc_id)  # raises NotFoundError with the known ids
    return _document(str(settings.database_path()), doc_id, info.version_no)


def open_draft_id() -> str | None:
    value = st.query_params.get(DRAFT_PARAM)
    return value or None


def set_open_draft(draft_id: str | None) -> None:
    if draft_id:
        st.query_params[DRAFT_PARAM] = draft_id
    elif DRAFT_PARAM in st.query_params:
        del st.query_params[DRAFT_PARAM]


@contextmanager
def reported(action: str):
    """Show a library error as a readable message on the page, never a traceback."""
    try:
        yield
    except ConveneError as exc:
        st.error(f"{action} failed: {exc}")


def attempt(action: str, fn: Callable[[], T]) -> T | None:
    with reported(action):
        return fn()
    return None
