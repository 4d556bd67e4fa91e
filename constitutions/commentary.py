"""Commentary and case law on a constitution's provisions: Laws.Africa's ConCompass.

ConCompass (``south-africa/data.json`` in the corpus) explains South Africa's
Constitution topic by topic ("Section 14: Privacy", "Chapter 9 Institutions"):
what the provision means, how the Constitutional Court has interpreted it, and
the Court's cases, each with its citation and a link to the judgment.  Every
topic names the provisions it is about by their Akoma Ntoso eIds
(``chp_2__sec_14``), the same ids Convene keeps for that constitution, so a
drafter reading a provision can see the commentary and the cases on it.

Guarantees:

- :func:`is_concompass` (and :func:`recognise_concompass`, which reads what it recognises
  without parsing twice) recognises the format by its content (a JSON object with
  ``topics`` and ``cases`` per language, topics holding ``references``), never by
  the file name; :func:`read_concompass` reads the English expression.
- The HTML of the published fields becomes plain paragraphs (:func:`html_text`):
  parsed with lxml's HTML parser, which never touches the network; scripts,
  styles and comments are dropped, and nothing of the markup is kept.
- A malformed file (not JSON, a field of the wrong type, a topic without an id)
  is a :class:`~convene.errors.ReadError` naming the file and the field.
- :meth:`Commentary.on` answers for any provision: the topics about it, about a
  part that contains it (a chapter), or about provisions inside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import lxml.etree
import lxml.html

from convene.errors import ReadError

__all__ = ["CaseNote", "Commentary", "CommentaryTopic", "Note", "html_text", "is_concompass", "read_concompass",
           "recognise_concompass"]

PUBLISHER = "ConCompass (Laws.Africa)"
CONCOMPASS_DOC = "za"  # ConCompass explains the Constitution of the Republic of South Africa, 1996
LANGUAGE = "en"
_BLOCKS = ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "ul", "ol", "table")
_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")

Relation = Literal["provision", "enclosing", "within"]


@dataclass(frozen=True, slots=True)
class CaseNote:
    """A Constitutional Court case as ConCompass summarises it."""

    id: str
    title: str  # the case name and its law-report citations
    url: str  # the judgment (lawlibrary.org.za); "" when not given
    summary: str  # what the case was about
    issues: str = ""  # facts and issues
    principle: str = ""  # the right and principle at stake
    holding: str = ""  # how the Court interpreted the Constitution


@dataclass(frozen=True, slots=True)
class CommentaryTopic:
    """One topic of the commentary and the provisions (eIds) it explains."""

    id: str
    title: str
    summary: str
    references: tuple[str, ...]  # eIds of the provisions it explains
    cases: tuple[str, ...] = ()  # ids of :class:`CaseNote`
    meaning: str = ""  # what the provision means
    interpretation: str = ""  # how it has been interpreted
    mechanism: str = ""  # how it works in practice
    updated: str = ""  # ISO date the publisher last changed it


@dataclass(frozen=True, slots=True)
class Note:
    """A topic that speaks to a provision, and how: about the ``provision`` itself, about an ``enclosing``
    part (its chapter), or about provisions ``within`` it."""

    topic: CommentaryTopic
    relation: Relation
    reference: str  # the eId the topic names that made it relevant


@dataclass(frozen=True, slots=True)
class Commentary:
    """A publisher's commentary on one document (``doc_id``)."""

    doc_id: str
    publisher: str
    source: str
    topics: tuple[CommentaryTopic, ...]
    cases: tuple[CaseNote, ...]
    language: str = LANGUAGE

    def cases_of(self, topic: CommentaryTopic) -> tuple[CaseNote, ...]:
        """The topic's cases that the commentary holds (in the topic's order)."""
        known = {c.id: c for c in self.cases}
        return tuple(known[i] for i in topic.cases if i in known)

    def references(self) -> frozenset[str]:
        return frozenset(r for t in self.topics for r in t.references)

    def on(self, eid: str) -> tuple[Note, ...]:
        """The topics that speak to provision ``eid``: first those about it, then those about a part containing
        it (nearest first), then those about provisions inside it; each topic once, in the commentary's order
        within each group."""
        own: list[Note] = []
        enclosing: list[tuple[int, Note]] = []
        within: list[Note] = []
        for topic in self.topics:
            found: Note | None = None
            depth = -1
            for ref in topic.references:
                if ref == eid:
                    found = Note(topic, "provision", ref)
                    break
                if eid.startswith(ref + "__") and ref.count("__") > depth:
                    found, depth = Note(topic, "enclosing", ref), ref.count("__")
                elif found is None and ref.startswith(eid + "__"):
                    found = Note(topic, "within", ref)
            if found is None:
                continue
            if found.relation == "provision":
                own.append(found)
            elif found.relation == "enclosing":
                enclosing.append((-depth, found))
            else:
                within.append(found)
        enclosing.sort(key=lambda pair: pair[0])
        return (*own, *(n for _, n in enclosing), *within)

    def matched_to(self, eids: Collection[str]) -> Commentary:
        """The commentary with each reference the document does not have (``eids``: the document's eIds)
        replaced by the one eId that ends with the same provision (``chp_13__sec_217`` ->
        ``chp_13__subpart_nn_1__sec_217`` when the published text groups section 217 in a subpart) and begins
        in the same top-level part; a reference with no such single eId is kept as it is."""
        known = set(eids)
        by_tail: dict[tuple[str, str], list[str]] = {}
        for eid in known:
            parts = eid.split("__")
            by_tail.setdefault((parts[0], parts[-1]), []).append(eid)

        def match(ref: str) -> str:
            if ref in known:
                return ref
            parts = ref.split("__")
            found = by_tail.get((parts[0], parts[-1]), [])
            return found[0] if len(found) == 1 else ref

        topics = tuple(replace(t, references=tuple(dict.fromkeys(match(r) for r in t.references)))
                       for t in self.topics)
        return replace(self, topics=topics)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Commentary:
        topics = tuple(CommentaryTopic(**{**t, "references": tuple(t["references"]), "cases": tuple(t["cases"])})
                       for t in data["topics"])
        return cls(doc_id=data["doc_id"], publisher=data["publisher"], source=data["source"], topics=topics,
                   cases=tuple(CaseNote(**c) for c in data["cases"]), language=data.get("language", LANGUAGE))


