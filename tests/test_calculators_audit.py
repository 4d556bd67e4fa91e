"""Second audit of the representation calculators: each test pins a defect found (and fixed) or a
textbook property checked independently of :mod:`design.apportion`'s own code."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction
from pathlib import Path
from re import escape as re_escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convene.errors import ValidationError
from design.apportion import MAX_SEATS, apportion, seats_per_population
from design.census import load_census, parse_counts_csv, read_counts_csv
from design.pr import allocate
from tests.test_apportion import HOUSE_2020
from tests.test_design_cli import design_app, run


def strict_json(text: str):
    """``json.loads`` that refuses ``Infinity`` and ``NaN``, which are not JSON (RFC 8259)."""

    def refuse(constant: str):
        raise AssertionError(f"{constant} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


# ------------------------------------------------------------------ defect 1: JSON with Infinity

@pytest.fixture(scope="module")
def app():
    return design_app()


@pytest.mark.parametrize(("method", "seats", "details", "tie_value", "first_priority"), [
    # 2 seats for 3 states, no minimum: under HH and Adams every first seat has an infinite priority,
    # so all three are tied for the 2 seats; the tie's value is infinite -> null.
    ("huntington-hill", 2, False, None, "absent"),
    ("adams", 2, False, None, "absent"),
    # 5 seats under Adams: the three first seats have infinite priority (null), the rest finite.
    ("adams", 5, True, "no tie", None),
    ("jefferson", 2, True, "no tie", 3.0),
])
def test_json_output_is_strict_json(app, tmp_path, method, seats, details, tie_value, first_priority):
    path = tmp_path / "three.csv"
    path.write_text("state,population\nA,1\nB,2\nC,3\n", encoding="utf-8")
    args = ["apportion", "-p", path, "--seats", seats, "--min", 0, "--method", method, "--json"]
    result = run(app, *args, *(["--details"] if details else []))
    assert result.exit_code == 0, result.output
    data = strict_json(result.stdout)
    if tie_value == "no tie":
        assert data["ties"] == []
    else:
        assert data["ties"] == [{"candidates": ["A", "B", "C"], "seats": 2, "value": tie_value}]
    if first_priority != "absent":
        assert data["priority_list"][0]["priority"] == first_priority


def test_award_and_tie_dicts_have_no_infinite_floats():
    result = apportion({"A": 1, "B": 2, "C": 3}, 5, method="adams", min_seats=0)
    priorities = [a.to_dict()["priority"] for a in result.awards]
    assert priorities[:3] == [None, None, None] and priorities[3:] == [3.0, 2.0]
    assert [a.priority for a in result.awards][:3] == [math.inf] * 3  # the attribute itself stays a float
    tie = apportion({"A": 1, "B": 2, "C": 3}, 2, method="huntington-hill", min_seats=0).ties[0]
    assert tie.to_dict() == {"candidates": ["A", "B", "C"], "seats": 2, "value": None}


# ------------------------------------------------------------------ defect 2: a file without a header

@pytest.mark.parametrize(("text", "message"), [
    ("A,100\nB,200\nC,300\n", "line 1 looks like data"),
    ("California,39576757\n", "line 1 looks like data"),
    ("# comment\nA,\"1,000\"\nB,200\n", "line 2 looks like data"),
])
def test_headerless_file_is_refused_not_truncated(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_counts_csv(text, source="h.csv")


@pytest.mark.parametrize(("text", "expected"), [
    ("state,2020\nA,5\n", {"A": 5}),  # a recognised name column and a year as the number's title
    ("where,how many\nA,5\n", {"A": 5}),
    ("\ufeffState,Population\nA,5\n", {"A": 5}),  # a BOM left in text handed over directly
])
def test_two_column_headers_still_accepted(text, expected):
    assert parse_counts_csv(text) == expected


def test_headerless_file_through_the_cli(app, tmp_path):
    path = tmp_path / "nohdr.csv"
    path.write_text("A,100\nB,200\nC,300\n", encoding="utf-8")
    result = run(app, "apportion", "-p", path, "--seats", 5, "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert f"[E605] {path}: line 1 looks like data" in result.stderr


# ------------------------------------------------------------------ defect 3: thousands separators

@pytest.mark.parametrize(("raw", "expected"), [
    ("1,000", 1000), ("1,000,000", 1_000_000), ("12,345,678", 12_345_678), ("1_000", 1000), ("1 000 000", 1_000_000),
    ("999", 999), ("0", 0), ("007", 7),
    # refused: a decimal comma, groups not of three, mixed or stray separators
    ("12,5", "not a whole number"), ("1,00", "not a whole number"), ("10,00,000", "not a whole number"),
    ("1,0000", "not a whole number"), (",100", "not a whole number"), ("100,", "not a whole number"),
    ("1,000_000", "not a whole number"), ("1,,000", "not a whole number"),
])
def test_thousands_separators(raw, expected):
    text = f'state,population\nA,"{raw}"\n'
    if isinstance(expected, int):
        assert parse_counts_csv(text) == {"A": expected}
        return
    with pytest.raises(ValidationError, match=f"line 2.*{expected}"):
        parse_counts_csv(text)


# ------------------------------------------------------------------ defect 4: huge rule bounds

@pytest.mark.parametrize(("per", "options", "message"), [
    (10, {"min_seats": -(10**5000)}, "whole number >= 0, not a huge negative number"),
    (10, {"max_seats": -(10**5000)}, "not a huge negative number"),
    (10, {"min_seats": 10**5000}, "more than the limit of 100,000"),
    (10, {"max_seats": 10**5000}, "more than the limit of 100,000"),
    (10, {"min_seats": MAX_SEATS + 1}, r"minimum seats per state \(100,001\) are more than the limit"),
    (10**5000, {}, "people per seat .* over the limit of 1,000,000,000,000"),
    (10**12 + 1, {}, "over the limit"),
], ids=["huge negative min", "huge negative max", "huge min", "huge max", "min over limit", "huge per",
        "per over limit"])
def test_rule_bounds_are_checked(per, options, message):
    with pytest.raises(ValidationError, match=message):
        seats_per_population({"A": 10}, per, **options)


def test_rule_limits_themselves_accepted():
    rule = seats_per_population({"A": 10}, 10**12, min_seats=MAX_SEATS, max_seats=MAX_SEATS)
    assert dict(rule.seats) == {"A": MAX_SEATS}
    json.dumps(rule.to_dict())


@pytest.mark.parametrize(("options", "message"), [
    ({"max_seats": 10**5000}, r"maximum seats per state \(a huge number\) are more than the limit of 100,000"),
    ({"max_seats": MAX_SEATS + 1}, "more than the limit"),
], ids=["huge max", "max over limit"])
def test_apportion_maximum_is_bounded(options, message):
    with pytest.raises(ValidationError, match=message):
        apportion({"A": 1, "B": 2}, 3, **options)


def test_cli_rule_with_absurd_minimum(app):
    result = run(app, "apportion", "--per", 1000, "--min", 10**30)
    assert result.exit_code == 1 and "[E603]" in result.stderr and "more than the limit" in result.stderr


# ------------------------------------------------------------------ defect 5: many states

def bounded_divisor_check(pops, result, divisor, low, high):
    """Pukelsheim's max-min inequality for a divisor method with bounds, in exact arithmetic: the best
    claim of any state below its maximum is at most the weakest claim of any state above its minimum."""

    def value(state, n):  # the priority P / d(n) as a comparable key; d(n) = 0 is infinite
        d = divisor(n)
        return (1, Fraction(0)) if d == 0 else (0, Fraction(pops[state]) / d)

    waiting = [value(s, n) for s, n in result.seats.items() if high is None or n < high]
    seated = [value(s, n - 1) for s, n in result.seats.items() if n > low]
    if waiting and seated:
        assert max(waiting) <= min(seated)


EXACT_DIVISORS = {  # independent of design.apportion: the divisor (HH: its square) of the (n+1)-th seat
    "jefferson": lambda n: Fraction(n + 1),
    "webster": lambda n: Fraction(2 * n + 1, 2),
    "adams": lambda n: Fraction(n),
}


@pytest.mark.parametrize(("method", "states", "seats", "low"), [
    ("jefferson", 3000, 9000, 0),
    ("adams", 3000, 9000, 2),
    ("webster", 3000, 6000, 1),
])
def test_many_states_divisor_methods(method, states, seats, low):
    """Thousands of states (a 5 MB file holds hundreds of thousands): the priority list uses a heap,
    not a scan of every state for every seat; the result still satisfies the divisor criterion."""
    rng = random.Random(states + seats)
    pops = {f"S{i}": rng.randint(1, 10**9) for i in range(states)}
    result = apportion(pops, seats, method=method, min_seats=low, max_seats=6)
    assert result.complete and result.assigned == seats
    assert all(low <= n <= 6 for n in result.seats.values())
    bounded_divisor_check(pops, result, EXACT_DIVISORS[method], low, 6)


def test_many_states_hamilton_with_minimum():
    rng = random.Random(7)
    pops = {f"S{i}": rng.randint(1, 10**9) for i in range(4000)}
    result = apportion(pops, 12_000, method="hamilton", min_seats=1, max_seats=9)
    assert result.assigned == 12_000 and all(1 <= n <= 9 for n in result.seats.values())
    assert sum(row.quota for row in result.quotas) == 12_000  # the clamped quotas fill the house exactly


# ------------------------------------------------------------------ defect 6: zero-vote parties

@pytest.mark.parametrize(("votes", "threshold", "excluded", "seats"), [
    ({"X": 0, "Y": 10, "Z": 5}, 0, (), {"X": 0, "Y": 2, "Z": 1}),  # no threshold: nobody is excluded by it
    ({"X": 0, "Y": 10, "Z": 5}, 40, ("X", "Z"), {"X": 0, "Y": 3, "Z": 0}),
    ({"X": 0, "Y": 10, "Z": 5}, "33.4", ("X", "Z"), {"X": 0, "Y": 3, "Z": 0}),  # 5/15 = 33.33 % < 33.4
    ({"X": 0, "Y": 10, "Z": 5}, Fraction(100, 3), ("X",), {"X": 0, "Y": 2, "Z": 1}),  # exactly 1/3: passes
])
def test_threshold_excludes_only_parties_under_it(votes, threshold, excluded, seats):
    result = allocate(votes, 3, threshold=threshold)
    assert result.excluded == excluded and dict(result.seats) == seats


def test_zero_vote_party_is_not_labelled_below_threshold(app, tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("party,votes\nX,0\nY,10\n", encoding="utf-8")
    result = run(app, "pr", "--votes", path, "--seats", 3)
    assert result.exit_code == 0 and "below threshold" not in result.stdout


# ------------------------------------------------------------------ exact ties with huge populations

A_POP = 111_111_111_111  # B = 6A: A's 2nd seat and B's 9th have the same priority, A^2/2 = B^2/72


@pytest.mark.parametrize(("pops", "seats", "expected", "tie"), [
    ({"A": A_POP, "B": 6 * A_POP}, 9, {"A": 1, "B": 8}, ()),
    ({"A": A_POP, "B": 6 * A_POP}, 10, {"A": 1, "B": 8}, (("A", "B"), 1)),
    ({"A": A_POP, "B": 6 * A_POP}, 11, {"A": 2, "B": 9}, ()),
    ({"A": A_POP, "B": 6 * A_POP + 1}, 10, {"A": 1, "B": 9}, ()),  # one more person breaks the tie
    ({"A": A_POP + 1, "B": 6 * A_POP}, 10, {"A": 2, "B": 8}, ()),
])
def test_huntington_hill_tie_is_exact(pops, seats, expected, tie):
    result = apportion(pops, seats, method="huntington-hill")
    assert dict(result.seats) == expected
    assert [(t.candidates, t.seats) for t in result.ties] == ([tie] if tie else [])


# ------------------------------------------------------------------ constrained divisor methods

populations = st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(1, 10**12), min_size=1, max_size=7)


@settings(max_examples=80, deadline=None)
@given(pops=populations, low=st.integers(0, 3), span=st.integers(0, 6), fill=st.floats(0, 1),
       method=st.sampled_from(["jefferson", "webster", "adams", "huntington-hill"]))
def test_bounded_divisor_methods_satisfy_max_min_inequality(pops, low, span, fill, method):
    """Min/max bounds are the constrained divisor method (clamp the rounded quotients, one common
    divisor), not a patch applied after an unconstrained run: Pukelsheim's max-min inequality holds."""
    high = max(1, low) + span
    smallest, largest = max(1, len(pops) * low), len(pops) * high
    seats = smallest + round(fill * (largest - smallest))
    result = apportion(pops, seats, method=method, min_seats=low, max_seats=high)
    assert all(low <= n <= high for n in result.seats.values())
    if not result.complete:
        return
    if method == "huntington-hill":  # compare squares: P^2 / (n (n+1))
        squares = {s: p * p for s, p in pops.items()}
        bounded_divisor_check(squares, result, lambda n: Fraction(n * (n + 1)), low, high)
    else:
        bounded_divisor_check(pops, result, EXACT_DIVISORS[method], low, high)


