"""Corpus commands: ``convene import``, ``list``, ``show``, ``cite`` and ``search`` (and ``commentary``, from
:mod:`constitutions.commentary_cli`).

Every error reaches the user as one line, ``error: [E...] source: reason``, on
stderr with exit status 1, never as a traceback.  JSON output (``--json``) goes
to stdout and nothing else does, so it can be piped.
"""

from __future__ import annotations

import textwrap
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from constitutions.citations import doc_and_citation
from constitutions.headings import readable_heading
from constitutions.model import Document, Located, Provision
from constitutions.store import MARK_CLOSE, MARK_OPEN, Store
from convene.clitools import print_json, reporting
from convene.errors import CitationError


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


# ---------------------------------------------------------------- import


def import_command(
    targets: Annotated[list[str], typer.Argument(metavar="PATH_OR_URL...", help="Files, folders or http(s) URLs.")],
    as_id: Annotated[str | None, typer.Option("--as", help="Store the document under this id (one document only).")]
    = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Text encoding of the files, e.g. latin-1.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
    no_prepare: Annotated[bool, typer.Option("--no-prepare", help="Do not build the comparison index, "
                                             "similarity matrix and topic tags afterwards.")] = False,
) -> None:
    """Import constitutions (format recognised from the content), then prepare what comparing them needs
    (kept on disk, so the studio and the compare commands start at once).  Exit 1 if any target failed."""
    from constitutions.importer import import_paths

    err = Console(stderr=True)
    with reporting(), Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("importing", total=None)

        def progress(done: int, total: int, target: str) -> None:
            name = target.rsplit("/", 1)[-1] if target else "done"
            bar.update(task, completed=done, total=total, description=f"importing {escape(name)[:40]}")

        report = import_paths(targets, as_id=as_id, encoding=encoding, progress=progress)
        prepared = None
        if not no_prepare and any(item.doc_id for item in report.items
                                  if item.outcome != "failed" and item.kind == "constitution"):
            from compare.prepare import prepare

            def on_step(name: str) -> None:
                bar.update(task, completed=0, total=None, description=f"preparing the {name}")

            prepared = prepare(on_step=on_step)
    if as_json:
        body: dict[str, Any] = {"ok": report.ok, "items": [item.to_dict() for item in report.items]}
        if report.nothing_found:
            body["error"] = f"{report.nothing_found}: {', '.join(targets)}"
        if prepared is not None:
            body["prepared"] = prepared.to_dict()
        print_json(body)
        if not report.ok:
            raise typer.Exit(1)
        return
    table = Table(title="Import", title_justify="left")
    for column in ("target", "document", "version", "outcome"):
        table.add_column(column, overflow="fold")
    styles = {"new": "green", "new-version": "green", "unchanged": "dim", "skipped": "yellow", "failed": "red"}
    for item in report.items:
        version = f"{item.version} (#{item.version_no})" if item.version_no else item.version
        outcome = item.outcome + (f": {item.reason}" if item.reason else "")
        document = f"{item.doc_id} (commentary)" if item.kind == "commentary" else item.doc_id or ""
        table.add_row(escape(item.target), escape(document), escape(version),
                      f"[{styles[item.outcome]}]{escape(outcome)}[/]")
    _out().print(table)
    if prepared is not None:
        done = ", ".join(f"{s.name} {s.seconds:.1f} s" for s in prepared.steps if s.ok)
        if done:
            typer.echo(f"Prepared for comparison: {done}.")
        for step in prepared.steps:
            if not step.ok:
                typer.echo(f"note: the {step.name} was not prepared ({step.error}); "
                           "the tools that need it will try again when used.", err=True)
    if not report.ok:
        for item in report.failed:
            typer.echo(f"error: {item.reason}", err=True)
        if report.nothing_found:
            typer.echo(f"error: {report.nothing_found}: {', '.join(targets)}", err=True)
        raise typer.Exit(1)


# ---------------------------------------------------------------- list


