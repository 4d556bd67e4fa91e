"""Markdown export (CommonMark; deletions as ``~~GFM strikethrough~~``).

Every piece of draft text is escaped so that it renders as the same text and never
as markup: Markdown punctuation is backslash-escaped, lines are stripped of the
indentation that would make code blocks, and line-start markers (``#``, ``-``,
``1.``, ``>``...) are neutralised.  Raw HTML therefore shows as text.  A line break
inside a paragraph of the draft stays a line break (a CommonMark hard break: a backslash
at the end of the line), as in the HTML, PDF, DOCX and Akoma Ntoso exports.

The revision history is a GFM table: every cell is escaped the same way, so a ``|`` in an
author's name or a description is an escaped pipe (never a new column) and a line break
becomes a space (never a new row).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from compare.diff import Segment, for_display
from drafting.export import (
    EMPTY,
    HISTORY_COLUMNS,
    HISTORY_LEGEND,
    HISTORY_TITLE,
    NO_ANNEX,
    Entry,
    clean,
    entries,
    exported_at,
    history_rows,
    one_line,
    paragraphs,
    provenance,
)
from drafting.model import Draft

if TYPE_CHECKING:
    from drafting.store import Revision

_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~&!$])")
_LINE_START = re.compile(r"^([-+=:]|\d+(?=[.)]))")


def escape(text: str, *, breaks: bool = False) -> str:
    """One paragraph of plain text as Markdown that renders as exactly that text: its lines joined by
    spaces, or with ``breaks`` by hard line breaks."""
    lines = [line.strip() for line in clean(text).split("\n")]
    out = []
    for line in lines:
        if not line:
            continue
        line = _INLINE.sub(r"\\\1", line)
        line = _LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), line)
        out.append(line)
    return "\\\n".join(out) if breaks else " ".join(out)


def _heading(entry: Entry) -> str:
    level = min(entry.depth + 2, 6)
    title = escape(entry.title) or escape(entry.provision.node.kind.value)
    return f"{'#' * level} ~~{title}~~" if entry.struck else f"{'#' * level} {title}"


def diff_markdown(segments: tuple[Segment, ...]) -> str:
    """Segments as Markdown: ``~~deleted~~`` and ``**inserted**``, whitespace kept outside the marks."""
    out = []
    for seg in for_display(segments):
        text = one_line(seg.text)
        if not text:
            out.append(" " if seg.text.strip() == "" and seg.text else "")
            continue
        lead = " " if seg.text[:1].isspace() else ""
        body = escape(text)
        if seg.op == "equal":
            out.append(lead + body)
        elif seg.op == "delete":
            out.append(f"{lead}~~{body}~~")
        else:
            out.append(f"{lead}**{body}**")
    return "".join(out).strip()


def to_markdown(draft: Draft, *, provenance: bool = False, history: Sequence[Revision] = ()) -> bytes:
    want_annex = provenance
    parts = [f"# {escape(draft.title)}", "",
             f"*Draft {escape(draft.id)}, revision {draft.revision}, exported {exported_at()}*", ""]
    if not draft.nodes:
        parts += [f"*{EMPTY}*", ""]
    for entry in entries(draft):
        parts += [_heading(entry), ""]
        for para in paragraphs(entry.provision.node.text):
            parts += [_struck(para) if entry.struck else escape(para, breaks=True), ""]
    if want_annex:
        parts += ["## Annex: provenance and rationale", "",
                  "*Source text compared with the draft: ~~struck~~ words were removed, **bold** words added.*", ""]
        items = _annex_items(draft)
        for item in items:
            parts += item
        if not items:
            parts += [NO_ANNEX, ""]
    if history:
        parts += history_table(draft, history)
    return ("\n".join(parts).rstrip() + "\n").encode("utf-8")


def _struck(para: str) -> str:
    """A struck paragraph: each line between ``~~`` (GFM strikethrough does not cross a line break)."""
    return "\\\n".join(f"~~{line}~~" for line in escape(para, breaks=True).split("\\\n"))


def _annex_items(draft: Draft) -> list[list[str]]:
    out = []
    for item in provenance(draft):
        block = [f"### {escape(item.title)}", ""]
        if item.adopted:
            block += [f"Adopted from {escape(item.citation)}, {escape(item.source)}." if item.source
                      else f"Adopted from {escape(item.citation)}.", ""]
            if item.unchanged:
                block += ["*Unchanged from the source.*", ""]
            else:
                if any(s.op != "equal" for s in item.heading):
                    block += [f"Heading: {diff_markdown(item.heading)}", ""]
                for chunk in diff_markdown(item.text).split("\n"):
                    if chunk:
                        block += [chunk, ""]
        else:
            block += ["Written new for this draft.", ""]
        for n, para in enumerate(paragraphs(item.rationale)):  # a rationale keeps its paragraphs and lines
            block += [("Rationale: " if n == 0 else "") + escape(para, breaks=True), ""]
        out.append(block)
    return out


def history_table(draft: Draft, history: Sequence[Revision]) -> list[str]:
    """The "Revision history" section as Markdown lines: a heading, a legend and a GFM table with one row
    per revision (each cell on one line, its pipes escaped)."""
    lines = [f"## {HISTORY_TITLE}", "", f"*{escape(HISTORY_LEGEND)}*", "",
             "| " + " | ".join(HISTORY_COLUMNS) + " |", "|" + " --- |" * len(HISTORY_COLUMNS)]
    for row in history_rows(draft, history):
        cells = (str(row.revision.rev), escape(row.time), escape(row.author), escape(row.operation),
                 escape(row.description), "; ".join(escape(title) for title in row.provisions))
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]
