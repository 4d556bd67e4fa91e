"""Standalone HTML export with print-ready CSS (no external resources).

The CSS sets up paged media (``@page`` size and margins, running title, "Page n
of m" in the footer) so that printing from a browser and WeasyPrint (see
:mod:`drafting.export.pdf`) give a ready-to-circulate document.  All text is
HTML-escaped; paragraphs with right-to-left characters carry ``dir="auto"`` so they lay out
correctly; very long words wrap instead of overflowing the page.  The revision history is a
table whose header row repeats on every printed page; its cells are escaped like the draft's text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from compare.diff import Segment, for_display
from drafting.export import (
    EMPTY,
    HISTORY_COLUMNS,
    HISTORY_LEGEND,
    HISTORY_TITLE,
    NO_ANNEX,
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

CSS = """
@page {
  size: Letter;
  margin: 2.2cm 2.4cm 2.4cm 2.4cm;
  @top-center { content: string(doctitle); font: 9pt Georgia, serif; color: #555; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 9pt Georgia, serif; color: #555; }
}
@page :first { @top-center { content: none; } }
html { font: 11.5pt/1.45 Georgia, "DejaVu Serif", "Times New Roman", serif; color: #111; }
body { max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1.title { string-set: doctitle content(); font-size: 22pt; text-align: center; margin: 0 0 .2em; }
p.meta { text-align: center; color: #555; font-size: 9.5pt; margin-bottom: 2em; }
h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; margin: 1.1em 0 .35em; line-height: 1.25; }
h2 { font-size: 15pt; text-align: center; }
h3 { font-size: 12.5pt; }
h4, h5, h6 { font-size: 11.5pt; }
.num { font-weight: bold; }
p { margin: 0 0 .55em; orphans: 2; widows: 2; }
p, h1, h2, h3, h4, h5, h6, li { overflow-wrap: break-word; }
section.provision { margin-left: 0; }
section.provision section.provision { margin-left: 1.2em; }
.struck > h2, .struck > h3, .struck > h4, .struck > h5, .struck > h6, .struck > p {
  text-decoration: line-through; color: #777;
}
.annex { break-before: page; page-break-before: always; }
.annex .source { font-style: italic; color: #333; }
.annex .rationale { border-left: 3px solid #bbb; padding-left: .6em; }
ins { text-decoration: underline; color: #05622a; background: #e9f7ee; }
del { text-decoration: line-through; color: #9b1c1c; background: #fbecec; }
.legend { font-size: 9.5pt; color: #444; }
.history { break-before: page; page-break-before: always; }
table.revisions { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 9pt; line-height: 1.3; }
table.revisions thead { display: table-header-group; }
table.revisions th, table.revisions td {
  border: 1px solid #bbb; padding: .2em .35em; text-align: left; vertical-align: top;
}
table.revisions td { overflow-wrap: anywhere; }
table.revisions th { background: #f1f1f1; }
table.revisions td.number { text-align: right; }
@media print { body { max-width: none; margin: 0; padding: 0; } }
"""


WBR_EVERY = 64
HISTORY_WIDTHS = (10, 14, 15, 11, 27, 23)  # percent of the page for each of HISTORY_COLUMNS (a fixed layout)

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067"
                  "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def direction(text: str) -> str:
    """`` dir="auto"`` for text with right-to-left characters (the browser then lays it out by its
    first strong character); nothing otherwise, which keeps WeasyPrint fast on long documents."""
    return ' dir="auto"' if _RTL.search(text) else ""


_LONG_WORD = re.compile(rf"\S{{{2 * WBR_EVERY},}}")


def _wbr(match: re.Match[str]) -> str:
    word = match.group()
    return "\0".join(word[i:i + WBR_EVERY] for i in range(0, len(word), WBR_EVERY))


def text_html(text: str) -> str:
    """``text`` escaped, with a ``<wbr>`` (a place to break the line, invisible otherwise) every
    :data:`WBR_EVERY` characters of a word at least twice that long: WeasyPrint breaks an unbroken
    word in time quadratic in its length (a 100,000-character one took 93 s to print, 2 s so)."""
    return escape(_LONG_WORD.sub(_wbr, clean(text)), quote=True).replace("\0", "<wbr>")


def diff_html(segments: tuple[Segment, ...]) -> str:
    """Segments as HTML with ``<del>`` and ``<ins>``; paragraph breaks become ``<br>``."""
    out = []
    for seg in for_display(segments):
        body = text_html(seg.text).replace("\n\n", "<br>").replace("\n", " ")
        if seg.op == "equal":
            out.append(body)
        elif seg.op == "delete":
            out.append(f"<del>{body}</del>")
        else:
            out.append(f"<ins>{body}</ins>")
    return "".join(out)


def body_html(draft: Draft, *, provenance_annex: bool = False, history: Sequence[Revision] = ()) -> str:
    out: list[str] = [f'<h1 class="title" dir="auto">{text_html(one_line(draft.title))}</h1>',
                      f'<p class="meta">Draft {text_html(draft.id)} &middot; revision {draft.revision} &middot; '
                      f"exported {exported_at()}</p>", "<main>"]
    if not draft.nodes:
        out.append(f'<p class="empty"><em>{EMPTY}</em></p>')
    open_depths: list[int] = []
    for entry in entries(draft):
        while open_depths and open_depths[-1] >= entry.depth:
            out.append("</section>")
            open_depths.pop()
        node = entry.provision.node
        classes = f"provision {node.kind.value} status-{node.status.value}"
        if entry.struck:  # struck itself, or inside a struck provision
            classes += " struck"
        level = min(entry.depth + 2, 6)
        out.append(f'<section class="{classes}" id="{escape(entry.provision.eid)}">')
        open_depths.append(entry.depth)
        label, heading = entry.provision.label, one_line(node.heading)
        title = f'<span class="num">{text_html(label)}</span>' if label else ""
        if heading:
            title += (". " if label else "") + f'<span class="heading">{text_html(heading)}</span>'
        out.append(f'<h{level}{direction(heading)}>{title or text_html(node.kind.value)}</h{level}>')
        for para in paragraphs(node.text):
            out.append(f'<p{direction(para)}>{text_html(para).replace(chr(10), "<br>")}</p>')
    out += ["</section>"] * len(open_depths)
    out.append("</main>")
    if provenance_annex:
        out.append('<section class="annex"><h2>Annex: provenance and rationale</h2>'
                   '<p class="legend">Each adopted provision is compared with its source: '
                   "<del>struck</del> words were removed, <ins>underlined</ins> words added.</p>")
        items = provenance(draft)
        if not items:
            out.append(f"<p>{NO_ANNEX}</p>")
        for item in items:
            title = item.title
            out.append(f'<h3{direction(title)}>{text_html(title)}</h3>')
            if item.adopted:
                source = f", {text_html(item.source)}" if item.source else ""
                out.append(f'<p class="source"{direction(item.source)}>Adopted from {text_html(item.citation)}'
                           f"{source}.</p>")
                if item.unchanged:
                    out.append('<p class="unchanged"><em>Unchanged from the source.</em></p>')
                else:
                    if any(s.op != "equal" for s in item.heading):
                        rtl = direction(item.provision.node.heading)
                        out.append(f'<p class="diff"{rtl}>Heading: {diff_html(item.heading)}</p>')
                    out.append(f'<p class="diff"{direction(item.provision.node.text)}>{diff_html(item.text)}</p>')
            else:
                out.append('<p class="source">Written new for this draft.</p>')
            for n, para in enumerate(paragraphs(item.rationale)):  # a rationale keeps its paragraphs and lines
                lead, body = "Rationale: " if n == 0 else "", text_html(para).replace("\n", "<br>")
                out.append(f'<p class="rationale"{direction(para)}>{lead}{body}</p>')
        out.append("</section>")
    if history:
        out.append(history_html(draft, history))
    return "\n".join(out)


def history_html(draft: Draft, history: Sequence[Revision]) -> str:
    """The "Revision history" section: one table row per revision, every cell escaped (line breaks in a
    description kept as ``<br>``, the provisions touched one per line, the time's date above its hour)."""
    head = "".join(f"<th>{name}</th>" for name in HISTORY_COLUMNS)
    cols = "".join(f'<col style="width: {width}%">' for width in HISTORY_WIDTHS)
    out = [f'<section class="history"><h2>{HISTORY_TITLE}</h2>', f'<p class="legend">{HISTORY_LEGEND}</p>',
           f'<table class="revisions"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>']
    for row in history_rows(draft, history):
        provisions = "<br>".join(text_html(title) for title in row.provisions)
        when = text_html(row.time).replace(" ", "<br>", 1)
        out.append(f'<tr><td class="number">{row.revision.rev}</td><td class="time">{when}</td>'
                   f'<td class="author"{direction(row.author)}>{text_html(row.author)}</td>'
                   f'<td class="operation">{text_html(row.operation)}</td>'
                   f'<td class="description"{direction(row.description)}>'
                   f'{text_html(row.description).replace(chr(10), "<br>")}</td>'
                   f'<td class="provisions"{direction(provisions)}>{provisions}</td></tr>')
    out.append("</tbody></table></section>")
    return "\n".join(out)


def to_html(draft: Draft, *, provenance: bool = False, history: Sequence[Revision] = ()) -> bytes:
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{text_html(one_line(draft.title))}</title>\n"
            "<meta name=\"generator\" content=\"Convene\">\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n"
            f"{body_html(draft, provenance_annex=provenance, history=history)}\n</body>\n</html>\n")
    return page.encode("utf-8")
