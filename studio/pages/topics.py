"""Topics: world practice by topic (Constitute ontology), with adoption into the open draft."""

import streamlit as st

from constitutions.headings import titled
from convene.errors import ConveneError
from design.explorer import document_matches, query_phrase, resolve
from design.ideas import IDEAS
from studio import state
from studio.resources import document_tags, library_or_stop

st.header("Topics")
state.flash()

infos = library_or_stop(1, "first")

st.subheader("Reform ideas")
ideas = {"": "(type a topic instead)", **{i.key: i.title for i in IDEAS}}
idea_key = st.selectbox("Start from a reform idea", list(ideas), format_func=ideas.get)
if idea_key:
    idea = next(i for i in IDEAS if i.key == idea_key)
    st.write(idea.summary)
query = st.text_input("Topic, topic key or phrase", value=ideas[idea_key] if idea_key else "",
                      placeholder="environment, referen, judges with fixed terms")
limit = st.slider("Provisions shown per constitution", 1, 10, 3)


@st.fragment
def explorer(query: str, limit: int) -> None:
    state.flash()  # a click inside this fragment reruns only the fragment
    try:
        topics, _idea = resolve(query)
    except ConveneError as exc:
        st.error(f"No topic found: {exc}")
        return
    st.subheader("Topics: " + ", ".join(f"{t.label} [{t.key}]" for t in topics))
    keys = [t.key for t in topics]
    phrase = query_phrase(query, topics)  # scored as `convene topic` scores it
    addressed, silent = [], []
    with st.spinner("Looking through every constitution (unless an import prepared their topics, the first "
                    "look reads every provision once: a few minutes for the whole corpus)…"):
        for info in infos:
            try:
                doc = state.document(info.id)
                found = document_matches(doc, keys, limit=limit, tags=document_tags(info.id), phrase=phrase)
            except ConveneError as exc:
                st.error(f"{info.id}: {exc}")
                continue
            (addressed if found.total else silent).append(found)
    addressed.sort(key=lambda d: (-d.best, d.doc_id))
    st.caption(f"Addressed by {len(addressed)} of {len(infos)} constitutions.")
    for found in addressed:
        st.markdown(f"**{found.title} ({found.doc_id})**: {found.total} provision(s)")
        for m in found.matches:
            with st.expander(f"{titled(m.citation, m.heading)} · score {m.score:.2f}"):
                st.text(m.excerpt)
                st.caption("Evidence: " + ", ".join(m.evidence))
                st.button("Adopt into draft", key=f"adopt-topic-{found.doc_id}-{m.eid}",
                          on_click=state.adopt_into_draft, args=(found.doc_id, m.eid))
    if silent:
        st.markdown("**Not addressed in:** " + ", ".join(f"{d.title} ({d.doc_id})" for d in silent))


if query.strip():
    explorer(query, limit)
