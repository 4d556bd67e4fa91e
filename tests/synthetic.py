"""Builders of short synthetic documents for tests (invented wording only)."""

from __future__ import annotations

from constitutions.model import Document, Kind, Provision


def sections_doc(doc_id: str, sections: list[tuple[str, str]]) -> Document:
    """A document of top-level sections ``sec_1``... from (heading, text) pairs."""
    provs = tuple(Provision(f"sec_{i}", Kind.SECTION, str(i), heading, text)
                  for i, (heading, text) in enumerate(sections, start=1))
    return Document(doc_id, doc_id.upper(), doc_id, provs)
