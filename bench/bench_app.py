"""Benchmark of the drafting studio with the whole corpus imported.

- First render of every page on the real server (``streamlit run app.py`` on 127.0.0.1, Debian Chromium via
  Playwright): *cold* is the first visit after the server starts (nothing cached), *warm* a later visit from
  a new tab.  A page counts as rendered when its own result is visible (the comparison rows, the chart...).
- Common interactions through ``AppTest`` (the script run a click causes, server side): choose documents to
  compare, adopt a provision, edit and save, move, look up a topic across the corpus (a reform idea or a
  phrase, every document's provisions scored), change the calculator's rule.
- The corpus is imported as ``convene import`` does it: the comparison data (index, similarity matrix, topic
  tags) is prepared on disk right after the import (``--no-prepare``: the server must build it, and the first
  Compare and Insights results wait for that).
- Server memory: the Streamlit process's resident set (VmRSS in /proc) after every page was visited.

Targets: first render < 3 s cold and < 1 s warm; an interaction < 300 ms; server memory < 1 GB.  Prints the
figures and MET/MISSED; screenshots of the Compare and Draft pages go to bench/out/.  Exits non-zero only on
an error, never on a missed target.

    python bench/bench_app.py [--corpus DIR] [--out bench/out] [--no-prepare]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD_S, WARM_S, INTERACTION_S, MEMORY_MB = 3.0, 1.0, 0.3, 1024
CHROMIUM = os.environ.get("CONVENE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
# page -> a CSS selector of its own visible result
PAGES = {
    "Library": "[data-testid='stDataFrame']",
    "Compare": ".cmp-text",
    "Draft": ".draft-tree .line",
    "Export": "[data-testid='stDownloadButton']",
    "Insights": "table.bars",
    "Topics": "[data-testid='stSelectbox']",
    "Calculator": "table.bars",
}


def verdict(value: float, target: float) -> str:
    return "MET" if value < target else "MISSED"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(Path(env["CONVENE_HOME"]) / "server.log", "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
                               "--server.port", str(port), "--server.headless", "true",
                               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return server, url
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("streamlit did not start")


def browser_figures(url: str, draft_id: str, out: Path, server_pid: int) -> tuple[dict, dict, float, dict, dict]:
    from playwright.sync_api import expect, sync_playwright

    cold: dict[str, float] = {}
    warm: dict[str, list[float]] = {name: [] for name in PAGES}
    headings: dict[str, list[float]] = {name: [] for name in PAGES}  # page heading shown (cold first)
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                                                    viewport={"width": 1400, "height": 1000})
        ctx.set_default_timeout(180_000)
        expect.set_options(timeout=180_000)

        def visit(page, name: str) -> float:
            started = time.perf_counter()
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
            expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
            headings[name].append(time.perf_counter() - started)
            expect(page.locator(PAGES[name]).first).to_be_visible()
            return time.perf_counter() - started

        page = ctx.new_page()
        page.goto(f"{url}/?draft={draft_id}")
        expect(page.locator(PAGES["Library"]).first).to_be_visible()
        for name in [*PAGES, "Library"][1:]:  # every page once, Library last (it was the landing page)
            cold[name] = visit(page, name)
        for _ in range(3):
            tab = ctx.new_page()
            tab.goto(f"{url}/?draft={draft_id}")
            expect(tab.locator(PAGES["Library"]).first).to_be_visible()
            for name in [*PAGES, "Library"][1:]:
                warm[name].append(visit(tab, name))
            tab.close()
        memory = rss_mb(server_pid)
        first = {k: v[0] for k, v in headings.items()}
        warm_heading = {k: statistics.median(v[1:4]) for k, v in headings.items()}
        for name, fname in (("Compare", "compare.png"), ("Draft", "draft.png"), ("Insights", "insights.png"),
                            ("Calculator", "calculator.png")):
            visit(page, name)
            page.wait_for_timeout(1500)  # let every element of the page finish drawing
            page.screenshot(path=str(out / fname))
        ctx.close()
    return cold, {k: statistics.median(v) for k, v in warm.items()}, memory, first, warm_heading


def interaction_figures(draft_id: str) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from drafting.store import DraftStore

    def timed(fn) -> float:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started

    out: dict[str, list[float]] = {"choose documents": [], "adopt": [], "edit and save": [], "move": [],
                                   "topic query": [], "calculator rule": []}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["draft"] = draft_id
    at.run()
    at.switch_page("studio/pages/compare.py").run()
    for docs in (["us", "de"], ["us", "us-ca"]):  # warm the alignments first
        at.multiselect[0].set_value(docs).run()
    for docs in (["us", "de"], ["us", "us-ca"], ["us", "us-ca", "ie"], ["us", "us-ca"]):
        out["choose documents"].append(timed(lambda d=docs: at.multiselect[0].set_value(d).run()))
    for _ in range(3):
        adopt = next(b for b in at.button if b.label == "Adopt into draft")
        out["adopt"].append(timed(lambda b=adopt: b.click().run()))
    at.switch_page("studio/pages/draft.py").run()
    draft = DraftStore().get(draft_id)
    pid = next(iter(draft.tree)).id
    for i in range(3):
        at.text_area(key=f"text:{draft_id}:{pid}").input(f"Edited text, round {i}.")
        save = next(b for b in at.get("form_submit_button") if b.label == "Save")
        out["edit and save"].append(timed(lambda s=save: s.click().run()))
    for label in ("Move down", "Move up", "Move down"):
        button = next(b for b in at.button if b.label == label)
        out["move"].append(timed(lambda b=button: b.click().run()))
    at.switch_page("studio/pages/topics.py").run()
    at.text_input[0].input("Environmental protection").run()  # warm: every document's tags loaded
    for query in ("judges serve a fixed term", "proportional representation", "Environmental protection"):
        out["topic query"].append(timed(lambda q=query: at.text_input[0].input(q).run()))
    at.switch_page("studio/pages/calculator.py").run()
    for per in (2_000_000, 8_000_000, 500_000):
        out["calculator rule"].append(timed(lambda p=per: at.number_input[0].set_value(p).run()))
    if at.exception:
        raise SystemExit(f"the app raised: {[e.value for e in at.exception]}")
    return {k: statistics.median(v) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--no-prepare", dest="prepare", action="store_false",
                        help="import as the library function does, without `convene import`'s preparation step "
                             "(the server then builds the index, matrix and topic tags itself)")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="convene-bench-app-"))
    os.environ["CONVENE_HOME"] = str(home)
    os.environ.setdefault("CONVENE_AUTHOR", "bench")
    if options.corpus:
        os.environ["CONVENE_CORPUS"] = str(options.corpus)

    from constitutions.importer import corpus_import
    from drafting.store import DraftStore
    from studio.views import adoption

    started = time.perf_counter()
    report = corpus_import()
    print(f"corpus imported: {len(report.documents)} documents in {time.perf_counter() - started:.1f} s "
          f"({len(report.failed)} failed)")
    if options.prepare:  # what `convene import` does after importing
        from compare.prepare import prepare

        prepared = prepare()
        print("prepared for comparison: " + ", ".join(f"{s.name} {s.seconds:.1f} s" + ("" if s.ok else f" ({s.error})")
                                                     for s in prepared.steps))
    from constitutions.store import Store

    store = Store()
    drafts = DraftStore()
    draft = drafts.create("Bench draft")
    for ref, eid in (("us", "amdt_4"), ("us-ca", "art_1__sec_13"), ("us", "amdt_1")):
        draft = drafts.apply(draft.id, adoption(store.get(ref), eid), base=draft.revision)

    server, url = start_server(dict(os.environ))
    try:
        cold, warm, memory, first, warm_heading = browser_figures(url, draft.id, options.out, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    interactions = interaction_figures(draft.id)

    print("\nfirst render = the page heading and controls shown; result = the page's own result shown "
          "(comparison rows, chart, tree...)")
    print(f"{'page':<12}{'first cold':>11}  {'':7}{'first warm':>11}  {'':7}{'result cold':>12}  {'':7}"
          f"{'result warm':>12}")
    for name in PAGES:
        print(f"{name:<12}{first[name]:>11.2f}  {verdict(first[name], COLD_S):<7}{warm_heading[name]:>11.2f}  "
              f"{verdict(warm_heading[name], WARM_S):<7}{cold[name]:>12.2f}  {verdict(cold[name], COLD_S):<7}"
              f"{warm[name]:>12.2f}  {verdict(warm[name], WARM_S)}")
    print(f"\n{'interaction (AppTest script run)':<34}{'s':>7}")
    for name, seconds in interactions.items():
        print(f"{name:<34}{seconds:>7.3f}  {verdict(seconds, INTERACTION_S)}")
    print(f"\nserver memory with the whole corpus loaded: {memory:.0f} MB  {verdict(memory, MEMORY_MB)}")
    print(f"screenshots: {options.out / 'compare.png'}, {options.out / 'draft.png'}")


if __name__ == "__main__":
    main()
