"""Speed of the comparison engine, in one run (figures printed; no assertions).

Everything runs in a fresh CONVENE_HOME, so the first figures are truly cold (no analyses in the
database, no index cache); "from disk" figures then read the persistent index cache
(:meth:`compare.index.CorpusIndex.load_or_build`) that the cold runs wrote.

1. US x California on its own (``align(us, ca)``, no index passed: the two-document index):
   cold (analyses and index built, index saved), warm in the same process (index in memory),
   from disk in the same process, and in a **fresh process** from disk (what a new CLI call or a
   restarted server pays; the process's imports and document reading are printed apart);
2. the whole-corpus index (11 constitutions): cold build (and save), rebuilt with the analyses
   cached, loaded from disk in this process and in a fresh process (with one US x California
   alignment over it there);
3. US x California over the corpus index (how the app and the CLI align: median of 5, warm);
4. one ``similar`` query against the whole corpus, warm (median of 20) and right after a load
   from disk (first query);
5. the same US x California alignment done naively with ``difflib.SequenceMatcher`` over all
   pairs of provisions, extrapolated from a random sample, and the ratio; plus the quality of
   that naive ranking on the gold set's US-California pairs (precision at 1, recall at 5)
   beside ours;
6. the command line: ``convene align us us-ca --json`` in a fresh process, wall time, the
   first time (index built over the imported documents and saved) and the next (index read from disk);
7. a provision of 100,000 characters: a free-text ``similar`` query of that size over the whole
   corpus, and the US text with one more amendment of that size aligned with California.

With the optional sentence encoder installed (the ``semantic`` extra; ``CONVENE_ALIGN_SEMANTIC=0``
leaves it out), a step 0 first encodes, in a fresh process, every text the later steps need (every
provision of the US text, the candidate units of the 11 documents, and what the topic tagger reads of
every provision for the alignment's topic profiles: own text, heading, ancestors' headings) into the
fresh home's embedding cache, and prints that one-time cost: the figures after it are those of a
machine that has encoded its corpus once (the encoder's vectors are cached per text, across index
rebuilds).  Step 6's new home gets a copy of that cache.

Run from the repository root: ``python bench/bench_align.py [--sample N]``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "--child" not in sys.argv:
    os.environ["CONVENE_HOME"] = tempfile.mkdtemp(prefix="convene-bench-")  # cold caches

STARTED = time.perf_counter()
from compare import embedding_store, roles, semantic, topics  # noqa: E402
from compare import index as index_mod  # noqa: E402
from compare.align import align  # noqa: E402
from compare.index import CorpusIndex  # noqa: E402
from compare.similar import similar  # noqa: E402
from constitutions import language  # noqa: E402
from constitutions.model import Document, Kind, Provision, renumber_eids  # noqa: E402
from constitutions.readers import read_path  # noqa: E402
from convene import settings  # noqa: E402

IMPORTED = time.perf_counter()
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


def child(kind: str) -> None:
    """A fresh process reading the index cache the parent wrote: prints its figures as JSON."""
    root = settings.corpus_dir()
    wanted = ["us", "us-ca"] if kind == "standalone" else list(FILES)
    docs, read = timed(lambda: {k: read_path(root / FILES[k]) for k in wanted})
    out = {"imports": IMPORTED - STARTED, "read": read}
    if kind == "standalone":
        result, out["align"] = timed(lambda: align(docs["us"], docs["us-ca"]))
    else:
        index, out["load"] = timed(lambda: CorpusIndex.load_or_build(list(docs.values())))
        out["from_disk"] = index.loaded_from is not None
        result, out["align"] = timed(lambda: align(docs["us"], docs["us-ca"], index=index))
    out["rows"] = len(result.rows)
    print(json.dumps(out))


def encode_needed() -> None:
    """Step 0, in a fresh process: the index is built in a scratch home (so the measured home's analyses
    and index stay cold), then the texts the benchmark needs are encoded into the measured home's cache."""
    measured = os.environ["CONVENE_HOME"]
    os.environ["CONVENE_HOME"] = tempfile.mkdtemp(prefix="convene-bench-scratch-")
    root = settings.corpus_dir()
    docs = {k: read_path(root / v) for k, v in FILES.items()}
    index = CorpusIndex(list(docs.values()))
    texts = semantic.readings(semantic.unit_texts(index.features("us")), semantic.unit_headings(index.features("us")))
    for f in index.docs.values():  # as written and by role (semantic.embed)
        every, headings, rows = semantic.unit_texts(f), semantic.unit_headings(f), np.flatnonzero(f.candidate_mask)
        texts += semantic.readings([every[j] for j in rows], [headings[j] for j in rows],
                                   subnational=roles.is_subnational(f.doc.title))
    for doc in docs.values():  # what the topic tagger encodes to give each provision its profile
        texts += [x for group in topics.provision_texts(doc) for x in group]
    texts += [r.generic for r in roles.ROLES]
    texts = list(dict.fromkeys(texts))
    os.environ["CONVENE_HOME"] = measured
    encoder = semantic._load_encoder()
    tokens = sum(len(t) for t in encoder.token_ids([t[:semantic.MAX_CHARS] for t in texts]))
    # the listed texts, then the ontology's topics (label and description, survey questions)
    _, seconds = timed(lambda: (semantic.encode(texts), topics.tagger().topic_embeddings))
    print(json.dumps({"texts": len(texts), "tokens": tokens, "seconds": seconds,
                      "stored": embedding_store.count(semantic.ENCODER_ID)}))


