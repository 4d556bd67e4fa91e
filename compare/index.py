"""The features every comparison works on, built once for a set of documents.

A :class:`CorpusIndex` holds, for every provision of every document (a *unit*,
at every level of the tree):

- its **subtree lemmas** (its own words, its heading twice, and all its
  descendants' words) as a sparse TF-IDF row: sublinear term frequency
  ``1 + log tf`` times a smoothed inverse document frequency computed over all
  provisions of all documents in the index;
- a **topic vector**: per-topic confidences from the Constitute ontology
  (:mod:`compare.topics`), computed in one sparse product from the same lemmas
  plus the headings of its ancestors (so a California section without a heading
  still knows it sits under "Declaration of Rights");
- its **length** in content lemmas, for length normalisation;
- the **lemma string** rapidfuzz compares (unique lemmas, in order);
- an **LSA vector**: the unit's normalised TF-IDF row projected on the
  :data:`LSA_DIM` leading right singular vectors of the whole index's unit
  matrix (truncated SVD, ``scipy.sparse.linalg.svds`` with a fixed start
  vector, so deterministic), scaled by the square roots of the singular values
  and L2-normalised.  Lemmas that occur in the same provisions across the
  corpus ("speech" and "expression", "Congress" and "Parliament") get close
  directions, which bridges vocabulary that differs between traditions; the
  bridge is learnt from co-occurrence in the indexed texts, not from a list;
- whether the unit is a **candidate** for matches: an article, section,
  amendment or preamble, or a top-level unit (sub-paragraphs are reached
  through the provision that contains them).

Building is vectorised (scipy.sparse) and every text is analysed through the
cached :mod:`constitutions.language` pipeline; ``build_seconds`` records the
build time.  An index is immutable once built and safe to share between threads
(the app may keep one in ``st.cache_resource``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from compare import topics as topics_mod
from constitutions.language import analyse_many
from constitutions.model import Document, Kind, Located
from convene.errors import NotFoundError

HEADING_TF = 2.0  # a heading's words count this many times in its provision's lemmas
MAX_FUZZ_LEMMAS = 200  # rapidfuzz compares at most this many unique lemmas of a unit

CONTAINER_KINDS = frozenset({Kind.PART, Kind.CHAPTER, Kind.TITLE, Kind.DIVISION, Kind.SCHEDULE})
CANDIDATE_KINDS = frozenset({Kind.ARTICLE, Kind.SECTION, Kind.AMENDMENT, Kind.PREAMBLE})
LSA_DIM = 200  # latent dimensions (fewer when the index is small)
LSA_MIN_UNITS = 50  # below this many units, no LSA (a handful of rows has no co-occurrence to learn from)


@dataclass(frozen=True, slots=True)
class Unit:
    doc: str
    eid: str
    kind: Kind
    depth: int
    length: int  # content lemmas in the subtree (headings included once)
    heading: str
    repealed: bool


@dataclass(eq=False)
class DocFeatures:
    """The rows of one document: units in document order and their matrices."""

    doc: Document
    units: list[Unit]
    tfidf: sp.csr_matrix  # units x vocabulary, rows not normalised
    topics: np.ndarray  # units x topics, confidences in [0, 1)
    lengths: np.ndarray  # float, >= 1
    fuzz_strings: list[str]
    vocab_mask: np.ndarray  # bool per vocabulary column: the document uses this lemma
    row_of: dict[str, int] = field(default_factory=dict)
    lsa: np.ndarray | None = None  # units x LSA dimensions, L2-normalised rows (None: the index has no LSA)

    def __post_init__(self) -> None:
        self.row_of = {u.eid: i for i, u in enumerate(self.units)}

    @cached_property
    def candidate_mask(self) -> np.ndarray:
        """Units offered as matches: articles, sections, amendments, the preamble and top-level units
        (every unit when the document has none of those kinds)."""
        mask = np.fromiter((u.kind in CANDIDATE_KINDS or u.depth == 0 for u in self.units), dtype=bool,
                           count=len(self.units))
        return mask if mask.any() else np.ones(len(self.units), dtype=bool)

    @cached_property
    def normalised(self) -> sp.csr_matrix:
        return _l2_rows(self.tfidf)

    @cached_property
    def topics_normalised(self) -> np.ndarray:
        return topic_signal(self.topics)

    @cached_property
    def ancestry(self) -> list[frozenset[str]]:
        """For each unit, the eIds of its ancestors (to keep nested matches from crowding results)."""
        out = []
        for loc in self.doc.walk():
            if loc.provision.eid in self.row_of:
                out.append(frozenset(a.eid for a in loc.ancestors))
        return out

    def row(self, eid: str) -> int:
        try:
            return self.row_of[eid]
        except KeyError:
            raise NotFoundError(f"no provision {eid!r} with words in {self.doc.id}", source=self.doc.id) from None


TOPIC_FLOOR = 0.2  # topic confidences below this are noise for comparison (see compare.topics.MIN_CONFIDENCE)


def topic_signal(confidences: np.ndarray) -> np.ndarray:
    """Rows of topic confidences made comparable: the part above :data:`TOPIC_FLOOR`, L2-normalised
    (a unit whose topics are all weak gets a zero vector, so it agrees with nothing on topics)."""
    m = np.maximum(np.atleast_2d(confidences) - TOPIC_FLOOR, 0.0)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(inv) @ m)


class CorpusIndex:
    """Features of a set of documents with a shared vocabulary and IDF (see the module docstring)."""

    def __init__(self, docs: Sequence[Document]):
        started = time.perf_counter()
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids):
            raise NotFoundError(f"documents given twice: {sorted({i for i in ids if ids.count(i) > 1})}")
        self.tagger = topics_mod.tagger()
        self.vocab: dict[str, int] = {}
        raw = [self._collect(d) for d in docs]
        n_units = sum(len(r[0]) for r in raw)
        df = np.zeros(len(self.vocab), dtype=np.float64)
        for _, own, _, _, _ in raw:  # df over every provision's own words
            own = sp.csr_matrix((own.data, own.indices, own.indptr), shape=(own.shape[0], len(self.vocab)))
            df += np.asarray((own > 0).sum(axis=0)).ravel()
        self.n_units = n_units
        self.idf = np.log((n_units + 1) / (df + 1)) + 1.0
        self.topic_matrix, self.topic_norms = self._topic_profiles()
        self.lemmas = [""] * len(self.vocab)
        for lemma, j in self.vocab.items():
            self.lemmas[j] = lemma
        self.docs: dict[str, DocFeatures] = {}
        for doc, (locs, own, heads, context, keep) in zip(docs, raw, strict=True):
            self.docs[doc.id] = self._features(doc, locs, own, heads, context, keep)
        self.lsa_basis = self._fit_lsa()
        for f in self.docs.values():
            f.lsa = self.lsa_rows(f.normalised)
        self.build_seconds = time.perf_counter() - started

    # -------------------------------------------------------------- building

    def _ids(self, lemmas: Sequence[str]) -> list[int]:
        vocab = self.vocab
        return [vocab.setdefault(x, len(vocab)) for x in lemmas]

    def _collect(self, doc: Document):
        locs = list(doc.walk())
        texts = [loc.provision.text for loc in locs] + [loc.provision.heading for loc in locs]
        analysed = analyse_many(texts)
        n = len(locs)
        own_rows, head_rows = [], []
        for i in range(n):
            own_rows.append(self._ids(analysed[i].lemmas))
            head_rows.append(self._ids(analysed[n + i].lemmas))
        own = _counts(own_rows, len(self.vocab))
        heads = _counts(head_rows, len(self.vocab))
        # ancestor-or-self matrix: subtree = A @ own; context headings = strict ancestors' headings
        pos = {loc.provision.eid: i for i, loc in enumerate(locs)}
        rows, cols, crow, ccol = [], [], [], []
        for i, loc in enumerate(locs):
            rows.append(i)
            cols.append(i)
            for anc in loc.ancestors:
                j = pos[anc.eid]
                rows.append(j)
                cols.append(i)
                crow.append(i)
                ccol.append(j)
        subtree = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        ancestors = sp.csr_matrix((np.ones(len(crow)), (crow, ccol)), shape=(n, n))
        lex = own + HEADING_TF * heads
        sub = subtree @ _pad(lex, len(self.vocab))
        context = ancestors @ _pad(heads, len(self.vocab))
        keep = np.asarray(sub.sum(axis=1)).ravel() > 0
        return locs, own, sub, context, keep

    def _topic_profiles(self) -> tuple[sp.csr_matrix, np.ndarray]:
        tagger = self.tagger
        rows, cols, vals = [], [], []
        for t, prof in enumerate(tagger.profiles):
            for lemma, w in prof.weights.items():
                j = self.vocab.get(lemma)
                if j is not None:
                    rows.append(j)
                    cols.append(t)
                    vals.append(w)
        m = sp.csr_matrix((vals, (rows, cols)), shape=(len(self.vocab), len(tagger.profiles)))
        norms = np.fromiter((p.norm for p in tagger.profiles), dtype=np.float64, count=len(tagger.profiles))
        return m, norms

    def topic_vectors(self, counts: sp.csr_matrix) -> np.ndarray:
        """Topic confidences of rows of lemma counts (BM25 saturation, as :class:`compare.topics.TopicTagger`)."""
        counts = _pad(counts, self.topic_matrix.shape[0]).tocsr()
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        k1, b = topics_mod.K1, topics_mod.B
        denom = k1 * (1 - b + b * lengths / 60.0)
        sat = counts.copy().astype(np.float64)
        row_of_entry = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        sat.data = sat.data * (k1 + 1) / (sat.data + denom[row_of_entry])
        raw = np.asarray((sat @ self.topic_matrix).todense())
        return 1.0 - np.exp(-raw / self.topic_norms)

    def _features(self, doc: Document, locs: list[Located], own, sub, context, keep) -> DocFeatures:
        v = len(self.vocab)
        sub = _pad(sub, v).tocsr()[keep]
        context = _pad(context, v).tocsr()[keep]
        kept = [loc for loc, k in zip(locs, keep, strict=True) if k]
        tf = sub.copy().astype(np.float64)
        tf.data = 1.0 + np.log(tf.data)
        tfidf = sp.csr_matrix(tf @ sp.diags(self.idf))
        topic_vecs = self.topic_vectors(sub + context) if kept else np.zeros((0, len(self.tagger.profiles)))
        lengths = np.maximum(np.asarray(sub.sum(axis=1)).ravel(), 1.0)
        units, fuzz = [], []
        for i, loc in enumerate(kept):
            p = loc.provision
            units.append(Unit(doc.id, p.eid, p.kind, loc.depth, int(lengths[i]), p.heading, not p.status.in_force))
            row = sub.getrow(i)
            order = np.argsort(-row.data, kind="stable")[:MAX_FUZZ_LEMMAS]
            fuzz.append(" ".join(sorted(self.lemmas_of(row.indices[order]))))
        mask = np.zeros(v, dtype=bool)
        mask[sub.indices] = True
        return DocFeatures(doc, units, tfidf, topic_vecs, lengths, fuzz, mask)

    def _fit_lsa(self) -> np.ndarray | None:
        """vocabulary x k basis (right singular vectors x sqrt of singular values) of all units' normalised
        TF-IDF rows, or None for a small index."""
        blocks = [f.normalised for f in self.docs.values() if f.units]
        if not blocks:
            return None
        x = sp.vstack(blocks).tocsr()
        k = min(LSA_DIM, min(x.shape) - 1)
        if x.shape[0] < LSA_MIN_UNITS or k < 2:
            return None
        v0 = np.full(min(x.shape), 1.0 / math.sqrt(min(x.shape)))
        _, s, vt = svds(x, k=k, v0=v0)
        return (vt.T * np.sqrt(s)[None, :]).astype(np.float64)

    def lsa_rows(self, tfidf: sp.csr_matrix) -> np.ndarray | None:
        """L2-normalised LSA vectors of TF-IDF rows (None when the index has no LSA)."""
        if self.lsa_basis is None:
            return None
        m = np.asarray(_l2_rows(_pad(tfidf, self.lsa_basis.shape[0])) @ self.lsa_basis)
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)

    def lemmas_of(self, columns) -> list[str]:
        return [self.lemmas[j] for j in columns]

    # -------------------------------------------------------------- queries

    def features(self, doc_id: str) -> DocFeatures:
        try:
            return self.docs[doc_id]
        except KeyError:
            known = ", ".join(sorted(self.docs)) or "none"
            raise NotFoundError(f"document {doc_id!r} is not in the index (indexed: {known})",
                                source=doc_id) from None

    def query_vector(self, lemmas: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(TF-IDF row, raw count row) of free text's lemmas; lemmas unknown to the index are dropped
        (they cannot match any provision)."""
        counts: dict[int, float] = {}
        for x in lemmas:
            j = self.vocab.get(x)
            if j is not None:
                counts[j] = counts.get(j, 0.0) + 1.0
        cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        raw = sp.csr_matrix((tf, (np.zeros(len(cols), dtype=np.int64), cols)), shape=(1, len(self.vocab)))
        weighted = sp.csr_matrix(((1.0 + np.log(tf)) * self.idf[cols] if len(cols) else tf,
                                  (np.zeros(len(cols), dtype=np.int64), cols)), shape=(1, len(self.vocab)))
        return weighted, raw


def _counts(rows: list[list[int]], width: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1]))
    m = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), max(width, 1)))
    m.sum_duplicates()
    return m


def _pad(m: sp.spmatrix, width: int) -> sp.csr_matrix:
    m = sp.csr_matrix(m)
    if m.shape[1] < width:
        m = sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], width))
    return m


def idf_weight(index: CorpusIndex, lemma: str) -> float:
    j = index.vocab.get(lemma)
    return float(index.idf[j]) if j is not None else math.log(index.n_units + 1) + 1.0