@pytest.mark.parametrize(("low", "expected"), [
    # Adams: every state gets a first seat whatever the minimum below it; --min 2 starts the priority
    # list at 2 seats each (divisors 2, 3, ...), which is Adams constrained to at least 2.
    (0, {"A": 5, "B": 2, "C": 1}),
    (1, {"A": 5, "B": 2, "C": 1}),
    # min 2: A 2, B 2, C 2, then seats 7 and 8 go to A (900/2 = 450, 900/3 = 300, both over B's 200/2).
    (2, {"A": 4, "B": 2, "C": 2}),
])
def test_adams_minimum(low, expected):
    assert dict(apportion({"A": 900, "B": 200, "C": 100}, 8, method="adams", min_seats=low).seats) == expected


# ------------------------------------------------------------------ seats fewer than states

@pytest.mark.parametrize(("method", "expected", "tie"), [
    ("jefferson", {"A": 1, "B": 1, "C": 0}, ()),
    ("webster", {"A": 1, "B": 1, "C": 0}, ()),
    ("hamilton", {"A": 1, "B": 1, "C": 0}, ()),
    # every state's first seat has an infinite priority: any two of the three is an HH (Adams) result
    ("huntington-hill", {"A": 0, "B": 0, "C": 0}, (("A", "B", "C"), 2)),
    ("adams", {"A": 0, "B": 0, "C": 0}, (("A", "B", "C"), 2)),
])
def test_fewer_seats_than_states(method, expected, tie):
    result = apportion({"A": 300, "B": 200, "C": 100}, 2, method=method, min_seats=0)
    assert dict(result.seats) == expected
    assert [(t.candidates, t.seats) for t in result.ties] == ([tie] if tie else [])


