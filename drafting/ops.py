"""Draft operations as data.

Each operation is a frozen dataclass that :meth:`plans <Operation.plan>` its effect
on a draft as a mapping ``provision id -> new Node`` (or ``None`` for a deletion)
without touching storage.  The store applies the plan as one revision; the
provisions in the plan are the ones the revision *touched*, which is what
optimistic concurrency compares.  Every operation also serialises to a dict
(:meth:`Operation.to_dict`, :func:`from_dict`), so a refused change can be kept
verbatim and replayed later.

Positions are 1-based among the new siblings (``None`` = at the end).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from constitutions.model import Kind, Provision
from convene.errors import ValidationError
from drafting.model import NEW, NODE_ID, Draft, Node, Origin, ProvisionStatus, new_id, plain
from drafting.numbering import key_between, keys_between

MAX_TEXT = 1_000_000  # characters in one provision's text
MAX_FIELD = 10_000  # characters in a heading, rationale or tag

Changes = dict[str, Node | None]


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "leave as it is" (None is a meaningful parent: the top level)


def _check_text(name: str, value: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise ValidationError(f"{name} is {len(value):,} characters, over the {limit:,} limit")
    return plain(value)


def _same_words(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same text up to Unicode normalisation ("é" typed as one character or
    as "e" and a combining accent, as macOS and some editors paste it)."""
    return a == b or unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)


def _check_tags(tags: Any) -> tuple[str, ...]:
    if isinstance(tags, str) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("tags must be a list of strings")
    out = tuple(dict.fromkeys(unicodedata.normalize("NFC", _check_text("tag", t.strip(), 200))
                              for t in tags if t.strip()))
    if len(out) > 100:
        raise ValidationError("at most 100 tags per provision")
    return out


# The draft's own ladder of levels: an adopted provision takes the kind of the level it is placed
# at (US Amendment IV adopted at the top of a draft becomes an article; under an article, a
# section), and its descendants the levels below.  Its original kind and number stay in its
# origin (eId and num).  Grouping kinds (part, chapter, title, division), the preamble and
# schedules keep their kind at the top level.
LADDER = (Kind.ARTICLE, Kind.SECTION, Kind.SUBSECTION, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.CLAUSE, Kind.ITEM)
_TOP_LEVEL_KINDS = frozenset({Kind.PART, Kind.CHAPTER, Kind.TITLE, Kind.DIVISION, Kind.PREAMBLE, Kind.SCHEDULE})


def fitted_kind(source: Kind, parent: Kind | None) -> Kind:
    """The kind a provision of kind ``source`` takes under a parent of kind ``parent`` (None: the top)."""
    if parent is None:
        return source if source in _TOP_LEVEL_KINDS else Kind.ARTICLE
    if parent in (Kind.PART, Kind.CHAPTER, Kind.TITLE, Kind.DIVISION):
        return source if source in (Kind.CHAPTER, Kind.TITLE, Kind.DIVISION) else Kind.ARTICLE
    if parent in (Kind.PREAMBLE, Kind.SCHEDULE, Kind.AMENDMENT):
        return Kind.PARAGRAPH if parent is Kind.PREAMBLE else Kind.SECTION
    level = LADDER.index(parent) if parent in LADDER else len(LADDER) - 1
    return LADDER[min(level + 1, len(LADDER) - 1)]


def _slot(draft: Draft, parent: str | None, position: int | None, count: int = 1,
          exclude: str | None = None) -> list[str]:
    """Ordering keys for ``count`` provisions placed at ``position`` under ``parent``."""
    if parent is not None:
        draft.get(parent)
    siblings = [n for n in draft.children_of.get(parent, ()) if n.id != exclude]
    if position is None:
        position = len(siblings) + 1
    if not 1 <= position <= len(siblings) + 1:
        raise ValidationError(f"position {position} is out of range 1..{len(siblings) + 1}")
    lo = siblings[position - 2].order if position >= 2 else None
    hi = siblings[position - 1].order if position <= len(siblings) else None
    if lo is not None and hi is not None and lo >= hi:  # equal keys from concurrent inserts (ties sort by id)
        hi = None
    return keys_between(lo, hi, count)


def _check_new_id(draft: Draft, nid: object) -> str:
    """``nid`` when it can name a new provision of ``draft`` (:data:`~drafting.model.NODE_ID`, not ``top``,
    not taken), else ValidationError."""
    if not isinstance(nid, str) or nid == "top" or not NODE_ID.fullmatch(nid):
        raise ValidationError(f"invalid provision id {str(nid)[:80]!r}: use 1 to 64 letters, digits, '.', "
                              "'_' or '-', starting with a letter or digit")
    if nid in draft.nodes:
        raise ValidationError(f"provision id {nid!r} already exists")
    return nid


