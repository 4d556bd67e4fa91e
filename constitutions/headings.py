"""Headings as they are cited.

A provision with no number but a heading (Ireland's "THE PRESIDENT" over
Articles 12 to 14, India's "Right to Equality") is cited by its heading in
typographic quotes: “The President”.  The printed heading is made readable
(:func:`readable_heading`): whitespace collapsed, trailing ":", ".", ";", ","
and dashes dropped, and a heading printed all in capitals put in title case
(small words such as "of", "and", "the" in lower case except the first;
roman numerals and accented letters kept: "DÁIL ÉIREANN" -> “Dáil Éireann”);
a heading in mixed case is kept as printed.

Public API::

    readable_heading("DÁIL ÉIREANN") -> "Dáil Éireann"   # how an unnumbered provision's heading is cited
    titled("Art. 140", "Mandatory Referendum") -> "Art. 140 — Mandatory Referendum"
    heading_key("“The President”") -> "the president"   # the form in which headings are compared

Reading a heading citation against a document is :mod:`constitutions.resolve`'s
work; choosing which provisions are cited by their heading is
:mod:`constitutions.canonical`'s.
"""

from __future__ import annotations

import unicodedata

from constitutions.model import roman_to_int

__all__ = [
    "HEADING_CITATION_MAX",
    "heading_key",
    "is_quoted",
    "readable_heading",
    "strip_quotes",
    "titled",
]


# Pairs of quotes a heading citation may be written in: “The President”, "The President", ‘…’, '…', «…», „…“.
_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'"), ("«", "»"), ("„", "“"), ("”", "”"))
# Words kept in lower case when an all-capitals heading is put in title case (unless first).
_SMALL_WORDS = frozenset({"of", "and", "the", "to", "for", "on", "in", "a", "an", "by", "with"})
# Dropped from the end of a heading: "THE PRESIDENT:" and "Money Bills." are cited “The President”, “Money Bills”.
_TRAILING = " \t:;.,-–—"
# A heading longer than this (readable) is no citation anyone would type: such a provision keeps its eId.
HEADING_CITATION_MAX = 300


def titled(citation: str, heading: str, *, separator: str = " — ") -> str:
    """A citation with its provision's heading after it, unless the citation already is that heading (a
    provision with no number, cited as “The Referendum”): ``titled("Art. 140", "Mandatory Referendum")`` ->
    ``"Art. 140 — Mandatory Referendum"``; ``titled("“The Referendum”", "THE REFERENDUM")`` -> ``"“The
    Referendum”"``."""
    heading = " ".join(heading.split())
    if not heading or (citation and f"“{readable_heading(heading)}”".casefold() in citation.casefold()):
        return citation or heading
    return f"{citation}{separator}{heading}" if citation else heading


def readable_heading(heading: str) -> str:
    """A heading as it is cited: whitespace collapsed, trailing punctuation dropped, all-capitals in title case.

    ``"THE PRESIDENT"`` -> ``"The President"``; ``"DÁIL ÉIREANN"`` -> ``"Dáil Éireann"``;
    ``"RIGHTS OF THE CITIZEN:"`` -> ``"Rights of the Citizen"``; ``"Money Bills."`` -> ``"Money Bills"``
    (mixed case is kept as printed); ``"PART II GENERAL"`` keeps the roman numeral ``II``."""
    text = " ".join(unicodedata.normalize("NFC", heading or "").split()).rstrip(_TRAILING)
    letters = [c for c in text if c.isalpha()]
    if letters and any(c.isupper() for c in letters) and not any(c.islower() for c in letters):
        text = _title_case(text)
    return text


def _title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for index, word in enumerate(words):
        core = word.strip("()[]{}\"'“”‘’«»,;:.")
        after_stop = index > 0 and out[-1].endswith((":", ".", "-", "—", "–"))  # "PART A — THE UNION": a new phrase
        if len(core) > 1 and roman_to_int(core) is not None:
            out.append(word)  # "PART II", "ARTICLE XIV"
        elif index > 0 and not after_stop and core.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append(_capitalise(word.lower()))
    return " ".join(out)


def _capitalise(word: str) -> str:
    """Upper-case the first letter and each letter after a hyphen or slash: "vice-president" -> "Vice-President";
    an apostrophe does not start a word ("people's" -> "People's")."""
    chars = list(word)
    start = True
    for i, char in enumerate(chars):
        if char.isalpha():
            if start:
                chars[i] = char.upper()
            start = False
        elif char in "-/–(":
            start = True
    return "".join(chars)


def is_quoted(text: str) -> bool:
    return any(len(text) >= 2 and text.startswith(left) and text.endswith(right) for left, right in _QUOTE_PAIRS)


def strip_quotes(text: str) -> str:
    text = text.strip()
    for left, right in _QUOTE_PAIRS:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            return text[len(left):-len(right)].strip()
    return text


def heading_key(text: str) -> str:
    """The comparable form of a heading or heading citation: quotes off, readable, case-folded."""
    return readable_heading(strip_quotes(text)).casefold()
