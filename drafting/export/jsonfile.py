"""JSON export: :meth:`Draft.to_dict` (lossless: ``Draft.from_dict`` gives the same draft back),
plus, with provenance, an ``annex`` list (ignored on import)."""

from __future__ import annotations

import json

from drafting.export import provenance
from drafting.model import Draft


def to_json(draft: Draft, *, provenance: bool = False) -> bytes:
    data = draft.to_dict()
    if provenance:
        data["annex"] = annex(draft)
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def annex(draft: Draft) -> list[dict]:
    out = []
    for item in _entries(draft):
        out.append({"id": item.provision.id, "title": item.title, "citation": item.citation,
                    "source": item.source, "heading": [s.to_dict() for s in item.heading],
                    "text": [s.to_dict() for s in item.text], "rationale": item.rationale})
    return out


_entries = provenance
