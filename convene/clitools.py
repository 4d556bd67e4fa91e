"""What every ``convene`` command shares: one way to report errors, and JSON output.

Exit status: 0 success, 1 any Convene error (one line on stderr, ``error: [E...]
source: reason``, never a traceback), 3 a draft conflict (what changed meanwhile,
and where the refused change was kept).  JSON goes to stdout and nothing else does,
so it can be piped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from convene.errors import ConflictError, ConveneError

EXIT_ERROR = 1
EXIT_CONFLICT = 3


@contextmanager
def reporting() -> Iterator[None]:
    """Turn a ConveneError raised inside the block into its message and exit status."""
    try:
        yield
    except ConflictError as exc:
        typer.echo(f"conflict: {exc}", err=True)
        for line in exc.changes:
            typer.echo(f"  {line}", err=True)
        if exc.rejected.get("id"):
            typer.echo(f"Your change was kept as rejected change #{exc.rejected['id']}: "
                       f"see `convene draft rejected {exc.source}`.", err=True)
        raise typer.Exit(EXIT_CONFLICT) from None
    except ConveneError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None


def print_json(data: Any, *, indent: int = 2) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=indent))
