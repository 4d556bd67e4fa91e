"""Comparison commands: ``convene align``, ``similar``, ``matrix``, ``diff`` and ``topics``.

Documents come from the corpus store (``convene import`` first).  Provisions
are named ``DOC:CITATION`` (``us:Amend. IV``, ``us-ca:Art. I, § 13``) or
``DOC:EID``.  Every error reaches the user as one line on stderr,
``error: [E...] source: reason``, with exit status 1; ``--json`` output goes to
stdout and nothing else does.

``align``, ``similar`` and ``matrix`` all work over one index of every stored
document (shared vocabulary, IDF and LSA: the figures ``bench/eval_alignment.py``
measures, and the ones the studio shows), read from the persistent index cache
(:meth:`compare.index.CorpusIndex.load_or_build`); the first command after an
import builds it and saves it for the next ones.
"""

from __future__ import annotations

from textwrap import shorten
from typing import TYPE_CHECKING, Annotated, Any

import typer

from constitutions.model import Document, Located
from convene.clitools import print_json, reporting
from convene.errors import CitationError, NotFoundError, ValidationError

if TYPE_CHECKING:
    from compare.align import Match
    from compare.index import CorpusIndex


def _store():
    from constitutions.store import Store

    return Store()


def _document(doc_id: str) -> Document:
    return _store().get(doc_id.strip())


def _locate(doc: Document, citation: str) -> Located:
    if citation in doc.index:
        return doc.locate(citation)
    from constitutions.resolve import resolve

    return resolve(doc, citation)


def _reference(ref: str) -> tuple[Document, Located] | None:
    """``DOC:CITATION`` (or a jurisdiction named before a citation, "Germany Art. 13") resolved in the store;
    None when ``ref`` is not a reference to a known document.  A jurisdiction named whose constitution is not
    imported is a NotFoundError (never free text)."""
    from constitutions import jurisdictions
    from constitutions.citations import named_reference, split_reference

    doc_id, citation = split_reference(ref)
    if not doc_id:
        return None
    known = {info.id for info in _store().documents()}
    if doc_id not in known:
        if named_reference(ref) is not None:
            raise NotFoundError(f"{ref!r} cites the constitution of {jurisdictions.name_of(doc_id)} ({doc_id}), "
                                f"which is not imported (see `convene list`; `convene import FILE` adds one)",
                                source=ref)
        return None
    doc = _document(doc_id)
    return doc, _locate(doc, citation)


def _required_reference(ref: str) -> tuple[Document, Located]:
    found = _reference(ref)
    if found is None:
        raise CitationError(f"{ref!r} is not DOC:CITATION for an imported document "
                            "(e.g. \"us:Amend. IV\" or \"Germany Art. 13\"; see `convene list`)", source=ref)
    return found


def _corpus(store) -> tuple[dict[str, Document], CorpusIndex]:
    """Every stored document (current versions, by id) and the index over all of them."""
    from compare.index import CorpusIndex

    docs = {info.id: store.get(info.id) for info in store.documents()}
    return docs, CorpusIndex.load_or_build(list(docs.values()))


def _check_top(top: int) -> None:
    if top < 1:
        raise ValidationError(f"--top must be at least 1, not {top}")


def _require(store, doc_ids) -> None:
    """Raise NotFoundError (naming the known ids) for the first id not in the store."""
    known = set(store.ids())
    for doc_id in doc_ids:
        if doc_id not in known:
            store.get(doc_id)


