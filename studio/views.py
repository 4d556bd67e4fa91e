"""What the studio's pages show, computed without Streamlit (tested with plain pytest).

Guarantees:

- Every HTML fragment built here escapes all text it is given; the only tags in
  the output are the ones this module writes (``<mark>``, ``<ins>``, ``<del>``,
  ``<span>``, ``<div>``, the tables of the Insights charts, and the paragraphs, lists and
  http(s) links of the commentary).
- Nothing here touches a database; callers pass documents, drafts and results in.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from textwrap import shorten

from compare.align import Alignment, Match, Row
from compare.diff import diff, to_html
from constitutions.canonical import canonical_citations
from constitutions.commentary import Commentary, Note
from constitutions.importer import ImportReport
from constitutions.model import Document, Kind, Provision
from constitutions.store import MARK_CLOSE, MARK_OPEN
from drafting.model import Draft, DraftProvision
from drafting.ops import Adopt

# ------------------------------------------------------------------ search snippets


def highlight_snippet(snippet: str) -> str:
    """A search snippet as HTML: the text escaped, the store's match markers as ``<mark>``."""
    out, open_ = [], False
    for piece in _split_marks(snippet):
        if piece == MARK_OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == MARK_CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(piece))
    if open_:
        out.append("</mark>")
    return "".join(out)


def _split_marks(text: str) -> list[str]:
    pieces, current = [], []
    for ch in text:
        if ch in (MARK_OPEN, MARK_CLOSE):
            if current:
                pieces.append("".join(current))
                current = []
            pieces.append(ch)
        else:
            current.append(ch)
    if current:
        pieces.append("".join(current))
    return pieces


# ------------------------------------------------------------------ word-level differences


def side_by_side(a: str, b: str) -> tuple[str, str]:
    """Two HTML texts: ``a`` with the words ``b`` lacks in ``<del>``, ``b`` with the words ``a`` lacks
    in ``<ins>``.  Line breaks become ``<br>``."""
    left, right = [], []
    for seg in diff(a, b):
        text = html.escape(seg.text).replace("\n", "<br>")
        if seg.op == "equal":
            left.append(text)
            right.append(text)
        elif seg.op == "delete":
            left.append(f"<del>{text}</del>" if seg.text.strip() else text)
        else:
            right.append(f"<ins>{text}</ins>" if seg.text.strip() else text)
    return "".join(left), "".join(right)


def segments_html(segments: Iterable) -> str:
    """Word-diff segments (from :mod:`compare.diff`) as HTML, line breaks kept."""
    return to_html(list(segments)).replace("\n", "<br>")


def escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


# ------------------------------------------------------------------ documents


RELATION_TEXT = {"provision": "", "enclosing": "on {cite}, which contains it", "within": "on {cite}, within it"}


def commentary_notes(sets: Sequence[Commentary], eid: str, *, enclosing: bool) -> list[tuple[Commentary, Note]]:
    """The notes of every commentary on provision ``eid``: those about it, and with ``enclosing`` those about
    a part containing it (a page listing a chapter's sections shows the chapter's notes once, above them)."""
    wanted = {"provision", "enclosing"} if enclosing else {"provision"}
    return [(c, n) for c in sets for n in c.on(eid) if n.relation in wanted]


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def commentary_html(notes: Sequence[tuple[Commentary, Note]], cites: Mapping[str, str]) -> str:
    """The commentary notes on a provision: each topic's title, where it applies, summary, meaning and
    interpretation, and its cases linked to their judgments."""
    out = []
    for c, note in notes:
        t = note.topic
        where = RELATION_TEXT[note.relation].format(cite=cites.get(note.reference, note.reference))
        source = f"{c.publisher}" + (f", updated {t.updated}" if t.updated else "")
        parts = [f"<div><b>{escape(t.title)}</b> <span style='color:#6b7280'>"
                 f"({escape(where + '; ' if where else '')}{escape(source)})</span>", _paragraphs(t.summary)]
        for label, body in (("What it means", t.meaning), ("How it has been interpreted", t.interpretation)):
            if body:
                parts.append(f"<p><i>{escape(label)}.</i></p>{_paragraphs(body)}")
        cases = c.cases_of(t)
        if cases:
            items = "".join(
                f"<li><a href='{html.escape(k.url, quote=True)}' target='_blank' rel='noopener'>"
                f"{escape(k.title)}</a></li>" if k.url else f"<li>{escape(k.title)}</li>" for k in cases)
            parts.append(f"<p><i>Cases ({len(cases)}).</i></p><ul>{items}</ul>")
        out.append("".join(parts) + "</div>")
    return "".join(out)


