"""Free text as queries of the alignment engine: what :func:`compare.align.score_block` needs of texts that
are not units of an indexed document (a phrase typed into ``similar``, the facets of a provision,
:mod:`compare.facets`).

Each text is read as a provision is: its lemmas (the spaCy pipeline, :func:`constitutions.language.analyse_many`)
and institutions' role terms weighted into a TF-IDF row over the index's vocabulary (terms the index has
never seen are dropped: nothing could match them), its topic vector, its LSA row, the lemma string rapidfuzz
compares and, with the sentence encoder, the topic tagger's profile of it (:mod:`compare.topic_profile`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from compare import semantic as semantic_mod
from compare import topic_profile
from compare.index import MAX_FUZZ_LEMMAS, ROLE_PREFIX, CorpusIndex, role_terms
from constitutions.language import analyse_many


@dataclass(frozen=True)
class TextQueries:
    """m free texts read for the engine, one row each."""

    texts: tuple[str, ...]
    tfidf: sp.csr_matrix  # m x vocabulary
    topics: np.ndarray  # m x topics (the index's lexical topic vectors)
    fuzz: tuple[str, ...]  # the lemma strings rapidfuzz compares
    lsa: np.ndarray | None  # m x LSA dimensions (None: the index has no LSA)
    profiles: np.ndarray | None  # m x topics, the tagger's profiles (None: the encoder is off)
    subnational: bool = False  # the texts come from a state's constitution (its Governor is its head of state)

    def __len__(self) -> int:
        return len(self.texts)

    def empty(self, i: int) -> bool:
        """Whether text ``i`` has no term the index knows (it can match nothing)."""
        return self.tfidf.indptr[i + 1] == self.tfidf.indptr[i]


def text_queries(index: CorpusIndex, texts: Sequence[str], *, persist: bool, subnational: bool = False,
                 profiles: np.ndarray | None = None) -> TextQueries:
    """``texts`` read as queries (see the module docstring).  ``persist``: keep the texts' analyses in the
    corpus database (text taken from a provision) or in memory only (typed text: ad hoc queries never grow
    the database).  ``subnational``: the texts come from a state's constitution (its Governor is a chief
    executive: :func:`compare.index.role_terms`).  ``profiles``: the texts' topic profiles when the caller
    has them (a provision's own, read with its heading and context); otherwise, with the encoder, each text
    is profiled as free text."""
    texts = tuple(texts)
    analyses = analyse_many(texts, persist=persist)
    rows, counts = [], []
    for text, analysis in zip(texts, analyses, strict=True):
        tfidf, count = index.query_vector(analysis.lemmas, role_terms(text, subnational))
        rows.append(tfidf)
        counts.append(count)
    width = len(index.vocab)
    tfidf = sp.vstack(rows).tocsr() if rows else sp.csr_matrix((0, width))
    count = sp.vstack(counts).tocsr() if counts else sp.csr_matrix((0, width))
    fuzz = tuple(_fuzz_string(index, a.lemmas, tfidf[i]) for i, a in enumerate(analyses))
    if profiles is None and semantic_mod.for_alignment():
        profiles = topic_profile.text_profiles(list(texts))
    return TextQueries(texts, tfidf, index.topic_vectors(count), fuzz, index.lsa_rows(tfidf), profiles, subnational)


def _fuzz_string(index: CorpusIndex, lemmas: Sequence[str], tfidf: sp.csr_matrix) -> str:
    """The query's lemmas as rapidfuzz compares them: all of them, or for a long text (a whole article
    pasted in) its :data:`compare.index.MAX_FUZZ_LEMMAS` heaviest terms, as a unit's are chosen."""
    distinct = sorted(set(lemmas))
    if len(distinct) <= MAX_FUZZ_LEMMAS:
        return " ".join(distinct)
    order = np.argsort(-tfidf.data, kind="stable")
    heaviest = [lemma for lemma in index.lemmas_of(tfidf.indices[order]) if not lemma.startswith(ROLE_PREFIX)]
    return " ".join(sorted(heaviest[:MAX_FUZZ_LEMMAS]))


__all__ = ["TextQueries", "text_queries"]
