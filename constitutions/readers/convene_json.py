"""Convene's own JSON: the lossless serialisation of a :class:`Document`
(``Document.to_dict``), recognised by ``"schema": 1`` and ``"provisions"``.

Guarantees: ``read(Source(name, json.dumps(doc.to_dict()).encode())) == doc``
for every document that names its source and format (every document a reader
made): metadata, tree, statuses and meta included.  A file whose ``source`` or
``format`` is empty gets the file's name and ``convene-json``; eIds must be
unique in the file.
"""

from __future__ import annotations

import re
from dataclasses import replace

from constitutions.model import SCHEMA_VERSION, Document
from constitutions.readers.base import Source, parse_json, sniff_head
from convene.errors import ReadError

NAME = "convene-json"
PRIORITY = 5

_SCHEMA = re.compile(r'"schema"\s*:\s*(\d+)')
_PROVISIONS = re.compile(r'"provisions"\s*:')


def sniff(source: Source) -> bool:
    """A JSON object with a ``"schema"`` number and ``"provisions"``."""
    head = sniff_head(source)
    return head.startswith("{") and bool(_SCHEMA.search(head) and _PROVISIONS.search(head))


def read(source: Source) -> Document:
    data = parse_json(source)
    if not isinstance(data, dict):
        raise ReadError("a Convene document must be a JSON object", source=source.name)
    if data.get("schema") != SCHEMA_VERSION:
        raise ReadError(f"unsupported Convene JSON schema {data.get('schema')!r} (this version reads "
                        f"{SCHEMA_VERSION})", source=source.name)
    if not isinstance(data.get("provisions"), list):
        raise ReadError('a Convene document needs a "provisions" list', source=source.name)
    try:
        doc = Document.from_dict(data)
    except ReadError as exc:
        raise ReadError(exc.message, source=source.name) from None
    except (AttributeError, TypeError, ValueError) as exc:  # e.g. "meta" that is not an object
        raise ReadError(f"not a Convene document: {type(exc).__name__}: {exc}", source=source.name) from None
    seen: set[str] = set()
    for loc in doc.walk():
        eid = loc.provision.eid
        if eid in seen:
            raise ReadError(f"provision id {eid!r} appears twice", source=source.name)
        seen.add(eid)
    if not doc.source:
        doc = replace(doc, source=source.name)
    if not doc.format:
        doc = replace(doc, format=NAME)
    return doc
