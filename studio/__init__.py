"""The Streamlit drafting studio: thin pages over the library.  Page scripts live
in ``studio/pages``; everything they compute comes from tested library code
(``constitutions``, ``compare``, ``drafting``, ``design``) or from the small,
Streamlit-free helpers in ``studio.views``."""
