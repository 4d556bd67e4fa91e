"""The outline engine shared by the Constitute and plain-text readers: it infers
a provision tree from headings and paragraph numbering in plain text.

Pipeline (each step a named function):

1. :func:`split_lines` - clean every line (:func:`base.clean_line`), count the
   blank lines around it, and fold Constitute's ``Share`` lines into a
   ``marked`` flag on the heading line above them;
2. :func:`classify` - turn each line into an :class:`Event`: a heading (preamble,
   Act, schedule, group, unit, schedule item) or a body paragraph with its
   leading labels (:mod:`constitutions.numbering`);
3. :class:`_Builder` - a stack machine that opens and closes provisions:
   groups nest by the order their styles first appear (``PART`` > ``CHAPTER``,
   ``Title`` > ``Chapter`` > ``Section``); units (articles/sections) sit in
   the innermost group; numbered paragraphs nest by numbering style
   (:func:`numbering.choose_style`); unnumbered paragraphs join the provision
   they belong to, using blank-line spacing to climb out of a list;
4. :func:`_freeze` - immutable :class:`Provision` s with normalised text
   (:func:`base.normalize_text`) and unique, stable eIds.

eIds: grouping containers (parts, chapters, titles, divisions) take their
place in the tree but are *transparent* in the eIds of the units below them, so
Ireland's Art. 40.6.1° is ``art_40__sec_6__subsec_1`` and Kenya's Art. 43(1)(a)
is ``art_43__cl_1__para_a`` whatever chapter they sit in.  Acts (Canada's two
Constitution Acts, ``dvs_1867``/``dvs_1982``) and schedules are *opaque*: what
sits inside them is prefixed with their eId (``sched_4__part_1__item_3``), because
their numbering restarts.  Inside a schedule every container is opaque.  The
remaining collisions get ``_2``, ``_3`` suffixes in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from constitutions import numbering as nb
from constitutions.model import Kind, Provision, State, Status, make_eid
from constitutions.readers.base import clean_line, normalize_text

# ------------------------------------------------------------------ config


@dataclass(frozen=True)
class OutlineConfig:
    """How to read one family of texts.

    ``unit_kind`` is the kind of a headed provision (ARTICLE or SECTION; None:
    decide from the text - ARTICLE when any line reads ``Article N``).
    ``sub_kinds`` maps the kind of a provision to the kinds of numbered
    paragraphs below it, outermost first (the last one repeats deeper down).
    ``trust_numbered_headings``: a ``26. Right to life`` line is a heading even
    without a ``Share`` mark, when its number follows the previous unit's.
    ``paragraph_gap``: when set, a unit without numbered paragraphs whose text
    has paragraphs at least this many blank lines apart is split there into
    numbered sub-provisions 1, 2, 3... of its first sub-kind (see
    :func:`_implicit_paragraphs`); paragraphs closer together (a list under a
    lead-in) stay in the sub-provision they follow.
    """

    unit_kind: Kind | None = None
    sub_kinds: dict[Kind, tuple[Kind, ...]] = field(default_factory=dict)
    trust_numbered_headings: bool = False
    paragraph_gap: int = 0


# Mapping used unless a reader overrides it:
#   article > clause (1) > paragraph (a) > subparagraph (i) > item
#   section > subsection (1) > paragraph (a) > subparagraph (i) > item
#   schedule / group / item > item 1 > paragraph (a) > subparagraph (i)
DEFAULT_SUB_KINDS: dict[Kind, tuple[Kind, ...]] = {
    Kind.ARTICLE: (Kind.CLAUSE, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM),
    Kind.SECTION: (Kind.SUBSECTION, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM),
    Kind.SCHEDULE: (Kind.ITEM, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM),
    Kind.ITEM: (Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM),
    Kind.SUBSECTION: (Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM),
    Kind.CLAUSE: (Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM),
}
_GROUP_SUBS = (Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM)

# ------------------------------------------------------------------ lines


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line: its cleaned text, 1-based line number, the blank
    lines before and after it, and whether a ``Share`` line marked it."""

    text: str
    number: int
    before: int
    after: int
    marked: bool = False


