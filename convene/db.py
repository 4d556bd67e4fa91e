"""One way to open the embedded SQLite database, shared by the corpus store and
the drafts store.  A connection per operation (connections must not cross
threads: Streamlit runs each session in its own), WAL journal so readers never
block the writer and a killed process leaves the last committed state intact."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from convene import settings
from convene.errors import StoreError

_WAL_RETRY_SECONDS = 5.0


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL.  While another process is creating the same database the
    switch fails at once with "database is locked" (busy_timeout does not apply
    to it), so retry for a few seconds."""
    deadline = time.monotonic() + _WAL_RETRY_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def connect(path: Path | str | None = None) -> sqlite3.Connection:
    target = Path(path) if path is not None else settings.database_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(target, timeout=30, isolation_level=None, check_same_thread=True)
        conn.row_factory = sqlite3.Row
        _enable_wal(conn)
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
