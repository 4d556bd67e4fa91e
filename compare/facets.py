"""Facets: the several subjects one provision can hold, each matched on its own.

A clause often says several things in one sentence.  The Fifth Amendment of the US Constitution joins, with
semicolons, the grand jury, double jeopardy, self-incrimination with due process, and the taking of property
for public use; a state constitution gives the last its own section, and ranked against the whole amendment
that section comes far down, behind the sections on the rights of the accused.  A *facet* is one of those
parts: a piece of the provision's text between semicolons or after a colon (":" followed by a space, so
"1:30" is not split), of at least :data:`MIN_WORDS` words; a provision has facets only when it has two or
more (at most :data:`MAX_FACETS`, the first ones).  :func:`compare.align.facet_matches` scores each facet as
free text against B and gives the best match of each facet B has a counterpart for, which then takes one of
the provision's places in its ranked matches (:func:`compare.align.with_facets`).

Measured on the gold set (``bench/eval_alignment.py``): held-out cross-national R@5 0.76 -> 0.80 (87 -> 91 of
114 pairs), dev 66 -> 67 of 72; P@1 and the counterpart verdicts are the provision's own and unchanged.  The mean
share of a pair's right places (the gold often lists several) found among its five matches, ``places``, rose
from 0.85 to 0.86 on dev and from 0.75 to 0.78 held out (cross-national 0.70 to 0.74).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence

import numpy as np

from compare.index import CorpusIndex, DocFeatures
from compare.roles import is_subnational
from compare.text_query import TextQueries, text_queries

MIN_WORDS = 5  # a shorter piece ("and", "except as follows") is not a subject of its own
MAX_FACETS = 8  # the first ones, for a long provision
_BREAK = re.compile(r";|:(?=\s)")
_unit_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def facets(text: str) -> tuple[str, ...]:
    """The facets of a provision's text (see the module docstring), whitespace normalised; () when it has
    fewer than two."""
    pieces = (" ".join(piece.split()) for piece in _BREAK.split(text))
    kept = tuple(piece for piece in pieces if len(piece.split()) >= MIN_WORDS)
    return kept[:MAX_FACETS] if len(kept) >= 2 else ()


def facet_queries(index: CorpusIndex, texts: Sequence[str], *, persist: bool,
                  subnational: bool = False) -> tuple[TextQueries, np.ndarray]:
    """The facets of every text in ``texts`` read as free-text queries (:func:`compare.text_query.text_queries`),
    with the position in ``texts`` each facet comes from."""
    found = [(q, facet) for q, text in enumerate(texts) for facet in facets(text)]
    queries = text_queries(index, [facet for _, facet in found], persist=persist, subnational=subnational)
    return queries, np.array([q for q, _ in found], dtype=np.int64)


def unit_facet_queries(index: CorpusIndex, features: DocFeatures) -> tuple[TextQueries, np.ndarray]:
    """:func:`facet_queries` of every unit of an indexed document (by row; a unit that contains candidate
    units of its own has none: an article with sections is matched with whole articles, and its sections are
    queries of their own), read once per :class:`compare.index.DocFeatures` and kept while it lives."""
    found = _unit_cache.get(features)
    if found is None:
        doc = features.doc
        texts = ["" if features.holds_candidates[i] else doc.get(u.eid).full_text()
                 for i, u in enumerate(features.units)]
        found = facet_queries(index, texts, persist=True, subnational=is_subnational(doc.title))
        _unit_cache[features] = found
    return found


__all__ = ["MAX_FACETS", "MIN_WORDS", "facet_queries", "facets", "unit_facet_queries"]