TEXT_LIMIT = 6000  # characters of a provision shown (and word-diffed) on a page
FACET_CHARS = 60  # characters of a facet (the part of a provision a match is for) shown beside the match


def _whole_text(p: Provision) -> str:
    text = p.full_text() if p.children else p.text
    return p.heading if not text.strip() and p.heading else text


def provision_text(p: Provision, *, limit: int = TEXT_LIMIT) -> str:
    """A provision's words with its descendants', cut at ``limit`` characters (with an ellipsis)."""
    text = _whole_text(p)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def is_cut(p: Provision, *, limit: int = TEXT_LIMIT) -> bool:
    """Whether :func:`provision_text` shows only the beginning of ``p``."""
    return len(_whole_text(p)) > limit


def provision_title(p: Provision, citation: str) -> str:
    from constitutions.headings import titled

    return titled(citation, p.heading)


def provision_label(p: Provision, cites: Mapping[str, str], *, words: int = 6) -> str:
    """How a provision is named to a reader: its citation (with its heading), else its heading, else its
    kind and opening words ("Division: “Done in Convention by the Unanimous …”"), never a bare eId."""
    citation = cites.get(p.eid)
    if citation and citation != p.eid:  # (a provision with no number is "cited" by its bare eId)
        return provision_title(p, citation)
    if p.heading:
        return p.heading
    opening = p.text.split()
    if not opening:
        return p.kind.value.capitalize()
    more = " …" if len(opening) > words else ""
    return f"{p.kind.value.capitalize()}: “{' '.join(opening[:words])}{more}”"


def count(n: int, word: str) -> str:
    """"1 provision", "2 provisions"."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level part of a document offered as one choice in the library tree."""

    eid: str
    label: str
    size: int  # provisions in its subtree


def sections(doc: Document) -> list[Section]:
    """The document's top-level provisions, each with its citation, heading and size."""
    cites = canonical_citations(doc)
    return [Section(p.eid, provision_label(p, cites), sum(1 for _ in p.walk())) for p in doc.provisions]


def uploads_report(report: ImportReport, folder: str) -> ImportReport:
    """The report of an import of uploaded files saved in the temporary ``folder``, each target and reason
    naming the file as the drafter uploaded it ("broken.xml: malformed XML …"), not its temporary path."""
    prefix = str(folder).rstrip("/") + "/"
    return ImportReport(tuple(replace(i, target=i.target.replace(prefix, ""), reason=i.reason.replace(prefix, ""))
                              for i in report.items))


def adoption(doc: Document, eid: str, *, parent: str | None = None, position: int | None = None) -> Adopt:
    """The operation adopting provision ``eid`` of ``doc`` with its subtree (as :func:`drafting.sources.adoption`,
    from a document already in memory)."""
    cites = canonical_citations(doc)
    provision = doc.get(eid)
    subtree = tuple((p.eid, f"{doc.id}:{cites[p.eid]}") for p in provision.walk() if p.eid in cites)
    top = f"{doc.id}:{cites.get(eid, eid)}"
    return Adopt(document=doc.id, provision=provision, citation=top, document_title=doc.title,
                 document_version=doc.version, parent=parent, position=position, citations=subtree)


# ------------------------------------------------------------------ comparison rows


