"""``convene apportion`` and ``convene pr`` through typer's CliRunner on a local app."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from design.cli import register
from tests.test_apportion import HOUSE_2020


def design_app() -> typer.Typer:
    """The design commands on their own typer app."""
    local = typer.Typer(pretty_exceptions_enable=False)

    @local.callback()
    def _root() -> None:
        """Test app."""

    register(local)
    return local


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    return design_app()


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_default_is_the_2020_house(app):
    result = run(app, "apportion")
    assert result.exit_code == 0, result.output
    assert "Seats assigned: 435 of 435" in result.stdout
    assert "California (CA)" in result.stdout
    assert "Last seat (435): MN" in result.stdout and "Next in line (436): NY" in result.stdout


def test_json_state_to_seats(app):
    result = run(app, "apportion", "--method", "huntington-hill", "--seats", 435, "--min", 1, "--census", 2020,
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["seats"] == HOUSE_2020
    assert data["ties"] == [] and data["unassigned"] == 0 and data["method"] == "huntington-hill"


def test_json_details_priority_list(app):
    data = json.loads(run(app, "apportion", "--json", "--details").stdout)
    assert len(data["priority_list"]) == 385
    assert data["priority_list"][0] == {"number": 51, "state": "CA", "seat": 2, "divisor": pytest.approx(2 ** 0.5),
                                        "priority": pytest.approx(39_576_757 / 2 ** 0.5), "tied": False}
    assert data["priority_list"][-1]["state"] == "MN" and data["next_seats"][0]["state"] == "NY"


def test_other_method_shows_change(app):
    result = run(app, "apportion", "--method", "jefferson")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "California (CA)" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    seats, house, change = int(cells[3]), int(cells[4]), cells[5]
    assert house == 52 and seats > 52 and change == f"+{seats - 52}"  # Jefferson favours large states


def test_per_capita_rule(app):
    result = run(app, "apportion", "--per", 2_000_000, "--min", 1, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["seats"]["CA"] == 20 and data["seats"]["WY"] == 1 and data["rounding"] == "round"
    assert data["total"] == sum(data["seats"].values())
    human = run(app, "apportion", "--per", 8_000_000, "--rounding", "ceil")
    assert human.exit_code == 0 and "One seat per 8,000,000 people" in human.stdout and "Total seats:" in human.stdout


def test_populations_file_by_state_name(app, tmp_path):
    path = tmp_path / "pops.csv"
    path.write_text("state,population\nVermont,643503\nWyoming,577719\nNew York,20215751\n", encoding="utf-8")
    data = json.loads(run(app, "apportion", "--populations", path, "--seats", 10, "--json").stdout)
    assert data["seats"] == {"Vermont": 1, "Wyoming": 1, "New York": 8}
    human = run(app, "apportion", "--populations", path, "--seats", 10)
    assert "House 2020" in human.stdout and "New York (NY)" in human.stdout


def test_tie_is_reported(app, tmp_path):
    path = tmp_path / "tie.csv"
    path.write_text("state,population\nA,1000\nB,600\nC,400\n", encoding="utf-8")
    data = json.loads(run(app, "apportion", "-p", path, "--seats", 5, "--method", "webster", "--json").stdout)
    assert data["ties"] == [{"candidates": ["A", "B"], "seats": 1, "value": 400.0}] and data["unassigned"] == 1
    human = run(app, "apportion", "-p", path, "--seats", 5, "--method", "webster")
    assert "TIE" in human.stdout and "A, B" in human.stdout and "Seats assigned: 4 of 5" in human.stdout


def test_hamilton_details_table(app):
    result = run(app, "apportion", "--method", "hamilton", "--details")
    assert result.exit_code == 0 and "Quotas and remainders" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--method", "borda"), "[E601] unknown apportionment method 'borda'"),
    (("--seats", 10), "needs 50 seats, more than the 10 available"),
    (("--census", 1990), "no census data for 1990"),
    (("--per", 0), "people per seat must be a positive whole number"),
    (("--per", 1000, "--seats", 10), "do not combine it with --seats"),
    (("--populations", "/nonexistent/p.csv"), "cannot read the file"),
    (("--census", 2020, "--populations", "x.csv"), "either --census or --populations"),
    (("--min", 3, "--max", 2), "below the minimum"),
    # audit defects 3, 17, 18
    (("--seats", "99999999999999999999999"), "[E603] 99,999,999,999,999,999,999,999 seats are more than the limit"),
    (("--seats", 1_000_000, "--method", "webster"), "more than the limit of 100,000"),
    (("--census", 0), "[E604] no census data for 0"),
    (("--method", ""), "[E601] unknown apportionment method ''"),
])
def test_apportion_errors(app, args, message):
    result = run(app, "apportion", *args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.startswith("error: [E6")
    assert result.stdout == ""


@pytest.mark.parametrize(("content", "message"), [
    ("state,population\nA,-4\nB,5\n", "line 2, population of 'A': '-4' is negative"),
    ("state,population\nA,0\nB,5\n", "population of 'A' is 0: it must be positive"),
    ("state,population\nA,\n", "number is missing"),
    ("nothing useful here\n", "no name column"),
    # audit defects 5, 6, 7, 19, 21: every one names the file
    ("state,population\nA,²\nB,10\n", "[E605] {path}: line 2, population of 'A': '²' is not written with the digits"),
    ("state,population\nA,١٢٣\nB,10\n", "[E605] {path}: line 2, population of 'A': '١٢٣' is not written"),
    ("state,population\nA," + "9" * 5000 + "\nB,10\n", "[E605] {path}: line 2, population of 'A': '99"),
    ("state,population\nA," + "9" * 400 + "\nB,10\n", "over the limit of 1,000,000,000,000"),
    ("state,population\nCalifornia,100\ncalifornia,200\n", "[E605] {path}: line 3: 'california' and 'California'"),
    ("state,population\nA,0\nB,5\n", "[E602] {path}: line 2, population of 'A' is 0: it must be positive"),
])
def test_apportion_bad_files(app, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = run(app, "apportion", "--populations", path, "--seats", 5, "--min", 0)
    assert result.exit_code == 1 and message.format(path=path) in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr) < 1000


@pytest.mark.parametrize("method", ["huntington-hill", "webster", "hamilton"])
def test_names_with_markup_are_printed_literally(app, tmp_path, method):
    """Audit defect 8: a state named ``[/]`` crashed Rich; names are now escaped, tie candidates included."""
    path = tmp_path / "[red]pops.csv"
    path.write_text("state,population\n[/],1000\n[bold]X,600\nC\\,400\n", encoding="utf-8")
    for extra in ((), ("--details",)):
        result = run(app, "apportion", "-p", path, "--seats", 5, "--method", method, *extra)
        assert result.exit_code == 0, result.output
        assert "[/]" in result.stdout and "[bold]X" in result.stdout and "[red]pops.csv" in result.stdout
    tie = run(app, "apportion", "-p", path, "--seats", 5, "--method", "webster")
    assert "undecided between [/], [bold]X" in tie.stdout
    rule = run(app, "apportion", "-p", path, "--per", 1000, "--min", 2)
    assert rule.exit_code == 0 and "Raised to the minimum: [/], [bold]X, C\\" in rule.stdout


def test_pr_names_with_markup_are_printed_literally(app, tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("party,votes\n[/],100\n[bold]B,50\n", encoding="utf-8")
    for extra in ((), ("--details",), ("--method", "hare", "--details")):
        result = run(app, "pr", "--votes", path, "--seats", 5, *extra)
        assert result.exit_code == 0, result.output
        assert "│ [/] " in result.stdout and "[bold]B" in result.stdout
    assert "undecided between [/], [bold]B" in run(app, "pr", "--votes", path, "--seats", 5).stdout


def test_pr_command(app, tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("party,votes\nA,100000\nB,80000\nC,30000\nD,20000\n", encoding="utf-8")
    data = json.loads(run(app, "pr", "--votes", path, "--seats", 8, "--method", "dhondt", "--json").stdout)
    assert data["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}
    data = json.loads(run(app, "pr", "--votes", path, "--seats", 8, "--method", "sainte-lague",
                          "--threshold", 10, "--json").stdout)
    assert data["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0} and data["excluded"] == ["D"]
    human = run(app, "pr", "--votes", path, "--seats", 6, "--method", "sainte-lague", "--details")
    assert human.exit_code == 0
    assert "below threshold" not in human.stdout and "TIE" in human.stdout and "Priority list" in human.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--seats", 5, "--method", "borda"), "unknown proportional representation method"),
    (("--seats", 5, "--threshold", "abc"), "not a number"),
    (("--seats", 0), "positive whole number"),
    # audit defects 3, 9
    (("--seats", "99999999999"), "[E603] 99,999,999,999 seats are more than the limit of 100,000"),
    (("--seats", 5, "--threshold", "inf"), "[E606] threshold 'inf' is not a finite number"),
    (("--seats", 5, "--threshold", "nan"), "not a finite number"),
    (("--seats", 5, "--threshold", "1e-999999999"), "more than 30 decimal places"),
])
def test_pr_errors(app, tmp_path, args, message):
    path = tmp_path / "votes.csv"
    path.write_text("party,votes\nA,10\nB,5\n", encoding="utf-8")
    result = run(app, "pr", "--votes", path, *args)
    assert result.exit_code == 1 and message in result.stderr
