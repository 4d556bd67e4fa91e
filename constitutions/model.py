"""The domain: a :class:`Document` holding a tree of :class:`Provision` s.

Everything is immutable.  A provision knows its own text only (the words
between its number/heading and its first child); the full text of a subtree is
:func:`Provision.full_text`.  Ids follow the Akoma Ntoso naming convention
(``art_1__sec_8__cl_3``, ``amdt_14__sec_1``, ``chp_2__sec_9__subsec_3``):
see :func:`make_eid`.

JSON (``to_dict`` / ``from_dict``) is lossless: ``Document.from_dict(d.to_dict())
== d`` for every document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from convene.errors import NotFoundError, ReadError, ValidationError

SCHEMA_VERSION = 1


class Kind(StrEnum):
    PREAMBLE = "preamble"
    PART = "part"
    CHAPTER = "chapter"
    TITLE = "title"
    DIVISION = "division"  # an unnumbered heading that groups provisions ("THE NATION")
    ARTICLE = "article"
    SECTION = "section"
    SUBSECTION = "subsection"
    CLAUSE = "clause"
    PARAGRAPH = "paragraph"
    SUBPARAGRAPH = "subparagraph"
    AMENDMENT = "amendment"
    SCHEDULE = "schedule"
    ITEM = "item"


# Akoma Ntoso eId prefixes (AKN naming convention, plus ``amdt`` for US amendments).
EID_PREFIX: dict[Kind, str] = {
    Kind.PREAMBLE: "preamble",
    Kind.PART: "part",
    Kind.CHAPTER: "chp",
    Kind.TITLE: "title",
    Kind.DIVISION: "dvs",
    Kind.ARTICLE: "art",
    Kind.SECTION: "sec",
    Kind.SUBSECTION: "subsec",
    Kind.CLAUSE: "cl",
    Kind.PARAGRAPH: "para",
    Kind.SUBPARAGRAPH: "subpara",
    Kind.AMENDMENT: "amdt",
    Kind.SCHEDULE: "sched",
    Kind.ITEM: "item",
}

# Levels whose numbers are conventionally roman ("Article XIII A", "Amendment XIV",
# "Chapter IV"); their eIds use arabic numbers as in ``amdt_14``.
ROMAN_NUMBERED = frozenset({Kind.ARTICLE, Kind.AMENDMENT, Kind.CHAPTER, Kind.PART, Kind.TITLE, Kind.SCHEDULE})


class State(StrEnum):
    IN_FORCE = "in_force"
    REPEALED = "repealed"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class Status:
    state: State = State.IN_FORCE
    note: str = ""  # the words that say so, e.g. "Repealed by Amendment XXI, section 1."

    @property
    def in_force(self) -> bool:
        return self.state is State.IN_FORCE


IN_FORCE = Status()


@dataclass(frozen=True, slots=True)
class Provision:
    eid: str
    kind: Kind
    num: str = ""  # the number as printed, without the kind word: "I", "8", "(a)", "6½", "XIII A", "1°"
    heading: str = ""
    text: str = ""  # this provision's own words; paragraphs separated by a blank line
    children: tuple[Provision, ...] = ()
    status: Status = IN_FORCE
    meta: Mapping[str, str] = field(default_factory=dict, hash=False)

    def walk(self) -> Iterator[Provision]:
        """This provision and every descendant, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """The provision's own text followed by its descendants', as one string."""
        parts = []
        for node in self.walk():
            label = " ".join(p for p in (node.num, node.heading) if p) if node is not self else ""
            chunk = "\n".join(p for p in (label, node.text) if p)
            if chunk:
                parts.append(chunk)
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        status = {"state": self.status.state.value, "note": self.status.note}
        out: dict[str, Any] = {"id": self.eid, "kind": self.kind.value, "num": self.num,
                               "heading": self.heading, "text": self.text, "status": status}
        if self.meta:
            out["meta"] = dict(self.meta)
        out["children"] = [c.to_dict() for c in self.children]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provision:
        try:
            status = data.get("status") or {}
            if isinstance(status, str):
                status = {"state": status}
            return cls(
                eid=str(data["id"]),
                kind=Kind(data["kind"]),
                num=str(data.get("num") or ""),
                heading=str(data.get("heading") or ""),
                text=str(data.get("text") or ""),
                children=tuple(cls.from_dict(c) for c in data.get("children") or ()),
                status=Status(State(status.get("state", "in_force")), str(status.get("note", ""))),
                meta={str(k): str(v) for k, v in (data.get("meta") or {}).items()},
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ReadError(f"not a Convene provision: {exc!r}") from exc


@dataclass(frozen=True, slots=True)
class Located:
    """A provision with the chain of its ancestors (outermost first)."""

    provision: Provision
    ancestors: tuple[Provision, ...]

    @property
    def depth(self) -> int:
        return len(self.ancestors)

    @property
    def parent(self) -> Provision | None:
        return self.ancestors[-1] if self.ancestors else None


@dataclass(frozen=True)
class Document:
    id: str  # ISO 3166 code: "us", "us-ca", "de", ... (or the user's choice)
    title: str
    jurisdiction: str  # ISO 3166 code of the jurisdiction the text belongs to
    provisions: tuple[Provision, ...]
    year: int | None = None  # year of adoption
    version: str = ""  # as-of date (ISO) or revision label, e.g. "2025-12-17", "rev. 2012"
    source: str = ""  # file path or URL it was read from
    format: str = ""  # reader that read it, e.g. "uslm", "constitute-text"
    language: str = "en"
    meta: Mapping[str, str] = field(default_factory=dict, hash=False)

    def walk(self) -> Iterator[Located]:
        """Every provision with its ancestors, depth first, in document order."""
        stack: list[tuple[Provision, tuple[Provision, ...]]] = [(p, ()) for p in reversed(self.provisions)]
        while stack:
            node, ancestors = stack.pop()
            yield Located(node, ancestors)
            inner = (*ancestors, node)
            stack.extend((c, inner) for c in reversed(node.children))

    @cached_property
    def index(self) -> dict[str, Located]:
        return {loc.provision.eid: loc for loc in self.walk()}

    def get(self, eid: str) -> Provision:
        try:
            return self.index[eid].provision
        except KeyError:
            raise NotFoundError(f"no provision {eid!r} in {self.id}", source=self.id) from None

    def locate(self, eid: str) -> Located:
        try:
            return self.index[eid]
        except KeyError:
            raise NotFoundError(f"no provision {eid!r} in {self.id}", source=self.id) from None

    def count(self, kind: Kind | None = None) -> int:
        return sum(1 for loc in self.walk() if kind is None or loc.provision.kind is kind)

    def word_count(self) -> int:
        return sum(len(loc.provision.text.split()) + len(loc.provision.heading.split()) for loc in self.walk())

    def metadata_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "jurisdiction": self.jurisdiction, "year": self.year,
                "version": self.version, "source": self.source, "format": self.format,
                "language": self.language, "meta": dict(self.meta)}

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA_VERSION, **self.metadata_dict(),
                "provisions": [p.to_dict() for p in self.provisions]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        if not isinstance(data, Mapping):
            raise ReadError("a Convene document must be a JSON object")
        if data.get("schema") != SCHEMA_VERSION:
            raise ReadError(f"unsupported Convene JSON schema {data.get('schema')!r} (expected {SCHEMA_VERSION})")
        try:
            year = data.get("year")
            return cls(
                id=str(data["id"]),
                title=str(data.get("title") or ""),
                jurisdiction=str(data.get("jurisdiction") or data["id"]),
                provisions=tuple(Provision.from_dict(p) for p in data.get("provisions") or ()),
                year=int(year) if year is not None else None,
                version=str(data.get("version") or ""),
                source=str(data.get("source") or ""),
                format=str(data.get("format") or ""),
                language=str(data.get("language") or "en"),
                meta={str(k): str(v) for k, v in (data.get("meta") or {}).items()},
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ReadError(f"not a Convene document: {exc!r}") from exc


# ---------------------------------------------------------------- eIds

_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(text: str) -> int | None:
    """``"XIV"`` -> 14; None when ``text`` is not a well-formed upper-case roman numeral."""
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value else value
    return total


def int_to_roman(number: int) -> str:
    if not 0 < number < 4000:
        raise ValueError(f"no roman numeral for {number}")
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


_FRACTIONS = {"½": "half", "¼": "quarter", "¾": "threequarters"}


def eid_num(kind: Kind, num: str) -> str:
    """The number part of an eId: ``(a)`` -> ``a``, ``XIII A`` -> ``13A`` (roman levels),
    ``6½`` -> ``6half``, ``1°`` -> ``1``; only characters valid in an XML id remain."""
    raw = num.strip()
    for frac, word in _FRACTIONS.items():
        raw = raw.replace(frac, word)
    raw = unicodedata.normalize("NFKC", raw)
    raw = raw.strip("()[]. ").replace("°", "").replace("º", "")
    if kind in ROMAN_NUMBERED:
        match = re.match(r"^([IVXLCDM]+)(?:[\s-]*([A-Z]{1,2}))?$", raw)
        if match and (value := roman_to_int(match.group(1))) is not None:
            raw = f"{value}{match.group(2) or ''}"
    cleaned = re.sub(r"[^0-9A-Za-z.\-]+", "-", raw).strip("-.")
    return cleaned


_DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_doc_id(doc_id: str, *, source: str = "") -> str:
    """``doc_id`` when it can name a document (1 to 64 letters, digits, ``.``, ``_`` or ``-``, starting with a
    letter or digit: it is typed in commands and citations, and appears in file names and URLs), else a
    ValidationError naming it."""
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
        shown = repr(doc_id) if len(str(doc_id)) <= 80 else repr(str(doc_id)[:80]) + "…"
        raise ValidationError(f"invalid document id {shown}: use 1 to 64 letters, digits, '.', '_' or '-', "
                              "starting with a letter or digit (e.g. us-ca)", source=source)
    return doc_id


def make_eid(parent_eid: str | None, kind: Kind, num: str, *, position: int = 1) -> str:
    """The AKN-style eId of a child of ``parent_eid``.  Unnumbered provisions are
    ``{prefix}_nn_{position}`` as the convention says; the preamble is ``preamble``."""
    prefix = EID_PREFIX[kind]
    if kind is Kind.PREAMBLE:
        own = "preamble"
    else:
        number = eid_num(kind, num) if num else ""
        own = f"{prefix}_{number}" if number else f"{prefix}_nn_{position}"
    return f"{parent_eid}__{own}" if parent_eid else own


def unique_eid(eid: str, seen: set[str]) -> str:
    """``eid``, or ``eid_2``, ``eid_3``... when already in ``seen``; the result is added to ``seen``."""
    candidate, n = eid, 1
    while candidate in seen:
        n += 1
        candidate = f"{eid}_{n}"
    seen.add(candidate)
    return candidate


def rename_subtree(node: Provision, new_eid: str) -> Provision:
    """``node`` with eId ``new_eid``, its descendants' eIds re-prefixed to match."""
    from dataclasses import replace

    old = node.eid
    return replace(node, eid=new_eid,
                   children=tuple(rename_subtree(c, new_eid + c.eid[len(old):]) for c in node.children))


def dedupe_sibling_eids(provisions: tuple[Provision, ...]) -> tuple[Provision, ...]:
    """Siblings with the same eId (a number printed twice in a source) get ``_2``, ``_3``...
    suffixes in document order; their descendants follow."""
    seen: dict[str, int] = {}
    out = []
    for node in provisions:
        seen[node.eid] = seen.get(node.eid, 0) + 1
        out.append(node if seen[node.eid] == 1 else rename_subtree(node, f"{node.eid}_{seen[node.eid]}"))
    return tuple(out)


def renumber_eids(provisions: tuple[Provision, ...], parent_eid: str | None = None) -> tuple[Provision, ...]:
    """Rebuild every eId in the forest from kinds and numbers, making duplicates
    unique with a ``_2``, ``_3``... suffix.  Readers of formats without ids use it."""
    from dataclasses import replace

    seen: dict[str, int] = {}
    out = []
    for position, node in enumerate(provisions, start=1):
        eid = make_eid(parent_eid, node.kind, node.num, position=position)
        if eid in seen:
            seen[eid] += 1
            eid = f"{eid}_{seen[eid]}"
        else:
            seen[eid] = 1
        out.append(replace(node, eid=eid, children=renumber_eids(node.children, eid)))
    return tuple(out)