def _place(draft: Draft, provision_id: str) -> str:
    """The full place of a provision, outermost first: ``"Article I, Section 3, (a)"``."""
    chain = []
    cursor: str | None = provision_id
    while cursor is not None and cursor in draft.nodes and len(chain) <= 200:
        built = draft.index.get(cursor)
        chain.append(built.label if built is not None and built.label else draft.nodes[cursor].kind.value)
        cursor = draft.nodes[cursor].parent
    return ", ".join(reversed(chain))


def _label(draft: Draft, provision_id: str) -> str:
    built = draft.index.get(provision_id)
    node = draft.nodes.get(provision_id)
    if built is None or node is None:
        return provision_id
    name = built.label or node.kind.value
    return f"{name} ({node.heading})" if node.heading and len(node.heading) < 60 else name


@dataclass(frozen=True)
class Operation:
    name: ClassVar[str] = ""

    def plan(self, draft: Draft) -> Changes:
        raise NotImplementedError

    def describe(self, draft: Draft) -> str:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class Adopt(Operation):
    """Adopt a source provision with its whole subtree, keeping its words and number as origin."""

    name: ClassVar[str] = "adopt"
    document: str
    provision: Provision
    citation: str = ""
    document_title: str = ""
    document_version: str = ""
    parent: str | None = None
    position: int | None = None
    ids: tuple[str, ...] = ()  # fixed ids for the new provisions (replay); generated when empty
    citations: tuple[tuple[str, str], ...] = ()  # canonical citation of each descendant, by source eId

    def plan(self, draft: Draft) -> Changes:
        nodes = list(self.provision.walk())
        if len(nodes) > 20_000:
            raise ValidationError(f"{len(nodes):,} provisions in one adoption; adopt a smaller part")
        ids = self.ids or tuple(new_id("p") for _ in nodes)
        if len(ids) != len(nodes) or len(set(ids)) != len(ids):
            raise ValidationError("adoption ids do not match the source subtree")
        for nid in ids:
            _check_new_id(draft, nid)
        self._refuse_duplicates(draft, nodes)
        by_src = {id(p): i for i, p in enumerate(nodes)}
        out: Changes = {}
        top_key = _slot(draft, self.parent, self.position)[0]
        cites = dict(self.citations)
        parent_kind = draft.get(self.parent).kind if self.parent is not None else None

        def add(src: Provision, parent: str | None, order: str, is_top: bool, kind: Kind) -> None:
            nid = ids[by_src[id(src)]]
            heading = _check_text("heading", src.heading, MAX_FIELD)
            text = _check_text("text", src.text, MAX_TEXT)
            citation = self.citation if is_top else cites.get(src.eid, "")
            origin = Origin(document=self.document, eid=src.eid, citation=plain(citation), num=plain(src.num),
                            heading=heading, text=text, document_title=plain(self.document_title),
                            document_version=plain(self.document_version))
            out[nid] = Node(id=nid, kind=kind, parent=parent, order=order, heading=heading, text=text,
                            origin=origin)
            for child, key in zip(src.children, keys_between(None, None, len(src.children)), strict=True):
                add(child, nid, key, False, fitted_kind(child.kind, kind))

        add(self.provision, self.parent, top_key, True, fitted_kind(self.provision.kind, parent_kind))
        return out

    def _refuse_duplicates(self, draft: Draft, nodes: list[Provision]) -> None:
        """ValidationError when a provision of the subtree is already in the draft, adopted from the same
        document (on its own or inside a provision adopted earlier), naming where it is: a provision adopted
        twice would be numbered, amended and traced as two."""
        present = {n.origin.eid: n for n in draft.nodes.values() if n.origin.document == self.document}
        for src in nodes:
            found = present.get(src.eid)
            if found is None:
                continue
            where = _place(draft, found.id)
            what = found.origin.citation or f"{self.document}:{src.eid}"
            struck = ", struck," if found.status.value == "struck" else ""
            raise ValidationError(f"{what} is already in draft {draft.id} as {where} [{found.id}]{struck}; "
                                  "move or edit that provision, or delete it before adopting again")

    def describe(self, draft: Draft) -> str:
        what = self.citation or f"{self.document}:{self.provision.eid}"
        return f"Adopted {what}"

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.name, "document": self.document, "provision": self.provision.to_dict(),
                "citation": self.citation, "document_title": self.document_title,
                "document_version": self.document_version, "parent": self.parent, "position": self.position,
                "ids": list(self.ids), "citations": [list(c) for c in self.citations]}


