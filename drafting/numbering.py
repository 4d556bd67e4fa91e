"""Automatic numbering of a draft and ordering keys between siblings.

Numbers are never stored: :func:`build_tree` derives them from the order of the
provisions and the draft's :class:`Style` ("articles roman, sections arabic,
subsections (a)...").  Struck provisions keep their place but take no number,
so the provisions around them are numbered as the final text would be.

Ordering keys (:func:`key_between`) are strings compared lexicographically;
there is always a key between two others, so inserting or moving a provision
changes only that provision's record, never its siblings' (which keeps
concurrent edits of neighbouring provisions independent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from constitutions.model import EID_PREFIX, Kind, int_to_roman, make_eid
from convene.errors import ReadError, ValidationError

if TYPE_CHECKING:
    from drafting.model import DraftProvision, Node

FORMATS = ("roman", "arabic", "(a)", "(1)", "(A)", "(i)", "a.", "none")

DEFAULT_FORMATS: dict[Kind, str] = {
    Kind.PART: "roman", Kind.CHAPTER: "roman", Kind.TITLE: "roman", Kind.ARTICLE: "roman",
    Kind.AMENDMENT: "roman", Kind.SCHEDULE: "arabic", Kind.SECTION: "arabic", Kind.SUBSECTION: "(a)",
    Kind.CLAUSE: "(1)", Kind.PARAGRAPH: "(1)", Kind.SUBPARAGRAPH: "(A)", Kind.ITEM: "(i)",
    Kind.PREAMBLE: "none", Kind.DIVISION: "none",
}
# Kinds numbered straight through the whole draft (Article 1..n across chapters) rather than per parent.
DEFAULT_CONTINUOUS = frozenset({Kind.PART, Kind.CHAPTER, Kind.TITLE, Kind.ARTICLE, Kind.AMENDMENT, Kind.SCHEDULE})

WORDS: dict[Kind, str] = {
    Kind.PREAMBLE: "Preamble", Kind.PART: "Part", Kind.CHAPTER: "Chapter", Kind.TITLE: "Title",
    Kind.ARTICLE: "Article", Kind.SECTION: "Section", Kind.AMENDMENT: "Amendment", Kind.SCHEDULE: "Schedule",
}


@dataclass(frozen=True)
class Style:
    """How a draft numbers its provisions: a format per kind (one of :data:`FORMATS`) and the
    kinds numbered continuously through the draft.  Unlisted kinds use :data:`DEFAULT_FORMATS`."""

    formats: tuple[tuple[Kind, str], ...] = ()
    continuous: frozenset[Kind] = field(default=DEFAULT_CONTINUOUS)

    def __post_init__(self) -> None:
        for kind, fmt in self.formats:
            if fmt not in FORMATS:
                raise ValidationError(f"unknown numbering format {fmt!r} for {kind.value}; "
                                      f"choose one of {', '.join(FORMATS)}")

    def format_for(self, kind: Kind) -> str:
        for k, fmt in self.formats:
            if k is kind:
                return fmt
        return DEFAULT_FORMATS.get(kind, "arabic")

    @classmethod
    def of(cls, formats: Mapping[Kind | str, str] | None = None, continuous: set[Kind | str] | None = None) -> Style:
        """``Style.of({"article": "arabic"})``: articles 1, 2, 3 instead of I, II, III."""
        if formats is not None and not isinstance(formats, Mapping):
            raise ValidationError("bad numbering style: formats must map a kind to a format "
                                  f"(got {_json_type(formats)})")
        if continuous is not None and (isinstance(continuous, str | bytes | Mapping)
                                       or not isinstance(continuous, Iterable)):
            raise ValidationError("bad numbering style: continuous must be a set of kinds "
                                  f"(got {_json_type(continuous)})")
        try:
            fmts = tuple(sorted(((Kind(k), v) for k, v in (formats or {}).items()), key=lambda kv: kv[0].value))
            cont = frozenset(Kind(k) for k in continuous) if continuous is not None else DEFAULT_CONTINUOUS
        except ValueError as exc:
            raise ValidationError(f"bad numbering style: {exc}") from None
        return cls(fmts, cont)

    def to_dict(self) -> dict[str, Any]:
        return {"formats": {k.value: v for k, v in self.formats},
                "continuous": sorted(k.value for k in self.continuous)}

    @classmethod
    def from_dict(cls, data: Any) -> Style:
        """Inverse of :meth:`to_dict`, for data read from a file or the database.  ``None`` or ``{}`` is
        the default style; any other shape (a block that is not an object, unknown fields, ``formats``
        not an object of kind -> known format, ``continuous`` not a list of kind names) raises
        :class:`~convene.errors.ReadError` naming the field, e.g. ``style.formats.article``."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ReadError(f"bad numbering style: \"style\" must be an object with \"formats\" and "
                            f"\"continuous\" (got {_json_type(data)})")
        unknown = sorted(str(k) for k in data if k not in ("formats", "continuous"))
        if unknown:
            raise ReadError(f"bad numbering style: unknown field(s) {', '.join(map(repr, unknown))} in \"style\" "
                            f"(expected \"formats\" and \"continuous\")")
        formats = data.get("formats")
        if formats is None:
            formats = {}
        if not isinstance(formats, Mapping):
            raise ReadError(f"bad numbering style: \"style.formats\" must be an object mapping a kind to a format, "
                            f"e.g. {{\"article\": \"arabic\"}} (got {_json_type(formats)})")
        fmts: list[tuple[Kind, str]] = []
        for key, fmt in formats.items():
            kind = _kind(key, "style.formats")
            if not isinstance(fmt, str) or fmt not in FORMATS:
                raise ReadError(f"bad numbering style: \"style.formats.{kind.value}\" is {_shown(fmt)}, "
                                f"not a numbering format; choose one of {', '.join(FORMATS)}")
            fmts.append((kind, fmt))
        cont = data.get("continuous")
        continuous = DEFAULT_CONTINUOUS
        if cont is not None:
            if not isinstance(cont, list | tuple):
                raise ReadError(f"bad numbering style: \"style.continuous\" must be a list of kind names, "
                                f"e.g. [\"article\"] (got {_json_type(cont)})")
            continuous = frozenset(_kind(k, "style.continuous") for k in cont)
        return cls(tuple(sorted(fmts, key=lambda kv: kv[0].value)), continuous)


