"""JSON export: :meth:`Draft.to_dict` (lossless: ``Draft.from_dict`` gives the same draft back),
plus, with provenance, an ``annex`` list and, with a history, a ``history`` list of
:meth:`drafting.store.Revision.to_dict` entries, oldest first (both ignored on import)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from drafting.export import provenance
from drafting.model import Draft, plain

if TYPE_CHECKING:
    from drafting.store import Revision


def to_json(draft: Draft, *, provenance: bool = False, history: Sequence[Revision] = ()) -> bytes:
    data = draft.to_dict()
    if provenance:
        data["annex"] = annex(draft)
    if history:
        data["history"] = [_plain(rev.to_dict()) for rev in history]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _plain(value: Any) -> Any:
    """``value`` with every string free of lone surrogates (they cannot be written as UTF-8)."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def annex(draft: Draft) -> list[dict]:
    out = []
    for item in _entries(draft):
        out.append({"id": item.provision.id, "title": item.title, "citation": item.citation,
                    "source": item.source, "heading": [s.to_dict() for s in item.heading],
                    "text": [s.to_dict() for s in item.text], "rationale": item.rationale})
    return out


_entries = provenance
