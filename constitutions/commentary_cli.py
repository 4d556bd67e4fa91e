"""``convene commentary``: the imported commentary and case law on a document or one of its provisions."""

from __future__ import annotations

import textwrap
from typing import Annotated, Any

import typer

from constitutions.citations import doc_and_citation
from constitutions.commentary import Commentary, Note
from constitutions.resolve import resolve
from constitutions.store import Store
from convene.clitools import print_json, reporting
from convene.errors import NotFoundError

WIDTH = 100
RELATION = {"provision": "on {cite}", "enclosing": "on {cite}, which contains it",
            "within": "on {cite}, within it"}


def _wrap(text: str, indent: str) -> list[str]:
    return [textwrap.fill(p, width=WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)
            for p in text.split("\n\n") if p.strip()]


def _note_json(c: Commentary, note: Note, citations: dict[str, str]) -> dict[str, Any]:
    t = note.topic
    return {"publisher": c.publisher, "relation": note.relation, "reference": note.reference,
            "reference_citation": citations.get(note.reference, ""),
            "topic": {"id": t.id, "title": t.title, "summary": t.summary, "meaning": t.meaning,
                      "interpretation": t.interpretation, "mechanism": t.mechanism, "updated": t.updated,
                      "references": [{"id": r, "citation": citations.get(r, "")} for r in t.references]},
            "cases": [{"id": k.id, "title": k.title, "url": k.url, "summary": k.summary, "issues": k.issues,
                       "principle": k.principle, "holding": k.holding} for k in c.cases_of(t)]}


def _note_lines(c: Commentary, note: Note, citations: dict[str, str], full: bool) -> list[str]:
    t = note.topic
    where = RELATION[note.relation].format(cite=citations.get(note.reference, note.reference))
    lines = [f"{t.title}  ({where}; {c.publisher}{', updated ' + t.updated if t.updated else ''})"]
    lines += _wrap(t.summary, "    ")
    if full:
        for label, body in (("What it means", t.meaning), ("How it has been interpreted", t.interpretation),
                            ("How it works", t.mechanism)):
            if body:
                lines += ["", f"    {label}:", *_wrap(body, "      ")]
    cases = c.cases_of(t)
    if cases:
        lines.append(f"    Cases ({len(cases)}):")
        for case in cases:
            lines.append(f"      - {case.title}" + (f"  {case.url}" if case.url else ""))
            if full and case.holding:
                lines += _wrap(case.holding, "          ")
    return lines


def commentary_command(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help='Document id, e.g. za; or "ID:CITATION".')],
    citation: Annotated[str | None, typer.Argument(metavar="[CITATION]", help='e.g. "s 14" or an eId.')] = None,
    full: Annotated[bool, typer.Option("--full", help="Also what each provision means, how it has been "
                                       "interpreted, and each case's holding.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (always in full).")] = False,
) -> None:
    """Commentary and case law on a document, or on one provision (imported with the document, e.g.
    Laws.Africa's ConCompass on South Africa's Constitution)."""
    doc_id, citation = doc_and_citation(doc_id, citation)
    with reporting():
        store = Store()
        sets = store.commentary(doc_id)
        if not sets:
            raise NotFoundError(f"no commentary on {doc_id!r} is imported (ConCompass's commentary on South "
                                "Africa's Constitution is south-africa/data.json in the corpus: "
                                "`convene import PATH/data.json`)", source=doc_id)
        citations = store.citations(doc_id) if doc_id in store.ids() else {}
        eid = cited = None
        if citation is not None:
            doc = store.get(doc_id)
            eid = citation if citation in doc.index else resolve(doc, citation).provision.eid
            cited = citations.get(eid, eid)
    if eid is None:
        _document_listing(doc_id, sets, citations, as_json)
        return
    notes = [(c, n) for c in sets for n in c.on(eid)]
    if as_json:
        print_json({"document": doc_id, "provision": {"id": eid, "citation": cited},
                    "notes": [_note_json(c, n, citations) for c, n in notes]})
        return
    if not notes:
        typer.echo(f"No commentary on {cited} ({doc_id}).")
        return
    lines: list[str] = [f"{doc_id} {cited}", ""]
    within = [(c, n) for c, n in notes if n.relation == "within"]
    for c, n in notes:
        if n.relation != "within":
            lines += [*_note_lines(c, n, citations, full), ""]
    if within:
        lines.append(f"On provisions within {cited} ({len(within)}; `convene commentary {doc_id} CITATION` for one):")
        lines += [f"    {n.topic.title} ({citations.get(n.reference, n.reference)})" for _, n in within]
    typer.echo("\n".join(lines).rstrip())


def _document_listing(doc_id: str, sets: tuple[Commentary, ...], citations: dict[str, str], as_json: bool) -> None:
    if as_json:
        print_json({"document": doc_id, "commentary": [
            {"publisher": c.publisher, "source": c.source, "cases": len(c.cases),
             "topics": [{"id": t.id, "title": t.title, "cases": len(c.cases_of(t)),
                         "references": [{"id": r, "citation": citations.get(r, "")} for r in t.references]}
                        for t in c.topics]} for c in sets]})
        return
    lines: list[str] = []
    for c in sets:
        lines.append(f"{c.publisher}: {len(c.topics)} topics, {len(c.cases)} cases on {doc_id}")
        for t in c.topics:
            refs = ", ".join(citations.get(r, r) for r in t.references)
            n = len(c.cases_of(t))
            lines.append(f"    {t.title}  [{refs}]" + (f"  {n} case{'s' if n != 1 else ''}" if n else ""))
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.command("commentary")(commentary_command)
