"""Fit compare.align's standardised fusion on the dev half of the gold set, and print its constants.

For every dev pair of the gold set (tests/data/gold_alignment.json, split as ``bench/eval_alignment.py``
splits it) the query is scored against every candidate unit of B with the engine's own parts
(:func:`compare.align.raw_parts`: ``words``, ``roles``, ``latent``, ``topical``, ``length`` and, when the
optional model is installed, ``semantic``).  Then:

1. ``PART_PRIOR``: for each part, the medians over the dev queries of its mean and sd over B's candidates;
2. ``FUSION``: the weights of the parts' z-scores (:func:`compare.align.standardise` with those priors),
   fitted by listwise softmax regression (the softmax over the candidates of B the query is offered, as
   ``compare.align`` offers them (like with like: a query holding no candidate unit is offered only the
   candidates holding none), of the weighted sum should put its mass on the gold targets), L2-regularised,
   by gradient descent from zero: no random state;
3. ``FUSED_MID`` and ``FUSED_SCALE``: the midpoint between the dev medians of the best fused value of
   queries whose top match is right and of no-counterpart queries, and half their gap, so a score of 0.5
   sits between the two and the two medians map to about 0.73 and 0.27 (a steeper curve would print
   1.000 for a strong match that is far from identical).

It prints, beside the fitted weights, the dev figures of a 5-fold cross-validation by query (each fold
scored with weights fitted on the other four), so the gain over the shipped constants can be judged on
data the weights did not see.  The test half is never read.  Run from the repository root:
``python bench/fit_alignment.py`` (then set the printed constants in compare/align.py and run
``bench/eval_alignment.py``, which chooses ``Z_COUNTERPART`` and ``NULL_PRIOR`` for them).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

os.environ.setdefault("CONVENE_ALIGN_SEMANTIC", "1")  # fit both ways when the optional model is installed

import eval_alignment as ev  # noqa: E402

from compare import align as al  # noqa: E402
from compare import semantic as semantic_mod  # noqa: E402
from compare import topic_profile  # noqa: E402
from compare.index import CorpusIndex  # noqa: E402
from compare.roles import is_subnational  # noqa: E402

L2 = 0.01
STEPS = 300
RATE = 0.5
FOLDS = 5
PLAIN_PARTS = ("words", "roles", "latent", "topical", "length")
# with the encoder, its topic profiles carry what roles and the lexical topics said (fitted with them, their
# weights were -0.09 and 0.03, within noise of zero in cross-validation), so they are left out
SEMANTIC_PARTS = ("words", "latent", "length", "semantic", "tagged")


def collect(cases, docs, index, semantic: bool) -> list[dict]:
    """Raw parts of every dev case's query against B's candidate units, with the gold target mask."""
    out = []
    for a_doc, b_doc in sorted({(c.a_doc, c.b_doc) for c in cases}):
        fa, fb = index.features(a_doc), index.features(b_doc)
        group = [c for c in cases if (c.a_doc, c.b_doc) == (a_doc, b_doc)]
        rows = np.array([fa.row(c.a_eid) for c in group])
        mask = fb.candidate_mask
        cols = np.flatnonzero(mask)
        sem = tagged = None
        if semantic:
            texts = semantic_mod.unit_texts(fa)
            sem, tagged = al.semantic_parts([texts[r] for r in rows], topic_profile.unit_profiles(fa)[rows], fb,
                                            [fa.units[r].heading for r in rows], is_subnational(fa.doc.title))
        raw = al.raw_parts(index, fa.tfidf[rows], fa.topics[rows], fb, shared=fa.vocab_mask & fb.vocab_mask,
                           semantic=sem, tagged=tagged)
        for k, c in enumerate(group):
            parts = {name: np.broadcast_to(v, (rows.size, len(fb.units)))[k][mask] for name, v in raw.items()}
            # standardised over every candidate, ranked and fitted over those the query is offered
            # (compare.align: like with like)
            offered = np.ones(cols.size, dtype=bool) if fa.holds_candidates[rows[k]] else fb.single_candidates[cols]
            eids = [fb.units[j].eid for j in cols[offered]]
            target = None if c.targets is None else np.array([ev.is_hit(e, c.targets) for e in eids], dtype=float)
            out.append({"case": c, "parts": parts, "offered": offered, "target": target, "eids": eids,
                        "ancestry": [fb.ancestry[j] for j in cols[offered]]})
    return out


def priors(data: list[dict], names: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """Each part's (median of the per-query means, median of the per-query sds) over B's candidates."""
    distinct = list({(d["case"].a_doc, d["case"].a_eid, d["case"].b_doc): d for d in data}.values())
    return {name: (round(float(np.median([d["parts"][name].mean() for d in distinct])), 4),
                   round(float(np.median([d["parts"][name].std() for d in distinct])), 4)) for name in names}


def features(data: list[dict], names: tuple[str, ...], prior: dict) -> list[np.ndarray]:
    out = []
    for d in data:
        everything = np.ones(d["offered"].size, dtype=bool)
        cols = [al.standardise(d["parts"][n][None, :], everything, prior[n])[0] for n in names]
        out.append(np.stack(cols, axis=1)[d["offered"]])
    return out


def fit(x: list[np.ndarray], y: list[np.ndarray], idx: list[int]) -> np.ndarray:
    """Listwise softmax regression: gradient descent on the mean cross-entropy between the softmax of
    ``x @ w`` over each query's candidates and the uniform distribution over its targets, plus L2."""
    w = np.zeros(x[0].shape[1])
    for _ in range(STEPS):
        grad = L2 * w
        for i in idx:
            s = x[i] @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += x[i].T @ (p - y[i] / y[i].sum()) / len(idx)
        w -= RATE * grad
    return w