@dataclass(frozen=True, slots=True)
class Counterpart:
    doc_id: str
    eid: str | None  # None: no counterpart in this document
    citation: str
    score: float | None
    nearest: str = ""  # with no counterpart: the citation of the best-scoring candidate, if any
    why: str = ""  # what the counterpart shares with the provision (Explanation.summary)
    also: str = ""  # the next-ranked candidates, "Art. 5 (0.41); Art. 9 (0.30)"
    focus: str = ""  # the citation of the counterpart's sub-provision where the match lies, if named
    focus_eid: str = ""  # and its eId


def runners_up(matches: Sequence[Match], *, limit: int = 3) -> str:
    """The places ranked after the first, "citation (score)", for a reader weighing alternatives (a focus, the
    part of a place where its match lies, is not another place: :func:`compare.align.focus`); a facet's match
    (:mod:`compare.facets`) says which part of the provision it matches, "citation (score, for “...”)"."""
    places = [m for m in matches[1:] if m.within is None]
    return "; ".join(f"{m.citation} ({m.score:.2f}{_for_facet(m)})" for m in places[:limit])


def _for_facet(m: Match) -> str:
    if not m.facet:
        return ""
    return ", for \u201c" + shorten(m.facet, FACET_CHARS, placeholder=" \u2026") + "\u201d"


@dataclass(frozen=True, slots=True)
class CompareRow:
    eid: str
    citation: str
    top: str  # eId of the top-level provision it sits in (for the article filter)
    counterparts: tuple[Counterpart, ...]

    @property
    def best(self) -> float:
        return max((c.score or 0.0 for c in self.counterparts if c.eid), default=0.0)


def compare_rows(base: Document, alignments: Sequence[Alignment], *, min_score: float = 0.0,
                 top_eid: str | None = None, only: Iterable[str] | None = None,
                 counterparts_only: bool = False) -> list[CompareRow]:
    """Rows of ``base``'s provisions with their best counterpart in each aligned document.

    A document's best match counts as a counterpart only when the alignment judged it one; otherwise the
    row says "no counterpart" for that document.  Filters: ``min_score`` (best counterpart score),
    ``top_eid`` (inside one top-level provision), ``only`` (a set of eIds, e.g. tagged with a topic),
    ``counterparts_only`` (at least one counterpart)."""
    top_of = {loc.provision.eid: (loc.ancestors[0].eid if loc.ancestors else loc.provision.eid)
              for loc in base.walk()}
    by_doc: list[dict[str, Row]] = [{r.eid: r for r in al.rows} for al in alignments]
    wanted = set(only) if only is not None else None
    out = []
    for loc in base.walk():
        eid = loc.provision.eid
        if top_eid is not None and top_of[eid] != top_eid:
            continue
        if wanted is not None and eid not in wanted:
            continue
        rows = [m.get(eid) for m in by_doc]
        if all(r is None for r in rows):
            continue  # no words of its own or below it
        citation = next(r.citation for r in rows if r is not None)
        parts = []
        for al, r in zip(alignments, rows, strict=True):
            if r is not None and r.counterpart and r.matches:
                m = r.matches[0]
                focus = next((f for f in r.matches[1:2] if f.within == m.eid), None)
                parts.append(Counterpart(al.b, m.eid, m.citation, m.score, why=m.explanation.summary(),
                                         also=runners_up(r.matches), focus=focus.citation if focus else "",
                                         focus_eid=focus.eid if focus else ""))
            else:
                best = r.matches[0] if r is not None and r.matches else None
                parts.append(Counterpart(al.b, None, "", best.score if best else None, best.citation if best else ""))
        row = CompareRow(eid, citation, top_of[eid], tuple(parts))
        if counterparts_only and not any(c.eid for c in row.counterparts):
            continue
        if row.best < min_score:
            continue
        out.append(row)
    return out


def find_row(rows: Sequence[CompareRow], eid: str) -> int | None:
    for i, row in enumerate(rows):
        if row.eid == eid:
            return i
    return None


# ------------------------------------------------------------------ drafts


@dataclass(frozen=True, slots=True)
class Badge:
    text: str
    color: str  # a Streamlit badge colour


