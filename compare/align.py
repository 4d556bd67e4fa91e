"""Clause alignment: for every provision of A, the provisions of B that address the same subject.

How a pair (q in A, c in B) is scored, all parts in [0, 1]:

- **lexical**: cosine of the TF-IDF lemma vectors (:mod:`compare.index`) in the
  *shared subspace* of the two documents, i.e. over the lemmas both documents
  use.  A term one document never uses ("Congress", "Oireachtas") cannot be
  matched, so it is not held against a match either: this is how institution
  names of different traditions stop dominating the comparison.
- **topical**: cosine of the Constitute topic vectors, which bridges
  vocabulary gaps ("freedom of speech" and "freedom of expression" share the
  topic ``express``).
- **fuzzy**: rapidfuzz ``token_sort_ratio`` of the two units' sorted lemma
  strings (``process.cdist``, ``default_process``, all cores), computed only
  for the pre-filtered candidates.
- **semantic** (optional, :mod:`compare.semantic`): embedding cosine.
- **length factor**: ``exp(-LENGTH_DECAY * |log(len_q / len_c)|)`` so that a
  long article or a three-word sub-paragraph cannot win on length alone; this
  is also what makes the comparison level-aware (an amendment meets sections,
  a whole article meets articles).

``score = length_factor * weighted mean of the parts``.

Candidates: the sparse lexical and topical products give a cheap score for
every unit of B; only the best :data:`CANDIDATES` per query are re-scored
with rapidfuzz (and the semantic model), so the cost grows with |A| x
:data:`CANDIDATES`, not with all pairs of strings.

**Counterpart verdict** (a null model, no fixed score): the cheap scores of a
query against all N units of B form its null distribution (almost all of them
are unrelated).  If B had no counterpart, the best of N unrelated scores would
lie near ``mean + sd * sqrt(2 ln N)`` (the expected maximum of N normal
draws).  B is judged to have a counterpart when the best match exceeds that
expected maximum by :data:`Z_MARGIN` standard deviations *and* the best match's
own best match back in A is the query or close to it (a reciprocal match,
within :data:`RECIPROCAL_RANK`).  Both criteria are relative to the pair of
documents, so they carry across document pairs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process, utils

from compare import index as index_mod
from compare import semantic as semantic_mod
from compare.cite import cite
from compare.index import CorpusIndex, DocFeatures, _l2_rows
from constitutions.model import Document
from convene.errors import ValidationError

W_LEXICAL, W_TOPICAL, W_FUZZY, W_SEMANTIC = 0.55, 0.20, 0.15, 0.35
LENGTH_DECAY = 0.12
CANDIDATES = 25
Z_MARGIN = 0.5
RECIPROCAL_RANK = 3
MAX_SHARED = 8
SENTENCE_DISCOUNT = 0.9


@dataclass(frozen=True, slots=True)
class Explanation:
    lexical: float
    topical: float
    fuzzy: float
    semantic: float | None
    length_factor: float
    shared_lemmas: tuple[str, ...]  # the shared lemmas that weigh most (IDF x frequency)
    shared_topics: tuple[str, ...]  # labels of topics both provisions address


@dataclass(frozen=True, slots=True)
class Match:
    eid: str
    citation: str
    score: float
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class Row:
    eid: str
    citation: str
    counterpart: bool
    matches: tuple[Match, ...]
    z: float  # how far the best match stands above the null distribution, in standard deviations
    expected_max_z: float  # where the best of N unrelated units would be expected


@dataclass(frozen=True, slots=True)
class Alignment:
    a: str
    b: str
    rows: tuple[Row, ...]
    seconds: float

    def to_json(self) -> dict:
        """The command line's JSON shape (scores rounded to 4 places)."""
        return {"a": self.a, "b": self.b, "rows": [
            {"id": r.eid, "citation": r.citation, "counterpart": r.counterpart,
             "matches": [{"id": m.eid, "citation": m.citation, "score": round(m.score, 4)} for m in r.matches]}
            for r in self.rows]}


# ------------------------------------------------------------------ scoring engine

@dataclass(frozen=True)
class Scored:
    """Scores of m queries against the units of one document."""

    cheap: np.ndarray  # m x N: length factor x (lexical, topical) mean, for every unit
    candidates: np.ndarray  # m x C unit rows, best cheap score first
    final: np.ndarray  # m x C full scores of those candidates
    parts: dict[str, np.ndarray]  # "lexical", "topical", "fuzzy", "semantic", "length": m x C each


