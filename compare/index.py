"""The features every comparison works on, built once for a set of documents.

A :class:`CorpusIndex` holds, for every provision of every document (a *unit*,
at every level of the tree):

- its **subtree lemmas** (its own words, its heading twice, and all its
  descendants' words) as a sparse TF-IDF row: sublinear term frequency
  ``1 + log tf`` times a smoothed inverse document frequency computed over all
  provisions of all documents in the index;
- in the same row, beside the lemmas, its **role terms**: one term
  (``role:head-of-state``, ``role:second-chamber``...) per institution its text
  or heading names, and per broader role that implies, from the gazetteer of
  :mod:`compare.roles` (general comparative knowledge, not learnt from these
  texts), so that "the President ... Congress" and "the Governor ... the
  Legislature" share terms.  In a state's own constitution
  (:func:`compare.roles.is_subnational` of its title) its Governor and
  Legislature are its head of state and legislature.  Role terms get an IDF
  like any lemma (common roles weigh little) and their TF-IDF weight is
  multiplied by :data:`ROLE_TF` (chosen on the dev half of the gold set); they
  take part in the LSA below, but not in lengths, topic vectors or the fuzzy
  lemma strings;
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
  bridge is learnt from co-occurrence in the indexed texts (role terms
  included), not from a list;
- whether the unit is a **candidate** for matches: an article, section,
  amendment or preamble, or a top-level unit (sub-paragraphs are reached
  through the provision that contains them).

It also keeps each unit's display **citation** (:func:`compare.cite.cite`), so
that nothing is recomputed per comparison.  The optional sentence encoder's
vectors are not part of the index: :mod:`compare.semantic` computes them when an
alignment first needs them and keeps them in their own cache, so building the
index never waits for the encoder.

Building is vectorised (scipy.sparse) and every text is analysed through the
cached :mod:`constitutions.language` pipeline; ``build_seconds`` records the
build time.  An index is immutable once built and safe to share between threads
(the app may keep one in ``st.cache_resource``).

**Persistent cache** (:meth:`CorpusIndex.load_or_build`): a built index is saved
under ``settings.home() / "index-cache"`` as one uncompressed NumPy ``.npz``
file (arrays, plus a JSON manifest stored as bytes; loaded with
``allow_pickle=False``, so nothing executable is ever read from disk).  Its name
is a hash of :data:`CACHE_FORMAT`, a fingerprint of the code and data the index
depends on (the source of this module, :mod:`compare.roles`, :mod:`compare.topics`,
:mod:`compare.semantic`, :mod:`compare.cite`, :mod:`constitutions.language`,
:mod:`constitutions.citations`, :mod:`constitutions.resolve`,
:mod:`constitutions.headings`, :mod:`constitutions.canonical`, :mod:`constitutions.model`, the ontology file,
the versions of numpy, scipy, spaCy and its lookup tables), and, in order, every document's id with a checksum of
its content.  A new import (new content), a code change or a different
ontology therefore gives a different name: stale files are never read, and the
:data:`CACHE_KEEP` most recently used files are kept.  Files are written to a
temporary name and moved into place with ``os.replace``, so a reader sees a
whole file or none, and two processes building the same index at once each
write a complete, identical file (the last move wins).  A file that cannot be
read or does not match its name (corrupt, truncated, another format) is
ignored and rebuilt; a cache folder that cannot be written is skipped.  An
index loaded from the cache holds exactly the arrays of the one that was built,
so every result is identical.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from compare import ontology as ontology_mod
from compare import roles as roles_mod
from compare import topics as topics_mod
from compare.cite import cite
from constitutions.language import analyse_many
from constitutions.model import Document, Kind, Located
from convene import settings
from convene.errors import NotFoundError
from convene.files import write_atomically
from convene.fingerprint import digest_of

HEADING_TF = 2.0  # a heading's words count this many times in its provision's lemmas
MAX_FUZZ_LEMMAS = 200  # rapidfuzz compares at most this many unique lemmas of a unit
ROLE_PREFIX = "role:"  # vocabulary entries for institutions' roles (compare.roles), beside the lemmas
ROLE_TF = 1.25  # a role term's TF-IDF weight is multiplied by this
ROLE_BROADER = True  # a role mention also counts as the broader roles it implies (a Senate is a legislative chamber)
ROLE_SUBNATIONAL = True  # in a state's own constitution, its Governor and Legislature are head of state and legislature
ROLE_IN_LSA = True  # role terms take part in the LSA projection

CONTAINER_KINDS = frozenset({Kind.PART, Kind.CHAPTER, Kind.TITLE, Kind.DIVISION, Kind.SCHEDULE})
CANDIDATE_KINDS = frozenset({Kind.ARTICLE, Kind.SECTION, Kind.AMENDMENT, Kind.PREAMBLE})
LSA_DIM = 200  # latent dimensions (fewer when the index is small)
LSA_MIN_UNITS = 50  # below this many units, no LSA (a handful of rows has no co-occurrence to learn from)

CACHE_FORMAT = 2  # bump when the layout of a cache file changes
CACHE_FOLDER = "index-cache"
CACHE_KEEP = 8  # cache files kept (most recently used first)
MEMORY_KEEP = 4  # indexes kept in memory by load_or_build, per process


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
    citations: list[str] = field(default_factory=list)  # display citation of each unit (compare.cite.cite)
    _split: tuple[sp.csr_matrix, sp.csr_matrix] | None = field(default=None, repr=False)

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
    def holds_candidates(self) -> np.ndarray:
        """Per unit, whether it contains a candidate unit (an article with sections, a chapter).  Such a unit,
        as a query, is compared with whole provisions of the other document; any other query (a clause, a
        section, an article without sections, free text) only with :attr:`single_candidates`."""
        holders = frozenset().union(*(self.ancestry[j] for j in np.flatnonzero(self.candidate_mask)))
        return np.fromiter((u.eid in holders for u in self.units), dtype=bool, count=len(self.units))

    @cached_property
    def single_candidates(self) -> np.ndarray:
        """Candidate units that contain no other candidate unit: a section rather than the article around it."""
        return self.candidate_mask & ~self.holds_candidates

    @cached_property
    def normalised(self) -> sp.csr_matrix:
        return _l2_rows(self.tfidf)

    @cached_property
    def topics_normalised(self) -> np.ndarray:
        return topic_signal(self.topics)

    def split_tfidf(self, role_mask: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(TF-IDF rows over the lemmas only, over the role terms only), ``role_mask`` being the index's
        (:attr:`CorpusIndex.role_mask`); computed once per document."""
        if self._split is None:
            self._split = split_columns(self.tfidf, role_mask, np.ones(self.tfidf.shape[1]))
        return self._split

    @cached_property
    def ancestry(self) -> list[frozenset[str]]:
        """For each unit, the eIds of its ancestors (to keep nested matches from crowding results)."""
        out = []
        for loc in self.doc.walk():
            if loc.provision.eid in self.row_of:
                out.append(frozenset(a.eid for a in loc.ancestors))
        return out

    @cached_property
    def descendants(self) -> list[np.ndarray]:
        """For each unit, the rows of the units nested in it (empty for a leaf)."""
        inner: list[list[int]] = [[] for _ in self.units]
        for j, above in enumerate(self.ancestry):
            for eid in above:
                if eid in self.row_of:
                    inner[self.row_of[eid]].append(j)
        return [np.array(rows, dtype=np.intp) for rows in inner]

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


