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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from convene.errors import ValidationError
from design.apportion import Apportionment, apportion

PR_METHODS = {
    "dhondt": "dhondt",
    "d'hondt": "dhondt",
    "jefferson": "dhondt",
    "sainte-lague": "sainte-lague",
    "sainte-laguë": "sainte-lague",
    "webster": "sainte-lague",
    "modified-sainte-lague": "modified-sainte-lague",
    "hare": "hamilton",
    "largest-remainder": "hamilton",
    "hamilton": "hamilton",
}


@dataclass(frozen=True)
class PRResult:
    """Seats per party (every party listed, excluded ones with 0), which parties the threshold
    excluded, and the allocation among the qualified parties (``allocation``, with its awards,
    quotas and ties)."""

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
    try:
        if isinstance(value, Fraction):
            result = value
        else:
            result = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(f"threshold {value!r} is not a number", code="E606") from None
    if not 0 <= result < 100:
        raise ValidationError(f"threshold must be a percentage from 0 up to (not including) 100, not {value}",
                              code="E606")
    return result


def allocate(votes: Mapping[str, int], seats: int, *, method: str = "dhondt",
             threshold: float | int | str | Fraction | Decimal = 0) -> PRResult:
    """Allocate ``seats`` among parties by ``votes`` (party -> whole number >= 0) after excluding the
    parties under ``threshold`` percent of the valid votes."""
    canonical = PR_METHODS.get(str(method).strip().lower().replace("_", "-").replace(" ", "-"))
    if canonical is None:
        raise ValidationError(f"unknown proportional representation method {method!r}; known: "
                              f"{', '.join(sorted(set(PR_METHODS)))}", code="E601")
    limit = _threshold(threshold)
    if not isinstance(votes, Mapping) or not votes:
        raise ValidationError("no parties given", code="E602")
    clean: dict[str, int] = {}
    for party, count in votes.items():
        name = str(party).strip()
        if not name:
            raise ValidationError("a party has an empty name", code="E602")
        if name in clean:
            raise ValidationError(f"party {name!r} is listed twice", code="E602")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValidationError(f"votes of {name!r} must be a whole number >= 0, not {count!r}", code="E602")
        clean[name] = count
    total = sum(clean.values())
    if total == 0:
        raise ValidationError("no valid votes: every party has 0", code="E602")
    qualified = {p: v for p, v in clean.items() if v > 0 and v * 100 >= limit * total}
    if not qualified:
        raise ValidationError(f"no party reaches the {float(limit):g} % threshold", code="E606")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValidationError(f"the number of seats must be a positive whole number, not {seats!r}", code="E603")
    allocation = apportion(qualified, seats, method=canonical, min_seats=0, lookahead=0)
    result_seats = {p: allocation.seats.get(p, 0) for p in clean}
    excluded = tuple(p for p in clean if p not in qualified)
    return PRResult(canonical, seats, limit, clean, result_seats, excluded, allocation)
