"""Citations as people write them, parsed into steps without looking at any document.

Public API::

    parse(citation) -> Citation                 # syntax only, no document needed
    split_reference("us-ca:Art. I, § 13") -> ("us-ca", "Art. I, § 13")
    split_reference("Germany Art. 13") -> ("de", "Art. 13")   # a jurisdiction named, see below
    named_reference("South Africa s 14") -> ("za", "s 14")
    doc_and_citation("us:Amendment IV", None) -> ("us", "Amendment IV")

The modules built on this one: :mod:`constitutions.resolve` finds the provision a
citation names in a document's tree (``resolve(doc, citation) -> Located``, which also
reads citations by heading), :mod:`constitutions.headings` writes a heading as it is
cited (``readable_heading``, ``titled``), and :mod:`constitutions.canonical` writes each
provision's citation in its jurisdiction's own style (``canonical``,
``canonical_citations``).

Parsing follows eyecite's approach: a table of small named regexes (below),
each commented with what it must and must not match.  A :class:`Citation` is a
sequence of :class:`Step` s, each a kind hint (``Art.`` -> ARTICLE, ``§``/``s``
-> SECTION, ``cl.`` -> CLAUSE...) or None (parenthesised and dotted numbers:
"the next level down, whatever its kind") and a number as written.  An AKN eId
("art_1__sec_8__cl_3") parses to its steps too.  A heading (“The President”) is
no parsed citation: :func:`constitutions.resolve.resolve` reads a text as a
heading when it names no numbered provision.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from constitutions import jurisdictions
from constitutions.model import EID_PREFIX, Kind
from convene.errors import CitationError

__all__ = [
    "Citation",
    "Step",
    "doc_and_citation",
    "named_reference",
    "parse",
    "split_reference",
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
NUMBER = rf"(?:{_ARABIC_NUM}|{_ROMAN_NUM}|[a-z]{{1,2}}(?![A-Za-z])|[A-Z]{{1,2}}(?![A-Za-z]))"

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
_KIND_AND_NUMBER = re.compile(rf"(?P<word>{_KIND_WORD})\s*(?:(?P<num>{NUMBER})|\((?P<pnum>[^()\s]{{1,8}})\))",
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
_BARE = re.compile(rf"(?P<num>{NUMBER})")

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
