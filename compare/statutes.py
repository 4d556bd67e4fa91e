"""Titles of statutes inside constitutional text: names, not prose.

Constitutions cite ordinary laws by title: India's Ninth Schedule is 284 of them ("The Bihar Land Reforms
Act, 1950 (Bihar Act XXX of 1950).", "The Kerala Land Reforms (Amendment) Act, 1971 ..."), its First Schedule
draws state boundaries "specified in section 3 of the States Reorganisation Act, 1956", and California exempts
"the California Children and Families First Act of 1998".  A title's words say what the statute is about,
not what the provision is about: read as prose, "Land" makes a list of land laws about the accession of
territory, "(Amendment) Act" about amending the constitution, and "Children" a clause on a tax measure about
child labour.  The topic tagger reads a provision with its statute titles taken out (:func:`without_titles`).

A title, as matched here (each form in the table below, with what it must not match):

- ends in a word naming a kind of enacted law: Act, Code, Law, Ordinance, Order, Regulation(s), Rules or
  Statute, capitalised, *followed by a year* ("Act, 1950", "Act of 1998", "Act 1982").  Without a year the
  word is as likely prose: "this Act", "the Law of the Federation", "an Act of Parliament";
- runs back from that word over capitalised words ("Bombay", "(Amendment)", "Daman"), parenthesised groups
  opening with a capital ("(Estates, Mahals, Alienated Lands)"), commas and the small words of titles ("of",
  "and", "the", "for" ...), and begins at a capitalised word or at the "the" before it: "the States
  Reorganisation Act, 1956" in "specified in section 3 of the States Reorganisation Act, 1956" (a lower-case
  word such as "specified" ends the run).  It must hold a capitalised word other than the kind word and a
  determiner ("This Act, 1996" is no title);
- takes in a parenthesised citation that follows it: "(Bihar Act XXX of 1950)", "(Central Act 54 of 1969)".

A constitution's own name is not a statute title here ("Constitution of Kenya, 2010" ends in no kind word).
Guarantees: the titles are found in one pass in time linear in the text (a bounded look back from each kind
word, no nested regular-expression repetition), never overlap, come in text order, and never raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# the kind word, then the year that makes it a title: "Act, 1950", "Act of 1998", "Regulation 1963";
# not "Act of Parliament", "Law 12", "Order in Council"
_KIND_YEAR = re.compile(
    r"\b(?:Act|Code|Law|Ordinance|Order|Regulations?|Rules|Statute)"
    r"(?:\s*,\s*|\s+of\s+|\s+)(?:1[5-9]\d\d|20\d\d)\b")
# a parenthesised citation right after the year: "(Bihar Act XXX of 1950)", "(Central Act 30 of 1952)"
_CITATION = re.compile(r"\s*\([^()]{0,120}\b(?:Act|Regulation|Ordinance|Order|No\.)[^()]{0,120}\)")
# the tokens a title is made of, read backwards from its kind word: a parenthesised group, a word, a comma
_TOKEN = re.compile(r"\([^()]{0,200}\)|[^\W\d_][\w'’.&-]*|\d[\w.-]*|,|&")
# small words inside a title ("Abolition of Proprietary Rights", "Goa, Daman and Diu")
_JOINERS = frozenset({"of", "and", "the", "for", "on", "in", "to", "by", "with", "from", "under", "&", ","})
_DETERMINERS = frozenset({"The", "This", "That", "Such", "Any", "Each", "Every", "Said", "An", "A"})
_LOOK_BACK = 400  # characters: the longest titles in the corpus are about 200


@dataclass(frozen=True, slots=True)
class StatuteTitle:
    """A statute's title in a text: ``text[start:end] == title``."""

    start: int
    end: int
    title: str


def _capitalised(token: str) -> bool:
    if token.startswith("("):
        inner = token[1:].lstrip()
        return bool(inner) and inner[0].isupper()
    return token[0].isupper()


def _title_start(text: str, kind_start: int, floor: int) -> int | None:
    """Where the title whose kind word starts at ``kind_start`` begins (not before ``floor``), or None when the
    words before it are no title."""
    lo = max(floor, kind_start - _LOOK_BACK)
    tokens = list(_TOKEN.finditer(text, lo, kind_start))
    start, named, after = None, False, kind_start
    for k in range(len(tokens) - 1, -1, -1):
        m = tokens[k]
        token, between = m.group(0), text[m.end():after]
        if between.strip() or "\n" in between:  # a full stop, a line break ...: no title runs across them
            break
        after = m.start()
        if token in ("the", "The") and start is not None and (k == 0 or tokens[k - 1].group(0) != "of"):
            break  # the title's own article: "the National Accord ... Act", not "Constitution and the ..."
        if _capitalised(token):
            start, named = m.start(), named or token not in _DETERMINERS
        elif token not in _JOINERS:
            break
    if start is None or not named:
        return None
    before = text[lo:start].rstrip()
    if before.endswith(("the", "The")) and (len(before) == 3 or not before[-4].isalnum()):
        start = lo + len(before) - 3
    return start


def find_titles(text: str) -> tuple[StatuteTitle, ...]:
    """Statute titles in ``text``, in order (module docstring)."""
    found: list[StatuteTitle] = []
    floor = 0
    for m in _KIND_YEAR.finditer(text):
        if m.start() < floor:
            continue
        start = _title_start(text, m.start(), floor)
        if start is None:
            continue
        end = m.end()
        if (cited := _CITATION.match(text, end)) is not None:
            end = cited.end()
        found.append(StatuteTitle(start, end, text[start:end]))
        floor = end
    return tuple(found)


def without_titles(text: str) -> str:
    """``text`` with its statute titles taken out, the spaces around them closed up; "" when nothing but
    titles and punctuation is left ("The Bihar Land Reforms Act, 1950 (Bihar Act XXX of 1950).")."""
    titles = find_titles(text)
    if not titles:
        return text
    parts, at = [], 0
    for t in titles:
        parts.append(text[at:t.start])
        at = t.end
    parts.append(text[at:])
    out = re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()
    out = re.sub(r"\s+([,.;:)])", r"\1", out)
    return out if any(c.isalnum() for c in out) else ""
