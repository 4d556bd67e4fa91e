"""Apportionment of a house's seats among states (or of seats among parties).

Methods (names accepted by :func:`get_method`, aliases in brackets):

- ``huntington-hill`` [``hh``, ``equal-proportions``]: the US House's method since 1941; the
  state with ``n`` seats has priority value ``P / sqrt(n (n + 1))`` for its next seat.
- ``webster`` [``sainte-lague``, ``major-fractions``]: divisors ``n + 1/2`` (Sainte-Laguë's 1, 3, 5, ...
  are the same divisors doubled, so they give the same seats; :mod:`design.pr` prints those).
- ``modified-sainte-lague``: Sainte-Laguë with the first divisor 1.4 instead of 1 (Norway; Sweden
  up to its 2014 election, 1.2 since 2018).
- ``jefferson`` [``dhondt``, ``d'hondt``]: divisors ``n + 1``.
- ``adams`` [``smallest-divisors``]: divisors ``n`` (every state gets a first seat before any second).
- ``hamilton`` [``largest-remainder``, ``hare``, ``vinton``]: each state gets the whole part of its
  quota ``P * seats / total``; the seats left go to the largest fractional remainders.

Guarantees:

- Arithmetic is exact.  Priority values are compared as fractions (Huntington-Hill's square roots
  are compared squared, ``P**2 / (n (n + 1))``, which orders them the same way); floats appear only
  in what is displayed.
- Ties are never broken silently.  When the last seats go to equal priority values (or equal
  remainders) and there are more tied states than seats, those seats are left unassigned and the
  result's ``ties`` says who is tied for how many seats (``complete`` is False, and the seats then add
  up to ``house_size - unassigned``).  A law must say how such a tie is settled (by lot, by the
  legislature...); this module does not pretend to.  Ties that do not matter (every tied state gets
  its seat) are not reported, but the seat awards involved are marked ``tied``.
- Divisor methods are computed as a priority list: every state starts at its minimum and each further
  seat goes to the highest priority value among the states below their maximum (kept in a heap, so a
  seat costs O(log states): 300,000 states and 100,000 seats take seconds, not hours).  This is the
  Census Bureau's procedure and gives the same seats as the bounded divisor method (find a divisor,
  round each quotient the method's way, clamp into [min, max]).
- Bounds are therefore the constrained divisor method (Pukelsheim, "Proportional Representation", on
  minimum and maximum restrictions), not a patch applied after an unconstrained run.  Adams and
  Huntington-Hill divide a first seat by 0, so every state gets one seat before any second and
  ``min_seats`` 0 and 1 give the same seats; ``min_seats=2`` starts every state at 2 and the priority
  list at the divisors of a third seat (Adams: 2, 3, ...).  With ``min_seats=0`` and fewer seats than
  states, every state's claim to a first seat is infinite under those two methods: the result is a
  tie among all of them (JSON shows an infinite value as ``null``).
- Hamilton with bounds uses clamped quotas: the quotas ``P * t`` are scaled by the one factor ``t``
  for which the quotas, each clamped into [min, max], add up to the house size (without bounds,
  ``t = seats / total population``); a state whose quota the bound moved is ``fixed`` at that bound,
  and the others get the whole parts of their quotas plus the largest remainders.  Hamilton is not
  house monotone (the Alabama paradox: a larger house can take a seat away from a state); the divisor
  methods are.

Bounds on input: a population (or vote count) is at most :data:`MAX_COUNT` (10**12, over a hundred
times the world's population), so that every value shown as a float is finite; a house has at most
:data:`MAX_SEATS` (100,000) seats, because a divisor method's priority list is built seat by seat.

Bad input (no states, a population that is not a positive whole number or is over :data:`MAX_COUNT`,
two names that differ only in case or spacing, an unknown method, a house or a maximum per state over
:data:`MAX_SEATS`, more minimum seats than the house has, a maximum that cannot fill it; for the
"one seat per N" rule, N over :data:`MAX_COUNT` or a minimum or maximum over :data:`MAX_SEATS`) raises
:class:`convene.errors.ValidationError`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from convene.errors import ValidationError

__all__ = [
    "MAX_COUNT",
    "MAX_SEATS",
    "METHODS",
    "Apportionment",
    "DivisorMethod",
    "QuotaRow",
    "RuleResult",
    "SeatAward",
    "Tie",
    "apportion",
    "get_method",
    "method_names",
    "name_key",
    "repeated_name",
    "seats_per_population",
]

MAX_COUNT = 10**12  # largest population or vote count accepted (floats of it and its quotients stay finite)
MAX_SEATS = 100_000  # largest house (or number of seats to fill): divisor methods work seat by seat

# A priority key: (1, 0) is infinite (a state's first seat under Adams or Huntington-Hill);
# (0, q) is the exact rational q.  Keys of one run compare like the priority values they stand for.
Key = tuple[int, Fraction]
_INFINITE: Key = (1, Fraction(0))


@dataclass(frozen=True, slots=True)
class DivisorMethod:
    """A divisor method: ``divisor(n)`` is what a state holding ``n`` seats divides by for the next.

    ``_exact(n)`` gives the divisor as a fraction, or its square when ``squared`` (Huntington-Hill),
    so that comparisons stay exact."""

    name: str
    title: str
    _exact: Callable[[int], Fraction]
    squared: bool = False

    def divisor(self, n: int) -> float:
        value = self._exact(n)
        return math.sqrt(value) if self.squared else float(value)

    def key(self, votes: int, n: int) -> Key:
        d = self._exact(n)
        if d == 0:
            return _INFINITE
        return (0, Fraction(votes * votes if self.squared else votes) / d)

    def priority(self, votes: int, n: int) -> float:
        d = self.divisor(n)
        return math.inf if d == 0 else votes / d


HAMILTON = "hamilton"

METHODS: dict[str, DivisorMethod | None] = {
    "huntington-hill": DivisorMethod("huntington-hill", "Huntington-Hill (equal proportions)",
                                     lambda n: Fraction(n * (n + 1)), squared=True),
    "webster": DivisorMethod("webster", "Webster / Sainte-Laguë (major fractions)", lambda n: Fraction(2 * n + 1, 2)),
    "sainte-lague": DivisorMethod("sainte-lague", "Sainte-Laguë", lambda n: Fraction(2 * n + 1)),
    "modified-sainte-lague": DivisorMethod("modified-sainte-lague", "Modified Sainte-Laguë (first divisor 1.4)",
                                           lambda n: Fraction(7, 5) if n == 0 else Fraction(2 * n + 1)),
    "jefferson": DivisorMethod("jefferson", "Jefferson / D'Hondt (greatest divisors)", lambda n: Fraction(n + 1)),
    "dhondt": DivisorMethod("dhondt", "D'Hondt", lambda n: Fraction(n + 1)),
    "adams": DivisorMethod("adams", "Adams (smallest divisors)", lambda n: Fraction(n)),
    HAMILTON: None,
}

_ALIASES = {
    "hh": "huntington-hill", "huntington_hill": "huntington-hill", "equal-proportions": "huntington-hill",
    "sainte-laguë": "sainte-lague", "saint-lague": "sainte-lague", "major-fractions": "webster",
    "d'hondt": "dhondt", "d-hondt": "dhondt", "smallest-divisors": "adams",
    "largest-remainder": HAMILTON, "largest-remainders": HAMILTON, "hare": HAMILTON, "vinton": HAMILTON,
    "modified-sainte-laguë": "modified-sainte-lague",
}


def method_names() -> tuple[str, ...]:
    return tuple(METHODS)


def get_method(name: str) -> str:
    """The canonical name of a method given its name or an alias (case and ``_``/space insensitive)."""
    raw = str(name).strip().lower().replace("_", "-").replace(" ", "-")
    canonical = _ALIASES.get(raw, raw)
    if canonical not in METHODS:
        raise ValidationError(f"unknown apportionment method {name!r}; known: {', '.join(METHODS)} "
                              f"(aliases: {', '.join(sorted(_ALIASES))})", code="E601")
    return canonical


def _finite_or_none(value: float) -> float | None:
    """``value``, or None when it is infinite (JSON has no infinity: ``json.dumps`` would write the
    invalid token ``Infinity``)."""
    return value if math.isfinite(value) else None


@dataclass(frozen=True, slots=True)
class SeatAward:
    """One seat of a divisor method's priority list.  ``number`` counts every seat of the house
    (the minimum seats come first, so with 50 states and one seat each the first award is 51);
    ``seat`` is the state's own count after the award."""

    number: int
    state: str
    seat: int
    divisor: float
    priority: float
    tied: bool = False

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready values: an infinite priority (a first seat under Adams or Huntington-Hill,
        divisor 0) is ``None``, because JSON has no infinity."""
        return {"number": self.number, "state": self.state, "seat": self.seat, "divisor": self.divisor,
                "priority": _finite_or_none(self.priority), "tied": self.tied}


@dataclass(frozen=True, slots=True)
class Tie:
    """``seats`` seats that ``candidates`` (more of them than seats) have exactly equal claims to:
    the same priority value (divisor methods) or the same remainder (Hamilton), shown as ``value``."""

    candidates: tuple[str, ...]
    seats: int
    value: float

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready values; an infinite ``value`` (states tied for first seats) is ``None``."""
        return {"candidates": list(self.candidates), "seats": self.seats, "value": _finite_or_none(self.value)}