_KINDS = ", ".join(k.value for k in Kind)


def _json_type(value: Any) -> str:
    """``"a list"``, ``"a number"``...: what a JSON value is, for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _shown(value: Any) -> str:
    """A value quoted for an error message, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: Any, where: str) -> Kind:
    """The :class:`Kind` named ``value`` in the field ``where`` of a style, or ReadError."""
    if isinstance(value, Kind):
        return value
    if isinstance(value, str):
        try:
            return Kind(value)
        except ValueError:
            pass
    raise ReadError(f"bad numbering style: {_shown(value)} in \"{where}\" is not a kind of provision; "
                    f"one of {_KINDS}")


def format_number(n: int, fmt: str) -> str:
    """``format_number(4, "roman") == "IV"``, ``(28, "(a)") == "(bb)"``; ``"none"`` gives ``""``."""
    if fmt == "none":
        return ""
    if fmt == "roman":
        return int_to_roman(n) if n < 4000 else str(n)
    if fmt == "arabic":
        return str(n)
    if fmt == "(1)":
        return f"({n})"
    if fmt in ("(a)", "(A)", "a."):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        if fmt == "(A)":
            return f"({letter.upper()})"
        return f"({letter})" if fmt == "(a)" else f"{letter}."
    if fmt == "(i)":
        return f"({int_to_roman(n).lower()})" if n < 4000 else f"({n})"
    raise ValidationError(f"unknown numbering format {fmt!r}")


