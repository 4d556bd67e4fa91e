"""Import constitutions into the store from files, folders and http(s) URLs.

Guarantees:

- The format is chosen by content through the reader registry, never by name.
- A folder that a folder reader recognises (a constitution published as a tree
  of files) is one document; any other folder is walked recursively and each
  file is imported on its own.  Files met while walking that no reader
  recognises, or that only the plain-text fallback would take (licences, notes,
  READMEs), are *skipped* with the reason; a file named explicitly that cannot be
  read is a *failure*, and the fallback reads any named text file.
- Commentary on a constitution (Laws.Africa's ConCompass JSON, :mod:`constitutions.commentary`), met as a
  file or URL, is stored beside the document it explains (``kind`` ``"commentary"`` in the report).
- One failure never stops the rest; each document is stored in one transaction,
  so nothing is ever half-imported.
- URLs are fetched with a timeout and a size cap enforced while streaming; any
  network problem is a :class:`~convene.errors.ReadError` naming the URL.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from constitutions.commentary import CONCOMPASS_DOC, Commentary, recognise_concompass
from constitutions.model import Document
from constitutions.readers import Source, dir_reader_for, is_fallback, read_path, read_source, reader_for
from constitutions.readers.base import read_file
from constitutions.store import Store
from convene import settings
from convene.errors import ConveneError, NotFoundError, ReadError, ValidationError

__all__ = ["ImportItem", "ImportReport", "corpus_import", "fetch_url", "import_paths"]

Outcome = Literal["new", "unchanged", "new-version", "skipped", "failed"]
Progress = Callable[[int, int, str], None]  # (units done, units in total, target being worked on)

URL_TIMEOUT = 30.0  # seconds, per network operation
# Readers at or after this priority accept any prose (the plain-text fallback).  While walking a
# folder they are not trusted to tell a constitution from a licence or a README, so files only
# they recognise are skipped; a file named explicitly is still read by them.
_URL = re.compile(r"^https?://", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class ImportItem:
    """What happened to one file, folder or URL."""

    target: str
    outcome: Outcome
    doc_id: str = ""
    version: str = ""  # the document's own version label (as-of date or revision)
    version_no: int | None = None  # the store's version number
    title: str = ""
    reason: str = ""  # why it was skipped or failed (the ConveneError message)
    kind: Literal["constitution", "commentary"] = "constitution"  # what was imported (commentary: on doc_id)

    @property
    def ok(self) -> bool:
        return self.outcome != "failed"

    def to_dict(self) -> dict[str, object]:
        return {"target": self.target, "outcome": self.outcome, "document": self.doc_id or None,
                "version": self.version, "version_no": self.version_no, "title": self.title,
                "reason": self.reason, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class ImportReport:
    items: tuple[ImportItem, ...]

    @property
    def ok(self) -> bool:
        """Nothing failed, and at least one constitution was found (a folder of other files is an error)."""
        return all(item.ok for item in self.items) and bool(self.imported)

    @property
    def nothing_found(self) -> str:
        """Why the import found no constitution at all ("" when it found one, or when something failed: the
        failures say why)."""
        if self.imported or self.failed:
            return ""
        if not self.items:
            return "no files to import there"
        return f"no constitution found ({len(self.items)} file(s) skipped: not a recognised constitution format)"

    @property
    def failed(self) -> tuple[ImportItem, ...]:
        return tuple(i for i in self.items if i.outcome == "failed")

    @property
    def imported(self) -> tuple[ImportItem, ...]:
        return tuple(i for i in self.items if i.outcome in ("new", "unchanged", "new-version"))

    @property
    def documents(self) -> tuple[ImportItem, ...]:
        """The constitutions imported (commentary left out)."""
        return tuple(i for i in self.imported if i.kind == "constitution")

    @property
    def skipped(self) -> tuple[ImportItem, ...]:
        return tuple(i for i in self.items if i.outcome == "skipped")


@dataclass(frozen=True, slots=True)
class _Unit:
    """One thing to import: a file, a folder read as one document, or a URL."""

    kind: Literal["file", "dir", "url", "missing"]
    target: str
    explicit: bool  # named by the user (failures count) rather than found while walking


# ---------------------------------------------------------------- planning


def _plan(targets: Sequence[str]) -> list[_Unit]:
    units: list[_Unit] = []
    for raw in targets:
        target = str(raw)
        if _URL.match(target) or _SCHEME.match(target):
            units.append(_Unit("url", target, True))
            continue
        path = Path(target).expanduser()
        if path.is_dir():
            units.extend(_walk(path, explicit=True))
        elif path.is_file():
            units.append(_Unit("file", str(path), True))
        else:
            units.append(_Unit("missing", target, True))
    return units


def _walk(folder: Path, *, explicit: bool) -> list[_Unit]:
    """A folder read as one document if a folder reader claims it, else its files
    (recursively, hidden entries and symlinked folders left out, sorted)."""
    if dir_reader_for(folder) is not None:
        return [_Unit("dir", str(folder), explicit)]
    units: list[_Unit] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        return [_Unit("missing", f"{folder} ({exc.strerror})", explicit)]
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            units.extend(_walk(path, explicit=False))
        elif entry.is_file():
            units.append(_Unit("file", str(path), False))
    return units


# ---------------------------------------------------------------- reading


def _sha256_tree(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class _Skip(Exception):  # control flow only, never escapes this module
    def __init__(self, reason: str):
        self.reason = reason


def _read_unit(unit: _Unit, *, as_id: str | None, encoding: str | None) -> tuple[Document | Commentary, str]:
    """The document (or the commentary on one) and the checksum of its source bytes."""
    if unit.kind == "missing":
        raise ReadError("no such file or folder", source=unit.target)
    if unit.kind == "dir":
        doc = read_path(unit.target, as_id=as_id, encoding=encoding)
        try:
            checksum = _sha256_tree(Path(unit.target))
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror}", source=unit.target) from None
        return doc, checksum
    if unit.kind == "url":
        data, charset = fetch_url(unit.target)
        source = Source(unit.target, data, encoding or _charset_fallback(data, charset))
    else:
        data = read_file(Path(unit.target), settings.MAX_FILE_BYTES)
        source = Source(unit.target, data, encoding)
    commentary = recognise_concompass(data, unit.target, doc_id=as_id or CONCOMPASS_DOC)
    if commentary is not None:
        return commentary, hashlib.sha256(data).hexdigest()
    reader = reader_for(source)
    if reader is None:
        try:
            source.text  # noqa: B018 - a binary or mis-encoded file gets that reason, not "unknown format"
        except ReadError as exc:
            if unit.explicit:
                raise
            raise _Skip(f"not a constitution in any format Convene reads ({exc.message})") from None
        if not unit.explicit:
            raise _Skip("not a constitution in any format Convene reads")
    elif not unit.explicit and is_fallback(reader):
        raise _Skip(f"no known constitution format (only the {reader.NAME} fallback would read it); "
                    "name the file to import it as plain text")
    chosen = reader.NAME if reader is not None else None
    return read_source(source, as_id=as_id, format=chosen), hashlib.sha256(data).hexdigest()


def _charset_fallback(data: bytes, charset: str | None) -> str | None:
    """The server's declared charset, used only when the bytes are not UTF-8
    (servers often declare ISO-8859-1 by default for UTF-8 files)."""
    if not charset:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return charset
    return None


def fetch_url(url: str, *, timeout: float = URL_TIMEOUT, limit: int | None = None) -> tuple[bytes, str | None]:
    """The body of an http(s) URL and its declared charset.  Over ``limit``
    bytes (default :data:`convene.settings.MAX_FILE_BYTES`), stops reading and
    raises.  Every failure is a ReadError naming the URL."""
    limit = settings.MAX_FILE_BYTES if limit is None else limit
    if not _URL.match(url):
        raise ReadError("only http:// and https:// URLs can be imported", source=url)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "convene (constitution importer)"})
    except ValueError as exc:  # e.g. "Invalid IPv6 URL"
        raise ReadError(f"not a valid URL: {exc}", source=url) from None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # scheme checked above
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise ReadError(f"response is {int(declared):,} bytes, over the {limit:,}-byte limit", source=url)
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > limit:
                    raise ReadError(f"response is over the {limit:,}-byte limit", source=url)
                chunks.append(chunk)
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise ReadError(f"HTTP {exc.code} {exc.reason}", source=url) from None
    except urllib.error.URLError as exc:
        raise ReadError(f"unreachable: {exc.reason}", source=url) from None
    except TimeoutError:
        raise ReadError(f"unreachable: no answer within {timeout:g} s", source=url) from None
    except (OSError, ValueError) as exc:  # connection reset, malformed URL or response
        raise ReadError(f"unreachable: {exc}", source=url) from None
    return b"".join(chunks), charset


# ---------------------------------------------------------------- importing


def import_paths(targets: Sequence[str], *, as_id: str | None = None, encoding: str | None = None,
                 store: Store | None = None, progress: Progress | None = None,
                 analyse: bool = True) -> ImportReport:
    """Import every target (file, folder or URL) and report each one's outcome.
    ``as_id`` renames the document and is only valid when the targets make
    exactly one document (ValidationError otherwise, before anything is read).

    With ``analyse`` (the default), the sentences and lemmas of every provision of each
    document whose current version changed are computed now and cached in the database
    (:mod:`constitutions.language`), so the first comparison after an import does not pay
    for them; progress reports ``"analysing ID"`` meanwhile.  Only the default database
    holds that cache, so a store elsewhere skips it."""
    units = _plan(targets)
    if as_id is not None and len(units) != 1:
        raise ValidationError(f"--as {as_id} names one document, but the targets hold {len(units)} files or "
                              "folders; import them separately", source=", ".join(map(str, targets)))
    store = store or Store()
    items: list[ImportItem] = []
    for done, unit in enumerate(units):
        if progress:
            progress(done, len(units), unit.target)
        items.append(_import_unit(unit, as_id=as_id, encoding=encoding, store=store))
    if analyse and Path(store.path).resolve() == settings.database_path().resolve():
        changed = dict.fromkeys(i.doc_id for i in items
                                if i.outcome in ("new", "new-version") and i.doc_id and i.kind == "constitution")
        for doc_id in changed:
            if progress:
                progress(len(units), len(units), f"analysing {doc_id}")
            _analyse(store.get(doc_id))
    if progress:
        progress(len(units), len(units), "")
    return ImportReport(tuple(items))


def _analyse(doc: Document) -> None:
    """Cache the language analysis of every provision's text and heading (what comparison reads)."""
    from constitutions.language import analyse_many

    locs = list(doc.walk())
    analyse_many([loc.provision.text for loc in locs] + [loc.provision.heading for loc in locs])


