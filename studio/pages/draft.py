"""Draft: open or create a draft; its tree with provenance; edit, reorder, history and conflicts.

Every change names the revision the drafter was shown (bound into the button at render time), so a
change made meanwhile by another drafter is never silently overwritten: the store refuses it, keeps it,
and this page shows both texts."""

import streamlit as st

from constitutions.model import Kind
from convene.errors import ConflictError, ConveneError
from drafting.history import compare_drafts
from drafting.model import ProvisionStatus
from drafting.ops import Delete, Edit, Move, Write
from studio import state
from studio.views import count, draft_lines, escape, segments_html, tree_html, utc_time

st.header("Draft")
ss = st.session_state
FIELDS = ("heading", "text", "rationale", "status")


# ------------------------------------------------------------------ actions (callbacks run before the rerun)


def _create() -> None:
    title = ss.get("new-draft-title", "")
    try:
        draft = state.drafts().create(title)
    except ConveneError as exc:
        ss["flash"] = ("error", f"Creating the draft failed: {exc}")
        return
    state.set_open_draft(draft.id)
    ss["flash"] = ("success", f"Created draft “{draft.title}”.")


def _open() -> None:
    state.set_open_draft(ss.get("open-draft-choice"))


def _key(draft_id: str, pid: str, field: str) -> str:
    return f"{field}:{draft_id}:{pid}"


def _unchanged(draft_id: str, before: int, after: int) -> bool:
    """Say so when an action changed nothing (the store keeps the revision as it was)."""
    if after != before:
        return False
    ss["flash"] = ("info", f"Nothing changed; the draft stays at revision {after}.")
    return True


def _apply(draft_id: str, op, base: int | None, done: str) -> None:
    try:
        before = state.drafts().get(draft_id).revision
        draft = state.drafts().apply(draft_id, op, base=base)
    except ConflictError as exc:
        ss["flash"] = ("error", f"Not saved: {exc.message}")
        return
    except ConveneError as exc:
        ss["flash"] = ("error", f"{done} failed: {exc}")
        return
    if not _unchanged(draft_id, before, draft.revision):
        ss["flash"] = ("success", f"{done} (revision {draft.revision}).")


def _save(draft_id: str, pid: str, base: int) -> None:
    values = {f: ss.get(_key(draft_id, pid, f), "") for f in FIELDS}
    snap = ss.get(_key(draft_id, pid, "snap"))
    shown = dict(zip(FIELDS, snap[1:], strict=True)) if snap else {}
    # only the fields the drafter changed, so the history says what was changed ("Edited text of …")
    changed = {f: v for f, v in values.items() if f not in shown or v != shown[f]}
    if not changed:
        ss["flash"] = ("info", f"Nothing changed; the draft stays at revision {base}.")
        return
    op = Edit(provision=pid, **changed)
    try:
        before = state.drafts().get(draft_id).revision
        draft = state.drafts().apply(draft_id, op, base=base)
    except ConflictError as exc:
        ss[f"conflict:{draft_id}"] = {"pid": pid, "message": str(exc), "mine": values, "changes": exc.changes,
                                      "kept": exc.rejected.get("id")}
        ss["flash"] = ("error", "Not saved: another drafter changed this provision meanwhile. Both texts are "
                                "shown below; nothing is lost.")
        return
    except ConveneError as exc:
        ss["flash"] = ("error", f"Saving failed: {exc}")
        return
    ss[_key(draft_id, pid, "snap")] = (draft.revision, *values.values())
    ss.pop(f"conflict:{draft_id}", None)
    if not _unchanged(draft_id, before, draft.revision):
        ss["flash"] = ("success", f"Saved (revision {draft.revision}).")


def _save_mine(draft_id: str, pid: str, base: int) -> None:
    """After a conflict, the drafter has seen both texts and chooses theirs to win."""
    mine = ss[f"conflict:{draft_id}"]["mine"]
    for f in FIELDS:
        ss[_key(draft_id, pid, f)] = mine[f]
    _save(draft_id, pid, base)


def _keep_theirs(draft_id: str, pid: str) -> None:
    ss.pop(f"conflict:{draft_id}", None)
    ss.pop(_key(draft_id, pid, "snap"), None)  # the editor reloads the saved text


def _select(draft_id: str) -> None:
    ss[f"sel:{draft_id}"] = ss.get(f"pick:{draft_id}")


