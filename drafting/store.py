"""Drafts in the shared SQLite database, one revision per transaction.

Storage is a log of per-provision versions: revision ``r`` writes one row per
provision it touched (the new record, or NULL for a deletion).  The draft at
any revision is, for each provision, its latest version at or before that
revision: one indexed query, so reading or restoring an old revision costs the
same as reading the current one, and an edit writes one small row whatever the
draft's size.  The current state of each draft is cached in the process and
brought up to date from the rows written since (by any process).

Guarantees:

- Each change is one ``BEGIN IMMEDIATE`` transaction (WAL): a process killed
  mid-save leaves the last committed revision intact, never half a change.
- Optimistic concurrency: a change names the revision it was based on.  If
  revisions were committed since, the change is still accepted when none of them
  touched the provisions it touches (two drafters editing different provisions
  both succeed); otherwise it is refused with :class:`~convene.errors.ConflictError`
  saying which revisions, by whom, changed what, and the refused change is first
  saved in the ``draft_rejected`` table, so nothing typed is lost.
- Undo and redo are draft-wide and linear, and are themselves revisions; restore
  writes a new revision equal to an old one.  History is never rewritten.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from constitutions.model import check_doc_id
from convene import db, settings
from convene.errors import ConflictError, ConveneError, NotFoundError, StoreError, ValidationError
from drafting.model import NODE_ID, Draft, Node, new_id, plain
from drafting.numbering import Style
from drafting.ops import Changes, Operation, Replace
from drafting.ops import from_dict as op_from_dict

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    style TEXT NOT NULL,
    head INTEGER NOT NULL,
    created TEXT NOT NULL,
    author TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS draft_revisions (
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    rev INTEGER NOT NULL,
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    description TEXT NOT NULL,
    op TEXT NOT NULL,
    base INTEGER,
    target INTEGER,
    touched TEXT NOT NULL,
    PRIMARY KEY (draft_id, rev)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS draft_node_versions (
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    node_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    data TEXT,
    PRIMARY KEY (draft_id, node_id, rev)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS draft_node_versions_rev ON draft_node_versions (draft_id, rev);
CREATE TABLE IF NOT EXISTS draft_rejected (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id TEXT NOT NULL,
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    base INTEGER,
    head INTEGER NOT NULL,
    description TEXT NOT NULL,
    change TEXT NOT NULL,
    reason TEXT NOT NULL
);
"""

UNDOABLE = frozenset({"adopt", "write", "edit", "move", "delete", "restore", "import", "replace"})


@dataclass(frozen=True, slots=True)
class Revision:
    draft: str
    rev: int
    author: str
    at: str  # ISO 8601, UTC
    description: str
    op: str  # create, adopt, write, edit, move, delete, restore, import, undo, redo
    base: int | None
    target: int | None  # the revision undone, redone or restored
    touched: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"revision": self.rev, "author": self.author, "at": self.at, "description": self.description,
                "op": self.op, "base": self.base, "target": self.target, "touched": list(self.touched)}


@dataclass(frozen=True, slots=True)
class Rejected:
    """A refused change, kept verbatim: ``change`` is the operation's dict (see :func:`drafting.ops.from_dict`)."""

    id: int
    draft: str
    author: str
    at: str
    base: int | None
    head: int
    description: str
    change: dict[str, Any]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "draft": self.draft, "author": self.author, "at": self.at, "base": self.base,
                "head": self.head, "description": self.description, "change": self.change, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class DraftSummary:
    id: str
    title: str
    revision: int
    created: str
    author: str
    updated: str
    provisions: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "revision": self.revision, "created": self.created,
                "author": self.author, "updated": self.updated, "provisions": self.provisions}


class _Refused(Exception):
    def __init__(self, error: ConflictError, reason: str):
        self.error = error
        self.reason = reason


_CACHE: dict[tuple[str, str], Draft] = {}
_CACHE_LOCK = threading.Lock()
_READY: set[str] = set()
_LOCAL = threading.local()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def nameable(nodes: Mapping[str, Node]) -> dict[str, Node]:
    """``nodes`` with every id a command can name (:data:`NODE_ID`, not ``top``, which names the top level)
    kept and every other replaced by a fresh id, parents following their children's renames."""
    fresh: dict[str, str] = {}
    for node_id in nodes:
        if node_id == "top" or not NODE_ID.fullmatch(node_id):
            while (new := new_id("p")) in nodes or new in fresh.values():
                pass
            fresh[node_id] = new
    if not fresh:
        return dict(nodes)
    out = {}
    for node_id, node in nodes.items():
        parent = node.parent if node.parent is None else fresh.get(node.parent, node.parent)
        out[fresh.get(node_id, node_id)] = replace(node, id=fresh.get(node_id, node_id), parent=parent)
    return out


