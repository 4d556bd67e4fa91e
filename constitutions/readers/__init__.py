"""Reader registry: choose a reader by looking at the content, never the file name.

Reader modules in this package are discovered automatically: any module with
``sniff``/``read`` (files) or ``sniff_dir``/``read_dir`` (published trees of
files) and a ``PRIORITY`` (lower is tried first: specific formats before the
plain-text fallback) takes part.  See :mod:`constitutions.readers.base`.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import ModuleType

from constitutions.model import Document, check_doc_id
from constitutions.readers.base import (
    Source,
    local_name,
    looks_like_json,
    looks_like_xml,
    parse_json,
    parse_xml,
    read_file,
)
from convene import settings
from convene.errors import ReadError

__all__ = ["Source", "dir_readers", "file_readers", "read_path", "read_source", "reader_names"]


@cache
def _modules() -> tuple[ModuleType, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "PRIORITY"):
            found.append(module)
    return tuple(sorted(found, key=lambda m: (m.PRIORITY, m.__name__)))


def file_readers() -> tuple[ModuleType, ...]:
    return tuple(m for m in _modules() if hasattr(m, "sniff") and hasattr(m, "read"))


def dir_readers() -> tuple[ModuleType, ...]:
    return tuple(m for m in _modules() if hasattr(m, "sniff_dir") and hasattr(m, "read_dir"))


def reader_names() -> list[str]:
    return [m.NAME for m in _modules()]


def _finish(doc: Document, as_id: str | None) -> Document:
    if as_id is not None:
        doc = replace(doc, id=check_doc_id(as_id, source=doc.source))
    if not doc.provisions:
        raise ReadError("no provisions found: the file holds no constitution text", source=doc.source)
    return doc


def read_source(source: Source, *, as_id: str | None = None, format: str | None = None) -> Document:
    """Read one file's bytes.  ``format`` forces a reader by name."""
    if not source.data.strip():
        raise ReadError("empty file", source=source.name)
    if len(source.data) > settings.MAX_FILE_BYTES:
        raise ReadError(f"file is {len(source.data):,} bytes, over the {settings.MAX_FILE_BYTES:,}-byte limit",
                        source=source.name)
    readers = file_readers()
    if format:
        chosen = [m for m in readers if format == m.NAME]
        if not chosen:
            raise ReadError(f"unknown format {format!r}; known: {', '.join(m.NAME for m in readers)}",
                            source=source.name)
    else:
        found = reader_for(source)
        chosen = [found] if found else []
        if not chosen:
            raise ReadError(f"unknown format: {_what_it_is(source)}, not a constitution in any format Convene "
                            f"reads ({', '.join(m.NAME for m in readers)})", source=source.name)
    try:
        doc = chosen[0].read(source)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("document nested too deeply", source=source.name) from None
    except Exception as exc:  # a reader bug must still name the file, never leak a bare traceback
        raise ReadError(f"could not be read as {chosen[0].NAME}: {type(exc).__name__}: {exc}",
                        source=source.name) from exc
    return _finish(doc, as_id)


def _what_it_is(source: Source) -> str:
    """Describe content no reader claims, raising the more precise error when there is one:
    a wrong encoding (with its byte offset), hostile or malformed XML, malformed JSON."""
    _ = source.text
    if looks_like_xml(source):
        return f"XML with root element <{local_name(parse_xml(source))}>"
    if looks_like_json(source):
        data = parse_json(source)
        return f"JSON {type(data).__name__}" if not isinstance(data, dict) else "a JSON object"
    return "text"


def reader_for(source: Source) -> ModuleType | None:
    """The reader that recognises this content (the first by PRIORITY), or None.
    A reader with ``FALLBACK = True`` (plain text) accepts almost any text."""
    return next((m for m in file_readers() if _sniffs(m, source)), None)


def is_fallback(module: ModuleType) -> bool:
    return bool(getattr(module, "FALLBACK", False))


def _sniffs(module: ModuleType, source: Source) -> bool:
    try:
        return bool(module.sniff(source))
    except ReadError:
        return False


def dir_reader_for(path: Path) -> ModuleType | None:
    for module in dir_readers():
        if module.sniff_dir(path):
            return module
    return None


def read_path(path: str | Path, *, as_id: str | None = None, encoding: str | None = None,
              format: str | None = None) -> Document:
    """Read a file, or a folder that is one published tree (Nepal's JSON, India's Markdown)."""
    path = Path(path)
    if path.is_dir():
        module = dir_reader_for(path)
        if module is None:
            raise ReadError("folder is not a constitution published as a tree of files; "
                            "import its files instead", source=str(path))
        try:
            return _finish(module.read_dir(path), as_id)
        except ReadError:
            raise
        except Exception as exc:
            raise ReadError(f"could not be read as {module.NAME}: {type(exc).__name__}: {exc}",
                            source=str(path)) from exc
    if not path.exists():
        raise ReadError("no such file or folder", source=str(path))
    data = read_file(path, settings.MAX_FILE_BYTES)
    return read_source(Source(str(path), data, encoding), as_id=as_id, format=format)