def ranked(d: dict, scores: np.ndarray, top: int = 5) -> list[str]:
    """The best ``top`` eids, skipping a unit nested in (or containing) a better one, as compare.align does."""
    picked: list[int] = []
    for k in np.argsort(-scores, kind="stable"):
        if any(d["eids"][k] in d["ancestry"][r] or d["eids"][r] in d["ancestry"][k] for r in picked):
            continue
        picked.append(int(k))
        if len(picked) == top:
            break
    return [d["eids"][k] for k in picked]


def figures(data: list[dict], scores: dict[int, np.ndarray], idx: list[int]) -> str:
    p1, r5, rr = [], [], []
    for i in idx:
        c = data[i]["case"]
        hits = [ev.is_hit(e, c.targets) for e in ranked(data[i], scores[i])]
        p1.append(hits[0])
        r5.append(any(hits))
        rr.append(next((1 / (k + 1) for k, h in enumerate(hits) if h), 0.0))
    return f"P@1 {np.mean(p1):.3f}  R@5 {np.mean(r5):.3f}  MRR {np.mean(rr):.3f}  ({len(idx)} pairs)"


def run(cases, docs, index, semantic: bool) -> None:
    names = SEMANTIC_PARTS if semantic else PLAIN_PARTS
    data = collect(cases, docs, index, semantic)
    prior = priors(data, names)
    x = features(data, names, prior)
    y = [d["target"] for d in data]
    pos = [i for i, d in enumerate(data) if d["target"] is not None and d["target"].any()]
    fold = {i: hashlib.blake2b(data[i]["case"].a_eid.encode(), digest_size=8).digest()[0] % FOLDS for i in pos}
    held: dict[int, np.ndarray] = {}
    for f in range(FOLDS):
        w = fit(x, y, [i for i in pos if fold[i] != f])
        held.update({i: x[i] @ w for i in pos if fold[i] == f})
    weights = fit(x, y, pos)
    shipped = {}
    for i in pos:
        z = [al.standardise(data[i]["parts"][n][None, :], np.ones(data[i]["offered"].size, dtype=bool),
                            al.PART_PRIOR[semantic][n])[0] * al.FUSION[semantic].get(n, 0.0)
             for n in names if n in al.PART_PRIOR[semantic]]
        shipped[i] = np.sum(z, axis=0)[data[i]["offered"]]
    best_right = [float((x[i] @ weights).max()) for i in pos
                  if data[i]["target"][int(np.argmax(x[i] @ weights))]]
    best_none = [float((x[i] @ weights).max()) for i, d in enumerate(data) if d["target"] is None]
    right, none = float(np.median(best_right)), float(np.median(best_none))
    label = "with the semantic part" if semantic else "without the semantic part"
    print(f"{label}:")
    print(f"  dev, 5-fold cross-validated fit: {figures(data, held, pos)}")
    print(f"  dev, shipped constants:          {figures(data, shipped, pos)}")
    print(f"  FUSION[{semantic}] = {{{', '.join(f'{n!r}: {w:.2f}' for n, w in zip(names, weights, strict=True))}}}")
    print(f"  PART_PRIOR[{semantic}] = {{{', '.join(f'{n!r}: {prior[n]}' for n in names)}}}")
    print(f"  FUSED_MID, FUSED_SCALE = {(right + none) / 2:.2f}, {(right - none) / 2:.2f}  (median best fused: "
          f"right top matches {right:.2f}, no-counterpart cases {none:.2f})")


def main() -> None:
    gold = json.loads(ev.GOLD.read_text(encoding="utf-8"))
    cases = [c for c in ev.load_cases(gold) if c.split == "dev"]
    docs = ev.load_docs(sorted({c.a_doc for c in cases} | {c.b_doc for c in cases}))
    index = CorpusIndex.load_or_build(list(docs.values()))
    has_semantic = semantic_mod.for_alignment()
    run(cases, docs, index, False)
    if has_semantic:
        run(cases, docs, index, True)


if __name__ == "__main__":
    main()
