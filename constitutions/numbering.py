"""Provision numbering: a table of small named regexes, and helpers that classify
a numeral's style and decide how numbered paragraphs nest.

Modelled on eyecite's ``regexes.py``: every pattern is built from named pieces
and carries a comment saying what it must match, what it must not, and why.
All patterns are anchored at the start of a stripped line; "line" below means
one physical line of a constitution's text after whitespace folding.

Two families:

* **heading patterns** recognise a whole line that names a provision or a
  group of provisions (``ARTICLE 12``, ``Article 20a. [Heading]``,
  ``26. Right to life``, ``PART III. FUNDAMENTAL RIGHTS``, ``CHAPTER 4. ...``,
  ``Title 2. ...``, ``I. Basic Rights``, ``Section 1. ...``, ``SEC. 6½.``);
* **label patterns** recognise the number that opens a sub-provision's
  paragraph (``(iv)``, ``(a)``, ``(1)``, ``1.``, ``1°.``, ``2°. i.``, ``a.text``).

Guarantees: the patterns never match the empty string; :func:`leading_labels`
consumes at most a few labels and always returns the rest of the line; the
style helpers are pure functions of their arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from constitutions.model import int_to_roman, roman_to_int

# ------------------------------------------------------------------ pieces

# A well-formed upper-case roman numeral from I to MMMCMXCIX.  Must not match
# the empty string (the lookahead) nor ill-formed runs like "IIII" or "VX";
# must match "XL", "XLIX", "IV".  Used for "PART III", "Chapter XI", "(IV)".
ROMAN_UPPER = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"

# The same in lower case: "(iv)", "xii.", "i.The right..." (Ireland).
ROMAN_LOWER = ROMAN_UPPER.lower()

# An arabic number with an optional letter suffix of one to three capital or
# small letters: "12", "12A", "20a", "239AA", "28A".  Must not match a year
# inside prose on its own (callers anchor it and require a following "." or
# end of line).  Letters are capped at three so "12th" does not count as 12 + "th"
# only when followed by the right punctuation.
ARABIC_SUFFIXED = r"\d{1,4}[A-Za-z]{0,3}"

# A dotted decimal number: "1.1", "35.1", "40.6.1".  Canada numbers inserted
# sections "35.1"; Ireland cites "40.6.1".  Must not match "1." (no digits after
# the dot) - that is an ordinary arabic label.
DOTTED = r"\d{1,4}(?:\.\d{1,3})+"

# An arabic number with a vulgar fraction: California's "SEC. 6½.".
FRACTION = r"\d{1,4}[½¼¾]"

# The degree sign Ireland uses for subsections ("1°"), and its look-alike the
# masculine ordinal "º" that some transcriptions use instead.
DEGREE = r"[°º]"

# ------------------------------------------------------------------ headings

# "ARTICLE 12", "ARTICLE 28A" (Ireland), "Article 9" (Japan),
# "Article 20a. [Protection of ...]" (Germany), "Article 7. Human Dignity"
# (Switzerland), "Article XIII A", "Art. 5".  Group ``num`` is the number,
# ``heading`` the rest.  Must not match "Article 12 applies to ..." (prose:
# after the number only "." + heading or the end of the line may follow) nor
# "Articles 1 and 4" (plural).
ARTICLE_HEADING = re.compile(
    rf"^(?:ARTICLE|Article|Art\.)\s+(?P<num>{ROMAN_UPPER}(?:\s?[A-Z](?![a-z]))?|{DOTTED}|{ARABIC_SUFFIXED})"
    r"(?:\.\s*(?P<heading>\S.*)?)?$"
)

# "Section 1. Tasks of the Confederation" (a Swiss group heading, or a section
# in other texts), "SECTION 1.", "SEC. 6½.", "Sec. 7.", "SEC. 1.1.", "§ 3".
# Must not match "Section 46(1)(d) provides" (prose) nor "Sections 1-3".
SECTION_HEADING = re.compile(
    rf"^(?:SECTION|Section|SEC\.|Sec\.|§)\s*(?P<num>{FRACTION}|{DOTTED}|{ARABIC_SUFFIXED})"
    r"(?:\.\s*(?P<heading>\S.*)?)?$"
)

# A numbered heading whose number stands alone: "26. Right to life" (Kenya,
# India, South Africa, Canada), "2A. Sikkim to be associated ...",
# "35.1. Commitment to ...", "239AA. Special provisions ...".  The heading must
# start with a letter, a quote or a bracket.  Must not match "1.Mombasa"
# (no space: a list item), nor "2. 1°. Titles ..." (a degree label follows).
# Only trusted where the page marks headings (Constitute's "Share" lines): on
# its own it cannot tell a heading from a numbered sentence.
NUMBERED_HEADING = re.compile(
    rf"^(?P<num>{DOTTED}|{ARABIC_SUFFIXED})\.\s+(?P<heading>[A-Za-z\"“‘'(\[].*)$"
)

# A bare number on a line of its own: "29. " in Canada, where section 29's
# subsections are printed as headed provisions underneath.
BARE_NUMBER = re.compile(rf"^(?P<num>{DOTTED}|{ARABIC_SUFFIXED})\.?$")

# "N. Repealed" / "2. Repealed" / "37.1. Repealed": a provision that survives
# only as its number.  Must not match "2. Repealed laws continue ..." (prose).
REPEALED_STUB = re.compile(
    rf"^(?P<num>{DOTTED}|{ARABIC_SUFFIXED})\.\s*(?P<note>"
    r"\[[^\]]*\b(?:[Rr]epealed|[Oo]mitted)\b[^\]]*\]\.?"  # "[omitted by s. 29 and Sch.]"
    r"|\(?(?:Repealed|Omitted|repealed|omitted)\)?\.?"  # "Repealed", "Repealed.", "(repealed)"
    r"|(?:Repealed|Omitted|Rep\.) by\b.*"  # "Repealed by the Statute Law Revision Act"
    r")$"
)

# A whole provision text that only says it is gone: "(repealed)" (Germany),
# "Repealed.", "[omitted by s. 2, ibid., (w.e.f. 20-6-1979).]" (India),
# "Repealed by the Constitution (Sixty-third Amendment) Act, 1989".
REPEALED_TEXT = re.compile(r"^[\[(]?\s*(?:repealed|omitted)\b", re.IGNORECASE)


def _group_heading(keyword: str, number: str) -> re.Pattern[str]:
    """A grouping heading: keyword, number, then optionally ". Heading".
    The keyword is matched in upper case or capitalised, never in prose case
    ("part" in "form part of" must not match)."""
    word = f"(?:{keyword.upper()}|{keyword.capitalize()})"
    return re.compile(rf"^{word}\s+(?P<num>{number})(?:\.\s*(?P<heading>\S.*)?)?$")


# Group numbers: roman with an optional letter ("IVA", "IXB", "IV.I"), arabic
# with an optional letter ("2A"), or a single capital letter ("PART A").
_GROUP_NUM = rf"{ROMAN_UPPER}(?:\.I|[A-Z]{{1,2}})?|\d{{1,3}}[A-Z]?|[A-Z]"

# "PART III. FUNDAMENTAL RIGHTS", "PART IVA. FUNDAMENTAL DUTIES",
# "Part IXB. The Co-Operative Societies", "Part 1. General Provisions",
# "PART B", "PART IV.I. CONSTITUTIONAL CONFERENCES".
# Must not match "Part 2 of this Chapter applies" (prose) nor "Partial".
PART_HEADING = _group_heading("part", _GROUP_NUM)

# "CHAPTER 4. THE BILL OF RIGHTS", "Chapter I. The Emperor", "CHAPTER IV".
CHAPTER_HEADING = _group_heading("chapter", _GROUP_NUM)

# "Title 2. Fundamental Rights, Civil Rights and Social Goals" (Switzerland).
TITLE_HEADING = _group_heading("title", _GROUP_NUM)

# "ANNEXURE A. AMENDMENTS TO SCHEDULE 2 ..." (South Africa's Schedule 6).
ANNEXURE_HEADING = _group_heading("annexure", _GROUP_NUM)

# "List I. Union List" (India's Seventh Schedule): a list of legislative matters.
LIST_HEADING = _group_heading("list", _GROUP_NUM)

# "Schedule 1A. GEOGRAPHICAL AREAS OF PROVINCES", "Schedule 6B", "SCHEDULE 3".
# Must not match "Schedule 6 applies to the transition ..." (prose).
SCHEDULE_HEADING = _group_heading("schedule", r"\d{1,3}[A-Z]?")

ORDINALS = ("FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH", "TENTH",
            "ELEVENTH", "TWELFTH", "THIRTEENTH", "FOURTEENTH", "FIFTEENTH")

# "FIRST SCHEDULE. COUNTIES (Article 6 (1))" (Kenya), "SEVENTH SCHEDULE. (Article 246)"
# (India), "THE SECOND SCHEDULE. ELECTORAL DISTRICTS ..." (Canada), "THE FIFTH SCHEDULE".
# Must not match "the First Schedule" inside prose (upper case only, whole line).
ORDINAL_SCHEDULE_HEADING = re.compile(
    rf"^(?:THE\s+)?(?P<ordinal>{'|'.join(ORDINALS)})\s+SCHEDULE(?:\.\s*(?P<heading>\S.*)?)?$"
)

# "SCHEDULE TO THE CONSTITUTION ACT 1982. MODERNIZATION ..." and a bare
# "SCHEDULE": an unnumbered schedule.
UNNUMBERED_SCHEDULE_HEADING = re.compile(r"^SCHEDULE(?:\s+TO\b[^.]*)?(?:\.\s*(?P<heading>\S.*)?)?$")

# "SCHEDULES" on its own line: the collective heading in front of all schedules.
SCHEDULES_BANNER = re.compile(r"^(?:SCHEDULES|Schedules)$")

# "I. Basic Rights" (Germany), "IV. LEGISLATIVE POWER" (Canada 1867), "IVa. The
# Joint Committee" (Germany's inserted chapters): a roman-numbered group heading.
# The heading must start with a capital letter.
# Must not match "i.The right of the citizens" (lower case: a paragraph label)
# nor "I. The President shall ..." when that ends like a sentence (callers check).
ROMAN_GROUP_HEADING = re.compile(rf"^(?P<num>{ROMAN_UPPER}[a-z]?)\.\s+(?P<heading>[A-Z][^.:]*)$")

# "A. GUARANTEE OF RIGHTS AND FREEDOMS", "B. Quebec" (Canada): a lettered group.
LETTER_GROUP_HEADING = re.compile(r"^(?P<num>[A-Z])\.\s+(?P<heading>[A-Z][^.:]*)$")

# "Item 12" in Canada's 1982 Schedule: a schedule item label on its own line.
ITEM_HEADING = re.compile(r"^(?:ITEM|Item)\s+(?P<num>\d{1,3}[A-Z]?)\.?$")

# Markdown headings "# Title", "## Article 3": level = number of hashes.
MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*?)\s*#*$")

# Constitute's first line: "Ireland 1937 (rev. 2012)", "Canada 1867 (rev. 2011)",
# "Japan 1946", "German Federal Republic 1949 (rev. 2012)".  Must not match a
# sentence that happens to end in a year ("Adopted in 1937.").
CONSTITUTE_TITLE = re.compile(
    r"^(?P<country>[A-Z][A-Za-z'’.\- ]{1,60}?)\s+(?P<year>1[5-9]\d\d|20\d\d)(?:\s+\(rev\.\s+(?P<rev>\d{4})\))?$"
)

# ------------------------------------------------------------------ labels


class Style(StrEnum):
    """How a numeral is written."""

    ARABIC = "arabic"  # 1 2 3
    ROMAN_LOWER = "roman-lower"  # i ii iii
    ROMAN_UPPER = "roman-upper"  # I II III
    ALPHA_LOWER = "alpha-lower"  # a b c ... z aa bb
    ALPHA_UPPER = "alpha-upper"  # A B C
    DEGREE = "degree"  # 1° 2° (Ireland's subsections)


class Form(StrEnum):
    """How the numeral is punctuated."""

    PAREN = "paren"  # (1) (a) (iv)
    DOT = "dot"  # 1. a. iv.
    DEGREE = "degree"  # 1° / 1°.


# One paragraph label at the start of a line (after optional spaces):
#   "(1)", "(1A)", "(a)", "(aa)", "(iv)", "(A)"        - PAREN form
#   "1.", "1A.", "a.", "iv.", "A." followed by a space  - DOT form
#   "a.to an environment", "1.Mombasa", "i.The right"  - DOT form with the space missing
#                                                        (Constitute's scrape drops it)
#   "1°", "1°.", "2º"                                  - DEGREE form (Ireland)
# Must not match: "1.5 million" (a decimal), "e.g." / "i.e." (abbreviations),
# "U.S." (two letters with dots), "A.D." ; a DOT-form capital letter or upper
# roman numeral needs a following space (so "I.The" is refused: too ambiguous
# with initials).  The lookaheads enforce these.
LABEL = re.compile(
    r"""(?:
        \((?P<paren>\d{1,3}[A-Z]{0,2}|[a-z]{1,2}|[ivxlcdm]{1,7}|[A-Z]{1,2}|[IVXLCDM]{1,7})\)\s*
      | (?P<degree>\d{1,2})\s?[°º]\.?(?:\s+|$|(?=[A-Z]))
      | (?P<dot>\d{1,3}[A-Z]{0,2})\.(?!\d)(?:\s+|(?=[A-Z"“‘(\[]))
      | (?P<dotlow>[a-z]{1,2}|[ivxlcdm]{1,7})\.(?![a-z]\.)(?:\s+|(?=[a-zA-Z"“‘(\[]))
      | (?P<dotup>[A-Z]|[IVXLCDM]{1,7})\.\s+
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Label:
    """A paragraph label found at the start of a line.

    ``text`` is the label as printed without surrounding spaces ("(a)", "1°.");
    ``num`` is what a :class:`~constitutions.model.Provision` stores ("(a)",
    "1", "1°", "i"): the trailing full stop of DOT labels is punctuation, not
    part of the number.  ``start``/``end`` are offsets into the line."""

    text: str
    num: str
    core: str  # the numeral alone: "a", "1", "iv"
    form: Form
    start: int
    end: int


def match_label(line: str, pos: int = 0) -> Label | None:
    """The paragraph label at ``line[pos:]``, or None."""
    m = LABEL.match(line, pos)
    if not m:
        return None
    printed = m.group(0).strip()
    if m.group("paren"):
        core, form, num = m.group("paren"), Form.PAREN, printed
    elif m.group("degree"):
        core, form = m.group("degree"), Form.DEGREE
        num = f"{core}°"
    else:
        core = m.group("dot") or m.group("dotlow") or m.group("dotup")
        form, num = Form.DOT, core
    label = Label(printed, num, core, form, m.start(), m.end())
    return label if styles_of(label) else None


def leading_labels(line: str, limit: int = 3) -> tuple[tuple[Label, ...], str]:
    """All labels opening ``line`` ("2. 1°. Titles ..." -> ("2.", "1°.")) and the rest.

    A second label is taken only when it is of a different form or style family
    from the first (so "1. 2. 3." in a list of numbers is not three labels) and
    at most ``limit`` labels are read."""
    labels: list[Label] = []
    pos = 0
    while len(labels) < limit:
        label = match_label(line, pos)
        if label is None:
            break
        if labels and not _can_follow(labels[-1], label):
            break
        labels.append(label)
        pos = label.end
    return tuple(labels), line[pos:].strip()


def _can_follow(first: Label, second: Label) -> bool:
    if first.form is Form.DEGREE and second.form is Form.DEGREE:
        return False
    same_styles = {style for style, _ in styles_of(first)} & {style for style, _ in styles_of(second)}
    return not (first.form == second.form and same_styles)


# ------------------------------------------------------------------ styles

_ALPHA = "abcdefghijklmnopqrstuvwxyz"


def alpha_value(text: str) -> int | None:
    """``a`` -> 1, ``z`` -> 26, ``aa`` -> 27, ``bb`` -> 28 (doubled letters, the
    legal convention after z); case-insensitive; None for anything else."""
    low = text.lower()
    if not low or any(ch not in _ALPHA for ch in low) or len(set(low)) != 1 or len(low) > 3:
        return None
    return _ALPHA.index(low[0]) + 1 + 26 * (len(low) - 1)


def alpha_text(value: int, *, upper: bool = False) -> str:
    """Inverse of :func:`alpha_value`: 1 -> ``a``, 27 -> ``aa``."""
    if value < 1:
        raise ValueError(f"no letter for {value}")
    letter = _ALPHA[(value - 1) % 26] * ((value - 1) // 26 + 1)
    return letter.upper() if upper else letter


def arabic_value(text: str) -> int | None:
    """``12`` -> 12, ``12A`` -> 12 (the letter makes an inserted provision);
    None when ``text`` does not start with digits."""
    m = re.match(r"^(\d+)", text)
    return int(m.group(1)) if m else None


def styles_of(label: Label | str) -> tuple[tuple[Style, int], ...]:
    """Every (style, value) reading of a numeral, most likely first.

    ``"(1)"`` -> arabic 1; ``"1°"`` -> degree 1; ``"iv"`` -> roman-lower 4 only
    (not a letter: single letters only are letters); ``"i"`` -> both
    alpha-lower 9 and roman-lower 1; ``"c"`` -> alpha-lower 3 and roman-lower 100;
    ``"I"`` -> roman-upper 1 and alpha-upper 9.  Callers that know the
    neighbours choose with :func:`choose_style`."""
    if isinstance(label, Label):
        core, form = label.core, label.form
    else:
        core, form = label.strip("().°º "), Form.DEGREE if any(c in label for c in "°º") else Form.DOT
    if form is Form.DEGREE:
        value = arabic_value(core)
        return ((Style.DEGREE, value),) if value is not None else ()
    if core[:1].isdigit():
        value = arabic_value(core)
        return ((Style.ARABIC, value),) if value is not None else ()
    out: list[tuple[Style, int]] = []
    lower = core.islower()
    roman = roman_to_int(core.upper())
    alpha = alpha_value(core)
    if alpha is not None and len(core) == 1 and core.lower() not in "ivx":
        out.append((Style.ALPHA_LOWER if lower else Style.ALPHA_UPPER, alpha))
    if roman is not None:
        out.append((Style.ROMAN_LOWER if lower else Style.ROMAN_UPPER, roman))
    if alpha is not None and (len(core) > 1 or core.lower() in "ivx"):
        out.append((Style.ALPHA_LOWER if lower else Style.ALPHA_UPPER, alpha))
    return tuple(out)


def style_of(label: Label | str) -> Style | None:
    """The most likely style of a numeral read without context ("i" -> roman-lower)."""
    readings = styles_of(label)
    return readings[0][0] if readings else None


def render(style: Style, value: int) -> str:
    """The numeral for ``value`` in ``style``: (roman-upper, 14) -> ``XIV``."""
    if style is Style.ARABIC:
        return str(value)
    if style is Style.DEGREE:
        return f"{value}°"
    if style is Style.ROMAN_UPPER:
        return int_to_roman(value)
    if style is Style.ROMAN_LOWER:
        return int_to_roman(value).lower()
    return alpha_text(value, upper=style is Style.ALPHA_UPPER)


@dataclass(frozen=True, slots=True)
class Level:
    """One open level of numbering: its style, punctuation and last value."""

    style: Style
    form: Form
    value: int


def choose_style(label: Label, open_levels: tuple[Level, ...] = ()) -> tuple[Style, int, int | None]:
    """Decide how ``label`` reads given the levels already open (outermost first).

    Returns ``(style, value, depth)`` where ``depth`` is the index of the open
    level that the label continues, or None when it opens a new, deeper level.

    Rules, in order:

    1. a reading that is the successor of an open level of the same style and
       form continues it (innermost first): "(i)" after "(h)" is the letter i;
       "(ii)" after "(i)" is roman;
    2. a reading that equals an open level's last value in the same style and
       form continues it too (a repeated number, as in typographic slips);
    3. otherwise the label opens a new level, read as a first value if one of its
       readings is 1 ("(i)" under "(a)" is roman one, "a" is the letter a),
       else in its most likely reading.
    """
    readings = styles_of(label)
    if not readings:
        return Style.ARABIC, 0, None
    for want_same in (False, True):
        for depth in range(len(open_levels) - 1, -1, -1):
            level = open_levels[depth]
            if level.form != label.form:
                continue
            for style, value in readings:
                if style != level.style:
                    continue
                if (value == level.value) if want_same else (value == level.value + 1):
                    return style, value, depth
    for style, value in readings:
        if value == 1:
            return style, value, None
    style, value = readings[0]
    return style, value, None


def is_successor(previous: str, following: str) -> bool:
    """Whether numeral ``following`` comes right after ``previous`` in some shared
    style: "h" -> "i" (letters), "i" -> "ii" (roman), "12" -> "12A" or "13",
    "12A" -> "12B" or "13", "35" -> "35.1", "35.1" -> "36"."""
    p, f = previous.strip("().°º "), following.strip("().°º ")
    if not p or not f:
        return False
    if p[0].isdigit() and f[0].isdigit():
        pm = re.match(r"^(\d+)((?:\.\d+)*)([A-Za-z]*)$", p)
        fm = re.match(r"^(\d+)((?:\.\d+)*)([A-Za-z]*)$", f)
        if not pm or not fm:
            return False
        pn, fn = int(pm.group(1)), int(fm.group(1))
        if fn == pn + 1 and not fm.group(2) and (not fm.group(3) or fm.group(3).lower() == "a"):
            return True
        if fn == pn and (fm.group(2) or fm.group(3)):
            return (fm.group(2), fm.group(3)) > (pm.group(2), pm.group(3))
        return False
    for ps, pv in styles_of(p):
        for fs, fv in styles_of(f):
            if ps == fs and fv == pv + 1:
                return True
    return False


def number_key(num: str) -> tuple[int, str]:
    """A sort key for printed numbers: "12" < "12a" < "12b" < "13"."""
    m = re.match(r"^(\d+)(.*)$", num.strip("().°º "))
    if m:
        return int(m.group(1)), m.group(2).lower()
    value = roman_to_int(num.strip("(). ").upper())
    return (value, "") if value is not None else (0, num)