def split_columns(m: sp.csr_matrix, role_mask: np.ndarray, keep: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(``m`` over the lemma columns, over the role columns), each also weighted by ``keep`` per column."""
    roles = role_mask[: m.shape[1]].astype(np.float64)
    return (sp.csr_matrix(m @ sp.diags(keep * (1.0 - roles))), sp.csr_matrix(m @ sp.diags(keep * roles)))


def row_norms(m: sp.csr_matrix) -> np.ndarray:
    return np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = row_norms(m)
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(inv) @ m)


class CorpusIndex:
    """Features of a set of documents with a shared vocabulary and IDF (see the module docstring).
    ``CorpusIndex(docs)`` always builds; :meth:`load_or_build` reuses the persistent cache."""

    key: str | None = None  # the cache key, when the index went through load_or_build
    loaded_from: Path | None = None  # the cache file it was read from (None: built in this process)
    load_seconds: float = 0.0

    def __init__(self, docs: Sequence[Document]):
        started = time.perf_counter()
        _check_unique(docs)
        tagger = topics_mod.tagger()
        self.topic_labels = tuple(t.label for t in tagger.ontology.topics)
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
        self.role_mask = _role_mask(self.lemmas)
        self.docs: dict[str, DocFeatures] = {}
        for doc, (locs, own, heads, context, keep) in zip(docs, raw, strict=True):
            self.docs[doc.id] = self._features(doc, locs, own, heads, context, keep)
        self.lsa_basis = self._fit_lsa()
        for f in self.docs.values():
            f.lsa = self.lsa_rows(f.normalised)
            f.citations = [cite(f.doc, u.eid) for u in f.units]
        self.build_seconds = time.perf_counter() - started

    @property
    def tagger(self) -> topics_mod.TopicTagger:
        """The topic tagger (built on first use: an index loaded from the cache does not need it)."""
        return topics_mod.tagger()

    # -------------------------------------------------------------- building

    def _ids(self, lemmas: Sequence[str]) -> list[int]:
        vocab = self.vocab
        return [vocab.setdefault(x, len(vocab)) for x in lemmas]

    def _collect(self, doc: Document):
        locs = list(doc.walk())
        texts = [loc.provision.text for loc in locs] + [loc.provision.heading for loc in locs]
        analysed = analyse_many(texts)
        n = len(locs)
        subnational = ROLE_SUBNATIONAL and roles_mod.is_subnational(doc.title)
        own_rows, head_rows = [], []
        for i in range(n):
            own_rows.append(self._ids([*analysed[i].lemmas, *role_terms(texts[i], subnational)]))
            head_rows.append(self._ids([*analysed[n + i].lemmas, *role_terms(texts[n + i], subnational)]))
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
        tagger = topics_mod.tagger()
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
        tfidf = sp.csr_matrix(tf @ sp.diags(self.idf * np.where(self.role_mask, ROLE_TF, 1.0)))
        tfidf.eliminate_zeros()
        mask = np.zeros(v, dtype=bool)
        mask[sub.indices] = True  # lemmas and role terms the document uses
        words_only = sp.diags((~self.role_mask).astype(np.float64))  # lengths, topics and fuzz: lemmas only
        sub = sp.csr_matrix(sub @ words_only)
        sub.eliminate_zeros()
        context = sp.csr_matrix(context @ words_only)
        topic_vecs = self.topic_vectors(sub + context) if kept else np.zeros((0, len(self.topic_labels)))
        lengths = np.maximum(np.asarray(sub.sum(axis=1)).ravel(), 1.0)
        units, fuzz = [], []
        for i, loc in enumerate(kept):
            p = loc.provision
            units.append(Unit(doc.id, p.eid, p.kind, loc.depth, int(lengths[i]), p.heading, not p.status.in_force))
            row = sub.getrow(i)
            order = np.argsort(-row.data, kind="stable")[:MAX_FUZZ_LEMMAS]
            fuzz.append(" ".join(sorted(self.lemmas_of(row.indices[order]))))
        return DocFeatures(doc, units, tfidf, topic_vecs, lengths, fuzz, mask)

    def _fit_lsa(self) -> np.ndarray | None:
        """vocabulary x k basis (right singular vectors x sqrt of singular values) of all units' normalised
        TF-IDF rows, or None for a small index."""
        blocks = [self._lsa_input(f.tfidf) for f in self.docs.values() if f.units]
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
        m = np.asarray(self._lsa_input(_pad(tfidf, self.lsa_basis.shape[0])) @ self.lsa_basis)
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)

    def _lsa_input(self, tfidf: sp.csr_matrix) -> sp.csr_matrix:
        """L2-normalised TF-IDF rows as the LSA sees them (without role terms unless :data:`ROLE_IN_LSA`)."""
        if not ROLE_IN_LSA and self.role_mask.any():
            tfidf = sp.csr_matrix(tfidf @ sp.diags((~self.role_mask[: tfidf.shape[1]]).astype(np.float64)))
        return _l2_rows(tfidf)

    def lemmas_of(self, columns) -> list[str]:
        return [self.lemmas[j] for j in columns]

    # -------------------------------------------------------------- persistent cache

    @classmethod
    def load_or_build(cls, docs: Sequence[Document], *, persist: bool = True) -> CorpusIndex:
        """The index of ``docs`` (in this order): from this process's memory, else from the persistent
        cache, else built (and then saved when ``persist``).  Results are the same as ``CorpusIndex(docs)``'s
        in every case; a missing, stale or unreadable cache file only costs a build."""
        docs = list(docs)
        _check_unique(docs)
        key = cache_key(docs)
        path = cache_path(key)
        memo = (str(path), key)  # per cache folder: CONVENE_HOME may change within a process (tests)
        with _MEMORY_LOCK:
            found = _MEMORY.get(memo)
            if found is not None:
                _MEMORY.move_to_end(memo)
        if found is None:
            found = _read(path, key, docs) if path is not None else None
            if found is None:
                found = cls(docs)
                found.key = key
                if persist and path is not None:
                    _write(found, path)
            with _MEMORY_LOCK:
                _MEMORY[memo] = found
                while len(_MEMORY) > MEMORY_KEEP:
                    _MEMORY.popitem(last=False)
        return found

    def _manifest(self) -> dict:
        return {
            "format": CACHE_FORMAT, "key": self.key, "n_units": self.n_units, "lemmas": self.lemmas,
            "topic_labels": list(self.topic_labels), "build_seconds": self.build_seconds,
            "docs": [{"id": f.doc.id, "units": [[u.eid, u.kind.value, u.depth, u.length, u.heading, u.repealed]
                                                 for u in f.units],
                      "fuzz": f.fuzz_strings, "citations": f.citations} for f in self.docs.values()],
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        out = {"idf": self.idf, "topic_norms": self.topic_norms}
        out.update(_sparse_arrays("topic_matrix", self.topic_matrix))
        if self.lsa_basis is not None:
            out["lsa_basis"] = self.lsa_basis
        for i, f in enumerate(self.docs.values()):
            out.update(_sparse_arrays(f"{i}.tfidf", f.tfidf))
            out[f"{i}.topics"] = f.topics
            out[f"{i}.lengths"] = f.lengths
            out[f"{i}.vocab_mask"] = f.vocab_mask
            if f.lsa is not None:
                out[f"{i}.lsa"] = f.lsa
        return out

    @classmethod
    def _restore(cls, manifest: dict, arrays, docs: list[Document]) -> CorpusIndex:
        """An index from a cache file's manifest and arrays (``arrays[name]`` gives an ndarray); raises
        KeyError, ValueError or TypeError when they do not fit together."""
        self = cls.__new__(cls)
        self.lemmas = list(manifest["lemmas"])
        self.vocab = {lemma: j for j, lemma in enumerate(self.lemmas)}
        self.role_mask = _role_mask(self.lemmas)
        self.n_units = int(manifest["n_units"])
        self.topic_labels = tuple(manifest["topic_labels"])
        self.build_seconds = float(manifest["build_seconds"])
        self.idf = arrays["idf"]
        self.topic_norms = arrays["topic_norms"]
        v, t = len(self.lemmas), len(self.topic_labels)
        self.topic_matrix = _sparse_from(arrays, "topic_matrix", (v, t))
        self.lsa_basis = arrays.get("lsa_basis")
        if self.idf.shape != (v,) or self.topic_norms.shape != (t,):
            raise ValueError("array shapes do not match the manifest")
        self.docs = {}
        entries = manifest["docs"]
        if [e["id"] for e in entries] != [d.id for d in docs]:
            raise ValueError("documents do not match the manifest")
        for i, (doc, entry) in enumerate(zip(docs, entries, strict=True)):
            units = [Unit(doc.id, eid, Kind(kind), int(depth), int(length), heading, bool(repealed))
                     for eid, kind, depth, length, heading, repealed in entry["units"]]
            n = len(units)
            f = DocFeatures(doc, units, _sparse_from(arrays, f"{i}.tfidf", (n, v)), arrays[f"{i}.topics"],
                            arrays[f"{i}.lengths"], list(entry["fuzz"]), arrays[f"{i}.vocab_mask"],
                            lsa=arrays.get(f"{i}.lsa"),
                            citations=list(entry["citations"]))
            if (f.topics.shape != (n, t) or f.lengths.shape != (n,) or f.vocab_mask.shape != (v,)
                    or len(f.fuzz_strings) != n or len(f.citations) != n):
                raise ValueError(f"arrays of {doc.id} do not match the manifest")
            missing = [u.eid for u in units if u.eid not in doc.index]
            if missing:
                raise ValueError(f"{doc.id} has no provision {missing[0]}")
            self.docs[doc.id] = f
        return self

    # -------------------------------------------------------------- queries

    def features(self, doc_id: str) -> DocFeatures:
        try:
            return self.docs[doc_id]
        except KeyError:
            known = ", ".join(sorted(self.docs)) or "none"
            raise NotFoundError(f"document {doc_id!r} is not in the index (indexed: {known})",
                                source=doc_id) from None

    def query_vector(self, lemmas: Sequence[str], roles: Sequence[str] = ()) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(TF-IDF row, raw count row) of free text's lemmas and role terms (:func:`role_terms`), weighted as
        a unit's are: role terms join the TF-IDF row (x :data:`ROLE_TF`), never the raw counts (which feed
        lengths and topics).  Terms unknown to the index are dropped (they cannot match any provision)."""
        def row(terms: Sequence[str]) -> dict[int, float]:
            counts: dict[int, float] = {}
            for x in terms:
                j = self.vocab.get(x)
                if j is not None:
                    counts[j] = counts.get(j, 0.0) + 1.0
            return counts

        words, named = row(lemmas), row(roles)
        both = {**words, **{j: words.get(j, 0.0) + c for j, c in named.items()}}
        zeros = np.zeros(len(both), dtype=np.int64)
        cols = np.fromiter(both, dtype=np.int64, count=len(both))
        tf = np.fromiter(both.values(), dtype=np.float64, count=len(both))
        boost = np.fromiter((ROLE_TF if j in named else 1.0 for j in both), dtype=np.float64, count=len(both))
        weighted = sp.csr_matrix(((1.0 + np.log(tf)) * self.idf[cols] * boost if len(cols) else tf, (zeros, cols)),
                                 shape=(1, len(self.vocab)))
        raw_cols = np.fromiter(words, dtype=np.int64, count=len(words))
        raw_tf = np.fromiter(words.values(), dtype=np.float64, count=len(words))
        raw = sp.csr_matrix((raw_tf, (np.zeros(len(words), dtype=np.int64), raw_cols)), shape=(1, len(self.vocab)))
        return weighted, raw


def role_terms(text: str, subnational: bool = False) -> list[str]:
    """The role terms of ``text`` (:data:`ROLE_PREFIX` + a :mod:`compare.roles` key), one per institution it
    names (and per broader role, when :data:`ROLE_BROADER`)."""
    if ROLE_BROADER:
        return roles_mod.tokens(text, subnational=subnational)
    return [ROLE_PREFIX + m.role.key for m in roles_mod.mentions(text, subnational=subnational)]


def _role_mask(lemmas: Sequence[str]) -> np.ndarray:
    return np.fromiter((x.startswith(ROLE_PREFIX) for x in lemmas), dtype=bool, count=len(lemmas))


def _check_unique(docs: Sequence[Document]) -> None:
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise NotFoundError(f"documents given twice: {sorted({i for i in ids if ids.count(i) > 1})}")


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


# ------------------------------------------------------------------ persistent cache

_MEMORY: OrderedDict[tuple[str, str], CorpusIndex] = OrderedDict()
_MEMORY_LOCK = threading.Lock()
_FINGERPRINTED = ("compare/index.py", "compare/roles.py", "compare/topics.py", "compare/ontology.py",
                  "compare/stemming.py", "compare/topic_cues.py", "compare/semantic.py",
                  "compare/cite.py", "compare/prototypes.py", "compare/data/topic_prototypes.npz",
                  "compare/vocabulary.py", "compare/data/topic_aliases.json", "compare/statutes.py",
                  "constitutions/language.py", "constitutions/spelling.py", "constitutions/citations.py",
                  "constitutions/resolve.py", "constitutions/headings.py", "constitutions/canonical.py",
                  "constitutions/model.py")
_PACKAGES = ("numpy", "scipy", "spacy", "spacy-lookups-data")


def clear_memory() -> None:
    """Forget the indexes :meth:`CorpusIndex.load_or_build` keeps in memory (the cache files stay)."""
    with _MEMORY_LOCK:
        _MEMORY.clear()


def _source_fingerprint() -> str:
    return digest_of(_FINGERPRINTED, _PACKAGES)


@cache
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def code_fingerprint() -> str:
    """A checksum of everything an index depends on besides the documents (see the module docstring)."""
    parts = [_source_fingerprint()]
    ontology = ontology_mod.default_path()
    if ontology is not None and ontology.is_file():
        st = ontology.stat()
        parts.append(_file_digest(str(ontology.resolve()), st.st_size, st.st_mtime_ns))
    else:
        parts.append("no-ontology")
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def document_fingerprint(doc: Document) -> str:
    """A checksum of a document's whole content (its serialised form)."""
    body = json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def cache_key(docs: Sequence[Document]) -> str:
    """The cache file name of an index of ``docs`` (in this order)."""
    payload = json.dumps({"format": CACHE_FORMAT, "code": code_fingerprint(),
                          "docs": [[d.id, document_fingerprint(d)] for d in docs]})
    return hashlib.blake2b(payload.encode(), digest_size=20).hexdigest()


def cache_dir() -> Path | None:
    """The cache folder (created if needed), or None when it cannot be created."""
    try:
        path = settings.home() / CACHE_FOLDER
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def cache_path(key: str) -> Path | None:
    folder = cache_dir()
    return folder / f"{key}.npz" if folder is not None else None


def _sparse_arrays(name: str, m: sp.csr_matrix) -> dict[str, np.ndarray]:
    m = sp.csr_matrix(m)
    return {f"{name}.data": m.data, f"{name}.indices": m.indices, f"{name}.indptr": m.indptr}


def _sparse_from(arrays, name: str, shape: tuple[int, int]) -> sp.csr_matrix:
    return sp.csr_matrix((arrays[f"{name}.data"], arrays[f"{name}.indices"], arrays[f"{name}.indptr"]), shape=shape)


_READ_ERRORS = (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile,
                UnicodeDecodeError, json.JSONDecodeError)


def _read(path: Path, key: str, docs: list[Document]) -> CorpusIndex | None:
    """The index stored at ``path``, or None when there is none or it is unusable (never raises)."""
    started = time.perf_counter()
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        manifest = json.loads(arrays.pop("manifest").tobytes().decode("utf-8"))
        if manifest.get("format") != CACHE_FORMAT or manifest.get("key") != key:
            return None
        index = CorpusIndex._restore(manifest, arrays, docs)
    except _READ_ERRORS:
        return None
    index.key = key
    index.loaded_from = path
    index.load_seconds = time.perf_counter() - started
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used: kept longest
    return index


def _write(index: CorpusIndex, path: Path) -> bool:
    """Save ``index`` at ``path`` atomically (temporary file, then ``os.replace``); False when the folder
    cannot be written (never raises)."""
    arrays = index._arrays()
    arrays["manifest"] = np.frombuffer(json.dumps(index._manifest(), ensure_ascii=False).encode("utf-8"),
                                       dtype=np.uint8)
    try:
        write_atomically(path, lambda fh: np.savez(fh, **arrays), sync=True)
    except OSError:
        return False
    _prune(path.parent)
    return True


def _prune(folder: Path) -> None:
    """Keep the :data:`CACHE_KEEP` most recently used indexes (``<key>.npz``) and what was saved beside each
    (``<key>.<name>.json`` or ``.npz``: :mod:`compare.matrix`, :mod:`compare.facets`); drop temporary files
    older than an hour."""
    try:
        npz = list(folder.glob("*.npz"))
        files = sorted((p for p in npz if "." not in p.stem), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
        kept = {f.stem for f in files[:CACHE_KEEP]}
        for extra in [*folder.glob("*.json"), *(p for p in npz if "." in p.stem)]:  # results saved beside an index
            if extra.name.split(".", 1)[0] not in kept:
                extra.unlink(missing_ok=True)
        now = time.time()
        for tmp in folder.glob(".*.tmp"):
            if now - tmp.stat().st_mtime > 3600:
                tmp.unlink(missing_ok=True)
    except OSError:
        pass
