"""Export: preview and download the open draft in every format, with or without the provenance annex and
the revision history (who changed what, when)."""

import re

import streamlit as st
import streamlit.components.v1 as components

from convene.errors import ConveneError
from drafting.export import EXTENSIONS, FORMATS, export
from drafting.store import Revision
from studio import state

st.header("Export")
state.flash()
draft = state.open_draft()
if draft is None:
    st.info("Open or create a draft on the Draft page to export it.")
    st.stop()

st.subheader(draft.title)
st.caption(f"Revision {draft.revision} · {len(draft.nodes)} provisions")
annex_col, history_col = st.columns(2)
with_annex = annex_col.checkbox("Include the provenance annex (sources, word-level changes, rationales)", value=True)
with_history = history_col.checkbox("Include the revision history (who changed what, when)", value=True)
NAMES = {"md": "Markdown", "html": "HTML", "pdf": "PDF", "docx": "Word (DOCX)", "akn": "Akoma Ntoso XML",
         "json": "Convene JSON"}
MIME = {"md": "text/markdown", "html": "text/html", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "akn": "application/xml", "json": "application/json"}
stem = re.sub(r"[^A-Za-z0-9]+", "-", draft.title).strip("-").lower() or draft.id


def revisions(wanted: bool) -> list[Revision] | None:
    """The open draft's revisions up to the one shown, oldest first; None when not wanted."""
    return [r for r in state.drafts().history(draft.id) if r.rev <= draft.revision] if wanted else None


def builder(fmt: str):
    """The file's bytes, built only when the drafter clicks download."""
    return lambda: export(draft, fmt, provenance=with_annex, history=revisions(with_history))


st.subheader("Download")
cols = st.columns(len(FORMATS))
for col, fmt in zip(cols, FORMATS, strict=True):
    col.download_button(NAMES[fmt], data=builder(fmt), file_name=stem + EXTENSIONS[fmt], mime=MIME[fmt],
                        key=f"download-{fmt}", width="stretch")

st.subheader("Preview")
fmt = st.selectbox("Format to preview", FORMATS, format_func=NAMES.get)


@st.fragment
def preview(fmt: str, annex: bool, history: bool, revision: int) -> None:
    try:
        data = export(draft, fmt, provenance=annex, history=revisions(history))
    except ConveneError as exc:
        st.error(f"Exporting failed: {exc}")
        return
    st.caption(f"{len(data):,} bytes")
    if fmt == "html":
        components.html(data.decode("utf-8"), height=600, scrolling=True)
    elif fmt in ("md", "json", "akn"):
        st.code(data.decode("utf-8"), language={"md": "markdown", "json": "json", "akn": "xml"}[fmt],
                wrap_lines=True, height=600)
    else:
        st.write(f"{NAMES[fmt]} is a binary format: download it to view it.")


preview(fmt, with_annex, with_history, draft.revision)
