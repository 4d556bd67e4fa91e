"""Citations as people write them, parsed, resolved against a document's tree,
and written back in each jurisdiction's own style.

Public API::

    parse(citation) -> Citation                 # syntax only, no document needed
    resolve(doc, citation) -> Located           # raises CitationError naming what failed
    canonical(doc, eid) -> str                  # "Art. I, § 8, cl. 3"
    canonical_citations(doc) -> dict[str, str]  # eid -> citation, every provision, one walk
    readable_heading("DÁIL ÉIREANN") -> "Dáil Éireann"   # how an unnumbered provision's heading is cited
    split_reference("us-ca:Art. I, § 13") -> ("us-ca", "Art. I, § 13")
    split_reference("Germany Art. 13") -> ("de", "Art. 13")   # a jurisdiction named, see below

Parsing follows eyecite's approach: a table of small named regexes (below),
each commented with what it must and must not match.  A :class:`Citation` is a
sequence of :class:`Step` s, each a kind hint (``Art.`` -> ARTICLE, ``§``/``s``
-> SECTION, ``cl.`` -> CLAUSE...) or None (parenthesised and dotted numbers:
"the next level down, whatever its kind") and a number as written.

Resolution walks the tree: a step matches a provision by number (roman and
arabic are the same at article/amendment/chapter/part level: "Article 1" ==
"Article I"); grouping containers (part, chapter, title, division) and
unnumbered provisions in between are skipped; a kind hint is required when the
document has provisions of that kind at all, and ignored otherwise (so "Art. 5"
works whether a reader modelled Kenya's articles as articles or as sections).
An AKN eId ("art_1__sec_8__cl_3") is accepted directly.

Headings.  A provision with no number but a heading (Ireland's "THE PRESIDENT"
over Articles 12 to 14, India's "Right to Equality") is cited by its heading in
typographic quotes: “The President”.  The printed heading is made readable
(:func:`readable_heading`): whitespace collapsed, trailing ":", ".", ";", ","
and dashes dropped, and a heading printed all in capitals put in title case
(small words such as "of", "and", "the" in lower case except the first;
roman numerals and accented letters kept: "DÁIL ÉIREANN" -> “Dáil Éireann”);
a heading in mixed case is kept as printed.  :func:`resolve` reads a heading
citation with or without quotes (typographic or straight), ignoring case and
runs of whitespace; accents are compared as given, and when the citation as
given names no heading it is compared again with accents left out on both
sides ("Dail Eireann" finds “Dáil Éireann”).  Numbered resolution always comes
first: a heading is only looked for when the text names no numbered provision,
so a heading never shadows a numbered citation.  A heading shared by several
unnumbered provisions ("General" in five parts of India's) is ambiguous: the
error names the candidates by eId.

*Anchored citations*: a heading may also stand inside a citation.  "Pt. V,
Ch. II, “General”" names the provision headed "General" below Part V,
Chapter II (India repeats that heading in five places); "“Annexure A”,
Paragraph 2(a)" names the numbers below an unnumbered, headed provision
(South Africa's Schedule 6 numbers the paragraphs of each annexure from 1, so
"Sch. 6, 2(a)" alone would name several).  The heading may be quoted or not
("Annexure A, 2(a)"); one heading per citation.

Guarantees of :func:`canonical_citations`: every provision gets exactly one
citation; citations are unique within the document; each one resolves back to
its provision.  A provision that cannot be cited by number is cited by its
heading when that heading is unique in the document (among unnumbered
provisions) and reads back to it; otherwise, and for numbers below such a
provision, by an anchored citation when one reads back to it; otherwise by its
eId, which :func:`resolve` accepts (in the corpus: an unnumbered attestation,
and a few of Canada's Constitution Act, 1982 sections printed twice).
"""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from constitutions import jurisdictions
from constitutions.model import (
    EID_PREFIX,
    ROMAN_NUMBERED,
    Document,
    Kind,
    Located,
    Provision,
    int_to_roman,
    roman_to_int,
)
from convene.errors import CitationError

__all__ = [
    "Citation",
    "Step",
    "canonical",
    "canonical_citations",
    "doc_and_citation",
    "named_reference",
    "parse",
    "readable_heading",
    "resolve",
    "split_reference",
    "titled",
]


@dataclass(frozen=True, slots=True)
class Step:
    """One level of a citation: a kind hint (None for "(1)" or the parts of "40.6.1") and a number as written."""

    kind: Kind | None
    num: str


@dataclass(frozen=True, slots=True)
class Citation:
    steps: tuple[Step, ...]
    act: str | None = None  # "Constitution Act, 1982" (documents holding several acts)
    eid: str | None = None  # set when the citation was written as an eId
    text: str = ""  # the citation as given


# ====================================================================== regexes

# Numbers.  Must match "I", "XIII A" (roman + separate capital letter), "14", "20a", "243ZH",
# "1.1", "6½", "40.6.1°", "1A"; must not swallow the kind word that follows ("Article I Section 1":
# the letter after a roman numeral must stand alone) nor a trailing comma.
_ROMAN_NUM = r"[IVXLCDM]+(?:[ -]?[A-Za-z](?![A-Za-z]))?(?![A-Za-z])"
# An arabic number may be followed by a separate capital letter ("Article 21 A" is India's 21A).
_ARABIC_NUM = r"\d+(?:[A-Za-z]{1,3}|[ -](?-i:[A-Z])(?=$|[\s,;(]))?(?:\.\d+[A-Za-z]{0,3})*[½¼¾]?°?"
# One or two letters ("Pt. A" of a schedule, India's "item aa") are a number too, when no letter follows.
_NUMBER = rf"(?:{_ARABIC_NUM}|{_ROMAN_NUM}|[a-z]{{1,2}}(?![A-Za-z])|[A-Z]{{1,2}}(?![A-Za-z]))"