def badges(p: DraftProvision) -> list[Badge]:
    """Provenance and status badges of a draft provision: where it came from, edited or not, its status."""
    node = p.node
    out = []
    if node.origin.adopted:
        out.append(Badge(f"from {node.origin.citation or node.origin.document + ':' + node.origin.eid}", "blue"))
        edited = (node.text, node.heading) != (node.origin.text, node.origin.heading)
        out.append(Badge("edited" if edited else "verbatim", "orange" if edited else "gray"))
    else:
        out.append(Badge("new", "violet"))
    out.append(Badge(node.status.value, {"agreed": "green", "struck": "red"}.get(node.status.value, "gray")))
    return out


@dataclass(frozen=True, slots=True)
class TreeLine:
    id: str
    depth: int
    label: str  # "Article I — Rights"
    position: int  # 1-based among its siblings
    siblings: int
    badges: tuple[Badge, ...]


def draft_lines(draft: Draft) -> list[TreeLine]:
    """The draft's tree as lines in document order, with each provision's place among its siblings."""
    out: list[TreeLine] = []

    def visit(items: Sequence[DraftProvision], depth: int) -> None:
        for i, p in enumerate(items, start=1):
            name = p.label or p.node.kind.value.capitalize()
            label = f"{name} — {p.node.heading}" if p.node.heading else name
            out.append(TreeLine(p.id, depth, label, i, len(items), tuple(badges(p))))
            visit(p.children, depth + 1)

    visit(draft.tree, 0)
    return out


def utc_time(stamp: str) -> str:
    """A stored ISO 8601 timestamp as a drafter reads it, to the minute and saying it is UTC:
    ``2026-11-22T14:05:31.123Z`` -> ``2026-11-22 14:05 UTC``.

    Guarantees: a timestamp with an offset is converted to UTC; one without (the draft store writes UTC) is
    taken as UTC; anything that is not an ISO 8601 date and time is returned exactly as given, never an
    exception.  The times it writes sort as the moments they name (zero-padded, year first), so a table
    sorted on them keeps the order of the revisions, to the minute."""
    if not isinstance(stamp, str) or len(stamp) <= len("2026-11-22"):  # no time of day to show
        return stamp
    try:
        moment = datetime.fromisoformat(stamp)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not ISO 8601; an offset taking it past year 1 or 9999
        return stamp
    return f"{moment.year:04d}-{moment:%m-%d %H:%M} UTC"  # (strftime's %Y does not pad years before 1000)


def conflict_texts(rejected: Mapping, draft: Draft) -> tuple[str, str, str] | None:
    """For a refused edit (``ConflictError.rejected``): (provision id, their current text, my refused text);
    None when the refused change was not an edit of a provision's text or heading."""
    change = rejected.get("change") or {}
    if change.get("op") != "edit":
        return None
    pid = change.get("provision", "")
    node = draft.nodes.get(pid)
    theirs = node.text if node is not None else "(the provision was deleted meanwhile)"
    mine = change.get("text", change.get("heading", ""))
    return pid, theirs, str(mine)


# ------------------------------------------------------------------ calculator


_ROUNDING_WORDS = {"round": "rounded to the nearest whole number", "floor": "rounded down to a whole number",
                   "ceil": "rounded up to a whole number"}


def rule_text(*, per: int | None, seats: int | None, method_label: str, min_seats: int,
              max_seats: int | None, chamber: str, rounding: str = "round") -> str:
    """The words of a representation rule, for the drafter to edit: the rounding of a "one seat per N
    people" rule (:data:`design.apportion.ROUNDINGS`), and the bounds only when there are any."""
    bounds = []
    if min_seats > 0:
        bounds.append(f"at least {_count(min_seats, 'member')}")
    if max_seats:
        bounds.append(f"at most {_count(max_seats, 'member')}")
    limits = f" Each State shall have {' and '.join(bounds)}." if bounds else ""
    if per:
        return (f"The {chamber} shall be composed of members chosen in each State, one for every "
                f"{per:,} persons, the number of each State {_ROUNDING_WORDS[rounding]}, as determined "
                f"by the most recent national census.{limits}")
    return (f"The {chamber} shall be composed of {seats:,} members, apportioned among the States according to "
            f"their respective numbers, counting the whole number of persons in each State as determined by the "
            f"most recent national census, by the method of {method_label}.{limits}")