@pytest.mark.parametrize("method", ["huntington-hill", "webster", "jefferson", "adams", "hamilton"])
def test_single_state_takes_the_house(method):
    assert dict(apportion({"Only": 5}, 7, method=method).seats) == {"Only": 7}


# ------------------------------------------------------------------ the 2020 House by other methods

ROUNDERS = {  # rounding of a quotient q = P / D, written independently of design.apportion
    "webster": lambda q: math.floor(q + 0.5),
    "jefferson": math.floor,
    "adams": math.ceil,
    "huntington-hill": lambda q: math.floor(q) + (q * q > math.floor(q) * (math.floor(q) + 1)),
}


def divisor_search(pops, seats, method, low=1):
    """The divisor method by bisection on the divisor D (floats; fine where no tie is near)."""
    lo, hi = 1.0, float(sum(pops.values()))
    for _ in range(200):
        mid = (lo + hi) / 2
        total = sum(max(low, ROUNDERS[method](p / mid)) for p in pops.values())
        if total == seats:
            return {s: max(low, ROUNDERS[method](p / mid)) for s, p in pops.items()}
        lo, hi = (mid, hi) if total > seats else (lo, mid)
    raise AssertionError("no divisor found")


@pytest.mark.parametrize(("method", "changes"), [
    ("huntington-hill", {}),
    # Computed, not assumed: Webster would have moved two seats from Montana and Rhode Island to
    # New York and Ohio; Jefferson favours large states, Adams small ones.
    ("webster", {"MT": 1, "RI": 1, "NY": 27, "OH": 16}),
    ("jefferson", {"AL": 6, "CA": 54, "FL": 29, "ME": 1, "MN": 7, "MT": 1, "NE": 2, "NH": 1, "NM": 2, "NY": 28,
                   "OH": 16, "OR": 5, "PA": 18, "RI": 1, "TX": 40}),
    ("adams", {"CA": 50, "DE": 2, "FL": 27, "ID": 3, "IL": 16, "SD": 2, "TX": 37, "UT": 5, "WV": 3}),
])
def test_2020_census_by_each_divisor_method(method, changes):
    census = load_census(2020)
    expected = {**HOUSE_2020, **changes}
    assert divisor_search(census.populations, 435, method) == expected  # the independent computation
    result = apportion(census.populations, 435, method=method)
    assert result.complete and dict(result.seats) == expected