def align_command(
    a: Annotated[str, typer.Argument(help="Id of the document whose provisions are matched (e.g. us).")],
    b: Annotated[str, typer.Argument(help="Id of the document searched for counterparts (e.g. us-ca).")],
    top: Annotated[int, typer.Option("--top", help="Matches per provision.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """For every provision of A, its best matches in B and whether B has a counterpart."""
    from compare.align import align

    with reporting():
        _check_top(top)
        store = _store()
        _require(store, (a.strip(), b.strip()))
        docs, index = _corpus(store)
        result = align(docs[a.strip()], docs[b.strip()], top=top, index=index, explain=not as_json)
    if as_json:
        print_json(result.to_json())
        return
    for row in result.rows:
        verdict = "counterpart" if row.counterpart else "no counterpart"
        typer.echo(f"{row.citation}  [{verdict}]")
        for m in row.matches:
            _echo_match(m)


FACET_CHARS = 60  # a facet's text is shown up to this many characters
ELLIPSIS = " \u2026"


def _echo_match(m: Match) -> None:
    """One match of the text output; a focus (``m.within``) on its own line under the match it lies in; a
    facet's match (``m.facet``) names the part of the query it matches."""
    why = m.explanation.summary(terms=5)
    lead = "             at " if m.within else f"    {m.score:.3f}  "
    facet = f"  for \u201c{shorten(m.facet, FACET_CHARS, placeholder=ELLIPSIS)}\u201d" if m.facet else ""
    typer.echo(f"{lead}{m.citation}{facet}" + (f"  ({why})" if why else ""))


def similar_command(
    query: Annotated[str, typer.Argument(
        help="DOC:CITATION (e.g. \"us:Amend. IV\", \"Germany Art. 13\") or free text.")],
    docs: Annotated[str, typer.Option("--docs", help="Comma-separated document ids (default: all).")] = "",
    top: Annotated[int, typer.Option("--top", help="Matches per document.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Provisions similar to a provision or to free text, in every document (or those chosen)."""
    from compare.similar import similar

    with reporting():
        _check_top(top)
        store = _store()
        wanted = list(dict.fromkeys(d.strip() for d in docs.split(",") if d.strip())) or sorted(store.ids())
        _require(store, wanted)
        found = _reference(query)
        q: Any = (found[0], found[1].provision.eid) if found else query
        results = []
        if wanted:
            corpus, index = _corpus(store)
            results = similar(q, [corpus[d] for d in wanted], top=top, index=index, explain=not as_json)
    if as_json:
        print_json({"query": query, "results": [
            {"doc": r.doc, "counterpart": r.counterpart,
             "matches": [m.to_json() for m in r.matches]}
            for r in results]})
        return
    if not results:
        typer.echo("No matches.")
    for r in results:
        verdict = {True: "  [counterpart]", False: "  [no counterpart]", None: ""}[r.counterpart]
        typer.echo(f"{r.doc}  {r.title}{verdict}")
        for m in r.matches:
            _echo_match(m)


def matrix_command(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Every imported document against every other: the share of provisions with a counterpart."""
    from compare.matrix import cached_matrix

    with reporting():
        docs, index = _corpus(_store())
        result = cached_matrix(list(docs.values()), index)
    if as_json:
        print_json(result.to_json())
        return
    if not result.ids:
        typer.echo("No documents yet: import some with `convene import PATH_OR_URL`.")
        return
    width = max(6, *(len(i) for i in result.ids))
    typer.echo(" " * width + "".join(f"{i:>{width + 1}}" for i in result.ids))
    for i, row in zip(result.ids, result.scores, strict=True):
        typer.echo(f"{i:<{width}}" + "".join(f"{s:>{width + 1}.2f}" for s in row))


def diff_command(
    a: Annotated[str, typer.Argument(help="DOC:CITATION of the first provision.")],
    b: Annotated[str, typer.Argument(help="DOC:CITATION of the second provision.")],
    html: Annotated[bool, typer.Option("--html", help="HTML with <ins>/<del>.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Word-level differences between two provisions."""
    from compare.diff import diff, to_html

    with reporting():
        _, la = _required_reference(a)
        _, lb = _required_reference(b)
        segments = diff(la.provision.full_text(), lb.provision.full_text())
    if as_json:
        print_json({"a": a, "b": b, "segments": [{"op": s.op, "text": s.text} for s in segments]})
    elif html:
        typer.echo(to_html(segments))
    else:
        marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
        typer.echo("".join(f"{marks[s.op][0]}{s.text}{marks[s.op][1]}" for s in segments))


def topics_command(
    doc_id: Annotated[str, typer.Argument(
        help="Document id, or one reference (\"de:Art. 20a\", \"Germany Art. 20a\").")],
    citation: Annotated[str, typer.Argument(help="A provision (citation or eId); default: all.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Constitute topics of a document's provisions (of one provision and its sub-provisions), with confidences."""
    from compare.cite import cite
    from compare.topics import tag_document
    from constitutions.citations import doc_and_citation

    doc_id, citation = doc_and_citation(doc_id, citation)
    with reporting():
        doc = _document(doc_id)
        tags = tag_document(doc)  # one provision's tags are the document's, read in its context
        if citation:
            tags = {q.eid: tags.get(q.eid, ()) for q in _locate(doc, citation).provision.walk()}
    rows = [(eid, cite(doc, eid), scores) for eid, scores in tags.items() if scores]
    if as_json:
        print_json({"doc": doc.id, "provisions": [
            {"id": eid, "citation": c, "topics": [{"key": s.key, "label": s.label, "category": s.category,
                                                   "confidence": s.confidence} for s in scores]}
            for eid, c, scores in rows]})
        return
    if not rows:
        typer.echo("No topics found.")
    for _, c, scores in rows:
        typer.echo(f"{c}: " + "; ".join(f"{s.label} ({s.confidence:.2f})" for s in scores))


def register(app: typer.Typer) -> None:
    app.command("align")(align_command)
    app.command("similar")(similar_command)
    app.command("matrix")(matrix_command)
    app.command("diff")(diff_command)
    app.command("topics")(topics_command)