def _count(n: int | None, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ------------------------------------------------------------------ insights


_LIGHT, _DARK = (247, 251, 255), (8, 48, 107)  # the ends of the heatmap's blue scale


def _shade(value: float) -> tuple[str, str]:
    """Background and text colours of a heatmap cell for ``value`` in [0, 1] (clamped)."""
    v = min(1.0, max(0.0, value))
    rgb = tuple(round(lo + (hi - lo) * v) for lo, hi in zip(_LIGHT, _DARK, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb), ("#ffffff" if v >= 0.5 else "#111827")


def heatmap_html(ids: Sequence[str], scores: Sequence[Sequence[float]], *, caption: str) -> str:
    """A heatmap as an HTML table (a real table: column and row headers, every value written in its cell and
    in its tooltip, the colour only repeating it), so it draws at once and reads with a keyboard or a screen
    reader.  ``scores[i][j]`` is row ``ids[i]`` against column ``ids[j]``."""
    if len(scores) != len(ids) or any(len(row) != len(ids) for row in scores):
        raise ValueError("a heatmap needs one row and one column per id")
    e = html.escape
    head = "".join(f"<th scope='col'>{e(i)}</th>" for i in ids)
    rows = []
    for a, row in zip(ids, scores, strict=True):
        cells = []
        for b, value in zip(ids, row, strict=True):
            bg, fg = _shade(float(value))
            cells.append(f"<td style='background:{bg};color:{fg}' title='{e(a)} / {e(b)}: {value:.2f}'>"
                         f"{value:.2f}</td>")
        rows.append(f"<tr><th scope='row'>{e(a)}</th>{''.join(cells)}</tr>")
    return (f"<table class='heatmap'><caption>{e(caption)}</caption><thead><tr><td></td>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def bars_html(categories: Sequence[str], series: Mapping[str, Sequence[int]], *, caption: str,
              unit: str = "") -> str:
    """A grouped bar chart as an HTML table: one row per category, one bar per series (name and number
    written beside it), bar lengths relative to the largest value.  ``series[name][k]`` belongs to
    ``categories[k]``."""
    if any(len(values) != len(categories) for values in series.values()):
        raise ValueError("every series needs one value per category")
    e = html.escape
    largest = max((v for values in series.values() for v in values), default=0) or 1
    palette = ("#1d4ed8", "#f59e0b", "#059669", "#9333ea", "#dc2626")
    colour = {name: palette[k % len(palette)] for k, name in enumerate(series)}
    legend = "".join(f"<span class='key'><span class='swatch' style='background:{colour[n]}'></span>{e(n)}</span>"
                     for n in series)
    rows = []
    for k, category in enumerate(categories):
        bars = "".join(
            f"<div class='bar-line'><span class='bar-name' title='{e(name)}'>{e(name)}</span><span class='bar' "
            f"style='width:{100 * values[k] / largest:.1f}%;background:{colour[name]}'></span>"
            f"<span class='bar-value'>{values[k]}{e(unit)}</span></div>"
            for name, values in series.items())
        rows.append(f"<tr><th scope='row'>{e(category)}</th><td>{bars}</td></tr>")
    return (f"<div class='bars-legend'>{legend}</div><table class='bars'><caption>{e(caption)}</caption>"
            f"<tbody>{''.join(rows)}</tbody></table>")


CHART_CSS = ("<style>"
             "table.heatmap{border-collapse:collapse;font-size:0.85em}"
             "table.heatmap th,table.heatmap td{padding:4px 6px;text-align:center;border:1px solid #fff}"
             "table.heatmap caption,table.bars caption{caption-side:bottom;text-align:left;color:#6b7280;"
             "font-size:0.85em;padding-top:4px}"
             "table.bars{border-collapse:collapse;width:100%;font-size:0.85em}"
             "table.bars th{text-align:right;font-weight:normal;padding:4px 8px;width:18%;vertical-align:top}"
             "table.bars td{padding:4px 0;width:82%}"
             ".bar-line{display:flex;align-items:center;gap:6px;height:1.2em}"
             ".bar-name{flex:0 0 10em;color:#374151;font-size:0.85em;text-align:right;white-space:nowrap;"
             "overflow:hidden;text-overflow:ellipsis}"
             ".bar{display:inline-block;height:0.9em;min-width:1px}"
             ".bars-legend{display:flex;gap:14px;font-size:0.85em;margin-bottom:4px}"
             ".swatch{display:inline-block;width:0.8em;height:0.8em;margin-right:4px}"
             "</style>")


@dataclass(frozen=True, slots=True)
class Coverage:
    """Topic coverage of a draft against reference groups (``US``, ``California``, ``Foreign``)."""

    draft: frozenset[str]  # topic keys the draft addresses
    groups: Mapping[str, frozenset[str]]  # group -> topic keys addressed by (most of) its documents
    common: frozenset[str]  # topics addressed by at least half of all reference documents

    @property
    def lacking(self) -> frozenset[str]:
        return self.common - self.draft


def coverage(draft_topics: Iterable[str], doc_topics: Mapping[str, Iterable[str]], *,
             groups: Mapping[str, Sequence[str]]) -> Coverage:
    """``doc_topics``: topic keys each reference document addresses; ``groups``: group name -> doc ids.
    A group addresses a topic when at least half of its documents do."""
    sets = {d: frozenset(t) for d, t in doc_topics.items()}
    by_group = {}
    for name, ids in groups.items():
        present = [sets[i] for i in ids if i in sets]
        counts: dict[str, int] = {}
        for s in present:
            for k in s:
                counts[k] = counts.get(k, 0) + 1
        need = math.ceil(len(present) / 2) if present else 1
        by_group[name] = frozenset(k for k, c in counts.items() if c >= need)
    total: dict[str, int] = {}
    for s in sets.values():
        for k in s:
            total[k] = total.get(k, 0) + 1
    need = math.ceil(len(sets) / 2) if sets else 1
    common = frozenset(k for k, c in total.items() if c >= need)
    return Coverage(frozenset(draft_topics), by_group, common)


def draft_document(draft: Draft) -> Document:
    """The draft as a corpus :class:`Document` (for tagging and comparing), struck provisions left out."""

    def convert(p: DraftProvision) -> Provision | None:
        if p.node.status.value == "struck":
            return None
        kids = tuple(c for c in (convert(x) for x in p.children) if c is not None)
        return Provision(eid=p.eid or p.id, kind=p.node.kind if isinstance(p.node.kind, Kind) else Kind.SECTION,
                         num=p.num, heading=p.node.heading, text=p.node.text, children=kids)

    provisions = tuple(c for c in (convert(p) for p in draft.tree) if c is not None)
    return Document(id=f"draft-{draft.id}", title=draft.title, jurisdiction="draft", provisions=provisions)


_BADGE_STYLE = {"blue": "#dbeafe", "orange": "#ffedd5", "gray": "#e5e7eb", "violet": "#ede9fe", "green": "#dcfce7",
                "red": "#fee2e2"}


def tree_html(lines: Sequence[TreeLine], *, selected: str | None = None) -> str:
    """The draft tree as an HTML list: one line per provision, indented, with its badges."""
    out = ["<div class='draft-tree'>"]
    for line in lines:
        marks = " ".join(f"<span class='badge' style='background:{_BADGE_STYLE.get(b.color, '#e5e7eb')};"
                         f"border-radius:4px;padding:0 4px;font-size:0.8em'>{html.escape(b.text)}</span>"
                         for b in line.badges)
        weight = "font-weight:bold;" if line.id == selected else ""
        out.append(f"<div class='line' style='margin-left:{1.2 * line.depth}em;{weight}'>"
                   f"{html.escape(line.label)} {marks}</div>")
    out.append("</div>")
    return "".join(out)
