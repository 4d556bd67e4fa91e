"""What the topic tagger reads in a text besides its words: the institutions it names and how, the attributes
it states of them, the grounds of discrimination it lists, and the "Union"s that name polities.

Each function is pure and reads one text (or one topic label); the tagger (:mod:`compare.topics`, whose module
docstring describes *institution scope*, *stated attributes*, *grounds* and *retirement ages*) decides what they
mean for tags.  The patterns are written from how constitutions word these rules, not from labelled provisions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from compare import roles
from compare.ontology import Topic
from constitutions.language import stop_words

# The institution a topic is about, read from its label; the first pattern that matches decides.
_TOPIC_INSTITUTIONS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), frozenset(keys)) for pattern, keys in (
        (r"\bdeputy executive\b", ("deputy-head-of-state", "deputy-head-of-government")),
        (r"\bhead of state\b", ("head-of-state",)),
        (r"\bhead of government\b", ("head-of-government",)),
        (r"\bcabinet\b", ("cabinet",)),
        (r"\bfirst chamber\b", ("first-chamber",)),
        (r"\bsecond chamber\b", ("second-chamber",)),
        (r"\bsupreme/ordinary court", ("apex-court", "ordinary-court")),
        (r"\bsupreme court", ("apex-court",)),
        (r"\bconst(?:itutional)?\.? court", ("constitutional-court",)),
        (r"\badministrative (?:court|judge)", ("administrative-court",)),
        (r"\belectoral court", ("electoral-court",)),
        (r"\bordinary court", ("ordinary-court",)),
        (r"\bjudges?\b|\bjudicial\b", ("judiciary",)),  # judges or courts in general
    ))
# The words of a label that name its institution, removed to read the attribute the topic asks about
# ("Term length for first chamber" and "Supreme court term length": term length).
_INSTITUTION_WORDS = re.compile(
    r"\b(?:(?:of|for|in|to) )?(?:the )?(?:head of state|head of government|first chamber|second chamber|"
    r"supreme/ordinary court(?: judges?)?|supreme court(?: judges| justices?)?|"
    r"const(?:itutional)?\.? court(?: judges)?|administrative (?:court|judges?)|electoral court(?: judges)?|"
    r"ordinary court(?: judges)?|cabinet|"
    r"deputy executive)(?:'s)?\b", re.IGNORECASE)
# Deputies act in their principal's stead: "performed by the Vice-President" is about the deputy, so a deputy
# named as an agent still scopes the provision (:func:`scope_level`).
DEPUTIES = frozenset({"deputy-head-of-state", "deputy-head-of-government"})
# Institutions that stand in for one another: a provision naming one of them is about it, not the others.
RIVALS: tuple[frozenset[str], ...] = (
    frozenset({"head-of-state", "head-of-government", "cabinet"}) | DEPUTIES,
    frozenset({"first-chamber", "second-chamber"}),
    frozenset({"apex-court", "constitutional-court", "administrative-court", "electoral-court", "ordinary-court"}),
)
# Institutions a provision about them names (at some level): no constitution speaks of its constitutional
# court or its vice-president without saying so.
NAMED_ONLY = frozenset({"constitutional-court", "administrative-court", "electoral-court", "judiciary"}) | DEPUTIES
# The national government's political institutions: a state's Governor, a province's legislature or a county's
# executive is none of them (*subnational parts* in compare.topics), where the courts of a state may well be the
# country's ordinary courts (India's High Courts, under "THE STATES").
NATIONAL_POLITICAL = frozenset({"head-of-state", "head-of-government", "cabinet", "first-chamber", "second-chamber"}
                               ) | DEPUTIES
# The headings of the parts of a constitution about its states, provinces, counties or local governments: "THE
# STATES", "Provinces", "County Governments", "Local government", "THE PANCHAYATS", "PROVINCIAL CONSTITUTIONS",
# "State Executive" (Nepal's provinces), "DEVOLVED GOVERNMENT"; not "THE STATE" (the nation, in Ireland's).
# Not a heading that also names the nation ("Relations between the Union and the States", "The Federation and the
# Länder", "National and provincial legislation") nor emergencies in the states.
_SUBNATIONAL_HEADING = re.compile(
    r"^(?:the\s+)?(?:states(?:\s+in\s+part\s+\w+\s+of\s+the\s+first\s+schedule)?|"
    r"(?:state|provincial|local)\s+(?:executive|legislature|legislative\s+procedures|financial\s+procedures)|"
    r"provinces|provincial\s+constitutions|count(?:y|ies)(?:\s+governments?)?|local\s+(?:self-)?government|"
    r"devolved\s+government|municipalit(?:y|ies)|panchayats|cantons|länder|regions|regional\s+governments?)"
    r"\s*(?:\(.*\))?$", re.IGNORECASE)
_NATIONAL_WORDS = re.compile(r"\b(?:between|national|nation|federation|federal|union|confederation|emergenc\w*)\b",
                             re.IGNORECASE)
# Judges and courts in general (not one court, which compare.roles recognises by name): a topic about them
# ("Mandatory retirement age for judges", "Establishment of judicial council") needs one of these words at some
# level, so a "National Security Council" or a legislators' retirement system is not read as the judiciary's.
JUDICIARY = "judiciary"
_JUDICIAL = re.compile(r"\b(?:judg\w*|justices?|courts?|judicia\w*|tribunals?|magistra\w*)\b", re.IGNORECASE)

GROUND_WORDS = 2  # mentions are runs of up to this many words
_GROUND_LABEL = re.compile(r"^Equality (?:regardless of|for) (.+)$")
_GROUND_DESCRIPTION = re.compile(r"without regard to (?:their |any )?([^.]+?)[,;]?\.")
_GROUND_CUE = re.compile(r"\b(?:because of|grounds?|on (?:the )?basis of|by reason of|on account of|based (?:up)?on|"
                         r"regardless of|irrespective of|without (?:any )?(?:distinction|discrimination|regard)|"
                         r"whatever (?:their|his|her|its))\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;](?:\s|$)")
MENTION_BREAK = re.compile(r"[,;:()\[\]]|\b(?:or|and|nor)\b", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_][\w'-]*")
_AGE = re.compile(r"\bage[ds]?\b", re.IGNORECASE)
_END_OF_OFFICE = re.compile(r"\b(?:retir\w*|superannuat\w*|cease[sd]? to hold|vacat\w*|"
                            r"until (?:\w+ ){0,3}(?:attains?|attaining|reach\w*|complet\w*) the age)", re.IGNORECASE)
_ELIGIBILITY = re.compile(r"\b(?:not less than|at least|not under|(?:under|below) the age|minimum age|eligib\w*|"
                          r"qualif\w*|unless he|who has (?:attained|completed))", re.IGNORECASE)
MINIMUM_AGE_LABEL = re.compile(r"^Min(?:imum)?\.? age\b")

# "Union" capitalised names a polity (India's "the Union", "this Union" of the United States, the European Union),
# not a trade union: such a use gives no evidence for the topics whose words are "union" (see :func:`polity_names`)
_UNION_WORD = re.compile(r"\b[Uu][Nn][Ii][Oo][Nn][Ss]?\b")
_LABOUR_BEFORE = re.compile(r"\b(?:trade|labou?r)[\s-]+$", re.IGNORECASE)
POLITY_LEMMA = "union"
POLITY_NAME = "Union"  # what a polity's "Union" becomes among the lemmas: no topic's term

# The constructions that state an attribute of an institution (*stated attributes* in the module docstring), by the
# attribute's name as topic_attribute reads it from the labels.  Written from how constitutions word these rules,
# not from labelled provisions.
_COUNT = (r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
          r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)")
_STATED: dict[str, re.Pattern[str]] = {attribute: re.compile(pattern, re.IGNORECASE) for attribute, pattern in (
    ("size", rf"\b(?:consists?|consisting|composed|comprised?|comprising|membership) of\b[^.;]{{0,40}}?\b{_COUNT}\b"
             r"|\b(?:one|a) (?:member|representative|senator|seat)s? for (?:each|every)\b"
             rf"|\b{_COUNT} (?:senators|representatives|members|seats|delegates|judges) (?:from|for|of) each\b"
             rf"|\b{_COUNT} \w+ each\b"
             r"|\b(?:consists?|consisting|composed|comprised?|comprising) of\s*[-—–:]?\s*$"),
    ("term length", rf"\bfor (?:a (?:term|period) of )?{_COUNT}(?:[- ]\w+)? years?\b|\b{_COUNT}-year terms?\b"
                    rf"|\bterm of (?:office )?(?:of )?{_COUNT} years\b"),
    ("selection", r"\b(?:elected|chosen|appointed|nominated|selected) (?:by|from|directly|on)\b"
                  r"|\bdirect election\b"),
    ("minimum age", r"\b(?:attained|completed|reached) the age of\b"
                    r"|\bnot (?:less|under) (?:than )?\w+(?:[- ]\w+)? years of age\b"),
)}
# ... and those that state it of what follows: "shall appoint the judges", "regulate the election of their Senators"
_STATED_OF_OBJECT: dict[str, re.Pattern[str]] = {
    "selection": re.compile(r"\bshall (?:elect|appoint|choose|nominate)\b|\bregulate the election of\b", re.IGNORECASE),
}
# an institution named after a preposition is not what a statement is about: "appointed by the President" (the agent),
# "eligible for membership in the House", "members of the Assembly elected by ..."
_PREPOSITIONS = ("by", "in", "to", "for", "from", "with", "at", "on", "under", "among", "within", "between")


def _oblique(prepositions: Sequence[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:(?:{'|'.join(prepositions)})\s+(?:the\s+)?|its\s+|their\s+)$", re.IGNORECASE)


_OBLIQUE = _oblique((*_PREPOSITIONS, "of"))
# ... but after "shall appoint" an office is often named as "the judges of the Supreme Court"
_OBLIQUE_OBJECT = _oblique(_PREPOSITIONS)


def named_roles(text: str, *, subnational: bool = False) -> list[str]:
    """The ontology's generic phrase (:attr:`compare.roles.Role.generic`) of each institutional role ``text``
    names, once per role, in order of first mention, without the broader roles ("Senate" gives "second chamber",
    not also "legislative chamber": that phrase's terms point at joint sessions, not at either house)."""
    return [r.generic for r in roles.roles(text, subnational=subnational, broader=False)]


def topic_institutions(label: str) -> frozenset[str]:
    """The role keys (:mod:`compare.roles`) of the institution a topic's label is about ("Head of state term
    length": the head of state; "Supreme/ordinary court judge removal": either court), or an empty set."""
    return next((keys for pattern, keys in _TOPIC_INSTITUTIONS if pattern.search(label)), frozenset())


def judicial_keys(text: str) -> frozenset[str]:
    """``{JUDICIARY}`` when ``text`` speaks of judges or courts (:data:`_JUDICIAL`), else the empty set: the
    pseudo-institution added to the roles a level names (*institution scope*)."""
    return frozenset({JUDICIARY}) if text and _JUDICIAL.search(text) else frozenset()


def topic_attribute(label: str) -> str:
    """What a topic about an institution asks of it, read from its label without the institution's words
    ("Term length for first chamber" and "Supreme court term length": "term length"; "Min age of const court
    judges": "minimum age"); "" for a topic about no institution (:func:`topic_institutions`)."""
    if not topic_institutions(label):
        return ""
    rest = _INSTITUTION_WORDS.sub(" ", label).lower()
    rest = re.sub(r"\bmin\b", "minimum", rest)
    return re.sub(r"^(?:of|for|in|to) |\s(?:of|for|in|to)$", "", " ".join(rest.split())).strip()


def ground_phrases(topics: Sequence[Topic]) -> dict[int, tuple[str, ...]]:
    """The grounds of discrimination among ``topics``: for each topic labelled "Equality regardless of X" or
    "Equality for X", its index -> X and the phrase its description gives after "without regard to their"
    ("Equality regardless of gender" -> "gender", "gender or sex")."""
    out = {}
    for i, t in enumerate(topics):
        m = _GROUND_LABEL.match(t.label)
        if m:
            d = _GROUND_DESCRIPTION.search(t.description or "")
            out[i] = tuple(dict.fromkeys((m.group(1), *((d.group(1).strip(),) if d else ()))))
    return out


def ground_passages(text: str) -> list[str]:
    """Where ``text`` may name grounds of discrimination: when it has a word that introduces them ("because of",
    "on the grounds of", "without distinction of", "regardless of" ...), only what follows the first such word
    of each sentence or clause, up to its end, so "no discrimination in political, economic or social relations
    because of race, creed or sex" names race, creed and sex, not the spheres before them; else the whole text."""
    if not _GROUND_CUE.search(text):
        return [text]
    return [clause[cue.end():] for clause in _CLAUSE_END.split(text) if (cue := _GROUND_CUE.search(clause))]


def ground_mentions(text: str) -> list[str]:
    """Candidate names of grounds in ``text`` (within its :func:`ground_passages`): runs of one to
    :data:`GROUND_WORDS` words inside the items of its lists (split at punctuation and at "and", "or", "nor")
    that neither start nor end with a stop word, lower-cased, in order of first appearance."""
    stop = stop_words()
    out: dict[str, None] = {}
    for item in (x for passage in ground_passages(text) for x in MENTION_BREAK.split(passage)):
        words = [w.lower() for w in WORD.findall(item or "")]
        for n in range(1, GROUND_WORDS + 1):
            for k in range(len(words) - n + 1):
                run = words[k:k + n]
                if run[0] not in stop and run[-1] not in stop:
                    out[" ".join(run)] = None
    return list(out)


def retirement_age_only(text: str) -> bool:
    """Whether ``text`` speaks of an age only as the end of an office: it names an age and retirement (or
    ceasing to hold, vacating, superannuation) and no word of eligibility (*retirement ages* in the module
    docstring)."""
    return bool(_AGE.search(text) and _END_OF_OFFICE.search(text) and not _ELIGIBILITY.search(text))


def stated_attributes(text: str) -> frozenset[str]:
    """The attributes of institutions (size, term length, selection, minimum age) ``text`` states in one of the
    constructions constitutions use for them (*stated attributes* in the module docstring): "shall consist of
    46 delegates" states a size, "for six Years" a term length, "chosen by the Legislature" a selection."""
    return frozenset(a for table in (_STATED, _STATED_OF_OBJECT) for a, pattern in table.items()
                     if text and pattern.search(text))


def stated_subjects(text: str, *, subnational: bool = False) -> dict[str, frozenset[str]]:
    """The attributes ``text`` states (:func:`stated_attributes`), each with the role keys (:mod:`compare.roles`) of
    the institutions it is stated of.  For each statement, the first institution the text names earlier in the
    same sentence other than after a preposition ("appointed by the President" states how someone else is
    chosen; "eligible for membership in the House ... for four years" is not the House's term); for the
    constructions that state it of what follows ("shall appoint the judges of the Supreme Court"), the first
    named after it in the sentence, again not after a preposition other than "of", nor as "its" or "their"
    office ("shall elect its President" is not the head of state's selection).  A house named without saying
    which ("the National Assembly") counts as the first chamber, as the Constitute Project codes a unicameral
    legislature's."""
    out: dict[str, set[str]] = {}
    if not text:
        return {}
    found = roles.mentions(text, subnational=subnational)
    for table, after in ((_STATED, False), (_STATED_OF_OBJECT, True)):
        for attribute, pattern in table.items():
            for match in pattern.finditer(text):
                keys = out.setdefault(attribute, set())
                if after:
                    ends = [k for k in (text.find(".", match.end()), text.find(";", match.end())) if k >= 0]
                    stop = min(ends, default=len(text))
                    subject = next((m for m in found if match.end() <= m.start < stop
                                    and not _OBLIQUE_OBJECT.search(text, max(match.end(), m.start - 12),
                                                                   m.start)), None)
                else:
                    start = max(text.rfind(".", 0, match.start()), text.rfind(";", 0, match.start())) + 1
                    subject = next((m for m in found if start <= m.start < match.start()
                                    and not _OBLIQUE.search(text, max(start, m.start - 12), m.start)), None)
                if subject is not None:
                    keys.add(subject.role.key)
                    if subject.role.key == "legislative-chamber":
                        keys.add("first-chamber")
    return {a: frozenset(keys) for a, keys in out.items()}


_AGENT = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)


