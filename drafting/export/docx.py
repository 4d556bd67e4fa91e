"""DOCX export with python-docx: Word's own Title and Heading 1-9 styles (so the
navigation pane and a table of contents work), article numbers written as text
(Word list numbering cannot restart reliably), page numbers in the footer, and in
the provenance annex real strike-through and underline runs for the comparison.  The revision
history is a Word table whose header row repeats on every page; its cells hold the text as given
(Word shows markup as text)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from compare.diff import Segment, for_display
from drafting.export import (
    EMPTY,
    HISTORY_COLUMNS,
    HISTORY_LEGEND,
    HISTORY_TITLE,
    NO_ANNEX,
    clean,
    created_at,
    entries,
    exported_at,
    history_rows,
    one_line,
    paragraphs,
)
from drafting.export import provenance as provenance_entries
from drafting.model import Draft

if TYPE_CHECKING:
    from drafting.store import Revision

RED = RGBColor(0x9B, 0x1C, 0x1C)
GREEN = RGBColor(0x05, 0x62, 0x2A)


def _page_number_footer(document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    run = paragraph.add_run()
    for tag, attr in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", None),
                      ("w:fldChar", {"w:fldCharType": "end"})):
        element = OxmlElement(tag)
        if attr:
            for key, value in attr.items():
                element.set(qn(key), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = "PAGE"
        run._r.append(element)


def _properties(properties, draft: Draft, draft_id: str) -> None:
    """File > Info: the draft's title, author and creation time, instead of the python-docx template's
    ("python-docx", 23 December 2013); last modified = created, so that the file depends on the draft only."""
    properties.title = one_line(draft.title)[:255]
    properties.author = one_line(draft.author)[:255] or "Convene"
    properties.last_modified_by = "Convene"
    properties.comments = f"Convene draft {draft_id}, revision {draft.revision}"
    properties.revision = max(1, draft.revision)
    when = created_at(draft)
    if when is None:  # no date rather than a made-up one
        properties._element._remove_created()
        properties._element._remove_modified()
    else:
        properties.created = properties.modified = when.replace(microsecond=0)


class _Body:
    """Appends paragraphs to a document in constant time (python-docx's ``add_paragraph`` looks for the
    section properties from the first paragraph on each call: 20,000 paragraphs took 3.6 s)."""

    def __init__(self, document) -> None:
        self._parent = document._body
        self._element = document.element.body
        self._end = self._element.sectPr

    def add(self, text: str = "", *, style_id: str | None = None) -> Paragraph:
        element = OxmlElement("w:p")
        if self._end is None:
            self._element.append(element)
        else:
            self._end.addprevious(element)
        paragraph = Paragraph(element, self._parent)
        if style_id:
            element.style = style_id
        if text:
            paragraph.add_run(text)
        return paragraph


def add_diff_runs(paragraph, segments: tuple[Segment, ...]) -> None:
    """Segments as runs: deletions struck through in red, insertions underlined in green."""
    for seg in for_display(segments):
        text = clean(seg.text).replace("\n\n", " ¶ ").replace("\n", " ")
        if not text:
            continue
        run = paragraph.add_run(text)
        if seg.op == "delete":
            run.font.strike = True
            run.font.color.rgb = RED
        elif seg.op == "insert":
            run.font.underline = True
            run.font.color.rgb = GREEN


def history_table(document, body: _Body, draft: Draft, history: Sequence[Revision], heading_style: str) -> Table:
    """The "Revision history" section: a heading, a legend and a table of one row per revision, its header
    row repeated on each page.  Rows are appended as XML (python-docx's ``row.cells`` reads the whole table
    on each call, which is quadratic in the number of rows)."""
    body.add().add_run().add_break(WD_BREAK.PAGE)
    body.add(HISTORY_TITLE, style_id=heading_style)
    body.add().add_run(HISTORY_LEGEND).italic = True
    table = document.add_table(rows=1, cols=len(HISTORY_COLUMNS))  # inserted before the section properties
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, name in zip(header.cells, HISTORY_COLUMNS, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    for row in history_rows(draft, history):
        tr = table._tbl.add_tr()
        texts = (str(row.revision.rev), row.time, row.author, row.operation, row.description, "\n".join(row.provisions))
        for width, text in zip(widths, texts, strict=True):
            tc = tr.add_tc()
            if width is not None:
                tc.width = width
            cell = _Cell(tc, table)
            cell.text = text  # python-docx writes a line break for each "\n"
    return table


def to_docx(draft: Draft, *, provenance: bool = False, history: Sequence[Revision] = ()) -> bytes:
    document = WordDocument()
    draft_id = clean(draft.id)
    _properties(document.core_properties, draft, draft_id)
    document.styles["Normal"].font.size = Pt(11)
    _page_number_footer(document)
    styles = document.styles
    # style ids looked up once and set directly: python-docx's lookups scan every style on each call
    heading_styles = {n: styles[f"Heading {n}"].style_id for n in range(1, 10)}
    document.add_heading(one_line(draft.title) or "Draft", level=0)
    body = _Body(document)
    meta = body.add(f"Draft {draft_id}, revision {draft.revision}, exported {exported_at()}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not draft.nodes:
        body.add().add_run(EMPTY).italic = True
    for entry in entries(draft):
        node = entry.provision.node
        heading = body.add(style_id=heading_styles[min(entry.depth + 1, 9)])
        run = heading.add_run(entry.title or node.kind.value)
        run.font.strike = entry.struck  # struck itself, or inside a struck provision
        for para in paragraphs(node.text):
            text_run = body.add().add_run(para)  # python-docx writes a line break for each "\n", a tab for "\t"
            text_run.font.strike = entry.struck
    if provenance:
        body.add().add_run().add_break(WD_BREAK.PAGE)
        body.add("Annex: provenance and rationale", style_id=heading_styles[1])
        legend = body.add("Each adopted provision is compared with its source: ")
        add_diff_runs(legend, (Segment("delete", "struck"), Segment("equal", " words were removed, "),
                               Segment("insert", "underlined"), Segment("equal", " words added.")))
        items = provenance_entries(draft)
        if not items:
            body.add(NO_ANNEX)
        for item in items:
            body.add(item.title or item.provision.node.kind.value, style_id=heading_styles[2])
            if item.adopted:
                source = f", {item.source}" if item.source else ""
                body.add(f"Adopted from {item.citation}{source}.").runs[0].italic = True
                if item.unchanged:
                    body.add("Unchanged from the source.")
                else:
                    if any(s.op != "equal" for s in item.heading):
                        para = body.add("Heading: ")
                        add_diff_runs(para, item.heading)
                    add_diff_runs(body.add(), item.text)
            else:
                body.add("Written new for this draft.")
            for n, para in enumerate(paragraphs(item.rationale)):  # a rationale keeps its paragraphs and lines
                body.add(("Rationale: " if n == 0 else "") + para)
    if history:
        history_table(document, body, draft, history, heading_styles[1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