def score_block(index: CorpusIndex, q_tfidf: sp.csr_matrix, q_topics: np.ndarray, q_lengths: np.ndarray,
                q_fuzz: Sequence[str], fb: DocFeatures, *, shared: np.ndarray | None,
                q_texts: Sequence[str] | None = None, b_texts: Sequence[str] | None = None,
                q_sentences: index_mod.Sentences | None = None, candidates: int = CANDIDATES) -> Scored:
    """The engine behind :func:`align` and :func:`compare.similar.similar` (see the module docstring).
    ``shared`` masks the vocabulary to the lemmas both sides use (None: the query side is free text, so
    only the query's lemmas unknown to B are dropped)."""
    m, n = q_tfidf.shape[0], len(fb.units)
    if m == 0 or n == 0:
        empty = np.zeros((m, 0))
        return Scored(np.zeros((m, n)), empty.astype(int), empty, {})
    if shared is not None:
        keep = sp.diags(shared.astype(np.float64))
        xq, xb = _l2_rows(sp.csr_matrix(q_tfidf @ keep)), _l2_rows(sp.csr_matrix(fb.tfidf @ keep))
    else:
        xq, xb = _l2_rows(sp.csr_matrix(q_tfidf @ sp.diags(fb.vocab_mask.astype(np.float64)))), fb.normalised
    lexical = np.asarray((xq @ xb.T).todense())
    tq = index_mod.topic_signal(q_topics)
    topical = tq @ fb.topics_normalised.T
    length = np.exp(-LENGTH_DECAY * np.abs(np.log(q_lengths)[:, None] - np.log(fb.lengths)[None, :]))
    cheap = length * (W_LEXICAL * lexical + W_TOPICAL * topical) / (W_LEXICAL + W_TOPICAL)
    best_sentence = None
    if q_sentences is not None and q_sentences.owner.size:
        best_sentence = _sentence_scores(q_sentences, shared, fb, topical, m)
        cheap = np.maximum(cheap, best_sentence)
    c = min(candidates, n)
    cand = np.argpartition(-cheap, c - 1, axis=1)[:, :c] if c < n else np.tile(np.arange(n), (m, 1))
    order = np.take_along_axis(cheap, cand, axis=1).argsort(axis=1)[:, ::-1]
    cand = np.take_along_axis(cand, order, axis=1)
    fuzzy = _fuzzy(q_fuzz, fb.fuzz_strings, cand)
    lex_c = np.take_along_axis(lexical, cand, axis=1)
    top_c = np.take_along_axis(topical, cand, axis=1)
    len_c = np.take_along_axis(length, cand, axis=1)
    sem_c = None
    if q_texts is not None and b_texts is not None and semantic_mod.available():
        sem_c = semantic_mod.pair_scores(q_texts, b_texts, cand)
    num = W_LEXICAL * lex_c + W_TOPICAL * top_c + W_FUZZY * fuzzy
    den = W_LEXICAL + W_TOPICAL + W_FUZZY
    if sem_c is not None:
        num, den = num + W_SEMANTIC * sem_c, den + W_SEMANTIC
    final = len_c * num / den
    if best_sentence is not None:
        final = np.maximum(final, np.take_along_axis(best_sentence, cand, axis=1))
    final = np.clip(final, 0.0, 1.0)
    parts = {"lexical": lex_c, "topical": top_c, "fuzzy": fuzzy, "length": len_c}
    if sem_c is not None:
        parts["semantic"] = sem_c
    return Scored(cheap, cand, final, parts)


