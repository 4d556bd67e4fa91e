"""Benchmark of the drafting core: a 300-provision draft built from the corpus, 1,000 revisions.

    python bench/bench_drafts.py [--corpus-file "us-ca/CA Code - California Constitution.txt"]

Prints the mean and worst time per operation (adopt, write, edit, move, undo, redo), the time to
list the history, compare and restore revisions, and to export each format with and without the
provenance annex.  Targets: edit < 20 ms, each export < 2 s, PDF < 5 s.  Uses a throw-away
database (CONVENE_HOME in a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-file", default="us-ca/CA Code - California Constitution.txt")
    parser.add_argument("--provisions", type=int, default=300)
    parser.add_argument("--revisions", type=int, default=1000)
    args = parser.parse_args()

    os.environ["CONVENE_HOME"] = tempfile.mkdtemp(prefix="convene-bench-")
    from constitutions.model import Kind
    from constitutions.readers import read_path
    from convene import settings
    from drafting.export import FORMATS, export
    from drafting.history import compare_drafts
    from drafting.ops import Adopt, Edit, Move, Write
    from drafting.store import DraftStore

    corpus = settings.corpus_dir()
    if corpus is None or not (corpus / args.corpus_file).exists():
        print(f"corpus file not found ({args.corpus_file}); set CONVENE_CORPUS to the corpus folder")
        return 1
    t0 = time.perf_counter()
    doc = read_path(corpus / args.corpus_file)
    print(f"read {doc.id} ({doc.count()} provisions) in {time.perf_counter() - t0:.2f} s")

    times: dict[str, list[float]] = {k: [] for k in ("adopt", "write", "edit", "move", "undo", "redo")}
    store = DraftStore()
    draft = store.create("Benchmark draft")

    def timed(kind: str, fn, *args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        times[kind].append(time.perf_counter() - start)
        return result

    # 10 articles written new, then sections adopted under them (with subtrees) up to N provisions
    for i in range(10):
        op = Write(kind=Kind.ARTICLE, heading=f"Part {i + 1}", text="Introductory words.")
        draft = timed("write", store.apply, draft.id, op, base=draft.revision)
    articles = [p.id for p in draft.tree]
    sections = [loc.provision for loc in doc.walk() if loc.provision.kind is Kind.SECTION]
    k = 0
    while len(draft.nodes) < args.provisions and k < len(sections):
        src = sections[k]
        if len(draft.nodes) + sum(1 for _ in src.walk()) <= args.provisions:
            op = Adopt(doc.id, src, f"{doc.id}:{src.eid}", document_title=doc.title, parent=articles[k % 10])
            draft = timed("adopt", store.apply, draft.id, op, base=draft.revision)
        k += 1
    print(f"draft: {len(draft.nodes)} provisions after {draft.revision} revisions")
    ids = [n for n in draft.nodes if n not in articles]
    i = 0
    while draft.revision < args.revisions:
        i += 1
        pid = ids[(i * 7) % len(ids)]
        step = i % 10
        if step < 6:
            op = Edit(pid, text=draft.nodes[pid].text + f" amended {i}.")
            draft = timed("edit", store.apply, draft.id, op, base=draft.revision)
        elif step == 6:
            draft = timed("move", store.apply, draft.id, Move(pid, position=1), base=draft.revision)
        elif step == 7:
            op = Write(kind=Kind.SECTION, text=f"New rule {i}.", parent=articles[i % 10])
            draft = timed("write", store.apply, draft.id, op, base=draft.revision)
            store.apply(draft.id, Edit(articles[i % 10], rationale=f"note {i}"), base=draft.revision)
            draft = timed("undo", store.undo, draft.id)
        elif step == 8:
            draft = timed("undo", store.undo, draft.id)
        else:
            draft = timed("redo", store.redo, draft.id)
    draft = store.get(draft.id)
    print(f"final: {len(draft.nodes)} provisions, {draft.revision} revisions\n")
    print(f"{'operation':<12}{'count':>7}{'mean ms':>10}{'max ms':>10}")
    for kind, values in times.items():
        if values:
            print(f"{kind:<12}{len(values):>7}{statistics.mean(values) * 1000:>10.2f}{max(values) * 1000:>10.2f}")

    def once(label: str, fn) -> None:
        start = time.perf_counter()
        fn()
        print(f"{label:<40}{(time.perf_counter() - start) * 1000:>10.1f} ms")

    print()
    once("list history (1,000 revisions)", lambda: store.history(draft.id))
    once("read revision 500 (cold)", lambda: store.get(draft.id, 500))
    once("compare revisions 1 and latest", lambda: compare_drafts(store.get(draft.id, 1), store.get(draft.id)))
    once("restore revision 500", lambda: store.restore(draft.id, 500))
    draft = store.get(draft.id)
    print()
    from drafting.model import Draft as _Draft

    once("PDF warm-up (first use in a process)", lambda: export(_Draft(id="w", title="w"), "pdf"))
    for fmt in FORMATS:
        for provenance in (False, True):
            start = time.perf_counter()
            data = export(draft, fmt, provenance=provenance)
            elapsed = time.perf_counter() - start
            print(f"export {fmt:<5} {'with' if provenance else 'without':<7} provenance "
                  f"{elapsed * 1000:>10.1f} ms  {len(data):>10,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
