"""USLM XML (United States Legislative Markup), as published for the House Manual.

The House Manual prints the Constitution wrapped in the House's parliamentary
commentary.  This reader keeps the Constitution's own words only:

- every ``<note>`` (annotations, footnotes, and the statutes they quote as
  id-less ``<section>`` elements) and the ``<meta>`` block (House-Manual ``§``
  headings) are dropped;
- a clause the Manual splits into several ``<text>`` fragments joined by
  ``* * *`` (``<inline name="three-star">``) is rejoined into one text, and the
  short bracketed words the editors insert after a joint to restore the
  sentence ("* * * and [the House of Representatives] shall...") are removed;
- the remaining square brackets mark text no longer in force.  They are
  removed from the provision's text and recorded as its :class:`Status`, with
  the editorial note that says what changed it (``Status.note``).  Amendment
  XVIII, whose footnote says it was repealed, is repealed with all its sections.

The attestation and signatures after Article VII (``<level id="signatures">``:
"Done in Convention...", Washington's signature, the deputies by State and the
Secretary's attest) are the engrossed Constitution's own closing text, so they
are kept, as one unnumbered :attr:`Kind.DIVISION` (``dvs_nn_9``, ``meta["role"]
== "signatures"``) with one paragraph per signing block.  The House Manual's
editorial line "[Signed also by the deputies of twelve States.]" is dropped.
Without them the preamble, articles and amendments come to about 7,290 words;
with them the document is about 7,450.

Statuses are only what the source's notes say: six bracketed passages of the
articles (Art. I §2 cl. 3, §3 cl. 1-2, §4 cl. 2, §9 cl. 4, Art. II §1 cl. 3)
and Amendment XVIII.  The House Manual prints no bracket or note for Art. IV
§2 cl. 3 (superseded in effect by Amendment XIII), so it stays in force here.

Version: the year the Congress whose Manual this is first met, from the
Manual's own cross-references (``HMAN-117-...`` -> 117th Congress -> "2021").

Guarantees: text is :func:`normalize_text`-normalised; eIds follow the AKN
convention (``art_1__sec_8__cl_3``, ``amdt_14__sec_1``); no entity is
resolved and nothing touches the network (:func:`base.parse_xml`, also used
by the AKN and hsurden XML readers, as :func:`base.sniff_head` is by all five).
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from constitutions.model import IN_FORCE, Document, Kind, Provision, State, Status, make_eid
from constitutions.readers.base import Source, normalize_text, parse_xml, sniff_head
from convene.errors import ReadError

NAME = "uslm"
PRIORITY = 10

USLM_NS_PREFIX = "http://xml.house.gov/schemas/uslm/"

# Structural USLM elements and the kind of provision each becomes.
_KINDS: dict[str, Kind] = {
    "preamble": Kind.PREAMBLE,
    "title": Kind.TITLE,
    "subtitle": Kind.DIVISION,
    "chapter": Kind.CHAPTER,
    "subchapter": Kind.DIVISION,
    "part": Kind.PART,
    "subpart": Kind.DIVISION,
    "division": Kind.DIVISION,
    "article": Kind.ARTICLE,
    "section": Kind.SECTION,
    "subsection": Kind.SUBSECTION,
    "clause": Kind.CLAUSE,
    "subclause": Kind.CLAUSE,
    "paragraph": Kind.PARAGRAPH,
    "subparagraph": Kind.SUBPARAGRAPH,
    "item": Kind.ITEM,
    "subitem": Kind.ITEM,
    "schedule": Kind.SCHEDULE,
}
# Elements holding a provision's own words.
_TEXT_ELEMENTS = frozenset({"text", "recital", "chapeau", "content", "continuation", "proviso", "p"})
# Never part of the Constitution's text.
_SKIP = frozenset({"note", "notes", "meta", "toc", "ref", "sidenote", "footnote", "layout", "signatures",
                   "signature", "docTitle", "longTitle"})
# Levels that only group their children (``<level id="amendments">``).
_TRANSPARENT_IDS = frozenset({"amendments", "constitution"})

JOINT = "\ue000"  # stands for an ``* * *`` joint while fragments are assembled
_EDITORIAL_INSERT = re.compile(r"\s*\[([^\[\]]{1,60})\]")  # "[the House of Representatives]"
_MAX_INSERT_WORDS = 6
_STATUS_SENTENCE = re.compile(r"[^.]*\b(changed|supersed\w*|repeal\w*)\b[^.]*\.", re.IGNORECASE)
_REPEALS_WHOLE = re.compile(r"repealing this (amendment|article)|this (amendment|article) (was|is|has been) repealed",
                            re.IGNORECASE)
_CROSSREF = re.compile(r"\s*\((see|cf\.)\s[^)]*§[^)]*\)", re.IGNORECASE)
_BROKEN_HYPHEN = re.compile(r"(?<=[A-Za-z])- (?=[A-Z])")  # "Rhode- Island" (a line-end hyphen in print)


def sniff(source: Source) -> bool:
    """A USLM document: XML in the USLM namespace (UTF-8, UTF-16 or UTF-32)."""
    head = sniff_head(source)
    return head.startswith("<") and USLM_NS_PREFIX in head


def read(source: Source) -> Document:
    root = parse_xml(source)
    if not _local(root) or not (etree.QName(root).namespace or "").startswith(USLM_NS_PREFIX):
        raise ReadError("not a USLM document (root element is not in the USLM namespace)", source=source.name)
    title = _dc_title(root)
    provisions: list[Provision] = []
    for body in root:
        if _local(body) in ("meta", ""):
            continue
        provisions.extend(_Converter().children_of(body, None, IN_FORCE))
    is_us_constitution = "constitution of the united states" in title.casefold()
    congress = _congress_number(root)
    version = str(1789 + 2 * (congress - 1)) if congress else ""
    meta = {"publication": f"House Manual, {congress}th Congress"} if congress else {}
    return Document(
        id="us",
        title="Constitution of the United States" if is_us_constitution else (title or "USLM document"),
        jurisdiction="us",
        provisions=tuple(provisions),
        year=1787 if is_us_constitution else None,
        version=version,
        source=source.name,
        format=NAME,
        meta=meta,
    )


# ------------------------------------------------------------------ conversion


class _Converter:
    def children_of(self, element: etree._Element, parent_eid: str | None, inherited: Status) -> list[Provision]:
        out: list[Provision] = []
        for child in element:
            position = len(out) + 1
            name = _local(child)
            if not name or name in _SKIP:
                continue
            if name == "level" and _has_signatures(child):
                out.append(_signatures(child, parent_eid, position))
                continue
            if name == "level" and child.get("name") != "amendment" and (
                    child.get("id") in _TRANSPARENT_IDS or child.find(_q(child, "num")) is None):
                out.extend(self.children_of(child, parent_eid, inherited))
                continue
            if name == "content" and child.get("id") in _TRANSPARENT_IDS:
                out.extend(self.children_of(child, parent_eid, inherited))
                continue
            kind = Kind.AMENDMENT if name == "level" and child.get("name") == "amendment" else _KINDS.get(name)
            if name == "level" and kind is None:
                kind = Kind.DIVISION
            if kind is None:
                continue
            out.append(self.provision(child, kind, parent_eid, inherited, position))
        return out

    def provision(self, element: etree._Element, kind: Kind, parent_eid: str | None, inherited: Status,
                  position: int) -> Provision:
        num = _num_of(element)
        eid = make_eid(parent_eid, kind, num, position=position)
        heading_el = element.find(_q(element, "heading"))
        heading = normalize_text(_words(heading_el)) if heading_el is not None else ""
        notes = _own_notes(element)
        status = inherited
        if kind is Kind.AMENDMENT and (sentence := _repeal_sentence(element)):
            status = Status(State.REPEALED, sentence)
        fragments = [_words(child) for child in element
                     if _local(child) in _TEXT_ELEMENTS and not _is_title_paragraph(child)]
        text, bracketed = _assemble(fragments)
        if bracketed and status.in_force:
            status = _status_from_notes(notes)
        children = self.children_of(element, eid, status if not status.in_force else IN_FORCE)
        return Provision(eid=eid, kind=kind, num=num, heading=heading, text=text, children=tuple(children),
                         status=status)


def _has_signatures(element: etree._Element) -> bool:
    return element.get("id") == "signatures" or any(_local(e) == "signature" for e in element.iter())


def _signatures(element: etree._Element, parent_eid: str | None, position: int) -> Provision:
    """The attestation and signatures: the closing formula, then one paragraph
    per signing block ("New Hampshire. John Langdon, Nicholas Gilman.")."""
    paragraphs: list[str] = []
    for node in element.iter():
        name = _local(node)
        in_layout = any(_local(a) == "layout" for a in node.iterancestors())
        if name == "p" and not in_layout:
            words = " ".join(_words(node).split())  # _words skips <signature>
            if words and not (words.startswith("[") and words.endswith("]")):  # the editors' "[Signed also...]"
                paragraphs.append(words)
        elif name == "header":
            paragraphs.append(" ".join(" ".join(node.itertext()).split()))
        elif name == "column" and _local(node.getparent()) == "row" and node.find(_q(node, "signature")) is None:
            paragraphs.append(" ".join(" ".join(node.itertext()).split()))  # "Attest:"
        elif name == "signature":
            words = _signature_words(node)
            if in_layout and paragraphs:
                paragraphs[-1] = f"{paragraphs[-1]} {words}"
            else:
                paragraphs.append(words)
    text = normalize_text("\n\n".join(paragraphs))
    return Provision(eid=make_eid(parent_eid, Kind.DIVISION, "", position=position), kind=Kind.DIVISION,
                     text=text, meta={"role": "signatures"})


def _signature_words(signature: etree._Element) -> str:
    parts = ["".join(part.itertext()).strip() for part in signature if _local(part) in ("name", "role")]
    return "".join(p if p.endswith("—") or i + 1 == len(parts) else f"{p} " for i, p in enumerate(parts))


def _assemble(fragments: list[str]) -> tuple[str, bool]:
    """Join text fragments into one normalised text.  Fragments meeting at a
    ``* * *`` joint are one sentence (joined by a space, editorial insertions
    dropped); other fragments are separate paragraphs.  Returns the text and
    whether square brackets marking text no longer in force were removed."""
    paragraphs: list[str] = []
    previous_open = False
    for raw in fragments:
        fragment = " ".join(raw.split())
        if not fragment.replace(JOINT, "").strip():
            previous_open = previous_open or JOINT in fragment
            continue
        continues = fragment.startswith(JOINT)
        if continues:
            fragment = _drop_editorial_insertions(fragment)
        opens = fragment.endswith(JOINT)
        fragment = fragment.replace(JOINT, " ").strip()
        if paragraphs and (continues or previous_open):
            glue = "" if paragraphs[-1].endswith(("—", "-")) else " "
            paragraphs[-1] = f"{paragraphs[-1]}{glue}{fragment}"
        else:
            paragraphs.append(fragment)
        previous_open = opens
    text = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    bracketed = "[" in text or "]" in text
    text = text.replace("[", "").replace("]", "")
    text = _BROKEN_HYPHEN.sub("-", text)
    return normalize_text(text), bracketed


def _drop_editorial_insertions(fragment: str) -> str:
    """Remove the few bracketed words an editor inserts after a joint to make the
    excerpt read on its own; long bracketed passages (text not in force) stay."""
    def repl(match: re.Match[str]) -> str:
        return "" if len(match.group(1).split()) <= _MAX_INSERT_WORDS else match.group(0)

    return _EDITORIAL_INSERT.sub(repl, fragment)


def _status_from_notes(notes: list[str]) -> Status:
    for note in notes:
        if match := _STATUS_SENTENCE.search(note):
            sentence = _CROSSREF.sub("", " ".join(match.group(0).split())).strip()
            state = State.REPEALED if "repeal" in sentence.casefold() else State.SUPERSEDED
            return Status(state, sentence)
    return Status(State.SUPERSEDED, "Printed in square brackets in the source: no longer in force.")


def _repeal_sentence(element: etree._Element) -> str:
    """The sentence of a note anywhere inside ``element`` saying the whole
    amendment was repealed ("See amendment XXI, repealing this amendment.")."""
    for note in element.iter(_q(element, "note")):
        for sentence in re.split(r"(?<=\.)\s+", " ".join(_note_words(note).split())):
            if _REPEALS_WHOLE.search(sentence):
                return sentence.strip()
    return ""


def _own_notes(element: etree._Element) -> list[str]:
    return [" ".join(_note_words(n).split()) for n in element if _local(n) == "note"]


def _note_words(note: etree._Element) -> str:
    parts = [" ".join(p.itertext()) for p in note if _local(p) == "p"]
    return " ".join(parts) if parts else " ".join(note.itertext())


def _words(element: etree._Element) -> str:
    """An element's words without notes or references; ``* * *`` becomes :data:`JOINT`."""
    out: list[str] = [element.text or ""]
    for child in element:
        name = _local(child)
        if name == "inline" and child.get("name") == "three-star":
            out.append(JOINT)
        elif name and name not in _SKIP:
            out.append(_words(child))
        out.append(child.tail or "")
    return "".join(out)