def _sentence_scores(sents: index_mod.Sentences, shared: np.ndarray | None, fb: DocFeatures,
                     topical: np.ndarray, m: int) -> np.ndarray:
    """Per query unit and B unit, the best score of one of the query's sentences (x SENTENCE_DISCOUNT):
    a clause on several subjects can then match a provision on one of them."""
    mask = shared if shared is not None else fb.vocab_mask
    keep = sp.diags(mask.astype(np.float64))
    xs = _l2_rows(sp.csr_matrix(sents.tfidf @ keep))
    xb = _l2_rows(sp.csr_matrix(fb.tfidf @ keep)) if shared is not None else fb.normalised
    lex = np.asarray((xs @ xb.T).todense())
    length = np.exp(-LENGTH_DECAY * np.abs(np.log(sents.lengths)[:, None] - np.log(fb.lengths)[None, :]))
    scores = length * (W_LEXICAL * lex + W_TOPICAL * topical[sents.owner]) / (W_LEXICAL + W_TOPICAL)
    out = np.zeros((m, len(fb.units)))
    starts = np.flatnonzero(np.r_[True, np.diff(sents.owner) != 0])
    out[sents.owner[starts]] = np.maximum.reduceat(scores, starts, axis=0)
    return SENTENCE_DISCOUNT * out


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m, dtype=np.float64), where=norms > 0)


def _fuzzy(q_strings: Sequence[str], b_strings: Sequence[str], cand: np.ndarray) -> np.ndarray:
    """rapidfuzz token_sort_ratio / 100 of each query against each of its candidates.  With one query this is
    ``process.cdist``; with many it is its pairwise sibling ``process.cpdist`` over the (query, candidate)
    pairs only, on all cores: the full query x unit matrix is never computed."""
    if cand.size == 0:
        return np.zeros(cand.shape)
    # all cores for big batches; one thread for a single query (thread start-up would dominate)
    options = {"scorer": fuzz.token_sort_ratio, "processor": utils.default_process,
               "workers": -1 if cand.size >= 2000 else 1, "dtype": np.uint8}
    if len(q_strings) == 1:
        scores = process.cdist(list(q_strings), [b_strings[j] for j in cand[0]], **options)
        return np.asarray(scores, dtype=np.float64) / 100.0
    queries = [q_strings[i] for i in range(cand.shape[0]) for _ in range(cand.shape[1])]
    choices = [b_strings[j] for j in cand.ravel()]
    scores = process.cpdist(queries, choices, **options)
    return np.asarray(scores, dtype=np.float64).reshape(cand.shape) / 100.0


def null_z(cheap_row: np.ndarray, best: float) -> tuple[float, float]:
    """(z of ``best`` against the row's distribution, expected z of the maximum of N unrelated units)."""
    n = cheap_row.size
    if n < 2:
        return 0.0, math.inf
    mu, sd = float(cheap_row.mean()), float(cheap_row.std())
    z = (best - mu) / sd if sd > 0 else 0.0
    return z, math.sqrt(2 * math.log(n))


# ------------------------------------------------------------------ alignment

def align(a: Document, b: Document, *, top: int = 5, index: CorpusIndex | None = None) -> Alignment:
    """For every provision of ``a`` (every level) the ``top`` best provisions of ``b``, best first,
    with a counterpart verdict.  ``index`` (built over documents including both) is reused when given."""
    if top < 1:
        raise ValidationError(f"top must be at least 1, not {top}")
    started = time.perf_counter()
    if index is None or a.id not in index.docs or b.id not in index.docs:
        index = CorpusIndex([a, b] if a.id != b.id else [a])
    fa, fb = index.features(a.id), index.features(b.id)
    if not fa.units or not fb.units:
        rows = tuple(Row(u.eid, cite(a, u.eid), False, (), 0.0, math.inf) for u in fa.units)
        return Alignment(a.id, b.id, rows, time.perf_counter() - started)
    shared = fa.vocab_mask & fb.vocab_mask
    sem_texts = _texts(fa, fb)
    forward = score_block(index, fa.tfidf, fa.topics, fa.lengths, fa.fuzz_strings, fb, shared=shared,
                          q_texts=sem_texts[0], b_texts=sem_texts[1], q_sentences=index.sentences(a.id))
    backward = _best_back(index, fa, fb, shared, forward)
    rows = []
    for i, unit in enumerate(fa.units):
        picked = _diverse(forward, i, fb, top)
        matches = tuple(_match(index, b, fa, fb, forward, i, k, shared) for k in picked)
        counterpart, z, zmax = False, 0.0, math.inf
        if matches:
            best_row = forward.candidates[i, picked[0]]
            z, zmax = null_z(forward.cheap[i], float(forward.cheap[i, best_row]))
            counterpart = z >= zmax + Z_MARGIN and _reciprocal(i, best_row, backward, fa)
        rows.append(Row(unit.eid, cite(a, unit.eid), counterpart, matches, round(z, 3), round(zmax, 3)))
    return Alignment(a.id, b.id, tuple(rows), time.perf_counter() - started)


