"""Laws.Africa API JSON (``south-africa/constitution.json``): a work record, or an
object of such records keyed by language, whose ``body`` is Akoma Ntoso rendered
as HTML (``class="akn-section"``, ``id``/``data-eId`` = the AKN eId).

Guarantees:

- The English expression is read (the ``en`` key, else the record whose
  ``language`` is ``eng``); a file without one is a :class:`ReadError`.
- The HTML is parsed locally with lxml (no network, no DTD); nothing is fetched.
- Laws.Africa's eIds are kept as :attr:`Provision.eid` (``chp_2__sec_14__para_a``,
  ``chp_4__subpart_nn_1__sec_46``, ``att_7__sec_16``); an element without one
  gets an AKN-style eId built from its parent's.
- Kinds: ``akn-chapter`` CHAPTER, ``akn-subpart`` DIVISION (unnumbered
  heading), ``akn-part`` PART, ``akn-section`` SECTION (but ITEM inside a
  schedule, as the Constitution calls them "item 16(2) of Schedule 6"),
  ``akn-subsection`` SUBSECTION, ``akn-paragraph`` PARAGRAPH,
  ``akn-subparagraph`` SUBPARAGRAPH, ``akn-attachment`` SCHEDULE, the
  preamble PREAMBLE.  The preface (long title, editorial notes) is metadata.
- ``num`` is the number as printed without trailing full stop: sections
  ``"14"``, ``"230A"``; subsections ``"(1)"``; paragraphs ``"(a)"``;
  subparagraphs ``"(iv)"``; chapters ``"2"``; schedules ``"1A"``; parts ``"A"``.
- ``text`` is the provision's own words (intro, content, wrap-up), normalised
  with :func:`normalize_text`, one paragraph per ``akn-p``; never its number or
  heading, never HTML.  Block lists (the definitions of s 239) stay in the text
  of their provision, one paragraph per item with its printed number, because
  words after a list belong to the same provision.  Tables become one
  paragraph per row, cells joined by `` | ``.  Words that come after a
  provision's children (AKN ``wrapUp``, a closing table) are also in ``text``
  and are repeated in ``meta["wrap_up"]`` so a renderer can show them after
  the children.
- Editorial remarks (``akn-remark``: "[subsection (3) substituted by ...]") never
  reach the text: they are kept in ``meta["remarks"]`` (one per line).  A
  provision with no words of its own and no children whose remark says it was
  deleted or repealed gets ``Status(REPEALED, note=<the remark>)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import lxml.html
from lxml import etree

from constitutions.model import IN_FORCE, Document, Kind, Provision, State, Status, make_eid, unique_eid
from constitutions.readers.base import Source, looks_like_json, normalize_text, parse_json
from convene.errors import ReadError

NAME = "lawsafrica-json"
PRIORITY = 20

# AKN structural classes -> kinds (akn-section inside a schedule becomes an ITEM, see _kind_of).
_STRUCTURAL: dict[str, Kind] = {
    "akn-chapter": Kind.CHAPTER,
    "akn-part": Kind.PART,
    "akn-subpart": Kind.DIVISION,
    "akn-section": Kind.SECTION,
    "akn-subsection": Kind.SUBSECTION,
    "akn-paragraph": Kind.PARAGRAPH,
    "akn-subparagraph": Kind.SUBPARAGRAPH,
}

# Blocks whose paragraphs are a provision's own words.
_TEXT_BLOCKS = frozenset({"akn-intro", "akn-content", "akn-wrapUp", "akn-hcontainer", "akn-p", "akn-blockList",
                          "akn--table-container", "akn-table", "akn-crossHeading", "akn-longTitle"})
# Wrappers whose children are looked into as if they were the provision's own (schedules).
_TRANSPARENT = frozenset({"akn-doc", "akn-mainBody"})

# "14. Privacy", "230A. Provincial legislatures": a section heading line.
_SECTION_HEADING = re.compile(r"^(\d+[A-Z]{0,2})\.?\s+(.+)$")
# "Chapter 2", "Part A", "Schedule 1A": the kind word then the number.
_LABEL = re.compile(r"^(?:Chapter|Part|Schedule)\s+([0-9A-Z]+)\s*[-–—:.]?\s*(.*)$", re.IGNORECASE)
# A remark that says the provision is gone.
_GONE = re.compile(r"\b(?:deleted|repealed)\b", re.IGNORECASE)

_RECORD_KEYS = ("frbr_uri", "expression_frbr_uri")


def sniff(source: Source) -> bool:
    """A JSON object that mentions Laws.Africa's FRBR URIs near its start."""
    if not looks_like_json(source):
        return False
    head = source.head
    return b'"expression_frbr_uri"' in head and b'"frbr_uri"' in head and b"/akn/" in head


