"""How well the topic explorer understands a free phrase: tests/data/gold_phrases.json scored.

Usage (from the repository root)::

    python bench/eval_phrases.py [--details] [--show-test]

Each gold phrase lists the Constitute topics that are right answers for it.  A phrase is looked up as
the explorer looks up one that is neither a topic nor a reform idea (:func:`design.explorer.phrase_topics`:
:func:`compare.topics.search_topics`, then the explorer's confidence rule, at most three topics).  Printed
separately for the ``dev`` half (even positions: tune there) and the held-out ``test`` half (odd positions)
and for all phrases:

- answered: the share of phrases for which some topic is returned (the others get "no topic matches");
- refused: of the phrases about nothing a constitution addresses (no right topic), the share left unanswered;
- first right: the share whose first returned topic is a right one (an unanswered phrase counts as wrong);
- any right: the share with a right topic among those returned;
- precision: right topics returned / all topics returned;
- ranked 1st / in best 3: how often a right topic leads / is among the best three of search_topics' full
  ranking, whatever the rule.

Also prints whether the optional sentence encoder took part (``CONVENE_TOPIC_SEMANTIC=0`` leaves it out).
``--details`` lists dev phrases with what was returned; test ones only with ``--show-test``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare import semantic
from compare.topics import search_topics
from design.explorer import phrase_topics

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold_phrases.json"


def _figures(name: str, rows: list[tuple[str, frozenset[str], tuple[str, ...], tuple[str, ...]]]) -> str:
    negative = [row for row in rows if not row[1]]
    refused = sum(1 for _, _, got, _ in negative if not got)
    rows = [row for row in rows if row[1]]
    n = len(rows)
    answered = sum(1 for _, _, got, _ in rows if got)
    first = sum(1 for _, right, got, _ in rows if got and got[0] in right)
    anyr = sum(1 for _, right, got, _ in rows if set(got) & right)
    returned = sum(len(got) for _, _, got, _ in rows)
    correct = sum(len(set(got) & right) for _, right, got, _ in rows)
    rank1 = sum(1 for _, right, _, ranking in rows if ranking[:1] and ranking[0] in right)
    best3 = sum(1 for _, right, _, ranking in rows if set(ranking[:3]) & right)
    precision = correct / returned if returned else 0.0
    return (f"{name:5} phrases {n:3}  answered {answered / n:.2f}  first right {first / n:.2f} ({first}/{n})  "
            f"any right {anyr / n:.2f}  precision {precision:.2f} ({correct}/{returned})  "
            f"ranked 1st {rank1 / n:.2f}  in best 3 {best3 / n:.2f}  refused {refused}/{len(negative)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--show-test", action="store_true")
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args(argv)
    phrases = json.loads(args.gold.read_text(encoding="utf-8"))["phrases"]
    print(f"{len(phrases)} phrases; sentence encoder {'on' if semantic.for_topics() else 'off'}")
    rows = {"dev": [], "test": []}
    for k, item in enumerate(phrases):
        right = frozenset(item["topics"])
        got = tuple(s.key for s in phrase_topics(item["phrase"]))
        ranking = tuple(s.key for s in search_topics(item["phrase"], limit=10))
        rows["dev" if k % 2 == 0 else "test"].append((item["phrase"], right, got, ranking))
    for name in ("dev", "test"):
        print(_figures(name, rows[name]))
    print(_figures("all", rows["dev"] + rows["test"]))
    for name in ("dev", "test"):
        if args.details and (name == "dev" or args.show_test):
            for phrase, right, got, ranking in rows[name]:
                mark = "ok " if got and got[0] in right else "-- "
                print(f"  {mark}{phrase!r:55} right={sorted(right)} returned={list(got)} ranking={list(ranking[:5])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
