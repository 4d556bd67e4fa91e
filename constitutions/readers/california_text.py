"""California's official text, as generated from the leginfo bulk data.

Format (corpus ``us-ca/CA Code - California Constitution.txt``)::

    ======================================================================
      California Constitution
    ...
    Last Updated by State of California: December 17, 2025
    ======================================================================
    ARTICLE XIII A [TAX LIMITATION] [SECTION 1. - SEC. 7.]

    SEC. 6½.

    (a) (1) Body paragraph, sometimes wrapped
    in the middle of a sentence.

    (History: Sec. 6½ added ...)
    -------------------------------------------

Guarantees of :func:`read`:

- articles are :class:`Kind.ARTICLE` with ``num`` as printed (``"XIII A"``, eId
  ``art_13A``) and ``heading`` the article's title without brackets or the
  ``[SECTION 1. - SEC. 32.]`` range;
- every section label (``SECTION 1.``, ``SEC. 1.1.``, ``Sec. 7.``,
  ``Section 25.``, ``SEC. 6½.``) is a :class:`Kind.SECTION` numbered ``"1"``,
  ``"1.1"``, ``"6½"`` (eId ``sec_6half``);
- a section's subdivisions are nested by California's drafting convention
  (see :func:`nest_subdivisions`);
- the physical lines of one paragraph are joined (a blank line separates
  paragraphs), so no provision text holds a line break inside a paragraph;
- the ``(History: ...)`` trailer goes to ``meta["history"]``, never into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from datetime import datetime

from constitutions.model import Document, Kind, Provision, State, Status, renumber_eids, roman_to_int
from constitutions.readers.base import Source, clean_line
from convene.errors import ReadError

NAME = "california-leginfo"
PRIORITY = 40

TITLE = "Constitution of the State of California"
YEAR = 1879

# ------------------------------------------------------------------ regexes

# The banner's second line.  Must match "  California Constitution" alone on a line;
# must not match the phrase inside prose ("... of the California Constitution.").
_BANNER = re.compile(r"^={20,}\s*\n\s*California Constitution\s*$", re.MULTILINE)

# An article heading with its section range.  Must match
# "ARTICLE I DECLARATION OF RIGHTS [SECTION 1. - SEC. 32.]" and
# "ARTICLE XIII A [TAX LIMITATION] [SECTION 1. - SEC. 7.]" (lettered article, bracketed title);
# must not match "Article IV" cited in prose (lower case, no range).
_ARTICLE = re.compile(
    r"^ARTICLE\s+(?P<roman>[IVXLC]+)(?:\s+(?P<letter>[A-Z])(?=\s))?\s+(?P<title>.*?)\s*"
    r"\[(?:SECTION|SEC\.|Sec\.|Section)\s[^\]]*\]\s*$"
)

# A section label alone on its line: "SECTION 1.", "SEC. 1.1.", "Sec. 7.", "Section 25.", "SEC. 6½.".
# Must not match a wrapped prose line such as "Section 3 of Article IV" (text after the number).
_SECTION = re.compile(r"^(?:SECTION|SEC\.|Sec\.|Section)\s+(?P<num>\d+(?:\.\d+)*[½¼¾]?)\.?$")

# The as-of date in the banner.
_UPDATED = re.compile(r"Last Updated by State of California:\s*(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})")

# Separator lines: the banner's "=" x 70 and the section's "-" x 43.
_RULE = re.compile(r"^(?:={20,}|-{20,})$")

_HISTORY = "(History:"

# Words that say a section has no operative text any more.
_REPEALED = re.compile(r"^\(?(?:repealed|deleted|omitted)\b", re.IGNORECASE)


# ------------------------------------------------------------ subdivisions

# One subdivision marker at the start of a paragraph: "(a)", "(1)", "(A)", "(ii)", "(IV)", "(aa)".
# Must not match a parenthesised phrase such as "(commencing with Section 6250)" or a year "(1991)":
# letters are limited to two (or a roman numeral), digits to two.
_MARKER = re.compile(r"^\((?P<m>[a-z]{1,2}|[A-Z]{1,2}|\d{1,2}|[ivxlc]{1,6}|[IVXLC]{1,6})\)(?:\s+|$)")

LOWER, ARABIC, UPPER, LROMAN, UROMAN = "lower", "arabic", "upper", "lroman", "uroman"

# California's drafting convention (Legislative Counsel's manual): a section is divided into
# subdivisions (a), paragraphs (1), subparagraphs (A), clauses (i) and subclauses (I).
# The kind follows the marker's style, not its depth, so "(1)" is a paragraph even in a
# section without subdivisions; subclauses, which the model has no word for, are items.
STYLE_KIND: dict[str, Kind] = {LOWER: Kind.SUBSECTION, ARABIC: Kind.PARAGRAPH, UPPER: Kind.SUBPARAGRAPH,
                               LROMAN: Kind.CLAUSE, UROMAN: Kind.ITEM}
_RANK = {LOWER: 0, ARABIC: 1, UPPER: 2, LROMAN: 3, UROMAN: 4}


def _alpha_value(token: str) -> int | None:
    """a=1 ... z=26, aa=27, bb=28 ... (the doubled letters used after z)."""
    if len(token) == 1:
        return ord(token.lower()) - 96
    if len(token) == 2 and token[0] == token[1]:
        return 26 + ord(token[0].lower()) - 96
    return None


def _candidates(token: str) -> list[tuple[str, int]]:
    """Every (style, ordinal) a marker token can stand for; "i" is both the 9th letter and roman 1."""
    out: list[tuple[str, int]] = []
    if token.isdigit():
        return [(ARABIC, int(token))]
    if token.islower():
        if (value := _alpha_value(token)) is not None:
            out.append((LOWER, value))
        if (value := roman_to_int(token.upper())) is not None:
            out.append((LROMAN, value))
    elif token.isupper():
        if (value := _alpha_value(token)) is not None:
            out.append((UPPER, value))
        if (value := roman_to_int(token)) is not None:
            out.append((UROMAN, value))
    return out


def _token(style: str, value: int) -> str:
    if style == ARABIC:
        return str(value)
    if style in (LROMAN, UROMAN):
        from constitutions.model import int_to_roman

        roman = int_to_roman(value)
        return roman.lower() if style == LROMAN else roman
    letter = chr(96 + (value - 1) % 26 + 1)
    text = letter * (1 + (value - 1) // 26)
    return text.upper() if style == UPPER else text


@dataclass
class _Node:
    style: str
    value: int
    num: str
    paragraphs: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def freeze(self) -> Provision:
        return Provision(eid="", kind=STYLE_KIND[self.style], num=self.num, text="\n\n".join(self.paragraphs),
                         children=tuple(c.freeze() for c in self.children))


def split_markers(paragraph: str) -> tuple[list[str], str]:
    """``"(b) (1) The people..."`` -> ``(["b", "1"], "The people...")``."""
    tokens = []
    rest = paragraph
    while (m := _MARKER.match(rest)) and _candidates(m.group("m")):
        tokens.append(m.group("m"))
        rest = rest[m.end():]
    return tokens, rest


def nest_subdivisions(paragraphs: list[str]) -> tuple[list[str], tuple[Provision, ...]]:
    """Nest a section's paragraphs into subdivisions by their markers.

    Returns the section's own paragraphs (the text before the first marker) and
    its children (eIds left empty: the caller renumbers).  Rules:

    - a marker continues the open level of its style when it follows that
      level's last number (``(b)`` after ``(a)``, closing deeper levels), else it
      opens a new level below the innermost one when it is the first of a style
      not open (``(1)`` under ``(b)``); several markers on one line (``(b) (1)``)
      open several levels at once;
    - ``(i)``, ``(v)``, ``(x)``, ``(I)``... may be a letter or a roman numeral: a
      marker that follows on the same line must be deeper, else the next marker
      that settles it (``(ii)`` or ``(j)``) decides, else the drafting order
      (clauses directly under subparagraphs) does;
    - a gap (``(e)`` after ``(c)``, a repealed subdivision) still continues;
    - an unnumbered paragraph belongs to the innermost open provision.
    """
    intro: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    parsed = [split_markers(p) for p in paragraphs]
    for index, (tokens, rest) in enumerate(parsed):
        if not tokens:
            (stack[-1].paragraphs if stack else intro).append(rest)
            continue
        for position, token in enumerate(tokens):
            following = tokens[position + 1:]
            later = [t for toks, _ in parsed[index + 1:] for t in toks[:1]]
            choice = _choose(token, stack, following, later)
            if choice is None:
                # not a marker we can place: keep it as text of the innermost provision
                text = " ".join(f"({t})" for t in tokens[position:]) + (" " + rest if rest else "")
                (stack[-1].paragraphs if stack else intro).append(text.strip())
                break
            style, value, depth = choice
            del stack[depth:]
            node = _Node(style, value, f"({token})")
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        else:
            if rest:
                stack[-1].paragraphs.append(rest)
    return intro, tuple(n.freeze() for n in roots)


def _choose(token: str, stack: list[_Node], following: list[str],
            later: list[str]) -> tuple[str, int, int] | None:
    """(style, value, depth to cut the stack to) for one marker, or None."""
    # priority 0: the next number of an open level, or the first of a new level; 1: a gap
    # ("(e)" after "(c)"); 2: the same number again (Art. IV, sec. 19 has two subdivisions (f));
    # 3: a new level starting after 1.
    ranked: list[tuple[int, tuple[str, int, int]]] = []
    for style, value in _candidates(token):
        depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].style == style), None)
        if depth is None:
            # a new level normally starts at 1; one that starts later (its first items
            # repealed) is accepted only when nothing else explains the marker
            ranked.append((0 if value == 1 else 3, (style, value, len(stack))))
        elif value >= stack[depth].value:
            gap = value - stack[depth].value
            ranked.append((0 if gap == 1 else 1 if gap > 1 else 2, (style, value, depth)))
    if not ranked:
        return None
    best = min(rank for rank, _ in ranked)
    options = [option for rank, option in ranked if rank == best]
    if len(options) > 1 and following:
        # "(i) (1) text": the marker after it must sit deeper in the drafting order
        deeper = [o for o in options if all(_RANK[o[0]] < _RANK[s] for s, _ in _candidates(following[0]))]
        options = deeper or options
    if len(options) > 1:
        successors = {_token(style, value + 1): option for option in options for style, value, _ in [option]}
        for token_after in later:
            if token_after in successors:
                return successors[token_after]
    if len(options) > 1:
        innermost = _RANK[stack[-1].style] if stack else -1
        canonical = [o for o in options if _RANK[o[0]] == innermost + 1 and o[2] == len(stack)]
        options = canonical or [o for o in options if o[2] < len(stack)] or options
    return options[0]


# ------------------------------------------------------------------ reader


def sniff(source: Source) -> bool:
    head = source.head_text()
    return bool(_BANNER.search(head) and re.search(_ARTICLE.pattern, head, re.MULTILINE)
                and _HISTORY in head)


# A word broken across two lines by a hyphen ("Consti-" / "tution", "other-" / "wise"); prefixes that
# form hyphenated compounds ("self-" / "executing") keep their hyphen.
_LINE_BREAK_HYPHEN = re.compile(r"(?<![A-Za-z])(?P<stem>[A-Za-z]*[a-z])-$")
_COMPOUND_PREFIXES = frozenset({"self", "non", "ex", "co", "anti", "multi", "single", "well", "full", "part",
                                "half", "one", "two", "three", "four", "five", "post", "pre", "quasi", "semi"})


def _join_lines(block: list[str]) -> str:
    """Hard-wrapped lines as one: joined with one space, except a word hyphenated at a line end,
    whose halves are joined back ("Consti-" + "tution" -> "Constitution")."""
    text = block[0]
    for line in block[1:]:
        broken = _LINE_BREAK_HYPHEN.search(text)
        if broken and line[:1].islower():
            stem = broken.group("stem")
            text = text[:-1] + line if stem.lower() not in _COMPOUND_PREFIXES else text + line
        else:
            text = f"{text} {line}"
    return text


def paragraphs_of(lines: list[str]) -> list[str]:
    """Blank-line separated blocks, each block's lines joined with one space (a word hyphenated
    across a line break is joined back, see :func:`_join_lines`)."""
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        cleaned = clean_line(line)
        if cleaned:
            block.append(cleaned)
        elif block:
            out.append(_join_lines(block))
            block = []
    return out


# A section heading run into its first subdivision, as in Article XIII D:
# "Property Taxes, Assessments, Fees and Charges Limited. (a) No tax ...".  Must match a short
# phrase of capitalised words (small connectives allowed) ending in a full stop right before the
# first marker; must not match an ordinary sentence ("The Legislature shall act. (a) ...") because
# "shall"/"act" are lower case words that are not connectives.
_RUN_IN_HEADING = re.compile(
    r"^(?P<heading>[A-Z][\w’'-]*(?:,?\s+(?:[A-Z][\w’'-]*|and|or|of|for|the|to|in|on|by|with|a|an|all))*)\.\s+"
    r"(?P<rest>\((?:a|1|A)\)\s.*)$"
)


def section_provision(num: str, paragraphs: list[str], *, history: str = "") -> Provision:
    """A section from its body paragraphs, subdivisions nested; a heading run into the
    first subdivision becomes the section's heading."""
    heading = ""
    if paragraphs and (match := _RUN_IN_HEADING.match(paragraphs[0])):
        heading = match.group("heading")
        paragraphs = [match.group("rest"), *paragraphs[1:]]
    intro, children = nest_subdivisions(paragraphs)
    text = "\n\n".join(intro)
    status = Status()
    if not children and (not text or _REPEALED.match(text)):
        status = Status(State.REPEALED, text or "no text")
    meta = {"history": history} if history else {}
    return Provision(eid="", kind=Kind.SECTION, num=num, heading=heading, text=text, children=children,
                     status=status, meta=meta)


