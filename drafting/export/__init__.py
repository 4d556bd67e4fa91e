"""Exports of a draft: Markdown, standalone HTML, PDF, DOCX, Akoma Ntoso 3.0 and JSON.

Every exporter takes a :class:`~drafting.model.Draft` and returns bytes; with
``provenance=True`` it appends an annex giving, for every adopted provision, its
source citation and a word-level comparison of the source text with the draft's
(deletions struck, insertions underlined, as in the US House Comparative Print
Suite), and every provision's rationale.

Guarantee for hostile content: whatever the text of a provision (markup, control
characters, right-to-left text, emoji, very long paragraphs), the output is a
valid file of its format in which that text appears as text, never as markup.
Characters XML 1.0 forbids (C0 controls other than tab/newline/return, lone
surrogates, U+FFFE/U+FFFF) are removed in every format.

With ``history`` (the draft's revisions from :meth:`drafting.store.DraftStore.history`)
every format also records who changed what, and when: JSON as a ``history`` list of
:meth:`~drafting.store.Revision.to_dict` entries; Markdown, HTML, PDF and DOCX as a
"Revision history" table after the annex (or after the text); Akoma Ntoso as its own
``<lifecycle>`` of ``<eventRef>`` elements naming a ``<TLCPerson>`` per author and a
``<TLCEvent>`` per revision.  Author names and descriptions are escaped like the draft's
text.  The work is linear in the number of revisions and provisions touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from compare.diff import Segment
from compare.diff import diff as word_diff
from convene.errors import ValidationError
from drafting.model import Draft, DraftProvision, ProvisionStatus

if TYPE_CHECKING:
    from drafting.store import Revision

FORMATS = ("md", "html", "pdf", "docx", "akn", "json")
EXTENSIONS = {"md": ".md", "html": ".html", "pdf": ".pdf", "docx": ".docx", "akn": ".xml", "json": ".json"}

EMPTY = "This draft has no provisions yet."
NO_ANNEX = "No provision was adopted from another text, and none has a rationale."
HISTORY_TITLE = "Revision history"
HISTORY_LEGEND = "Who changed what, and when: every revision of the draft up to this one, oldest first (times in UTC)."
HISTORY_COLUMNS = ("Revision", "Time", "Author", "Operation", "Description", "Provisions")

_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids; carriage returns become newlines."""
    return _FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def paragraphs(text: str) -> list[str]:
    """A provision's text as paragraphs (split on blank lines), cleaned; [] when empty."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", clean(text)) if p.strip()]


@dataclass(frozen=True, slots=True)
class Entry:
    """One provision as an exporter sees it: depth 0 at the top level; ``ancestors`` are the labels of
    the provisions it sits in, outermost first; ``struck`` is true when it or any of them is struck
    (striking an article strikes its sections too)."""

    provision: DraftProvision
    depth: int
    ancestors: tuple[str, ...] = ()
    struck: bool = False

    @property
    def title(self) -> str:
        """``"Article IV. Legislature"``: label and heading, cleaned, on one line."""
        label, heading = self.provision.label, one_line(self.provision.node.heading)
        if label and heading:
            return f"{label}. {heading}"
        return label or heading

    @property
    def full_title(self) -> str:
        """The title with the labels of the enclosing provisions, so that it names one place in the
        draft: ``"Article VI, Section 2(a). Heading"`` (where :attr:`title` says ``"(a). Heading"``)."""
        place = ""
        for label in (*self.ancestors, self.provision.label):
            if not label:
                continue
            place += label if label.startswith("(") or not place else f", {label}"
        heading = one_line(self.provision.node.heading)
        if place and heading:
            return f"{place}. {heading}"
        return place or heading


def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def entries(draft: Draft) -> Iterator[Entry]:
    """Every provision of ``draft`` in document order, parents before their children."""

    def visit(items: tuple[DraftProvision, ...], ancestors: tuple[str, ...], struck: bool) -> Iterator[Entry]:
        for item in items:
            inner = struck or item.node.status is ProvisionStatus.STRUCK
            yield Entry(item, len(ancestors), ancestors, inner)
            yield from visit(item.children, (*ancestors, item.label), inner)

    yield from visit(draft.tree, (), False)


@dataclass(frozen=True, slots=True)
class ProvenanceEntry:
    """The annex line of one provision: where it came from and how it departs from its source."""

    provision: DraftProvision
    title: str  # the provision's full title (Entry.full_title): "Article VI, Section 2(a)"
    citation: str  # "" for provisions written new
    source: str  # "California Constitution (2025-12-17), originally numbered 13"
    heading: tuple[Segment, ...]
    text: tuple[Segment, ...]
    rationale: str

    @property
    def adopted(self) -> bool:
        return bool(self.citation)

    @property
    def unchanged(self) -> bool:
        return all(s.op == "equal" for s in (*self.heading, *self.text))


def provenance(draft: Draft) -> list[ProvenanceEntry]:
    """Annex entries, in draft order: every adopted provision, and every new one with a rationale."""
    out = []
    for entry in entries(draft):
        p = entry.provision
        node = p.node
        origin = node.origin
        if origin.adopted:
            citation = origin.citation or f"{origin.document}:{origin.eid}"
            bits = [origin.document_title or origin.document]
            if origin.document_version:
                bits.append(f"({origin.document_version})")
            source = " ".join(bits) + (f", originally numbered {origin.num}" if origin.num else "")
            out.append(ProvenanceEntry(p, entry.full_title, clean(citation), clean(source),
                                       word_diff(clean(origin.heading), clean(node.heading)),
                                       word_diff(clean(origin.text), clean(node.text)), clean(node.rationale)))
        elif node.rationale.strip():
            out.append(ProvenanceEntry(p, entry.full_title, "", "", (), (), clean(node.rationale)))
    return out


def exported_at() -> str:
    """The time of the export as the exports print it: ``"2026-03-04 05:06 UTC"`` (the only part of an
    export that differs between two exports of the same draft revision)."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def created_at(draft: Draft) -> datetime | None:
    """When ``draft`` was created (its ``created`` ISO 8601 time, in UTC), or None when it has none."""
    return parse_time(draft.created)


