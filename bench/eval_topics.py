"""Precision and recall of compare.topics tagging against tests/data/gold_topics.json.

Usage (from the repository root)::

    python bench/eval_topics.py [--details] [--show-test] [--curve] [--gold PATH]

Reads each corpus file named by the labels once (CONVENE_CORPUS, default ../shared/corpus), tags
the whole document with ``compare.topics.tag_document`` and scores the tags of the labelled
provisions (see design/evaluation.py for the definitions), separately on the ``dev`` and ``test``
halves of the labels and on all of them, with each half's 95% (Wilson) intervals: on a hundred-odd
labels a figure is only known to a few points.  Targets: precision >= 0.8, recall >= 0.7.

Tune on dev only: ``--details`` lists the misses and false positives of dev labels; the test
half's are printed only with ``--show-test`` (for a final report, never for tuning).  ``--curve`` prints,
on dev only, what the decision scores allow whatever the rule: precision and recall when every topic
whose score (``compare.topics.document_scores``) reaches one global threshold is reported, and how
often a required topic is the best-scored topic, in the best 3 and in the best 10.  Also prints
whether the optional sentence encoder took part (``CONVENE_TOPIC_SEMANTIC=0`` leaves it out), the time of a
first pass over every provision of the labelled documents (analyses and embeddings computed unless
cached) and of a second pass (analyses and embeddings cached, tagger warm).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare import semantic
from compare.topics import clear_cache, document_scores, tag_document, tagger
from constitutions.readers import read_path
from convene import settings
from design.evaluation import GOLD_PATH, SPLITS, Metrics, load_gold, score, split_of, subtree_topics, wilson_interval

TARGET_PRECISION, TARGET_RECALL = 0.8, 0.7


def _line(name: str, m: Metrics) -> str:
    return (f"{name:5} labels {len(m.outcomes):3}  precision {m.precision:.3f} ({m.correct}/{m.predicted})  "
            f"recall {m.recall:.3f} ({m.found}/{m.required})  F1 {m.f1:.3f}")


def _intervals(name: str, m: Metrics) -> str:
    p, r = wilson_interval(m.correct, m.predicted), wilson_interval(m.found, m.required)
    return f"{name:5} 95% intervals: precision {p[0]:.3f}-{p[1]:.3f}  recall {r[0]:.3f}-{r[1]:.3f}"


def _details(m: Metrics) -> None:
    missed = Counter(k for o in m.outcomes for k in o.misses)
    wrong = Counter(k for o in m.outcomes for k in o.false_positives)
    print("  most missed topics:", ", ".join(f"{k} x{n}" for k, n in missed.most_common(12)) or "none")
    print("  most frequent false positives:", ", ".join(f"{k} x{n}" for k, n in wrong.most_common(12)) or "none")
    for o in m.outcomes:
        if o.misses or o.false_positives:
            print(f"  {o.label.doc:5} {o.label.citation:24} gold={sorted(o.label.topics)} "
                  f"predicted={list(o.predicted)} missed={sorted(o.misses)} wrong={list(o.false_positives)}")


def _curve(labels, docs) -> None:
    """The dev half's precision-recall curve over one global threshold, and the rank of required topics."""
    keys = [t.key for t in tagger().ontology.topics]
    dev = [lb for lb in labels if split_of(lb) == "dev"]
    scores = {}
    for source, doc in docs.items():
        wanted = {lb.eid for lb in dev if lb.source == source}
        if wanted:
            scores.update({(doc.id, eid): v for eid, v in document_scores(doc).items() if eid in wanted})
    print("dev precision-recall over one global threshold on the decision score (no relative, sibling or "
          "count rule):")
    for threshold in (0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4, 1.6):
        predictions = {k: tuple(keys[i] for i in np.nonzero(v >= threshold)[0]) for k, v in scores.items()}
        print(_line(f">={threshold}", score(dev, predictions)))
    ranks = []
    for lb in dev:
        v = scores.get((lb.doc, lb.eid))
        if v is not None:
            ranks.extend(int((v > v[keys.index(k)]).sum()) for k in lb.topics if k in keys)
    if ranks:
        r = np.array(ranks)
        print(f"dev required topics ranked 1st {np.mean(r == 0):.2f}, in the best 3 {np.mean(r < 3):.2f}, "
              f"in the best 10 {np.mean(r < 10):.2f} (of {len(r)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(GOLD_PATH))
    parser.add_argument("--details", action="store_true", help="print every dev label's misses and false positives")
    parser.add_argument("--curve", action="store_true",
                        help="dev precision-recall over one global threshold, and the rank of required topics")
    parser.add_argument("--show-test", action="store_true", help="also print the test labels' errors (not for tuning)")
    args = parser.parse_args(argv)
    corpus = settings.corpus_dir()
    if corpus is None:
        print("corpus folder not found: set CONVENE_CORPUS", file=sys.stderr)
        return 2
    labels = load_gold(args.gold)
    started = time.perf_counter()
    tagger()
    build = time.perf_counter() - started
    docs = {source: read_path(corpus / source) for source in sorted({label.source for label in labels})}
    started = time.perf_counter()
    for doc in docs.values():  # warm the language and embedding caches, so the timing below is the tagger's
        tag_document(doc)
    first = time.perf_counter() - started
    clear_cache()
    started = time.perf_counter()
    predictions: dict[tuple[str, str], tuple[str, ...] | None] = {}
    provisions = 0
    for source, doc in docs.items():
        tags = tag_document(doc)
        provisions += len(tags)
        keys = {eid: [s.key for s in found] for eid, found in tags.items()}
        for label in labels:
            if label.source == source:
                found = doc.index.get(label.eid)
                predictions[(label.doc, label.eid)] = (None if found is None
                                                       else subtree_topics(found.provision, keys))
    elapsed = time.perf_counter() - started
    print(f"labels: {len(labels)} provisions in {len(docs)} documents; tagger built in {build:.1f} s; "
          f"{provisions} provisions tagged in {first:.2f} s (first pass), {elapsed:.2f} s (cached analyses); "
          f"sentence encoder {'on' if semantic.for_topics() else 'off'}")
    print(f"targets: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}")
    by_split = {name: score([lb for lb in labels if split_of(lb) == name], predictions) for name in SPLITS}
    everything = score(labels, predictions)
    for name in SPLITS:
        print(_line(name, by_split[name]))
    print(_line("all", everything))
    for name in SPLITS:
        print(_intervals(name, by_split[name]))
    for label in everything.unresolved:
        print(f"UNRESOLVED: {label.doc} {label.eid} ({label.citation}) not produced by the reader")
    if args.curve:
        _curve(labels, docs)
    if args.details:
        print("dev errors:")
        _details(by_split["dev"])
    if args.show_test:
        print("test errors:")
        _details(by_split["test"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
