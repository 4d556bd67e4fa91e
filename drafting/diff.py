"""Word-level comparison of two texts, as segments to render with ins/del marks.

``difflib.SequenceMatcher`` over words (``autojunk=False``: legal texts repeat
"the" and "shall" far too often for the junk heuristic).  Words are compared
without the whitespace before them; joining the ``equal`` and ``insert`` segments
gives back the new text exactly, and joining ``equal`` and ``delete`` gives back the
old text's words (``equal`` segments carry the new text's spacing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]
_TOKEN = re.compile(r"\s*\S+|\s+$")


@dataclass(frozen=True, slots=True)
class Segment:
    op: Op
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


def tokens(text: str) -> list[str]:
    """Words with their leading whitespace; ``"".join(tokens(t)) == t``."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Segments turning ``old`` into ``new`` (deletions before insertions at a replacement)."""
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False)
    out: list[Segment] = []

    def push(op: Op, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Segment(op, out[-1].text + text)
        else:
            out.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", "".join(b[j1:j2]))
        else:
            push("delete", "".join(a[i1:i2]))
            push("insert", "".join(b[j1:j2]))
    return tuple(out)


def old_text(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments if s.op != "insert")


def new_text(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments if s.op != "delete")


def is_unchanged(segments: tuple[Segment, ...]) -> bool:
    return all(s.op == "equal" for s in segments)