@dataclass(frozen=True, slots=True)
class QuotaRow:
    """Hamilton's working for one state: its (clamped) quota, whole part, remainder, whether it got
    a remainder seat, and ``fixed`` = ``"min"``/``"max"`` when a bound decided its seats instead."""

    state: str
    quota: Fraction
    lower: int
    remainder: Fraction
    extra: bool
    fixed: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "quota": float(self.quota), "lower": self.lower,
                "remainder": float(self.remainder), "extra": self.extra, "fixed": self.fixed}


@dataclass(frozen=True)
class Apportionment:
    """The seats of each state (in the order the populations were given) and how they came about."""

    method: str
    house_size: int
    min_seats: int
    max_seats: int | None
    populations: Mapping[str, int] = field(hash=False)
    seats: Mapping[str, int] = field(hash=False)
    awards: tuple[SeatAward, ...] = ()  # divisor methods: seats past the minimums, in priority order
    next_awards: tuple[SeatAward, ...] = ()  # who would get the next seats of a larger house
    quotas: tuple[QuotaRow, ...] = ()  # Hamilton only
    ties: tuple[Tie, ...] = ()

    @property
    def assigned(self) -> int:
        return sum(self.seats.values())

    @property
    def unassigned(self) -> int:
        return self.house_size - self.assigned

    @property
    def complete(self) -> bool:
        return not self.ties

    def standard_quota(self, state: str) -> Fraction:
        """The state's exact share of the house: ``P * seats / total population``."""
        return Fraction(self.populations[state] * self.house_size, sum(self.populations.values()))

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "house_size": self.house_size, "min_seats": self.min_seats,
                               "max_seats": self.max_seats, "seats": dict(self.seats),
                               "ties": [t.to_dict() for t in self.ties], "unassigned": self.unassigned}
        if details:
            out["priority_list"] = [a.to_dict() for a in self.awards]
            out["next_seats"] = [a.to_dict() for a in self.next_awards]
            out["quotas"] = [q.to_dict() for q in self.quotas]
        return out


