"""``convene draft ...``: create, revise, compare, export and import drafts.

Every command prints a person-readable result, or JSON with ``--json``.  The author
comes from ``--author`` or the ``CONVENE_AUTHOR`` setting.  Exit status: 0 success,
3 conflict (the refused change is kept: ``convene draft rejected DRAFT``), 2 any
other error (one line on stderr).  Provisions are named by their stable id or by
their current eId (``art_2__sec_1``).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from compare.diff import for_display
from constitutions.model import Kind
from convene import settings
from convene.clitools import reporting
from convene.errors import NotFoundError, StoreError, ValidationError
from convene.files import write_atomically
from drafting.model import Draft
from drafting.ops import UNSET, Delete, Edit, Move, Operation, Write

draft_app = typer.Typer(name="draft", help="Assemble, revise, trace and export a draft constitution.",
                        no_args_is_help=True)

AUTHOR = typer.Option(None, "--author", help="Who makes the change (default: CONVENE_AUTHOR).")
JSON = typer.Option(False, "--json", help="Print JSON.")
BASE = typer.Option(None, "--base", help="Revision the change is based on (refused if others changed the same "
                                         "provisions since).")
PARENT = typer.Option(None, "--parent", help="Parent provision id or eId ('top' for the top level).")
POSITION = typer.Option(None, "--position", min=1, help="1-based position among the siblings (default: last).")


def register(app: typer.Typer) -> None:
    app.add_typer(draft_app, name="draft")


def _store():
    from drafting.store import DraftStore

    return DraftStore()


def _emit(as_json: bool, data: Any, human: str) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1) if as_json else human)


def _run(fn: Callable[[], None]) -> None:
    with reporting():
        fn()


def _pid(draft: Draft, ref: str | None) -> str | None:
    """A provision id from an id or a current eId; None for None or 'top'."""
    if ref is None or ref in ("top", ""):
        return None
    if ref in draft.nodes:
        return ref
    for item in draft.walk():
        if item.eid == ref:
            return item.id
    raise NotFoundError(f"no provision {ref!r} in draft {draft.id} (give its id or eId; see `convene draft show`)",
                        source=draft.id)


def _changed(draft_id: str, op_builder: Callable[[Draft], Operation], base: int | None, author: str | None,
             as_json: bool) -> None:
    """Build the operation from the draft as the author saw it (revision ``base``, when given) and apply it.
    eIds change as provisions move, so ``art_2`` must mean what it meant at ``base``, not at the current
    revision; and a provision deleted since ``base`` is still found, so the store refuses the change as a
    conflict and keeps it instead of the command failing and losing what was typed."""
    store = _store()
    current = store.get(draft_id)
    seen = current
    if base is not None and 0 <= base < current.revision:
        seen = store.get(draft_id, base)
    op = op_builder(seen)
    before = current.revision
    after = store.apply(draft_id, op, base=base, author=author)
    _report(store, after, before, as_json)


def _report(store, after: Draft, before: int, as_json: bool) -> None:
    if after.revision == before:
        _emit(as_json, {"draft": after.id, "revision": after.revision, "changed": False},
              f"Nothing changed; draft {after.id} stays at revision {after.revision}.")
        return
    rev = store.revision(after.id, after.revision)
    changed = set(rev.touched)
    touched = [p.label or p.id for p in after.walk() if p.id in changed]  # in the draft's order
    _emit(as_json, {"draft": after.id, "revision": after.revision, "changed": True, "description": rev.description,
                    "touched": list(rev.touched)},
          f"Revision {after.revision} of {after.id}: {rev.description}"
          + (f" [{', '.join(touched[:8])}{'...' if len(touched) > 8 else ''}]" if touched else ""))


@draft_app.command("new")
def new(title: str, author: str = AUTHOR, article_style: str = typer.Option("roman", help="roman or arabic"),
        as_json: bool = JSON) -> None:
    """Create an empty draft and print its id."""
    from drafting.numbering import Style

    def go() -> None:
        style = Style.of({"article": article_style}) if article_style != "roman" else Style()
        draft = _store().create(title, author=author, style=style)
        _emit(as_json, {"id": draft.id, "title": draft.title, "revision": draft.revision}, draft.id)

    _run(go)


@draft_app.command("list")
def list_(as_json: bool = JSON) -> None:
    """Every draft, most recently changed first."""

    def go() -> None:
        drafts = _store().list()
        lines = [f"{d.id}  r{d.revision:<5} {d.provisions:>5} provisions  {d.updated}  {d.title}" for d in drafts]
        _emit(as_json, [d.to_dict() for d in drafts], "\n".join(lines) or "No drafts yet: `convene draft new TITLE`.")

    _run(go)


@draft_app.command("adopt")
def adopt(draft: str, reference: str, parent: str = PARENT, position: int = POSITION, base: int = BASE,
          author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Adopt a provision of an imported constitution, with its subtree: DOC:CITATION."""
    from drafting.sources import adoption

    _run(lambda: _changed(draft, lambda d: adoption(reference, parent=_pid(d, parent), position=position), base,
                          author, as_json))