def list_command(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """The imported documents (current version of each)."""
    with reporting():
        docs = Store().documents()
    if as_json:
        print_json([d.to_dict() for d in docs])
        return
    if not docs:
        typer.echo("No documents yet: import one with `convene import PATH_OR_URL`.")
        return
    table = Table()
    for column in ("id", "title", "version", "versions", "provisions", "words", "format"):
        table.add_column(column, overflow="fold")
    for d in docs:
        table.add_row(escape(d.id), escape(d.title), escape(d.version), str(d.versions), f"{d.provisions:,}",
                      f"{d.words:,}", d.format)
    _out().print(table)


# ---------------------------------------------------------------- show / cite


def _locate(doc: Document, citation: str) -> Located:
    """A provision by eId (``art_1__sec_8``) or by citation as people write it."""
    if citation in doc.index:
        return doc.locate(citation)
    from constitutions.resolve import resolve

    return resolve(doc, citation)


def node_json(node: Provision, citations: dict[str, str]) -> dict[str, Any]:
    """A provision and its subtree in the ``show --json`` shape."""
    return {"id": node.eid, "citation": citations.get(node.eid, ""), "kind": node.kind.value, "num": node.num,
            "heading": node.heading, "text": node.text,
            "status": {"state": node.status.state.value, "note": node.status.note}, "meta": dict(node.meta),
            "children": [node_json(child, citations) for child in node.children]}


def document_json(doc: Document, citations: dict[str, str]) -> dict[str, Any]:
    """The whole document: the node shape (kind ``document``, citation = title) plus its metadata."""
    return {**doc.metadata_dict(), "id": doc.id, "citation": doc.title, "kind": "document", "num": "",
            "heading": doc.title, "text": "", "status": {"state": "in_force", "note": ""},
            "children": [node_json(p, citations) for p in doc.provisions]}


def _outline(nodes: tuple[Provision, ...], citations: dict[str, str], depth: int, lines: list[str]) -> None:
    for node in nodes:
        indent = "  " * depth
        label = citations.get(node.eid) or node.eid
        cited_by_heading = not node.num and label == f"“{readable_heading(node.heading)}”"
        head = f"{indent}{label}" + (f" — {node.heading}" if node.heading and not cited_by_heading else "")
        if not node.status.in_force:
            head += f"  [{node.status.state.value}{': ' + node.status.note if node.status.note else ''}]"
        lines.append(head)
        for para in node.text.split("\n\n") if node.text else ():
            lines.append(textwrap.fill(para, width=100, initial_indent=indent + "    ",
                                       subsequent_indent=indent + "    ", break_on_hyphens=False))
        _outline(node.children, citations, depth + 1, lines)


def show_command(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help='Document id, e.g. us, us-ca; or "ID:CITATION".')],
    citation: Annotated[str | None, typer.Argument(metavar="[CITATION]", help='e.g. "Art. I, § 8" or an eId.')]
    = None,
    version: Annotated[int | None, typer.Option("--version", help="Stored version number (default: current).")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="The node and its subtree as JSON.")] = False,
) -> None:
    """A document, or one provision of it, with its subtree."""
    doc_id, citation = doc_and_citation(doc_id, citation)
    with reporting():
        store = Store()
        doc = store.get(doc_id, version)
        located = _locate(doc, citation) if citation else None
        citations = store.citations(doc_id, version)
    if as_json:
        print_json(node_json(located.provision, citations) if located else document_json(doc, citations))
        return
    lines: list[str] = []
    if located is None:
        lines.append(doc.title)
        lines.append(f"{doc.id} · version {doc.version or '-'} · {doc.format} · {doc.source}")
        lines.append("")
        _outline(doc.provisions, citations, 0, lines)
    else:
        _outline((located.provision,), citations, 0, lines)
    typer.echo("\n".join(lines))


def cite_command(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help='Document id, or "ID:CITATION" in one argument.')],
    citation: Annotated[str | None, typer.Argument(metavar="[CITATION]", help='e.g. "Art. I, § 9, cl. 2".')]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Resolve a citation: print the provision's eId and canonical citation."""
    from constitutions.canonical import canonical

    doc_id, citation = doc_and_citation(doc_id, citation)
    with reporting():
        if citation is None:
            raise CitationError(f"no citation given: write `convene cite {doc_id} \"Art. 1\"` or "
                                f"`convene cite \"{doc_id}:Art. 1\"`")
        doc = Store().get(doc_id)
        located = _locate(doc, citation)
        eid, cited = located.provision.eid, canonical(doc, located.provision.eid)
        if as_json:
            print_json({"document": doc.id, "id": eid, "citation": cited, "kind": located.provision.kind.value})
        else:
            typer.echo(f"{eid}\t{cited}")


# ---------------------------------------------------------------- search


def search_command(
    query: Annotated[str, typer.Argument(metavar="QUERY", help='Words, "a phrase", prefix*, a OR b.')],
    doc: Annotated[list[str] | None, typer.Option("--doc", metavar="ID", help="Only this document (repeatable).")]
    = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Most hits to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Full-text search over the current version of every document."""
    with reporting():
        hits = Store().search(query, doc_ids=doc or None, limit=limit)
    if as_json:
        print_json([h.to_dict() for h in hits])
        return
    if not hits:
        typer.echo("No matches.")
        return
    console = _out()
    for hit in hits:
        snippet = escape(hit.snippet.replace("\n", " ")).replace(MARK_OPEN, "[bold]").replace(MARK_CLOSE, "[/bold]")
        console.print(f"[cyan]{hit.doc_id}[/cyan] {escape(hit.citation or hit.eid)}"
                      + (f" — {escape(hit.heading)}" if hit.heading else "") + f"  [dim]({hit.eid})[/dim]")
        console.print(f"    {snippet}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("list")(list_command)
    app.command("show")(show_command)
    app.command("cite")(cite_command)
    app.command("search")(search_command)
    from constitutions import commentary_cli

    commentary_cli.register(app)
