"""Apportionment: hand-checked textbook cases, the 2020 House, ties, bounds, paradoxes, properties."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convene.errors import ConveneError, ValidationError
from design.apportion import MAX_COUNT, MAX_SEATS, Tie, apportion, get_method, seats_per_population
from design.census import load_census, parse_counts_csv, read_counts_csv

# The official 2020 apportionment of the House (Census Bureau, April 26, 2021), written out here
# independently of design/data/census2020.csv so that the data file is checked, not trusted.
HOUSE_2020 = {
    "CA": 52, "TX": 38, "FL": 28, "NY": 26, "PA": 17, "IL": 17, "OH": 15, "GA": 14, "NC": 14, "MI": 13,
    "NJ": 12, "VA": 11, "WA": 10, "AZ": 9, "TN": 9, "MA": 9, "IN": 9, "MD": 8, "MO": 8, "WI": 8, "CO": 8,
    "MN": 8, "SC": 7, "AL": 7, "LA": 6, "KY": 6, "OR": 6, "OK": 5, "CT": 5, "UT": 4, "IA": 4, "NV": 4,
    "AR": 4, "MS": 4, "KS": 4, "NM": 3, "NE": 3, "ID": 2, "WV": 2, "HI": 2, "NH": 2, "ME": 2, "RI": 2,
    "MT": 2, "DE": 1, "SD": 1, "ND": 1, "AK": 1, "VT": 1, "WY": 1,
}

SMALL = {"A": 1000, "B": 600, "C": 400}


# ------------------------------------------------------------------ hand-checked cases

CASES = [
    # (populations, seats, method, min, max, expected seats, expected ties)
    # HH, min 1: A 1000/√2=707.1 gets seat 4; seat 5: B 600/√2=424.3 beats A 1000/√6=408.2.
    (SMALL, 5, "huntington-hill", 1, None, {"A": 2, "B": 2, "C": 1}, ()),
    # Webster, min 1: A 1000/1.5 gets seat 4; seat 5: A 1000/2.5 = B 600/1.5 = 400 -> tie, undecided.
    (SMALL, 5, "webster", 1, None, {"A": 2, "B": 1, "C": 1}, (Tie(("A", "B"), 1, 400.0),)),
    # Jefferson, min 0: quotients 1000, 600, 500, 400, 333.3 -> A3 B1 C1.
    (SMALL, 5, "jefferson", 0, None, {"A": 3, "B": 1, "C": 1}, ()),
    # Adams, min 0: every first seat first (infinite priority); then A 1000/1, then B 600/1 > A 1000/2.
    (SMALL, 5, "adams", 0, None, {"A": 2, "B": 2, "C": 1}, ()),
    # Hamilton: quotas 2.5, 1.5, 1.0 -> whole parts 2,1,1; one seat, remainders .5 = .5 -> tie.
    (SMALL, 5, "hamilton", 0, None, {"A": 2, "B": 1, "C": 1}, (Tie(("A", "B"), 1, 0.5),)),
    # Hamilton: quotas 2.5, 1.75, .75 -> 2,1,0; two seats for the tied .75, .75: both get one, no tie.
    ({"A": 1000, "B": 700, "C": 300}, 5, "hamilton", 0, None, {"A": 2, "B": 2, "C": 1}, ()),
    # Jefferson with a maximum of 2: A stops at 2, the rest goes by priority to B then C.
    (SMALL, 5, "jefferson", 0, 2, {"A": 2, "B": 2, "C": 1}, ()),
    # Hamilton, min 2: C's quota 7*400/2000 = 1.4 < 2, fixed at 2; A, B share 5: quotas 3.125, 1.875 -> 3, 2.
    (SMALL, 7, "hamilton", 2, None, {"A": 3, "B": 2, "C": 2}, ()),
    # Hamilton, max 2: A's quota 2.5 > 2, fixed at 2; B, C share 3: quotas 1.8, 1.2 -> 2, 1.
    (SMALL, 5, "hamilton", 0, 2, {"A": 2, "B": 2, "C": 1}, ()),
    # Hamilton, min 1, max 2: B (quota 3.2) is held at 2, so A (quota 0.8) gets the other 2.
    ({"A": 1, "B": 4}, 4, "hamilton", 1, 2, {"A": 2, "B": 2}, ()),
    # Equal populations, 4 seats for 3 states: the fourth seat is a three-way tie under every method.
    ({"X": 10, "Y": 10, "Z": 10}, 4, "huntington-hill", 1, None, {"X": 1, "Y": 1, "Z": 1},
     (Tie(("X", "Y", "Z"), 1, 10 / math.sqrt(2)),)),
    ({"X": 10, "Y": 10, "Z": 10}, 4, "hamilton", 0, None, {"X": 1, "Y": 1, "Z": 1}, (Tie(("X", "Y", "Z"), 1, 1 / 3),)),
    # ...but 6 seats split evenly, no tie to report.
    ({"X": 10, "Y": 10, "Z": 10}, 6, "adams", 1, None, {"X": 2, "Y": 2, "Z": 2}, ()),
]


@pytest.mark.parametrize(("pops", "seats", "method", "low", "high", "expected", "ties"), CASES)
def test_hand_checked(pops, seats, method, low, high, expected, ties):
    result = apportion(pops, seats, method=method, min_seats=low, max_seats=high)
    assert dict(result.seats) == expected
    assert len(result.ties) == len(ties)
    for got, want in zip(result.ties, ties, strict=True):
        assert got.candidates == want.candidates and got.seats == want.seats
        assert got.value == pytest.approx(want.value)
    assert result.complete is (not ties)
    assert result.unassigned == sum(t.seats for t in ties)


def test_priority_list_of_small_case():
    result = apportion(SMALL, 6, method="huntington-hill")
    assert [(a.number, a.state, a.seat) for a in result.awards] == [(4, "A", 2), (5, "B", 2), (6, "A", 3)]
    assert result.awards[0].priority == pytest.approx(1000 / math.sqrt(2))
    assert result.awards[0].divisor == pytest.approx(math.sqrt(2))
    assert result.next_awards[0].number == 7


def test_tie_inside_the_house_is_not_reported_but_marked():
    # Sainte-Laguë 8 seats (the Wikipedia example): A's 100000/5 and D's 20000/1 tie for seats 6-7; both seated.
    result = apportion({"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}, 8, method="sainte-lague", min_seats=0)
    assert dict(result.seats) == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert result.ties == ()
    assert [a.state for a in result.awards if a.tied] == ["A", "D"]


def test_alabama_paradox_hamilton_but_not_divisor_methods():
    # Quotas for 10 seats: 4.29, 4.29, 1.43 -> C takes the remainder seat (4, 4, 2);
    # for 11 seats: 4.71, 4.71, 1.57 -> A and B take both (5, 5, 1): C LOSES a seat in a larger house.
    pops = {"A": 6, "B": 6, "C": 2}
    assert dict(apportion(pops, 10, method="hamilton", min_seats=0).seats) == {"A": 4, "B": 4, "C": 2}
    assert dict(apportion(pops, 11, method="hamilton", min_seats=0).seats) == {"A": 5, "B": 5, "C": 1}
    for method in ("huntington-hill", "webster", "jefferson", "adams"):
        small = apportion(pops, 10, method=method, min_seats=0)
        large = apportion(pops, 11, method=method, min_seats=0)
        assert all(large.seats[s] >= small.seats[s] for s in pops), method


@pytest.mark.parametrize(("alias", "canonical"), [
    ("HH", "huntington-hill"), ("Huntington Hill", "huntington-hill"), ("d'hondt", "dhondt"),
    ("sainte-laguë", "sainte-lague"), ("largest_remainder", "hamilton"), ("Webster", "webster"),
])
def test_method_aliases(alias, canonical):
    assert get_method(alias) == canonical


# ------------------------------------------------------------------ the 2020 census


def test_census_2020_data():
    census = load_census(2020)
    assert len(census.populations) == 50
    assert census.total == 331_108_434
    assert census.populations["CA"] == 39_576_757
    assert census.populations["TX"] == 29_183_290
    assert census.populations["FL"] == 21_570_527
    assert census.populations["NY"] == 20_215_751
    assert "Table 1. Apportionment Population and Number of Representatives by State: 2020 Census" in census.source
    assert dict(census.house) == {c: HOUSE_2020[c] for c in census.house}
    assert census.names["NY"] == "New York" and census.code_for("new york") == "NY"


def test_2020_house_apportionment_all_50_states():
    census = load_census(2020)
    result = apportion(census.populations, 435, method="huntington-hill", min_seats=1)
    assert dict(result.seats) == {c: HOUSE_2020[c] for c in census.populations}
    assert result.complete and result.assigned == 435
    # The documented margins of 2020: Minnesota won the 435th and last seat; New York would have won
    # seat 436, and needed only 89 more residents to take seat 435 instead.
    assert (result.awards[-1].number, result.awards[-1].state, result.awards[-1].seat) == (435, "MN", 8)
    assert (result.next_awards[0].number, result.next_awards[0].state) == (436, "NY")
    need = next(x for x in range(1, 1000)
                if apportion({**census.populations, "NY": census.populations["NY"] + x}, 435).seats["NY"] == 27)
    assert need == 89


# ------------------------------------------------------------------ "one seat per N people"

RULES = [
    # (per, min, max, rounding, expected)  populations: A 2,500,000  B 1,499,999  C 300,000
    (1_000_000, 1, None, "round", {"A": 3, "B": 1, "C": 1}),  # 2.5 rounds half up to 3; 1.499999 -> 1
    (1_000_000, 1, None, "floor", {"A": 2, "B": 1, "C": 1}),
    (1_000_000, 1, None, "ceil", {"A": 3, "B": 2, "C": 1}),
    (1_000_000, 0, None, "round", {"A": 3, "B": 1, "C": 0}),
    (1_000_000, 2, None, "round", {"A": 3, "B": 2, "C": 2}),
    (1_000_000, 1, 2, "round", {"A": 2, "B": 1, "C": 1}),
    (8_000_000, 1, None, "round", {"A": 1, "B": 1, "C": 1}),
]


@pytest.mark.parametrize(("per", "low", "high", "rounding", "expected"), RULES)
def test_seats_per_population(per, low, high, rounding, expected):
    pops = {"A": 2_500_000, "B": 1_499_999, "C": 300_000}
    rule = seats_per_population(pops, per, min_seats=low, max_seats=high, rounding=rounding)
    assert dict(rule.seats) == expected
    assert rule.total == sum(expected.values())


def test_seats_per_population_2020_senate_proposals():
    census = load_census(2020)
    eight = seats_per_population(census.populations, 8_000_000, min_seats=1)
    assert eight.seats["CA"] == 5 and eight.seats["WY"] == 1  # 39.6M / 8M = 4.95 -> 5
    two = seats_per_population(census.populations, 2_000_000, min_seats=1)
    assert two.seats["CA"] == 20 and two.seats["TX"] == 15  # 19.79 -> 20, 14.59 -> 15
    assert set(two.at_minimum) == {"AK", "DE", "ND", "SD", "VT", "WY"}  # each under 1,000,000 people
    assert two.total == sum(two.seats.values())


# ------------------------------------------------------------------ bad input

BAD = [
    ({}, 5, {}, "no populations"),
    ({"A": -5, "B": 10}, 5, {}, "must be positive"),
    ({"A": 0, "B": 10}, 5, {}, "must be positive"),
    ({"A": None, "B": 10}, 5, {}, "not a whole number"),
    ({"A": 1.5, "B": 10}, 5, {}, "not a whole number"),
    ({"A": 1, "": 10}, 5, {}, "empty name"),
    ({"A": 1, "B": 10}, 1, {}, "needs 2 seats, more than the 1"),
    ({"A": 1, "B": 10}, 0, {"min_seats": 0}, "at least one seat"),
    ({"A": 1, "B": 10}, 5, {"method": "borda"}, "unknown apportionment method 'borda'"),
    ({"A": 1, "B": 10}, 5, {"max_seats": 2}, "fills only 4 of the 5"),
    ({"A": 1, "B": 10}, 5, {"min_seats": 2, "max_seats": 1}, "below the minimum"),
    ({"A": 1, "B": 10}, 5, {"min_seats": -1}, "cannot be negative"),
    # bounds that keep the seat-by-seat loop short and every float finite (audit defects 3, 6, 7)
    ({"A": 1, "B": 10}, 99999999999999999999999, {}, "more than the limit of 100,000"),
    ({"A": 1, "B": 10}, MAX_SEATS + 1, {"method": "hamilton"}, "100,001 seats are more than the limit"),
    ({"A": 1, "B": 10**400}, 5, {}, "population of 'B' is over the limit of 1,000,000,000,000"),
    ({"A": 1, "B": MAX_COUNT + 1}, 5, {"method": "webster"}, "over the limit"),
    ({"A": 1, "B": 10**5000}, 5, {}, "over the limit"),  # not printed: str() of it would raise
    ({"A": 1, "B": -10**5000}, 5, {}, "is a huge negative number: it must be positive"),
    # names differing only in case or spacing are one state (audit defect 19)
    ({"California": 100, "california": 200}, 5, {}, "'california' and 'California' differ only in case"),
    ({"New York": 100, "new  york": 200}, 5, {}, "differ only in case or spacing"),
]


@pytest.mark.parametrize(("pops", "seats", "options", "message"), BAD)
def test_bad_input(pops, seats, options, message):
    with pytest.raises(ValidationError, match=message):
        apportion(pops, seats, **options)


@pytest.mark.parametrize(("seats", "options", "message"), [
    (-(10**5000), {}, "at least one seat, not a huge negative number"),
    (10, {"min_seats": 10**5000}, "a minimum of a huge number seat"),
    (10, {"max_seats": -(10**5000)}, "not a huge negative number"),
], ids=["huge negative house", "huge minimum", "huge negative maximum"])
def test_huge_seat_numbers_are_not_printed(seats, options, message):
    with pytest.raises(ValidationError, match=message):
        apportion({"A": 1, "B": 10}, seats, **options)


@pytest.mark.parametrize(("per", "options", "message"), [
    (0, {}, "positive whole number"), (-3, {}, "positive whole number"),
    (10, {"rounding": "banker"}, "unknown rounding"), (10, {"min_seats": -1}, "minimum"),
    (10, {"min_seats": 3, "max_seats": 2}, "maximum"),
])
def test_rule_bad_input(per, options, message):
    with pytest.raises(ValidationError, match=message):
        seats_per_population({"A": 10}, per, **options)


# ------------------------------------------------------------------ CSV input

CSV_OK = [
    ("state,population\nA,100\nB,200\n", {"A": 100, "B": 200}),
    ("# comment\n\nName,Code,Population\nAlpha,A,\"1,000\"\nBeta,B,2_000\n", {"Alpha": 1000, "Beta": 2000}),
    ("party,votes\nGreens,0\nReds,12\n", {"Greens": 0, "Reds": 12}),
    ("where,how many\nA,5\n", {"A": 5}),  # two unnamed columns: name, number
]


@pytest.mark.parametrize(("text", "expected"), CSV_OK)
def test_parse_counts_csv(text, expected):
    assert parse_counts_csv(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("state,population\n", "no rows"),
    ("state,population\nA,-5\n", "line 2.*negative"),
    ("state,population\nA,\n", "line 2.*missing"),
    ("state,population\nA,12.5\n", "line 2.*not a whole number"),
    ("state,population\nA,lots\n", "not a whole number"),
    ("state,population\nA,1\nA,2\n", "line 3.*listed twice"),
    ("state,population\n,1\n", "name is empty"),
    ("state,population\nA\n", "expected at least 2 columns"),
    ("a,b,c\n1,2,3\n", "names no name column"),
    ("state,population\n\"A,1\n", "malformed CSV"),
    # audit defects 5, 6, 19: non-ASCII digits, numbers over MAX_COUNT, names differing in case
    ("state,population\nA,²\n", "line 2.*'²' is not written with the digits 0-9"),
    ("state,population\nA,١٢٣\n", "line 2.*'١٢٣' is not written with the digits 0-9"),
    ("state,population\nA,-²\n", "line 2.*not written with the digits 0-9"),
    ("state,population\nA,12³4\n", "not written with the digits 0-9"),
    ("state,population\nA,1.5²\n", "not a whole number"),
    ("state,population\nA," + "9" * 5000 + "\n", r"line 2.*'9{40}'… is over the limit of 1,000,000,000,000"),
    ("state,population\nA," + "0" * 5000 + "7" * 14 + "\n", "over the limit"),
    ("state,population\nA,1000000000001\n", "over the limit"),
    ("state,population\nCalifornia,100\ncalifornia,200\n", "line 3: 'california' and 'California' differ only"),
])
def test_parse_counts_csv_rejects(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_counts_csv(text, source="x.csv")


@pytest.mark.parametrize(("text", "expected"), [
    ("state,population\nA,1000000000000\n", {"A": MAX_COUNT}),  # the limit itself is accepted
    ("state,population\nA," + "0" * 5000 + "42\n", {"A": 42}),  # leading zeros do not count
])
def test_parse_counts_csv_limits(text, expected):
    assert parse_counts_csv(text) == expected


@pytest.mark.parametrize(("text", "positive", "expected"), [
    ("state,population\nA,0\nB,5\n", False, {"A": 0, "B": 5}),
    ("state,population\nA,0\nB,5\n", True, "E602"),
    ("state,population\nA,3\nB,5\n", True, {"A": 3, "B": 5}),
])
def test_parse_counts_csv_positive(text, positive, expected):
    if isinstance(expected, dict):
        assert parse_counts_csv(text, source="p.csv", positive=positive) == expected
        return
    with pytest.raises(ValidationError, match="line 2, population of 'A' is 0: it must be positive") as info:
        parse_counts_csv(text, source="p.csv", positive=positive)
    assert (info.value.code, info.value.source) == (expected, "p.csv")


def test_read_counts_csv_files(tmp_path):
    good = tmp_path / "p.csv"
    good.write_bytes("\ufeffstate,population\nÎle,5\n".encode())
    assert read_counts_csv(good) == {"Île": 5}
    latin = tmp_path / "latin.csv"
    latin.write_bytes("state,population\n\xcele,5\n".encode("latin-1"))
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"state,population\x00\n")
    for path, message in ((latin, "not UTF-8"), (binary, "binary"), (tmp_path / "missing.csv", "cannot read")):
        with pytest.raises(ConveneError, match=message) as info:
            read_counts_csv(path)
        assert info.value.source == str(path)


# ------------------------------------------------------------------ properties

DIVISOR_FORMULAS = {  # the (n+1)-th seat's divisor, written independently of design.apportion
    "huntington-hill": lambda n: math.sqrt(n * (n + 1)),
    "webster": lambda n: n + 0.5,
    "jefferson": lambda n: n + 1.0,
    "adams": lambda n: float(n),
}

populations = st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(1, 1_000_000), min_size=2, max_size=8)


@settings(max_examples=60, deadline=None)
@given(pops=populations, extra=st.integers(0, 40), low=st.integers(0, 2), method=st.sampled_from(
    [*DIVISOR_FORMULAS, "hamilton"]))
def test_total_and_minimum(pops, extra, low, method):
    seats = max(1, low * len(pops) + extra)
    result = apportion(pops, seats, method=method, min_seats=low)
    assert result.assigned + sum(t.seats for t in result.ties) == seats
    assert all(v >= low for v in result.seats.values())


@settings(max_examples=60, deadline=None)
@given(pops=populations, extra=st.integers(0, 30), cap=st.integers(1, 12),
       method=st.sampled_from([*DIVISOR_FORMULAS, "hamilton"]))
def test_maximum_respected(pops, extra, cap, method):
    seats = min(len(pops) * cap, len(pops) + extra)
    result = apportion(pops, seats, method=method, min_seats=1, max_seats=cap)
    assert all(1 <= v <= cap for v in result.seats.values())


@settings(max_examples=60, deadline=None)
@given(pops=populations, extra=st.integers(0, 40), method=st.sampled_from(list(DIVISOR_FORMULAS)))
def test_house_monotone(pops, extra, method):
    seats = len(pops) + extra
    small = apportion(pops, seats, method=method)
    large = apportion(pops, seats + 1, method=method)
    if small.complete and large.complete:
        assert all(large.seats[s] >= small.seats[s] for s in pops)


@settings(max_examples=60, deadline=None)
@given(pops=populations, extra=st.integers(0, 40), method=st.sampled_from(list(DIVISOR_FORMULAS)))
def test_divisor_criterion(pops, extra, method):
    """A divisor method's result: no state's next priority exceeds any seated state's last priority."""
    d = DIVISOR_FORMULAS[method]
    result = apportion(pops, len(pops) + extra, method=method)
    if not result.complete:
        return

    def prio(state, n):
        return math.inf if d(n) == 0 else pops[state] / d(n)

    best_waiting = max(prio(s, n) for s, n in result.seats.items())
    worst_seated = min((prio(s, n - 1) for s, n in result.seats.items() if n > 1), default=math.inf)
    assert best_waiting <= worst_seated * (1 + 1e-12)


@settings(max_examples=80, deadline=None)
@given(pops=populations, seats=st.integers(1, 60))
def test_hamilton_quota_rule(pops, seats):
    result = apportion(pops, seats, method="hamilton", min_seats=0)
    total = sum(pops.values())
    for state, n in result.seats.items():
        quota = Fraction(pops[state] * seats, total)
        assert math.floor(quota) <= n <= math.ceil(quota)
