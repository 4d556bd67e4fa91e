"""The draft domain: a :class:`Draft` is a document under construction.

A draft is stored as a flat set of :class:`Node` records (one per provision),
each naming its parent and an ordering key among its siblings.  Numbers are not
stored: they are derived from the order and the draft's :class:`~drafting.numbering.Style`
every time the tree is built (:meth:`Draft.tree`), so moving one provision touches
one record and renumbering is automatic.  An adopted provision keeps, in its
:class:`Origin`, the number it had in its source.

Everything here is immutable.  ``Draft.from_dict(d.to_dict()) == d`` for every draft.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from itertools import pairwise
from typing import Any

from constitutions.model import Kind
from convene.errors import NotFoundError, ReadError
from drafting.numbering import DIGITS, Style, keys_between

DRAFT_SCHEMA = 1
_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # URL-safe, no look-alikes (l/1, o/0)


_SURROGATES = re.compile("[\ud800-\udfff]")
NODE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # a provision id a command can name


def plain(value: object) -> str:
    """``value`` as a string without lone surrogates (they are not text and cannot be stored as UTF-8)."""
    return _SURROGATES.sub("", str(value))


def new_id(prefix: str = "", length: int = 8) -> str:
    """A short random URL-safe id, e.g. ``"d7kq2m9xa"``."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


class ProvisionStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    STRUCK = "struck"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a provision came from.  ``document`` empty means written new for this draft;
    otherwise it was adopted from provision ``eid`` of ``document`` (cited as ``citation``),
    whose number, heading and text at the moment of adoption are kept verbatim."""

    document: str = ""
    eid: str = ""
    citation: str = ""
    num: str = ""
    heading: str = ""
    text: str = ""
    document_title: str = ""
    document_version: str = ""

    @property
    def adopted(self) -> bool:
        return bool(self.document)

    def to_dict(self) -> dict[str, Any]:
        if not self.adopted:
            return {"type": "new"}
        return {"type": "adopted", "document": self.document, "eid": self.eid, "citation": self.citation,
                "num": self.num, "heading": self.heading, "text": self.text,
                "document_title": self.document_title, "document_version": self.document_version}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Origin:
        if not data:
            return NEW
        if not isinstance(data, Mapping):
            raise ReadError("a provision's \"origin\" must be an object")
        if data.get("type", "new") == "new":
            return NEW
        keys = ("document", "eid", "citation", "num", "heading", "text", "document_title", "document_version")
        for key in keys:
            if isinstance(data.get(key), list | Mapping):
                raise ReadError(f"a provision's \"origin.{key}\" must be text, not a list or object")
        return cls(**{k: plain(data.get(k) or "") for k in keys})


NEW = Origin()


@dataclass(frozen=True, slots=True)
class Node:
    """One provision as stored: its place (``parent`` id or None at top level, ``order`` key
    compared as a string among siblings, ties broken by id) and its content."""

    id: str
    kind: Kind
    parent: str | None = None
    order: str = "a"
    heading: str = ""
    text: str = ""
    origin: Origin = NEW
    rationale: str = ""
    status: ProvisionStatus = ProvisionStatus.PROPOSED
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind.value, "parent": self.parent, "order": self.order,
                "heading": self.heading, "text": self.text, "origin": self.origin.to_dict(),
                "rationale": self.rationale, "status": self.status.value, "tags": list(self.tags)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Node:
        """Inverse of :meth:`to_dict`.  A field holding a list or an object where text belongs, or ``tags``
        that are not a list of text, is a ReadError naming the provision and the field (the words are not
        replaced by the printed form of a list, nor a tag string split into letters)."""
        where = f"draft provision {str(data.get('id'))[:40]!r}" if isinstance(data, Mapping) else "draft provision"
        try:
            for key in ("id", "kind", "parent", "order", "heading", "text", "rationale", "status"):
                if isinstance(data.get(key), list | Mapping):
                    raise ReadError(f"{where}: \"{key}\" must be text, not a list or object")
            tags = data.get("tags") or []
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise ReadError(f"{where}: \"tags\" must be a list of text")
            parent = data.get("parent")
            return cls(id=str(data["id"]), kind=Kind(data["kind"]), parent=None if parent is None else str(parent),
                       order=str(data.get("order") or "a"), heading=plain(data.get("heading") or ""),
                       text=plain(data.get("text") or ""), origin=Origin.from_dict(data.get("origin")),
                       rationale=plain(data.get("rationale") or ""),
                       status=ProvisionStatus(data.get("status") or "proposed"),
                       tags=tuple(plain(t) for t in tags))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ReadError(f"not a draft provision: {exc!r}") from exc


def _listed_order(orders: list[str]) -> bool:
    """True when ``orders`` are well-formed ordering keys (:mod:`drafting.numbering`) in strictly
    increasing order, so they keep siblings in the order a file lists them."""
    return (all(o and o[-1] != "0" and all(c in DIGITS for c in o) for o in orders)
            and all(a < b for a, b in pairwise(orders)))


@dataclass(frozen=True, slots=True)
class DraftProvision:
    """A provision in the built tree: a :class:`Node` with its derived number, label and children."""

    node: Node
    num: str
    label: str  # "Article IV", "Section 2", "(a)", "Preamble"
    eid: str  # Akoma Ntoso eId derived from kinds and numbers ("art_4__sec_2")
    children: tuple[DraftProvision, ...] = ()

    @property
    def id(self) -> str:
        return self.node.id

    def walk(self) -> Iterator[DraftProvision]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Draft:
    """A draft at one revision.  ``nodes`` maps provision id to :class:`Node`."""

    id: str
    title: str
    style: Style = field(default_factory=Style)
    revision: int = 0
    nodes: Mapping[str, Node] = field(default_factory=dict, hash=False)
    created: str = ""
    author: str = ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Draft):
            return NotImplemented
        return (self.id, self.title, self.style, self.revision, dict(self.nodes)) == (
            other.id, other.title, other.style, other.revision, dict(other.nodes))


    @cached_property
    def children_of(self) -> dict[str | None, tuple[Node, ...]]:
        """Children of every parent id (None = top level), in order."""
        groups: dict[str | None, list[Node]] = {}
        for node in self.nodes.values():
            groups.setdefault(node.parent, []).append(node)
        return {k: tuple(sorted(v, key=lambda n: (n.order, n.id))) for k, v in groups.items()}

    @cached_property
    def tree(self) -> tuple[DraftProvision, ...]:
        """The provisions as a numbered tree (see :mod:`drafting.numbering`)."""
        from drafting.numbering import build_tree

        return build_tree(self.children_of, self.style)

    def walk(self) -> Iterator[DraftProvision]:
        for top in self.tree:
            yield from top.walk()

    @cached_property
    def index(self) -> dict[str, DraftProvision]:
        return {p.id: p for p in self.walk()}

    def get(self, provision_id: str) -> Node:
        try:
            return self.nodes[provision_id]
        except KeyError:
            raise NotFoundError(f"no provision {provision_id!r} in draft {self.id}", source=self.id) from None

    def subtree_ids(self, provision_id: str) -> list[str]:
        """``provision_id`` and all its descendants, parents before children."""
        out = [provision_id]
        i = 0
        while i < len(out):
            out.extend(n.id for n in self.children_of.get(out[i], ()))
            i += 1
        return out

    def with_nodes(self, nodes: Mapping[str, Node], revision: int) -> Draft:
        return replace(self, nodes=dict(nodes), revision=revision)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the tree is nested, carrying each provision's derived number and label too."""

        def one(p: DraftProvision) -> dict[str, Any]:
            data = p.node.to_dict()
            del data["parent"]
            return {**data, "num": p.num, "label": p.label, "eid": p.eid, "children": [one(c) for c in p.children]}

        return {"format": "convene-draft", "schema": DRAFT_SCHEMA, "id": self.id, "title": self.title,
                "style": self.style.to_dict(), "revision": self.revision, "created": self.created,
                "author": self.author, "provisions": [one(p) for p in self.tree]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Draft:
        """Inverse of :meth:`to_dict`; derived fields (num, label, eid) are recomputed, not trusted.
        Siblings stay in the order the data lists them: their ordering keys are kept when they say the same
        (as in every file :meth:`to_dict` writes), else replaced (a hand-written file without keys, keys out
        of order or malformed)."""
        if not isinstance(data, Mapping) or data.get("format") != "convene-draft":
            raise ReadError("not a Convene draft (expected a JSON object with \"format\": \"convene-draft\")")
        if data.get("schema") != DRAFT_SCHEMA:
            raise ReadError(f"unsupported draft schema {data.get('schema')!r} (expected {DRAFT_SCHEMA})")
        nodes: dict[str, Node] = {}

        def visit(items: Any, parent: str | None, depth: int) -> None:
            if depth > 64:
                raise ReadError("draft nested too deeply (over 64 levels)")
            if not isinstance(items, list):
                raise ReadError("draft provisions must be a list")
            siblings = []
            for item in items:
                if not isinstance(item, Mapping):
                    raise ReadError("a draft provision must be a JSON object")
                node = Node.from_dict({**item, "parent": parent})
                if node.id in nodes:
                    raise ReadError(f"duplicate provision id {node.id!r} in draft")
                nodes[node.id] = node
                siblings.append(node.id)
                visit(item.get("children") or [], node.id, depth + 1)
            orders = [nodes[nid].order for nid in siblings]
            if not _listed_order(orders):
                for nid, key in zip(siblings, keys_between(None, None, len(siblings)), strict=True):
                    nodes[nid] = replace(nodes[nid], order=key)

        visit(data.get("provisions", []), None, 0)
        try:
            revision = int(data.get("revision") or 0)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ReadError(f"bad draft revision: {exc}") from exc
        return cls(id=str(data.get("id") or ""), title=str(data.get("title") or ""),
                   style=Style.from_dict(data.get("style")), revision=revision, nodes=nodes,
                   created=str(data.get("created") or ""), author=str(data.get("author") or ""))