# Kind words, tried longest first.  Each must be followed by a number (or be "Preamble").
# - "s"/"s." (South Africa, Canada): must match "s 24", "s. 24"; must not match "ss." (a range)
#   or the "s" ending a word (guarded by \b and the required number).
# - "§": must match "§ 7" and "§7"; "§§" is a range and is rejected before parsing.
# - "subd." (California's "subdivision") is a subsection.
# - Abbreviations may drop their period when a space follows ("sec 13", "cl 3", "amdt 4"), as "art 5" may.
# - "Abs." (German "Absatz", as in "Art. 13 Abs. 1") is a paragraph.
_KIND_WORDS: tuple[tuple[str, Kind], ...] = (
    (r"subparagraphs?|subpara\.|subpara(?=\s)", Kind.SUBPARAGRAPH),
    (r"subdivision|subdiv\.|subd\.|subsection|subsec\.|subs\.|subsec(?=\s)|subd(?=\s)", Kind.SUBSECTION),
    (r"amendment|amend\.|amdt\.|am\.|amend(?=\s)|amdt(?=\s)", Kind.AMENDMENT),
    (r"article|art\.|art(?=\s)", Kind.ARTICLE),
    (r"section|sec\.|sect\.|§|s\.|sect(?=\s)|sec(?=\s)|s(?=\s)", Kind.SECTION),
    (r"clause|cl\.|cl(?=\s)", Kind.CLAUSE),
    (r"paragraph|para\.|para(?=\s)|¶|abs\.", Kind.PARAGRAPH),
    (r"chapter|chap\.|ch\.|chap(?=\s)|ch(?=\s)", Kind.CHAPTER),
    (r"part|pt\.|pt(?=\s)", Kind.PART),
    (r"title|tit\.", Kind.TITLE),
    (r"schedule|sched\.|sch\.|sched(?=\s)|sch(?=\s)", Kind.SCHEDULE),
    (r"division|div\.|div(?=\s)", Kind.DIVISION),
    (r"item", Kind.ITEM),
)
# the same words without their look-aheads, to name the kind of a word already found
_KIND_BY_WORD = [(re.compile(re.sub(r"\(\?=\\s\)", "", word), re.IGNORECASE), kind) for word, kind in _KIND_WORDS]
_KIND_WORD = "|".join(f"(?:{word})" for word, _ in _KIND_WORDS)

# "Art. I", "§ 8", "cl. 3", "Amendment IV", "Schedule 1".  The number may follow the kind word
# with or without a space ("§7"); a number in parentheses after "subd." is allowed ("subd. (a)").
_KIND_AND_NUMBER = re.compile(rf"(?P<word>{_KIND_WORD})\s*(?:(?P<num>{_NUMBER})|\((?P<pnum>[^()\s]{{1,8}})\))",
                              re.IGNORECASE)

# Spelled-out or suffixed ordinals before the kind word: "Fourteenth Amendment", "First Amendment",
# "Twenty-first Amendment", "14th Amendment", "Second Schedule".  Must not match "First" alone.
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
           "eightieth": 80, "ninetieth": 90}
_ORDINALS: dict[str, int] = {w: i for i, w in enumerate(_UNITS, start=1)}
_ORDINALS.update({w: i for i, w in enumerate(_TEENS, start=10)})
_ORDINALS.update(_TENTHS)
for _tens_word, _tens in _TENS.items():
    for _i, _unit in enumerate(_UNITS, start=1):
        _ORDINALS[f"{_tens_word}-{_unit}"] = _tens + _i
        _ORDINALS[f"{_tens_word} {_unit}"] = _tens + _i
_ORDINAL_WORD = "|".join(sorted((re.escape(w) for w in _ORDINALS), key=len, reverse=True))
_ORDINAL_AND_KIND = re.compile(
    rf"(?P<ord>{_ORDINAL_WORD}|\d+(?:st|nd|rd|th))\s+(?P<word>amendment|article|schedule|section|chapter|part)\b",
    re.IGNORECASE)

# A parenthesised number: "(1)", "(a)", "(iv)", "(aa)", "(1.1)".  Must not match "(commencing ...)"
# (spaces) nor empty parentheses.
_PAREN = re.compile(r"\((?P<num>[0-9A-Za-z](?:[0-9A-Za-z.]{0,5}[0-9A-Za-z])?°?)\)")

# A bare number (the whole citation, or its start): "40.6.1", "14(1)".
_BARE = re.compile(rf"(?P<num>{_NUMBER})")

# "Preamble", "pmbl." (Bluebook's abbreviation).
_PREAMBLE = re.compile(r"(?:preamble|pmbl\.?)(?![A-Za-z])", re.IGNORECASE)

# A duplicate-number marker, as written by canonical() for the second of two siblings with the same
# number (Cal. Const. art. IV, sec. 19 has two subdivisions (f)): "[2]".  Must follow a number.
_DUPLICATE = re.compile(r"\[(?P<n>\d{1,2})\]")

# Source prefixes, dropped: "U.S. Const.", "Cal. Const.,", "US Const", "N.Y. Const. art.".
# Must not match "Constitution Act, 1982" (an act name, kept; see _ACT).
_SOURCE = re.compile(r"^(?:(?:[A-Z][A-Za-z]{0,5}\.\s?){1,3}|US\s|[A-Z][a-z]+\s)?"
                     r"Const(?:itution\b|\.|\b)(?!\s*,?\s*Act),?\s*")

# An act inside a document that holds several: "Constitution Act, 1982", "Constitution Act 1867",
# "British North America Act, 1867".  Must not match "Act" inside other words.
_ACT = re.compile(r"^(?P<name>(?:[A-Z][\w’'.-]*\s+){1,5}Act),?\s*(?P<year>\d{4})\b")

# The usual short forms of an act's name: "CA 1867", "C.A., 1982" (Constitution Act), and the former names
# of the Canadian Constitution Acts: the Constitution Act, 1982 (s. 53 and its schedule) renamed the British
# North America Acts ("BNA Act, 1867") Constitution Acts, keeping their years.
_ACT_SHORT = re.compile(r"^C\.?\s?A\.?,?\s*(?P<year>\d{4})\b")
_FORMER_ACT_NAMES = {"british north america act": "Constitution Act", "bna act": "Constitution Act",
                     "b.n.a. act": "Constitution Act"}

# Canada's Charter of Rights and Freedoms is Part I (sections 1 to 34) of the Constitution Act, 1982:
# "Charter, s. 8", "Canadian Charter of Rights and Freedoms s. 2(b)".  Must not match "Charters".
_CHARTER = re.compile(r"^(?:the\s+)?(?:Canadian\s+)?Charter(?:\s+of\s+Rights\s+and\s+Freedoms)?(?![A-Za-z]),?\s*",
                      re.IGNORECASE)
CHARTER_ACT, CHARTER_SECTIONS = "Constitution Act, 1982", 34

# Ranges and lists, rejected with a clear message: "§§ 1-3", "ss. 4-6", "Arts. 1 to 3", "secs.",
# "1–3", "(a)-(c)", "et seq.".  Must not reject "Twenty-first Amendment" (letters around the hyphen).
_RANGE = re.compile(
    r"§§|\bss\.?\s*\d|\b(?:arts|secs|amends|cls|paras|subds)\.|\b(?:articles|sections|clauses|amendments)\b"
    r"|\d\s*[-–—]\s*\d|\)\s*[-–—]\s*\(|\b(?:to|through|thru|et\s+seq)\b|\d\s*&\s*\d|\d,\s*\d",
    re.IGNORECASE)

# An AKN eId: "art_1__sec_8__cl_3", "preamble", "chp_2__sec_9__subsec_3", "sec_19__subsec_f_2".
# Must not match a citation with spaces or punctuation other than "._-".
_EID = re.compile(r"^(?:preamble|[a-z]+_[A-Za-z0-9.\-]+(?:_\d+)?)(?:__(?:[a-z]+_[A-Za-z0-9.\-]+(?:_\d+)?|preamble))*$")