def read(source: Source) -> Document:
    data = parse_json(source)
    record = _english_record(data, source.name)
    body = record.get("body")
    if not isinstance(body, str) or not body.strip():
        raise ReadError("Laws.Africa record has no HTML 'body'", source=source.name)
    root = _parse_html(body, source.name)
    provisions, doc_remarks, long_title = _Builder(source.name).build(root)
    if not provisions:
        raise ReadError("Laws.Africa body holds no preamble, chapter, section or schedule", source=source.name)
    return Document(
        id=_doc_id(record),
        title=_string(record.get("title")) or "Untitled Laws.Africa work",
        jurisdiction=_doc_id(record),
        provisions=tuple(provisions),
        year=_year(record.get("year")),
        version=_string(record.get("expression_date")),
        source=source.name,
        format=NAME,
        language="en",
        meta=_doc_meta(record, doc_remarks, long_title),
    )


# ------------------------------------------------------------------ record


def _is_record(value: Any) -> bool:
    return isinstance(value, Mapping) and any(k in value for k in _RECORD_KEYS) and (
        "body" in value or "toc" in value)


def _english_record(data: Any, name: str) -> Mapping[str, Any]:
    if _is_record(data):
        if _string(data.get("language")) not in ("", "eng", "en"):
            raise ReadError(f"Laws.Africa expression is in {data.get('language')!r}; only English is read",
                            source=name)
        return data
    if not isinstance(data, Mapping):
        raise ReadError("not a Laws.Africa work record (expected a JSON object)", source=name)
    if _is_record(data.get("en")):
        return data["en"]
    records = {k: v for k, v in data.items() if _is_record(v)}
    for value in records.values():
        if _string(value.get("language")) == "eng":
            return value
    if records:
        raise ReadError(f"no English expression among {', '.join(sorted(map(str, records)))}", source=name)
    raise ReadError("not a Laws.Africa work record: no object with 'frbr_uri' and 'body'", source=name)


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _year(value: Any) -> int | None:
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    return int(text) if text.isdigit() else None


def _doc_id(record: Mapping[str, Any]) -> str:
    country = _string(record.get("country")).lower()
    locality = _string(record.get("locality")).lower()
    if not country:
        match = re.match(r"^/akn/([a-z]{2})(?:-([a-z0-9]+))?/", _string(record.get("frbr_uri")))
        country, locality = (match.group(1), match.group(2) or "") if match else ("", "")
    if not country:
        return "akn"
    return f"{country}-{locality}" if locality else country


def _doc_meta(record: Mapping[str, Any], remarks: list[str], long_title: str) -> dict[str, str]:
    meta = {key: _string(record.get(key)) for key in (
        "frbr_uri", "expression_frbr_uri", "publication_date", "publication_name", "publication_number",
        "commencement_date", "url")}
    amendments = record.get("work_amendments")
    if isinstance(amendments, list):
        lines = [f"{_string(a.get('date'))} {_string(a.get('amending_title'))}".strip()
                 for a in amendments if isinstance(a, Mapping)]
        meta["amendments"] = "\n".join(line for line in lines if line)
    if long_title:
        meta["long_title"] = long_title
    if remarks:
        meta["remarks"] = "\n".join(remarks)
    return {k: v for k, v in meta.items() if v}


# ------------------------------------------------------------------ HTML


