"""Resolving a citation against a document's provision tree.

Public API::

    resolve(doc, citation) -> Located           # raises CitationError naming what failed

Resolution walks the tree: a step of the parsed citation (:mod:`constitutions.citations`)
matches a provision by number (roman and arabic are the same at
article/amendment/chapter/part level: "Article 1" == "Article I"); grouping
containers (part, chapter, title, division) and unnumbered provisions in between
are skipped; a kind hint is required when the document has provisions of that
kind at all, and ignored otherwise (so "Art. 5" works whether a reader modelled
Kenya's articles as articles or as sections).  An AKN eId ("art_1__sec_8__cl_3")
is accepted directly.

Headings.  A provision with no number but a heading is cited by its heading in
typographic quotes, made readable (:func:`constitutions.headings.readable_heading`):
“The President”, “Dáil Éireann”.  :func:`resolve` reads a heading citation with or
without quotes (typographic or straight), ignoring case and runs of whitespace;
accents are compared as given, and when the citation as given names no heading it
is compared again with accents left out on both sides ("Dail Eireann" finds
“Dáil Éireann”).  Numbered resolution always comes first: a heading is only looked
for when the text names no numbered provision, so a heading never shadows a
numbered citation.  A heading shared by several unnumbered provisions ("General"
in five parts of India's) is ambiguous: the error names the candidates by eId.

*Anchored citations*: a heading may also stand inside a citation.  "Pt. V,
Ch. II, “General”" names the provision headed "General" below Part V,
Chapter II (India repeats that heading in five places); "“Annexure A”,
Paragraph 2(a)" names the numbers below an unnumbered, headed provision
(South Africa's Schedule 6 numbers the paragraphs of each annexure from 1, so
"Sch. 6, 2(a)" alone would name several).  The heading may be quoted or not
("Annexure A, 2(a)"); one heading per citation.

Also here, and shared with :mod:`constitutions.canonical`: provision numbers as
resolution compares them (:func:`node_num`, :func:`plain_num`, the acts of a
multi-act document) and what is computed once per document object
(:class:`DocFacts`, :func:`doc_facts`).  A citation matching several numbered
provisions is an error naming them by their canonical citations; since
:mod:`constitutions.canonical` resolves every citation it writes to check that
it reads back, that one use imports it inside the function, not at the top.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from constitutions.citations import Citation, Step, parse, split_reference
from constitutions.headings import heading_key, is_quoted, readable_heading, strip_quotes
from constitutions.model import ROMAN_NUMBERED, Document, Kind, Located, Provision, roman_to_int
from convene.errors import CitationError

__all__ = [
    "GROUPING",
    "DocFacts",
    "act_in",
    "act_of",
    "doc_facts",
    "heading_citable",
    "heading_index",
    "hidden_count",
    "node_num",
    "plain_num",
    "resolve",
]


GROUPING = frozenset({Kind.PART, Kind.CHAPTER, Kind.TITLE, Kind.DIVISION})


# ====================================================================== numbers


def plain_num(num: str) -> str:
    """The number without decoration: "(a)" -> "a", "1." -> "1", "1°" -> "1", "6½" -> "6half", "XIII A" -> "XIIIA"."""
    raw = unicodedata.normalize("NFC", num).strip()
    for frac, word in (("½", "half"), ("¼", "quarter"), ("¾", "threequarters")):
        raw = raw.replace(frac, word)
    raw = unicodedata.normalize("NFKC", raw).replace("°", "").replace("º", "")
    raw = raw.strip().strip("()[]").strip().rstrip(".)").strip()
    return re.sub(r"[\s-]+", "", raw)


def _keys(num: str, roman: bool) -> set[str]:
    """Comparable forms of a number: as written (case-folded) and, at roman levels, arabic."""
    plain = plain_num(num)
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


def node_num(node: Provision) -> str:
    """A provision's number, or one implied by its heading ("Schedule 1", "Constitution Act 1867")."""
    if node.num:
        return node.num
    match = re.match(r"^(?:the\s+)?(?:schedule|part|chapter|title)\s+([0-9]+[A-Z]?|[IVXLC]+)\b", node.heading,
                     re.IGNORECASE)
    return match.group(1) if match else ""


_ACT_HEADING = re.compile(r"^(?P<name>(?:[A-Z][\w’'.-]*\s+){1,5}Act),?\s*(?P<year>\d{4})\b")


def act_of(node: Provision) -> str | None:
    """"Constitution Act, 1982" when the node is an act of a multi-act document."""
    for text in (node.heading, node.num):
        if match := _ACT_HEADING.match(text.strip()):
            return f"{' '.join(match.group('name').split())}, {match.group('year')}"
    return None


def _act_key(act: str) -> str:
    return re.sub(r"\W+", "", act).casefold()


# ====================================================================== facts about a document


@dataclass
class DocFacts:
    """What resolution and citation need about one document, computed once per document object."""

    kinds: frozenset[Kind]
    citations: dict[str, str] | None = None
    reach: dict[str, list[tuple[Provision, tuple[Provision, ...]]]] = field(default_factory=dict)
    keys: dict[str, frozenset[str]] = field(default_factory=dict)
    headings: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
    computing: bool = False  # canonical citations are being computed (and checked by resolving them)


_CACHE: dict[int, tuple[weakref.ref, DocFacts]] = {}


def doc_facts(doc: Document) -> DocFacts:
    cached = _CACHE.get(id(doc))
    if cached is not None and cached[0]() is doc:
        return cached[1]
    facts = DocFacts(kinds=frozenset(loc.provision.kind for loc in doc.walk()))
    _CACHE[id(doc)] = (weakref.ref(doc, lambda _ref, key=id(doc): _CACHE.pop(key, None)), facts)
    return facts


