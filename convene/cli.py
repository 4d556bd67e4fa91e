"""The ``convene`` command.  Each area registers its own commands:
``constitutions.cli`` (import, list, show, cite, search, commentary), ``compare.cli``
(align, similar, matrix, diff, topics), ``drafting.cli`` (draft ...) and
``design.cli`` (topic, apportion)."""

from __future__ import annotations

import importlib
import sys

import typer

from convene.clitools import EXIT_ERROR
from convene.errors import ConveneError

app = typer.Typer(name="convene", help="Read, compare and draft constitutions.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)

AREAS = ("constitutions.cli", "compare.cli", "drafting.cli", "design.cli")
for _name in AREAS:
    importlib.import_module(_name).register(app)


def main() -> None:
    try:
        app()
    except ConveneError as exc:  # commands report these themselves (convene.clitools); this is the last net
        typer.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
