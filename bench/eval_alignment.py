"""Quality of compare.align on the gold set (tests/data/gold_alignment.json), beside a naive baseline.

Prints, for US against California and for the cross-national pairs separately:
precision at 1, recall at 5, mean reciprocal rank, the share of right pairs
judged to have a counterpart, and the share of no-counterpart cases rejected.
A match is right when it is a listed target or a sub-provision of one.

Baseline: rapidfuzz ``token_set_ratio`` (``default_process``) of full texts,
ranking every provision of B; it rejects a no-counterpart case when its best
score is below the score that keeps 90% of the right top matches.

Run from the repository root: ``python bench/eval_alignment.py``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compare.align import align  # noqa: E402
from convene import settings  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold_alignment.json"
FILES = {
    "us": "us/HMAN-117-constitution.xml", "us-ca": "us-ca/CA Code - California Constitution.txt",
    "de": "germany/German_Federal_Republic_2012.txt", "ie": "ireland/Ireland_2012.txt", "jp": "japan/Japan_1946.txt",
    "ke": "kenya/Kenya_2010.txt", "in": "india/India_2012.txt", "ch": "switzerland/Switzerland_2002.txt",
    "ca": "canada/Canada_2011.txt", "np": "nepal", "za": "south-africa/constitution.json",
}


def load_docs(ids):
    from constitutions.readers import read_path

    root = settings.corpus_dir()
    if root is None:
        sys.exit("corpus folder not found: set CONVENE_CORPUS")
    return {i: read_path(root / FILES[i]) for i in ids}


def split(ref: str) -> tuple[str, str]:
    doc, eid = ref.split(":", 1)
    return doc, eid


def is_hit(match_eid: str, targets: set[str]) -> bool:
    return any(match_eid == t or match_eid.startswith(t + "__") for t in targets)


def main() -> None:
    gold = json.loads(GOLD.read_text())
    pairs, nulls = gold["pairs"], gold["no_counterpart"]
    ids = {split(p["a"])[0] for p in pairs} | {split(b)[0] for p in pairs for b in p["b"]}
    ids |= {split(n["a"])[0] for n in nulls} | {n["in"] for n in nulls}
    docs = load_docs(sorted(ids))
    cases = []  # (group, a_doc, a_eid, b_doc, targets or None)
    for p in pairs:
        a_doc, a_eid = split(p["a"])
        b_doc = split(p["b"][0])[0]
        group = "US-CA" if {a_doc, b_doc} == {"us", "us-ca"} else "cross-national"
        cases.append((group, a_doc, a_eid, b_doc, {split(b)[1] for b in p["b"]}))
    for n in nulls:
        a_doc, a_eid = split(n["a"])
        group = "US-CA" if {a_doc, n["in"]} == {"us", "us-ca"} else "cross-national"
        cases.append((group, a_doc, a_eid, n["in"], None))

    alignments = {}
    for a_doc, b_doc in sorted({(c[1], c[3]) for c in cases}):
        alignments[(a_doc, b_doc)] = {r.eid: r for r in align(docs[a_doc], docs[b_doc], top=5).rows}

    baseline_units = {}
    for doc_id, doc in docs.items():
        locs = [loc for loc in doc.walk() if loc.provision.full_text().strip()]
        baseline_units[doc_id] = ([loc.provision.eid for loc in locs], [loc.provision.full_text() for loc in locs])

    def baseline(a_doc, a_eid, b_doc):
        eids, texts = baseline_units[b_doc]
        scores = process.cdist([docs[a_doc].get(a_eid).full_text()], texts, scorer=fuzz.token_set_ratio,
                               processor=utils.default_process, workers=-1)[0]
        order = np.argsort(-scores, kind="stable")[:5]
        return [eids[k] for k in order], float(scores[order[0]])

    stats = defaultdict(lambda: defaultdict(list))
    failures = []
    for group, a_doc, a_eid, b_doc, targets in cases:
        row = alignments[(a_doc, b_doc)][a_eid]
        ours = [m.eid for m in row.matches]
        base, base_top = baseline(a_doc, a_eid, b_doc) if "--no-baseline" not in sys.argv else ([], 0.0)
        if targets is None:
            stats[group]["ours_reject"].append(not row.counterpart)
            stats[group]["base_null_top"].append(base_top)
            if row.counterpart:
                failures.append(f"  accepted a no-counterpart case: {a_doc}:{a_eid} in {b_doc} -> {ours[:1]}")
            continue
        for name, ranked in (("ours", ours), ("base", base)):
            ranks = [k for k, e in enumerate(ranked, 1) if is_hit(e, targets)]
            stats[group][f"{name}_p1"].append(bool(ranks and ranks[0] == 1))
            stats[group][f"{name}_r5"].append(bool(ranks))
            stats[group][f"{name}_mrr"].append(1.0 / ranks[0] if ranks else 0.0)
        stats[group]["ours_accept"].append(row.counterpart)
        stats[group]["base_true_top"].append(base_top)
        if not ours or not is_hit(ours[0], targets):
            failures.append(f"  {group}: {a_doc}:{a_eid} in {b_doc}: top {ours[:3]} want {sorted(targets)}"
                            f"{'' if row.counterpart else ' (no counterpart)'}")

    print(f"gold set: {len(pairs)} pairs, {len(nulls)} no-counterpart cases\n")
    print(f"{'group':<15} {'method':<22} {'n':>3} {'P@1':>6} {'R@5':>6} {'MRR':>6} {'accept':>7} {'reject':>9}")
    for group in ("US-CA", "cross-national"):
        s = stats[group]
        threshold = float(np.percentile(s["base_true_top"], 10)) if s["base_true_top"] else 0.0
        base_reject = [t < threshold for t in s["base_null_top"]]
        for name, label, reject, accept in (
                ("ours", "convene align", s["ours_reject"], s["ours_accept"]),
                ("base", "token_set_ratio", base_reject, [t >= threshold for t in s["base_true_top"]])):
            n = len(s[f"{name}_p1"])
            rej = f"{sum(reject)}/{len(reject)}" if reject else "-"
            print(f"{group:<15} {label:<22} {n:>3} {np.mean(s[f'{name}_p1']):>6.2f} {np.mean(s[f'{name}_r5']):>6.2f} "
                  f"{np.mean(s[f'{name}_mrr']):>6.2f} {np.mean(accept):>7.2f} {rej:>9}")
    all_reject = stats["US-CA"]["ours_reject"] + stats["cross-national"]["ours_reject"]
    print(f"\nno-counterpart rejection overall: {sum(all_reject)}/{len(all_reject)} = {np.mean(all_reject):.2f}")
    if "-v" in sys.argv:
        print("\nmisses:")
        print("\n".join(failures))


if __name__ == "__main__":
    main()
