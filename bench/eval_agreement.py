"""How far two people agree on the gold sets, beside how far the machine agrees with them.

A figure such as "topic precision .71 against a target of .80" means little until we know how often two careful
annotators agree: if they agreed only 75% of the time, the target would be out of any tagger's reach and the gap
would be noise in the gold.  A third annotator, working blind (neither gold nor machine output seen), answered a
random sample of the first annotator's cases again:

- ``tests/data/agreement_topics.json``: 65 labelled provisions (up to 6 per document).  Printed: that
  annotator's topics scored against the gold exactly as ``bench/eval_topics.py`` scores the tagger (precision:
  predicted topics in the gold's ``topics`` or ``also``; recall: the gold's ``topics`` found), the same the
  other way round, and the tagger on the same provisions against each annotator.
- ``tests/data/agreement_alignment.json``: 48 queries (30 cross-national pairs, 8 US-California pairs, 10
  no-counterpart cases).  Printed: the annotator's first counterpart is a gold target (or a sub-provision of
  one), one of their three is, and the no-counterpart cases they also found none for; and the matcher's P@1,
  R@5 and rejections on the same queries (with the sentence encoder when installed).

Run from the repository root: ``python bench/eval_agreement.py [--no-machine]`` (``--no-machine`` prints the
annotators' agreement alone, without tagging or aligning anything).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import eval_alignment as ea  # noqa: E402

from design.evaluation import GOLD_PATH, GoldLabel, Metrics, load_gold, score, subtree_topics  # noqa: E402

TOPICS = ROOT / "tests" / "data" / "agreement_topics.json"
ALIGNMENT = ROOT / "tests" / "data" / "agreement_alignment.json"


def _line(name: str, m: Metrics) -> str:
    return (f"  {name:38} precision {m.precision:.3f} ({m.correct}/{m.predicted})  "
            f"recall {m.recall:.3f} ({m.found}/{m.required})  F1 {m.f1:.3f}")


def topic_agreement(machine: bool) -> None:
    gold = {(lb.doc, lb.eid): lb for lb in load_gold(GOLD_PATH)}
    items = json.loads(TOPICS.read_text(encoding="utf-8"))["labels"]
    first = [gold[(x["doc"], x["eid"])] for x in items]
    third = [GoldLabel(lb.source, lb.doc, lb.eid, lb.citation, frozenset(x["topics"]), frozenset(x["also"]))
             for lb, x in zip(first, items, strict=True)]
    print(f"topics: {len(items)} provisions labelled by the first annotator (gold) and by a third, blind")
    print(_line("third annotator, scored on the gold", score(first, {(x["doc"], x["eid"]): x["topics"]
                                                                    for x in items})))
    print(_line("gold, scored on the third annotator", score(third, {(lb.doc, lb.eid): tuple(lb.topics)
                                                                    for lb in first})))
    if not machine:
        return
    from compare.topics import tag_document

    docs = ea.load_docs(sorted({lb.doc for lb in first}))
    predicted = {}
    for lb in first:
        doc = docs[lb.doc]
        keys = {eid: [s.key for s in found] for eid, found in tag_document(doc).items()}
        found = doc.index.get(lb.eid)
        predicted[(lb.doc, lb.eid)] = None if found is None else subtree_topics(found.provision, keys)
    print(_line("tagger, scored on the gold", score(first, predicted)))
    print(_line("tagger, scored on the third annotator", score(third, predicted)))


def alignment_cases() -> tuple[list[ea.Case], dict[ea.Case, tuple[str, ...]]]:
    """The sampled queries as eval_alignment cases (gold targets, or None), and the third annotator's answers."""
    gold = json.loads(ea.GOLD.read_text(encoding="utf-8"))
    targets: dict[tuple[str, str], set[str]] = {}
    for p in gold["pairs"]:
        for b in p["b"]:
            b_doc, b_eid = ea._ref(b)
            targets.setdefault((p["a"], b_doc), set()).add(b_eid)
    nothing = {(n["a"], n["in"]) for n in gold["no_counterpart"]}
    cases, answers = [], {}
    for x in json.loads(ALIGNMENT.read_text(encoding="utf-8"))["answers"]:
        key = (x["a"], x["in"])
        if key not in nothing and key not in targets:
            sys.exit(f"{ALIGNMENT}: {x['a']} in {x['in']} is not a gold case")
        a_doc, a_eid = ea._ref(x["a"])
        group = "US-CA" if {a_doc, x["in"]} == {"us", "us-ca"} else "cross-national"
        case = ea.Case(group, ea.split_of(x["a"]), a_doc, a_eid, x["in"],
                       None if key in nothing else frozenset(targets[key]))
        cases.append(case)
        answers[case] = tuple(ea._ref(b)[1] for b in x["b"])
    return cases, answers


def _counts(cases: list[ea.Case], ranked: dict[ea.Case, tuple[str, ...]], says_none: dict[ea.Case, bool],
            depth: int) -> str:
    pairs = [c for c in cases if c.targets is not None]
    nones = [c for c in cases if c.targets is None]
    first = sum(bool(ranked[c]) and ea.is_hit(ranked[c][0], c.targets) for c in pairs)
    within = sum(any(ea.is_hit(m, c.targets) for m in ranked[c][:depth]) for c in pairs)
    rejected = sum(says_none[c] for c in nones)
    return (f"first right {first}/{len(pairs)} ({first / len(pairs):.2f}), right within {depth} {within}/{len(pairs)}, "
            f"no-counterpart agreed {rejected}/{len(nones)}, said none of a real pair "
            f"{sum(says_none[c] for c in pairs)}/{len(pairs)}")


def alignment_agreement(machine: bool) -> None:
    cases, answers = alignment_cases()
    print(f"alignment: {len(cases)} gold cases answered again by a third annotator, blind")
    for group in ("cross-national", "US-CA", None):
        chosen = [c for c in cases if group is None or c.group == group]
        name = group or "both"
        print(f"  {name:15} third annotator: "
              + _counts(chosen, answers, {c: not answers[c] for c in chosen}, 3))
    if not machine:
        return
    docs = ea.load_docs(sorted(ea.FILES))
    os.environ.setdefault("CONVENE_ALIGN_SEMANTIC", "1")
    index = ea.CorpusIndex.load_or_build(list(docs.values()))
    outcomes = ea.run_convene(cases, docs, index)
    label = "matcher+encoder" if ea.semantic_mod.for_alignment() else "matcher"
    for group in ("cross-national", "US-CA", None):
        chosen = [c for c in cases if group is None or c.group == group]
        name = group or "both"
        print(f"  {name:15} {label}: " + _counts(chosen, {c: outcomes[c].ranked for c in chosen},
                                                  {c: not outcomes[c].verdict for c in chosen}, 5))


def main() -> None:
    machine = "--no-machine" not in sys.argv
    topic_agreement(machine)
    print()
    alignment_agreement(machine)


if __name__ == "__main__":
    main()
