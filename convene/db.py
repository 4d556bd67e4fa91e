"""One way to open the embedded SQLite database, shared by the corpus store and
the drafts store.  A connection per operation (connections must not cross
threads: Streamlit runs each session in its own), WAL journal so readers never
block the writer and a killed process leaves the last committed state intact."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from convene import settings
from convene.errors import StoreError


def connect(path: Path | str | None = None) -> sqlite3.Connection:
    target = Path(path) if path is not None else settings.database_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(target, timeout=30, isolation_level=None, check_same_thread=True)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the database: {exc}", source=str(target)) from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection, *, immediate: bool = True) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (nothing half-written)."""
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


@contextmanager
def opened(path: Path | str | None = None) -> Iterator[sqlite3.Connection]:
    conn = connect(path)
    try:
        yield conn
    finally:
        conn.close()
