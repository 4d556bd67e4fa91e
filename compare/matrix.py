"""Document-against-document similarity, for a heatmap, with the figures behind each cell.

For an ordered pair (A, B) every *provision-level* unit of A (articles,
sections and amendments, the units drafters compare) is scored against every
unit of B with the alignment engine (:func:`compare.align.score_block`, keeping
only the best candidate per unit).  The
figures:

- ``coverage``: the share of A's provision-level units whose best match in B
  stands out of its distribution enough to be a counterpart, by the alignment's
  own verdict (:func:`compare.align.evidence`);
- ``mean_best``: the mean best score, weighted by the units' lengths.

The cell score is the mean of the two directions' coverage (symmetric, in [0, 1],
1 on the diagonal).

:func:`cached_matrix` keeps the result beside the index in the persistent index
cache (a JSON file named after the index's cache key, the scoring code and the documents'
order, written atomically; an unreadable file is ignored and recomputed), so a
restarted app or a new ``convene matrix`` reads it instead of scoring every pair.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np

from compare.align import evidence, score_block, verdict_evidence
from compare.index import CorpusIndex, cache_dir
from constitutions.model import Document, Kind
from convene.files import write_atomically

PROVISION_KINDS = frozenset({Kind.ARTICLE, Kind.SECTION, Kind.AMENDMENT, Kind.PREAMBLE})


@dataclass(frozen=True, slots=True)
class PairFigures:
    a: str
    b: str
    units: int  # provision-level units of A compared
    counterparts: int
    coverage: float
    mean_best: float


@dataclass(frozen=True)
class Matrix:
    ids: tuple[str, ...]
    scores: tuple[tuple[float, ...], ...]  # symmetric, scores[i][j] for ids[i] x ids[j]
    pairs: tuple[PairFigures, ...]  # every ordered pair (a != b)
    seconds: float

    def to_json(self) -> dict:
        return {"ids": list(self.ids), "scores": [list(r) for r in self.scores],
                "pairs": [{"a": p.a, "b": p.b, "units": p.units, "counterparts": p.counterparts,
                           "coverage": round(p.coverage, 4), "mean_best": round(p.mean_best, 4)}
                          for p in self.pairs]}


def _provision_rows(index: CorpusIndex, doc_id: str) -> np.ndarray:
    f = index.features(doc_id)
    rows = [i for i, u in enumerate(f.units) if u.kind in PROVISION_KINDS and not u.repealed]
    if not rows:  # a document without articles or sections: compare its top-level units
        rows = [i for i, u in enumerate(f.units) if u.depth == 0]
    return np.asarray(rows, dtype=np.int64)


def pair_figures(index: CorpusIndex, a: str, b: str) -> PairFigures:
    fa, fb = index.features(a), index.features(b)
    rows = _provision_rows(index, a)
    if rows.size == 0 or not fb.units:
        return PairFigures(a, b, int(rows.size), 0, 0.0, 0.0)
    scored = score_block(index, fa.tfidf[rows], fa.topics[rows],
                         [fa.fuzz_strings[i] for i in rows], fb, shared=fa.vocab_mask & fb.vocab_mask, candidates=1,
                         q_holds=fa.holds_candidates[rows])
    best = scored.final.max(axis=1)
    found = 0
    for k in range(rows.size):
        z, meaning, threshold = evidence(scored, k, fb)
        found += verdict_evidence(z, meaning) >= threshold
    weights = fa.lengths[rows]
    return PairFigures(a, b, int(rows.size), int(found), found / rows.size,
                       float(np.average(best, weights=weights)))


def similarity_matrix(docs: Sequence[Document], *, index: CorpusIndex | None = None) -> Matrix:
    """Every document against every other (see the module docstring)."""
    started = time.perf_counter()
    if index is None:
        index = CorpusIndex.load_or_build(list(docs))
    ids = tuple(d.id for d in docs)
    pairs = {}
    for a in ids:
        for b in ids:
            if a != b:
                pairs[(a, b)] = pair_figures(index, a, b)
    scores = tuple(tuple(1.0 if a == b else round((pairs[(a, b)].coverage + pairs[(b, a)].coverage) / 2, 4)
                         for b in ids) for a in ids)
    return Matrix(ids, scores, tuple(pairs.values()), time.perf_counter() - started)


def _matrix_path(index: CorpusIndex, ids: Sequence[str]):
    folder = cache_dir()
    if index.key is None or folder is None:
        return None
    order = hashlib.blake2b("\n".join([_scoring_fingerprint(), *ids]).encode(), digest_size=8).hexdigest()
    return folder / f"{index.key}.matrix-{order}.json"


@cache
def _scoring_fingerprint() -> str:
    """A checksum of the scoring code the matrix depends on beyond the index (the index's key covers the rest)."""
    h = hashlib.blake2b(digest_size=16)
    for module in ("align.py", "matrix.py"):
        h.update((Path(__file__).parent / module).read_bytes())
    return h.hexdigest()


def _from_json(data: dict, ids: tuple[str, ...]) -> Matrix | None:
    if tuple(data["ids"]) != ids:
        return None
    scores = tuple(tuple(float(x) for x in row) for row in data["scores"])
    pairs = tuple(PairFigures(str(p["a"]), str(p["b"]), int(p["units"]), int(p["counterparts"]),
                              float(p["coverage"]), float(p["mean_best"])) for p in data["pairs"])
    if len(scores) != len(ids) or any(len(row) != len(ids) for row in scores):
        return None
    return Matrix(ids, scores, pairs, float(data["seconds"]))


def cached_matrix(docs: Sequence[Document], index: CorpusIndex) -> Matrix:
    """:func:`similarity_matrix` of ``docs`` over ``index``, read from the index cache when it holds it and
    saved there otherwise (only for an index that came through :meth:`CorpusIndex.load_or_build`, whose
    cache key names everything the index depends on; the file name adds the documents' order and a checksum
    of the scoring code, :mod:`compare.align` and this module).  Identical to :func:`similarity_matrix`'s result."""
    ids = tuple(d.id for d in docs)
    path = _matrix_path(index, ids)
    if path is not None:
        try:
            found = _from_json(json.loads(path.read_text(encoding="utf-8")), ids)
        except (OSError, ValueError, KeyError, TypeError):
            found = None
        if found is not None:
            return found
    result = similarity_matrix(docs, index=index)
    if path is not None:
        data = {"ids": list(result.ids), "scores": [list(r) for r in result.scores],
                "pairs": [asdict(p) for p in result.pairs], "seconds": result.seconds}
        body = json.dumps(data).encode("utf-8")
        with contextlib.suppress(OSError):  # no cache, then: the matrix is computed again next time
            write_atomically(path, lambda fh: fh.write(body))
    return result
