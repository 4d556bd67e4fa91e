"""Insights: how alike the constitutions are, and which topics the open draft covers."""

import streamlit as st

from compare.topics import tag_document
from convene.errors import ConveneError
from studio import state
from studio.resources import corpus_matrix, document_tags, library_or_stop, ontology
from studio.views import CHART_CSS, bars_html, coverage, draft_document, heatmap_html

st.header("Insights")
state.flash()

infos = library_or_stop(2, "to see how they relate")


@st.fragment
def heatmap() -> None:
    st.subheader("Similarity of the constitutions")
    with st.spinner("Comparing the constitutions…"):
        try:
            result = corpus_matrix()
        except ConveneError as exc:
            st.error(f"Comparing the constitutions failed: {exc}")
            return
    titles = {d.id: d.title for d in infos}  # "ca" is Canada's and "us-ca" California's: say which is which
    key = "; ".join(f"{i} = {titles.get(i, i)}" for i in result.ids)
    st.html(CHART_CSS + heatmap_html(list(result.ids), [list(r) for r in result.scores],
                                     caption=f"Rows and columns: {key}."))
    st.caption("Share of provisions with a counterpart in the other constitution (the alignment's own verdict), "
               "averaged over both directions (1 = every provision has a counterpart; darker is more alike).")


@st.fragment
def topic_coverage() -> None:
    st.subheader("Topic coverage of the open draft")
    draft = state.open_draft()
    if draft is None:
        st.info("Open a draft on the Draft page to see which topics it covers.")
        return
    if not draft.nodes:
        st.info("The open draft is empty.")
        return
    with st.spinner("Tagging topics (unless an import prepared them, the first time reads every provision of "
                    "the corpus once: a few minutes)…"):
        try:
            draft_tags = tag_document(draft_document(draft))
            refs = {d.id: document_tags(d.id) for d in infos}
            onto = ontology()
        except ConveneError as exc:
            st.error(f"Tagging failed: {exc}")
            return

    def keys(tags: dict) -> set[str]:
        return {s.key for scores in tags.values() for s in scores if s.evidence}

    groups = {"US": [i for i in refs if i == "us"], "California": [i for i in refs if i == "us-ca"],
              "Foreign": [i for i in refs if i not in ("us", "us-ca")]}
    result = coverage(keys(draft_tags), {i: keys(t) for i, t in refs.items()}, groups=groups)
    categories = {c.key: c.label for c in onto.categories}
    names = ["Draft", *[g for g, ids in groups.items() if ids]]
    sets = {"Draft": result.draft, **{g: result.groups[g] for g in names[1:]}}
    cats = sorted(categories, key=categories.get)
    counts = {name: [sum(1 for k in sets[name] if onto.by_key.get(k) and onto.by_key[k].category == c)
                     for c in cats] for name in names}
    st.html(CHART_CSS + bars_html([categories[c] for c in cats], counts,
                                  caption="Topics addressed, by category of the Constitute ontology."))
    st.caption("Foreign: topics addressed by at least half of the foreign constitutions.")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Addressed by the draft ({len(result.draft)})**")
        st.dataframe([{"topic": onto.by_key[k].label, "key": k} for k in sorted(result.draft) if k in onto.by_key],
                     hide_index=True, height=300)
    with right:
        st.markdown(f"**Common topics the draft lacks ({len(result.lacking)})**")
        st.dataframe([{"topic": onto.by_key[k].label, "key": k} for k in sorted(result.lacking)
                      if k in onto.by_key], hide_index=True, height=300)


heatmap()
topic_coverage()
