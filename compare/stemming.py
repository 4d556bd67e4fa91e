"""Terms as the topic tagger reads them: a Porter (1980) stemmer over spaCy lemmas, and bigrams of stems.

"equal", "equality" and "equally" meet at "equal"; a plural with a sense of its own (:data:`constitutions.language.
LEXICAL_PLURALS`: "arms") is its own stem.  :func:`terms` gives a text's stems followed by the bigrams of
consecutive stems ("head state", "secret ballot").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from functools import cache

from constitutions.language import LEXICAL_PLURALS

_VOWELS = frozenset("aeiou")


def _is_cons(w: str, i: int) -> bool:
    c = w[i]
    if c in _VOWELS:
        return False
    if c == "y":
        return i == 0 or not _is_cons(w, i - 1)
    return True


def _measure(w: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in ``w``."""
    n, i, size = 0, 0, len(w)
    while i < size and _is_cons(w, i):
        i += 1
    while i < size:
        while i < size and not _is_cons(w, i):
            i += 1
        if i >= size:
            break
        while i < size and _is_cons(w, i):
            i += 1
        n += 1
    return n


def _has_vowel(w: str) -> bool:
    return any(not _is_cons(w, i) for i in range(len(w)))


def _double_cons(w: str) -> bool:
    return len(w) >= 2 and w[-1] == w[-2] and _is_cons(w, len(w) - 1)


def _cvc(w: str) -> bool:
    return (len(w) >= 3 and _is_cons(w, len(w) - 3) and not _is_cons(w, len(w) - 2)
            and _is_cons(w, len(w) - 1) and w[-1] not in "wxy")


_STEP2 = (("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
          ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"),
          ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"),
          ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"))
_STEP3 = (("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""),
          ("ness", ""))
_STEP4 = ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
          "ate", "iti", "ous", "ive", "ize")


def _replace(w: str, rules, min_m: int) -> str:
    for suffix, repl in sorted(rules, key=lambda r: -len(r[0])):
        if w.endswith(suffix):
            base = w[:-len(suffix)]
            return base + repl if _measure(base) > min_m else w
    return w


@cache
def stem(word: str) -> str:
    """The Porter (1980) stem of a lower-case word ("equality" -> "equal", "elections" -> "elect"); a plural
    with a sense of its own (:data:`constitutions.language.LEXICAL_PLURALS`: "arms") is its own stem."""
    w = word
    if len(w) <= 2 or w in LEXICAL_PLURALS:
        return w
    # step 1a
    if w.endswith(("sses", "ies")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    # step 1b
    extra = False
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _has_vowel(w[:-2]):
        w, extra = w[:-2], True
    elif w.endswith("ing") and _has_vowel(w[:-3]):
        w, extra = w[:-3], True
    if extra:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _double_cons(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _measure(w) == 1 and _cvc(w):
            w += "e"
    # step 1c
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    w = _replace(w, _STEP2, 0)
    w = _replace(w, _STEP3, 0)
    # step 4
    for suffix in sorted(_STEP4, key=len, reverse=True):
        if w.endswith(suffix):
            base = w[:-len(suffix)]
            if _measure(base) > 1 and (suffix != "ion" or base.endswith(("s", "t"))):
                w = base
            break
    # step 5
    if w.endswith("e"):
        base = w[:-1]
        if _measure(base) > 1 or (_measure(base) == 1 and not _cvc(base)):
            w = base
    if _measure(w) > 1 and _double_cons(w) and w.endswith("l"):
        w = w[:-1]
    return w


def terms(lemmas: Iterable[str]) -> list[str]:
    """Stems of ``lemmas`` followed by the bigrams of consecutive stems ("head state")."""
    stems = [stem(x) for x in lemmas]
    return stems + stem_pairs(stems)


def stem_pairs(stems: Sequence[str]) -> list[str]:
    """The bigrams of consecutive distinct ``stems`` ("head state")."""
    return [f"{a} {b}" for a, b in itertools.pairwise(stems) if a != b]
