"""Proportional representation of party votes: hand-checked cases, thresholds, ties, bad input."""

from __future__ import annotations

from fractions import Fraction

import pytest

from convene.errors import ValidationError
from design.pr import allocate

WIKI = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}  # the textbook four-party example

CASES = [
    # (votes, seats, method, threshold, expected seats, expected ties as (candidates, seats))
    # D'Hondt quotients: A 100k 50k 33.3k 25k | B 80k 40k 26.7k | C 30k -> A4 B3 C1 D0.
    (WIKI, 8, "dhondt", 0, {"A": 4, "B": 3, "C": 1, "D": 0}, ()),
    # Sainte-Laguë: 100k 80k 33.3k(A) 30k(C) 26.7k(B) 20k(A)=20k(D) 16k(B) -> A3 B3 C1 D1.
    (WIKI, 8, "sainte-lague", 0, {"A": 3, "B": 3, "C": 1, "D": 1}, ()),
    # Six seats: A's 20k and D's 20k tie for the sixth: undecided, reported.
    (WIKI, 6, "sainte-lague", 0, {"A": 2, "B": 2, "C": 1, "D": 0}, (("A", "D"), 1)),
    # A 10 % threshold (23,000 votes) excludes D (8.7 %); then 100k 80k 33.3k 30k 26.7k 20k 16k 14.3k.
    (WIKI, 8, "sainte-lague", 10, {"A": 4, "B": 3, "C": 1, "D": 0}, ()),
    (WIKI, 8, "dhondt", "10", {"A": 4, "B": 3, "C": 1, "D": 0}, ()),
    # Sainte-Laguë gives the small party the 2nd seat (400/1 > 1000/3); the 1.4 first divisor does not
    # (1000/3 = 333.3 > 400/1.4 = 285.7); Hare: quotas 1.43 and .57, the remainder seat goes to B.
    ({"A": 1000, "B": 400}, 2, "sainte-lague", 0, {"A": 1, "B": 1}, ()),
    ({"A": 1000, "B": 400}, 2, "modified-sainte-lague", 0, {"A": 2, "B": 0}, ()),
    ({"A": 1000, "B": 400}, 2, "hare", 0, {"A": 1, "B": 1}, ()),
    # Exactly at the threshold passes: 5 of 100 votes against 5 %; 5.01 % excludes it.
    ({"X": 5, "Y": 95}, 20, "dhondt", 5, {"X": 1, "Y": 19}, ()),
    ({"X": 5, "Y": 95}, 20, "dhondt", 5.01, {"X": 0, "Y": 20}, ()),
    # A party with no votes is listed with no seats.
    ({"X": 0, "Y": 10}, 3, "dhondt", 0, {"X": 0, "Y": 3}, ()),
]


@pytest.mark.parametrize(("votes", "seats", "method", "threshold", "expected", "tie"), CASES)
def test_allocate(votes, seats, method, threshold, expected, tie):
    result = allocate(votes, seats, method=method, threshold=threshold)
    assert dict(result.seats) == expected
    if tie:
        assert [(t.candidates, t.seats) for t in result.ties] == [tie]
        assert not result.complete
    else:
        assert result.ties == () and sum(result.seats.values()) == seats


def test_result_details():
    result = allocate(WIKI, 8, method="dhondt", threshold=10)
    assert result.excluded == ("D",)
    assert result.valid_votes == 230_000
    assert result.vote_share("A") == pytest.approx(100 * 100_000 / 230_000)
    assert result.seat_share("A") == 50.0
    data = result.to_dict(details=True)
    assert [(q["state"], q["divisor"]) for q in data["quotients"][:3]] == [("A", 1.0), ("B", 1.0), ("A", 2.0)]
    assert data["threshold_percent"] == 10.0 and data["excluded"] == ["D"]


def test_sainte_lague_divisors_are_odd_numbers():
    result = allocate({"A": 10, "B": 9}, 4, method="sainte-lague")
    assert [a.divisor for a in result.allocation.awards] == [1.0, 1.0, 3.0, 3.0]


@pytest.mark.parametrize(("votes", "seats", "options", "message"), [
    (WIKI, 8, {"method": "borda"}, "unknown proportional representation method"),
    ({"A": -1, "B": 5}, 3, {}, "whole number >= 0"),
    ({"A": 1.5}, 3, {}, "whole number >= 0"),
    ({"A": 0, "B": 0}, 3, {}, "no valid votes"),
    ({}, 3, {}, "no parties"),
    (WIKI, 8, {"threshold": 100}, "percentage"),
    (WIKI, 8, {"threshold": -1}, "percentage"),
    (WIKI, 8, {"threshold": "five"}, "not a number"),
    ({"A": 1, "B": 1}, 8, {"threshold": 60}, "no party reaches"),
    (WIKI, 0, {}, "positive whole number"),
    # audit defects 3, 6, 7, 9, 19
    (WIKI, 99999999999, {}, "99,999,999,999 seats are more than the limit of 100,000"),
    (WIKI, 100_001, {"method": "hare"}, "more than the limit of 100,000"),
    ({"A": 10**400, "B": 5}, 3, {"method": "hare"}, "votes of 'A' are over the limit of 1,000,000,000,000"),
    ({"A": 10**5000, "B": 5}, 3, {}, "over the limit"),
    ({"A": -10**5000, "B": 5}, 3, {}, "whole number >= 0, not a huge negative number"),
    (WIKI, 5, {"threshold": "inf"}, "threshold 'inf' is not a finite number"),
    (WIKI, 5, {"threshold": float("inf")}, "not a finite number"),
    (WIKI, 5, {"threshold": "-Infinity"}, "not a finite number"),
    (WIKI, 5, {"threshold": "nan"}, "not a finite number"),
    (WIKI, 5, {"threshold": "1e999999999"}, "percentage from 0 up to"),
    (WIKI, 5, {"threshold": "1e-999999999"}, "more than 30 decimal places"),
    ({"Greens": 10, "GREENS": 5}, 3, {}, "party 'GREENS' and 'Greens' differ only in case"),
])
def test_bad_input(votes, seats, options, message):
    with pytest.raises(ValidationError, match=message):
        allocate(votes, seats, **options)


@pytest.mark.parametrize(("threshold", "exact"), [
    ("5", Fraction(5)), ("4.50", Fraction(9, 2)), ("1E1", Fraction(10)), (0.1, Fraction(1, 10)),
    ("0.000000000000000000000000000001", Fraction(1, 10**30)), ("-0", Fraction(0)),
    ("12." + "0" * 200, Fraction(12)), (Fraction(1, 3), Fraction(1, 3)),
])
def test_threshold_read_exactly(threshold, exact):
    assert allocate(WIKI, 8, threshold=threshold).threshold == exact
