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


def drafts():
    """The draft store (a new instance per call: it opens one connection per operation)."""
    from drafting.store import DraftStore

    return DraftStore()


OPEN_KEY = "open_draft"


def open_draft_id() -> str | None:
    value = st.query_params.get(DRAFT_PARAM) or st.session_state.get(OPEN_KEY)
    return value or None


def set_open_draft(draft_id: str | None) -> None:
    st.session_state[OPEN_KEY] = draft_id
    if draft_id:
        st.query_params[DRAFT_PARAM] = draft_id
    elif DRAFT_PARAM in st.query_params:
        del st.query_params[DRAFT_PARAM]


def sync_open_draft() -> None:
    """Keep the URL and the session agreeing on the open draft: a reload or a second tab brings the id in the
    URL; switching pages (which clears query parameters) puts the session's id back into the URL."""
    value = st.query_params.get(DRAFT_PARAM)
    if value:
        st.session_state[OPEN_KEY] = value
    elif st.session_state.get(OPEN_KEY):
        st.query_params[DRAFT_PARAM] = st.session_state[OPEN_KEY]


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


def open_draft():
    """The open draft at its current revision, or None (an unknown id closes it, with a message)."""
    draft_id = open_draft_id()
    if not draft_id:
        return None
    from convene.errors import NotFoundError

    try:
        return drafts().get(draft_id)
    except NotFoundError:
        st.warning(f"Draft {draft_id!r} does not exist any more; open another one on the Draft page.")
        set_open_draft(None)
    except ConveneError as exc:
        st.error(f"Opening draft {draft_id!r} failed: {exc}")
    return None


def sidebar_draft() -> None:
    """The open draft's title in the sidebar, on every page."""
    draft_id = open_draft_id()
    with st.sidebar:
        if not draft_id:
            st.caption("No draft open. Create or open one on the Draft page.")
            return
        try:
            summary = next((d for d in drafts().list() if d.id == draft_id), None)
        except ConveneError as exc:
            st.caption(f"Draft store unavailable: {exc}")
            return
        if summary is not None:
            from studio.views import count

            st.caption(f"Open draft: **{summary.title}** · {count(summary.provisions, 'provision')} · "
                       f"revision {summary.revision}")


def adopt_into_draft(doc_id: str, eid: str) -> None:
    """Adopt a stored document's provision (with its subtree) at the end of the open draft; reports the
    outcome in ``st.session_state["flash"]`` (shown by the page on its next run).  A widget callback: after an
    adoption the whole app reruns (:func:`draft_changed`)."""
    from studio.views import adoption

    draft_id = open_draft_id()
    if not draft_id:
        st.session_state["flash"] = ("warning", "Open or create a draft on the Draft page first.")
        return
    try:
        op = adoption(document(doc_id), eid)
        draft = drafts().apply(draft_id, op, base=None)
    except ConveneError as exc:
        st.session_state["flash"] = ("error", f"Adopting failed: {exc}")
        return
    st.session_state["flash"] = ("success", f"Adopted {op.citation} into “{draft.title}” (revision {draft.revision}).")
    draft_changed()


def draft_changed() -> None:
    """Call at the end of a widget callback that changed the open draft: the whole app reruns, so the sidebar
    (drawn before the page, outside every fragment) shows the new revision together with the confirmation.

    A button inside a ``st.fragment`` (the Compare and Topics pages, the Draft page's history) otherwise reruns
    only its fragment, and the sidebar and the rest of the page keep showing the draft as it was.  The
    confirmation left in ``st.session_state["flash"]`` survives the rerun: the page's :func:`flash` shows it.
    Outside a fragment this only restarts the run before the script starts (callbacks run first)."""
    st.rerun()


def flash() -> None:
    """Show (once) the message an action callback left."""
    message = st.session_state.pop("flash", None)
    if message:
        kind, text = message
        getattr(st, kind)(text)