# ------------------------------------------------------------------ validation


def shown(value: int) -> str:
    """``value`` with thousands separators, unless it is too long to print usefully."""
    if value.bit_length() <= 256:
        return f"{value:,}"
    return "a huge negative number" if value < 0 else "a huge number"


def name_key(name: str) -> str:
    """What two names must differ in to name two different states or parties: ``California`` and
    ``california`` (or ``New  York`` and ``New York``) are the same name."""
    return " ".join(name.split()).casefold()


def repeated_name(seen: dict[str, str], label: str) -> str | None:
    """Record ``label`` in ``seen`` (:func:`name_key` -> the name as first written); the message naming the
    repetition when an earlier name has the same key, else None."""
    earlier = seen.get(name_key(label))
    if earlier is None:
        seen[name_key(label)] = label
        return None
    if label == earlier:
        return f"{label!r} is listed twice"
    return f"{label!r} and {earlier!r} differ only in case or spacing: list each one once"


def _check_populations(populations: Mapping[str, int], what: str = "population") -> dict[str, int]:
    if not isinstance(populations, Mapping) or not populations:
        raise ValidationError(f"no {what}s given: at least one is needed", code="E602")
    out: dict[str, int] = {}
    seen: dict[str, str] = {}
    for name, value in populations.items():
        label = str(name).strip()
        if not label:
            raise ValidationError(f"a {what} has an empty name", code="E602")
        if repeated := repeated_name(seen, label):
            raise ValidationError(repeated, code="E602")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{what} of {label!r} is {value!r}, not a whole number", code="E602")
        if value <= 0:
            raise ValidationError(f"{what} of {label!r} is {shown(value)}: it must be positive", code="E602")
        if value > MAX_COUNT:
            raise ValidationError(f"{what} of {label!r} is over the limit of {MAX_COUNT:,}", code="E602")
        out[label] = value
    return out