def _texts(fa: DocFeatures, fb: DocFeatures) -> tuple[list[str] | None, list[str] | None]:
    if not semantic_mod.available():
        return None, None
    return semantic_mod.unit_texts(fa), semantic_mod.unit_texts(fb)


def _best_back(index: CorpusIndex, fa: DocFeatures, fb: DocFeatures, shared: np.ndarray,
               forward: Scored) -> dict[int, np.ndarray]:
    """For each B unit that is some query's best candidate, the A units ranked by cheap score (best first)."""
    wanted = sorted({int(forward.candidates[i, 0]) for i in range(forward.candidates.shape[0])})
    if not wanted:
        return {}
    back = score_block(index, fb.tfidf[wanted], fb.topics[wanted], fb.lengths[wanted],
                       [fb.fuzz_strings[j] for j in wanted], fa, shared=shared, candidates=RECIPROCAL_RANK * 4)
    return {j: back.candidates[k] for k, j in enumerate(wanted)}


def _reciprocal(i: int, best_b: int, backward: dict[int, np.ndarray], fa: DocFeatures) -> bool:
    """The query, an ancestor or a descendant of it is among the best A units of its best match."""
    ranked = backward.get(int(best_b))
    if ranked is None:
        return True
    eid = fa.units[i].eid
    related = {eid} | set(fa.ancestry[i])
    return any(fa.units[int(k)].eid in related or eid in fa.ancestry[int(k)] for k in ranked[:RECIPROCAL_RANK])


def _diverse(scored: Scored, i: int, fb: DocFeatures, top: int) -> list[int]:
    """Candidate positions for query ``i`` by final score, skipping a unit nested in (or containing)
    a better-ranked pick, so five matches are five different places."""
    order = np.argsort(-scored.final[i], kind="stable")
    picked: list[int] = []
    chosen: list[int] = []
    for k in order:
        row = int(scored.candidates[i, k])
        eid = fb.units[row].eid
        if any(eid in fb.ancestry[r] or fb.units[r].eid in fb.ancestry[row] for r in chosen):
            continue
        picked.append(int(k))
        chosen.append(row)
        if len(picked) == top:
            break
    return picked


def _row(m: sp.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    start, end = m.indptr[i], m.indptr[i + 1]
    return m.indices[start:end], m.data[start:end]


def _match(index: CorpusIndex, b: Document, fa: DocFeatures | None, fb: DocFeatures, scored: Scored, i: int,
           k: int, shared: np.ndarray | None, q_row: sp.csr_matrix | None = None,
           q_topics: np.ndarray | None = None) -> Match:
    row = int(scored.candidates[i, k])
    unit = fb.units[row]
    parts = scored.parts
    q_idx, q_val = _row(q_row if q_row is not None else fa.tfidf, 0 if q_row is not None else i)
    b_idx, b_val = _row(fb.tfidf, row)
    common, qi, bi = np.intersect1d(q_idx, b_idx, assume_unique=True, return_indices=True)
    weights = q_val[qi] * b_val[bi]
    if shared is not None:
        weights = weights * shared[common]
    order = np.argsort(-weights, kind="stable")[:MAX_SHARED]
    top_lemmas = tuple(index.lemmas[common[j]] for j in order if weights[j] > 0)
    qt = q_topics if q_topics is not None else fa.topics[i]
    both = np.minimum(qt, fb.topics[row])
    topic_ids = [t for t in np.argsort(-both)[:3] if both[t] >= 0.3]
    shared_topics = tuple(index.tagger.ontology.topics[t].label for t in topic_ids)
    sem = parts.get("semantic")
    explanation = Explanation(
        lexical=round(float(parts["lexical"][i, k]), 4), topical=round(float(parts["topical"][i, k]), 4),
        fuzzy=round(float(parts["fuzzy"][i, k]), 4), semantic=None if sem is None else round(float(sem[i, k]), 4),
        length_factor=round(float(parts["length"][i, k]), 4), shared_lemmas=top_lemmas, shared_topics=shared_topics)
    return Match(unit.eid, cite(b, unit.eid), round(float(scored.final[i, k]), 6), explanation)
