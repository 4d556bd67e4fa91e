"""The hobbyist JSON of the US Constitution (hsurden/us-constitution, 2016).

Nested objects ``{type, num, name, children[], content[]}`` (plus a misspelt
``identifer``): document -> part -> article/amendment -> section -> paragraph,
text in ``content`` (a list of strings).  On articles, amendments and sections
``num`` is the label ("Article I ") and ``name`` the description ("The
Legislative Branch"); on parts ``name`` is the part ("Preamble").  The tree is
the one of the XML edition, so it is built by
:func:`constitutions.readers.hsurden_xml.build` with the same guarantees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from constitutions.model import Document
from constitutions.readers.base import Source, parse_json, sniff_head
from constitutions.readers.hsurden_xml import HsNode, build
from convene.errors import ReadError

NAME = "hsurden-json"
PRIORITY = 30

_DOCUMENT = re.compile(r'^\s*\{[^{]*"type"\s*:\s*"document"')
_PART = re.compile(r'"type"\s*:\s*"part"')
_MAX_DEPTH = 12


def sniff(source: Source) -> bool:
    """A JSON object typed ``document`` whose first children are typed ``part``."""
    head = sniff_head(source)[:8192]
    return bool(_DOCUMENT.search(head) and _PART.search(head))


def read(source: Source) -> Document:
    data = parse_json(source)
    if not isinstance(data, Mapping) or data.get("type") != "document":
        raise ReadError('not the hsurden US Constitution JSON: the top object is not {"type": "document"}',
                        source=source.name)
    return build(_node(data, source.name, 0), source.name, NAME)


def _node(data: Any, source_name: str, depth: int) -> HsNode:
    if not isinstance(data, Mapping):
        raise ReadError(f"not the hsurden JSON: expected an object, found {type(data).__name__}", source=source_name)
    if depth > _MAX_DEPTH:
        raise ReadError("hsurden JSON nested too deeply", source=source_name)
    kind = str(data.get("type") or "").strip()
    num = str(data.get("num") or "").strip()
    name = str(data.get("name") or "").strip()
    label, heading = (name, "") if kind in ("part", "document") else (num, name)
    content = data.get("content") or []
    children = data.get("children") or []
    if not isinstance(content, list) or not isinstance(children, list):
        raise ReadError(f"not the hsurden JSON: 'content' and 'children' must be lists (in a {kind!r} node)",
                        source=source_name)
    paragraphs = tuple(str(item) for item in content if isinstance(item, str | int | float))
    return HsNode(kind, label, heading, paragraphs, tuple(_node(c, source_name, depth + 1) for c in children))
