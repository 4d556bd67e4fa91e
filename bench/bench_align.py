"""Speed of the comparison engine, in one run (figures printed; no assertions).

1. aligning the US Constitution with California's on its own (the call builds a
   two-document index): cold (empty analysis cache, a fresh CONVENE_HOME) and warm;
2. building the whole-corpus index (11 constitutions), then aligning US with
   California over it (how the app and the CLI work: the index is built once);
3. one warm ``similar`` query against the whole corpus (median of 20);
4. the same US-California alignment done naively with ``difflib.SequenceMatcher``
   over all pairs of provisions, extrapolated from a random sample, and the ratio;
   plus the quality of that naive ranking on the gold set's US-California pairs
   (precision at 1, recall at 5) beside ours.

Run from the repository root: ``python bench/bench_align.py [--sample N]``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CONVENE_HOME"] = tempfile.mkdtemp(prefix="convene-bench-")  # cold caches

from compare.align import align  # noqa: E402
from compare.index import CorpusIndex  # noqa: E402
from compare.similar import similar  # noqa: E402
from constitutions import language  # noqa: E402
from constitutions.readers import read_path  # noqa: E402
from convene import settings  # noqa: E402

FILES = {
    "us": "us/HMAN-117-constitution.xml", "us-ca": "us-ca/CA Code - California Constitution.txt",
    "de": "germany/German_Federal_Republic_2012.txt", "ie": "ireland/Ireland_2012.txt", "jp": "japan/Japan_1946.txt",
    "ke": "kenya/Kenya_2010.txt", "in": "india/India_2012.txt", "ch": "switzerland/Switzerland_2002.txt",
    "ca": "canada/Canada_2011.txt", "np": "nepal", "za": "south-africa/constitution.json",
}
GOLD = ROOT / "tests" / "data" / "gold_alignment.json"


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=3000, help="provision pairs timed with difflib")
    args = parser.parse_args()
    root = settings.corpus_dir()
    if root is None:
        sys.exit("corpus folder not found: set CONVENE_CORPUS")
    docs = {k: read_path(root / v) for k, v in FILES.items()}
    us, ca = docs["us"], docs["us-ca"]
    print(f"cores: {os.cpu_count()}")

    language.nlp()  # pipeline construction is a one-off per process, not part of any figure
    result, cold = timed(lambda: align(us, ca))
    _, warm_db = timed(lambda: (language.clear_memory_cache(), align(us, ca)))
    _, warm = timed(lambda: align(us, ca))
    print(f"align us x us-ca: {len(result.rows)} rows; cold {cold:.2f} s, analyses from the database "
          f"{warm_db:.2f} s, warm {warm:.2f} s")

    language.clear_memory_cache()
    all_docs = list(docs.values())
    index, build_db = timed(lambda: CorpusIndex(all_docs))
    _, build_warm = timed(lambda: CorpusIndex(all_docs))
    units = sum(len(f.units) for f in index.docs.values())
    print(f"corpus index: {len(all_docs)} documents, {units} provisions, {len(index.vocab)} lemmas; "
          f"build {build_db:.2f} s (analyses cached in the database by the runs above: cold analysis of the "
          f"rest included), rebuilt warm {build_warm:.2f} s")
    align(us, ca, index=index)  # first use embeds California's provisions when the semantic part is on
    indexed = statistics.median(timed(lambda: align(us, ca, index=index))[1] for _ in range(5))
    print(f"align us x us-ca over the corpus index (warm, median of 5): {indexed:.2f} s")

    query = "judges serve a single term of twelve years"
    similar(query, index=index)
    times = []
    for _ in range(20):
        _, t = timed(lambda: similar(query, index=index))
        times.append(t)
    print(f"similar (warm, whole corpus, {len(index.docs)} documents): "
          f"median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms")

    a_units = [loc.provision for loc in us.walk() if loc.provision.full_text().strip()]
    b_units = [loc.provision for loc in ca.walk() if loc.provision.full_text().strip()]
    a_words = [p.full_text().split() for p in a_units]
    b_words = [p.full_text().split() for p in b_units]
    rng = random.Random(7)
    pairs = [(rng.randrange(len(a_words)), rng.randrange(len(b_words))) for _ in range(args.sample)]
    start = time.perf_counter()
    for i, j in pairs:
        difflib.SequenceMatcher(None, a_words[i], b_words[j], autojunk=False).ratio()
    per_pair = (time.perf_counter() - start) / len(pairs)
    total = per_pair * len(a_words) * len(b_words)
    print(f"difflib all pairs: {len(a_words)} x {len(b_words)} = {len(a_words) * len(b_words):,} pairs, "
          f"{per_pair * 1e3:.2f} ms per pair (sample of {len(pairs)}) -> {total:.0f} s extrapolated; "
          f"convene align over the index is {total / indexed:.0f}x faster (standalone warm: {total / warm:.0f}x)")

    gold = json.loads(GOLD.read_text())
    rows = {r.eid: r for r in align(us, ca, index=index).rows}
    b_index = {p.eid: k for k, p in enumerate(b_units)}
    ours_p1 = ours_r5 = base_p1 = base_r5 = n = 0
    start = time.perf_counter()
    for p in gold["pairs"]:
        if not (p["a"].startswith("us:") and p["b"][0].startswith("us-ca:")):
            continue
        n += 1
        targets = [b.split(":", 1)[1] for b in p["b"]]

        def hit(eid, targets=targets):
            return any(eid == t or eid.startswith(t + "__") for t in targets)

        eid = p["a"][3:]
        ours = [m.eid for m in rows[eid].matches]
        ours_p1 += bool(ours) and hit(ours[0])
        ours_r5 += any(hit(e) for e in ours[:5])
        q = us.get(eid).full_text().split()
        scores = [difflib.SequenceMatcher(None, q, w, autojunk=False).ratio() for w in b_words]
        ranked = sorted(range(len(scores)), key=lambda k: -scores[k])[:5]
        base_p1 += hit(b_units[ranked[0]].eid)
        base_r5 += any(hit(b_units[k].eid) for k in ranked)
    del b_index
    print(f"quality on the {n} US-California gold pairs: convene P@1 {ours_p1 / n:.2f} R@5 {ours_r5 / n:.2f}; "
          f"difflib P@1 {base_p1 / n:.2f} R@5 {base_r5 / n:.2f} ({time.perf_counter() - start:.0f} s of difflib)")


if __name__ == "__main__":
    main()
