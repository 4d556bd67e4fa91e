"""Populations to apportion: the 2020 census as shipped data, and the user's own CSV files.

``design/data/census2020.csv`` holds the apportionment populations of the 50 states and the
representatives each received, from U.S. Census Bureau, "Table 1. Apportionment Population and
Number of Representatives by State: 2020 Census" (released April 26, 2021); its header comment
names the source.  :func:`load_census` reads it.

:func:`read_counts_csv` reads a user's file of names and whole numbers (populations of states,
votes of parties) with a header row.  It raises :class:`convene.errors.ValidationError` naming the
file, the line and the problem for anything malformed; it never returns partial data.  Numbers are
written with the ASCII digits 0-9 only (a superscript ``²`` or Arabic-Indic ``١٢٣`` is refused, not
guessed at), grouped by threes if a separator is used (``12,5`` is refused, not read as 125), and are
at most :data:`design.apportion.MAX_COUNT`.  A file whose first row is data rather than a header is
refused, and two names that differ only in case or spacing (``California``, ``california``) are
refused as a duplicate.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

from convene.errors import ValidationError
from design.apportion import MAX_COUNT, repeated_name

DATA_DIR = Path(__file__).resolve().parent / "data"
CENSUS_FILES = {2020: DATA_DIR / "census2020.csv"}
SENATORS_PER_STATE = 2  # U.S. Constitution, Art. I, sec. 3 and Amendment XVII
MAX_CSV_BYTES = 5 * 1024 * 1024

NAME_COLUMNS = ("state", "name", "party", "list", "district", "region", "code")
VALUE_COLUMNS = ("population", "votes", "count", "value")


@dataclass(frozen=True)
class Census:
    """One census: ``populations`` and ``house`` (seats received) keyed by two-letter code, in
    alphabetical order of state name; ``names`` maps codes to names.  The mappings of a loaded census
    are read-only (:func:`load_census` is cached: every caller shares them)."""

    year: int
    source: str
    populations: Mapping[str, int] = field(hash=False)
    house: Mapping[str, int] = field(hash=False)
    names: Mapping[str, str] = field(hash=False)

    @property
    def total(self) -> int:
        return sum(self.populations.values())

    @property
    def senate(self) -> dict[str, int]:
        return dict.fromkeys(self.populations, SENATORS_PER_STATE)

    def code_for(self, label: str) -> str | None:
        """The code of a state given its code or name (case-insensitive), else None."""
        wanted = label.strip().lower()
        for code, name in self.names.items():
            if wanted in (code.lower(), name.lower()):
                return code
        return None


def census_years() -> tuple[int, ...]:
    return tuple(CENSUS_FILES)


@cache
def load_census(year: int = 2020) -> Census:
    """The shipped census of ``year`` (only 2020 is shipped)."""
    path = CENSUS_FILES.get(year)
    if path is None:
        raise ValidationError(f"no census data for {year}; available: {', '.join(map(str, CENSUS_FILES))}",
                              code="E604")
    text = path.read_text(encoding="utf-8")
    comments = [line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")]
    source = comments[0].removeprefix("Source:").strip() if comments else ""
    rows = list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))
    # read-only views: the Census is cached and shared, so no caller may change another's figures
    return Census(year, source, MappingProxyType({r["code"]: int(r["population"]) for r in rows}),
                  MappingProxyType({r["code"]: int(r["representatives"]) for r in rows}),
                  MappingProxyType({r["code"]: r["state"] for r in rows}))


_MAX_DIGITS = len(str(MAX_COUNT))


# Digits grouped by threes with one kind of separator ("1,000,000", "1_000", "1 000"): anything else with a
# separator ("12,5", a decimal comma; "10,00,000"; "1,000_000") is refused rather than read as some number.
_GROUPED = re.compile(r"[0-9]{1,3}([,_ ])[0-9]{3}(?:\1[0-9]{3})*")


def _whole_number(raw: str, where: str) -> int:
    """The whole number ``raw`` (ASCII digits, optionally grouped by threes with ``,``, ``_`` or a space),
    at most MAX_COUNT."""
    stripped = raw.strip()
    quoted = repr(stripped) if len(stripped) <= 40 else repr(stripped[:40]) + "…"
    if not stripped:
        raise ValidationError(f"{where}: the number is missing", code="E605")
    digits = stripped.removeprefix("-")
    plain = digits.replace(",", "").replace("_", "").replace(" ", "")
    if plain.isdigit() and not plain.isascii():
        raise ValidationError(f"{where}: {quoted} is not written with the digits 0-9", code="E605")
    if not (plain.isascii() and plain.isdigit()):
        raise ValidationError(f"{where}: {quoted} is not a whole number", code="E605")
    if plain != digits and not _GROUPED.fullmatch(digits):
        raise ValidationError(f"{where}: {quoted} is not a whole number (a separator must group the digits by "
                              f"threes, as in 1,234,567; a decimal comma is not accepted)", code="E605")
    if stripped.startswith("-"):
        raise ValidationError(f"{where}: {quoted} is negative", code="E605")
    significant = plain.lstrip("0")
    if len(significant) > _MAX_DIGITS or int(significant or "0") > MAX_COUNT:
        raise ValidationError(f"{where}: {quoted} is over the limit of {MAX_COUNT:,}", code="E605")
    return int(significant or "0")


def _looks_like_data(row: list[str]) -> bool:
    """Whether a would-be header row reads as a (name, number) data row: no column title it could be."""
    try:
        _whole_number(row[1], "")
    except ValidationError:
        return False
    return True


def _header_example(value_label: str) -> str:
    """The header line a file of ``value_label`` counts is expected to start with."""
    return "party,votes" if value_label == "votes" else f"state,{value_label}"


def parse_counts_csv(text: str, *, source: str = "<csv>", value_label: str = "population",
                     positive: bool = False) -> dict[str, int]:
    """Names and whole numbers from CSV ``text``.  The first non-comment row is a header naming a name
    column (the first of ``state, name, party, list, district, region, code`` present) and a number column (one of
    ``population, votes, count, value``); without such names, a two-column header is taken as
    (name, number), unless its second cell is itself a whole number: a file without a header is refused
    (E605, "looks like data") rather than read without its first row.  Lines starting with ``#`` and blank
    lines are skipped; numbers may group their digits by threes with ``,``, ``_`` or a space
    (``"1,234,567"``), and any other use of a separator (a decimal comma ``"12,5"``) is refused.
    Zero is accepted (a party may poll nothing) unless ``positive`` (a
    state's population: then E602); negative numbers, missing or non-numeric values, numbers over
    MAX_COUNT, empty or duplicate names (ignoring case and spacing) raise ValidationError."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ValidationError("no rows: the file is empty", source=source, code="E605")
    try:
        rows = list(csv.reader(io.StringIO("\n".join(line for _, line in lines)), strict=True))
    except csv.Error as exc:
        raise ValidationError(f"malformed CSV: {exc}", source=source, code="E605") from exc
    if len(rows) != len(lines):  # a quoted field spanning lines: refuse rather than guess
        raise ValidationError("malformed CSV: a quoted field runs over a line end", source=source, code="E605")
    header = [h.strip().lower().removeprefix("\ufeff") for h in rows[0]]
    name_col = next((header.index(c) for c in NAME_COLUMNS if c in header), None)
    value_col = next((header.index(c) for c in VALUE_COLUMNS if c in header), None)
    if name_col is None or value_col is None:
        if len(header) != 2:
            raise ValidationError(f"header {rows[0]!r} names no name column ({', '.join(NAME_COLUMNS)}) and no "
                                  f"number column ({', '.join(VALUE_COLUMNS)})", source=source, code="E605")
        if name_col is None and _looks_like_data(rows[0]):  # reading it as a header would drop a row
            raise ValidationError(f"line {lines[0][0]} looks like data, not a header: the first row must name the "
                                  f"columns, e.g. {_header_example(value_label)}", source=source, code="E605")
        name_col, value_col = 0, 1
    counts: dict[str, int] = {}
    seen: dict[str, str] = {}
    for (line_no, _), row in zip(lines[1:], rows[1:], strict=True):
        where = f"line {line_no}"
        if len(row) <= max(name_col, value_col):
            raise ValidationError(f"{where}: expected at least {max(name_col, value_col) + 1} columns, "
                                  f"found {len(row)}", source=source, code="E605")
        name = row[name_col].strip()
        if not name:
            raise ValidationError(f"{where}: the name is empty", source=source, code="E605")
        if repeated := repeated_name(seen, name):
            raise ValidationError(f"{where}: {repeated}", source=source, code="E605")
        what = f"{where}, {value_label} of {name!r}"
        try:
            counts[name] = _whole_number(row[value_col], what)
        except ValidationError as exc:
            raise ValidationError(exc.message, source=source, code=exc.code) from None
        if positive and counts[name] == 0:
            raise ValidationError(f"{what} is 0: it must be positive", source=source, code="E602")
    if not counts:
        raise ValidationError("the file has a header but no rows", source=source, code="E605")
    return counts


def read_counts_csv(path: str | Path, *, value_label: str = "population", positive: bool = False) -> dict[str, int]:
    """:func:`parse_counts_csv` on a file (UTF-8, with or without BOM; at most 5 MB, of which no more
    than the limit plus one byte is ever read)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:  # never more than the limit: /dev/zero has no end and reports size 0
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise ValidationError(f"cannot read the file: {exc.strerror or exc}", source=str(path), code="E605") from exc
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(f"file is over the {MAX_CSV_BYTES:,}-byte limit", source=str(path), code="E605")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("not UTF-8 text: it is UTF-16 (it starts with a UTF-16 byte-order mark); save the "
                              "file as UTF-8", source=str(path), code="E605")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", source=str(path),
                              code="E605") from exc
    if "\x00" in text:
        raise ValidationError("binary data or UTF-16 text (it contains NUL bytes), not a UTF-8 CSV file",
                              source=str(path), code="E605")
    return parse_counts_csv(text, source=str(path), value_label=value_label, positive=positive)
