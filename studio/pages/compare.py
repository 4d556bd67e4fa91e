"""Compare: two or three constitutions side by side, provision by provision."""

import streamlit as st

from constitutions.resolve import resolve
from convene.errors import ConveneError
from design.explorer import document_matches, query_phrase
from design.explorer import resolve as resolve_topics
from studio import state
from studio.resources import alignment, document_tags, library_or_stop, similar_everywhere
from studio.views import TEXT_LIMIT, compare_rows, find_row, is_cut, provision_text, side_by_side

st.header("Compare")
state.flash()
PAGE_SIZE = 15

infos = library_or_stop(2, "to compare them")

titles = {d.id: f"{d.title} ({d.id})" for d in infos}
default = [i for i in ("us", "us-ca") if i in titles] or list(titles)[:2]
chosen = st.multiselect("Constitutions to compare (the first is the base)", list(titles), default=default,
                        format_func=titles.get, max_selections=3)
if len(chosen) < 2:
    st.info("Choose two or three constitutions.")
    st.stop()


@st.fragment
def comparison(base_id: str, others: tuple[str, ...]) -> None:
    state.flash()  # a click inside this fragment reruns only the fragment
    with st.spinner("Aligning provisions (the first time for these documents can take a minute or two, while the "
                    "sentence encoder reads their provisions once)…"):
        try:
            base = state.document(base_id)
            alignments = [alignment(base_id, other) for other in others]
            docs = {i: state.document(i) for i in others}
        except ConveneError as exc:
            st.error(f"Comparing failed: {exc}")
            return

    st.subheader("Filters")
    f1, f2, f3, f4 = st.columns([3, 3, 2, 2])
    tops = {p.eid: p for p in base.provisions}
    cites = {r.eid: r.citation for r in alignments[0].rows}
    top_labels = {"": "All articles", **{e: cites.get(e, e) + (f" — {p.heading}" if p.heading else "")
                                         for e, p in tops.items()}}
    top = f1.selectbox("Article", list(top_labels), format_func=top_labels.get, key=f"top-{base_id}")
    topic_query = f2.text_input("Topic (key or words, e.g. 'search')", key="topic-filter")
    min_score = f3.slider("Minimum score", 0.0, 1.0, 0.0, 0.05, key="min-score")
    only_counterparts = f4.checkbox("Counterparts only", key="only-cp")
    jump = st.text_input(f"Jump to a citation in {base_id} (e.g. Amendment IV, Art. I, § 8)", key="jump")
    narrow = st.toggle("Show only where a match lies", key="cmp-focus",
                       help="When a counterpart's match lies in one of its clauses (\"where the match lies\"), show "
                            "and compare word by word that clause alone instead of the whole counterpart.")

    only = None
    if topic_query.strip():  # the provisions `convene topic` lists for the query, in the base document
        try:
            topics, _idea = resolve_topics(topic_query)
            found = document_matches(base, [t.key for t in topics], limit=None, tags=document_tags(base_id),
                                     phrase=query_phrase(topic_query, topics))
        except ConveneError as exc:
            st.error(f"Topic filter failed: {exc}")
            only = set()
        else:
            only = {m.eid for m in found.matches}
            st.caption("Topic filter: " + ", ".join(f"{t.label} [{t.key}]" for t in topics))
    rows = compare_rows(base, alignments, min_score=min_score, top_eid=top or None, only=only,
                        counterparts_only=only_counterparts)
    start = 0
    if jump.strip():
        try:
            target = resolve(base, jump.strip()).provision.eid
        except ConveneError as exc:
            st.error(f"Jump failed: {exc}")
        else:
            found = find_row(rows, target)
            if found is None:
                rows = compare_rows(base, alignments, only={target})
                found = 0
                if not rows:
                    st.info(f"{base_id}: {jump.strip()} has no text of its own to compare (it may be repealed "
                            "or only a heading).")
            start = found
    pages = max(1, (len(rows) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = 1 if jump.strip() else st.number_input(f"Page (of {pages})", 1, pages, 1, key="cmp-page")
    if not jump.strip():
        start = (page - 1) * PAGE_SIZE
    st.caption(f"{len(rows)} row(s)")

    for row in rows[start:start + PAGE_SIZE]:
        a_prov = base.get(row.eid)
        a_text = provision_text(a_prov)
        with st.container(border=True, key=f"cmprow-{row.eid}"):
            cols = st.columns(1 + len(others))
            with cols[0]:
                st.markdown(f"**{base_id}: {row.citation}**")
                if a_prov.heading:
                    st.caption(a_prov.heading)
            for col, cp in zip(cols[1:], row.counterparts, strict=True):
                with col:
                    if cp.eid is None:
                        hint = f" (nearest: {cp.nearest}, score {cp.score:.2f})" if cp.nearest else ""
                        st.markdown(f"**{cp.doc_id}: no counterpart**{hint}")
                    else:
                        b_prov = docs[cp.doc_id].get(cp.eid)
                        st.markdown(f"**{cp.doc_id}: {cp.citation}** · alignment score {cp.score:.2f}")
                        if b_prov.heading:
                            st.caption(b_prov.heading)
                        if cp.focus:
                            shown = " (shown below)" if narrow else ""
                            st.caption(f"where the match lies: {cp.focus}{shown}")
                        if cp.why:
                            st.caption(cp.why)
                        if cp.also:
                            st.caption(f"next candidates: {cp.also}")
            # texts, with word-level differences against the first counterpart
            first = next((c for c in row.counterparts if c.eid), None)
            cut_note = False
            cols = st.columns(1 + len(others))
            left_html = None
            for col, cp in zip(cols[1:], row.counterparts, strict=True):
                if cp.eid is None:
                    continue
                b_prov = docs[cp.doc_id].get(cp.focus_eid if narrow and cp.focus_eid else cp.eid)
                left, right = side_by_side(a_text, provision_text(b_prov))
                if is_cut(a_prov) or is_cut(b_prov):
                    cut_note = True
                if cp is first:
                    left_html = left
                with col:
                    st.html(f"<div class='cmp-text' data-cite='{cp.doc_id}'>{right}</div>")
                    st.button("Adopt into draft", key=f"adopt-{cp.doc_id}-{b_prov.eid}-{row.eid}",
                              on_click=state.adopt_into_draft, args=(cp.doc_id, b_prov.eid))
            with cols[0]:
                from studio.views import escape

                st.html(f"<div class='cmp-text' data-cite='{base_id}'>{left_html or escape(a_text)}</div>")
                b1, b2 = st.columns(2)
                b1.button("Adopt into draft", key=f"adopt-{base_id}-{row.eid}",
                          on_click=state.adopt_into_draft, args=(base_id, row.eid))
                b2.button("Find similar everywhere", key=f"similar-{base_id}-{row.eid}",
                          on_click=lambda e=row.eid: st.session_state.update(similar=(base_id, e)))
            if cut_note:
                st.caption(f"Long provisions: shown and compared word by word on their first {TEXT_LIMIT:,} "
                           "characters (`convene diff` compares the whole texts).")
            if st.session_state.get("similar") == (base_id, row.eid):
                show_similar(base_id, row.eid)


def show_similar(doc_id: str, eid: str) -> None:
    st.markdown("**Similar provisions in every other constitution**")
    st.caption("Similarity scores: this provision against each whole constitution, as `convene similar` "
               "scores it; the alignment score above is computed for the pair of documents, so the two can differ.")
    try:
        found = similar_everywhere(doc_id, eid)
    except ConveneError as exc:
        st.error(f"Finding similar provisions failed: {exc}")
        return
    for hit in found:
        verdict = " · no counterpart, closest provision" if hit.counterpart is False else ""
        with st.expander(f"{hit.doc_id}: {hit.citation} · similarity {hit.score:.2f}{verdict}"):
            st.text(provision_text(state.document(hit.doc_id).get(hit.eid)))
            st.button("Adopt into draft", key=f"adopt-sim-{hit.doc_id}-{hit.eid}",
                      on_click=state.adopt_into_draft, args=(hit.doc_id, hit.eid))


comparison(chosen[0], tuple(chosen[1:]))
