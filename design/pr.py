"""Proportional representation: seats for party lists from their votes.

:func:`allocate` applies an electoral threshold and then a highest-averages method (D'Hondt,
Sainte-Laguë, modified Sainte-Laguë with first divisor 1.4) or largest remainders (Hare quota),
using the exact engine of :mod:`design.apportion` (parties start with no seats, no maximum).

Guarantees:

- The threshold is a percentage of the valid votes, i.e. of all votes given in ``votes`` (parties
  under the threshold included).  A party qualifies when its share is at least the threshold
  (exactly 5 % passes a 5 % threshold); the comparison is exact (``votes * 100 >= threshold * total``
  with the threshold read as a decimal fraction).
- Ties for the last seat(s) are reported in ``ties`` and those seats left unassigned, as in
  :mod:`design.apportion`: never decided silently.
- The quotients behind every seat are in ``awards`` (divisor methods) or ``quotas`` (Hare).
- Bounds as in :mod:`design.apportion`: at most :data:`~design.apportion.MAX_SEATS` seats and
  :data:`~design.apportion.MAX_COUNT` votes per party; party names that differ only in case or spacing
  are one party listed twice.  The threshold is a finite decimal number with at most
  :data:`MAX_THRESHOLD_PLACES` decimal places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from convene.errors import ValidationError
from design.apportion import (
    MAX_COUNT,
    MAX_SEATS,
    Apportionment,
    apportion,
    get_method,
    over_seat_limit,
    repeated_name,
    shown,
)

MAX_THRESHOLD_PLACES = 30  # enough for any float a caller computes; 1e-999999999 would never finish

# The party-list methods, by their canonical name in design.apportion (whose aliases are all accepted:
# "d-hondt", "largest_remainders"...); Jefferson is D'Hondt and Webster is Sainte-Laguë.
PR_METHODS = {
    "dhondt": "dhondt",
    "jefferson": "dhondt",
    "sainte-lague": "sainte-lague",
    "webster": "sainte-lague",
    "modified-sainte-lague": "modified-sainte-lague",
    "hamilton": "hamilton",
}
PR_METHOD_NAMES = ("dhondt", "sainte-lague", "modified-sainte-lague", "hare")


def _pr_method(method: str) -> str:
    """The canonical party-list method for ``method`` or any alias :func:`design.apportion.get_method` knows."""
    try:
        name = get_method(method)
    except ValidationError:
        raise ValidationError(f"unknown proportional representation method {method!r}; known: "
                              f"{', '.join(PR_METHOD_NAMES)} (and their aliases)", code="E601") from None
    if name not in PR_METHODS:
        raise ValidationError(f"{name!r} is not a party-list method; use one of {', '.join(PR_METHOD_NAMES)}",
                              code="E601")
    return PR_METHODS[name]



@dataclass(frozen=True)
class PRResult:
    """Seats per party (every party listed, excluded ones with 0), which parties the threshold
    excluded (only parties under it: with no threshold, a party with no votes gets 0 seats without
    being listed in ``excluded``), and the allocation among the qualified parties with votes
    (``allocation``, with its awards, quotas and ties)."""

    method: str
    seats_total: int
    threshold: Fraction  # percent
    votes: Mapping[str, int] = field(hash=False)
    seats: Mapping[str, int] = field(hash=False)
    excluded: tuple[str, ...]
    allocation: Apportionment

    @property
    def valid_votes(self) -> int:
        return sum(self.votes.values())

    @property
    def ties(self):
        return self.allocation.ties

    @property
    def complete(self) -> bool:
        return self.allocation.complete

    def vote_share(self, party: str) -> float:
        """Percent of the valid votes."""
        return 100.0 * self.votes[party] / self.valid_votes

    def seat_share(self, party: str) -> float:
        return 100.0 * self.seats[party] / self.seats_total

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        out = {"method": self.method, "seats_total": self.seats_total, "threshold_percent": float(self.threshold),
               "valid_votes": self.valid_votes, "seats": dict(self.seats), "excluded": list(self.excluded),
               "ties": [t.to_dict() for t in self.ties], "unassigned": self.allocation.unassigned}
        if details:
            detail = self.allocation.to_dict(details=True)
            out["quotients"] = detail["priority_list"]
            out["quotas"] = detail["quotas"]
        return out


def _threshold(value: float | int | str | Fraction | Decimal) -> Fraction:
    """The threshold as an exact fraction of a percent: a finite number in [0, 100), with at most
    MAX_THRESHOLD_PLACES decimal places (checked on the decimal before any exact arithmetic, so that
    ``1e999999999`` is refused at once rather than expanded)."""
    shown_value = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
    if isinstance(value, Fraction):
        result = value
    else:
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError, TypeError):
            raise ValidationError(f"threshold {shown_value!r} is not a number", code="E606") from None
        if not number.is_finite():
            raise ValidationError(f"threshold {shown_value!r} is not a finite number", code="E606")
        if not 0 <= number < 100:
            raise ValidationError(f"threshold must be a percentage from 0 up to (not including) 100, "
                                  f"not {shown_value}", code="E606")
        _sign, digit_tuple, exponent = number.as_tuple()
        digits = "".join(map(str, digit_tuple))
        significant = digits.rstrip("0")
        exponent = int(exponent) + len(digits) - len(significant)  # trailing zeros do not count as places
        if significant and exponent < -MAX_THRESHOLD_PLACES:
            raise ValidationError(f"threshold {shown_value} has more than {MAX_THRESHOLD_PLACES} decimal places",
                                  code="E606")
        if not significant:
            result = Fraction(0)
        elif exponent >= 0:  # the value is under 100, so the exponent is small here
            result = Fraction(int(significant) * 10**exponent)
        else:
            result = Fraction(int(significant), 10**-exponent)
    if not 0 <= result < 100:
        raise ValidationError(f"threshold must be a percentage from 0 up to (not including) 100, not {shown_value}",
                              code="E606")
    return result


def allocate(votes: Mapping[str, int], seats: int, *, method: str = "dhondt",
             threshold: float | int | str | Fraction | Decimal = 0) -> PRResult:
    """Allocate ``seats`` among parties by ``votes`` (party -> whole number >= 0) after excluding the
    parties under ``threshold`` percent of the valid votes."""
    canonical = _pr_method(method)
    limit = _threshold(threshold)
    if not isinstance(votes, Mapping) or not votes:
        raise ValidationError("no parties given", code="E602")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        value = shown(seats) if isinstance(seats, int) else repr(seats)
        raise ValidationError(f"the number of seats must be a positive whole number, not {value}", code="E603")
    if seats > MAX_SEATS:
        raise ValidationError(over_seat_limit(seats), code="E603")
    clean: dict[str, int] = {}
    seen: dict[str, str] = {}
    for party, count in votes.items():
        name = str(party).strip()
        if not name:
            raise ValidationError("a party has an empty name", code="E602")
        if repeated := repeated_name(seen, name):
            raise ValidationError(f"party {repeated}", code="E602")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            value = shown(count) if isinstance(count, int) else repr(count)
            raise ValidationError(f"votes of {name!r} must be a whole number >= 0, not {value}", code="E602")
        if count > MAX_COUNT:
            raise ValidationError(f"votes of {name!r} are over the limit of {MAX_COUNT:,}", code="E602")
        clean[name] = count
    total = sum(clean.values())
    if total == 0:
        raise ValidationError("no valid votes: every party has 0", code="E602")
    excluded = tuple(p for p, v in clean.items() if v * 100 < limit * total)
    # a party with no votes can win no seat under these methods; it is left out of the allocation
    # (which needs positive counts) but is not "excluded" by a threshold it did not fail
    qualified = {p: v for p, v in clean.items() if v > 0 and p not in excluded}
    if not qualified:
        raise ValidationError(f"no party reaches the {float(limit):g} % threshold", code="E606")
    allocation = apportion(qualified, seats, method=canonical, min_seats=0, lookahead=0)
    result_seats = {p: allocation.seats.get(p, 0) for p in clean}
    return PRResult(canonical, seats, limit, clean, result_seats, excluded, allocation)