def agents_only(text: str, *, subnational: bool = False) -> frozenset[str]:
    """The role keys (:mod:`compare.roles`) ``text`` names only as an agent ("appointed by the Cabinet",
    "nominated by the Supreme Court"), never as what it speaks of."""
    agent: set[str] = set()
    other: set[str] = set()
    for m in roles.mentions(text, subnational=subnational):
        (agent if _AGENT.search(text, max(0, m.start - 8), m.start) else other).add(m.role.key)
    return frozenset(agent - other)


def scope_level(named: frozenset[str], agents: frozenset[str]) -> frozenset[str]:
    """The role keys a provision's own level names, for the *institution scope*, less those named only as an
    agent when the provision also names a rival of theirs otherwise: "judges of the district courts are
    appointed by the Cabinet among candidates put forward by the Supreme Court" is about the ordinary
    courts, not the Supreme Court."""
    dropped = {k for k in (named & agents) - DEPUTIES for group in RIVALS if k in group and (named - agents) & group}
    return named - dropped


def own_level(text: str, heading: str, text_roles: Sequence[roles.Role], head_roles: Sequence[roles.Role], *,
              subnational: bool = False) -> frozenset[str]:
    """The role keys a provision's own words and heading name, as its nearest level of the *institution scope*
    (:func:`scope_level`, with :data:`JUDICIARY` for a judicial word)."""
    heading_keys = frozenset(r.key for r in head_roles)
    return (scope_level(frozenset(r.key for r in text_roles) | heading_keys,
                        agents_only(text, subnational=subnational) - heading_keys)
            | judicial_keys(text) | judicial_keys(heading))