@dataclass(frozen=True)
class Write(Operation):
    """Write a new provision."""

    name: ClassVar[str] = "write"
    kind: Kind = Kind.SECTION
    heading: str = ""
    text: str = ""
    parent: str | None = None
    position: int | None = None
    rationale: str = ""
    tags: tuple[str, ...] = ()
    id: str = ""

    def plan(self, draft: Draft) -> Changes:
        nid = _check_new_id(draft, self.id or new_id("p"))
        key = _slot(draft, self.parent, self.position)[0]
        return {nid: Node(id=nid, kind=Kind(self.kind), parent=self.parent, order=key,
                          heading=_check_text("heading", self.heading, MAX_FIELD),
                          text=_check_text("text", self.text, MAX_TEXT), origin=NEW,
                          rationale=_check_text("rationale", self.rationale, MAX_FIELD),
                          tags=_check_tags(self.tags))}

    def describe(self, draft: Draft) -> str:
        what = f"{self.kind.value} {self.heading!r}" if self.heading else self.kind.value
        return f"Wrote new {what}"[:200]

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.name, "kind": self.kind.value, "heading": self.heading, "text": self.text,
                "parent": self.parent, "position": self.position, "rationale": self.rationale,
                "tags": list(self.tags), "id": self.id}


@dataclass(frozen=True)
class Edit(Operation):
    """Change any of a provision's heading, text, rationale, status, tags or kind (UNSET = unchanged)."""

    name: ClassVar[str] = "edit"
    provision: str
    heading: Any = UNSET
    text: Any = UNSET
    rationale: Any = UNSET
    status: Any = UNSET
    tags: Any = UNSET
    kind: Any = UNSET

    def fields(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("heading", "text", "rationale", "status", "tags", "kind")
                if getattr(self, k) is not UNSET}

    def plan(self, draft: Draft) -> Changes:
        node = draft.get(self.provision)
        updates: dict[str, Any] = {}
        for key, value in self.fields().items():
            if key == "text":
                updates[key] = _check_text(key, value, MAX_TEXT)
            elif key in ("heading", "rationale"):
                updates[key] = _check_text(key, value, MAX_FIELD)
            elif key == "tags":
                updates[key] = _check_tags(value)
            elif key == "status":
                try:
                    updates[key] = ProvisionStatus(value)
                except ValueError:
                    raise ValidationError(f"unknown status {value!r}; use proposed, agreed or struck") from None
            else:
                try:
                    updates[key] = Kind(value)
                except ValueError:
                    raise ValidationError(f"unknown provision kind {value!r}") from None
        if not updates:
            raise ValidationError("nothing to change: give a heading, text, rationale, status or tags")
        for key in ("heading", "text", "rationale"):  # the same words in another Unicode normalisation form
            if key in updates and _same_words(updates[key], getattr(node, key)):
                updates[key] = getattr(node, key)
        new = replace(node, **updates)
        return {} if new == node else {node.id: new}

    def describe(self, draft: Draft) -> str:
        """What the edit changes: the fields given whose value differs from the provision's (all those given
        when none does), so an editor that sends every field of its form records only what was changed."""
        fields = self.fields()
        node = draft.get(self.provision)
        new = self.plan(draft).get(node.id)
        if new is not None:
            fields = {k: v for k, v in fields.items() if getattr(new, k) != getattr(node, k)} or fields
        if set(fields) == {"status"}:
            return f"Marked {_label(draft, self.provision)} {ProvisionStatus(fields['status']).value}"
        return f"Edited {', '.join(fields)} of {_label(draft, self.provision)}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.name, "provision": self.provision}
        for key, value in self.fields().items():
            out[key] = list(value) if key == "tags" else str(value)
        return out


@dataclass(frozen=True)
class Move(Operation):
    """Move a provision (with its subtree) to ``position`` under ``parent`` (UNSET = same parent)."""

    name: ClassVar[str] = "move"
    provision: str
    parent: Any = UNSET
    position: int | None = None

    def plan(self, draft: Draft) -> Changes:
        node = draft.get(self.provision)
        parent = node.parent if self.parent is UNSET else self.parent
        if parent is not None:
            draft.get(parent)
            cursor: str | None = parent
            while cursor is not None:
                if cursor == node.id:
                    raise ValidationError("cannot move a provision inside itself")
                cursor = draft.nodes[cursor].parent
        key = _slot(draft, parent, self.position, exclude=node.id)[0]
        if parent == node.parent:
            siblings = [n.id for n in draft.children_of.get(parent, ())]
            if siblings.index(node.id) + 1 == (self.position or len(siblings)):
                return {}  # already there: no revision, nothing touched for others to conflict with
        out: Changes = {node.id: replace(node, parent=parent, order=key)}
        if parent != node.parent:
            old_kind = draft.nodes[node.parent].kind if node.parent is not None else None
            new_kind = draft.nodes[parent].kind if parent is not None else None
            _refit(draft, node.id, old_kind, new_kind, out)
        return out

    def describe(self, draft: Draft) -> str:
        where = "" if self.parent is UNSET else (
            " to the top level" if self.parent is None else f" into {_label(draft, self.parent)}")
        at = f" at position {self.position}" if self.position else ""
        return f"Moved {_label(draft, self.provision)}{where}{at}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.name, "provision": self.provision, "position": self.position}
        if self.parent is not UNSET:
            out["parent"] = self.parent
        return out