def _write(draft_id: str, base: int, parent: str | None) -> None:
    kind = ss.get("new-kind", Kind.ARTICLE.value)
    where = parent if ss.get("new-inside") else None
    op = Write(kind=Kind(kind), heading=ss.get("new-heading", ""), text=ss.get("new-text", ""),
               rationale=ss.get("new-rationale", ""), parent=where)
    _apply(draft_id, op, base, "Added the provision")


def _undo(draft_id: str, base: int, which: str) -> None:
    try:
        draft = getattr(state.drafts(), which)(draft_id, base=base)
    except ConveneError as exc:
        ss["flash"] = ("error", f"{which.capitalize()} failed: {exc}")
        return
    ss["flash"] = ("success", f"{which.capitalize()} done (revision {draft.revision}).")


def _restore(draft_id: str, rev: int, base: int) -> None:
    try:
        draft = state.drafts().restore(draft_id, rev, base=base)
    except ConveneError as exc:
        ss["flash"] = ("error", f"Restoring failed: {exc}")
        return
    ss["flash"] = ("success", f"Restored revision {rev} as revision {draft.revision}.")
    state.draft_changed()  # the button is in the history fragment: the tree and the sidebar must follow


# ------------------------------------------------------------------ open or create

state.flash()
try:
    summaries = state.drafts().list()
except ConveneError as exc:
    st.error(f"The drafts could not be read: {exc}")
    st.stop()

with st.expander("Open or create a draft", expanded=state.open_draft_id() is None):
    if summaries:
        names = {d.id: f"{d.title} ({d.provisions} provisions, revision {d.revision})" for d in summaries}
        current = state.open_draft_id()
        st.selectbox("Existing drafts", list(names), format_func=names.get, key="open-draft-choice",
                     index=list(names).index(current) if current in names else 0)
        st.button("Open this draft", on_click=_open)
    with st.form("create-draft", clear_on_submit=True):
        st.text_input("Title of a new draft", key="new-draft-title", placeholder="A new Constitution of California")
        st.form_submit_button("Create draft", on_click=_create)

draft = state.open_draft()
if draft is None:
    st.info("Create a draft or open one to start. Provisions are adopted from the Library, Compare and Topics "
            "pages, or written here.")
    st.stop()

did = draft.id
st.subheader(draft.title)
st.caption(f"Draft {did} · revision {draft.revision} · {count(len(draft.nodes), 'provision')} · the page address "
           "keeps it open on reload")

# ------------------------------------------------------------------ conflict

conflict = ss.get(f"conflict:{did}")
if conflict:
    pid = conflict["pid"]
    node = draft.nodes.get(pid)
    with st.container(border=True):
        st.subheader("Conflict: your change was not saved")
        st.write(conflict["message"])
        left, right = st.columns(2)
        with left:
            st.markdown("**Their saved text**")
            st.html(f"<div class='theirs'>{escape(node.text) if node else '(deleted meanwhile)'}</div>")
        with right:
            st.markdown("**Your refused text** (kept; copy it or save it over theirs)")
            st.code(conflict["mine"]["text"], language=None, wrap_lines=True)
        a, b = st.columns(2)
        a.button("Save my text over theirs", on_click=_save_mine, args=(did, pid, draft.revision),
                 disabled=node is None)
        b.button("Keep their text", on_click=_keep_theirs, args=(did, pid))

# ------------------------------------------------------------------ tree and editor

lines = draft_lines(draft)
tree_col, edit_col = st.columns([2, 3])
with tree_col:
    st.subheader("Provisions")
    if not lines:
        st.info("The draft is empty. Adopt provisions from the Library, Compare or Topics pages, "
                "or write one below.")
    selected = ss.get(f"sel:{did}")
    if selected not in draft.nodes:
        selected = lines[0].id if lines else None
        ss[f"sel:{did}"] = selected
    st.html(tree_html(lines, selected=selected))
    u, r = st.columns(2)
    u.button("Undo", on_click=_undo, args=(did, draft.revision, "undo"), width="stretch")
    r.button("Redo", on_click=_undo, args=(did, draft.revision, "redo"), width="stretch")