def _num_of(element: etree._Element) -> str:
    num = element.find(_q(element, "num"))
    if num is None:
        return ""
    value = (num.get("value") or "").strip()
    if value:
        return value
    printed = " ".join(_words(num).split()).strip(" .")
    return re.sub(r"^(article|section|sec\.|amendment|clause|§)\s*", "", printed, flags=re.IGNORECASE)


def _is_title_paragraph(element: etree._Element) -> bool:
    return _local(element) == "p" and any(_local(c) == "docTitle" for c in element)


def _dc_title(root: etree._Element) -> str:
    for element in root.iter("{http://purl.org/dc/elements/1.1/}title"):
        return " ".join("".join(element.itertext()).split())
    return ""


def _congress_number(root: etree._Element) -> int | None:
    """The Congress whose House Manual this is, from its own cross-references
    (``href="HMAN-117-pg854.xml#..."``)."""
    counts: Counter[int] = Counter()
    for element in root.iter():
        href = element.get("href") if isinstance(element.tag, str) else None
        if href and (match := re.match(r"HMAN-(\d{2,3})-", href)):
            counts[int(match.group(1))] += 1
    return counts.most_common(1)[0][0] if counts else None


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _q(element: etree._Element, name: str) -> str:
    namespace = etree.QName(element).namespace
    return f"{{{namespace}}}{name}" if namespace else name
