"""The corpus store: imported constitutions in the embedded SQLite database,
with FTS5 full-text search over their provisions.

Guarantees:

- Lossless: each version of a document is kept as its ``Document.to_dict`` JSON
  (zlib-compressed), so :meth:`Store.get` returns exactly what was added.
- No duplicates: adding a document whose source checksum is already stored for
  the same id is ``"unchanged"`` (if the reader now parses those bytes
  differently, the stored parse of that version is refreshed in place); a
  changed source becomes a new version.
- Current version: the version with the greatest ``Document.version`` (dates and
  years compared as dates, so ``"2021"`` beats ``"2016-09-14"``), ties going to
  the latest import.  Search and :meth:`Store.documents` see current versions only.
- Atomic: every write is one ``BEGIN IMMEDIATE`` transaction, so a crash or a
  concurrent import never leaves a half-written document.
- A connection per operation (never shared across threads).
- Search never raises on what a user types: the query is sanitised into
  phrases and terms; only :class:`~convene.errors.ConveneError` escapes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from constitutions.model import Document, check_doc_id
from convene import db, settings
from convene.errors import NotFoundError, StoreError, ValidationError

if TYPE_CHECKING:
    from constitutions.commentary import Commentary

__all__ = ["MARK_CLOSE", "MARK_OPEN", "AddResult", "DocumentInfo", "SearchHit", "Store", "version_key"]

MARK_OPEN = "«"  # snippet match markers
MARK_CLOSE = "»"

Outcome = Literal["new", "unchanged", "new-version"]


@dataclass(frozen=True, slots=True)
class AddResult:
    doc_id: str
    version_no: int
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One stored version of a document, without its provisions."""

    id: str
    title: str
    jurisdiction: str
    year: int | None
    version: str
    source: str
    format: str
    provisions: int  # number of provisions in the tree
    words: int
    imported_at: str  # ISO 8601, UTC
    version_no: int  # 1, 2, ... in import order
    versions: int  # how many versions of this id are stored
    current: bool  # whether this is the version search and show use

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SearchHit:
    doc_id: str
    eid: str
    citation: str
    kind: str
    heading: str
    snippet: str  # the matching passage, matches between MARK_OPEN and MARK_CLOSE
    score: float  # relevance, higher is better (negated bm25)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS corpus_versions (
    doc_id TEXT NOT NULL,
    version_no INTEGER NOT NULL,
    title TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    year INTEGER,
    version TEXT NOT NULL,
    version_key TEXT NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    checksum TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    provision_count INTEGER NOT NULL,
    word_count INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (doc_id, version_no),
    UNIQUE (doc_id, checksum)
);
CREATE TABLE IF NOT EXISTS corpus_current (
    doc_id TEXT PRIMARY KEY,
    version_no INTEGER NOT NULL,
    FOREIGN KEY (doc_id, version_no) REFERENCES corpus_versions (doc_id, version_no)
);
CREATE TABLE IF NOT EXISTS corpus_provisions (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    version_no INTEGER NOT NULL,
    ordinal INTEGER NOT NULL,
    eid TEXT NOT NULL,
    parent_eid TEXT,
    depth INTEGER NOT NULL,
    kind TEXT NOT NULL,
    num TEXT NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    citation TEXT NOT NULL,
    status TEXT NOT NULL,
    status_note TEXT NOT NULL,
    FOREIGN KEY (doc_id, version_no) REFERENCES corpus_versions (doc_id, version_no) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS corpus_provisions_by_doc ON corpus_provisions (doc_id, version_no, ordinal);
CREATE TABLE IF NOT EXISTS corpus_commentary (
    doc_id TEXT NOT NULL,
    publisher TEXT NOT NULL,
    checksum TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (doc_id, publisher)
);
CREATE VIRTUAL TABLE IF NOT EXISTS corpus_fts USING fts5(
    heading, text,
    content='corpus_provisions', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
"""

def version_key(version: str) -> str:
    """Sort key making ``Document.version`` strings comparable: the first date or
    year in it (``"rev. 2012"`` -> ``2012``, ``"2025-12-17"``) zero-padded to
    ``YYYY-MM-DD``, then the raw string.  Versions without a year sort first."""
    match = re.search(r"(?<!\d)(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?!\d)", version)
    if not match:
        return f"0000-00-00|{version}"
    year, month, day = match.group(1), match.group(2) or "0", match.group(3) or "0"
    return f"{year}-{int(month):02d}-{int(day):02d}|{version}"


class Store:
    """The corpus of imported documents.  ``path`` defaults to
    :func:`convene.settings.database_path` (read when the store is created)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else settings.database_path()

    # ------------------------------------------------------------ plumbing

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = db.connect(self.path)
        try:
            if conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('corpus_fts', 'corpus_commentary')"
                            ).fetchone()[0] < 2:
                conn.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")  # idempotent, serialised
            yield conn
        except sqlite3.Error as exc:
            raise StoreError(f"database error: {exc}", source=str(self.path)) from exc
        finally:
            conn.close()

    # ------------------------------------------------------------ writing

    def add(self, doc: Document, *, checksum: str) -> AddResult:
        """Store ``doc`` read from a source whose bytes hash to ``checksum``.

        Same checksum already stored for ``doc.id``: ``"unchanged"`` (no new
        version).  Otherwise a new version (``"new"`` for an unknown id,
        ``"new-version"`` for a known one).  One transaction."""
        from constitutions.canonical import canonical_citations

        check_doc_id(doc.id, source=doc.source)
        body = json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        citations = canonical_citations(doc)
        # the parse and its citations: a reader or citation-style change refreshes a re-imported version
        body_hash = hashlib.sha256(body + json.dumps(citations, sort_keys=True).encode("utf-8")).hexdigest()
        rows = [
            (loc.provision.eid, loc.parent.eid if loc.parent else None, loc.depth, loc.provision.kind.value,
             loc.provision.num, loc.provision.heading, loc.provision.text, citations.get(loc.provision.eid, ""),
             loc.provision.status.state.value, loc.provision.status.note)
            for loc in doc.walk()
        ]
        packed = zlib.compress(body, 6)
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._connect() as conn, db.transaction(conn):
            found = conn.execute("SELECT version_no, body_hash FROM corpus_versions WHERE doc_id = ? AND checksum = ?",
                                 (doc.id, checksum)).fetchone()
            if found is not None:
                vno = found["version_no"]
                if found["body_hash"] != body_hash:  # same source, improved reader: refresh the parse
                    indexed = self._current_of(conn, doc.id) == vno
                    self._drop_rows(conn, doc.id, vno, indexed=indexed)
                    self._write_version(conn, doc, vno, checksum, body_hash, packed, rows, now, update=True)
                    self._insert_rows(conn, doc.id, vno, rows)
                    self._update_current(conn, doc.id, reindex_version=vno if indexed else None)
                return AddResult(doc.id, vno, "unchanged")
            last = conn.execute("SELECT MAX(version_no) FROM corpus_versions WHERE doc_id = ?", (doc.id,)).fetchone()[0]
            vno = (last or 0) + 1
            self._write_version(conn, doc, vno, checksum, body_hash, packed, rows, now, update=False)
            self._insert_rows(conn, doc.id, vno, rows)
            self._update_current(conn, doc.id)
        return AddResult(doc.id, vno, "new" if vno == 1 else "new-version")

    def add_commentary(self, commentary: Commentary, *, checksum: str) -> Outcome:
        """Store a publisher's commentary on ``commentary.doc_id`` (the document need not be imported yet):
        ``"new"``, ``"unchanged"`` (same source checksum and the same reading of it) or ``"new-version"`` (it
        replaces that publisher's earlier commentary on the document).  One transaction."""
        check_doc_id(commentary.doc_id, source=commentary.source)
        body = zlib.compress(json.dumps(commentary.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"), 6)
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._connect() as conn, db.transaction(conn):
            found = conn.execute("SELECT checksum, body FROM corpus_commentary WHERE doc_id = ? AND publisher = ?",
                                 (commentary.doc_id, commentary.publisher)).fetchone()
            if found is not None and found["checksum"] == checksum and found["body"] == body:
                return "unchanged"
            conn.execute("INSERT INTO corpus_commentary (doc_id, publisher, checksum, source, imported_at, body) "
                         "VALUES (?,?,?,?,?,?) ON CONFLICT (doc_id, publisher) DO UPDATE SET "
                         "checksum = excluded.checksum, source = excluded.source, "
                         "imported_at = excluded.imported_at, body = excluded.body",
                         (commentary.doc_id, commentary.publisher, checksum, commentary.source, now, body))
        return "new" if found is None else "new-version"

    def commentary(self, doc_id: str) -> tuple[Commentary, ...]:
        """Every publisher's commentary on ``doc_id`` (none: an empty tuple), by publisher, its references
        matched to the eIds of the document's current version when it is imported
        (:meth:`~constitutions.commentary.Commentary.matched_to`)."""
        from constitutions.commentary import Commentary

        with self._connect() as conn:
            rows = conn.execute("SELECT body, source FROM corpus_commentary WHERE doc_id = ? ORDER BY publisher",
                                (doc_id,)).fetchall()
            eids = [r[0] for r in conn.execute(
                "SELECT p.eid FROM corpus_provisions p JOIN corpus_current c ON c.doc_id = p.doc_id "
                "AND c.version_no = p.version_no WHERE p.doc_id = ?", (doc_id,))] if rows else []
        out = []
        for row in rows:
            try:
                stored = Commentary.from_dict(json.loads(zlib.decompress(row["body"])))
            except (zlib.error, ValueError, KeyError, TypeError) as exc:
                raise StoreError(f"stored commentary on {doc_id} is unreadable ({exc}); import it again",
                                 source=row["source"]) from None
            out.append(stored.matched_to(eids) if eids else stored)
        return tuple(out)

    def delete(self, doc_id: str) -> int:
        """Remove every version of ``doc_id``; returns how many were removed.  Commentary on it is kept (it is
        its publisher's, imported on its own, and applies again when the document is re-imported)."""
        with self._connect() as conn, db.transaction(conn):
            current = self._current_of(conn, doc_id)
            if current is None:
                raise self._not_found(conn, doc_id)
            self._unindex(conn, doc_id, current)
            conn.execute("DELETE FROM corpus_current WHERE doc_id = ?", (doc_id,))
            conn.execute("DELETE FROM corpus_provisions WHERE doc_id = ?", (doc_id,))
            return conn.execute("DELETE FROM corpus_versions WHERE doc_id = ?", (doc_id,)).rowcount

    @staticmethod
    def _write_version(conn, doc: Document, vno: int, checksum: str, body_hash: str, packed: bytes,
                       rows: list, now: str, *, update: bool) -> None:
        words = sum(len(r[5].split()) + len(r[6].split()) for r in rows)
        values = (doc.title, doc.jurisdiction, doc.year, doc.version, version_key(doc.version), doc.source,
                  doc.format, body_hash, len(rows), words, packed)
        if update:
            conn.execute("UPDATE corpus_versions SET title=?, jurisdiction=?, year=?, version=?, version_key=?, "
                         "source=?, format=?, body_hash=?, provision_count=?, word_count=?, body=? "
                         "WHERE doc_id=? AND version_no=?", (*values, doc.id, vno))
        else:
            conn.execute("INSERT INTO corpus_versions (title, jurisdiction, year, version, version_key, source, "
                         "format, body_hash, provision_count, word_count, body, doc_id, version_no, checksum, "
                         "imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (*values, doc.id, vno, checksum, now))

    @staticmethod
    def _insert_rows(conn, doc_id: str, vno: int, rows: list) -> None:
        conn.executemany(
            "INSERT INTO corpus_provisions (doc_id, version_no, ordinal, eid, parent_eid, depth, kind, num, "
            "heading, text, citation, status, status_note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((doc_id, vno, ordinal, *row) for ordinal, row in enumerate(rows)))

    @staticmethod
    def _index(conn, doc_id: str, vno: int) -> None:
        conn.execute("INSERT INTO corpus_fts (rowid, heading, text) SELECT id, heading, text FROM corpus_provisions "
                     "WHERE doc_id = ? AND version_no = ?", (doc_id, vno))

    @staticmethod
    def _unindex(conn, doc_id: str, vno: int) -> None:
        conn.execute("INSERT INTO corpus_fts (corpus_fts, rowid, heading, text) SELECT 'delete', id, heading, text "
                     "FROM corpus_provisions WHERE doc_id = ? AND version_no = ?", (doc_id, vno))

    def _drop_rows(self, conn, doc_id: str, vno: int, *, indexed: bool) -> None:
        if indexed:
            self._unindex(conn, doc_id, vno)
        conn.execute("DELETE FROM corpus_provisions WHERE doc_id = ? AND version_no = ?", (doc_id, vno))

    @staticmethod
    def _current_of(conn, doc_id: str) -> int | None:
        row = conn.execute("SELECT version_no FROM corpus_current WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def _update_current(self, conn, doc_id: str, *, reindex_version: int | None = None) -> None:
        """Point ``corpus_current`` at the greatest version and keep the FTS index
        holding exactly the current version's provisions."""
        best = conn.execute("SELECT version_no FROM corpus_versions WHERE doc_id = ? "
                            "ORDER BY version_key DESC, version_no DESC LIMIT 1", (doc_id,)).fetchone()[0]
        old = self._current_of(conn, doc_id)
        if old is not None and old != best and old != reindex_version:
            self._unindex(conn, doc_id, old)
        if old != best or reindex_version is not None:
            self._index(conn, doc_id, best)
        conn.execute("INSERT INTO corpus_current (doc_id, version_no) VALUES (?, ?) "
                     "ON CONFLICT (doc_id) DO UPDATE SET version_no = excluded.version_no", (doc_id, best))

    # ------------------------------------------------------------ reading

    _INFO = ("SELECT v.doc_id, v.title, v.jurisdiction, v.year, v.version, v.source, v.format, v.provision_count, "
             "v.word_count, v.imported_at, v.version_no, c.version_no AS current_no, "
             "(SELECT COUNT(*) FROM corpus_versions w WHERE w.doc_id = v.doc_id) AS versions "
             "FROM corpus_versions v JOIN corpus_current c ON c.doc_id = v.doc_id ")

    @staticmethod
    def _info(row: sqlite3.Row) -> DocumentInfo:
        return DocumentInfo(id=row["doc_id"], title=row["title"], jurisdiction=row["jurisdiction"], year=row["year"],
                            version=row["version"], source=row["source"], format=row["format"],
                            provisions=row["provision_count"], words=row["word_count"],
                            imported_at=row["imported_at"], version_no=row["version_no"], versions=row["versions"],
                            current=row["version_no"] == row["current_no"])

    def documents(self) -> list[DocumentInfo]:
        """The current version of every stored document, by id."""
        with self._connect() as conn:
            rows = conn.execute(self._INFO + "WHERE v.version_no = c.version_no ORDER BY v.doc_id").fetchall()
        return [self._info(r) for r in rows]

    def ids(self) -> list[str]:
        with self._connect() as conn:
            return [r[0] for r in conn.execute("SELECT doc_id FROM corpus_current ORDER BY doc_id")]

    def versions(self, doc_id: str) -> list[DocumentInfo]:
        """Every stored version of ``doc_id``, oldest import first."""
        with self._connect() as conn:
            rows = conn.execute(self._INFO + "WHERE v.doc_id = ? ORDER BY v.version_no", (doc_id,)).fetchall()
            if not rows:
                raise self._not_found(conn, doc_id)
        return [self._info(r) for r in rows]

    def get(self, doc_id: str, version_no: int | None = None) -> Document:
        """The document as it was added: its current version, or ``version_no``."""
        with self._connect() as conn:
            if version_no is None:
                row = conn.execute("SELECT v.body FROM corpus_versions v JOIN corpus_current c "
                                   "ON c.doc_id = v.doc_id AND c.version_no = v.version_no WHERE v.doc_id = ?",
                                   (doc_id,)).fetchone()
                if row is None:
                    raise self._not_found(conn, doc_id)
            else:
                row = conn.execute("SELECT body FROM corpus_versions WHERE doc_id = ? AND version_no = ?",
                                   (doc_id, version_no)).fetchone()
                if row is None:
                    known = [r[0] for r in conn.execute(
                        "SELECT version_no FROM corpus_versions WHERE doc_id = ? ORDER BY version_no", (doc_id,))]
                    if not known:
                        raise self._not_found(conn, doc_id)
                    raise NotFoundError(f"no version {version_no} of {doc_id!r}; versions: "
                                        f"{', '.join(map(str, known))}", source=doc_id)
            body = row["body"]
        try:
            return Document.from_dict(json.loads(zlib.decompress(body)))
        except (zlib.error, ValueError) as exc:
            raise StoreError(f"stored document {doc_id!r} is corrupt: {exc}", source=str(self.path)) from exc

    def citations(self, doc_id: str, version_no: int | None = None) -> dict[str, str]:
        """eId -> canonical citation of every provision, as computed when the version
        was stored (much faster than recomputing them for a large document)."""
        with self._connect() as conn:
            vno = self._current_of(conn, doc_id) if version_no is None else version_no
            rows = conn.execute("SELECT eid, citation FROM corpus_provisions WHERE doc_id = ? AND version_no = ? "
                                "ORDER BY ordinal", (doc_id, vno)).fetchall()
            if not rows:
                if version_no is not None and self._current_of(conn, doc_id) is not None:
                    raise NotFoundError(f"no version {version_no} of {doc_id!r}", source=doc_id)
                raise self._not_found(conn, doc_id)
        return {r["eid"]: r["citation"] for r in rows}

    @staticmethod
    def _not_found(conn, doc_id: str) -> NotFoundError:
        known = [r[0] for r in conn.execute("SELECT doc_id FROM corpus_current ORDER BY doc_id")]
        hint = f"known: {', '.join(known)}" if known else "the store is empty; import one with `convene import PATH`"
        return NotFoundError(f"no document {doc_id!r} ({hint})", source=doc_id)

    # ------------------------------------------------------------ search

    def search(self, query: str, *, doc_ids: Sequence[str] | None = None, limit: int = 20) -> list[SearchHit]:
        """Provisions of the current versions matching ``query``, best first.

        Ranking: provisions containing the query words as a phrase, then those
        containing all of them, then those containing any significant one; within
        a tier by bm25 (headings weigh 4x text).  Results are spread across
        documents: each document's best hit comes before any document's
        second-best, so a comparative search shows every constitution that speaks
        to the topic.  Unknown ``doc_ids`` raise NotFoundError; an empty or
        meaningless query gives []."""
        parsed = parse_query(query)
        if parsed is None or limit <= 0:
            return []
        with self._connect() as conn:
            if doc_ids is not None:
                wanted = list(dict.fromkeys(doc_ids))
                for doc_id in wanted:
                    if self._current_of(conn, doc_id) is None:
                        raise self._not_found(conn, doc_id)
                if not wanted:
                    return []
            else:
                wanted = None
            tiers: dict[int, tuple[int, str, float]] = {}  # rowid -> (tier, doc_id, bm25)
            for tier, match in enumerate(parsed.tiers):
                if match is None:
                    continue
                for rowid, doc_id, score in self._matches(conn, match, wanted):
                    if rowid not in tiers:
                        tiers[rowid] = (tier, doc_id, score)
            chosen = _diversified(tiers, limit)
            if not chosen:
                return []
            marks = ",".join("?" * len(chosen))
            details = {
                r["id"]: r for r in conn.execute(
                    "SELECT p.id, p.doc_id, p.eid, p.citation, p.kind, p.heading, "
                    f"snippet(corpus_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 24) AS snip "
                    f"FROM corpus_fts JOIN corpus_provisions p ON p.id = corpus_fts.rowid "
                    f"WHERE corpus_fts MATCH ? AND corpus_fts.rowid IN ({marks})", (parsed.highlight, *chosen))
            }
        hits = []
        for rowid in chosen:
            row = details.get(rowid)
            if row is None:
                continue
            hits.append(SearchHit(doc_id=row["doc_id"], eid=row["eid"], citation=row["citation"], kind=row["kind"],
                                  heading=row["heading"], snippet=row["snip"] or "", score=-tiers[rowid][2]))
        return hits

    @staticmethod
    def _matches(conn, match: str, wanted: list[str] | None) -> list[tuple[int, str, float]]:
        sql = ("SELECT corpus_fts.rowid, p.doc_id, bm25(corpus_fts, 4.0, 1.0) FROM corpus_fts "
               "JOIN corpus_provisions p ON p.id = corpus_fts.rowid WHERE corpus_fts MATCH ?")
        params: list[Any] = [match]
        if wanted is not None:
            sql += f" AND p.doc_id IN ({','.join('?' * len(wanted))})"
            params.extend(wanted)
        try:
            return [(r[0], r[1], r[2]) for r in conn.execute(sql, params)]
        except sqlite3.OperationalError:  # a query our sanitiser let through: no match rather than a crash
            return []


def _diversified(tiers: dict[int, tuple[int, str, float]], limit: int) -> list[int]:
    """Order rowids by (rank within its document, tier, bm25) and keep ``limit``."""
    by_doc: dict[str, list[tuple[int, float, int]]] = {}
    for rowid, (tier, doc_id, score) in tiers.items():
        by_doc.setdefault(doc_id, []).append((tier, score, rowid))
    ranked = []
    for entries in by_doc.values():
        entries.sort()
        ranked.extend((position, tier, score, rowid) for position, (tier, score, rowid) in enumerate(entries))
    ranked.sort()
    return [rowid for *_, rowid in ranked[:limit]]


# ---------------------------------------------------------------- query sanitising

# Words that carry no topic on their own; dropped from the "any word" tier only.
_STOPWORDS = frozenset({
    "a", "an", "and", "any", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its",
    "may", "no", "not", "of", "on", "or", "shall", "such", "that", "the", "this", "to", "under", "upon", "was",
    "which", "with",
})

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    tiers: tuple[str | None, ...]  # FTS5 MATCH strings: phrase, all terms, any significant term
    highlight: str  # MATCH string used for snippets (every term, OR-ed)


def _quote(words: Sequence[str]) -> str:
    return '"' + " ".join(words) + '"'


MAX_QUERY_TERMS = 64  # words, phrases and prefixes of one search (OR alternatives included)


def parse_query(query: str) -> ParsedQuery | None:
    """Turn what a user typed into safe FTS5 queries.  Quoted text (balanced
    quotes) is a phrase; ``word*`` a prefix; ``OR`` between terms is kept; every
    other FTS5 operator or punctuation is treated as plain text.  Each term is
    quoted, so no input can produce an FTS5 syntax error.  None when nothing
    searchable is left; more than :data:`MAX_QUERY_TERMS` terms raise ValidationError."""
    if not isinstance(query, str):
        return None
    terms: list[tuple[str, bool]] = []  # (FTS5 term, is a single plain word)
    explicit_or = False
    pending_or = False
    counted = 0
    text = query.replace("\x00", " ")
    if text.count('"') % 2:  # unbalanced quotes: treat every quote as a space
        text = text.replace('"', " ")
    for match in _TOKEN.finditer(text):
        phrase, bare = match.groups()
        if bare is not None and bare == "OR":
            pending_or = bool(terms)
            continue
        if phrase is not None:
            words = _WORD.findall(phrase)
            term, plain = (_quote(words), len(words) == 1) if words else (None, False)
        else:
            words = _WORD.findall(bare)
            prefix = bare.endswith("*") and len(words) == 1
            term = (_quote(words) + ("*" if prefix else "")) if words else None
            plain = len(words) == 1 and not prefix
            if len(words) > 1:  # "speech/press", "1.1": a phrase of its parts
                plain = False
        if term is None:
            continue
        counted += 1
        if counted > MAX_QUERY_TERMS:
            raise ValidationError(f"the search has more than {MAX_QUERY_TERMS} terms; shorten it (full-text "
                                  "search time grows fast with the number of terms)", source="search")
        if pending_or:
            previous, _ = terms.pop()
            terms.append((f"{previous} OR {term}", False))
            explicit_or = True
        else:
            terms.append((term, plain))
        pending_or = False
    if not terms:
        return None
    all_terms = " ".join(t for t, _ in terms)
    if explicit_or or len(terms) == 1:
        return ParsedQuery((all_terms,), all_terms)
    words = [t.strip('"') for t, plain in terms if plain]
    phrase = _quote(words) if len(words) == len(terms) else None
    significant = [t for t, plain in terms if not (plain and t.strip('"').casefold() in _STOPWORDS)]
    any_term = " OR ".join(significant) if significant else None
    highlight = " OR ".join(significant or [t for t, _ in terms])
    return ParsedQuery((phrase, all_terms, any_term), highlight)
