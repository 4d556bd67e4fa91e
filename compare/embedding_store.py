"""A persistent cache of sentence embeddings, keyed by model and text, in SQLite under ``CONVENE_HOME``.

The sentence encoder costs about half a millisecond per word piece on two cores, so a provision is
encoded once ever: its vector is kept in ``embeddings.sqlite3`` under the model's identity (name,
weights digest, truncation length) and a BLAKE2b digest of the exact text.  Nothing else is stored (no
text).  It is a cache: a missing, locked, read-only or damaged file only costs recomputation, never an
error, and never touches the corpus or draft database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from convene import settings

FILE_NAME = "embeddings.sqlite3"
_CHUNK = 500  # keys per SELECT (below SQLite's bound-parameter limit)


def _connect() -> sqlite3.Connection | None:
    try:
        conn = sqlite3.connect(settings.home() / FILE_NAME, timeout=5)
        conn.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL, "
                     "vector BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID")
        return conn
    except (sqlite3.Error, OSError):
        return None


def get_many(model: str, keys: Sequence[str], width: int) -> dict[str, np.ndarray]:
    """The stored vectors of those ``keys`` that have one of ``width`` float32 values."""
    conn = _connect()
    if conn is None or not keys:
        return {}
    found: dict[str, np.ndarray] = {}
    try:
        with conn:
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start:start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                for key, blob in conn.execute(f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                                              [model, *chunk]):
                    if isinstance(blob, bytes) and len(blob) == 4 * width:
                        found[key] = np.frombuffer(blob, dtype=np.float32).copy()
    except sqlite3.Error:
        return found
    finally:
        conn.close()
    return found


def put_many(model: str, items: Iterable[tuple[str, np.ndarray]]) -> bool:
    """Store the vectors; False (and nothing raised) when the cache cannot be written."""
    rows = [(model, key, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for key, v in items]
    conn = _connect()
    if conn is None:
        return False
    try:
        with conn:
            conn.executemany("INSERT OR REPLACE INTO vectors (model, key, vector) VALUES (?, ?, ?)", rows)
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def count(model: str | None = None) -> int:
    conn = _connect()
    if conn is None:
        return 0
    try:
        query, args = ("SELECT COUNT(*) FROM vectors", ()) if model is None else \
            ("SELECT COUNT(*) FROM vectors WHERE model = ?", (model,))
        return int(conn.execute(query, args).fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()