def test_census_data_cannot_be_changed_by_a_caller():
    census = load_census(2020)
    with pytest.raises(TypeError):
        census.populations["NY"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        census.house["NY"] = 27  # type: ignore[index]
    assert load_census(2020).populations["NY"] == 20_215_751


# ------------------------------------------------------------------ defect 8: endless files

@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_file_is_refused_at_the_size_limit():
    """/dev/zero reports size 0 and never ends: reading it whole exhausted memory."""
    with pytest.raises(ValidationError, match="over the 5,242,880-byte limit") as info:
        read_counts_csv("/dev/zero")
    assert info.value.source == "/dev/zero"


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)])
def test_size_limit_is_exact(tmp_path, monkeypatch, extra, ok):
    import design.census

    text = "state,population\nA,5\n"
    monkeypatch.setattr(design.census, "MAX_CSV_BYTES", len(text.encode()) - 1 + (not extra))
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    if ok:
        assert read_counts_csv(path) == {"A": 5}
    else:
        with pytest.raises(ValidationError, match="-byte limit"):
            read_counts_csv(path)


# ------------------------------------------------------------------ defect 9: options silently ignored

@pytest.mark.parametrize(("args", "message"), [
    (("--rounding", "floor"), "--rounding applies only to --per"),
    (("--seats", 100, "--rounding", "ceil"), "--rounding applies only to --per"),
    (("--per", 1_000_000, "--details"), "--details applies only to --seats"),
])
def test_options_that_would_be_ignored_are_refused(app, args, message):
    result = run(app, "apportion", *args)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: [E603]") and message in result.stderr