# "us-ca:Art. I, § 13": a document id (lower-case ISO code or slug), a colon, the citation.
_REFERENCE = re.compile(r"^(?P<doc>[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\s*:\s*(?P<cite>.*)$", re.DOTALL)

_SEPARATOR = re.compile(r"[\s,;]+")

GROUPING = frozenset({Kind.PART, Kind.CHAPTER, Kind.TITLE, Kind.DIVISION})
_PREFIX_KIND = {prefix: kind for kind, prefix in EID_PREFIX.items()}
_PREFIX_KIND.update({"subpart": Kind.DIVISION, "att": Kind.SCHEDULE, "sched": Kind.SCHEDULE})


# ====================================================================== parsing


def split_reference(ref: str) -> tuple[str | None, str]:
    """``"us-ca:Art. I, § 13"`` -> ``("us-ca", "Art. I, § 13")``; ``"Art. I"`` -> ``(None, "Art. I")``; a
    jurisdiction named as people write it (:func:`named_reference`): ``"Germany Art. 13"`` -> ``("de",
    "Art. 13")``."""
    text = ref.strip()
    match = _REFERENCE.match(text)
    if match and not _KIND_AND_NUMBER.fullmatch(match.group("doc")):
        return match.group("doc"), match.group("cite").strip()
    return named_reference(text) or (None, text)


def doc_and_citation(doc_id: str, citation: str | None) -> tuple[str, str | None]:
    """The document id and citation of a command given either both (``us "Amendment IV"``) or one reference in
    the first argument (``"us:Amendment IV"``, ``"Germany Art. 13"``); an empty citation counts as none."""
    if not citation:
        ref_doc, ref_citation = split_reference(doc_id)
        if ref_doc is not None:
            return ref_doc, ref_citation
    return doc_id, citation


# A jurisdiction named before the citation, as lawyers and drafters write it: "Germany Art. 13",
# "South Africa s 14", "U.S. Const. amend. IV", "Cal. Const. art. I, § 13", "Japan's Article 9",
# "Constitution of India, Art. 21", "DE Art. 13".  The name is one of :mod:`constitutions.jurisdictions`'
# names or aliases, or its code in capitals; what follows must read as a numbered citation (so "Kenya
# Defence Forces", a heading, or free text that begins with a country's name is never taken for one).
_NAMED = re.compile(
    r"^(?:the\s+)?(?:Constitution\s+of\s+(?:the\s+)?)?(?P<name>{names})(?=[\s,:'’]|$)(?:['’]s)?"
    r"(?:\s+Const(?:itution\b|\.))?\s*[,:]?\s*(?P<cite>.+)$",
    re.IGNORECASE | re.DOTALL)
_NAMED_CODE = re.compile(r"^(?P<code>[A-Z]{2}(?:-[A-Z]{2})?)(?:\s*:\s*|\s+)(?P<cite>.+)$", re.DOTALL)


@functools.cache
def _named_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name, _ in jurisdictions.names())
    return re.compile(_NAMED.pattern.format(names=names), _NAMED.flags)


def named_reference(text: str) -> tuple[str, str] | None:
    """``(code, citation)`` when ``text`` names a known jurisdiction and then cites a numbered provision
    (``"South Africa s 14"`` -> ``("za", "s 14")``); None otherwise."""
    text = text.strip()
    code = cite = name = None
    if match := _named_pattern().match(text):
        name = " ".join(match.group("name").split()).casefold()
        code = next(c for n, c in jurisdictions.names() if n.casefold() == name)
        cite = match.group("cite").strip()
    elif (match := _NAMED_CODE.match(text)) and match.group("code").lower() in jurisdictions.BY_CODE:
        code, cite = match.group("code").lower(), match.group("cite").strip()
    if code is None or not cite:
        return None
    try:
        parsed = parse(cite)
    except CitationError:
        return None
    steps = parsed.steps
    # a kind word ("Art.", "s", "Amendment") or several levels ("40.3.1"): "India 1950" stays free text; after a
    # bare code, a kind word ("CA 1867, s. 91" is the Constitution Act, 1867, not Canada's section 1867)
    readable = steps and parsed.eid is None and (steps[0].kind is not None or (len(steps) > 1 and name is not None))
    return (code, cite) if readable else None


def _kind_of(word: str) -> Kind:
    for pattern, kind in _KIND_BY_WORD:
        if pattern.fullmatch(word):
            return kind
    raise CitationError(f"unknown kind word {word!r}")  # pragma: no cover - the regex only finds known words


def parse(citation: str) -> Citation:
    """Parse a citation into steps, without looking at any document.

    Raises :class:`CitationError` for empty text, ranges (``§§ 1-3``) and
    anything left over that is not a citation."""
    text = unicodedata.normalize("NFC", citation or "").strip()
    if not text:
        raise CitationError("empty citation")
    if len(text) > 300:
        raise CitationError(f"citation too long ({len(text)} characters): {text[:40]!r}…")
    if _EID.match(text):
        return Citation(steps=_steps_of_eid(text), eid=text, text=text)
    if _RANGE.search(text):
        raise CitationError(f"{text!r} is a range or list of provisions; cite one provision at a time")
    rest = _SOURCE.sub("", text, count=1)
    act = None
    charter = _CHARTER.match(rest)
    if charter:
        act, rest = CHARTER_ACT, rest[charter.end():]
    elif match := _ACT.match(rest) or _ACT_SHORT.match(rest):
        name = " ".join((match.groupdict().get("name") or "Constitution Act").split())
        act = f"{_FORMER_ACT_NAMES.get(name.casefold(), name)}, {match.group('year')}"
        rest = rest[match.end():]
    steps: list[Step] = []
    position = 0
    while True:
        sep = _SEPARATOR.match(rest, position)
        if sep:
            position = sep.end()
        if position >= len(rest):
            break
        new, position = _next_steps(rest, position, first=not steps)
        if not new:
            raise CitationError(f"cannot read citation {text!r}: unexpected {rest[position:position + 20]!r}")
        steps.extend(new)
    if not steps and act is None:
        raise CitationError(f"cannot read citation {text!r}: no provision named")
    if charter and not (steps and steps[0].kind in (Kind.SECTION, None) and steps[0].num.isdigit()
                        and 1 <= int(steps[0].num) <= CHARTER_SECTIONS):
        raise CitationError(f"cannot read citation {text!r}: the Canadian Charter of Rights and Freedoms is "
                            f"sections 1 to {CHARTER_SECTIONS} of the {CHARTER_ACT}; cite one of its sections")
    return Citation(steps=tuple(steps), act=act, text=text)


