"""compare.roles: institutions recognised by the role they play, whatever their name (synthetic sentences)."""

from __future__ import annotations

import pytest

from compare import roles

MENTIONS = [
    ("The executive power belongs to the President of the Republic.", False,
     [("President of the Republic", "head-of-state")]),
    ("The Vice President shall be President of the Senate.", False,
     [("Vice President", "deputy-head-of-state"), ("President of the Senate", "presiding-officer")]),
    ("The Federal Chancellor is elected by the Bundestag.", False,
     [("Federal Chancellor", "head-of-government"), ("Bundestag", "first-chamber")]),
    ("The Taoiseach answers to Dáil Éireann; Seanad Éireann may delay.", False,
     [("Taoiseach", "head-of-government"), ("Dáil Éireann", "first-chamber"), ("Seanad Éireann", "second-chamber")]),
    ("The Governor may veto a bill of the Legislature.", False,
     [("Governor", "subnational-executive"), ("Legislature", "legislature")]),
    ("The Governor may veto a bill of the Legislature.", True,
     [("Governor", "head-of-state"), ("Legislature", "legislature")]),
    ("Each county governor reports to the County Assembly.", False,
     [("county governor", "subnational-executive"), ("County Assembly", "subnational-legislature")]),
    ("The National Assembly and the Council of States meet.", False,
     [("National Assembly", "legislative-chamber"), ("Council of States", "second-chamber")]),
    ("the president of a commission and the king of the hill", False, []),  # lower case: not the institutions
    ("The head of state and the Head of Government.", False,
     [("head of state", "head-of-state"), ("Head of Government", "head-of-government")]),
    ("", False, []),
    ("Parliamentarians, Presidential, Kingdom", False, []),  # whole words only
    ("THE PRESIDENT", False, [("PRESIDENT", "head-of-state")]),  # a heading set in capitals
    ("DÁIL ÉIREANN AND SEANAD ÉIREANN", False,
     [("DÁIL ÉIREANN", "first-chamber"), ("SEANAD ÉIREANN", "second-chamber")]),
    ("IT IS SO ORDERED BY THE CROWN", False, [("CROWN", "head-of-state")]),
    ("The Prime Minister and the other Ministers of State form the Cabinet.", False,
     [("Prime Minister", "head-of-government"), ("Ministers of State", "cabinet"), ("Cabinet", "cabinet")]),
    ("The Tánaiste acts for the Taoiseach.", False,
     [("Tánaiste", "deputy-head-of-government"), ("Taoiseach", "head-of-government")]),
    ("Judges of the inferior courts are named by the Supreme Court.", False,
     [("inferior courts", "ordinary-court"), ("Supreme Court", "apex-court")]),
    ("The Vice-president acts while the President-elect waits.", False,
     [("Vice-president", "deputy-head-of-state"), ("President-elect", "head-of-state")]),
    ("The Deputy President-elect is sworn in.", False, [("Deputy President-elect", "deputy-head-of-state")]),
    ("An appeal lies from the Electoral Court to the Federal Administrative Court.", False,
     [("Electoral Court", "electoral-court"), ("Federal Administrative Court", "administrative-court")]),
]


@pytest.mark.parametrize(("text", "subnational", "expected"), MENTIONS)
def test_mentions(text, subnational, expected):
    found = roles.mentions(text, subnational=subnational)
    assert [(m.name, m.role.key) for m in found] == expected
    assert all(text[m.start:m.end] == m.name for m in found)


def test_tokens_and_roles_add_the_broader_role():
    text = "The Senate and the House of Representatives."
    assert roles.tokens(text) == ["role:second-chamber", "role:legislative-chamber", "role:first-chamber",
                                  "role:legislative-chamber"]
    assert [r.generic for r in roles.roles("The Senate")] == ["second chamber", "legislative chamber"]
    assert [r.key for r in roles.roles(text)] == ["second-chamber", "legislative-chamber", "first-chamber"]
    assert [r.key for r in roles.roles(text, broader=False)] == ["second-chamber", "first-chamber"]
    assert roles.tokens("The Chancellor and the Federal President") == [
        "role:head-of-government", "role:executive", "role:head-of-state", "role:executive"]


@pytest.mark.parametrize(("title", "expected"), [
    ("Constitution of the State of California", True), ("Constitution of the Province of Ontario", True),
    ("Constitution of the Republic of South Africa", False), ("Constitution of the United States", False),
    ("", False),
])
def test_is_subnational(title, expected):
    assert roles.is_subnational(title) is expected


def test_every_name_has_a_known_role_and_every_role_a_generic_phrase():
    assert set(roles.NAMES) <= set(roles.BY_KEY)
    for role in roles.ROLES:
        assert role.generic and all(k in roles.BY_KEY for k in role.broader)


def test_hostile_and_huge_text():
    text = ("President " * 50_000) + "\x00\ud800 Senate"
    found = roles.mentions(text)
    assert len(found) == 50_001 and found[-1].role.key == "second-chamber"


@pytest.mark.parametrize(("text", "subnational", "expected"), [
    ("Congress shall have Power to lay Taxes", False, "the legislature shall have Power to lay Taxes"),
    ("The Diet shall be the sole law-making organ of the State.", False,
     "The legislature shall be the sole law-making organ of the State."),
    ("vested in a Senate and House of Representatives", False, "vested in a second chamber and the first chamber"),
    ("approved by the Bundestag and the Bundesrat", False, "approved by the first chamber and the second chamber"),
    ("The Governor may veto a bill.", True, "The head of state may veto a bill."),
    ("The Governor may veto a bill.", False, "The subnational executive may veto a bill."),
    ("The court shall sit in public.", False, "The court shall sit in public."),  # names no institution: as is
    ("", False, ""),
])
def test_generic_text_names_each_institution_by_its_role(text, subnational, expected):
    assert roles.generic_text(text, subnational=subnational) == expected


def test_generic_text_of_a_huge_hostile_text():
    text = ("President " * 20_000) + "\x00\ud800 Senate"
    out = roles.generic_text(text)
    assert out.count("head of state") == 20_000 and out.endswith("\x00\ud800 the second chamber")
