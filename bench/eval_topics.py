"""Precision and recall of compare.topics tagging against tests/data/gold_topics.json.

Usage (from the repository root)::

    python bench/eval_topics.py [--details] [--gold PATH]

Reads each corpus file named by the labels once (CONVENE_CORPUS, default ../shared/corpus), tags
the whole document with ``compare.topics.tag_document`` and scores the tags of the labelled
provisions (see design/evaluation.py for the definitions).  Targets: precision >= 0.8, recall >= 0.7.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare.topics import tag_document
from constitutions.readers import read_path
from convene import settings
from design.evaluation import GOLD_PATH, load_gold, score

TARGET_PRECISION, TARGET_RECALL = 0.8, 0.7


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(GOLD_PATH))
    parser.add_argument("--details", action="store_true", help="print every label's misses and false positives")
    args = parser.parse_args(argv)
    corpus = settings.corpus_dir()
    if corpus is None:
        print("corpus folder not found: set CONVENE_CORPUS", file=sys.stderr)
        return 2
    labels = load_gold(args.gold)
    started = time.perf_counter()
    predictions: dict[tuple[str, str], tuple[str, ...] | None] = {}
    for source in sorted({label.source for label in labels}):
        doc = read_path(corpus / source)
        tags = tag_document(doc)
        for label in labels:
            if label.source == source:
                found = tags.get(label.eid)
                predictions[(label.doc, label.eid)] = None if found is None else tuple(s.key for s in found)
    elapsed = time.perf_counter() - started
    metrics = score(labels, predictions)
    print(f"labels: {len(labels)} provisions in {len({lb.source for lb in labels})} documents; "
          f"{metrics.required} required topics; {metrics.predicted} predicted ({elapsed:.1f} s)")
    print(f"precision: {metrics.precision:.3f}  ({metrics.correct}/{metrics.predicted}; target {TARGET_PRECISION})")
    print(f"recall:    {metrics.recall:.3f}  ({metrics.found}/{metrics.required}; target {TARGET_RECALL})")
    print(f"F1:        {metrics.f1:.3f}")
    for label in metrics.unresolved:
        print(f"UNRESOLVED: {label.doc} {label.eid} ({label.citation}) not produced by the reader")
    missed = Counter(k for o in metrics.outcomes for k in o.misses)
    wrong = Counter(k for o in metrics.outcomes for k in o.false_positives)
    print("most missed topics:", ", ".join(f"{k} x{n}" for k, n in missed.most_common(10)) or "none")
    print("most frequent false positives:", ", ".join(f"{k} x{n}" for k, n in wrong.most_common(10)) or "none")
    if args.details:
        for o in metrics.outcomes:
            print(f"{o.label.doc:3} {o.label.citation:22} gold={sorted(o.label.topics)} predicted={list(o.predicted)} "
                  f"missed={sorted(o.misses)} wrong={list(o.false_positives)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
