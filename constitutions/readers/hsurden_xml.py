"""The hobbyist XML of the US Constitution (hsurden/us-constitution, 2016).

``<root><document><part description="Preamble|Articles|Amendments">`` holding
``<article name="Article I " description=" The Legislative Branch">`` or
``<amendment name="Amendment 14 ">``, optional ``<section name="Section 1 ">``,
then ``<paragraph><content>`` text.  The same tree is published as JSON
(:mod:`constitutions.readers.hsurden_json`); both are turned into neutral
:class:`HsNode` trees and built into a :class:`Document` here by :func:`build`.

How the flat paragraphs become the Constitution's structure:

- a section's (or article's) paragraphs are its clauses, numbered 1..n, when it
  has several; a single paragraph is the section's own text.  A first
  paragraph that is a short lead-in ending in ``:`` ("The Congress shall have
  Power:") is the section's own text, not a clause; a paragraph ending in
  ``:`` followed by a quotation ("...the following Oath or Affirmation:" and
  the oath) is one clause;
- an amendment's paragraphs printed as ``1. ...``, ``2. ...`` are its sections;
  other paragraphs continue the preceding one (joined by a space when the
  source broke a sentence, by a blank line otherwise);
- headings are the source's own descriptions ("The Legislative Branch");
- the source's one editorial remark "(Section in parentheses clarified by the
  16th Amendment.)" becomes the provision's status, and an amendment headed
  "Amendment 18 Repealed" marks Amendment XVIII repealed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from lxml import etree

from constitutions.model import Document, Kind, Provision, State, Status, int_to_roman, make_eid, roman_to_int
from constitutions.readers.base import Source, local_name, normalize_text, parse_xml, sniff_head
from convene.errors import ReadError

NAME = "hsurden-xml"
PRIORITY = 30
VERSION = "2016-09-14"  # the source repository's commit date (it states no as-of date of its own)
TITLE = "Constitution of the United States"


@dataclass(frozen=True)
class HsNode:
    """One node of the hsurden tree, whichever serialisation it came from."""

    type: str  # document, part, article, amendment, section, paragraph
    label: str  # "Article I", "Section 1", "Amendment 14", "Preamble" (parts)
    heading: str  # the description: "The Legislative Branch"
    paragraphs: tuple[str, ...] = ()
    children: tuple[HsNode, ...] = ()


def sniff(source: Source) -> bool:
    """``<root>`` then ``<document ... type="document">`` and typed ``<part>`` s."""
    head = sniff_head(source)
    if not head.startswith("<"):
        return False
    return (re.search(r"<root>\s*<document\b[^>]*type=\"document\"", head) is not None
            and re.search(r"<part\b[^>]*type=\"part\"", head) is not None)


def read(source: Source) -> Document:
    root = parse_xml(source)
    document = root if local_name(root) == "document" else next(
        (c for c in root if local_name(c) == "document"), None)
    if document is None:
        raise ReadError("not the hsurden US Constitution XML: no <document> element", source=source.name)
    return build(_from_xml(document), source.name, NAME)


def _from_xml(element: etree._Element) -> HsNode:
    kind = local_name(element)
    name = (element.get("name") or "").strip()
    description = (element.get("description") or "").strip()
    label, heading = (description, "") if kind in ("part", "document") else (name, description)
    paragraphs = tuple("".join(c.itertext()) for c in element if local_name(c) == "content")
    children = tuple(_from_xml(c) for c in element if local_name(c) not in ("content", ""))
    return HsNode(kind, label, heading, paragraphs, children)


# ------------------------------------------------------------------ building


def build(document: HsNode, source_name: str, format_name: str) -> Document:
    """The Document for an hsurden tree (XML or JSON)."""
    provisions: list[Provision] = []
    for node in _flatten_parts(document.children):
        if node.type == "part" and node.label.casefold() == "preamble":
            text = _join_paragraphs(_paragraphs_below(node))
            provisions.append(Provision(eid="preamble", kind=Kind.PREAMBLE, text=text))
        elif node.type == "article":
            provisions.append(_article(node, Kind.ARTICLE))
        elif node.type == "amendment":
            provisions.append(_amendment(node))
    provisions = _mark_repealed(provisions)
    return Document(id="us", title=TITLE, jurisdiction="us", provisions=tuple(provisions), year=1787,
                    version=VERSION, source=source_name, format=format_name)


def _flatten_parts(nodes: Iterable[HsNode]) -> Iterable[HsNode]:
    for node in nodes:
        if node.type == "part" and node.label.casefold() != "preamble":
            yield from _flatten_parts(node.children)
        else:
            yield node


def _article(node: HsNode, kind: Kind) -> Provision:
    num = _number(node.label)
    eid = make_eid(None, kind, num)
    sections = [c for c in node.children if c.type == "section"]
    if sections:
        children = tuple(_section(s, eid) for s in sections)
        text = _join_paragraphs(p for c in node.children if c.type == "paragraph" for p in c.paragraphs)
        return Provision(eid=eid, kind=kind, num=num, heading=_clean(node.heading), text=text, children=children)
    text, clauses, status = _clauses(eid, [p for c in node.children for p in c.paragraphs])
    return Provision(eid=eid, kind=kind, num=num, heading=_clean(node.heading), text=text, children=clauses,
                     status=status)


def _section(node: HsNode, parent_eid: str) -> Provision:
    num = _number(node.label)
    eid = make_eid(parent_eid, Kind.SECTION, num)
    text, clauses, status = _clauses(eid, list(_paragraphs_below(node)))
    return Provision(eid=eid, kind=Kind.SECTION, num=num, heading=_clean(node.heading), text=text,
                     children=clauses, status=status)


def _clauses(eid: str, paragraphs: list[str]) -> tuple[str, tuple[Provision, ...], Status]:
    """(own text, clauses, status) of a section or an article without sections."""
    texts = [normalize_text(p) for p in paragraphs]
    texts = [t for t in texts if t]
    if len(texts) <= 1:
        text, status = _editorial_status(texts[0] if texts else "")
        return text, (), status
    lead = texts.pop(0) if len(texts) > 2 and _is_lead_in(texts[0]) else ""
    merged: list[str] = []
    for text in texts:
        if merged and merged[-1].endswith(":") and text.startswith(('"', "“")):
            merged[-1] = f"{merged[-1]}\n\n{text}"
        else:
            merged.append(text)
    clauses = []
    for number, text in enumerate(merged, start=1):
        clean, status = _editorial_status(text)
        clauses.append(Provision(eid=make_eid(eid, Kind.CLAUSE, str(number)), kind=Kind.CLAUSE, num=str(number),
                                 text=clean, status=status))
    return lead, tuple(clauses), Status()


def _is_lead_in(text: str) -> bool:
    """A short words-before-a-list line: "The Congress shall have Power:"."""
    return text.endswith(":") and len(text.split()) <= 10 and "." not in text


_SECTION_NUMBER = re.compile(r"^(\d+)\.\s+")


def _amendment(node: HsNode) -> Provision:
    num = _number(node.label)
    eid = make_eid(None, Kind.AMENDMENT, num)
    own: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for paragraph in _paragraphs_below(node):
        paragraph = normalize_text(paragraph)
        if match := _SECTION_NUMBER.match(paragraph):
            sections.append((match.group(1), [paragraph[match.end():]]))
        elif sections:
            sections[-1][1].append(paragraph)
        elif paragraph:
            own.append(paragraph)
    children = tuple(Provision(eid=make_eid(eid, Kind.SECTION, n), kind=Kind.SECTION, num=n,
                               text=_join_paragraphs(parts)) for n, parts in sections)
    return Provision(eid=eid, kind=Kind.AMENDMENT, num=num, heading=_clean(node.heading),
                     text=_join_paragraphs(own), children=children)


_REPEALS = re.compile(r"^Amendment\s+(\d+|[IVXLC]+)\s+Repealed$", re.IGNORECASE)


def _mark_repealed(provisions: list[Provision]) -> list[Provision]:
    """An amendment headed "Amendment 18 Repealed" repeals Amendment XVIII (and its sections)."""
    repealed: dict[str, str] = {}
    for p in provisions:
        if p.kind is Kind.AMENDMENT and (m := _REPEALS.match(p.heading)):
            target = _number(f"Amendment {m.group(1)}")
            repealed[target] = f"Repealed by Amendment {p.num} (headed in the source \"{p.heading}\")."
    out = []
    for p in provisions:
        if p.kind is Kind.AMENDMENT and p.num in repealed:
            status = Status(State.REPEALED, repealed[p.num])
            p = replace(p, status=status, children=tuple(replace(c, status=status) for c in p.children))
        out.append(p)
    return out


_EDITORIAL_REMARK = re.compile(
    r"\s*\(([^()]*\b(?:clarified|changed|superseded|repealed|modified)\b[^()]*\bamendment\b[^()]*)\)\s*$",
    re.IGNORECASE)


def _editorial_status(text: str) -> tuple[str, Status]:
    """Split a trailing editorial remark "(Section in parentheses clarified by the
    16th Amendment.)" off a text; it becomes the status, and the parentheses it
    speaks of are removed."""
    match = _EDITORIAL_REMARK.search(text)
    if not match:
        return text, Status()
    note = match.group(1).strip()
    body = text[:match.start()].strip()
    if body.startswith("(") and body.endswith(")") and body.count("(") == 1:
        body = body[1:-1].strip()
    state = State.REPEALED if "repeal" in note.casefold() else State.SUPERSEDED
    return body, Status(state, note)


def _paragraphs_below(node: HsNode) -> Iterable[str]:
    yield from node.paragraphs
    for child in node.children:
        yield from _paragraphs_below(child)


def _join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Join paragraphs, rejoining sentences the source broke in two (the first
    ends without a full stop, or the next starts in lower case)."""
    out: list[str] = []
    for raw in paragraphs:
        text = normalize_text(raw)
        if not text:
            continue
        if out and (not out[-1].endswith((".", ":", "!", "?", '"', "”", "'")) or text[:1].islower()):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return "\n\n".join(out)


def _number(label: str) -> str:
    """"Article I " -> "I"; "Amendment 14 " -> "XIV"; "Section 1 " -> "1"."""
    words = label.split()
    if not words:
        return ""
    kind, value = words[0].casefold(), words[-1].strip(".")
    if kind in ("article", "amendment") and value.isdigit() and 0 < int(value) < 4000:
        return int_to_roman(int(value))
    if kind == "section" and roman_to_int(value):
        return str(roman_to_int(value))
    return value


def _clean(text: str) -> str:
    return normalize_text(text)