def over_seat_limit(seats: int) -> str:
    """The message for a seat count over :data:`MAX_SEATS`."""
    return f"{shown(seats)} seats are more than the limit of {MAX_SEATS:,} (the methods allocate seat by seat)"


def _bound_over_limit(which: str, seats: int, unit: str = "state") -> str:
    return f"the {which} seats per {unit} ({shown(seats)}) are more than the limit of {MAX_SEATS:,}"


def _check_bounds(count: int, seats: int, min_seats: int, max_seats: int | None, unit: str = "state") -> None:
    for label, value in (("number of seats", seats), ("minimum", min_seats)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{label} must be a whole number, not {value!r}", code="E603")
    if seats < 1:
        raise ValidationError(f"the house needs at least one seat, not {shown(seats)}", code="E603")
    if seats > MAX_SEATS:
        raise ValidationError(over_seat_limit(seats), code="E603")
    if min_seats < 0:
        raise ValidationError(f"the minimum seats per {unit} cannot be negative ({shown(min_seats)})", code="E603")
    if count * min_seats > seats:
        raise ValidationError(f"a minimum of {shown(min_seats)} seat(s) for each of {count} {unit}s needs "
                              f"{shown(count * min_seats)} seats, more than the {seats} available", code="E603")
    if max_seats is not None:
        if isinstance(max_seats, bool) or not isinstance(max_seats, int) or max_seats < 1:
            value = shown(max_seats) if isinstance(max_seats, int) else repr(max_seats)
            raise ValidationError(f"the maximum seats per {unit} must be a positive whole number, "
                                  f"not {value}", code="E603")
        if max_seats > MAX_SEATS:
            raise ValidationError(_bound_over_limit("maximum", max_seats, unit), code="E603")
        if max_seats < min_seats:
            raise ValidationError(f"the maximum ({max_seats}) is below the minimum ({min_seats})", code="E603")
        if count * max_seats < seats:
            raise ValidationError(f"a maximum of {max_seats} seat(s) for each of {count} {unit}s fills only "
                                  f"{count * max_seats} of the {seats} seats", code="E603")


# ------------------------------------------------------------------ divisor methods


def _divisor_run(method: DivisorMethod, pops: dict[str, int], seats: int, min_seats: int,
                 max_seats: int | None, lookahead: int,
                 ) -> tuple[dict[str, int], tuple[SeatAward, ...], tuple[Tie, ...], tuple[SeatAward, ...]]:
    """The priority list, kept in a heap of the states below their maximum, highest priority first
    (ties in input order): each seat costs O(log states), so thousands of states stay fast."""
    order = {s: i for i, s in enumerate(pops)}
    alloc = dict.fromkeys(pops, min_seats)
    heap: list[tuple[tuple[int, Fraction], int, str]] = []

    def push(state: str) -> None:
        if max_seats is None or alloc[state] < max_seats:
            flag, value = method.key(pops[state], alloc[state])
            heapq.heappush(heap, ((-flag, -value), order[state], state))

    for state in pops:
        push(state)
    number = min_seats * len(pops)
    awards: list[SeatAward] = []
    ties: list[Tie] = []

    def step() -> list[str] | None:
        """Take the states with the highest priority value among those below their maximum."""
        if not heap:
            return None
        best = heap[0][0]
        tied = []
        while heap and heap[0][0] == best:
            tied.append(heapq.heappop(heap)[2])
        return tied

    def give(state: str, tied: bool) -> SeatAward:
        nonlocal number
        n = alloc[state]
        number += 1
        award = SeatAward(number, state, n + 1, method.divisor(n), method.priority(pops[state], n), tied)
        alloc[state] = n + 1
        return award

    remaining = seats - number
    while remaining > 0:
        tied = step()
        if tied is None:  # cannot happen after _check_bounds; kept as a guard against silent loss
            raise ValidationError("every state is at its maximum before the house is full", code="E603")
        if len(tied) > remaining:
            n = alloc[tied[0]]
            ties.append(Tie(tuple(tied), remaining, method.priority(pops[tied[0]], n)))
            break
        for state in tied:
            awards.append(give(state, len(tied) > 1))
        for state in tied:
            push(state)
        remaining -= len(tied)

    final = dict(alloc)
    upcoming: list[SeatAward] = []
    if not ties:
        while len(upcoming) < lookahead:
            tied = step()
            if tied is None:
                break
            for state in tied:
                upcoming.append(give(state, len(tied) > 1))
            for state in tied:
                push(state)
        upcoming = upcoming[:lookahead]
    return final, tuple(awards), tuple(ties), tuple(upcoming)


# ------------------------------------------------------------------ Hamilton


def _clamp(value: Fraction, low: int, high: int | None) -> Fraction:
    value = max(Fraction(low), value)
    return value if high is None else min(Fraction(high), value)


def _bounded_scale(pops: dict[str, int], seats: int, low: int, high: int | None) -> Fraction:
    """The smallest ``t`` with ``sum(clamp(P * t, low, high)) == seats``.

    The sum is continuous, piecewise linear and non-decreasing in ``t``, with breakpoints where a
    state's ``P * t`` meets a bound; the segment where it reaches ``seats`` is found among the
    breakpoints and solved exactly.  (Without bounds, ``t = seats / total``: the standard quota.)"""

    def g(t: Fraction) -> Fraction:
        return sum((_clamp(p * t, low, high) for p in pops.values()), Fraction(0))

    points = sorted({Fraction(0)} | {Fraction(low, p) for p in pops.values()}
                    | ({Fraction(high, p) for p in pops.values()} if high is not None else set()))
    # g is non-decreasing: bisect for the last breakpoint where it is still under ``seats`` (g(0) is
    # states * low, under ``seats`` whenever this is called), in O(states log states)
    first, last = 0, len(points) - 1
    while first < last:
        middle = (first + last + 1) // 2
        if g(points[middle]) < seats:
            first = middle
        else:
            last = middle - 1
    start = points[first]
    slope = sum(p for p in pops.values() if p * start >= low and (high is None or p * start < high))
    return start + (seats - g(start)) / slope


def _hamilton(pops: dict[str, int], seats: int, min_seats: int, max_seats: int | None,
              ) -> tuple[dict[str, int], tuple[QuotaRow, ...], tuple[Tie, ...]]:
    if seats == len(pops) * min_seats:  # every state at its minimum: nothing to compute
        rows = tuple(QuotaRow(s, Fraction(min_seats), min_seats, Fraction(0), False, "min") for s in pops)
        return dict.fromkeys(pops, min_seats), rows, ()
    scale = _bounded_scale(pops, seats, min_seats, max_seats)
    quotas = {s: _clamp(p * scale, min_seats, max_seats) for s, p in pops.items()}
    fixed = {s: "min" if p * scale < min_seats else "max" for s, p in pops.items()
             if p * scale < min_seats or (max_seats is not None and p * scale > max_seats)}
    lower = {s: math.floor(q) for s, q in quotas.items()}
    remainders = {s: quotas[s] - lower[s] for s in pops}
    left_over = seats - sum(lower.values())
    ranked = sorted(pops, key=lambda s: remainders[s], reverse=True)
    extra: set[str] = set()
    ties: list[Tie] = []
    if left_over > 0:
        cut = remainders[ranked[left_over - 1]]
        above_cut = [s for s in ranked if remainders[s] > cut]
        at_cut = [s for s in pops if remainders[s] == cut]
        contested = left_over - len(above_cut)
        extra.update(above_cut)
        if len(at_cut) > contested:
            ties.append(Tie(tuple(at_cut), contested, float(cut)))
        else:
            extra.update(at_cut)
    alloc = {s: lower[s] + (s in extra) for s in pops}
    rows = tuple(QuotaRow(s, quotas[s], lower[s], remainders[s], s in extra, fixed.get(s, "")) for s in pops)
    return alloc, rows, tuple(ties)


# ------------------------------------------------------------------ public API


def apportion(populations: Mapping[str, int], seats: int, *, method: str = "huntington-hill",
              min_seats: int = 1, max_seats: int | None = None, lookahead: int = 5) -> Apportionment:
    """Apportion ``seats`` among the states of ``populations`` (name -> positive whole number).

    ``min_seats``/``max_seats`` bound every state (the US House: minimum 1, no maximum).
    ``lookahead`` further seats of the priority list are computed as ``next_awards`` (who would
    gain seat 436, 437...), for divisor methods and only when there is no unresolved tie."""
    pops = _check_populations(populations)
    _check_bounds(len(pops), seats, min_seats, max_seats)
    name = get_method(method)
    divisor = METHODS[name]
    if divisor is None:
        alloc, rows, ties = _hamilton(pops, seats, min_seats, max_seats)
        return Apportionment(name, seats, min_seats, max_seats, pops, alloc, quotas=rows, ties=ties)
    alloc, awards, ties, upcoming = _divisor_run(divisor, pops, seats, min_seats, max_seats, max(0, lookahead))
    return Apportionment(name, seats, min_seats, max_seats, pops, alloc, awards, upcoming, ties=ties)


# ------------------------------------------------------------------ "one seat per N people"

Rounding = Literal["round", "floor", "ceil"]
ROUNDINGS: tuple[str, ...] = ("round", "floor", "ceil")


def _rounded(value: Fraction, rounding: str) -> int:
    if rounding == "floor":
        return math.floor(value)
    if rounding == "ceil":
        return math.ceil(value)
    return math.floor(value + Fraction(1, 2))  # nearest whole number, exact halves up


@dataclass(frozen=True)
class RuleResult:
    """Seats under "one seat per ``per`` people, at least ``min_seats`` (at most ``max_seats``) per
    state": each state's quotient ``P / per`` is rounded (``round``: to the nearest whole number,
    exact halves up; ``floor``; ``ceil``) and then clamped into the bounds.  The house size is
    whatever the rule gives: :attr:`total`."""

    per: int
    rounding: str
    min_seats: int
    max_seats: int | None
    populations: Mapping[str, int] = field(hash=False)
    seats: Mapping[str, int] = field(hash=False)

    @property
    def total(self) -> int:
        return sum(self.seats.values())

    def quotient(self, state: str) -> Fraction:
        return Fraction(self.populations[state], self.per)

    @property
    def at_minimum(self) -> tuple[str, ...]:
        """States the minimum lifted above what their population alone gives."""
        return tuple(s for s in self.seats if _rounded(self.quotient(s), self.rounding) < self.min_seats)

    @property
    def at_maximum(self) -> tuple[str, ...]:
        """States the maximum held below what their population alone gives."""
        if self.max_seats is None:
            return ()
        return tuple(s for s in self.seats if _rounded(self.quotient(s), self.rounding) > self.max_seats)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": f"one seat per {self.per} people", "per": self.per, "rounding": self.rounding,
                "min_seats": self.min_seats, "max_seats": self.max_seats, "total": self.total,
                "seats": dict(self.seats), "at_minimum": list(self.at_minimum), "at_maximum": list(self.at_maximum)}


