"""Quality of compare.align on the gold set (tests/data/gold_alignment.json), beside two baselines.

The gold set is split deterministically into a **dev** and a **test** half by a
hash of each case's query citation (``"a"``), so every pair and no-counterpart
case with the same query falls in the same half: constants of the matcher are
tuned on dev only, and test is the held-out estimate.  For each half (and all
cases), for US against California and for the cross-national pairs:

- P@1 (the top match is right), R@5 (a right match among the first five), MRR;
  a match is right when it is a listed target or a sub-provision of one (the counts printed with the
  intervals also give P@1 and R@5 counting a listed target itself only, "exact ids");
- ``places``: the mean share of a pair's right places (the gold often lists several: US Amendment V
  against California's sections on the accused and on takings) found among its first five matches;
- ``keep``: the share of pairs whose right top match is judged to have a
  counterpart, and ``reject``: the no-counterpart cases rejected.

Methods, every one ranking the provisions of B for each query:

- ``convene`` (``compare.align`` over one index of the whole corpus), with the
  optional sentence encoder when installed (``convene+semantic``; the first run encodes
  every provision it needs, a few minutes on two cores, then they are cached) and again
  without it; its verdict is the alignment's own ``counterpart``;
- ``tf-idf``: plain TF-IDF cosine over words (lower-cased ``\\w\\w+`` tokens,
  raw term frequency, smoothed IDF fitted on the units of the two documents);
- ``token_set``: rapidfuzz ``token_set_ratio`` (``default_process``) of full texts.

For the baselines (which have no verdict) a case is rejected when its best score
is below the highest threshold that keeps at least 90% of the right top matches *of the dev half*
(one threshold for all document pairs, as the issue measures it).  The same
dev-chosen threshold is printed for convene's verdict evidence (``Row.evidence``): it is
how ``compare.align.Z_COUNTERPART`` is chosen.  So are the medians, over the dev
half's queries, of the mean and sd of each query's scores against the other
candidate units of B (all but its best): ``compare.align.NULL_PRIOR``.  With the encoder,
``--verdict-weights`` prints, on the dev half only, the no-counterpart cases rejected at that
keep-90% threshold for each weight of the best match's encoder cosine in the evidence
(``compare.align.MEANING_WEIGHT`` is the smallest weight that rejects the most).  For the first method
(the encoder's when installed) the counts behind the held-out and overall figures are printed with
95% (Wilson) intervals: a few dozen queries measure a rate to within about ten points.

Run from the repository root:
``python bench/eval_alignment.py [-v] [--no-semantic] [--verdict-weights] [--gold PATH]``
(``-v`` lists the dev misses only: never tune on test failures; ``--gold`` measures another gold file of the
same shape, e.g. a set written later as a fresh estimate).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compare import semantic as semantic_mod  # noqa: E402
from compare import topic_profile  # noqa: E402
from compare.align import align, null_rows, score_block  # noqa: E402
from compare.index import CorpusIndex  # noqa: E402
from convene import settings  # noqa: E402
from design.evaluation import wilson_interval  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold_alignment.json"
FILES = {
    "us": "us/HMAN-117-constitution.xml", "us-ca": "us-ca/CA Code - California Constitution.txt",
    "de": "germany/German_Federal_Republic_2012.txt", "ie": "ireland/Ireland_2012.txt", "jp": "japan/Japan_1946.txt",
    "ke": "kenya/Kenya_2010.txt", "in": "india/India_2012.txt", "ch": "switzerland/Switzerland_2002.txt",
    "ca": "canada/Canada_2011.txt", "np": "nepal", "za": "south-africa/constitution.json",
}
GROUPS = ("US-CA", "cross-national")
SPLITS = ("dev", "test", "all")
KEEP = 0.9  # baselines' threshold keeps this share of the dev half's right top matches
WORD = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class Case:
    group: str
    split: str
    a_doc: str
    a_eid: str
    b_doc: str
    targets: frozenset[str] | None  # None: B has no counterpart


@dataclass(frozen=True)
class Outcome:
    ranked: tuple[str, ...]  # best first
    top_score: float  # convene: the verdict's evidence; baselines: the best score
    verdict: bool | None  # the method's own counterpart verdict, if it has one
    z: float = 0.0  # convene: the parts of its evidence (compare.align.verdict_evidence)
    meaning: float | None = None


def split_of(ref: str) -> str:
    """dev or test, from a hash of the query citation (stable across runs and machines)."""
    return "dev" if hashlib.blake2b(ref.encode(), digest_size=8).digest()[0] % 2 == 0 else "test"


def load_docs(ids):
    from constitutions.readers import read_path

    root = settings.corpus_dir()
    if root is None:
        sys.exit("corpus folder not found: set CONVENE_CORPUS")
    return {i: read_path(root / FILES[i]) for i in ids}


def _ref(ref: str) -> tuple[str, str]:
    doc, eid = ref.split(":", 1)
    return doc, eid


def load_cases(gold: dict) -> list[Case]:
    cases = []
    for p in gold["pairs"]:
        a_doc, a_eid = _ref(p["a"])
        b_doc = _ref(p["b"][0])[0]
        group = "US-CA" if {a_doc, b_doc} == {"us", "us-ca"} else "cross-national"
        cases.append(Case(group, split_of(p["a"]), a_doc, a_eid, b_doc, frozenset(_ref(b)[1] for b in p["b"])))
    for n in gold["no_counterpart"]:
        a_doc, a_eid = _ref(n["a"])
        group = "US-CA" if {a_doc, n["in"]} == {"us", "us-ca"} else "cross-national"
        cases.append(Case(group, split_of(n["a"]), a_doc, a_eid, n["in"], None))
    return cases


def is_hit(match_eid: str, targets: frozenset[str]) -> bool:
    return any(match_eid == t or match_eid.startswith(t + "__") for t in targets)


# ------------------------------------------------------------------ methods

def run_convene(cases: list[Case], docs: dict, index: CorpusIndex) -> dict[Case, Outcome]:
    out = {}
    for a_doc, b_doc in sorted({(c.a_doc, c.b_doc) for c in cases}):
        rows = {r.eid: r for r in align(docs[a_doc], docs[b_doc], top=5, index=index).rows}
        for c in cases:
            if (c.a_doc, c.b_doc) == (a_doc, b_doc):
                r = rows[c.a_eid]
                out[c] = Outcome(tuple(m.eid for m in r.matches), r.evidence, r.counterpart, r.z, r.meaning)
    return out


def null_medians(cases: list[Case], index: CorpusIndex) -> tuple[float, float]:
    """Medians over the dev half's distinct queries of the mean and sd of the query's scores against the other
    candidate units of B (every candidate but the best and the units nested in it or containing it,
    ``compare.align.null_rows``): the null prior of ``compare.align``."""
    means, sds = [], []
    for a_doc, b_doc in sorted({(c.a_doc, c.b_doc) for c in cases if c.split == "dev"}):
        fa, fb = index.features(a_doc), index.features(b_doc)
        rows = np.array(sorted({fa.row(c.a_eid) for c in cases
                                if c.split == "dev" and (c.a_doc, c.b_doc) == (a_doc, b_doc)}))
        texts = semantic_mod.unit_texts(fa) if semantic_mod.for_alignment() else None
        scored = score_block(index, fa.tfidf[rows], fa.topics[rows],
                             [fa.fuzz_strings[i] for i in rows], fb, shared=fa.vocab_mask & fb.vocab_mask,
                             q_texts=None if texts is None else [texts[i] for i in rows],
                             q_profiles=None if texts is None else topic_profile.unit_profiles(fa)[rows],
                             candidates=1, q_holds=fa.holds_candidates[rows],
                             q_headings=[fa.units[i].heading for i in rows])
        for k in range(rows.size):
            others = scored.cheap[k][null_rows(scored, k, fb)[1]]
            means.append(others.mean())
            sds.append(others.std())
    return float(np.median(means)), float(np.median(sds))


def _units(doc) -> tuple[list[str], list[str]]:
    locs = [loc for loc in doc.walk() if loc.provision.full_text().strip()]
    return [loc.provision.eid for loc in locs], [loc.provision.full_text() for loc in locs]


def run_tfidf(cases: list[Case], docs: dict) -> dict[Case, Outcome]:
    """Plain TF-IDF cosine over words, IDF fitted on the units of the two documents."""
    out = {}
    for a_doc, b_doc in sorted({(c.a_doc, c.b_doc) for c in cases}):
        a_eids, a_texts = _units(docs[a_doc])
        b_eids, b_texts = _units(docs[b_doc])
        vocab: dict[str, int] = {}
        rows = [Counter(vocab.setdefault(w, len(vocab)) for w in WORD.findall(t.lower())) for t in a_texts + b_texts]
        data = [v for r in rows for v in r.values()]
        cols = [k for r in rows for k in r]
        ptr = np.cumsum([0] + [len(r) for r in rows])
        tf = sp.csr_matrix((np.asarray(data, dtype=np.float64), cols, ptr), shape=(len(rows), len(vocab)))
        df = np.asarray((tf > 0).sum(axis=0)).ravel()
        idf = np.log((1 + len(rows)) / (1 + df)) + 1
        x = sp.csr_matrix(tf @ sp.diags(idf))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        x = sp.csr_matrix(sp.diags(1 / np.where(norms > 0, norms, 1)) @ x)
        xa, xb = x[: len(a_texts)], x[len(a_texts):]
        row_of = {e: i for i, e in enumerate(a_eids)}
        for c in cases:
            if (c.a_doc, c.b_doc) == (a_doc, b_doc):
                s = (xa[row_of[c.a_eid]] @ xb.T).toarray().ravel()
                order = np.argsort(-s, kind="stable")[:5]
                out[c] = Outcome(tuple(b_eids[k] for k in order), float(s[order[0]]), None)
    return out


def run_token_set(cases: list[Case], docs: dict) -> dict[Case, Outcome]:
    units = {d: _units(docs[d]) for d in {c.b_doc for c in cases}}
    out = {}
    for c in cases:
        eids, texts = units[c.b_doc]
        s = process.cdist([docs[c.a_doc].get(c.a_eid).full_text()], texts, scorer=fuzz.token_set_ratio,
                          processor=utils.default_process, workers=-1)[0]
        order = np.argsort(-s, kind="stable")[:5]
        out[c] = Outcome(tuple(eids[k] for k in order), float(s[order[0]]) / 100.0, None)
    return out


# ------------------------------------------------------------------ figures

def dev_threshold(cases: list[Case], outcomes: dict[Case, Outcome]) -> float:
    """The highest score that keeps at least KEEP of the dev half's right top matches."""
    right = [outcomes[c].top_score for c in cases if c.split == "dev" and c.targets is not None
             and outcomes[c].ranked and is_hit(outcomes[c].ranked[0], c.targets)]
    return float(np.quantile(right, 1 - KEEP, method="lower")) if right else 0.0  # keeps at least KEEP