def _next_steps(rest: str, position: int, *, first: bool) -> tuple[list[Step], int]:
    """The step(s) at ``position`` and the position after them; ``[]`` when nothing fits."""
    if match := _PREAMBLE.match(rest, position):
        return [Step(Kind.PREAMBLE, "")], match.end()
    if match := _ORDINAL_AND_KIND.match(rest, position):
        word = match.group("ord").lower()
        value = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        steps = [Step(_kind_of(match.group("word")), str(value))]
        return steps + _parens(rest, match.end()), _after_parens(rest, match.end())
    if match := _KIND_AND_NUMBER.match(rest, position):
        kind = _kind_of(match.group("word"))
        if match.group("pnum") is not None:
            return [Step(kind, match.group("pnum"))], match.end()
        return _numbered(kind, match.group("num"), rest, match.end())
    if match := _PAREN.match(rest, position):
        return [Step(None, match.group("num"))], match.end()
    if match := _DUPLICATE.match(rest, position):
        return [Step(None, f"[{match.group('n')}]")], match.end()
    if first and (match := _BARE.match(rest, position)):
        return _numbered(None, match.group("num"), rest, match.end())
    return [], position


def _numbered(kind: Kind | None, num: str, rest: str, end: int) -> tuple[list[Step], int]:
    """A kind word's number, with dotted article numbers split ("Art. 40.6.1°" -> 40, 6, 1°: Ireland's
    article, section, subsection) and parenthesised numbers that follow ("§ 7(a)(1)")."""
    steps: list[Step]
    if kind in (Kind.ARTICLE, None) and "." in num.rstrip("."):
        head, *tail = num.split(".")
        steps = [Step(kind, head), *(Step(None, part) for part in tail if part)]
    else:
        steps = [Step(kind, num)]
    if (dup := _DUPLICATE.match(rest, end)) is not None:
        steps.append(Step(None, f"[{dup.group('n')}]"))
        end = dup.end()
    return steps + _parens(rest, end), _after_parens(rest, end)


def _parens(rest: str, end: int) -> list[Step]:
    steps = []
    while (match := _PAREN.match(rest, end)) or (match := _DUPLICATE.match(rest, end)):
        num = match.group("num") if "num" in match.groupdict() else f"[{match.group('n')}]"
        steps.append(Step(None, num))
        end = match.end()
    return steps


def _after_parens(rest: str, end: int) -> int:
    while (match := _PAREN.match(rest, end)) or (match := _DUPLICATE.match(rest, end)):
        end = match.end()
    return end


def _steps_of_eid(eid: str) -> tuple[Step, ...]:
    steps = []
    for part in eid.split("__"):
        if part == "preamble":
            steps.append(Step(Kind.PREAMBLE, ""))
            continue
        prefix, _, num = part.partition("_")
        kind = _PREFIX_KIND.get(prefix)
        if kind is None or num.startswith("nn_"):
            return ()
        num = re.sub(r"half$", "½", num)
        if (dup := re.fullmatch(r"(.+?)_(\d+)", num)) is not None:
            steps.extend([Step(kind, dup.group(1)), Step(None, f"[{dup.group(2)}]")])
        else:
            steps.append(Step(kind, num))
    return tuple(steps)


# ====================================================================== numbers

_ROMAN_WITH_LETTER = re.compile(r"^([IVXLCDM]+?)(?:[\s-]*([A-Za-z]))?$")


def _plain(num: str) -> str:
    """The number without decoration: "(a)" -> "a", "1." -> "1", "1°" -> "1", "6½" -> "6half", "XIII A" -> "XIIIA"."""
    raw = unicodedata.normalize("NFC", num).strip()
    for frac, word in (("½", "half"), ("¼", "quarter"), ("¾", "threequarters")):
        raw = raw.replace(frac, word)
    raw = unicodedata.normalize("NFKC", raw).replace("°", "").replace("º", "")
    raw = raw.strip().strip("()[]").strip().rstrip(".)").strip()
    return re.sub(r"[\s-]+", "", raw)


def _keys(num: str, roman: bool) -> set[str]:
    """Comparable forms of a number: as written (case-folded) and, at roman levels, arabic."""
    plain = _plain(num)
    keys = {plain.casefold()}
    if roman:
        text = unicodedata.normalize("NFKC", num).strip().strip("().").strip()
        # "XIV" is 14; "XIVA"/"IVa"/"XIII A" are 14A/4A/13A (a roman numeral and a letter)
        for numeral, letter in ((text, ""), (text[:-1].rstrip(" -"), text[-1:])):
            if (numeral and letter.isalpha()) or not letter:
                value = roman_to_int(numeral) if numeral else None
                if value is not None:
                    keys.add(f"{value}{letter}".casefold())
                    break
    return keys


def _node_num(node: Provision) -> str:
    """A provision's number, or one implied by its heading ("Schedule 1", "Constitution Act 1867")."""
    if node.num:
        return node.num
    match = re.match(r"^(?:the\s+)?(?:schedule|part|chapter|title)\s+([0-9]+[A-Z]?|[IVXLC]+)\b", node.heading,
                     re.IGNORECASE)
    return match.group(1) if match else ""


_ACT_HEADING = re.compile(r"^(?P<name>(?:[A-Z][\w’'.-]*\s+){1,5}Act),?\s*(?P<year>\d{4})\b")


def _act_of(node: Provision) -> str | None:
    """"Constitution Act, 1982" when the node is an act of a multi-act document."""
    for text in (node.heading, node.num):
        if match := _ACT_HEADING.match(text.strip()):
            return f"{' '.join(match.group('name').split())}, {match.group('year')}"
    return None


def _act_key(act: str) -> str:
    return re.sub(r"\W+", "", act).casefold()


# ====================================================================== resolving

_KIND_NAMES = {Kind.SUBSECTION: "Subsection", Kind.SUBPARAGRAPH: "Subparagraph"}


def _describe_step(step: Step) -> str:
    if step.kind is None:
        return f"({_plain(step.num)})" if not step.num.startswith("[") else step.num
    if step.kind is Kind.PREAMBLE:
        return "Preamble"
    return f"{_KIND_NAMES.get(step.kind, step.kind.value.title())} {step.num}"


def _describe_node(node: Provision) -> str:
    if node.kind is Kind.PREAMBLE:
        return "the Preamble"
    num = _node_num(node)
    if not num:
        return node.heading or node.eid
    if node.kind in (Kind.SUBSECTION, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.CLAUSE, Kind.ITEM) and \
            num.startswith("("):
        return f"{node.kind.value} {num}"
    return f"{_KIND_NAMES.get(node.kind, node.kind.value.title())} {num}"


def _skippable(node: Provision) -> bool:
    return node.kind in GROUPING or not _node_num(node)


def _reachable_cached(doc: Document, parent: Provision | None) -> list[tuple[Provision, tuple[Provision, ...]]]:
    facts = _facts(doc)
    key = parent.eid if parent is not None else ""
    if (found := facts.reach.get(key)) is None:
        found = facts.reach[key] = list(_reachable(parent.children if parent is not None else doc.provisions))
    return found


def _node_keys(doc: Document, node: Provision) -> frozenset[str]:
    facts = _facts(doc)
    if (keys := facts.keys.get(node.eid)) is None:
        num = _node_num(node)
        roman = node.kind in ROMAN_NUMBERED or node.kind is Kind.DIVISION
        keys = facts.keys[node.eid] = frozenset(_keys(num, roman)) if num and node.kind is not Kind.PREAMBLE \
            else frozenset()
    return keys