def _refit(draft: Draft, node_id: str, old_parent: Kind | None, new_parent: Kind | None, out: Changes) -> None:
    """Give the provision ``node_id`` (planned in ``out``), moved from under a parent of kind ``old_parent``
    to under one of kind ``new_parent``, the level of its new place, as :class:`Adopt` does: an article
    moved into an article becomes a section, a section moved to the top an article, and its descendants
    the levels below.  A kind the drafter chose against the ladder (a section written at the top level)
    is kept, and so are the kinds below it."""
    planned = out.get(node_id) or draft.nodes[node_id]
    if planned.kind is not fitted_kind(planned.kind, old_parent):
        return
    kind = fitted_kind(planned.kind, new_parent)
    if kind is planned.kind:
        return
    out[node_id] = replace(planned, kind=kind)
    for child in draft.children_of.get(node_id, ()):
        _refit(draft, child.id, planned.kind, kind, out)


@dataclass(frozen=True)
class Delete(Operation):
    """Delete a provision and everything under it (undo brings them back)."""

    name: ClassVar[str] = "delete"
    provision: str

    def plan(self, draft: Draft) -> Changes:
        draft.get(self.provision)
        return dict.fromkeys(draft.subtree_ids(self.provision))

    def describe(self, draft: Draft) -> str:
        inside = len(draft.subtree_ids(self.provision)) - 1
        more = f" and the {inside} provision{'s' if inside != 1 else ''} inside it" if inside else ""
        return f"Deleted {_label(draft, self.provision)}{more}"

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.name, "provision": self.provision}


@dataclass(frozen=True)
class Replace(Operation):
    """Set the whole draft to ``nodes`` (restore a revision, import).  Plans only the differences."""

    name: ClassVar[str] = "replace"
    nodes: Mapping[str, Node] = field(default_factory=dict, hash=False)
    description: str = "Replaced the draft"

    def plan(self, draft: Draft) -> Changes:
        out: Changes = {nid: None for nid in draft.nodes if nid not in self.nodes}
        out.update({nid: n for nid, n in self.nodes.items() if draft.nodes.get(nid) != n})
        return out

    def describe(self, draft: Draft) -> str:
        return self.description

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.name, "description": self.description,
                "nodes": [n.to_dict() for n in self.nodes.values()]}


def from_dict(data: Mapping[str, Any]) -> Operation:
    """Rebuild an operation from :meth:`Operation.to_dict` (a kept, refused change)."""
    try:
        op = data["op"]
        if op == "adopt":
            return Adopt(document=data["document"], provision=Provision.from_dict(data["provision"]),
                         citation=data.get("citation", ""), document_title=data.get("document_title", ""),
                         document_version=data.get("document_version", ""), parent=data.get("parent"),
                         position=data.get("position"), ids=tuple(data.get("ids") or ()),
                         citations=tuple((str(a), str(b)) for a, b in data.get("citations") or ()))
        if op == "write":
            return Write(kind=Kind(data["kind"]), heading=data.get("heading", ""), text=data.get("text", ""),
                         parent=data.get("parent"), position=data.get("position"),
                         rationale=data.get("rationale", ""), tags=tuple(data.get("tags") or ()),
                         id=data.get("id", ""))
        if op == "edit":
            kwargs = {k: data[k] for k in ("heading", "text", "rationale", "status", "tags", "kind") if k in data}
            return Edit(provision=data["provision"], **kwargs)
        if op == "move":
            return Move(provision=data["provision"], parent=data.get("parent", UNSET),
                        position=data.get("position"))
        if op == "delete":
            return Delete(provision=data["provision"])
        if op == "replace":
            nodes = {n["id"]: Node.from_dict(n) for n in data.get("nodes") or ()}
            return Replace(nodes=nodes, description=data.get("description", "Replaced the draft"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"not a draft operation: {exc!r}") from None
    raise ValidationError(f"unknown draft operation {data.get('op')!r}")


__all__ = ["UNSET", "Adopt", "Changes", "Delete", "Edit", "Move", "Operation", "Replace", "Write", "from_dict",
           "key_between"]