def label_for(kind: Kind, num: str, struck: bool = False) -> str:
    word = WORDS.get(kind, "")
    if kind is Kind.PREAMBLE:
        return "Preamble"
    if struck:
        return f"{word} (struck)".strip() if word else "(struck)"
    return f"{word} {num}".strip() if word else num


def build_tree(children_of: Mapping[str | None, tuple[Node, ...]], style: Style) -> tuple[DraftProvision, ...]:
    """Number every provision: a counter per kind, per parent (or for the whole draft for the
    style's continuous kinds); struck provisions are skipped by the counters.  Inside a struck
    provision every kind is counted per parent and the draft-wide counters do not move, so an
    article in a struck chapter keeps a number for reference while the articles after the chapter
    are numbered as in the final text."""
    from drafting.model import DraftProvision, ProvisionStatus

    global_counts: dict[Kind, int] = {}

    def build(parent: str | None, parent_eid: str | None, depth: int,
              in_struck: bool = False) -> tuple[DraftProvision, ...]:
        if depth > 200:
            raise ValidationError("draft nested too deeply (over 200 levels)")
        local_counts: dict[Kind, int] = {}
        seen_eids: dict[str, int] = {}
        out = []
        for position, node in enumerate(children_of.get(parent, ()), start=1):
            struck = node.status is ProvisionStatus.STRUCK
            num = ""
            if not struck:
                continuous = node.kind in style.continuous and not in_struck
                counts = global_counts if continuous else local_counts
                counts[node.kind] = counts.get(node.kind, 0) + 1
                num = format_number(counts[node.kind], style.format_for(node.kind))
            eid = make_eid(parent_eid, node.kind, num, position=position)
            if node.kind not in EID_PREFIX:  # pragma: no cover - every Kind has a prefix
                raise ValidationError(f"no eId prefix for {node.kind}")
            if eid in seen_eids:
                seen_eids[eid] += 1
                eid = f"{eid}_{seen_eids[eid]}"
            else:
                seen_eids[eid] = 1
            children = build(node.id, eid, depth + 1, in_struck or struck)
            out.append(DraftProvision(node=node, num=num, label=label_for(node.kind, num, struck), eid=eid,
                                      children=children))
        return tuple(out)

    return build(None, None, 0)


# ------------------------------------------------------------ ordering keys

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_BASE = len(DIGITS)


def _midpoint(lo: str, hi: str | None) -> str:
    """A key strictly between ``lo`` and ``hi`` (None = +infinity); keys never end in "0"."""
    if hi is not None:
        n = 0
        while n < len(hi) and (lo[n] if n < len(lo) else "0") == hi[n]:
            n += 1
        if n > 0:
            return hi[:n] + _midpoint(lo[n:], hi[n:])
    d_lo = DIGITS.index(lo[0]) if lo else 0
    d_hi = DIGITS.index(hi[0]) if hi is not None else _BASE
    if d_hi - d_lo > 1:
        return DIGITS[(d_lo + d_hi) // 2]
    if hi is not None and len(hi) > 1:
        return hi[:1]
    return DIGITS[d_lo] + _midpoint(lo[1:], None)


def key_between(lo: str | None, hi: str | None) -> str:
    """An ordering key ``k`` with ``lo < k < hi`` (None means unbounded on that side)."""
    lo = lo or ""
    if hi is not None and not lo < hi:
        raise ValidationError(f"ordering keys out of order: {lo!r} >= {hi!r}")
    for key in (lo, hi or ""):
        if any(c not in DIGITS for c in key) or key.endswith("0"):
            raise ValidationError(f"bad ordering key {key!r}")
    return _midpoint(lo, hi)


def keys_between(lo: str | None, hi: str | None, count: int) -> list[str]:
    """``count`` increasing keys strictly between ``lo`` and ``hi``, found by bisection so
    their length grows with log(count), not count (for adopting a whole subtree at once)."""
    if count <= 0:
        return []
    mid = key_between(lo, hi)
    left = (count - 1) // 2
    return [*keys_between(lo, mid, left), mid, *keys_between(mid, hi, count - 1 - left)]