def verdict_weights(cases: list[Case], outcomes: dict[Case, Outcome]) -> None:
    """Dev half only: for each weight of the encoder's cosine in the verdict's evidence, the keep-90% threshold
    and the no-counterpart cases it rejects (how ``compare.align.MEANING_WEIGHT`` is chosen)."""
    dev = [c for c in cases if c.split == "dev"]
    if any(outcomes[c].meaning is None for c in dev if outcomes[c].ranked):
        print("verdict weights: no encoder cosines (the encoder is off)")
        return
    print("dev verdict evidence z + w x cosine: w, threshold keeping 90% of dev's right top matches, rejected")
    for w in (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        weighed = {c: Outcome(o.ranked, o.z + w * (o.meaning or 0.0), None) for c, o in outcomes.items()}
        t = dev_threshold(dev, weighed)
        f = figures(dev, weighed, t)
        print(f"  w {w:4.1f}  threshold {t:6.3f}  keep {f['keep']:.3f}  rejected {f['reject'][0]}/{f['reject'][1]}")


def is_exact(match_eid: str, targets: frozenset[str]) -> bool:
    """The stricter reading: a match is right only when it is a listed target itself."""
    return match_eid in targets


def figures(cases: list[Case], outcomes: dict[Case, Outcome], threshold: float | None, hit=is_hit) -> dict:
    """P@1, R@5, MRR, places, keep and reject of ``cases``; the verdict is the method's own when threshold is
    None.  ``hit`` says whether a match is right (:func:`is_hit`, or :func:`is_exact`)."""
    p1, r5, mrr, places, keep, reject = [], [], [], [], [], []
    for c in cases:
        o = outcomes[c]
        accepted = o.verdict if threshold is None else o.top_score >= threshold
        if c.targets is None:
            reject.append(not accepted)
            continue
        ranks = [k for k, e in enumerate(o.ranked[:5], 1) if hit(e, c.targets)]
        p1.append(bool(ranks and ranks[0] == 1))
        r5.append(bool(ranks))
        mrr.append(1.0 / ranks[0] if ranks else 0.0)
        places.append(np.mean([any(hit(e, frozenset([t])) for e in o.ranked[:5]) for t in c.targets]))
        if ranks and ranks[0] == 1:
            keep.append(bool(accepted))
    def mean(xs: list) -> float:
        return float(np.mean(xs)) if xs else float("nan")

    return {"n": len(p1), "p1": mean(p1), "r5": mean(r5), "mrr": mean(mrr), "places": mean(places),
            "keep": mean(keep),
            "reject": (sum(reject), len(reject)), "p1_hits": sum(p1), "r5_hits": sum(r5)}


def print_table(cases: list[Case], results: dict[str, tuple[dict[Case, Outcome], float | None]]) -> None:
    print(f"{'split':<5} {'group':<15} {'method':<18} {'n':>3} {'P@1':>5} {'R@5':>5} {'MRR':>5} {'places':>6} "
          f"{'keep':>5} {'reject':>7}")
    for split in SPLITS:
        for group in (*GROUPS, "both"):
            chosen = [c for c in cases
                      if (split == "all" or c.split == split) and (group == "both" or c.group == group)]
            for name, (outcomes, threshold) in results.items():
                f = figures(chosen, outcomes, threshold)
                rej = f"{f['reject'][0]}/{f['reject'][1]}"
                print(f"{split:<5} {group:<15} {name:<18} {f['n']:>3} {f['p1']:>5.2f} {f['r5']:>5.2f} "
                      f"{f['mrr']:>5.2f} {f['places']:>6.2f} {f['keep']:>5.2f} {rej:>7}")
        print()


def print_intervals(cases: list[Case], name: str, outcomes: dict[Case, Outcome]) -> None:
    """Counts behind the held-out and overall figures of ``name``, with 95% (Wilson) intervals."""
    print(f"{name}: counts and 95% intervals")
    for split in ("test", "all"):
        for group in (*GROUPS, "both"):
            chosen = [c for c in cases
                      if (split == "all" or c.split == split) and (group == "both" or c.group == group)]
            f = figures(chosen, outcomes, None)
            n, (rejected, none) = f["n"], f["reject"]
            parts = []
            for label, k in (("P@1", f["p1_hits"]), ("R@5", f["r5_hits"])):
                lo, hi = wilson_interval(k, n)
                parts.append(f"{label} {k}/{n} ({lo:.2f}-{hi:.2f})")
            lo, hi = wilson_interval(rejected, none)
            parts.append(f"rejected {rejected}/{none} ({lo:.2f}-{hi:.2f})")
            exact = figures(chosen, outcomes, None, hit=is_exact)
            parts.append(f"exact ids: P@1 {exact['p1_hits']}/{n} R@5 {exact['r5_hits']}/{n}")
            print(f"  {split:<5} {group:<15} " + "  ".join(parts))


def gold_path() -> Path:
    """The gold file: ``--gold PATH`` when given, else :data:`GOLD`."""
    if "--gold" not in sys.argv:
        return GOLD
    at = sys.argv.index("--gold") + 1
    if at >= len(sys.argv):
        sys.exit("--gold needs a path")
    return Path(sys.argv[at])


def main() -> None:
    path = gold_path()
    print(f"gold file: {path}")
    gold = json.loads(path.read_text())
    cases = load_cases(gold)
    counts = Counter((c.split, c.group, c.targets is None) for c in cases)
    print(f"gold set: {len(gold['pairs'])} pairs, {len(gold['no_counterpart'])} no-counterpart cases")
    for split in ("dev", "test"):
        print(f"  {split}: " + ", ".join(f"{g} {counts[(split, g, False)]} pairs + {counts[(split, g, True)]} none"
                                         for g in GROUPS))
    docs = load_docs(sorted(FILES))
    os.environ["CONVENE_ALIGN_SEMANTIC"] = "0" if "--no-semantic" in sys.argv else "1"
    semantic = semantic_mod.for_alignment()
    index = CorpusIndex.load_or_build(list(docs.values()))
    results: dict[str, tuple[dict[Case, Outcome], float | None]] = {}
    priors = {}
    if semantic:
        results["convene+semantic"] = (run_convene(cases, docs, index), None)
        priors["convene+semantic"] = null_medians(cases, index)
    os.environ["CONVENE_ALIGN_SEMANTIC"] = "0"
    results["convene"] = (run_convene(cases, docs, index), None)
    priors["convene"] = null_medians(cases, index)
    tfidf = run_tfidf(cases, docs)
    results["tf-idf"] = (tfidf, dev_threshold(cases, tfidf))
    token_set = run_token_set(cases, docs)
    results["token_set"] = (token_set, dev_threshold(cases, token_set))
    print()
    print_table(cases, results)
    for name, (outcomes, threshold) in results.items():
        shown = dev_threshold(cases, outcomes) if threshold is None else threshold
        print(f"{name}: score keeping {KEEP:.0%} of dev's right top matches = {shown:.3f}")
    first = next(iter(results))
    print_intervals(cases, first, results[first][0])
    for name, (mean, sd) in priors.items():
        print(f"{name}: null prior (dev medians of the other candidates' scores) mean = {mean:.3f}, sd = {sd:.3f}")
    if "--verdict-weights" in sys.argv and semantic:
        verdict_weights(cases, results["convene+semantic"][0])
    if "-v" in sys.argv:
        name = next(iter(results))
        outcomes = results[name][0]
        print(f"\ndev misses of {name}:")
        for c in cases:
            o = outcomes[c]
            if c.split != "dev":
                continue
            if c.targets is None and o.verdict:
                print(f"  accepted no-counterpart {c.a_doc}:{c.a_eid} in {c.b_doc} -> {o.ranked[:1]} {o.top_score:.3f}")
            elif c.targets is not None and not (o.ranked and is_hit(o.ranked[0], c.targets)):
                print(f"  {c.group}: {c.a_doc}:{c.a_eid} in {c.b_doc}: top {list(o.ranked[:3])} "
                      f"want {sorted(c.targets)}{'' if o.verdict else ' (no counterpart)'}")


if __name__ == "__main__":
    main()