def _version(head: str) -> str:
    match = _UPDATED.search(head)
    if not match:
        return ""
    try:
        return datetime.strptime(match.group("date"), "%B %d, %Y").date().isoformat()
    except ValueError:
        return ""


def read(source: Source) -> Document:
    lines = source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    articles: list[Provision] = []
    sections: list[Provision] = []
    article: Provision | None = None
    section_num: str | None = None
    body: list[str] = []

    def close_section() -> None:
        nonlocal section_num, body
        if section_num is None:
            return
        paragraphs = paragraphs_of(body)
        history = [p for p in paragraphs if p.startswith(_HISTORY)]
        kept = [p for p in paragraphs if not p.startswith(_HISTORY)]
        sections.append(section_provision(section_num, kept, history=" ".join(h.strip() for h in history)))
        section_num, body = None, []

    def close_article() -> None:
        nonlocal article, sections
        close_section()
        if article is not None:
            articles.append(_replace(article, children=tuple(sections)))
        article, sections = None, []

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if _RULE.match(line):
            close_section()
            continue
        if match := _ARTICLE.match(line):
            close_article()
            num = match.group("roman") + (f" {match.group('letter')}" if match.group("letter") else "")
            heading = match.group("title").strip().strip("[]").strip()
            article = Provision(eid="", kind=Kind.ARTICLE, num=num, heading=heading)
            continue
        if (match := _SECTION.match(line)) and article is not None:
            close_section()
            section_num = match.group("num")
            continue
        if section_num is not None:
            body.append(raw)
        elif line and article is not None:
            raise ReadError(f"line {number}: text outside any section: {line[:60]!r}", source=source.name)
    close_article()
    if not articles:
        raise ReadError("no ARTICLE headings found in California leginfo text", source=source.name)
    return Document(id="us-ca", title=TITLE, jurisdiction="us-ca", provisions=renumber_eids(tuple(articles)),
                    year=YEAR, version=_version(source.head_text(4096)), source=source.name, format=NAME)