def _reachable(children: Iterable[Provision], between: tuple[Provision, ...] = ()
               ) -> Iterator[tuple[Provision, tuple[Provision, ...]]]:
    """Children, and the children of grouping/unnumbered ones, with the provisions passed through."""
    for node in children:
        yield node, between
        if node.children and _skippable(node):
            yield from _reachable(node.children, (*between, node))


# Numbered subdivisions of a section or an article: traditions name the same level differently
# ("Art. 8 para. 2" and "Art. 8(2)"), so one stands for another a text lacks.
_SUBDIVISIONS = frozenset({Kind.SUBSECTION, Kind.CLAUSE, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM})


def _matches(doc: Document, step: Step, step_keys: set[str], node: Provision) -> bool:
    if step.kind is Kind.PREAMBLE:
        return node.kind is Kind.PREAMBLE
    return not step_keys.isdisjoint(_node_keys(doc, node))


def resolve(doc: Document, citation: str) -> Located:
    """The provision ``citation`` names in ``doc``, with its ancestors.

    A numbered citation or an eId is tried first; only when it names nothing is
    the text read as the heading of an unnumbered provision (“The President”).
    Raises :class:`CitationError` naming what failed ("no Section 99 in Article I
    of us-ca"), including when a citation matches several provisions."""
    text = (citation or "").strip()
    if text in doc.index:
        return doc.index[text]
    doc_id, text = split_reference(text)
    if doc_id is not None and doc_id != doc.id:
        if (headed := _resolve_heading(doc, (citation or "").strip())) is not None:
            return headed  # a heading with a colon in it ("a: provisions"), not a document id
        raise CitationError(f"{citation!r} cites document {doc_id!r}, not {doc.id!r}", source=doc.id)
    try:
        return _resolve_numbered(doc, text)
    except CitationError:
        if (headed := _resolve_heading(doc, text)) is not None:
            return headed
        if (anchored := _resolve_anchored(doc, text)) is not None:
            return anchored
        if _quoted(text):
            raise CitationError(f"no provision headed {_strip_quotes(text)!r} in {doc.id}", source=doc.id) from None
        raise


def _resolve_numbered(doc: Document, text: str) -> Located:
    parsed = parse(text)
    if parsed.eid is not None:
        if parsed.eid in doc.index:
            return doc.index[parsed.eid]
        if not parsed.steps:
            raise CitationError(f"no provision {parsed.eid!r} in {doc.id}", source=doc.id)
    return _resolve_steps(doc, parsed)


def _resolve_steps(doc: Document, parsed: Citation, start: Located | None = None) -> Located:
    """The provision ``parsed`` names, from the top of ``doc`` or, given ``start``, below that provision."""
    frontier: list[tuple[tuple[Provision, ...], Provision | None]] = [((), None)]
    where = doc.id
    if start is not None:
        frontier = [((*start.ancestors, start.provision), start.provision)]
        where = f"{_describe_anchor(start.provision)} of {doc.id}"
    if parsed.act is not None:
        wanted = _act_key(parsed.act)
        acts = [(between, node) for node, between in _reachable(doc.provisions)
                if (act := _act_of(node)) is not None and _act_key(act) == wanted]
        if not acts:
            raise CitationError(f"no {parsed.act} in {doc.id}", source=doc.id)
        frontier = [((*between, node), node) for between, node in acts]
        where = f"{parsed.act} of {doc.id}"
        if not parsed.steps:
            return Located(acts[0][1], acts[0][0])
    kinds: frozenset[Kind] | None = None
    found: list[tuple[tuple[Provision, ...], Provision]] = []
    for step in parsed.steps:
        if step.num.startswith("["):  # "[2]": the n-th sibling with the number just matched
            found = _nth_duplicate(found, int(step.num[1:-1]))
            if not found:
                raise CitationError(f"no {step.num} duplicate in {where}", source=doc.id)
            frontier = [((*anc, node), node) for anc, node in found]
            continue
        step_keys = _keys(step.num, step.kind in ROMAN_NUMBERED or step.kind is Kind.DIVISION)
        found = [(anc + between, node) for anc, parent in frontier
                 for node, between in _reachable_cached(doc, parent) if _matches(doc, step, step_keys, node)]
        if step.kind is not None and step.kind is not Kind.PREAMBLE:
            if kinds is None:
                kinds = _facts(doc).kinds
            if step.kind in kinds or (step.kind is Kind.SUBSECTION and Kind.SUBSECTION in kinds):
                # prefer the level the citation names; when this parent has no such level, its numbered
                # child stands for it ("Art. 8 para. 2" of a text whose article 8 has numbered clauses)
                named = [(anc, node) for anc, node in found if node.kind is step.kind]
                if named or step.kind not in _SUBDIVISIONS:
                    found = named
                else:
                    found = [(anc, node) for anc, node in found if node.kind in _SUBDIVISIONS]
        found = _first_of_duplicates(_least_hidden(found, [len(anc) for anc, _ in frontier]))
        if not found:
            raise CitationError(f"no {_describe_step(step)} in {where}", source=doc.id)
        if len(found) == 1:
            where = f"{_describe_node(found[0][1])} of {where}" if step is not parsed.steps[-1] else where
        frontier = [((*anc, node), node) for anc, node in found]
    if not found:
        raise CitationError(f"citation {parsed.text!r} names no provision", source=doc.id)
    if len(found) > 1:
        names = {} if _facts(doc).computing else canonical_citations(doc)
        options = "; ".join(names.get(node.eid, node.eid) for _, node in found[:6])
        raise CitationError(f"{parsed.text!r} is ambiguous in {doc.id}: it matches {len(found)} provisions "
                            f"({options}); cite one of them", source=doc.id)
    ancestors, node = found[0]
    return Located(node, ancestors)


def _least_hidden(found: list[tuple[tuple[Provision, ...], Provision]], _depths: list[int]
                  ) -> list[tuple[tuple[Provision, ...], Provision]]:
    """Prefer matches reached through fewer skipped containers: "Sch. 6, item 1" is item 1 of
    Schedule 6, not item 1 of Division A inside it.  Matches in different acts of a multi-act
    document are never preferred over each other (Canada's "s. 2" stays ambiguous)."""
    if len(found) < 2:
        return found
    if len({_act_in(anc) for anc, _ in found}) > 1:
        return found
    hidden = [_hidden_count(anc) for anc, _ in found]
    least = min(hidden)
    return [match for match, count in zip(found, hidden, strict=True) if count == least]


def _act_in(ancestors: tuple[Provision, ...]) -> str | None:
    return next((act for node in ancestors if (act := _act_of(node)) is not None), None)


def _hidden_count(ancestors: tuple[Provision, ...]) -> int:
    """Containers a citation passes over without naming them (grouping or unnumbered)."""
    return sum(1 for a in ancestors if a.kind in GROUPING or not _node_num(a))