with edit_col:
    if selected is not None:
        st.subheader("Edit a provision")
        by_id = {line.id: line for line in lines}
        ss[f"pick:{did}"] = selected
        st.selectbox("Provision to edit", list(by_id), key=f"pick:{did}", on_change=_select, args=(did,),
                     format_func=lambda i: "  " * by_id[i].depth + by_id[i].label)
        line = by_id[selected]
        node = draft.nodes[selected]
        up, down, delete = st.columns(3)
        up.button("Move up", on_click=_apply, disabled=line.position == 1, width="stretch",
                  args=(did, Move(selected, position=line.position - 1), draft.revision, "Moved up"))
        down.button("Move down", on_click=_apply, disabled=line.position == line.siblings, width="stretch",
                    args=(did, Move(selected, position=line.position + 1), draft.revision, "Moved down"))
        delete.button("Delete", on_click=_apply, width="stretch",
                      args=(did, Delete(selected), draft.revision, "Deleted the provision"))
        if node.origin.adopted:
            st.caption(f"Adopted from {node.origin.citation} ({node.origin.document_title}"
                       f"{', ' + node.origin.document_version if node.origin.document_version else ''})")

        # the editor's content: the saved text unless a refused change of this provision is pending
        current = (node.heading, node.text, node.rationale, node.status.value)
        snap = ss.get(_key(did, selected, "snap"))
        pending = conflict is not None and conflict["pid"] == selected
        # (Streamlit drops a widget's value when another page is shown, so a missing value is reloaded too)
        missing = any(_key(did, selected, f) not in ss for f in FIELDS)
        if snap is None or missing or (not pending and tuple(snap[1:]) != current):
            for f, v in zip(FIELDS, current, strict=True):
                ss[_key(did, selected, f)] = v
            snap = (draft.revision, *current)
        elif not pending:
            snap = (draft.revision, *current)  # what is shown is the head's content
        ss[_key(did, selected, "snap")] = snap
        with st.form(f"edit-{did}-{selected}"):
            st.text_input("Heading", key=_key(did, selected, "heading"))
            st.text_area("Text", key=_key(did, selected, "text"), height=220)
            st.text_area("Rationale", key=_key(did, selected, "rationale"), height=80)
            st.selectbox("Status", [s.value for s in ProvisionStatus], key=_key(did, selected, "status"))
            st.form_submit_button("Save", type="primary", on_click=_save, args=(did, selected, snap[0]))

    with st.expander("Write a new provision"), st.form("write-new", clear_on_submit=True):
        kinds = [Kind.ARTICLE.value, Kind.SECTION.value, Kind.CLAUSE.value, Kind.PARAGRAPH.value,
                 Kind.CHAPTER.value, Kind.PART.value, Kind.PREAMBLE.value]
        st.selectbox("Kind", kinds, key="new-kind")
        st.text_input("Heading", key="new-heading")
        st.text_area("Text", key="new-text")
        st.text_area("Rationale", key="new-rationale")
        st.checkbox("Inside the selected provision", key="new-inside", disabled=selected is None)
        st.form_submit_button("Add provision", on_click=_write, args=(did, draft.revision, selected))

# ------------------------------------------------------------------ history


@st.fragment
def history_panel(draft_id: str, head: int) -> None:
    st.subheader("History")
    try:
        revisions = state.drafts().history(draft_id)
    except ConveneError as exc:
        st.error(f"The history could not be read: {exc}")
        return
    st.dataframe([{"revision": r.rev, "author": r.author, "at": utc_time(r.at), "change": r.description}
                  for r in reversed(revisions)], hide_index=True, height=200)
    revs = [r.rev for r in revisions]
    if len(revs) < 2:
        return
    a, b = st.columns(2)
    old = a.selectbox("Compare revision", revs, index=max(0, len(revs) - 2))
    new = b.selectbox("with revision", revs, index=len(revs) - 1)
    try:
        store = state.drafts()
        comparison = compare_drafts(store.get(draft_id, old), store.get(draft_id, new))
    except ConveneError as exc:
        st.error(f"Comparing failed: {exc}")
        return
    if not comparison.changes:
        st.write("No differences.")
    for change in comparison.changes:
        parts = [f"<b>{escape(change.label or change.id)}</b> ({change.change})"]
        for fc in change.fields:
            body = segments_html(fc.segments) if fc.segments else f"{escape(fc.before)} → {escape(fc.after)}"
            parts.append(f"<div><i>{escape(fc.field)}</i>: {body}</div>")
        st.html("<div class='revision-change'>" + "".join(parts) + "</div>")
    st.button(f"Restore revision {old}", on_click=_restore, args=(draft_id, old, head))


history_panel(did, draft.revision)

try:
    refused = state.drafts().rejected(did)
except ConveneError:
    refused = []
if refused:
    with st.expander(f"Refused changes kept ({len(refused)})"):
        for item in refused[-20:]:
            change = item.change
            text = change.get("text") if isinstance(change, dict) else None
            when = escape(utc_time(item.at))
            st.markdown(f"**#{item.id}** by {escape(item.author)} at {when}: {escape(item.reason)}")
            if text:
                st.code(text, language=None, wrap_lines=True)
