"""Institutions named differently in each constitution, recognised by the role they play.

Each tradition names its institutions in its own way: the chief executive is the President in
Washington, the Governor in Sacramento, the Federal Chancellor in Berlin and the Taoiseach in
Dublin; the legislature is Congress, the Legislature, the Bundestag and Bundesrat, the Oireachtas
or the Diet; its houses are the Senate, the Assembly, the Dáil, the Council of States or the House
of Councillors.  Words alone never bring these together, and our embedding model is too weak to.

This module is a *gazetteer*: for each role a constitution gives an institution (head of state,
head of government, cabinet, legislature, first and second chamber, apex court...), the names that
constitutions around the world give it, in English translation.  It is written from general
knowledge of comparative constitutional law, for constitutions in general: it names institutions
of many countries that are not in the corpus (the Storting, the Knesset, the Sejm...), and it is
never fitted to a gold pair or a labelled provision.  Each role carries the generic phrase the
Constitute ontology itself uses for it ("head of state", "second chamber"...), so a provision that
says "Senate" can be read as saying "second chamber".

Roles nest: a first or second chamber is a legislative chamber, and the head of state, the head of
government and the cabinet are all the executive (a presidential system's President is both heads at
once; a parliamentary one splits them), so their names share the broader role.

Matching is on the text as written: multi-word names first, longest first, each stretch of text
claimed once (so "Vice President" is a deputy, never also a President, and "President of the
Senate" a presiding officer); names are matched with their capitals, as constitutions write them,
except where marked, so "the president of a commission" is not a head of state; a heading set in capitals
("THE PRESIDENT", "DÁIL ÉIREANN") names what its words name in their usual case.  A name whose role
differs between countries ("National Assembly": the first chamber in South Africa, the second in
Nepal) is given only the role every use shares ("legislative chamber").

Guarantees: :func:`mentions` is deterministic, returns roles in the order their names occur, and
never raises on any text (empty text gives no roles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache


@dataclass(frozen=True, slots=True)
class Role:
    key: str
    generic: str  # the phrase the Constitute ontology uses for this role
    broader: tuple[str, ...] = ()  # keys of roles this one is a kind of (a first chamber is a legislative chamber)


ROLES: tuple[Role, ...] = (
    Role("executive", "executive"),
    Role("head-of-state", "head of state", ("executive",)),
    Role("deputy-head-of-state", "deputy head of state"),
    Role("head-of-government", "head of government", ("executive",)),
    Role("cabinet", "cabinet", ("executive",)),
    Role("legislature", "legislature"),
    Role("legislative-chamber", "legislative chamber"),
    Role("first-chamber", "first chamber", ("legislative-chamber",)),
    Role("second-chamber", "second chamber", ("legislative-chamber",)),
    Role("presiding-officer", "speaker of the legislature"),
    Role("deputy-head-of-government", "deputy head of government"),
    Role("apex-court", "supreme court"),
    Role("constitutional-court", "constitutional court"),
    Role("ordinary-court", "ordinary court"),
    Role("administrative-court", "administrative court"),
    Role("electoral-court", "electoral court"),
    Role("subnational-executive", "subnational executive"),
    Role("subnational-legislature", "subnational legislature"),
)
BY_KEY = {r.key: r for r in ROLES}

# role key -> names as constitutions write them (English translations).  "(?i)" marks a name matched
# without regard to case; every other name is matched with its capitals.
NAMES: dict[str, tuple[str, ...]] = {
    "head-of-state": (
        "President", "President of the Republic", "Federal President", "President of the United States",
        "President of India", "President of Kenya", "King", "Queen", "Monarch", "Emperor", "Sovereign", "Crown",
        "Governor General", "Governor-General", "Grand Duke", "Prince", "Emir", "Sultan", "(?i)head of state",
        "(?i)chief executive", "President-elect", "President elect",
    ),
    "deputy-head-of-state": (
        "Vice President", "Vice-President", "Vice-president", "Deputy President", "Vice President of the United States",
        "Vice President-elect", "Vice-President-elect", "Vice-president-elect", "Deputy President-elect",
    ),
    "head-of-government": (
        "Prime Minister", "Federal Chancellor", "Chancellor", "Taoiseach", "Premier", "Chief Minister",
        "President of the Government", "President of the Council of Ministers", "(?i)head of government",
    ),
    "cabinet": (
        "Cabinet", "Council of Ministers", "Federal Government", "Federal Council", "Executive Council",
        "Privy Council", "Government of the Republic", "Minister", "Ministers", "Minister of State",
        "Ministers of State", "Federal Minister", "Federal Ministers", "Cabinet Secretary", "Cabinet Secretaries",
        "(?i)cabinet",
    ),
    "legislature": (
        "Congress", "Legislature", "Parliament", "Federal Parliament", "Oireachtas", "Diet", "National Diet",
        "Federal Assembly", "Storting", "Knesset", "Riksdag", "Folketing", "Cortes Generales", "Federal Assembly",
        "General Assembly", "Houses of Parliament", "Houses of the Oireachtas", "Both Houses", "both Houses",
        "(?i)legislature", "(?i)legislative power",
    ),
    "legislative-chamber": (
        "House", "Houses", "Chamber", "Assembly", "National Assembly", "either House", "each House",
        "(?i)legislative chamber",
    ),
    "first-chamber": (
        "House of Representatives", "House of the People", "Lok Sabha", "Dáil", "Dáil Éireann", "Dail Eireann",
        "Bundestag", "National Council", "House of Commons", "Chamber of Deputies", "Sejm", "State Duma",
        "Lower House", "lower house", "(?i)first chamber",
    ),
    "second-chamber": (
        "Senate", "Seanad", "Seanad Éireann", "Seanad Eireann", "Bundesrat", "Council of States", "Rajya Sabha",
        "House of Councillors", "National Council of Provinces", "House of Lords", "Federation Council",
        "Upper House", "upper house", "(?i)second chamber",
    ),
    "presiding-officer": (
        "Speaker", "President of the Senate", "President pro tempore", "Ceann Comhairle", "Cathaoirleach",
        "Chairman of the Council of States", "Chairperson of the National Council of Provinces",
        "President of the Bundestag", "Speaker of the House of Representatives", "Speaker of the National Assembly",
        "Deputy Speaker",
    ),
    "deputy-head-of-government": (
        "Deputy Prime Minister", "Tánaiste", "Tanaiste", "Vice Chancellor", "Vice-Chancellor", "Deputy Chancellor",
    ),
    "apex-court": (
        "Supreme Court", "supreme Court", "Federal Supreme Court", "Court of Final Appeal", "High Court of Australia",
        "(?i)supreme court",
    ),
    "constitutional-court": (
        "Constitutional Court", "Federal Constitutional Court", "Constitutional Council", "(?i)constitutional court",
    ),
    "ordinary-court": (
        "High Court", "High Courts", "inferior Court", "inferior Courts", "inferior courts", "lower courts",
        "subordinate courts", "Court of Appeal", "Courts of Appeal", "courts of appeal", "court of appeal",
        "District Court", "District Courts", "district courts", "Circuit Court", "Magistrates' Courts",
        "magistrates' courts", "(?i)ordinary court", "(?i)ordinary courts",
    ),
    "administrative-court": (
        "Federal Administrative Court", "(?i)administrative court", "(?i)administrative courts",
    ),
    "electoral-court": (
        "(?i)electoral court", "(?i)electoral courts", "(?i)election court", "(?i)electoral tribunal",
    ),
    "subnational-executive": (
        "Governor", "Lieutenant Governor", "Lieutenant-Governor", "county governor", "County Governor",
        "Governor of a State", "Governor of the State", "Minister-President", "Premier of a province",
        "Executive Council of a province", "Executive of a State",
    ),
    "subnational-legislature": (
        "Legislative Assembly", "Legislative Council", "Legislature of a State", "Legislature of the State",
        "State Legislature", "provincial legislature", "county assembly", "County Assembly", "Land parliament",
        "Provincial Assembly", "State Assembly",
    ),
}

# A state constitution (California's) calls its own chief executive "the Governor" and its own lawmaker
# "the Legislature": at that level they are the head of state and the legislature.  Documents that are
# themselves the constitution of a state can say so (:func:`mentions` ``subnational=True``), and these
# names then take the national role.
SELF_NAMES: dict[str, str] = {
    "Governor": "head-of-state",
    "Lieutenant Governor": "deputy-head-of-state",
    "State Legislature": "legislature",
    "Legislature of the State": "legislature",
    "State Assembly": "first-chamber",
}


@dataclass(frozen=True, slots=True)
class Mention:
    role: Role
    name: str  # as written in the text
    start: int
    end: int


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_PIECES = re.compile(f"({_WORD.pattern})")  # splits a text into its words and what lies between them


@dataclass(frozen=True, slots=True)
class _Table:
    exact: dict[tuple[str, ...], str]  # name's words as written -> role key
    folded: dict[tuple[str, ...], str]  # lower-cased words of a name matched without regard to case
    upper: dict[tuple[str, ...], str]  # upper-cased words of every name, for text set in capitals
    starts: dict[str, int]  # first word (as written, lower-cased or upper-cased) -> longest name it starts


@cache
def _table(subnational: bool) -> _Table:
    exact: dict[tuple[str, ...], str] = {}
    folded: dict[tuple[str, ...], str] = {}
    upper: dict[tuple[str, ...], str] = {}
    for key, names in NAMES.items():
        for name in names:
            role = SELF_NAMES.get(name, key) if subnational else key
            if name.startswith("(?i)"):
                folded.setdefault(tuple(_WORD.findall(name[4:].lower())), role)
            else:
                exact.setdefault(tuple(_WORD.findall(name)), role)
    for table in (exact, folded):  # names written with capitals first: "SENATE" is the Senate
        for words, role in table.items():
            upper.setdefault(tuple(w.upper() for w in words), role)
    starts: dict[str, int] = {}
    for words in (*exact, *folded, *upper):
        starts[words[0]] = max(starts.get(words[0], 0), len(words))
    return _Table(exact, folded, upper, starts)


def mentions(text: str, *, subnational: bool = False) -> list[Mention]:
    """The institutions ``text`` names, in order, each with its role: at each word, the longest name that
    starts there (so every word belongs to at most one name).  ``subnational``: the text belongs to the
    constitution of a state or province, whose own Governor and Legislature are its head of state and
    legislature (:data:`SELF_NAMES`).  The last texts' mentions are remembered: tagging, the lexical index and
    the topic profile each read the roles of the same query."""
    return list(_mentions(text, subnational)) if text else []


@lru_cache(maxsize=64)
def _mentions(text: str, subnational: bool) -> tuple[Mention, ...]:
    table = _table(subnational)
    pieces = _PIECES.split(text)  # what lies between words, then a word, in turn: words at odd places
    written = pieces[1::2]
    starts = table.starts
    out = []
    claimed = 0  # words before this one belong to a name already
    at_piece = at_char = 0  # a piece and where it starts in the text (offsets are counted only up to mentions)
    for i in [i for i, w in enumerate(written) if w in starts or w.lower() in starts]:
        if i < claimed:
            continue
        longest = max(starts.get(written[i], 0), starts.get(written[i].lower(), 0))
        for n in range(min(longest, len(written) - i), 0, -1):
            span = tuple(written[i:i + n])
            key = table.exact.get(span) or table.folded.get(tuple(w.lower() for w in span))
            if key is None and all(len(w) > 1 and w.isupper() for w in span):
                key = table.upper.get(span)
            if key is not None:
                break
        else:
            continue
        first = 2 * i + 1
        at_char += sum(map(len, pieces[at_piece:first]))
        at_piece = first
        end = at_char + sum(map(len, pieces[first:first + 2 * n - 1]))
        out.append(Mention(BY_KEY[key], text[at_char:end], at_char, end))
        claimed = i + n
    return tuple(out)


_SUBNATIONAL_TITLE = re.compile(r"\b(?:State|Province|Commonwealth|Land|Canton|Territory) of\b")


def is_subnational(title: str) -> bool:
    """Whether a document's title names the constitution of a state, province, canton or Land
    ("Constitution of the State of California"), whose Governor and Legislature are its own."""
    return bool(_SUBNATIONAL_TITLE.search(title or ""))


def roles(text: str, *, subnational: bool = False, broader: bool = True) -> list[Role]:
    """The distinct roles ``text`` names (with the broader roles they imply when ``broader``), in order of
    first mention."""
    seen: dict[str, Role] = {}
    for mention in mentions(text, subnational=subnational):
        seen.setdefault(mention.role.key, mention.role)
        if broader:
            for key in mention.role.broader:
                seen.setdefault(key, BY_KEY[key])
    return list(seen.values())


# words after which a role's generic phrase needs no article of its own ("the Congress" -> "the legislature")
_DETERMINERS = frozenset({"the", "a", "an", "its", "each", "either", "every", "this", "that", "such", "any", "which",
                          "their", "his", "her", "no", "other", "both", "our", "whose", "said"})
_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")


def generic_text(text: str, *, subnational: bool = False) -> str:
    """``text`` with each institution it names (:func:`mentions`) replaced by its role's generic phrase, so
    that "The executive Power shall be vested in a President" reads "... vested in a head of state", and
    "Congress shall have Power" reads "the legislature shall have Power" (an article is added where the
    name stood without one).  What the sentence encoder reads beside the text as written
    (:func:`compare.semantic.embed`): the Diet and Congress then read alike.  ``text`` itself when it names
    no institution."""
    found = mentions(text, subnational=subnational)
    if not found:
        return text
    out, at = [], 0
    for mention in found:
        before = _LAST_WORD.search(text, max(0, mention.start - 24), mention.start)
        needs_article = before is None or before.group(1).lower() not in _DETERMINERS
        out.append(text[at:mention.start])
        out.append(("the " if needs_article else "") + mention.role.generic)
        at = mention.end
    out.append(text[at:])
    return "".join(out)


def tokens(text: str, *, subnational: bool = False) -> list[str]:
    """One token per role mention (``role:head-of-state``), broader roles included: extra terms for a lexical
    index, counted as often as the roles are named."""
    out = []
    for mention in mentions(text, subnational=subnational):
        out.append(f"role:{mention.role.key}")
        out.extend(f"role:{key}" for key in mention.role.broader)
    return out


__all__ = ["BY_KEY", "NAMES", "ROLES", "Mention", "Role", "generic_text", "is_subnational", "mentions", "roles",
           "tokens"]