def _import_unit(unit: _Unit, *, as_id: str | None, encoding: str | None, store: Store) -> ImportItem:
    try:
        doc, checksum = _read_unit(unit, as_id=as_id, encoding=encoding)
        if isinstance(doc, Commentary):
            outcome = store.add_commentary(doc, checksum=checksum)
            return ImportItem(unit.target, outcome, doc_id=doc.doc_id, kind="commentary",
                              title=f"{doc.publisher}: commentary, {len(doc.topics)} topics, {len(doc.cases)} cases")
        result = store.add(doc, checksum=checksum)
    except _Skip as skip:
        return ImportItem(unit.target, "skipped", reason=skip.reason)
    except ConveneError as exc:
        return ImportItem(unit.target, "failed", reason=str(exc))
    return ImportItem(unit.target, result.outcome, doc_id=result.doc_id, version=doc.version,
                      version_no=result.version_no, title=doc.title)


def corpus_import(store: Store | None = None, progress: Progress | None = None) -> ImportReport:
    """Import the corpus folder (:func:`convene.settings.corpus_dir`)."""
    root = settings.corpus_dir()
    if root is None:
        raise NotFoundError("no corpus folder: set CONVENE_CORPUS to a folder of constitution texts, "
                            "or import a file or URL with `convene import PATH_OR_URL`", source="CONVENE_CORPUS")
    return import_paths([str(root)], store=store, progress=progress)
