"""Where Convene keeps its data and finds the corpus.

- ``CONVENE_HOME``: folder of the SQLite database (default: the user's data
  folder, e.g. ``~/.local/share/convene``).
- ``CONVENE_CORPUS``: folder of constitution texts used by tests, benchmarks
  and the app (default: ``../shared/corpus`` next to the repository checkout).
- ``CONVENE_AUTHOR``: who is making draft changes (default: the login name).

Settings are read from the environment each time they are asked for, so tests
can point them elsewhere with ``monkeypatch.setenv``.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from platformdirs import user_data_dir

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_FILE_BYTES = 32 * 1024 * 1024  # largest file a reader accepts


def home() -> Path:
    raw = os.environ.get("CONVENE_HOME")
    path = Path(raw).expanduser() if raw else Path(user_data_dir("convene", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path() -> Path:
    return home() / "convene.sqlite3"


def corpus_dir() -> Path | None:
    """The corpus folder, or None when there is none (a fresh machine)."""
    raw = os.environ.get("CONVENE_CORPUS")
    candidates = [Path(raw).expanduser()] if raw else [
        REPO_ROOT.parent / "shared" / "corpus",
        Path.cwd().parent / "shared" / "corpus",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    return None


def author() -> str:
    raw = os.environ.get("CONVENE_AUTHOR", "").strip()
    if raw:
        return raw
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "anonymous"