def _first_of_duplicates(found: list[tuple[tuple[Provision, ...], Provision]]
                         ) -> list[tuple[tuple[Provision, ...], Provision]]:
    """Siblings sharing a number (two subdivisions (f)) count once: the first; "[2]" picks the second."""
    out = []
    seen: set[tuple[int, str]] = set()
    for anc, node in found:
        key = (id(anc[-1]) if anc else 0, _plain(_node_num(node)).casefold(), node.kind)
        if key not in seen:
            seen.add(key)
            out.append((anc, node))
    return out


def _nth_duplicate(found: list[tuple[tuple[Provision, ...], Provision]], n: int
                   ) -> list[tuple[tuple[Provision, ...], Provision]]:
    out = []
    for anc, node in found:
        siblings = anc[-1].children if anc else ()
        same = [s for s in siblings if s.kind is node.kind and _plain(_node_num(s)) == _plain(_node_num(node))]
        if len(same) >= n:
            out.append((anc, same[n - 1]))
    return out


# ====================================================================== headings

# Pairs of quotes a heading citation may be written in: “The President”, "The President", ‘…’, '…', «…», „…“.
_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'"), ("«", "»"), ("„", "“"), ("”", "”"))
# Words kept in lower case when an all-capitals heading is put in title case (unless first).
_SMALL_WORDS = frozenset({"of", "and", "the", "to", "for", "on", "in", "a", "an", "by", "with"})
# Dropped from the end of a heading: "THE PRESIDENT:" and "Money Bills." are cited “The President”, “Money Bills”.
_TRAILING = " \t:;.,-–—"
# A heading longer than this (readable) is no citation anyone would type: such a provision keeps its eId.
HEADING_CITATION_MAX = 300
# Longest text read as a heading citation (a guard against huge input; longer is a CitationError).
_HEADING_INPUT_MAX = 1000


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


def _quoted(text: str) -> bool:
    return any(len(text) >= 2 and text.startswith(left) and text.endswith(right) for left, right in _QUOTE_PAIRS)


def _strip_quotes(text: str) -> str:
    text = text.strip()
    for left, right in _QUOTE_PAIRS:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            return text[len(left):-len(right)].strip()
    return text


def _heading_key(text: str) -> str:
    """The comparable form of a heading or heading citation: quotes off, readable, case-folded."""
    return readable_heading(_strip_quotes(text)).casefold()


def _without_accents(key: str) -> str:
    decomposed = unicodedata.normalize("NFD", key)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _heading_citable(node: Provision) -> bool:
    """Provisions a heading may name: not the preamble, no number (printed or implied), a heading."""
    return node.kind is not Kind.PREAMBLE and not _node_num(node) and bool(node.heading.strip())