def _parse_html(body: str, name: str) -> etree._Element:
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        root = lxml.html.document_fromstring(body, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError(f"Laws.Africa body is not readable HTML: {exc}", source=name) from None
    if root is None:
        raise ReadError("Laws.Africa body is empty", source=name)
    return root


def _classes(el: etree._Element) -> set[str]:
    if not isinstance(el.tag, str):
        return set()
    return set((el.get("class") or "").split())


def _words(text: str) -> str:
    return " ".join(text.split())


def _plain(el: etree._Element) -> str:
    return _words("".join(el.itertext()))


class _Builder:
    """Turns the AKN HTML tree into provisions; collects the preface's remarks."""

    def __init__(self, name: str):
        self.name = name
        self.seen: set[str] = set()

    def build(self, root: etree._Element) -> tuple[list[Provision], list[str], str]:
        provisions: list[Provision] = []
        doc_remarks: list[str] = []
        long_title = ""
        for el in root.iter("section", "div"):
            classes = _classes(el)
            if "akn-preface" in classes:
                texts = self._paragraphs(el, doc_remarks)
                long_title = " ".join(texts)
            elif "akn-preamble" in classes:
                provisions.append(self._preamble(el))
            elif "akn-chapter" in classes or ("akn-attachment" in classes):
                provisions.append(self._provision(el, None, len(provisions) + 1, in_schedule=False))
        return provisions, doc_remarks, long_title

    # -- provisions

    def _preamble(self, el: etree._Element) -> Provision:
        remarks: list[str] = []
        text = normalize_text("\n\n".join(self._paragraphs(el, remarks)))
        eid = self._unique(el.get("id") or "preamble")
        meta = {"remarks": "\n".join(remarks)} if remarks else {}
        return Provision(eid=eid, kind=Kind.PREAMBLE, text=text, meta=meta)

    def _provision(self, el: etree._Element, parent_eid: str | None, position: int, *,
                   in_schedule: bool) -> Provision:
        classes = _classes(el)
        is_schedule = "akn-attachment" in classes
        kind = Kind.SCHEDULE if is_schedule else _kind_of(classes, in_schedule)
        in_schedule = in_schedule or is_schedule
        num = heading = ""
        before: list[str] = []
        after: list[str] = []
        remarks: list[str] = []
        children: list[Provision] = []
        raw_eid = el.get("id") or el.get("data-eid") or ""
        provisional = raw_eid or make_eid(parent_eid, kind, "", position=position)

        for child in self._content_children(el):
            child_classes = _classes(child)
            structural = child_classes & _STRUCTURAL.keys()
            if structural:
                children.append(self._provision(child, provisional, len(children) + 1, in_schedule=in_schedule))
            elif "akn-num" in child_classes:
                num = _clean_num(_plain(child))
            elif child.tag in ("h1", "h2", "h3", "h4") and "akn-crossHeading" not in child_classes:
                label = _heading_text(child)
                if "akn-subheading" in child_classes:
                    heading = label
                else:
                    num, heading = _split_label(kind, label, num, heading)
            else:
                texts = self._paragraphs(child, remarks)
                (after if children else before).extend(texts)

        eid = self._unique(raw_eid or make_eid(parent_eid, kind, num, position=position))
        text = normalize_text("\n\n".join(before + after))
        meta: dict[str, str] = {}
        if after:
            meta["wrap_up"] = normalize_text("\n\n".join(after))
        if remarks:
            meta["remarks"] = "\n".join(remarks)
        status = IN_FORCE
        if not text and not children:
            gone = [r for r in remarks if _GONE.search(r)]
            if gone:
                status = Status(State.REPEALED, gone[-1])
        return Provision(eid=eid, kind=kind, num=num, heading=heading, text=text, children=tuple(children),
                         status=status, meta=meta)

    def _content_children(self, el: etree._Element) -> Iterable[etree._Element]:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if _classes(child) & _TRANSPARENT:
                yield from self._content_children(child)
            else:
                yield child

    def _unique(self, eid: str) -> str:
        return unique_eid(eid, self.seen)

    # -- text

    def _paragraphs(self, el: etree._Element, remarks: list[str]) -> list[str]:
        """The paragraphs of a text block, in order, remarks moved to ``remarks``."""
        if not isinstance(el.tag, str):
            return []
        classes = _classes(el)
        if "akn-remark" in classes:
            remarks.append(_plain(el))
            return []
        if el.tag == "tr":
            cells = [" ".join(self._paragraphs(cell, remarks)) for cell in el
                     if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
            row = " | ".join(c for c in (_words(c) for c in cells) if c)
            return [row] if row else []
        if "akn-p" in classes or "akn-listIntroduction" in classes or "akn-crossHeading" in classes:
            line = _words(self._inline(el, remarks))
            return [line] if line else []
        if "akn-item" in classes:
            num = ""
            out: list[str] = []
            for child in el:
                if "akn-num" in _classes(child):
                    num = _plain(child)
                else:
                    out.extend(self._paragraphs(child, remarks))
            if num:
                out = [f"{num} {out[0]}" if out else num, *out[1:]]
            return out
        if el.tag in ("img", "br", "script", "style"):
            return []
        out = [_words(el.text)] if el.text and el.text.strip() else []
        for child in el:
            out.extend(self._paragraphs(child, remarks))
            if child.tail and child.tail.strip():
                out.append(_words(child.tail))
        return out

    def _inline(self, el: etree._Element, remarks: list[str]) -> str:
        """The running text of one paragraph: inline markup flattened, remarks and images left out."""
        parts = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str):
                classes = _classes(child)
                if "akn-remark" in classes:
                    remarks.append(_plain(child))
                elif child.tag == "br":
                    parts.append(" ")
                elif child.tag != "img":
                    parts.append(self._inline(child, remarks))
            parts.append(child.tail or "")
        return "".join(parts)


def _kind_of(classes: set[str], in_schedule: bool) -> Kind:
    for cls, kind in _STRUCTURAL.items():
        if cls in classes:
            return Kind.ITEM if kind is Kind.SECTION and in_schedule else kind
    return Kind.DIVISION


def _clean_num(text: str) -> str:
    """``"(1)"`` stays ``"(1)"``; ``"1."`` becomes ``"1"``: a trailing full stop is decoration."""
    return text.strip().rstrip(".").strip()


def _heading_text(el: etree._Element) -> str:
    """A heading's words, with ``<br>`` read as a line break."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    lines = [_words(line) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _split_label(kind: Kind, label: str, num: str, heading: str) -> tuple[str, str]:
    """Number and heading from a heading element: ``"Chapter 2\\nBill of Rights"``,
    ``"14. Privacy"``, ``"Part A – Election procedures"``, ``"Schedule 1A"``."""
    lines = label.split("\n")
    first, rest = lines[0], " ".join(lines[1:])
    if kind in (Kind.CHAPTER, Kind.PART, Kind.SCHEDULE) and (m := _LABEL.match(first)):
        return m.group(1), _words(f"{m.group(2)} {rest}") or heading
    if kind in (Kind.SECTION, Kind.ITEM) and (m := _SECTION_HEADING.match(first)):
        return m.group(1), _words(f"{m.group(2)} {rest}")
    return num, _words(label.replace("\n", " "))
