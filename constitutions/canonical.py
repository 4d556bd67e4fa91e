"""Canonical citations: each provision's citation written in its jurisdiction's own
style, for a whole document in one walk.

Public API::

    canonical(doc, eid) -> str                  # "Art. I, § 8, cl. 3"
    canonical_citations(doc) -> dict[str, str]  # eid -> citation, every provision, one walk

Guarantees of :func:`canonical_citations`: every provision gets exactly one
citation; citations are unique within the document; each one resolves back to
its provision (:func:`constitutions.resolve.resolve`).  A provision that cannot
be cited by number is cited by its heading (:mod:`constitutions.headings`) when
that heading is unique in the document (among unnumbered provisions) and reads
back to it; otherwise, and for numbers below such a provision, by an anchored
citation (see :mod:`constitutions.resolve`) when one reads back to it; otherwise
by its eId, which :func:`constitutions.resolve.resolve` accepts (in the corpus:
an unnumbered attestation, and a few of Canada's Constitution Act, 1982 sections
printed twice).
"""

from __future__ import annotations

import re
import unicodedata

from constitutions.citations import NUMBER, parse
from constitutions.headings import HEADING_CITATION_MAX, heading_key, readable_heading
from constitutions.model import Document, Kind, Located, Provision, int_to_roman
from constitutions.resolve import (
    GROUPING,
    act_in,
    act_of,
    doc_facts,
    heading_citable,
    heading_index,
    hidden_count,
    node_num,
    plain_num,
    resolve,
)
from convene.errors import CitationError

__all__ = [
    "canonical",
    "canonical_citations",
]


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
        num = node_num(node)
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
    return bool(re.fullmatch(rf"{NUMBER}|[0-9A-Za-z]{{1,6}}°?", plain))


def _join(pieces: list[tuple[str, bool]]) -> str:
    out = ""
    for text, attached in pieces:
        out = out + text if attached or not out else f"{out}, {text}"
    return out


def canonical_citations(doc: Document) -> dict[str, str]:
    """Every provision's canonical citation (eid -> citation), computed in one walk and cached
    per document object.  Unique within the document; see the module docstring."""
    facts = doc_facts(doc)
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
    hidden = {loc.provision.eid: hidden_count(loc.ancestors) for loc in doc.walk()}
    acts = {loc.provision.eid: act_in(loc.ancestors) for loc in doc.walk()}
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


def _heading_citations(doc: Document) -> dict[str, str]:
    """eId -> “Readable Heading” for each unnumbered provision whose heading is unique in the document
    (among unnumbered provisions, compared as :func:`resolve` compares them) and reads back to it."""
    exact, _ = heading_index(doc)
    out = {}
    for key, eids in exact.items():
        if len(eids) != 1:
            continue  # the same heading twice: those provisions keep their eIds
        readable = readable_heading(doc.index[eids[0]].provision.heading)
        citation = f"“{readable}”"
        if len(readable) > HEADING_CITATION_MAX or heading_key(citation) != key or _parses(citation):
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


_ANCHOR_SHARED_MAX = 100  # an unnumbered heading repeated more often than this is not tried as an anchor


def _anchored_citations(doc: Document, styler: _Styler, duplicates: dict[str, int],
                        citations: dict[str, str]) -> dict[str, str]:
    """``citations`` with each eId fallback replaced, where one reads back to its provision, by a citation
    through a heading (*anchored citations* in :mod:`constitutions.resolve`): an unnumbered provision whose heading is
    shared, by its nearest cited ancestor's citation and its heading (Pt. V, Ch. II, “General”); a numbered
    provision below an unnumbered headed one, by that provision's citation and its numbers below it
    (“Annexure A”, Paragraph 2(a)).  Each is kept only when it is new and :func:`resolve` reads it back."""
    out = dict(citations)
    used = set(out.values())
    exact, _ = heading_index(doc)
    for loc in doc.walk():  # document order: an ancestor's citation is settled before its descendants'
        node = loc.provision
        if out[node.eid] != node.eid:
            continue
        candidate = None
        if heading_citable(node):
            if len(exact.get(heading_key(node.heading), ())) > _ANCHOR_SHARED_MAX:
                continue  # a heading printed that often anchors nothing: keep the eId, and the time
            cited = next((a for a in reversed(loc.ancestors) if out[a.eid] != a.eid), None)
            readable = readable_heading(node.heading)
            if cited is not None and len(readable) <= HEADING_CITATION_MAX:
                candidate = f"{out[cited.eid]}, “{readable}”"
        elif node_num(node) or node.kind is Kind.PREAMBLE:
            k = next((i for i in range(len(loc.ancestors) - 1, -1, -1)
                      if heading_citable(loc.ancestors[i]) and out[loc.ancestors[i].eid] != loc.ancestors[i].eid),
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
        act = next((a for node in chain if (a := act_of(node)) is not None), None)
        if act is not None and act_of(target) == act:
            return act
    if target.kind is not Kind.PREAMBLE and not node_num(target):
        return None
    units = [i for i, node in enumerate(chain) if node.kind not in GROUPING and node_num(node)]
    start = 0 if full_chain or target.kind in GROUPING or not units else units[0]
    pieces: list[tuple[str, bool]] = []
    first_unit = units[0] if units else len(chain)
    for index, node in enumerate(chain[start:], start=start):
        if act is not None and act_of(node) is not None:
            continue
        if node.kind is not Kind.PREAMBLE and not node_num(node):
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
            num = node_num(node)
            if not num:
                continue
            key = (node.kind, plain_num(num).casefold())
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                out[node.eid] = seen[key]
    return out