@pytest.mark.parametrize("args", [("--per", 2_000_000, "--rounding", "round"), ("--per", 2_000_000)])
def test_rounding_with_per_still_works(app, args):
    expected = {s: max(1, (p + 1_000_000) // 2_000_000) for s, p in load_census(2020).populations.items()}
    data = strict_json(run(app, "apportion", *args, "--json").stdout)
    assert data["seats"] == expected and data["total"] == sum(expected.values()) and data["rounding"] == "round"


# ------------------------------------------------------------------ defect 10: PR method names

@pytest.mark.parametrize(("name", "canonical"), [
    ("d-hondt", "dhondt"), ("D'Hondt", "dhondt"), ("Jefferson", "dhondt"), ("saint-lague", "sainte-lague"),
    ("Sainte Laguë", "sainte-lague"), ("webster", "sainte-lague"), ("largest_remainders", "hamilton"),
    ("Hare", "hamilton"), ("modified-sainte-laguë", "modified-sainte-lague"),
])
def test_pr_accepts_the_apportionment_aliases(name, canonical):
    assert allocate({"A": 10, "B": 5}, 3, method=name).method == canonical


@pytest.mark.parametrize(("name", "message"), [
    ("borda", "unknown proportional representation method 'borda'"),
    ("adams", "'adams' is not a party-list method"),
    ("huntington-hill", "'huntington-hill' is not a party-list method"),
])
def test_pr_refuses_other_methods(name, message):
    with pytest.raises(ValidationError, match=message) as info:
        allocate({"A": 10, "B": 5}, 3, method=name)
    assert info.value.code == "E601"


# ------------------------------------------------------------------ defect 11: one state under two names

@pytest.mark.parametrize(("rows", "message"), [
    ("CA,100\nCalifornia,200\nTexas,50\n", "'CA' and 'California' both name California (CA): list each state once"),
    ("texas,5\nOregon,7\nTX,9\n", "'texas' and 'TX' both name Texas (TX)"),
])
def test_state_listed_by_code_and_name_is_refused(app, tmp_path, rows, message):
    path = tmp_path / "pops.csv"
    path.write_text("state,population\n" + rows, encoding="utf-8")
    result = run(app, "apportion", "-p", path, "--seats", 10)
    assert result.exit_code == 1 and result.stdout == ""
    assert f"[E605] {path}: " in result.stderr and message in result.stderr


def test_names_that_are_not_all_states_are_left_alone(app, tmp_path):
    path = tmp_path / "pops.csv"
    path.write_text("state,population\nCA,100\nCalifornia,200\nAtlantis,50\n", encoding="utf-8")
    data = strict_json(run(app, "apportion", "-p", path, "--seats", 10, "--json").stdout)
    assert set(data["seats"]) == {"CA", "California", "Atlantis"}


# ------------------------------------------------------------------ published worked examples, by hand

SIX = {"A": 47_000, "B": 16_000, "C": 15_800, "D": 12_000, "E": 6_100, "F": 3_100}  # 100,000 votes


@pytest.mark.parametrize(("method", "threshold", "expected"), [
    # Hare quota 10,000: quotas 4.7 1.6 1.58 1.2 .61 .31 -> 4 1 1 1 0 0; remainders .7 (A) .61 (E) .6 (B) win
    ("hare", 0, {"A": 5, "B": 2, "C": 1, "D": 1, "E": 1, "F": 0}),
    # D'Hondt: 47000 23500 16000 15800 15667 12000 11750 9400 8000 7900 (E's 6100 is the 11th)
    ("dhondt", 0, {"A": 5, "B": 2, "C": 2, "D": 1, "E": 0, "F": 0}),
    # Sainte-Laguë: 47000 16000 15800 15667 12000 9400 6714 6100 5333 5267 (C's 5267 beats A's 5222)
    ("sainte-lague", 0, {"A": 4, "B": 2, "C": 2, "D": 1, "E": 1, "F": 0}),
    # modified (first divisor 1.4): E's 6100/1.4 = 4357 loses to A's 47000/9 = 5222
    ("modified-sainte-lague", 0, {"A": 5, "B": 2, "C": 2, "D": 1, "E": 0, "F": 0}),
    # 5 % of the valid votes: F (3.1 %) is out; the Hare quota is then 96,900 / 10 = 9,690: quotas 4.85
    # 1.651 1.631 1.238 .630 -> 4 1 1 1 0, and the remainders .85 (A) .651 (B) .6305 (C) beat E's .6295
    ("hare", 5, {"A": 5, "B": 2, "C": 2, "D": 1, "E": 0, "F": 0}),
    # 6.1 % passes a 6.1 % threshold (>=), 6.11 % does not
    ("sainte-lague", "6.1", {"A": 4, "B": 2, "C": 2, "D": 1, "E": 1, "F": 0}),
    # without E: ... 6714 (A) 5333 (B) 5267 (C) 5222 (A) -> A's fifth seat, D's 12000/3 = 4000 is short
    ("sainte-lague", "6.11", {"A": 5, "B": 2, "C": 2, "D": 1, "E": 0, "F": 0}),
])
def test_six_party_worked_example(method, threshold, expected):
    result = allocate(SIX, 10, method=method, threshold=threshold)
    assert dict(result.seats) == expected and result.complete


# ------------------------------------------------------------------ wrong encodings named

@pytest.mark.parametrize(("data", "message"), [
    ("state,population\nA,1\n".encode("utf-16"),
     "not UTF-8 text: it is UTF-16 (it starts with a UTF-16 byte-order mark)"),
    ("state,population\nA,1\n".encode("utf-16-be"), "binary data or UTF-16 text (it contains NUL bytes)"),
    ("state,population\nÎle,5\n".encode("cp1252"), "not UTF-8 text (byte 17); save the file as UTF-8"),
], ids=["utf-16 with BOM", "utf-16 without BOM", "windows-1252"])
def test_wrong_encodings_are_named(tmp_path, data, message):
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    with pytest.raises(ValidationError, match=re_escape(message)) as info:
        read_counts_csv(path)
    assert info.value.source == str(path) and info.value.code == "E605"


def test_directory_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="cannot read the file") as info:
        read_counts_csv(tmp_path)
    assert info.value.source == str(tmp_path)