def _heading_index(doc: Document) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Heading key -> eIds of the unnumbered provisions with that heading, as printed and without accents."""
    facts = _facts(doc)
    if facts.headings is None:
        exact: dict[str, list[str]] = {}
        folded: dict[str, list[str]] = {}
        for loc in doc.walk():
            node = loc.provision
            if _heading_citable(node) and (key := _heading_key(node.heading)):
                exact.setdefault(key, []).append(node.eid)
                folded.setdefault(_without_accents(key), []).append(node.eid)
        facts.headings = (exact, folded)
    return facts.headings


def _resolve_heading(doc: Document, text: str) -> Located | None:
    """The unnumbered provision whose heading ``text`` is; None when no heading matches.

    Raises CitationError when several provisions share the heading (naming them) or the text is too long."""
    if len(text) > _HEADING_INPUT_MAX:
        raise CitationError(f"citation too long ({len(text)} characters): {text[:40]!r}…", source=doc.id)
    eids = _headed(doc, text)
    if not eids:
        return None
    if len(eids) > 1:
        options = "; ".join(_describe_candidate(doc, eid) for eid in eids[:6])
        more = f"; and {len(eids) - 6} more" if len(eids) > 6 else ""
        raise CitationError(f"{text!r} is ambiguous in {doc.id}: {len(eids)} provisions are headed "
                            f"{_strip_quotes(text)!r} ({options}{more}); cite one of them by its eId",
                            source=doc.id)
    return doc.index[eids[0]]


def _headed(doc: Document, text: str) -> list[str]:
    """The eIds of the unnumbered provisions headed ``text`` (compared as printed, else without accents)."""
    key = _heading_key(text)
    if not key:
        return []
    exact, folded = _heading_index(doc)
    return exact.get(key) or folded.get(_without_accents(key)) or []


_QUOTED_SEGMENT = re.compile(r"[“\"]([^”\"]+)[”\"]")


def _resolve_anchored(doc: Document, text: str) -> Located | None:
    """A citation through the heading of an unnumbered provision (*anchored citations* in the module
    docstring): “Annexure A”, item 1 (numbers below the headed provision), Pt. V, Ch. II, “General” (the
    provision so headed below Pt. V, Ch. II); None when ``text`` has no heading with something beside it.
    Raises CitationError when the heading names no provision there, or several.  Called by :func:`resolve`
    after :func:`_resolve_heading`, which has refused a text too long."""
    found = _heading_segment(doc, text)
    if found is None:
        return None
    start, end, heading = found
    before = text[:start].strip().rstrip(",").strip()
    after = text[end:].strip().lstrip(",").strip()
    if not before and not after:
        return None
    base = resolve(doc, before) if before else None
    eids = _headed(doc, heading)
    if base is not None:
        eids = [e for e in eids if any(a is base.provision for a in doc.index[e].ancestors)]
    where = f"{_describe_anchor(base.provision)} of {doc.id}" if base is not None else doc.id
    if not eids:
        raise CitationError(f"no provision headed {heading!r} in {where}", source=doc.id)
    if len(eids) > 1:
        options = "; ".join(_describe_candidate(doc, eid) for eid in eids[:6])
        raise CitationError(f"{heading!r} is ambiguous in {where}: {len(eids)} provisions are headed so "
                            f"({options}); cite one of them by its eId", source=doc.id)
    anchor = doc.index[eids[0]]
    if not after:
        return anchor
    if _QUOTED_SEGMENT.search(after):
        raise CitationError(f"{text!r} names more than one heading: cite one heading and the numbers below it",
                            source=doc.id)
    return _resolve_steps(doc, parse(after), anchor)


def _heading_segment(doc: Document, text: str) -> tuple[int, int, str] | None:
    """(start, end, heading) of the heading inside ``text``: its first quoted part, else its first
    comma-separated part that is, unquoted, the heading of an unnumbered provision ("Part 1, General",
    "Annexure B, 1")."""
    if quoted := _QUOTED_SEGMENT.search(text):
        return quoted.start(), quoted.end(), quoted.group(1)
    for part in re.finditer(r"[^,]+", text):
        if _headed(doc, part.group(0)):
            return part.start(), part.end(), part.group(0)
    return None


def _describe_anchor(node: Provision) -> str:
    """How an error names a provision: by its number (_describe_node) or, unnumbered, by its heading."""
    return _describe_node(node) if _node_num(node) else f"“{readable_heading(node.heading)}”"


def _describe_candidate(doc: Document, eid: str) -> str:
    """"part_5__chp_2__dvs_nn_1 in Part V, Chapter II": the eId to cite and the numbered provisions around it."""
    located = doc.index[eid]
    where = ", ".join(_describe_node(a) for a in located.ancestors if _node_num(a))
    return f"{eid} in {where}" if where else eid


def _heading_citations(doc: Document) -> dict[str, str]:
    """eId -> “Readable Heading” for each unnumbered provision whose heading is unique in the document
    (among unnumbered provisions, compared as :func:`resolve` compares them) and reads back to it."""
    exact, _ = _heading_index(doc)
    out = {}
    for key, eids in exact.items():
        if len(eids) != 1:
            continue  # the same heading twice: those provisions keep their eIds
        readable = readable_heading(doc.index[eids[0]].provision.heading)
        citation = f"“{readable}”"
        if len(readable) > HEADING_CITATION_MAX or _heading_key(citation) != key or _parses(citation):
            continue
        out[eids[0]] = citation
    return out


def _parses(citation: str) -> bool:
    """Whether ``citation`` reads as a numbered citation (then a heading citation could be shadowed)."""
    try:
        parse(citation)
    except CitationError:
        return False
    return True


# ====================================================================== canonical citations

_STYLE = {"us": "us", "us-ca": "us-ca", "ie": "ie", "za": "za", "ca": "ca",
          **{code: "article" for code in ("de", "ch", "jp", "np", "in", "ke")}}

_UNIT_LABELS: dict[str, dict[Kind, str]] = {
    # style -> kind -> label prefix (the number follows after a space)
    "us": {Kind.ARTICLE: "Art.", Kind.AMENDMENT: "Amend.", Kind.SECTION: "§", Kind.CLAUSE: "cl."},
    "us-ca": {Kind.ARTICLE: "Art.", Kind.SECTION: "§"},
    "za": {Kind.SECTION: "s", Kind.ARTICLE: "Art."},
    "ca": {Kind.SECTION: "s.", Kind.ARTICLE: "Art."},
    "ie": {Kind.ARTICLE: "Art.", Kind.SECTION: "Sec."},
    "article": {Kind.ARTICLE: "Art.", Kind.SECTION: "Sec."},
    "generic": {Kind.ARTICLE: "Art.", Kind.SECTION: "Sec."},
}
_COMMON_LABELS = {Kind.CHAPTER: "Ch.", Kind.PART: "Pt.", Kind.SCHEDULE: "Sch.", Kind.TITLE: "Title",
                  Kind.DIVISION: "Div.", Kind.AMENDMENT: "Amend.", Kind.ARTICLE: "Art.", Kind.SECTION: "Sec.",
                  Kind.CLAUSE: "cl.", Kind.ITEM: "item"}
# levels written as "(1)" after the unit they belong to
_SUBLEVELS = frozenset({Kind.SUBSECTION, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.CLAUSE, Kind.ITEM})


def _roman_form(num: str) -> str:
    """US/California article numbers in roman: "14" -> "XIV", "13A" -> "XIII A"; roman kept as is."""
    match = re.fullmatch(r"(\d+)\s*([A-Z]?)", num.strip())
    if not match:
        return num.strip()
    roman = int_to_roman(int(match.group(1)))
    return f"{roman} {match.group(2)}" if match.group(2) else roman


def _citable_num(num: str) -> str:
    """A printed number in a form parse() reads back: decoration off, "½" and "°" kept."""
    raw = unicodedata.normalize("NFC", num).strip().strip("()[]").strip().rstrip(".)").strip()
    return raw


class _Styler:
    def __init__(self, jurisdiction: str):
        self.style = _STYLE.get(jurisdiction, "generic")
        self.labels = {**_COMMON_LABELS, **_UNIT_LABELS[self.style]}

    def label(self, node: Provision, chain_so_far: list[str]) -> tuple[str, bool] | None:
        """The piece for ``node`` and whether it attaches without a comma; None when it has no number."""
        if node.kind is Kind.PREAMBLE:
            return "Preamble", False
        num = _node_num(node)
        if not num:
            return None
        plain = _citable_num(num)
        if not plain or not _parseable_num(plain):
            return None
        if self.style == "us" and node.kind is Kind.CLAUSE:
            return f"cl. {plain}", False
        if node.kind is Kind.ITEM and not num.strip().startswith("("):
            return f"item {plain}", False
        if node.kind in _SUBLEVELS and chain_so_far:
            if self.style == "ie" and re.fullmatch(r"\d+°?", num.strip().rstrip(".")) and \
                    _dotted_after(chain_so_far[-1]):
                return f".{num.strip().rstrip('.')}", True
            return f"({plain})", True
        if self.style == "ie" and node.kind is Kind.SECTION and chain_so_far and \
                re.fullmatch(r"\d+", plain) and _dotted_after(chain_so_far[-1]):
            return f".{plain}", True
        if self.style in ("us", "us-ca") and node.kind in (Kind.ARTICLE, Kind.AMENDMENT):
            plain = _roman_form(plain)
        prefix = self.labels.get(node.kind, node.kind.value.title())
        return f"{prefix} {plain}", False


def _dotted_after(previous: str) -> bool:
    """Irish dotted numbers ("Art. 40.6.1°") continue an article number or another dotted part only."""
    return bool(re.fullmatch(r"(?:Art\. \d+[A-Za-z]*|\.\d+)", previous))


def _parseable_num(plain: str) -> bool:
    return bool(re.fullmatch(rf"{_NUMBER}|[0-9A-Za-z]{{1,6}}°?", plain))


def _join(pieces: list[tuple[str, bool]]) -> str:
    out = ""
    for text, attached in pieces:
        out = out + text if attached or not out else f"{out}, {text}"
    return out


@dataclass
class _DocFacts:
    """What resolution and citation need about one document, computed once per document object."""

    kinds: frozenset[Kind]
    citations: dict[str, str] | None = None
    reach: dict[str, list[tuple[Provision, tuple[Provision, ...]]]] = field(default_factory=dict)
    keys: dict[str, frozenset[str]] = field(default_factory=dict)
    headings: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
    computing: bool = False  # canonical citations are being computed (and checked by resolving them)


_CACHE: dict[int, tuple[weakref.ref, _DocFacts]] = {}


def _facts(doc: Document) -> _DocFacts:
    cached = _CACHE.get(id(doc))
    if cached is not None and cached[0]() is doc:
        return cached[1]
    facts = _DocFacts(kinds=frozenset(loc.provision.kind for loc in doc.walk()))
    _CACHE[id(doc)] = (weakref.ref(doc, lambda _ref, key=id(doc): _CACHE.pop(key, None)), facts)
    return facts


def canonical_citations(doc: Document) -> dict[str, str]:
    """Every provision's canonical citation (eid -> citation), computed in one walk and cached
    per document object.  Unique within the document; see the module docstring."""
    facts = _facts(doc)
    if facts.citations is None:
        facts.computing = True
        try:
            facts.citations = _compute(doc)
        finally:
            facts.computing = False
    return facts.citations


def canonical(doc: Document, eid: str) -> str:
    """The canonical citation of one provision; raises CitationError for an unknown eId."""
    citations = canonical_citations(doc)
    try:
        return citations[eid]
    except KeyError:
        raise CitationError(f"no provision {eid!r} in {doc.id}", source=doc.id) from None


def _compute(doc: Document) -> dict[str, str]:
    styler = _Styler(doc.jurisdiction or doc.id)
    duplicates = _duplicate_suffixes(doc)
    headed = _heading_citations(doc)
    short: dict[str, str] = {}
    full: dict[str, str] = {}
    for loc in doc.walk():
        node = loc.provision
        fallback = headed.get(node.eid) or node.eid  # not citable by numbers: its heading, else its eId
        short[node.eid] = _cite(styler, loc, duplicates, full_chain=False) or fallback
        full[node.eid] = _cite(styler, loc, duplicates, full_chain=True) or fallback
    out: dict[str, str] = {}
    counts: dict[str, int] = {}
    for citation in short.values():
        counts[citation] = counts.get(citation, 0) + 1
    hidden = {loc.provision.eid: _hidden_count(loc.ancestors) for loc in doc.walk()}
    acts = {loc.provision.eid: _act_in(loc.ancestors) for loc in doc.walk()}
    least: dict[str, list[str]] = {}
    for eid, citation in short.items():
        if counts[citation] > 1:
            least.setdefault(citation, []).append(eid)
    keep = set()
    for eids in least.values():  # the one reached through fewest unnumbered containers keeps it, if alone
        lowest = min(hidden[e] for e in eids)
        winners = [e for e in eids if hidden[e] == lowest]
        if len(winners) == 1 and len({acts[e] for e in eids}) == 1:
            keep.add(winners[0])
    for eid, citation in short.items():
        out[eid] = citation if counts[citation] == 1 or eid in keep else full[eid]
    counts = {}
    for citation in out.values():
        counts[citation] = counts.get(citation, 0) + 1
    # still shared (same numbers all the way up): fall back to the eId, which is unique
    final = {eid: (citation if counts[citation] == 1 else eid) for eid, citation in out.items()}
    return _anchored_citations(doc, styler, duplicates, final)


_ANCHOR_SHARED_MAX = 100  # an unnumbered heading repeated more often than this is not tried as an anchor


def _anchored_citations(doc: Document, styler: _Styler, duplicates: dict[str, int],
                        citations: dict[str, str]) -> dict[str, str]:
    """``citations`` with each eId fallback replaced, where one reads back to its provision, by a citation
    through a heading (*anchored citations* in the module docstring): an unnumbered provision whose heading is
    shared, by its nearest cited ancestor's citation and its heading (Pt. V, Ch. II, “General”); a numbered
    provision below an unnumbered headed one, by that provision's citation and its numbers below it
    (“Annexure A”, Paragraph 2(a)).  Each is kept only when it is new and :func:`resolve` reads it back."""
    out = dict(citations)
    used = set(out.values())
    exact, _ = _heading_index(doc)
    for loc in doc.walk():  # document order: an ancestor's citation is settled before its descendants'
        node = loc.provision
        if out[node.eid] != node.eid:
            continue
        candidate = None
        if _heading_citable(node):
            if len(exact.get(_heading_key(node.heading), ())) > _ANCHOR_SHARED_MAX:
                continue  # a heading printed that often anchors nothing: keep the eId, and the time
            cited = next((a for a in reversed(loc.ancestors) if out[a.eid] != a.eid), None)
            readable = readable_heading(node.heading)
            if cited is not None and len(readable) <= HEADING_CITATION_MAX:
                candidate = f"{out[cited.eid]}, “{readable}”"
        elif _node_num(node) or node.kind is Kind.PREAMBLE:
            k = next((i for i in range(len(loc.ancestors) - 1, -1, -1)
                      if _heading_citable(loc.ancestors[i]) and out[loc.ancestors[i].eid] != loc.ancestors[i].eid),
                     None)
            if k is not None and (rest := _cite(styler, Located(node, loc.ancestors[k + 1:]), duplicates,
                                                full_chain=True)):
                candidate = f"{out[loc.ancestors[k].eid]}, {rest}"
        if candidate is None or candidate in used:
            continue
        try:
            reads_back = resolve(doc, candidate).provision is node
        except CitationError:
            reads_back = False
        if reads_back:
            out[node.eid] = candidate
            used.add(candidate)
    return out


def _cite(styler: _Styler, loc: Located, duplicates: dict[str, int], *, full_chain: bool) -> str | None:
    """The citation of one provision, or None when it cannot be cited by numbers.

    Short form: from the outermost numbered non-grouping ancestor down (articles
    are cited without their chapter); a grouping target keeps its grouping
    ancestors ("Title 2, Ch. 1").  Full form: every numbered ancestor."""
    chain = (*loc.ancestors, loc.provision)
    target = loc.provision
    act = None
    if styler.style == "ca":
        act = next((a for node in chain if (a := _act_of(node)) is not None), None)
        if act is not None and _act_of(target) == act:
            return act
    if target.kind is not Kind.PREAMBLE and not _node_num(target):
        return None
    units = [i for i, node in enumerate(chain) if node.kind not in GROUPING and _node_num(node)]
    start = 0 if full_chain or target.kind in GROUPING or not units else units[0]
    pieces: list[tuple[str, bool]] = []
    first_unit = units[0] if units else len(chain)
    for index, node in enumerate(chain[start:], start=start):
        if act is not None and _act_of(node) is not None:
            continue
        if node.kind is not Kind.PREAMBLE and not _node_num(node):
            if index > first_unit:
                return None  # an unnumbered annex inside a schedule: numbers below it are not unique
            continue  # unnumbered containers above the units are skipped by resolve() too
        if node.kind in GROUPING and index < first_unit and not full_chain and target.kind not in GROUPING:
            continue
        piece = styler.label(node, [text for text, _ in pieces])
        if piece is None:
            return None
        pieces.append(piece)
        if node.eid in duplicates:
            pieces.append((f"[{duplicates[node.eid]}]", True))
    if not pieces:
        return None
    text = _join(pieces)
    return f"{act}, {text}" if act else text


def _duplicate_suffixes(doc: Document) -> dict[str, int]:
    """eId -> n for the n-th (n >= 2) sibling sharing a kind and number with an earlier one."""
    out: dict[str, int] = {}
    for siblings in [doc.provisions, *(loc.provision.children for loc in doc.walk())]:
        seen: dict[tuple[Kind, str], int] = {}
        for node in siblings:
            num = _node_num(node)
            if not num:
                continue
            key = (node.kind, _plain(num).casefold())
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                out[node.eid] = seen[key]
    return out