def run_child(kind: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind], capture_output=True, text=True, check=True,
                          env=dict(os.environ))
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=3000, help="provision pairs timed with difflib")
    parser.add_argument("--child", choices=("standalone", "corpus", "encode"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = settings.corpus_dir()
    if root is None:
        sys.exit("corpus folder not found: set CONVENE_CORPUS")
    if args.child == "encode":
        encode_needed()
        return
    if args.child:
        child(args.child)
        return
    docs = {k: read_path(root / v) for k, v in FILES.items()}
    us, ca = docs["us"], docs["us-ca"]
    print(f"cores: {os.cpu_count()}; index cache: {index_mod.cache_dir()}")

    if semantic.for_alignment():
        print("\n0. sentence encoder (all-MiniLM-L6-v2, NumPy), one-time: the texts the steps below need, "
              "encoded in a fresh process and cached")
        enc = run_child("encode")
        print(f"   {enc['texts']:,} texts, {enc['tokens']:,} word pieces in {enc['seconds']:.1f} s "
              f"({enc['tokens'] / enc['seconds']:,.0f} word pieces/s; {enc['stored']:,} vectors stored)")
    else:
        print(f"\n0. sentence encoder not used ({semantic.encoder_problem() or 'CONVENE_ALIGN_SEMANTIC=0'})")
    language.nlp()  # pipeline construction is a one-off per process, not part of any figure
    print("\n1. US x California, standalone align(us, us-ca) (the two-document index)")
    result, cold = timed(lambda: align(us, ca))
    _, warm = timed(lambda: align(us, ca))
    index_mod.clear_memory()
    _, disk = timed(lambda: align(us, ca))
    fresh = standalone = run_child("standalone")
    print(f"   {len(result.rows)} rows; cold (analysis, index build and save) {cold:.2f} s; warm {warm:.3f} s; "
          f"index from disk {disk:.3f} s")
    print(f"   fresh process, index from disk: align {fresh['align']:.3f} s "
          f"(+ imports {fresh['imports']:.2f} s, reading the two files {fresh['read']:.2f} s)")

    print("\n2. whole-corpus index")
    all_docs = list(docs.values())
    index, build_cold = timed(lambda: CorpusIndex.load_or_build(all_docs))
    language.clear_memory_cache()
    _, rebuilt = timed(lambda: CorpusIndex(all_docs))
    index_mod.clear_memory()
    index, load = timed(lambda: CorpusIndex.load_or_build(all_docs))
    assert index.loaded_from is not None
    size = index.loaded_from.stat().st_size / 1e6
    units = sum(len(f.units) for f in index.docs.values())
    fresh = run_child("corpus")
    print(f"   {len(all_docs)} documents, {units} provisions, {len(index.vocab)} lemmas")
    print(f"   cold build and save {build_cold:.2f} s (analyses of the 9 other documents included); rebuilt with "
          f"analyses cached {rebuilt:.2f} s; loaded from disk {load:.3f} s ({size:.0f} MB file)")
    print(f"   fresh process: load from disk {fresh['load']:.3f} s (from disk: {fresh['from_disk']}), then US x "
          f"California over it {fresh['align']:.3f} s (+ imports {fresh['imports']:.2f} s, reading 11 files "
          f"{fresh['read']:.2f} s)")

    print("\n3. US x California over the corpus index")
    align(us, ca, index=index)
    indexed = statistics.median(timed(lambda: align(us, ca, index=index))[1] for _ in range(5))
    print(f"   warm, median of 5: {indexed:.3f} s")

    print("\n4. similar, whole corpus")
    query = "judges serve a single term of twelve years"
    _, first = timed(lambda: similar(query, index=index))
    times = [timed(lambda: similar(query, index=index))[1] for _ in range(20)]
    print(f"   {len(index.docs)} documents: first query after the load {first * 1000:.0f} ms; warm median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")

    print("\n5. difflib baseline")
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
    print(f"   all pairs: {len(a_words)} x {len(b_words)} = {len(a_words) * len(b_words):,} pairs, "
          f"{per_pair * 1e3:.2f} ms per pair (sample of {len(pairs)}) -> {total:.0f} s extrapolated; "
          f"convene align over the index is {total / indexed:.0f}x faster (standalone from disk in a fresh "
          f"process: {total / standalone['align']:.0f}x; standalone cold: {total / cold:.0f}x)")

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
    print(f"   quality on the {n} US-California gold pairs: convene P@1 {ours_p1 / n:.2f} R@5 {ours_r5 / n:.2f}; "
          f"difflib P@1 {base_p1 / n:.2f} R@5 {base_r5 / n:.2f} ({time.perf_counter() - start:.0f} s of difflib)")

    print("\n6. command line, `convene align us us-ca --json` (US and California imported), fresh processes")
    first, again = cli_align_walls(root)
    print(f"   first run (index built and saved) {first:.2f} s wall; next runs (index from disk) "
          f"{statistics.median(again):.2f} s wall (median of {len(again)})")

    print("\n7. a provision of 100,000 characters")
    long_text, long_doc = huge_provision(us)
    fresh_texts = [timed(lambda k=k: similar(f"{long_text} v{k}", index=index))[1] for k in range(7)]
    repeated = [timed(lambda: similar(long_text, index=index))[1] for _ in range(7)]
    print(f"   similar with a {len(long_text):,}-character free-text query, whole corpus, warm index: median of 7 "
          f"new texts {statistics.median(fresh_texts) * 1000:.0f} ms (max {max(fresh_texts) * 1000:.0f}), "
          f"the same text again {statistics.median(repeated) * 1000:.0f} ms")
    _, long_cold = timed(lambda: align(long_doc, ca))
    _, long_warm = timed(lambda: align(long_doc, ca))
    print(f"   the US text with one more amendment of {len(long_text):,} characters against California, standalone: "
          f"cold {long_cold:.2f} s (its analysis and the two-document index built), warm {long_warm:.3f} s")


def huge_provision(us: Document) -> tuple[str, Document]:
    """100,000 characters of the US text's own sentences, as free text and as one more amendment of ``us``."""
    words = " ".join(loc.provision.text for loc in us.walk() if loc.provision.text.strip())
    text = (words + " ") * (100_000 // len(words) + 1)
    text = text[:100_000].rsplit(" ", 1)[0] + "."
    extra = Provision(eid="", kind=Kind.AMENDMENT, num="XXVIII", text=text)
    provisions = renumber_eids((*us.provisions, extra))
    return text, replace(us, id="us-long", provisions=provisions)


def cli_align_walls(root: Path) -> tuple[float, list[float]]:
    """Wall times of ``convene align us us-ca --json`` in fresh processes over a new home holding the two
    documents: the first run and three more."""
    env = dict(os.environ, CONVENE_HOME=tempfile.mkdtemp(prefix="convene-bench-cli-"))
    encoded = settings.home() / embedding_store.FILE_NAME
    if encoded.is_file():  # the encoder's one-time cost is step 0's figure
        shutil.copy(encoded, Path(env["CONVENE_HOME"]) / embedding_store.FILE_NAME)
    for name in ("us", "us-ca"):
        subprocess.run([sys.executable, "-m", "convene.cli", "import", str(root / FILES[name])], env=env, cwd=ROOT,
                       capture_output=True, check=True)

    def wall() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "convene.cli", "align", "us", "us-ca", "--json"], env=env, cwd=ROOT,
                       capture_output=True, check=True)
        return time.perf_counter() - start

    return wall(), [wall() for _ in range(3)]


if __name__ == "__main__":
    main()