# ====================================================================== resolving

_KIND_NAMES = {Kind.SUBSECTION: "Subsection", Kind.SUBPARAGRAPH: "Subparagraph"}


def _describe_step(step: Step) -> str:
    if step.kind is None:
        return f"({plain_num(step.num)})" if not step.num.startswith("[") else step.num
    if step.kind is Kind.PREAMBLE:
        return "Preamble"
    return f"{_KIND_NAMES.get(step.kind, step.kind.value.title())} {step.num}"


def _describe_node(node: Provision) -> str:
    if node.kind is Kind.PREAMBLE:
        return "the Preamble"
    num = node_num(node)
    if not num:
        return node.heading or node.eid
    if node.kind in (Kind.SUBSECTION, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.CLAUSE, Kind.ITEM) and \
            num.startswith("("):
        return f"{node.kind.value} {num}"
    return f"{_KIND_NAMES.get(node.kind, node.kind.value.title())} {num}"


def _skippable(node: Provision) -> bool:
    return node.kind in GROUPING or not node_num(node)


def _reachable_cached(doc: Document, parent: Provision | None) -> list[tuple[Provision, tuple[Provision, ...]]]:
    facts = doc_facts(doc)
    key = parent.eid if parent is not None else ""
    if (found := facts.reach.get(key)) is None:
        found = facts.reach[key] = list(_reachable(parent.children if parent is not None else doc.provisions))
    return found


def _node_keys(doc: Document, node: Provision) -> frozenset[str]:
    facts = doc_facts(doc)
    if (keys := facts.keys.get(node.eid)) is None:
        num = node_num(node)
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
        if is_quoted(text):
            raise CitationError(f"no provision headed {strip_quotes(text)!r} in {doc.id}", source=doc.id) from None
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
                if (act := act_of(node)) is not None and _act_key(act) == wanted]
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
                kinds = doc_facts(doc).kinds
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
        from constitutions.canonical import canonical_citations  # not at the top: canonical imports this module

        names = {} if doc_facts(doc).computing else canonical_citations(doc)
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
    if len({act_in(anc) for anc, _ in found}) > 1:
        return found
    hidden = [hidden_count(anc) for anc, _ in found]
    least = min(hidden)
    return [match for match, count in zip(found, hidden, strict=True) if count == least]


def act_in(ancestors: tuple[Provision, ...]) -> str | None:
    return next((act for node in ancestors if (act := act_of(node)) is not None), None)


def hidden_count(ancestors: tuple[Provision, ...]) -> int:
    """Containers a citation passes over without naming them (grouping or unnumbered)."""
    return sum(1 for a in ancestors if a.kind in GROUPING or not node_num(a))


def _first_of_duplicates(found: list[tuple[tuple[Provision, ...], Provision]]
                         ) -> list[tuple[tuple[Provision, ...], Provision]]:
    """Siblings sharing a number (two subdivisions (f)) count once: the first; "[2]" picks the second."""
    out = []
    seen: set[tuple[int, str]] = set()
    for anc, node in found:
        key = (id(anc[-1]) if anc else 0, plain_num(node_num(node)).casefold(), node.kind)
        if key not in seen:
            seen.add(key)
            out.append((anc, node))
    return out


def _nth_duplicate(found: list[tuple[tuple[Provision, ...], Provision]], n: int
                   ) -> list[tuple[tuple[Provision, ...], Provision]]:
    out = []
    for anc, node in found:
        siblings = anc[-1].children if anc else ()
        same = [s for s in siblings if s.kind is node.kind and plain_num(node_num(s)) == plain_num(node_num(node))]
        if len(same) >= n:
            out.append((anc, same[n - 1]))
    return out


# ====================================================================== headings

# Longest text read as a heading citation (a guard against huge input; longer is a CitationError).
_HEADING_INPUT_MAX = 1000


def _without_accents(key: str) -> str:
    decomposed = unicodedata.normalize("NFD", key)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def heading_citable(node: Provision) -> bool:
    """Provisions a heading may name: not the preamble, no number (printed or implied), a heading."""
    return node.kind is not Kind.PREAMBLE and not node_num(node) and bool(node.heading.strip())


def heading_index(doc: Document) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Heading key -> eIds of the unnumbered provisions with that heading, as printed and without accents."""
    facts = doc_facts(doc)
    if facts.headings is None:
        exact: dict[str, list[str]] = {}
        folded: dict[str, list[str]] = {}
        for loc in doc.walk():
            node = loc.provision
            if heading_citable(node) and (key := heading_key(node.heading)):
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
                            f"{strip_quotes(text)!r} ({options}{more}); cite one of them by its eId",
                            source=doc.id)
    return doc.index[eids[0]]


def _headed(doc: Document, text: str) -> list[str]:
    """The eIds of the unnumbered provisions headed ``text`` (compared as printed, else without accents)."""
    key = heading_key(text)
    if not key:
        return []
    exact, folded = heading_index(doc)
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
    return _describe_node(node) if node_num(node) else f"“{readable_heading(node.heading)}”"


def _describe_candidate(doc: Document, eid: str) -> str:
    """"part_5__chp_2__dvs_nn_1 in Part V, Chapter II": the eId to cite and the numbered provisions around it."""
    located = doc.index[eid]
    where = ", ".join(_describe_node(a) for a in located.ancestors if node_num(a))
    return f"{eid} in {where}" if where else eid