@draft_app.command("write")
def write(draft: str, heading: str = typer.Option("", "--heading"), text: str = typer.Option("", "--text"),
          kind: str = typer.Option("article", "--kind", help="article, section, subsection, clause, preamble..."),
          rationale: str = typer.Option("", "--rationale"), tag: list[str] = typer.Option([], "--tag"),
          parent: str = PARENT, position: int = POSITION, base: int = BASE, author: str = AUTHOR,
          as_json: bool = JSON) -> None:
    """Write a new provision."""

    def build(d: Draft) -> Operation:
        try:
            k = Kind(kind)
        except ValueError:
            raise ValidationError(f"unknown kind {kind!r}; one of {', '.join(k.value for k in Kind)}") from None
        return Write(kind=k, heading=heading, text=text, parent=_pid(d, parent), position=position,
                     rationale=rationale, tags=tuple(tag))

    _run(lambda: _changed(draft, build, base, author, as_json))


@draft_app.command("edit")
def edit(draft: str, provision: str, base: int = typer.Option(..., "--base", help="Revision you edited."),
         heading: str = typer.Option(None, "--heading"), text: str = typer.Option(None, "--text"),
         rationale: str = typer.Option(None, "--rationale"),
         status: str = typer.Option(None, "--status", help="proposed, agreed or struck"),
         tag: list[str] = typer.Option(None, "--tag", help="Replace the tags (repeat)."),
         clear_tags: bool = typer.Option(False, "--clear-tags", help="Remove every tag."),
         author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Change a provision's heading, text, rationale, status or tags."""

    def build(d: Draft) -> Operation:
        def val(v: Any) -> Any:
            return UNSET if v is None else v

        if clear_tags and tag:
            raise ValidationError("--tag and --clear-tags contradict each other: give one", source="--clear-tags")
        tags = () if clear_tags else tuple(tag) if tag else UNSET
        return Edit(_pid(d, provision) or provision, heading=val(heading), text=val(text), rationale=val(rationale),
                    status=val(status), tags=tags)

    _run(lambda: _changed(draft, build, base, author, as_json))


@draft_app.command("move")
def move(draft: str, provision: str, parent: str = PARENT, position: int = POSITION, base: int = BASE,
         author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Move a provision (and its subtree); numbers follow automatically."""
    _run(lambda: _changed(draft, lambda d: Move(_pid(d, provision) or provision,
                                                parent=UNSET if parent is None else _pid(d, parent),
                                                position=position), base, author, as_json))


@draft_app.command("delete")
def delete(draft: str, provision: str, base: int = BASE, author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Delete a provision and its subtree (undo brings it back)."""
    _run(lambda: _changed(draft, lambda d: Delete(_pid(d, provision) or provision), base, author, as_json))


def _special(draft: str, action: str, base: int | None, author: str | None, as_json: bool,
             revision: int | None = None) -> None:
    store = _store()
    before = store.head(draft)
    if action == "restore":
        after = store.restore(draft, revision or 0, base=base, author=author)
    else:
        after = getattr(store, action)(draft, base=base, author=author)
    _report(store, after, before, as_json)


@draft_app.command("undo")
def undo(draft: str, base: int = BASE, author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Undo the latest change (as a new revision)."""
    _run(lambda: _special(draft, "undo", base, author, as_json))


@draft_app.command("redo")
def redo(draft: str, base: int = BASE, author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Redo the latest undone change."""
    _run(lambda: _special(draft, "redo", base, author, as_json))


@draft_app.command("restore")
def restore(draft: str, revision: int, base: int = BASE, author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Make the draft read as at REVISION again (a new revision; history is kept)."""
    _run(lambda: _special(draft, "restore", base, author, as_json, revision))


@draft_app.command("show")
def show(draft: str, revision: int = typer.Option(None, "--revision"), as_json: bool = JSON) -> None:
    """The draft as an outline (ids, numbers, status, origin), or its full JSON."""

    def go() -> None:
        d = _store().get(draft, revision)
        if as_json:
            _emit(True, d.to_dict(), "")
            return
        lines = [f"{d.title}  ({d.id}, revision {d.revision}, {len(d.nodes)} provisions)"]
        for item in d.walk():
            depth = 0
            node = item.node
            cursor = node.parent
            while cursor is not None:
                depth += 1
                cursor = d.nodes[cursor].parent
            origin = (f"  <- {node.origin.citation or node.origin.document + ':' + node.origin.eid}"
                      if node.origin.adopted else "")
            heading = f" {node.heading}" if node.heading else ""
            lines.append(f"{'  ' * depth}{item.label or node.kind.value}{heading}  [{node.id}] "
                         f"{node.status.value}{origin}")
        typer.echo("\n".join(lines))

    _run(go)


@draft_app.command("history")
def history(draft: str, as_json: bool = JSON) -> None:
    """Every revision: number, author, time, description."""

    def go() -> None:
        revs = _store().history(draft)
        _emit(as_json, [r.to_dict() for r in revs],
              "\n".join(f"r{r.rev:<5} {r.at}  {r.author:<14} {r.description}" for r in revs))

    _run(go)


@draft_app.command("compare")
def compare(draft: str, rev_a: int, rev_b: int, as_json: bool = JSON) -> None:
    """What changed between two revisions, provision by provision, word by word."""
    from drafting.history import compare_drafts

    def go() -> None:
        store = _store()
        result = compare_drafts(store.get(draft, rev_a), store.get(draft, rev_b))
        lines = [f"Draft {draft}: revision {rev_a} -> {rev_b}, {len(result.changes)} provision(s) changed"]
        for change in result.changes:
            lines.append(f"{change.change.upper():8} {change.label or change.id} [{change.id}]")
            for f in change.fields:
                if f.segments:
                    shown = "".join(s.text if s.op == "equal" else ("[-" if s.op == "delete" else "{+") + s.text
                                    + ("-]" if s.op == "delete" else "+}") for s in for_display(f.segments))
                    lines.append(f"    {f.field}: {shown[:2000]}")
                else:
                    lines.append(f"    {f.field}: {f.before} -> {f.after}")
        _emit(as_json, result.to_dict(), "\n".join(lines))

    _run(go)


@draft_app.command("export")
def export(draft: str, fmt: str = typer.Option(..., "--format", "-f", help="md, html, pdf, docx, akn or json"),
           output: str = typer.Option(..., "-o", "--output", help="File to write (a new or regular file)."),
           provenance: bool = typer.Option(False, "--provenance", help="Append the provenance annex."),
           history: bool = typer.Option(False, "--history", help="Append the revision history (who changed what, "
                                                                 "when) up to the revision exported."),
           revision: int = typer.Option(None, "--revision"), as_json: bool = JSON) -> None:
    """Write the draft as Markdown, HTML, PDF, DOCX, Akoma Ntoso or JSON."""
    from drafting.export import export as do_export

    def go() -> None:
        store = _store()
        d = store.get(draft, revision)
        path = output_path(output)
        revisions = [r for r in store.history(d.id) if r.rev <= d.revision] if history else None
        data = do_export(d, fmt, provenance=provenance, history=revisions)
        write_replacing(path, data)
        _emit(as_json, {"draft": d.id, "revision": d.revision, "format": fmt, "file": str(path),
                        "bytes": len(data), **({"history": len(revisions)} if revisions is not None else {})},
              f"Wrote {path} ({fmt}, {len(data):,} bytes, revision {d.revision}"
              + (f", {len(revisions)} revisions of history" if revisions is not None else "") + ")")

    _run(go)


def _what(path: Path, mode: int) -> str:
    """``"a directory"``, ``"a symbolic link (to x.md)"``...: what a file that is not a regular file is."""
    if stat.S_ISLNK(mode):
        try:
            return f"a symbolic link (to {os.readlink(path)})"
        except OSError:
            return "a symbolic link"
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def output_path(raw: str) -> Path:
    """The file ``-o`` names.  Guarantee: it is either absent or a regular file (never followed through a
    symbolic link); an empty name, a directory (``out/``, ``.``), a link, a device, a FIFO or a socket
    raises :class:`~convene.errors.ValidationError` saying what it is."""
    if not raw.strip():
        raise ValidationError("no output file: -o needs a file name, e.g. -o draft.md", source="-o")
    path = Path(raw)
    if raw.endswith(("/", os.sep)) or path.name in ("", ".", ".."):
        raise ValidationError("names a directory, not a file: give a file name, e.g. -o DIR/draft.md", source=raw)
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise StoreError(f"cannot write: {exc.strerror or exc}", source=raw) from None
    if not stat.S_ISREG(mode):
        raise ValidationError(f"is {_what(path, mode)}, not a regular file; export only creates a file or replaces "
                              "a regular one: choose another name", source=raw)
    return path


def write_replacing(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with :func:`convene.files.write_atomically` (no existing file or link is
    written through; on failure nothing is left behind and ``path`` is untouched), a failure being a
    StoreError naming ``path``."""
    try:
        write_atomically(path, lambda fh: fh.write(data))
    except OSError as exc:
        raise StoreError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None


@draft_app.command("import")
def import_(file: Path, author: str = AUTHOR, as_json: bool = JSON) -> None:
    """Import a draft from Convene JSON or Akoma Ntoso XML as a new draft."""
    from drafting.sources import read_draft_file

    def go() -> None:
        draft = read_draft_file(file)
        stored = _store().import_draft(draft, author=author or settings.author(), source=file.name)
        _emit(as_json, {"id": stored.id, "title": stored.title, "revision": stored.revision,
                        "provisions": len(stored.nodes)},
              f"{stored.id}  ({len(stored.nodes)} provisions, revision {stored.revision})")

    _run(go)


@draft_app.command("rejected")
def rejected(draft: str, as_json: bool = JSON) -> None:
    """Changes refused for conflicts, kept verbatim."""

    def go() -> None:
        items = _store().rejected(draft)
        lines = [f"#{r.id} {r.at} {r.author} (based on r{r.base}, draft was at r{r.head}): {r.reason}\n    "
                 + json.dumps(r.change, ensure_ascii=False)[:2000] for r in items]
        _emit(as_json, [r.to_dict() for r in items], "\n".join(lines) or "No rejected changes.")

    _run(go)