def _is_polity(text: str, m: re.Match[str]) -> bool:
    return m.group(0)[0] == "U" and not _LABOUR_BEFORE.search(text[:m.start()])


def polity_names(text: str, lemmas: Sequence[str]) -> tuple[str, ...]:
    """``lemmas`` of ``text`` with each "union" that stands for a capitalised "Union" (not after "trade" or
    "labour") made :data:`POLITY_NAME`, which matches no topic: "the Union" of India's constitution, "this Union"
    of the United States' and the European Union name polities, not trade unions.  The lemmas' "union"s are
    matched to the text's words in order; when their numbers differ, they are all replaced if every word is a
    name, and none otherwise."""
    words = list(_UNION_WORD.finditer(text))
    if not words:
        return tuple(lemmas)
    names = [_is_polity(text, m) for m in words]
    if not any(names):
        return tuple(lemmas)
    positions = [k for k, x in enumerate(lemmas) if x == POLITY_LEMMA]
    if len(positions) != len(names):
        names = [all(names)] * len(positions)
    out = list(lemmas)
    for k, name in zip(positions, names, strict=True):
        if name:
            out[k] = POLITY_NAME
    return tuple(out)


def subnational_heading(heading: str) -> bool:
    """Whether ``heading`` is that of a part of a constitution about its states, provinces, counties or local
    governments (:data:`_SUBNATIONAL_HEADING`), not naming the nation as well."""
    text = " ".join((heading or "").split())
    return bool(text) and bool(_SUBNATIONAL_HEADING.match(text)) and not _NATIONAL_WORDS.search(text)
