"""Benchmark: import the whole corpus folder into a fresh store, show documents,
run searches.  Prints figures and MET/MISSED against the targets (whole corpus
< 20 s, show < 0.5 s, search < 50 ms).  Exits non-zero only on an error, never
on a missed target.

    python bench/bench_corpus.py [--corpus DIR] [--repeat N] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from constitutions.cli import document_json
from constitutions.importer import import_paths
from constitutions.store import Store
from convene import settings
from convene.errors import ConveneError

IMPORT_TARGET_S = 20.0
SHOW_TARGET_S = 0.5
SEARCH_TARGET_MS = 50.0
QUERIES = ("freedom of speech", "president", "right to vote", "habeas corpus", "equal protection of the laws",
           "amendment of the constitution", "taxation", "religion", "property", "emergency powers",
           '"due process"', "legislat*", "judges OR courts", "environment")


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def _pause_recorder(pauses: list[float]):
    """A ``gc.callbacks`` hook appending the length of each full (generation 2) collection, in ms, to ``pauses``."""
    started = [0.0]

    def record(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        elif info["generation"] == 2:
            pauses.append((time.perf_counter() - started[0]) * 1000)
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: CONVENE_CORPUS)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each search")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure peak Python allocations")
    args = parser.parse_args()
    corpus = args.corpus or settings.corpus_dir()
    if corpus is None:
        print("error: no corpus folder; set CONVENE_CORPUS or pass --corpus", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="convene-bench-") as tmp:
        os.environ["CONVENE_HOME"] = tmp  # a fresh default database: a first import, language analysis included
        store = Store()
        started = time.perf_counter()
        report = import_paths([str(corpus)], store=store)
        wall = time.perf_counter() - started
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        traced = ""
        if args.tracemalloc:  # a second import, traced (tracemalloc slows it down, so it is not the timed one)
            tracemalloc.start()
            import_paths([str(corpus)], store=Store(Path(tmp) / "traced.sqlite3"))
            traced = f", peak Python allocations {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB"
            tracemalloc.stop()
        docs = store.documents()
        print(f"corpus: {corpus}")
        print(f"import: {wall:.2f} s wall for {len(report.documents)} documents "
              f"({len(report.skipped)} files skipped, {len(report.failed)} failed)  "
              f"target < {IMPORT_TARGET_S:g} s: {verdict(wall < IMPORT_TARGET_S)}")
        print(f"memory: peak RSS {rss_mb:.0f} MB after the import{traced}")
        for item in report.failed:
            print(f"  FAILED {item.target}: {item.reason}")
        print(f"documents: {len(docs)}: " + ", ".join(f"{d.id} ({d.provisions:,} provisions, "
                                                       f"v{d.version_no}/{d.versions})" for d in docs))

        doc = rendered = None
        biggest = max(docs, key=lambda d: d.provisions, default=None)
        for doc_id in dict.fromkeys(x for x in ("us", biggest.id if biggest else None) if x):
            if doc_id not in {d.id for d in docs}:
                print(f"show {doc_id}: not imported")
                continue
            started = time.perf_counter()
            doc = store.get(doc_id)
            got = time.perf_counter() - started
            rendered = json.dumps(document_json(doc, store.citations(doc_id)), ensure_ascii=False)
            total = time.perf_counter() - started
            print(f"show {doc_id}: {total * 1000:.0f} ms (get {got * 1000:.0f} ms, render {len(rendered):,} "
                  f"chars of JSON)  target < {SHOW_TARGET_S:g} s: {verdict(total < SHOW_TARGET_S)}")

        # the searches are timed as a process serving them runs: with the import's and the renders' objects
        # released, not with a full garbage collection of the million objects they leave falling inside one
        # search (75 ms); collections during the searches are counted and printed all the same
        del report, doc, rendered
        gc.collect()
        pauses: list[float] = []
        gc.callbacks.append(_pause_recorder(pauses))
        timings: list[float] = []
        for query in QUERIES:
            runs = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                hits = store.search(query)
                runs.append((time.perf_counter() - started) * 1000)
            timings.extend(runs)
            top = ", ".join(f"{h.doc_id}:{h.citation or h.eid}" for h in hits[:3])
            print(f"  search {query!r}: {statistics.median(runs):.1f} ms median (max {max(runs):.1f}), "
                  f"{len(hits)} hits; top: {top}")
        gc.callbacks.pop()
        worst = max(timings)
        print(f"search: median {statistics.median(timings):.1f} ms, max {worst:.1f} ms over "
              f"{len(timings)} runs  target < {SEARCH_TARGET_MS:g} ms: {verdict(worst < SEARCH_TARGET_MS)}")
        print(f"  full garbage collections during the searches: {len(pauses)}"
              + (f", longest {max(pauses):.1f} ms" if pauses else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ConveneError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
