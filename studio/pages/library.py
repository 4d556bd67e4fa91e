"""Library: the imported constitutions, their structure, full-text search and imports."""

import tempfile
from pathlib import Path

import streamlit as st

from constitutions.importer import ImportReport, import_paths
from convene import settings
from convene.errors import ConveneError
from studio import state
from studio.resources import library_or_stop
from studio.views import (
    commentary_html,
    commentary_notes,
    count,
    highlight_snippet,
    provision_label,
    provision_text,
    sections,
    uploads_report,
)

st.header("Library")
state.flash()
REPORT = "import-report"  # the last import's report, shown once after the rerun that lists its documents


def run_import(targets: list[str]) -> ImportReport | None:
    bar = st.progress(0.0, text="Starting the import…")

    def progress(done: int, total: int, target: str) -> None:
        share = done / total if total else 1.0
        bar.progress(share, text=f"{done} of {total}: {Path(target).name or target}" if target else "Done")

    try:
        report = import_paths(targets, progress=progress)
    except ConveneError as exc:
        st.error(f"Import failed: {exc}")
        return None
    bar.progress(1.0, text="Done")
    return report


def show_report(report: ImportReport) -> None:
    if report.imported:
        notes = len(report.imported) - len(report.documents)
        st.success(f"Imported {len(report.documents)} document(s)" + (f" and commentary on {notes}" if notes else "")
                   + ": " + ", ".join(f"{i.doc_id}{' commentary' if i.kind == 'commentary' else ''} ({i.outcome})"
                                      for i in report.imported))
    if report.skipped:
        st.info(f"Skipped {len(report.skipped)} file(s) that are not constitutions.")
    if report.failed:
        st.error(f"{len(report.failed)} target(s) failed; nothing already in the library was changed by them:")
        for item in report.failed:  # in full: the reason names the file and what is wrong with it
            st.text(item.reason if item.target in item.reason else f"{item.target}: {item.reason}")
    rows = [{"target": i.target, "outcome": i.outcome, "document": i.doc_id, "reason": i.reason}
            for i in report.items]
    with st.expander("Full import report"):
        st.dataframe(rows, hide_index=True)


def finish(report: ImportReport | None) -> None:
    """Keep the report and run the page again, so the documents table, the structure browser and every
    other page list what was just imported (the report is shown once, under Import)."""
    if report is not None:
        st.session_state[REPORT] = report
        st.rerun()


infos = library_or_stop()

if not infos:
    st.subheader("Welcome")
    st.write("Nothing is imported yet. Import constitutions from a file, a folder or a URL below.")
    corpus = settings.corpus_dir()
    if corpus is not None:
        st.write(f"A corpus folder was found at `{corpus}`.")
        if st.button("Import the corpus folder", type="primary"):
            finish(run_import([str(corpus)]))
else:
    st.subheader("Documents")
    st.dataframe([{"id": d.id, "title": d.title, "year": d.year, "version": d.version, "provisions": d.provisions,
                   "words": d.words, "versions": d.versions} for d in infos], hide_index=True,
                 height=min(35 * (len(infos) + 1) + 3, 38 * 20))  # every document, up to 20 rows

    st.subheader("Search")
    with st.form("search"):
        query = st.text_input("Search all constitutions", placeholder="freedom of speech")
        scope = st.multiselect("Only in", [d.id for d in infos], placeholder="all documents")
        limit = st.number_input("Results shown, at most", 10, 1000, 30, step=10)
        st.form_submit_button("Search")
    if query.strip():
        try:
            hits = state.store().search(query, doc_ids=scope or None, limit=int(limit) + 1)
        except ConveneError as exc:
            st.error(f"Search failed: {exc}")
            hits = []
        if len(hits) > limit:  # one more than shown was asked for, to know whether there are more
            hits = hits[:int(limit)]
            st.caption(f"The first {len(hits)} results for “{query}”; there are more (raise the number shown, "
                       "or narrow the search).")
        else:
            st.caption(f"{len(hits)} result(s) for “{query}”")
        for hit in hits:
            heading = f" — {hit.heading}" if hit.heading else ""
            st.html(f"<div class='hit'><b>{highlight_snippet(hit.doc_id + ': ' + hit.citation + heading)}</b><br>"
                    f"{highlight_snippet(hit.snippet)}</div>")

    st.subheader("Structure")
    titles = {d.id: f"{d.title} ({d.id})" for d in infos}
    doc_id = st.selectbox("Document", list(titles), format_func=titles.get)
    doc = state.attempt("Opening the document", lambda: state.document(doc_id))
    if doc is not None:
        parts = sections(doc)
        labels = {s.eid: f"{s.label} ({count(s.size, 'provision')})" for s in parts}
        eid = st.selectbox("Part, chapter or article", list(labels), format_func=labels.get)
        top = doc.get(eid)
        if top.children and top.text.strip():  # a leaf's text is shown once, in its own box below
            st.text(top.text)
        from constitutions.canonical import canonical_citations

        cites = canonical_citations(doc)
        commentary = state.attempt("Reading the commentary", lambda: state.store().commentary(doc.id)) or ()
        if commentary and top.children:  # a chapter's own notes, once, above its sections
            notes = commentary_notes(commentary, top.eid, enclosing=True)
            if notes:
                with st.expander(f"Commentary and case law on {cites.get(top.eid, top.eid)}"):
                    st.html(commentary_html(notes, cites))
        children = top.children or (top,)
        for child in children[:200]:
            title = provision_label(child, cites)
            if not child.status.in_force:
                title += f" ({child.status.state.value})"
            with st.expander(title):
                st.text(provision_text(child))
                notes = commentary_notes(commentary, child.eid, enclosing=not top.children)
                if notes:
                    st.caption("Commentary and case law")
                    st.html(commentary_html(notes, cites))
                st.button("Adopt into the open draft", key=f"adopt-{doc.id}-{child.eid}",
                          on_click=state.adopt_into_draft, args=(doc.id, child.eid))
        if len(children) > 200:
            st.caption(f"Showing the first 200 of {len(children)} provisions.")

st.subheader("Import")
tab_file, tab_folder, tab_url = st.tabs(["File", "Folder", "URL"])
with tab_file:
    uploads = st.file_uploader("Constitution files", accept_multiple_files=True)
    if st.button("Import the files", disabled=not uploads):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for up in uploads:
                target = Path(tmp) / Path(up.name).name
                target.write_bytes(up.getvalue())
                paths.append(str(target))
            report = run_import(paths)
            finish(uploads_report(report, tmp) if report is not None else None)
with tab_folder:
    folder = st.text_input("Folder path", value=str(settings.corpus_dir() or ""))
    if st.button("Import the folder", disabled=not folder.strip()):
        finish(run_import([folder.strip()]))
with tab_url:
    url = st.text_input("URL (http or https)")
    if st.button("Import from the URL", disabled=not url.strip()):
        finish(run_import([url.strip()]))
if REPORT in st.session_state:
    show_report(st.session_state.pop(REPORT))
