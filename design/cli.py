"""Command line of the design tools: ``convene apportion``, ``convene pr`` and ``convene topic``.

Every command prints a table by default and JSON with ``--json``.  Bad input is reported as
``error: [E6xx] ...`` on standard error with exit status 1 (``convene.clitools.EXIT_ERROR``); nothing
else escapes.  Every name that comes from the user (states, parties, file names) is printed literally:
it is escaped before it reaches Rich, so ``[/]`` or ``[bold]`` in a CSV is shown, not interpreted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from convene.clitools import EXIT_ERROR
from convene.errors import ConveneError, ValidationError


def _console() -> Console:
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 120, highlight=False)


def _fail(exc: ConveneError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=EXIT_ERROR)  # the status every convene command uses (convene.clitools)


def _emit_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _load_populations(census: int | None, populations: Path | None):
    """(populations, census used for names and today's seats or None, label of the source)."""
    from design.census import load_census, read_counts_csv

    if populations is not None and census is not None:
        raise ValidationError("give either --census or --populations, not both", code="E603")
    if populations is not None:
        counts = read_counts_csv(populations, value_label="population", positive=True)
        reference = load_census(2020)
        codes = {name: reference.code_for(name) for name in counts}
        if all(codes.values()):  # a file of US states: each may be named once, by code or by name
            first: dict[str, str] = {}
            for name, code in codes.items():
                if code in first:
                    raise ValidationError(f"{first[code]!r} and {name!r} both name {reference.names[code]} ({code}): "
                                          f"list each state once", source=str(populations), code="E605")
                first[code] = name
            return counts, reference, codes, str(populations)
        return counts, None, {}, str(populations)
    data = load_census(2020 if census is None else census)
    return dict(data.populations), data, {c: c for c in data.populations}, f"{data.year} census"


def _change(new: int, old: int | None) -> str:
    if old is None:
        return ""
    diff = new - old
    return f"{diff:+d}" if diff else "0"


def _seats_table(title: str, populations: Mapping[str, int], seats: Mapping[str, int], census, codes,
                 extra: Mapping[str, str] | None = None, extra_label: str = "") -> Table:
    table = Table(title=title)
    table.add_column("State")
    table.add_column("Population", justify="right")
    if extra:
        table.add_column(extra_label, justify="right")
    table.add_column("Seats", justify="right")
    if census is not None:
        table.add_column("House 2020", justify="right")
        table.add_column("Change", justify="right")
    for state, pop in populations.items():
        code = codes.get(state)
        label = f"{census.names[code]} ({code})" if census is not None and code else state
        row = [escape(label), f"{pop:,}"]
        if extra:
            row.append(extra.get(state, ""))
        row.append(str(seats[state]))
        if census is not None:
            old = census.house.get(code) if code else None
            row += [str(old) if old is not None else "", _change(seats[state], old)]
        table.add_row(*row)
    return table


def register(app: typer.Typer) -> None:
    @app.command("apportion")
    def apportion_command(
        method: str = typer.Option(None, "--method", "-m",
                                   help="huntington-hill (default), webster, jefferson, adams, hamilton "
                                        "(aliases: sainte-lague, dhondt, largest-remainder...)"),
        seats: int = typer.Option(None, "--seats", "-s", help="House size (default 435)."),
        per: int = typer.Option(None, "--per", help="One seat per this many people (instead of --seats)."),
        rounding: str = typer.Option(None, "--rounding",
                                     help="With --per: round (nearest, halves up; default), floor or ceil."),
        min_seats: int = typer.Option(1, "--min", help="Minimum seats per state."),
        max_seats: int = typer.Option(None, "--max", help="Maximum seats per state."),
        census: int = typer.Option(None, "--census", help="Census year of the shipped populations (2020)."),
        populations: Path = typer.Option(None, "--populations", "-p",
                                          help="CSV with a header: state,population."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        details: bool = typer.Option(False, "--details",
                                     help="Also the priority list (divisor methods) or quotas (Hamilton)."),
    ) -> None:
        """Apportion a house among states: a fixed number of seats by a method, or one seat per N people.

        JSON: {"seats": {state: seats}, "ties": [...], ...}; --details adds the priority list."""
        from design.apportion import apportion, seats_per_population

        try:
            pops, reference, codes, source = _load_populations(census, populations)
            if per is not None:
                if seats is not None or method is not None:
                    raise ValidationError("--per sets the house size by rule: do not combine it with --seats "
                                          "or --method", code="E603")
                if details:
                    raise ValidationError("--details applies only to --seats (a rule has no priority list)",
                                          code="E603")
                rule = seats_per_population(pops, per, min_seats=min_seats, max_seats=max_seats,
                                            rounding="round" if rounding is None else rounding)
            else:
                if rounding is not None:
                    raise ValidationError("--rounding applies only to --per (a method rounds its own way)",
                                          code="E603")
                result = apportion(pops, 435 if seats is None else seats,
                                   method="huntington-hill" if method is None else method,
                                   min_seats=min_seats, max_seats=max_seats)
        except ConveneError as exc:
            raise _fail(exc) from None
        console = _console()
        if per is not None:
            if as_json:
                _emit_json({"source": source, **rule.to_dict()})
                return
            quotients = {s: f"{float(rule.quotient(s)):.2f}" for s in pops}
            bounds = f", at least {min_seats}" + (f", at most {max_seats}" if max_seats is not None else "")
            console.print(_seats_table(f"One seat per {per:,} people{bounds} ({rule.rounding}); {escape(source)}",
                                       pops, rule.seats, reference, codes, quotients, "People / N"))
            console.print(f"Total seats: {rule.total}")
            if rule.at_minimum:
                console.print(f"Raised to the minimum: {', '.join(rule.at_minimum)}", markup=False)
            if rule.at_maximum:
                console.print(f"Held to the maximum: {', '.join(rule.at_maximum)}", markup=False)
            return
        if as_json:
            _emit_json({"source": source, **result.to_dict(details=details)})
            return
        quotas = {s: f"{float(result.standard_quota(s)):.3f}" for s in pops}
        console.print(_seats_table(f"{result.method}: {result.house_size} seats, min {min_seats}"
                                   + (f", max {max_seats}" if max_seats is not None else "") + f"; {escape(source)}",
                                   pops, result.seats, reference, codes, quotas, "Quota"))
        console.print(f"Seats assigned: {result.assigned} of {result.house_size}")
        for tie in result.ties:
            console.print(f"[bold red]TIE[/]: {tie.seats} seat(s) undecided between "
                          f"{escape(', '.join(tie.candidates))} "
                          f"(equal value {tie.value:,.6f}); the law must say how to break it")
        if details:
            _print_details(console, result)
        elif result.awards:
            last = result.awards[-1]
            console.print(f"Last seat ({last.number}): {last.state} (priority {last.priority:,.2f})", markup=False)
            if result.next_awards:
                nxt = result.next_awards[0]
                console.print(f"Next in line ({nxt.number}): {nxt.state} (priority {nxt.priority:,.2f})",
                              markup=False)

    @app.command("pr")
    def pr_command(
        votes: Path = typer.Option(..., "--votes", "-v", help="CSV with a header: party,votes."),
        seats: int = typer.Option(..., "--seats", "-s", help="Seats to fill."),
        method: str = typer.Option("dhondt", "--method", "-m",
                                   help="dhondt, sainte-lague, modified-sainte-lague or hare."),
        threshold: str = typer.Option("0", "--threshold", "-t", help="Percent of valid votes needed (e.g. 5)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        details: bool = typer.Option(False, "--details", help="Also the quotient behind each seat."),
    ) -> None:
        """Seats for party lists by proportional representation, after a threshold."""
        from design.census import read_counts_csv
        from design.pr import allocate

        try:
            result = allocate(read_counts_csv(votes, value_label="votes"), seats, method=method,
                              threshold=threshold)
        except ConveneError as exc:
            raise _fail(exc) from None
        if as_json:
            _emit_json({"source": str(votes), **result.to_dict(details=details)})
            return
        console = _console()
        table = Table(title=f"{result.method}: {seats} seats, threshold {float(result.threshold):g} %; "
                            f"{escape(str(votes))}")
        for name in ("Party", "Votes", "Vote %", "Seats", "Seat %", "Note"):
            table.add_column(name, justify="left" if name in ("Party", "Note") else "right")
        for party, count in result.votes.items():
            note = "below threshold" if party in result.excluded else ""
            table.add_row(escape(party), f"{count:,}", f"{result.vote_share(party):.2f}", str(result.seats[party]),
                          f"{result.seat_share(party):.2f}", note)
        console.print(table)
        for tie in result.ties:
            console.print(f"[bold red]TIE[/]: {tie.seats} seat(s) undecided between "
                          f"{escape(', '.join(tie.candidates))} "
                          f"(equal value {tie.value:,.6f}); the law must say how to break it")
        if details:
            _print_details(console, result.allocation)

    from design.explorer import register_topic_command

    register_topic_command(app)


def _print_details(console: Console, result) -> None:
    if result.quotas:
        table = Table(title="Quotas and remainders")
        for name in ("State", "Quota", "Whole part", "Remainder", "Remainder seat", "Fixed by"):
            table.add_column(name, justify="left" if name == "State" else "right")
        for row in result.quotas:
            table.add_row(escape(row.state), f"{float(row.quota):.4f}", str(row.lower), f"{float(row.remainder):.4f}",
                          "yes" if row.extra else "", row.fixed)
        console.print(table)
        return
    table = Table(title="Priority list")
    for name in ("Seat", "State", "State's seat", "Divisor", "Priority value"):
        table.add_column(name, justify="left" if name == "State" else "right")
    for award in (*result.awards, *result.next_awards):
        marker = " (next)" if award in result.next_awards else ""
        table.add_row(f"{award.number}{marker}", escape(award.state), str(award.seat), f"{award.divisor:.6f}",
                      f"{award.priority:,.2f}" + (" tied" if award.tied else ""))
    console.print(table)