# ------------------------------------------------------------------ reading


def html_text(fragment: str) -> str:
    """The plain text of an HTML fragment: one paragraph per block element, paragraphs separated by a blank
    line, runs of spaces collapsed; scripts, styles and comments dropped; "" for an empty fragment."""
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return _tidy(fragment)
    for bad in root.xpath(".//script | .//style | .//template"):
        bad.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
        if el.tag == "li":
            el.text = "• " + (el.text or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    paragraphs = (_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")))
    lines = ("\n".join(line.strip() for line in p.split("\n") if line.strip()) for p in paragraphs)
    return "\n\n".join(p for p in lines if p)


def _recognised(data: bytes) -> dict | None:
    """``data`` parsed, when it has ConCompass's shape (cheap checks first; one parse only when they pass)."""
    head = data[:4096].lstrip()
    if not head.startswith(b"{") or b'"topics"' not in data or b'"cases"' not in data or b'"references"' not in data:
        return None
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("topics"), dict):
        return None
    topics = parsed["topics"].get(LANGUAGE)
    ok = isinstance(topics, list) and any(isinstance(t, dict) and "references" in t for t in topics)
    return parsed if ok else None


def is_concompass(data: bytes) -> bool:
    """Whether ``data`` is ConCompass's JSON."""
    return _recognised(data) is not None


def recognise_concompass(data: bytes, source: str, *, doc_id: str = CONCOMPASS_DOC) -> Commentary | None:
    """The commentary in ``data`` when it is ConCompass's JSON (parsed once), else None; a file of that shape
    with a malformed field is a :class:`~convene.errors.ReadError` as in :func:`read_concompass`."""
    parsed = _recognised(data)
    return None if parsed is None else _commentary(parsed, source, doc_id)


def read_concompass(data: bytes, source: str, *, doc_id: str = CONCOMPASS_DOC) -> Commentary:
    """The English commentary in ConCompass's JSON ``data`` (read from ``source``), about document ``doc_id``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"not UTF-8 JSON: {exc.reason} at byte {exc.start}", source=source) from None
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ReadError(f"malformed JSON: {exc}", source=source) from None
    if not isinstance(parsed, dict):
        raise ReadError("not a ConCompass file: the top level is not an object", source=source)
    return _commentary(parsed, source, doc_id)


def _commentary(parsed: dict, source: str, doc_id: str) -> Commentary:
    topics_raw = _language_list(parsed, "topics", source)
    cases_raw = _language_list(parsed, "cases", source, required=False)
    cases = tuple(_case(c, k, source) for k, c in enumerate(cases_raw))
    topics = tuple(_topic(t, k, source) for k, t in enumerate(topics_raw))
    if not topics:
        raise ReadError("a ConCompass file without any English topic", source=source)
    return Commentary(doc_id=doc_id, publisher=PUBLISHER, source=source, topics=topics, cases=cases)


def _language_list(parsed: dict, key: str, source: str, *, required: bool = True) -> list:
    by_language = parsed.get(key)
    if by_language is None and not required:
        return []
    if not isinstance(by_language, dict):
        raise ReadError(f"not a ConCompass file: {key!r} is not an object of languages", source=source)
    items = by_language.get(LANGUAGE, [] if not required else None)
    if not isinstance(items, list):
        raise ReadError(f"not a ConCompass file: {key}.{LANGUAGE} is missing or not a list", source=source)
    return items


def _field(item: dict, name: str, where: str, source: str, *, required: bool = False) -> str:
    value = item.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ReadError(f"{where}.{name} is not text", source=source)
    if required and not value.strip():
        raise ReadError(f"{where} has no {name}", source=source)
    return value


def _ids(item: dict, name: str, where: str, source: str) -> tuple[str, ...]:
    value = item.get(name) or []
    if not isinstance(value, Sequence) or isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise ReadError(f"{where}.{name} is not a list of ids", source=source)
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _topic(item: object, k: int, source: str) -> CommentaryTopic:
    where = f"topics.{LANGUAGE}[{k}]"
    if not isinstance(item, dict):
        raise ReadError(f"{where} is not an object", source=source)
    return CommentaryTopic(
        id=_field(item, "id", where, source, required=True).strip(),
        title=html_text(_field(item, "title", where, source, required=True)),
        summary=html_text(_field(item, "snippet", where, source)),
        references=_ids(item, "references", where, source),
        cases=_ids(item, "cases", where, source),
        meaning=html_text(_field(item, "topic_meaning", where, source)),
        interpretation=html_text(_field(item, "interpretation", where, source)),
        mechanism=html_text(_field(item, "mechanism", where, source)),
        updated=_field(item, "date_updated", where, source)[:10],
    )


def _case(item: object, k: int, source: str) -> CaseNote:
    where = f"cases.{LANGUAGE}[{k}]"
    if not isinstance(item, dict):
        raise ReadError(f"{where} is not an object", source=source)
    url = _field(item, "href", where, source).strip()
    return CaseNote(
        id=_field(item, "id", where, source, required=True).strip(),
        title=html_text(_field(item, "title", where, source, required=True)),
        url=url if re.match(r"^https?://", url, re.IGNORECASE) else "",
        summary=html_text(_field(item, "snippet", where, source)),
        issues=html_text(_field(item, "facts_and_issues", where, source)),
        principle=html_text(_field(item, "right_and_principle", where, source)),
        holding=html_text(_field(item, "interpretation", where, source)),
    )