def utc_time(at: str) -> str:
    """An ISO 8601 time (``"2026-03-04T05:06:07.123Z"``, as the store writes them) as the exports print
    times: ``"2026-03-04 05:06 UTC"``; text that is not such a time is returned cleaned, on one line."""
    when = parse_time(at)
    return when.strftime("%Y-%m-%d %H:%M UTC") if when is not None else one_line(at)


def parse_time(at: str) -> datetime | None:
    """``at`` (ISO 8601) as an aware UTC time (a time without zone is taken as UTC); None when it is not one."""
    try:
        when = datetime.fromisoformat(clean(at).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One revision (``revision.rev`` is its number) as the history tables show it.  Text fields are cleaned
    (:func:`clean`) but not escaped:
    each format escapes them.  ``provisions`` are the full titles (:attr:`Entry.full_title`) of the
    provisions the revision touched that are in the exported draft, in the draft's order, then the stored
    ids of those no longer in it, each followed by ``" (deleted)"``."""

    revision: Revision
    time: str  # "2026-03-04 05:06 UTC"
    author: str
    operation: str
    description: str
    provisions: tuple[str, ...]


def history_rows(draft: Draft, history: Sequence[Revision]) -> list[HistoryRow]:
    """The rows of the revision history table, in the order of ``history``; linear in the number of
    provisions of ``draft`` plus the provisions the revisions touched (times a log for the sorting)."""
    if not history:
        return []
    places = {entry.provision.id: (n, entry.full_title or entry.provision.node.kind.value)
              for n, entry in enumerate(entries(draft))}
    rows = []
    for rev in history:
        present = sorted(places[node_id] for node_id in rev.touched if node_id in places)
        gone = [f"{one_line(node_id)} (deleted)" for node_id in rev.touched if node_id not in places]
        rows.append(HistoryRow(rev, utc_time(rev.at), one_line(rev.author), one_line(rev.op),
                               clean(rev.description).strip(), tuple(title for _, title in present) + tuple(gone)))
    return rows


def exporter(fmt: str) -> Callable[..., bytes]:
    if fmt == "md":
        from drafting.export.markdown import to_markdown as fn
    elif fmt == "html":
        from drafting.export.html import to_html as fn
    elif fmt == "pdf":
        from drafting.export.pdf import to_pdf as fn
    elif fmt == "docx":
        from drafting.export.docx import to_docx as fn
    elif fmt == "akn":
        from drafting.export.akn import to_akn as fn
    elif fmt == "json":
        from drafting.export.jsonfile import to_json as fn
    else:
        raise ValidationError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fn


def export(draft: Draft, fmt: str, *, provenance: bool = False, history: Sequence[Revision] | None = None) -> bytes:
    """The draft as a file of format ``fmt`` (one of :data:`FORMATS`), with the provenance annex when
    ``provenance``, and with the revision history when ``history`` (the draft's revisions, oldest first)
    holds any revision up to the draft's own: revisions after ``draft.revision`` are left out, since
    they did not lead to the text exported.  Without ``history`` (or with none left) the output is exactly
    what it was before histories existed."""
    kept = tuple(rev for rev in history or () if rev.rev <= draft.revision)
    fn = exporter(fmt)
    return fn(draft, provenance=provenance, history=kept) if kept else fn(draft, provenance=provenance)
