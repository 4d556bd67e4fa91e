"""Real components, really started: the corpus imported into a fresh SQLite
home, ``streamlit run app.py`` served on 127.0.0.1, and Debian's Chromium
driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from convene.settings import REPO_ROOT
from tests.needs import need, need_encoder

CHROMIUM = os.environ.get("CONVENE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The studio tags topics as a user's does, with the sentence encoder (the import prepares the tags: about
# 2.5 minutes for the corpus on 2 cores); alignment leaves it out (tests/conftest.py) to keep the suite short.
STUDIO_ENV = {"CONVENE_TOPIC_SEMANTIC": "1"}


@pytest.fixture(scope="session")
def studio_home(tmp_path_factory, corpus_dir) -> Path:
    """A Convene home with the whole corpus imported, through the real command line."""
    need_encoder()  # the studio's topic tags use it
    home = tmp_path_factory.mktemp("studio-home")
    env = {**os.environ, **STUDIO_ENV, "CONVENE_HOME": str(home), "CONVENE_CORPUS": str(corpus_dir)}
    done = subprocess.run([sys.executable, "-m", "convene.cli", "import", str(corpus_dir)], env=env,
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert "us-ca" in done.stdout, done.stdout + done.stderr
    return home


@pytest.fixture(scope="session")
def studio_url(studio_home, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit-log") / "server.log"
    env = {**os.environ, **STUDIO_ENV, "CONVENE_HOME": str(studio_home), "CONVENE_AUTHOR": "e2e"}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def new_context(tmp_path):
    """Factory of fresh Chromium contexts (each its own profile folder)."""
    need(Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None,
          f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        contexts = []

        def make(name: str = "profile", **options):
            ctx = pw.chromium.launch_persistent_context(
                str(tmp_path / name), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 1000}, accept_downloads=True, **options)
            ctx.set_default_timeout(30_000)
            contexts.append(ctx)
            return ctx

        yield make
        for ctx in contexts:
            ctx.close()


@pytest.fixture
def shots(request) -> Path:
    """The test's output folder for screenshots (test-results/<test name>/)."""
    folder = REPO_ROOT / "test-results" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