def _title(title: object) -> str:
    """A draft title without lone surrogates or surrounding spaces; ValidationError when empty or over 500."""
    text = plain(title).strip() if isinstance(title, str) else ""
    if not text:
        raise ValidationError("a draft needs a title")
    if len(text) > 500:
        raise ValidationError("a draft title is at most 500 characters")
    return text


def _author(author: str | None) -> str:
    """Who makes a change: ``author`` or the configured one, without lone surrogates (an undecodable
    byte in a command line argument) or surrounding spaces, "anonymous" when empty; at most 200 characters."""
    name = plain(author or settings.author()).strip() or "anonymous"
    if len(name) > 200:
        raise ValidationError(f"an author name is at most 200 characters (got {len(name):,})")
    return name


def _dump(node: Node | None) -> str | None:
    if node is None:
        return None
    data = node.to_dict()
    del data["id"]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _load(node_id: str, data: str) -> Node:
    return Node.from_dict({**json.loads(data), "id": node_id})


class DraftStore:
    """Drafts in the database at ``path`` (default: :func:`convene.settings.database_path`).
    Opens one connection per operation, so one instance may serve several threads."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else settings.database_path()
        key = str(self.path.resolve())
        if key not in _READY:
            try:
                with db.opened(self.path) as conn:
                    conn.executescript(SCHEMA)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot create the drafts tables: {exc}", source=str(self.path)) from exc
            _READY.add(key)
        self._key = key

    # ------------------------------------------------------------------ reading

    def _meta(self, conn: sqlite3.Connection, draft_id: str) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no draft {draft_id!r} (see `convene draft list`)", source=draft_id)
        return row

    def _state(self, conn: sqlite3.Connection, draft_id: str, revision: int | None = None) -> Draft:
        meta = self._meta(conn, draft_id)
        head = meta["head"]
        if revision is None:
            revision = head
        if not 0 <= revision <= head:
            raise NotFoundError(f"draft {draft_id} has no revision {revision} (revisions 0..{head})",
                                source=draft_id)
        base = Draft(id=draft_id, title=meta["title"], style=Style.from_dict(json.loads(meta["style"])),
                     revision=revision, created=meta["created"], author=meta["author"])
        key = (self._key, draft_id)
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
        if cached is not None and cached.revision == revision and cached.title == base.title:
            return cached
        if cached is not None and cached.revision < revision == head:
            nodes = dict(cached.nodes)
            rows = conn.execute("SELECT node_id, data FROM draft_node_versions WHERE draft_id = ? AND rev > ? "
                                "AND rev <= ? ORDER BY rev", (draft_id, cached.revision, revision))
            for node_id, data in rows:
                if data is None:
                    nodes.pop(node_id, None)
                else:
                    nodes[node_id] = _load(node_id, data)
        else:
            rows = conn.execute("SELECT node_id, data, MAX(rev) FROM draft_node_versions "
                                "WHERE draft_id = ? AND rev <= ? GROUP BY node_id", (draft_id, revision))
            nodes = {node_id: _load(node_id, data) for node_id, data, _ in rows if data is not None}
        draft = replace(base, nodes=nodes)
        if revision == head:
            with _CACHE_LOCK:
                _CACHE[key] = draft
        return draft

    def get(self, draft_id: str, revision: int | None = None) -> Draft:
        """The draft at ``revision`` (default: current)."""
        with self._connect() as conn:
            return self._state(conn, draft_id, revision)

    def head(self, draft_id: str) -> int:
        with self._connect() as conn:
            return int(self._meta(conn, draft_id)["head"])

    def list(self) -> list[DraftSummary]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT d.*, (SELECT at FROM draft_revisions r WHERE r.draft_id = d.id AND r.rev = d.head) AS updated "
                "FROM drafts d ORDER BY updated DESC, d.id").fetchall()
            out = []
            for row in rows:
                count = len(self._state(conn, row["id"]).nodes)
                out.append(DraftSummary(row["id"], row["title"], row["head"], row["created"], row["author"],
                                        row["updated"] or row["created"], count))
            return out

    def history(self, draft_id: str) -> list[Revision]:
        """Every revision, oldest first."""
        with self._connect() as conn:
            self._meta(conn, draft_id)
            rows = conn.execute("SELECT * FROM draft_revisions WHERE draft_id = ? ORDER BY rev", (draft_id,))
            return [self._revision(row) for row in rows]

    def revision(self, draft_id: str, rev: int) -> Revision:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM draft_revisions WHERE draft_id = ? AND rev = ?",
                               (draft_id, rev)).fetchone()
            if row is None:
                self._meta(conn, draft_id)
                raise NotFoundError(f"draft {draft_id} has no revision {rev}", source=draft_id)
            return self._revision(row)

    @staticmethod
    def _revision(row: sqlite3.Row) -> Revision:
        return Revision(row["draft_id"], row["rev"], row["author"], row["at"], row["description"], row["op"],
                        row["base"], row["target"], tuple(json.loads(row["touched"])))

    def rejected(self, draft_id: str | None = None) -> list[Rejected]:
        """Refused changes (newest first), for ``draft_id`` or every draft.  An unknown ``draft_id``
        raises :class:`~convene.errors.NotFoundError` (E300), as every other reading does."""
        with self._connect() as conn:
            if draft_id is None:
                rows = conn.execute("SELECT * FROM draft_rejected ORDER BY id DESC")
            else:
                self._meta(conn, draft_id)
                rows = conn.execute("SELECT * FROM draft_rejected WHERE draft_id = ? ORDER BY id DESC", (draft_id,))
            return [Rejected(r["id"], r["draft_id"], r["author"], r["at"], r["base"], r["head"], r["description"],
                             json.loads(r["change"]), r["reason"]) for r in rows]

    def rejected_operation(self, rejected_id: int) -> tuple[str, Operation]:
        """The draft id and operation of a kept refused change, ready to apply again."""
        for item in self.rejected():
            if item.id == rejected_id:
                return item.draft, op_from_dict(item.change)
        raise NotFoundError(f"no rejected change #{rejected_id}")

    # ------------------------------------------------------------------ writing

    def create(self, title: str, *, author: str | None = None, style: Style | None = None,
               draft_id: str | None = None) -> Draft:
        """A new empty draft at revision 0."""
        title = _title(title)
        draft_id = draft_id or new_id("d")
        author = _author(author)
        now = _now()
        style = style or Style()
        try:
            with self._connect() as conn, self._tx(conn):
                if conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone():
                    raise ValidationError(f"a draft {draft_id!r} already exists")
                self._insert(conn, draft_id, title, style, now, author)
        except StoreError as exc:
            raise StoreError(f"could not create the draft: {exc.message}", source=str(self.path)) from exc
        return Draft(id=draft_id, title=title, style=style, revision=0, nodes={}, created=now, author=author)

    @staticmethod
    def _insert(conn: sqlite3.Connection, draft_id: str, title: str, style: Style, now: str, author: str) -> None:
        conn.execute("INSERT INTO drafts (id, title, style, head, created, author) VALUES (?, ?, ?, 0, ?, ?)",
                     (draft_id, title, json.dumps(style.to_dict()), now, author))
        conn.execute("INSERT INTO draft_revisions (draft_id, rev, author, at, description, op, base, target, "
                     "touched) VALUES (?, 0, ?, ?, ?, 'create', NULL, NULL, '[]')",
                     (draft_id, author, now, f"Created draft {title!r}"[:300]))

    def apply(self, draft_id: str, op: Operation, *, base: int | None, author: str | None = None) -> Draft:
        """Apply ``op`` as a new revision.  ``base`` is the revision the author saw (None: the current one,
        without a concurrency check).  Returns the draft at the new revision (unchanged if ``op`` changed
        nothing).  Raises ConflictError (after keeping the change) when ``base`` is stale and overlaps."""

        def planner(conn: sqlite3.Connection, draft: Draft) -> tuple[Changes, str, int | None]:
            return op.plan(draft), op.describe(draft), None

        return self._commit(draft_id, planner, base=base, author=author, op_name=op.name, op=op)

    def undo(self, draft_id: str, *, base: int | None = None, author: str | None = None) -> Draft:
        """Revert the latest change not yet undone (draft-wide, linear)."""
        return self._undo_redo(draft_id, "undo", base, author)

    def redo(self, draft_id: str, *, base: int | None = None, author: str | None = None) -> Draft:
        """Re-apply the latest undone change, if nothing new was changed since the undo."""
        return self._undo_redo(draft_id, "redo", base, author)

    def restore(self, draft_id: str, revision: int, *, base: int | None = None, author: str | None = None) -> Draft:
        """Make the draft read as it did at ``revision``, as a new revision (history is kept)."""

        def planner(conn: sqlite3.Connection, draft: Draft) -> tuple[Changes, str, int | None]:
            old = self._state(conn, draft_id, revision)
            return Replace(nodes=old.nodes).plan(draft), f"Restored revision {revision}", revision

        return self._commit(draft_id, planner, base=base, author=author, op_name="restore",
                            op=None)

    def import_draft(self, draft: Draft, *, author: str | None = None, source: str = "") -> Draft:
        """Store an imported draft as a new draft at revision 1 (0 when it has no provisions), in one
        transaction: it is stored whole or not at all.  Provision ids are kept, except those a command
        cannot name (:data:`NODE_ID`: an imported file may carry an empty id, control characters, markup
        or ``top``), which get fresh ids, their children following them.  The draft keeps its own id unless
        it is taken or is not one a command can name (:func:`constitutions.model.check_doc_id`), in which
        case it gets a fresh one too."""
        title = _title(draft.title or "Imported draft")
        author = _author(author)
        nodes = nameable(draft.nodes)
        draft_id = draft.id
        try:
            check_doc_id(draft_id)
        except ValidationError:
            draft_id = ""
        now = _now()
        description = f"Imported from {plain(source)}"[:300] if source else "Imported"
        try:
            with self._connect() as conn, self._tx(conn):
                if not draft_id or conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone():
                    draft_id = new_id("d")
                self._insert(conn, draft_id, title, draft.style, now, author)
                if nodes:
                    self._write(conn, draft_id, 1, author, description, "import", 0, None, dict(nodes))
        except StoreError as exc:
            raise StoreError(f"could not import the draft: {exc.message}", source=source or str(self.path)) from exc
        return self.get(draft_id)

    # ---------------------------------------------------------------- internals

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection to the database (kept open: closing the last connection
        checkpoints the WAL, which would cost a disk flush per change)."""
        conns = _LOCAL.__dict__.setdefault("conns", {})
        conn = conns.get(self._key)
        if conn is None:
            conn = conns[self._key] = db.connect(self.path)
        try:
            if conn.in_transaction:  # left open by an interrupted operation
                conn.execute("ROLLBACK")
            yield conn
        except sqlite3.Error as exc:  # locked past the timeout, disk full, damaged file, tables dropped...
            raise StoreError(f"the drafts database failed: {exc}", source=str(self.path)) from exc

    def _tx(self, conn: sqlite3.Connection):
        return db.transaction(conn)

    def _undo_redo(self, draft_id: str, which: str, base: int | None, author: str | None) -> Draft:
        def planner(conn: sqlite3.Connection, draft: Draft) -> tuple[Changes, str, int | None]:
            undo_stack: list[int] = []
            redo_stack: list[int] = []
            for rev, op_name in conn.execute("SELECT rev, op FROM draft_revisions WHERE draft_id = ? ORDER BY rev",
                                             (draft_id,)):
                if op_name == "undo":
                    if undo_stack:
                        undo_stack.pop()
                    redo_stack.append(rev)
                elif op_name == "redo":
                    if redo_stack:
                        redo_stack.pop()
                    undo_stack.append(rev)
                elif op_name in UNDOABLE:
                    undo_stack.append(rev)
                    redo_stack.clear()
            stack = undo_stack if which == "undo" else redo_stack
            if not stack:
                raise ValidationError(f"nothing to {which} in draft {draft_id}")
            target = stack[-1]
            row = conn.execute("SELECT description FROM draft_revisions WHERE draft_id = ? AND rev = ?",
                               (draft_id, target)).fetchone()
            changes = self._revert(conn, draft, target)
            what = row["description"]
            if which == "redo":
                what = what.removeprefix("Undid: ")
            return changes, (f"Undid: {what}" if which == "undo" else f"Redid: {what}")[:300], target

        return self._commit(draft_id, planner, base=base, author=author, op_name=which, op=None)

    def _revert(self, conn: sqlite3.Connection, draft: Draft, target: int) -> Changes:
        """Changes that take every provision revision ``target`` touched back to its state just before it;
        refused when one of them has changed since."""
        touched = json.loads(conn.execute("SELECT touched FROM draft_revisions WHERE draft_id = ? AND rev = ?",
                                          (draft.id, target)).fetchone()["touched"])
        rows = conn.execute(
            "SELECT node_id, rev, data FROM draft_node_versions WHERE draft_id = ? AND rev <= ? "
            "AND node_id IN (SELECT value FROM json_each(?)) ORDER BY rev", (draft.id, target, json.dumps(touched)))
        before: dict[str, str | None] = dict.fromkeys(touched)
        at_target: dict[str, str | None] = {}
        for node_id, rev, data in rows:
            if rev < target:
                before[node_id] = data
            else:
                at_target[node_id] = data
        changes: Changes = {}
        for node_id in touched:
            expected = _load(node_id, at_target[node_id]) if at_target.get(node_id) else None
            if draft.nodes.get(node_id) != expected:
                last = conn.execute("SELECT MAX(rev) FROM draft_node_versions WHERE draft_id = ? AND node_id = ?",
                                    (draft.id, node_id)).fetchone()[0]
                raise ConflictError(f"cannot revert revision {target}: provision {node_id} was changed again "
                                    f"in revision {last}", source=draft.id, current_revision=draft.revision)
            changes[node_id] = _load(node_id, before[node_id]) if before[node_id] else None
        return changes

    def _commit(self, draft_id: str, planner: Callable[[sqlite3.Connection, Draft], tuple[Changes, str, int | None]],
                *, base: int | None, author: str | None, op_name: str, op: Operation | None) -> Draft:
        author = _author(author)
        if base is not None and (not isinstance(base, int) or base < 0):
            raise ValidationError(f"base revision must be a non-negative integer, not {base!r}")
        try:
            with self._connect() as conn:
                try:
                    with self._tx(conn):
                        draft = self._state(conn, draft_id)
                        head = draft.revision
                        if base is not None and base > head:
                            raise ValidationError(f"base revision {base} does not exist yet (draft {draft_id} "
                                                  f"is at revision {head})")
                        stale = base is not None and base < head
                        try:
                            changes, description, target = planner(conn, draft)
                        except (NotFoundError, ValidationError) as exc:
                            if not stale or base is None or (isinstance(exc, ValidationError)
                                                             and not self._valid_at(conn, draft_id, base, op)):
                                raise
                            named = {v for k, v in (op.to_dict() if op else {}).items()
                                     if k in ("provision", "parent") and isinstance(v, str)}
                            raise self._refusal(conn, draft, base, self._overlap(conn, draft_id, base, named), op,
                                                author,
                                                f"{exc.message}; it was changed or deleted meanwhile") from None
                        if not changes:
                            return draft
                        if stale:
                            overlap = self._overlap(conn, draft_id, base, set(changes))
                            if overlap:
                                raise self._refusal(conn, draft, base, overlap, op, author, None)
                        rev = head + 1
                        self._write(conn, draft_id, rev, author, description, op_name, base, target, changes)
                except _Refused as refused:
                    kept = self._keep(conn, draft_id, author, base, refused, op)
                    refused.error.rejected["id"] = kept
                    refused.error.message += (f". Your change was kept as rejected change #{kept} "
                                              f"(`convene draft rejected {draft_id}`)")
                    refused.error.args = (str(refused.error),)
                    raise refused.error from None
        except StoreError as exc:
            raise StoreError(f"could not save the change to draft {draft_id}: {exc.message}",
                             source=str(self.path)) from exc
        nodes = dict(draft.nodes)
        for node_id, node in changes.items():
            if node is None:
                nodes.pop(node_id, None)
            else:
                nodes[node_id] = node
        new = replace(draft, nodes=nodes, revision=rev)
        with _CACHE_LOCK:
            current = _CACHE.get((self._key, draft_id))
            if current is None or current.revision < rev:
                _CACHE[(self._key, draft_id)] = new
        return new

    def _valid_at(self, conn: sqlite3.Connection, draft_id: str, base: int, op: Operation | None) -> bool:
        """Whether ``op`` could be applied to the draft as it was at ``base``: then a ValidationError at the
        current revision (a position past siblings deleted since, a provision adopted meanwhile by another
        session) comes from the changes made since, and the change is refused as a conflict and kept."""
        if op is None:
            return False
        try:
            op.plan(self._state(conn, draft_id, base))
        except ConveneError:
            return False
        return True

    def _write(self, conn: sqlite3.Connection, draft_id: str, rev: int, author: str, description: str, op_name: str,
               base: int | None, target: int | None, changes: Changes) -> None:
        conn.execute("INSERT INTO draft_revisions (draft_id, rev, author, at, description, op, base, target, touched) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (draft_id, rev, author, _now(), description, op_name, base, target,
                      json.dumps(sorted(changes))))
        conn.executemany("INSERT INTO draft_node_versions (draft_id, node_id, rev, data) VALUES (?, ?, ?, ?)",
                         ((draft_id, node_id, rev, _dump(node)) for node_id, node in changes.items()))
        conn.execute("UPDATE drafts SET head = ? WHERE id = ?", (rev, draft_id))

    @staticmethod
    def _overlap(conn: sqlite3.Connection, draft_id: str, base: int, touched: set[str]) -> dict[int, set[str]]:
        """Revisions after ``base`` that touched any of ``touched``, with the provisions in common."""
        out: dict[int, set[str]] = {}
        for rev, raw in conn.execute("SELECT rev, touched FROM draft_revisions WHERE draft_id = ? AND rev > ?",
                                     (draft_id, base)):
            common = touched & set(json.loads(raw))
            if common:
                out[rev] = common
        return out

    def _refusal(self, conn: sqlite3.Connection, draft: Draft, base: int | None, overlap: dict[int, set[str]],
                 op: Operation | None, author: str, reason: str | None) -> _Refused:
        lines = []
        for row in conn.execute("SELECT * FROM draft_revisions WHERE draft_id = ? AND rev > ? ORDER BY rev",
                                (draft.id, base or 0)):
            rev = self._revision(row)
            common = overlap.get(rev.rev, set())
            where = ", ".join(_describe_node(draft, n) for n in sorted(common)) if common else "other provisions"
            lines.append(f"revision {rev.rev} by {rev.author} at {rev.at}: {rev.description} (touched {where})")
        if reason is None:
            clashing = sorted(overlap)
            reason = (f"revision{'s' if len(clashing) > 1 else ''} {', '.join(map(str, clashing))} changed the same "
                      "provisions")
        message = (f"your change was based on revision {base} but draft {draft.id} is now at revision "
                   f"{draft.revision}; {reason}")
        error = ConflictError(message, source=draft.id, current_revision=draft.revision, changes=tuple(lines),
                              rejected={"draft": draft.id, "base": base, "head": draft.revision, "author": author,
                                        "change": op.to_dict() if op is not None else {}})
        return _Refused(error, reason)

    def _keep(self, conn: sqlite3.Connection, draft_id: str, author: str, base: int | None, refused: _Refused,
              op: Operation | None) -> int:
        change = op.to_dict() if op is not None else {}
        description = refused.error.message
        with self._tx(conn):
            cur = conn.execute("INSERT INTO draft_rejected (draft_id, author, at, base, head, description, change, "
                               "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (draft_id, author, _now(), base, refused.error.current_revision or 0, description,
                                json.dumps(change, ensure_ascii=False), refused.reason))
            return int(cur.lastrowid or 0)


def _describe_node(draft: Draft, node_id: str) -> str:
    built = draft.index.get(node_id)
    if built is None:
        return f"{node_id} (deleted)"
    label = built.label or built.node.kind.value
    return f"{label} [{node_id}]"


def apply_many(store: DraftStore, draft_id: str, ops: Iterable[Operation], *, author: str | None = None) -> Draft:
    """Apply several operations one after another, each as its own revision based on the previous one."""
    draft = store.get(draft_id)
    for op in ops:
        draft = store.apply(draft_id, op, base=draft.revision, author=author)
    return draft


__all__ = ["ConveneError", "DraftStore", "DraftSummary", "Rejected", "Revision", "apply_many"]
