"""Convene drafting studio: ``streamlit run app.py``.  This script only routes; the pages live in
``studio/pages`` and the logic they show in the tested library."""

import streamlit as st

from studio import resources, state

st.set_page_config(page_title="Convene studio", layout="wide")
state.sync_open_draft()
resources.warm_up()
st.html("<style>ins{background:#d1fae5;text-decoration:none} del{background:#fee2e2;color:#7f1d1d}"
        " mark{background:#fef08a}</style>")

LIBRARY = st.Page("studio/pages/library.py", title="Library", url_path="library")


def _home() -> None:
    """The app's root opens the Library at its own address (``/library``), so that a link or bookmark
    naming it works too (a default page answers only at the root)."""
    st.switch_page(LIBRARY)


PAGES = [
    st.Page(_home, title="Library", url_path="home", default=True, visibility="hidden"),
    LIBRARY,
    st.Page("studio/pages/compare.py", title="Compare"),
    st.Page("studio/pages/draft.py", title="Draft"),
    st.Page("studio/pages/export.py", title="Export"),
    st.Page("studio/pages/insights.py", title="Insights"),
    st.Page("studio/pages/topics.py", title="Topics"),
    st.Page("studio/pages/calculator.py", title="Calculator"),
]
page = st.navigation(PAGES)
state.sidebar_draft()
page.run()