_SHARE = "Share"


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with spacing; ``Share`` lines vanish and mark the line above."""
    raw = [clean_line(x) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[Line] = []
    blank = 0
    for index, line in enumerate(raw, start=1):
        if not line:
            blank += 1
            continue
        if line == _SHARE and out:
            prev = out[-1]
            out[-1] = Line(prev.text, prev.number, prev.before, 0, True)
            blank = 0
            continue
        if out:
            prev = out[-1]
            out[-1] = Line(prev.text, prev.number, prev.before, blank, prev.marked)
        out.append(Line(line, index, blank if out else 0, 0))
        blank = 0
    if out:
        last = out[-1]
        out[-1] = Line(last.text, last.number, last.before, blank, last.marked)
    return out


# ------------------------------------------------------------------ events


class Ev(StrEnum):
    PREAMBLE = "preamble"
    ACT = "act"  # "CONSTITUTION ACT 1867": a top-level opaque division
    SCHEDULE = "schedule"
    BANNER = "banner"  # "SCHEDULES": closes the body, creates nothing
    GROUP = "group"
    UNIT = "unit"  # an article or section heading
    BARE = "bare"  # "29." alone: a unit whose subsections carry the headings
    STUB = "stub"  # "2. Repealed"
    ITEM = "item"  # "Item 12" in a schedule
    BODY = "body"


@dataclass(frozen=True, slots=True)
class Event:
    ev: Ev
    line: Line
    kind: Kind | None = None
    num: str = ""
    heading: str = ""
    key: str = ""  # group style key ("part", "chapter", "roman", "letter", "plain", "md2")
    labels: tuple[nb.Label, ...] = ()
    rest: str = ""  # body text after the labels
    group_value: tuple[nb.Style, int] | None = None  # roman/letter groups


# "Chapter 1 Sovereignty" / "Part II: Rights" in a Markdown heading -> "Chapter 1. Sovereignty".
_MD_KEYWORD = re.compile(r"^((?:Article|Section|Chapter|Part|Title|Schedule|ARTICLE|SECTION|CHAPTER|PART|TITLE)"
                         r"\s+[0-9IVXLCDM]+[A-Za-z]?)(?:\s*[:\u2013\u2014-]\s*|\s+)(?=[A-Z\[])")
_PREAMBLE = re.compile(r"^(?:PREAMBLE|Preamble)\.?$")
_ACT = re.compile(r"^(?:THE\s+)?CONSTITUTION\s+ACT,?\s+(?P<year>1[89]\d\d)$")
_SENTENCE_END = re.compile(r"[.;:,]$")

_KEYWORD_GROUPS: tuple[tuple[re.Pattern[str], Kind, str], ...] = (
    (nb.PART_HEADING, Kind.PART, "part"),
    (nb.CHAPTER_HEADING, Kind.CHAPTER, "chapter"),
    (nb.TITLE_HEADING, Kind.TITLE, "title"),
    (nb.ANNEXURE_HEADING, Kind.DIVISION, "annexure"),
    (nb.LIST_HEADING, Kind.DIVISION, "list"),
)


def _strip_brackets(heading: str) -> str:
    heading = heading.strip()
    if heading.startswith("[") and heading.endswith("]"):
        heading = heading[1:-1].strip()
    return heading


def _is_heading_line(line: Line) -> bool:
    """Cheap test used to look ahead: does this line open a provision or group?"""
    if line.marked:
        return True
    t = line.text
    return bool(_keyword_group(t) or nb.ARTICLE_HEADING.match(t) or nb.SECTION_HEADING.match(t)
                or nb.ORDINAL_SCHEDULE_HEADING.match(t) or nb.SCHEDULE_HEADING.match(t)
                or nb.MARKDOWN_HEADING.match(t) or _PREAMBLE.match(t))


def _keyword_group(text: str) -> tuple[Kind, str, str, str] | None:
    for pattern, kind, key in _KEYWORD_GROUPS:
        m = pattern.match(text)
        if m and (m.group("heading") is None or not _SENTENCE_END.search(text)):
            return kind, key, m.group("num"), (m.group("heading") or "").strip()
    return None


def _headish(text: str, limit: int = 160) -> bool:
    """Looks like a heading rather than a sentence: short, no closing punctuation."""
    return len(text) <= limit and not _SENTENCE_END.search(text)


class _Classifier:
    def __init__(self, lines: list[Line], config: OutlineConfig, unit_kind: Kind):
        self.lines = lines
        self.config = config
        self.unit_kind = unit_kind

    def next_is_heading(self, i: int) -> bool:
        return i + 1 < len(self.lines) and _is_heading_line(self.lines[i + 1])

    def next_is_structural(self, i: int) -> bool:
        """The next line is a recognised article, section or group heading (not
        merely a marked line such as a table's "Column 1. Section number")."""
        if i + 1 >= len(self.lines):
            return False
        nxt = self.lines[i + 1]
        t = nxt.text
        if nxt.marked and (nb.NUMBERED_HEADING.match(t) or _PREAMBLE.match(t)):
            return True
        if nb.REPEALED_STUB.match(t) or (nb.BARE_NUMBER.match(t) and self._headed_children_follow(i + 1)):
            return True
        return bool(_keyword_group(t) or nb.ARTICLE_HEADING.match(t) or nb.SECTION_HEADING.match(t)
                    or nb.ORDINAL_SCHEDULE_HEADING.match(t) or nb.SCHEDULE_HEADING.match(t))

    def event(self, i: int) -> Event:
        line = self.lines[i]
        t = line.text
        md = nb.MARKDOWN_HEADING.match(t)
        if md:
            inner_text = _MD_KEYWORD.sub(r"\1. ", md.group("text"))
            inner = Line(inner_text, line.number, line.before, line.after, True)
            ev = self._heading(inner, i, markdown=True)
            if ev is not None:
                return ev
            return Event(Ev.GROUP, line, Kind.DIVISION, "", md.group("text"), key=f"md{len(md.group('hashes'))}")
        ev = self._heading(line, i)
        if ev is not None:
            return ev
        labels, rest = nb.leading_labels(t)
        return Event(Ev.BODY, line, labels=labels, rest=rest if labels else t)

    def _heading(self, line: Line, i: int, *, markdown: bool = False) -> Event | None:
        t = line.text
        marked = line.marked
        if _PREAMBLE.match(t):
            return Event(Ev.PREAMBLE, line, Kind.PREAMBLE)
        if m := _ACT.match(t):
            return Event(Ev.ACT, line, Kind.DIVISION, m.group("year"), f"Constitution Act, {m.group('year')}")
        if nb.SCHEDULES_BANNER.match(t):
            return Event(Ev.BANNER, line)
        if m := nb.ORDINAL_SCHEDULE_HEADING.match(t):
            num = str(nb.ORDINALS.index(m.group("ordinal")) + 1)
            return Event(Ev.SCHEDULE, line, Kind.SCHEDULE, num, (m.group("heading") or "").strip())
        if (m := nb.SCHEDULE_HEADING.match(t)) and (marked or _headish(t, 200) or m.group("heading") is None):
            return Event(Ev.SCHEDULE, line, Kind.SCHEDULE, m.group("num"), (m.group("heading") or "").strip())
        if (m := nb.UNNUMBERED_SCHEDULE_HEADING.match(t)) and (marked or markdown or self.next_is_heading(i)):
            return Event(Ev.SCHEDULE, line, Kind.SCHEDULE, "", t)
        if group := _keyword_group(t):
            kind, key, num, heading = group
            return Event(Ev.GROUP, line, kind, num, heading, key=key)
        if (m := nb.ARTICLE_HEADING.match(t)) and (self.unit_kind is Kind.ARTICLE or marked or markdown):
            ev = Ev.UNIT if marked or not self._headed_children_follow(i) else Ev.BARE
            return Event(ev, line, Kind.ARTICLE, m.group("num"), _strip_brackets(m.group("heading") or ""))
        if m := nb.SECTION_HEADING.match(t):
            heading = _strip_brackets(m.group("heading") or "")
            if self.unit_kind is Kind.ARTICLE and (not marked or self.next_is_heading(i)):
                return Event(Ev.GROUP, line, Kind.DIVISION, m.group("num"), heading, key="section")
            return Event(Ev.UNIT, line, Kind.SECTION, m.group("num"), heading)
        if m := nb.ITEM_HEADING.match(t):
            return Event(Ev.ITEM, line, Kind.ITEM, m.group("num"))
        if marked or markdown:
            if m := nb.NUMBERED_HEADING.match(t):
                return Event(Ev.UNIT, line, self.unit_kind, m.group("num"), _strip_brackets(m.group("heading")))
            if (m := nb.ROMAN_GROUP_HEADING.match(t)) or (m := nb.LETTER_GROUP_HEADING.match(t)):
                # A marked "I. Form of oath ..." or "D. MOBILITY RIGHTS": numbered heading.
                if self.next_is_heading(i) or self.next_is_structural(i):
                    return self._lettered_group(line, m.group("num"), m.group("heading"))
                return Event(Ev.UNIT, line, self.unit_kind, m.group("num"), m.group("heading").strip())
            if (m := re.match(r"^(?P<num>[a-z])\.\s+(?P<heading>[A-Z].*)$", t)) is not None:
                return Event(Ev.UNIT, line, self.unit_kind, m.group("num"), m.group("heading").strip())
            if nb.BARE_NUMBER.match(t):
                return None
            if _headish(t) and (self.next_is_heading(i) or self._next_opens_with_roman_group(i)):
                return Event(Ev.GROUP, line, Kind.DIVISION, "", t, key="plain")
            return None
        # Unmarked lines: stand-alone headings recognised by shape and spacing.
        if (m := nb.BARE_NUMBER.match(t)) and self._headed_children_follow(i):
            return Event(Ev.BARE, line, self.unit_kind, m.group("num"))
        if m := nb.REPEALED_STUB.match(t):
            return Event(Ev.STUB, line, self.unit_kind, m.group("num"), heading="",
                         rest=m.group("note").strip())
        if line.before >= 1 and line.after == 1 and self.next_is_structural(i) and _headish(t):
            if (m := nb.ROMAN_GROUP_HEADING.match(t)) or (m := nb.LETTER_GROUP_HEADING.match(t)):
                return self._lettered_group(line, m.group("num"), m.group("heading"))
            if t[0].isupper() and not nb.leading_labels(t)[0] and len(t) <= 80:
                return Event(Ev.GROUP, line, Kind.DIVISION, "", t, key="plain")
        if self.config.trust_numbered_headings and (m := nb.NUMBERED_HEADING.match(t)) and _headish(t, 120) \
                and line.after >= 1 and line.before >= 1:
            return Event(Ev.UNIT, line, self.unit_kind, m.group("num"), m.group("heading").strip(),
                         key="unmarked")
        return None

    def _next_opens_with_roman_group(self, i: int) -> bool:
        """The next line opens with an upper-case roman label ("II. 1. The Federal Constitution ..."):
        a marked heading above it heads a block of its own ("Final provisions of the Federal Decree ..."
        after the last Swiss article), not the end of the provision before it."""
        if i + 1 >= len(self.lines):
            return False
        labels, _ = nb.leading_labels(self.lines[i + 1].text)
        if not labels or not re.fullmatch(r"[IVXLC]+", labels[0].num):
            return False
        return labels[0].num != "I" or len(labels) > 1  # a lone "I." may be a letter

    def _headed_children_follow(self, i: int) -> bool:
        """The next line is a marked heading numbered 1 ("29." then "1. Tenure of Place in Senate")."""
        if i + 1 >= len(self.lines) or not self.lines[i + 1].marked:
            return False
        nxt = nb.NUMBERED_HEADING.match(self.lines[i + 1].text)
        return bool(nxt) and nb.arabic_value(nxt.group("num")) == 1

    def _lettered_group(self, line: Line, num: str, heading: str) -> Event:
        readings = nb.styles_of(nb.Label(num + ".", num, num, nb.Form.DOT, 0, len(num) + 1))
        return Event(Ev.GROUP, line, Kind.DIVISION, num, heading.strip(), key="lettered",
                     group_value=readings[0] if readings else None)


_ARTICLE_REF = re.compile(r"\b[Aa]rt(?:icles?|\.)\s+\d")
_SECTION_REF = re.compile(r"\b(?:[Ss]ections?|[Ss]s?\.|§)\s*\d")


def detect_unit_kind(lines: list[Line]) -> Kind:
    """ARTICLE when the text has article headings, SECTION when it has section
    headings; otherwise whichever the text itself cites more ("Article 6 (1)"
    in Kenya's, "section 91" in Canada's)."""
    articles = sections = 0
    for line in lines:
        text = line.text
        if md := nb.MARKDOWN_HEADING.match(text):
            text = md.group("text")
        if nb.ARTICLE_HEADING.match(text):
            return Kind.ARTICLE
        if nb.SECTION_HEADING.match(text) and line.marked:
            return Kind.SECTION
        articles += len(_ARTICLE_REF.findall(text))
        sections += len(_SECTION_REF.findall(text))
    return Kind.ARTICLE if articles > sections else Kind.SECTION


def classify(lines: list[Line], config: OutlineConfig) -> list[Event]:
    """One :class:`Event` per line (see the module docstring)."""
    unit_kind = config.unit_kind or detect_unit_kind(lines)
    classifier = _Classifier(lines, config, unit_kind)
    return [classifier.event(i) for i in range(len(lines))]


# ------------------------------------------------------------------ building


@dataclass(eq=False)
class _Node:
    kind: Kind
    num: str = ""
    heading: str = ""
    paras: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    status: Status | None = None
    opaque: bool = False
    container: bool = False
    bare: bool = False
    line: int = 0
    gaps: dict[int, int] = field(default_factory=dict)  # paragraph index -> blank lines before it


@dataclass
class _Sub:
    level: nb.Level
    node: _Node
    gap: int  # blank lines before its label
    headed: bool = False  # a marked heading ("1. Readjustment of representation"), not a body label


@dataclass
class _Group:
    key: str
    node: _Node
    value: tuple[nb.Style, int] | None = None


class _Builder:
    def __init__(self, config: OutlineConfig):
        self.config = config
        self.roots: list[_Node] = []
        self.act: _Node | None = None
        self.schedule: _Node | None = None
        self.groups: list[_Group] = []
        self.unit: _Node | None = None
        self.subs: list[_Sub] = []
        self.loose: list[_Node] = []
        self.found_structure = False
        self.last: _Node | None = None  # the node whose last paragraph a wrapped line continues

    # -- where things go
    def _container(self) -> _Node | None:
        if self.groups:
            return self.groups[-1].node
        if self.schedule is not None:
            return self.schedule
        return self.act

    def _attach(self, node: _Node) -> None:
        parent = self._container()
        (parent.children if parent is not None else self.roots).append(node)

    def _close_unit(self) -> None:
        self.unit = None
        self.subs = []

    def _anchor(self) -> _Node | None:
        return self.unit if self.unit is not None else self._container()

    def _sub_kind(self, depth: int) -> Kind:
        anchor = self._anchor()
        kinds = _GROUP_SUBS
        if anchor is not None:
            table = {**DEFAULT_SUB_KINDS, **self.config.sub_kinds}
            kinds = table.get(anchor.kind, _GROUP_SUBS)
            if anchor.kind is Kind.SCHEDULE or (anchor.container and anchor.kind is not Kind.SCHEDULE):
                kinds = table.get(Kind.SCHEDULE, _GROUP_SUBS) if self.schedule is not None else _GROUP_SUBS
        return kinds[min(depth, len(kinds) - 1)]

    # -- events
    def feed(self, event: Event) -> None:
        if event.ev is not Ev.BODY:
            self.last = None
        handler = getattr(self, f"_on_{event.ev.value}")
        handler(event)

    def _on_preamble(self, event: Event) -> None:
        self.groups, self.schedule = [], None
        self._close_unit()
        node = _Node(Kind.PREAMBLE, line=event.line.number)
        self._attach(node)
        self.unit = node
        self.found_structure = True

    def _on_act(self, event: Event) -> None:
        self.groups, self.schedule = [], None
        self._close_unit()
        node = _Node(Kind.DIVISION, event.num, event.heading, opaque=True, container=True, line=event.line.number)
        self.roots.append(node)
        self.act = node
        self.found_structure = True

    def _on_banner(self, event: Event) -> None:
        self.groups, self.schedule = [], None
        self._close_unit()

    def _on_schedule(self, event: Event) -> None:
        self.groups, self.schedule = [], None
        self._close_unit()
        node = _Node(Kind.SCHEDULE, event.num, event.heading, opaque=True, container=True, line=event.line.number)
        self._attach(node)
        self.schedule = node
        self.found_structure = True

    def _on_group(self, event: Event) -> None:
        self._close_unit()
        key, value = event.key, event.group_value
        if key == "lettered":
            key, value = self._lettered_key(event)
        for depth in range(len(self.groups) - 1, -1, -1):
            if self.groups[depth].key == key:
                del self.groups[depth:]
                break
        node = _Node(event.kind or Kind.DIVISION, event.num, event.heading, container=True,
                     opaque=self.schedule is not None, line=event.line.number)
        self._attach(node)
        self.groups.append(_Group(key, node, value))
        self.found_structure = True

    def _lettered_key(self, event: Event) -> tuple[str, tuple[nb.Style, int] | None]:
        """Roman or letter?  "I." after "H." continues the letters; otherwise a
        first value ("I", "A") or the most likely reading decides."""
        core = event.num.rstrip("abcdefgh") if event.num[:1].isupper() else event.num
        inserted = core != event.num  # "IVa": inserted after IV, same level
        readings = nb.styles_of(nb.Label(core + ".", core, core, nb.Form.DOT, 0, 0))
        for group in reversed(self.groups):
            if group.value is None:
                continue
            for style, value in readings:
                if style == group.value[0] and value == group.value[1] + (0 if inserted else 1):
                    return group.key, (style, value)
        chosen = next((r for r in readings if r[1] == 1), readings[0] if readings else None)
        return (str(chosen[0]) if chosen else "lettered"), chosen

    def _unit_parent_is_bare(self, event: Event) -> bool:
        unit = self.unit
        if unit is None or not unit.bare or event.kind not in (Kind.ARTICLE, Kind.SECTION):
            return False
        return not nb.is_successor(unit.num, event.num) and not _greater(event.num, unit.num, gap=2)

    def _on_unit(self, event: Event) -> None:
        if self._unit_parent_is_bare(event):
            unit = self.unit
            assert unit is not None
            kind = self._bare_child_kind(unit)
            node = _Node(kind, event.num, event.heading, line=event.line.number)
            unit.children.append(node)
            self.subs = [_Sub(nb.Level(nb.Style.ARABIC, nb.Form.DOT, nb.arabic_value(event.num) or 0), node,
                              event.line.before, headed=True)]
            return
        self._close_unit()
        kind = event.kind or Kind.SECTION
        if self.schedule is not None:
            kind = Kind.ITEM
        node = _Node(kind, event.num, event.heading, line=event.line.number)
        self._attach(node)
        self.unit = node
        self.found_structure = True

    def _bare_child_kind(self, unit: _Node) -> Kind:
        table = {**DEFAULT_SUB_KINDS, **self.config.sub_kinds}
        return table.get(unit.kind, _GROUP_SUBS)[0]

    def _on_bare(self, event: Event) -> None:
        self._on_unit(Event(Ev.UNIT, event.line, event.kind, event.num, event.heading))
        if self.unit is not None:
            self.unit.bare = True

    def _on_item(self, event: Event) -> None:
        self._on_unit(Event(Ev.UNIT, event.line, Kind.ITEM, event.num))
        if self.unit is not None:
            self.unit.kind = Kind.ITEM

    def _on_stub(self, event: Event) -> None:
        unit = self.unit
        continues_sub = False
        labels, rest = nb.leading_labels(event.line.text)
        if labels and self.subs:
            _, _, depth = nb.choose_style(labels[0], tuple(s.level for s in self.subs))
            continues_sub = depth is not None
        sibling = unit is not None and unit.kind in (Kind.ARTICLE, Kind.SECTION) and nb.is_successor(
            unit.num, event.num)
        first = unit is None and self.schedule is None
        if not continues_sub and (sibling or (first and self.found_structure)):
            self._on_unit(Event(Ev.UNIT, event.line, event.kind, event.num))
            if self.unit is not None:
                self.unit.status = Status(State.REPEALED, event.rest)
            return
        self._on_body(Event(Ev.BODY, event.line, labels=labels, rest=rest if labels else event.line.text))

    def _on_body(self, event: Event) -> None:
        if not event.labels:
            self._text(event)
            return
        anchor = self._anchor()
        if anchor is None or anchor.kind is Kind.PREAMBLE:
            if anchor is None and not self.found_structure:
                self._text(event)
                return
            if anchor is not None:
                self._text(event, whole=True)
                return
        if self._continues_a_reference(event):
            return
        for index, label in enumerate(event.labels):
            levels = tuple(s.level for s in self.subs)
            style, value, depth = nb.choose_style(label, levels)
            if depth is not None and (reading := self._repeat_opens_a_list(depth, label, style, value)):
                (style, value), depth = reading, None
            if depth is None and (after_i := self._after_letter_i(label)) is not None:
                style, value, depth = nb.Style.ALPHA_LOWER, 11, after_i
            if depth is not None:
                del self.subs[depth:]
            parent = self.subs[-1].node if self.subs else self._anchor()
            node = _Node(self._sub_kind(len(self.subs)), label.num, line=event.line.number)
            if parent is None:
                self.roots.append(node)
            else:
                parent.children.append(node)
            gap = event.line.before if index == 0 else (self.subs[-1].gap if self.subs else event.line.before)
            self.subs.append(_Sub(nb.Level(style, label.form, value), node, gap))
        if event.rest:
            self.subs[-1].node.paras.append(event.rest)
        self.last = self.subs[-1].node if event.rest else None

    def _repeat_opens_a_list(self, depth: int, label: nb.Label, style: nb.Style,
                             value: int) -> tuple[nb.Style, int] | None:
        """How to read a label that :func:`numbering.choose_style` took for a repeat of the open
        level at ``depth`` (same style, same number), when it is in fact the first item of a list
        inside the innermost open provision: None when it is a repeat after all.

        A list opens (1) under a headed subsection, whose own number the first rule repeats
        ("1. Readjustment of representation" marked, then "1.There shall be assigned ...");
        (2) under a provision whose words end by introducing it ("... of-", "... taxable:"),
        read as a first value ("i." after the letter "i." is the roman one)."""
        open_level = self.subs[depth]
        if value != open_level.level.value or style != open_level.level.style:
            return None
        if open_level.headed and depth == len(self.subs) - 1:
            return style, value
        innermost = self.subs[-1].node
        first = next(((s, v) for s, v in nb.styles_of(label) if v == 1), None)
        if first is not None and innermost.paras and _INTRODUCES_LIST.search(innermost.paras[-1]):
            return first
        return None

    def _continues_a_reference(self, event: Event) -> bool:
        """Join back a line the scrape broke at a cross reference: "... under clause (2) or clause"
        then "3. shall not be inconsistent ...": the "3." is the number cited, not a new clause.
        Only a single label whose words start in lower case, after words that end with a lower-case
        referring word, and that does not number the next sibling, is taken so."""
        last = self.last
        if last is None or not last.paras or len(event.labels) != 1 or not _STARTS_LOWER.match(event.rest):
            return False
        if not _ENDS_WITH_REFERENCE.search(last.paras[-1]):
            return False
        label = event.labels[0]
        if self.subs and nb.is_successor(self.subs[-1].node.num, label.num):
            return False
        last.paras[-1] += f" ({label.num}) {event.rest}"
        return True

    def _after_letter_i(self, label: nb.Label) -> int | None:
        """The depth of an open letter list at "i" that a "k" continues: Swiss federal texts
        skip the letter j ("h. ... i. ... k. ..."), so "k" is "i"'s sibling, not a new list."""
        if label.num != "k":
            return None
        for depth in range(len(self.subs) - 1, -1, -1):
            level = self.subs[depth].level
            if level.style is nb.Style.ALPHA_LOWER and level.value == 9 and level.form == label.form:
                return depth
        return None

    def _text(self, event: Event, *, whole: bool = False) -> None:
        text = event.line.text if whole or not event.labels else event.rest
        # An unnumbered paragraph joins the innermost open provision, so that the
        # tree's full text keeps the document's order (a proviso after a list
        # stays after the list).  A line with no blank line before it continues
        # the paragraph above (hard-wrapped text).
        if event.line.before == 0 and self.last is not None and self.last.paras:
            self.last.paras[-1] += " " + text
            return
        if self.subs:
            target = self.subs[-1].node
        elif (anchor := self._anchor()) is not None:
            target = anchor
        else:
            target = _Node(Kind.PARAGRAPH, line=event.line.number)
            self.loose.append(target)
        target.gaps[len(target.paras)] = event.line.before
        target.paras.append(text)
        self.last = target


# A cross reference cut before its number ("... under clause"), and words that go on in lower case.
_ENDS_WITH_REFERENCE = re.compile(r"\b(?:sub-)?(?:clauses?|articles?|sections?|paragraphs?)\s*$")
_STARTS_LOWER = re.compile(r"^[a-z]")

# Words that end by introducing a list: "... include-", "... shall be taxable:", "... namely —".
_INTRODUCES_LIST = re.compile(r"(?:[:\u2013\u2014]|\w-)\s*$")


def _greater(a: str, b: str, *, gap: int) -> bool:
    av, bv = nb.arabic_value(a), nb.arabic_value(b)
    return av is not None and bv is not None and 0 < av - bv <= gap


# ------------------------------------------------------------------ freezing

_REPEALED_NOTE = re.compile(r"^(?:[\[(]\s*)?(?:repealed|omitted|rep\. by)\b.{0,200}$", re.IGNORECASE | re.DOTALL)


def _eid(parent_eid: str | None, node: _Node, position: int) -> str:
    """:func:`make_eid`, except that a lettered part ("PART C", "PART D") keeps
    its letter: make_eid would read C and D as the roman numerals 100 and 500."""
    if re.fullmatch(r"[CDLM]", node.num):
        own = f"{make_eid(None, node.kind, 'X').rsplit('_', 1)[0]}_{node.num}"
        return f"{parent_eid}__{own}" if parent_eid else own
    return make_eid(parent_eid, node.kind, node.num, position=position)


def _freeze(node: _Node, parent_eid: str | None, position: int, seen: dict[str, int]) -> Provision:
    text = normalize_text("\n\n".join(node.paras))
    status = node.status
    if status is None:
        status = Status()
        if text and not node.children and _REPEALED_NOTE.match(text) and "\n" not in text:
            status, text = Status(State.REPEALED, text), ""  # the editor's note, not the constitution's words
    eid = _eid(parent_eid, node, position)
    if node.kind is Kind.DIVISION and node.opaque and node.num and parent_eid is None:
        eid = f"dvs_{node.num}"
    if eid in seen:
        seen[eid] += 1
        eid = f"{eid}_{seen[eid]}"
    else:
        seen[eid] = 1
    transparent = node.container and not node.opaque
    child_parent = parent_eid if transparent else eid
    children = []
    for index, child in enumerate(node.children, start=1):
        if child.container and transparent:
            # Containers keep the full path so "chp_4__part_1" and "chp_5__part_1" differ.
            children.append(_freeze_container(child, eid, index, seen, parent_eid))
        else:
            children.append(_freeze(child, child_parent, index, seen))
    return Provision(eid=eid, kind=node.kind, num=node.num, heading=clean_line(node.heading), text=text,
                     children=tuple(children), status=status)


def _freeze_container(node: _Node, container_eid: str, position: int, seen: dict[str, int],
                      unit_parent: str | None) -> Provision:
    """A transparent container nested in another: its own eId is path-qualified,
    its units' eIds are not."""
    eid = _eid(container_eid, node, position)
    if eid in seen:
        seen[eid] += 1
        eid = f"{eid}_{seen[eid]}"
    else:
        seen[eid] = 1
    children = []
    for index, child in enumerate(node.children, start=1):
        if child.container:
            children.append(_freeze_container(child, eid, index, seen, unit_parent))
        else:
            children.append(_freeze(child, unit_parent, index, seen))
    return Provision(eid=eid, kind=node.kind, num=node.num, heading=clean_line(node.heading),
                     text=normalize_text("\n\n".join(node.paras)), children=tuple(children))


@dataclass(frozen=True)
class Outline:
    """The result: top-level provisions and whether any structure was found."""

    provisions: tuple[Provision, ...]
    structured: bool


def build(text: str, config: OutlineConfig, *, skip_first: bool = False) -> Outline:
    """Infer the provision tree of ``text``.  ``skip_first`` drops the first
    line (a title the caller has used).  Unstructured text comes back as
    numbered PARAGRAPH provisions, one per paragraph."""
    lines = split_lines(text)
    if skip_first and lines:
        lines = lines[1:]
    if config.trust_numbered_headings and any(line.marked for line in lines):
        # The page marks its headings: an unmarked "4. Something" is a paragraph.
        config = replace(config, trust_numbered_headings=False)
    events = classify(lines, config)
    builder = _Builder(config)
    for event in events:
        builder.feed(event)
    if not builder.found_structure:
        return Outline(_paragraphs(lines), False)
    seen: dict[str, int] = {}
    roots = [*builder.loose, *builder.roots] if builder.loose else builder.roots
    if config.paragraph_gap:
        _implicit_paragraphs(roots, config)
    provisions = tuple(_freeze(node, None, index, seen) for index, node in enumerate(roots, start=1))
    return Outline(provisions, True)


def _implicit_paragraphs(nodes: list[_Node], config: OutlineConfig) -> None:
    """Split, in place, every unit (a node of ``config.unit_kind`` without children) whose paragraphs fall into
    two or more runs at least ``config.paragraph_gap`` blank lines apart into sub-provisions numbered 1, 2, 3...
    of its first sub-kind, each holding one run.  Japan's Constitute text prints its paragraphs unnumbered, two
    blank lines apart, and a list under a lead-in one blank line apart (Art. 7, Art. 73); Japanese citation
    numbers the paragraphs all the same ("Article 9, paragraph 2"), so Art. 9(2) becomes citable."""
    for node in nodes:
        if node.children:
            _implicit_paragraphs(node.children, config)
            continue
        if node.kind is not config.unit_kind or len(node.paras) < 2:
            continue
        runs: list[list[str]] = []
        for index, para in enumerate(node.paras):
            if not runs or node.gaps.get(index, 0) >= config.paragraph_gap:
                runs.append([])
            runs[-1].append(para)
        if len(runs) < 2:
            continue
        kind = {**DEFAULT_SUB_KINDS, **config.sub_kinds}.get(node.kind, _GROUP_SUBS)[0]
        node.children = [_Node(kind, str(number), paras=run, line=node.line)
                         for number, run in enumerate(runs, start=1)]
        node.paras, node.gaps = [], {}


def _paragraphs(lines: list[Line]) -> tuple[Provision, ...]:
    """Paragraphs (runs of lines without a blank line between them) as PARAGRAPH 1, 2, 3..."""
    paras: list[list[str]] = []
    for line in lines:
        if line.before or not paras:
            paras.append([line.text])
        else:
            paras[-1].append(line.text)
    out = []
    for index, para in enumerate(paras, start=1):
        num = str(index)
        out.append(Provision(eid=make_eid(None, Kind.PARAGRAPH, num), kind=Kind.PARAGRAPH, num=num,
                             text=normalize_text("\n".join(para))))
    return tuple(out)