def seats_per_population(populations: Mapping[str, int], per: int, *, min_seats: int = 1,
                         max_seats: int | None = None, rounding: str = "round") -> RuleResult:
    """Apply "one seat per ``per`` people, at least ``min_seats`` per state" (default rounding: to the
    nearest whole number, halves up; see :class:`RuleResult`)."""
    pops = _check_populations(populations)
    if isinstance(per, bool) or not isinstance(per, int) or per < 1:
        value = shown(per) if isinstance(per, int) else repr(per)
        raise ValidationError(f"people per seat must be a positive whole number, not {value}", code="E603")
    if per > MAX_COUNT:
        raise ValidationError(f"people per seat ({shown(per)}) is over the limit of {MAX_COUNT:,}", code="E603")
    if rounding not in ROUNDINGS:
        raise ValidationError(f"unknown rounding {rounding!r}; known: {', '.join(ROUNDINGS)}", code="E603")
    if isinstance(min_seats, bool) or not isinstance(min_seats, int) or min_seats < 0:
        value = shown(min_seats) if isinstance(min_seats, int) else repr(min_seats)
        raise ValidationError(f"the minimum seats per state must be a whole number >= 0, not {value}", code="E603")
    if min_seats > MAX_SEATS:
        raise ValidationError(_bound_over_limit("minimum", min_seats), code="E603")
    if max_seats is not None:
        if isinstance(max_seats, bool) or not isinstance(max_seats, int) or max_seats < max(1, min_seats):
            value = shown(max_seats) if isinstance(max_seats, int) else repr(max_seats)
            raise ValidationError(f"the maximum seats per state must be a whole number >= the minimum "
                                  f"and >= 1, not {value}", code="E603")
        if max_seats > MAX_SEATS:
            raise ValidationError(_bound_over_limit("maximum", max_seats), code="E603")
    seats = {}
    for state, pop in pops.items():
        value = max(min_seats, _rounded(Fraction(pop, per), rounding))
        seats[state] = value if max_seats is None else min(max_seats, value)
    return RuleResult(per, rounding, min_seats, max_seats, pops, seats)
