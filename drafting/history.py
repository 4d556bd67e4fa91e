"""Comparing two revisions of a draft, provision by provision, word by word.

:func:`compare_drafts` pairs provisions by their stable id (numbers change when
provisions move; ids never do), so a moved and renumbered article shows as
"moved", not as one removal and one addition.  Text fields carry word-level
segments (:mod:`compare.diff`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from compare.diff import Segment
from compare.diff import diff as word_diff
from drafting.model import Draft, Node

ChangeKind = Literal["added", "removed", "changed"]
TEXT_FIELDS = ("heading", "text", "rationale")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # heading, text, rationale, status, tags, kind, place, number
    before: str
    after: str
    segments: tuple[Segment, ...] = ()  # word-level, for heading, text and rationale

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after,
                "segments": [s.to_dict() for s in self.segments]}


@dataclass(frozen=True, slots=True)
class ProvisionChange:
    id: str
    change: ChangeKind
    label_before: str
    label_after: str
    fields: tuple[FieldChange, ...] = ()

    @property
    def label(self) -> str:
        return self.label_after or self.label_before

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "change": self.change, "label_before": self.label_before,
                "label_after": self.label_after, "fields": [f.to_dict() for f in self.fields]}


@dataclass(frozen=True, slots=True)
class Comparison:
    draft: str
    before: int
    after: int
    changes: tuple[ProvisionChange, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"draft": self.draft, "before": self.before, "after": self.after,
                "changes": [c.to_dict() for c in self.changes]}


def _place(draft: Draft, node: Node) -> tuple[str | None, int]:
    siblings = draft.children_of.get(node.parent, ())
    return node.parent, next(i for i, n in enumerate(siblings) if n.id == node.id)


def _content(node: Node) -> dict[str, str]:
    return {"heading": node.heading, "text": node.text, "rationale": node.rationale, "status": node.status.value,
            "tags": ", ".join(node.tags), "kind": node.kind.value}


def compare_drafts(old: Draft, new: Draft) -> Comparison:
    """Every provision added, removed or changed between ``old`` and ``new``, in the order of ``new``
    (removed ones last, in the order of ``old``).  Added and removed provisions carry their text as
    one inserted or deleted segment, so every change can be rendered the same way."""
    changes: list[ProvisionChange] = []
    old_index, _new_index = old.index, new.index
    for built in new.walk():
        node = built.node
        before = old.nodes.get(node.id)
        if before is None:
            fields = tuple(FieldChange(f, "", v, (Segment("insert", v),)) for f, v in _content(node).items()
                           if f in TEXT_FIELDS and v)
            changes.append(ProvisionChange(node.id, "added", "", built.label, fields))
            continue
        fields_list = []
        a, b = _content(before), _content(node)
        for key in a:
            if a[key] != b[key]:
                segments = word_diff(a[key], b[key]) if key in TEXT_FIELDS else ()
                fields_list.append(FieldChange(key, a[key], b[key], segments))
        old_label = old_index[node.id].label if node.id in old_index else ""
        if _place(old, before) != _place(new, node):
            fields_list.append(FieldChange("place", str(_place(old, before)[1] + 1), str(_place(new, node)[1] + 1)))
        if old_label != built.label:
            fields_list.append(FieldChange("number", old_label, built.label))
        if fields_list:
            changes.append(ProvisionChange(node.id, "changed", old_label, built.label, tuple(fields_list)))
    for built in old.walk():
        if built.id not in new.nodes:
            fields = tuple(FieldChange(f, v, "", (Segment("delete", v),)) for f, v in _content(built.node).items()
                           if f in TEXT_FIELDS and v)
            changes.append(ProvisionChange(built.id, "removed", built.label, "", fields))
    return Comparison(new.id, old.revision, new.revision, tuple(changes))
