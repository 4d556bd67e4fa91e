"""Word-level diff of two provisions, ready to render.

:func:`diff` splits both texts into words *with the whitespace that follows
each*, so the segments reproduce the inputs exactly: joining the ``equal`` and
``delete`` segments gives ``a``; joining ``equal`` and ``insert`` gives ``b``.
Words are compared case-sensitively as written (``difflib.SequenceMatcher``
with ``autojunk=False``, so frequent words like "the" are never discarded).
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Literal

Op = Literal["equal", "insert", "delete"]

_WORD = re.compile(r"\s+|\S+\s*")


@dataclass(frozen=True, slots=True)
class Segment:
    op: Op
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def diff(a: str, b: str) -> tuple[Segment, ...]:
    """Segments turning ``a`` into ``b``; adjacent segments of the same kind are merged,
    and a replacement is given as its deletion followed by its insertion."""
    a_words, b_words = _words(a), _words(b)
    # compare on the words without their trailing whitespace, so a re-wrapped line still matches
    matcher = difflib.SequenceMatcher(None, [w.strip() for w in a_words], [w.strip() for w in b_words],
                                      autojunk=False)
    out: list[Segment] = []

    def emit(op: Op, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Segment(op, out[-1].text + text)
        else:
            out.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            # equal words may differ in trailing whitespace: keep a's where both agree on the word
            for aw, bw in zip(a_words[i1:i2], b_words[j1:j2], strict=True):
                if aw == bw:
                    emit("equal", aw)
                else:
                    core = aw.rstrip()
                    emit("equal", core)
                    emit("delete", aw[len(core):])
                    emit("insert", bw[len(core):])
        else:
            emit("delete", "".join(a_words[i1:i2]))
            emit("insert", "".join(b_words[j1:j2]))
    return tuple(out)


def old_text(segments: tuple[Segment, ...] | list[Segment]) -> str:
    """The first text back: the ``equal`` and ``delete`` segments joined."""
    return "".join(s.text for s in segments if s.op != "insert")


def new_text(segments: tuple[Segment, ...] | list[Segment]) -> str:
    """The second text back: the ``equal`` and ``insert`` segments joined."""
    return "".join(s.text for s in segments if s.op != "delete")


def is_unchanged(segments: tuple[Segment, ...] | list[Segment]) -> bool:
    return all(s.op == "equal" for s in segments)


def for_display(segments: tuple[Segment, ...] | list[Segment]) -> tuple[Segment, ...]:
    """The same change with the whitespace at the edges of insertions and deletions
    moved out into ``equal`` segments, so marks wrap words only ("serve <del>four</del>
    <ins>five</ins> years"), and no run of spaces is doubled where a deletion and an
    insertion both carried one.  For rendering only: the exact-reconstruction
    guarantee of :func:`diff` does not hold for the result."""
    out: list[Segment] = []

    def emit(op: Op, text: str) -> None:
        if not text:
            return
        if op == "equal" and not text.strip() and out and out[-1].op == "equal" and out[-1].text[-1:].isspace():
            return
        if out and out[-1].op == op:
            out[-1] = Segment(op, out[-1].text + text)
        else:
            out.append(Segment(op, text))

    for seg in segments:
        if seg.op == "equal":
            emit("equal", seg.text)
            continue
        core = seg.text.strip()
        if not core:
            emit("equal", " ")
            continue
        start = seg.text.index(core[0])
        emit("equal", seg.text[:start])
        emit(seg.op, core)
        emit("equal", seg.text[start + len(core):])
    return tuple(out)


def to_html(segments: tuple[Segment, ...] | list[Segment]) -> str:
    """HTML with ``<del>`` / ``<ins>`` around changes; every piece of text is escaped."""
    parts = []
    for seg in for_display(segments):
        text = html.escape(seg.text)
        if seg.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif seg.op == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return "".join(parts)


def similarity(segments: tuple[Segment, ...] | list[Segment]) -> float:
    """Share of the words of both sides that are equal (0 to 1; 1 for two empty texts)."""
    equal = sum(len(s.text.split()) for s in segments if s.op == "equal")
    total = sum(len(s.text.split()) for s in segments) + equal
    return 1.0 if total == 0 else 2 * equal / total
