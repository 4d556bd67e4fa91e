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

import contextlib
import hashlib
import re
import weakref
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from compare import semantic, topics
from compare.index import CorpusIndex, DocFeatures, cache_dir
from compare.roles import is_subnational
from compare.text_query import TextQueries, text_queries
from convene.files import write_atomically
from convene.fingerprint import digest_of

MIN_WORDS = 5  # a shorter piece ("and", "except as follows") is not a subject of its own
MAX_FACETS = 8  # the first ones, for a long provision
_BREAK = re.compile(r";|:(?=\s)")
_unit_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
CACHE_FORMAT = 2  # bump when the layout of a saved reading changes
# what a document's facet reading depends on besides the index (whose key covers the documents, the index's
# code and the tagger's) and the tagger's fingerprint (compare.topics.tagging_fingerprint)
_FINGERPRINTED = ("compare/facets.py", "compare/text_query.py", "compare/topic_profile.py")


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
    queries of their own), read once per :class:`compare.index.DocFeatures` and kept while it lives, and saved
    beside the index's cache file for the next process (:func:`_disk_path`; an index that was not loaded or
    saved through :meth:`compare.index.CorpusIndex.load_or_build` has no such file)."""
    path = _disk_path(index, features)
    kept = _unit_cache.get(features)
    if kept is not None and kept[0] == path:  # per cache folder: CONVENE_HOME may change within a process (tests)
        return kept[1]
    found = _read(path) if path is not None else None
    if found is None:
        doc = features.doc
        texts = ["" if features.holds_candidates[i] else doc.get(u.eid).full_text()
                 for i, u in enumerate(features.units)]
        found = facet_queries(index, texts, persist=True, subnational=is_subnational(doc.title))
        if path is not None:
            _write(path, found)
    _unit_cache[features] = (path, found)
    return found


def _disk_path(index: CorpusIndex, features: DocFeatures) -> Path | None:
    """``<index key>.facets-<checksum>.npz`` in the index cache folder: the checksum names the document, this
    code's, the tagger's and whether the encoder reads the facets (their topic profiles are computed only
    then); None when the index has no key or the folder cannot be used."""
    folder = cache_dir() if index.key is not None else None
    if folder is None:
        return None
    parts = [str(CACHE_FORMAT), features.doc.id, digest_of(_FINGERPRINTED, ()), topics.tagging_fingerprint(),
             str(semantic.for_alignment())]
    checksum = hashlib.blake2b("|".join(parts).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
    return folder / f"{index.key}.facets-{checksum}.npz"


_READ_ERRORS = (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile)


def _read(path: Path) -> tuple[TextQueries, np.ndarray] | None:
    """The reading saved at ``path``; None when absent, unreadable or not in the expected shape (the caller then
    reads the facets again: a damaged file costs time, never a wrong answer or an error)."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        if int(arrays["format"][0]) != CACHE_FORMAT:
            return None
        texts = tuple(str(t) for t in arrays["texts"])
        tfidf = sp.csr_matrix((arrays["tfidf.data"], arrays["tfidf.indices"], arrays["tfidf.indptr"]),
                              shape=tuple(int(n) for n in arrays["tfidf.shape"]))
        owners = arrays["owners"].astype(np.int64)
        fuzz = tuple(str(f) for f in arrays["fuzz"])
        if not len(texts) == len(owners) == len(fuzz) == tfidf.shape[0] == len(arrays["topics"]):
            return None
        queries = TextQueries(texts, tfidf, arrays["topics"], fuzz, arrays.get("lsa"), arrays.get("profiles"),
                              bool(arrays["subnational"][0]))
    except _READ_ERRORS:
        return None
    return queries, owners


def _write(path: Path, found: tuple[TextQueries, np.ndarray]) -> None:
    """Save a reading at ``path`` atomically; a failure only means no saved reading."""
    queries, owners = found
    tfidf = queries.tfidf.tocsr()
    arrays = {"format": np.array([CACHE_FORMAT]), "texts": np.array(queries.texts, dtype=str),
              "fuzz": np.array(queries.fuzz, dtype=str), "owners": owners, "topics": queries.topics,
              "tfidf.data": tfidf.data, "tfidf.indices": tfidf.indices, "tfidf.indptr": tfidf.indptr,
              "tfidf.shape": np.array(tfidf.shape), "subnational": np.array([queries.subnational])}
    if queries.lsa is not None:
        arrays["lsa"] = queries.lsa
    if queries.profiles is not None:
        arrays["profiles"] = queries.profiles
    with contextlib.suppress(OSError, ValueError, UnicodeError):
        write_atomically(path, lambda fh: np.savez(fh, **arrays))


__all__ = ["MAX_FACETS", "MIN_WORDS", "facet_queries", "facets", "unit_facet_queries"]
