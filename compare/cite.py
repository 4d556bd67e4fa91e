"""Citations of provisions for display: the canonical form from :mod:`constitutions.canonical`
when that module is available, else one built from the provision chain ("Art. I, § 13")."""

from __future__ import annotations

import importlib
from functools import cache

from constitutions.model import Document, Kind

_ABBREV = {
    Kind.ARTICLE: "Art.", Kind.SECTION: "§", Kind.AMENDMENT: "Amend.", Kind.CHAPTER: "Ch.", Kind.PART: "Part",
    Kind.TITLE: "Title", Kind.SCHEDULE: "Sch.", Kind.CLAUSE: "cl.", Kind.DIVISION: "",
}


@cache
def _citations():
    try:
        return importlib.import_module("constitutions.canonical")
    except ImportError:
        return None


def cite(doc: Document, eid: str) -> str:
    """A human citation of ``eid`` in ``doc`` (never raises for an eId of the document)."""
    module = _citations()
    if module is not None and hasattr(module, "canonical"):
        try:
            text = module.canonical(doc, eid)
        except Exception:  # noqa: BLE001 - a citation bug must not break a comparison; fall back
            text = ""
        if text:
            return str(text)
    loc = doc.locate(eid)
    parts = []
    for p in (*loc.ancestors, loc.provision):
        if p.kind is Kind.PREAMBLE:
            parts.append("Preamble")
        elif p.kind is Kind.DIVISION:
            continue
        elif p.num:
            word = _ABBREV.get(p.kind)
            parts.append(f"{word} {p.num}" if word else p.num)
    return ", ".join(parts) or (loc.provision.heading or eid)
