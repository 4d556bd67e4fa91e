"""Numbering, ordering keys, word diff and the draft's JSON form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compare.diff import Segment, new_text, old_text
from compare.diff import diff as word_diff
from constitutions.model import Kind
from convene.errors import ReadError, ValidationError
from drafting.model import Draft, Node, Origin, ProvisionStatus
from drafting.numbering import DIGITS, Style, format_number, key_between, keys_between


@pytest.mark.parametrize(("n", "fmt", "expected"), [
    (1, "roman", "I"), (4, "roman", "IV"), (14, "roman", "XIV"), (3, "arabic", "3"), (1, "(a)", "(a)"),
    (26, "(a)", "(z)"), (27, "(a)", "(aa)"), (2, "(A)", "(B)"), (3, "(1)", "(3)"), (4, "(i)", "(iv)"),
    (2, "a.", "b."), (5, "none", ""),
])
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_unknown_format_is_a_validation_error():
    with pytest.raises(ValidationError):
        Style.of({"article": "greek"})
    with pytest.raises(ValidationError):
        Style.of({"stanza": "arabic"})


def test_style_round_trip():
    style = Style.of({"article": "arabic", "section": "(a)"}, {"article"})
    assert Style.from_dict(style.to_dict()) == style
    assert style.format_for(Kind.ARTICLE) == "arabic"
    assert style.format_for(Kind.CHAPTER) == "roman"


@pytest.mark.parametrize(("style", "expected"), [
    (None, Style()), ({}, Style()), ({"formats": None, "continuous": None}, Style()),
    ({"formats": {"article": "arabic"}}, Style.of({"article": "arabic"})),
    ({"continuous": []}, Style.of(continuous=set())),
    ({"formats": {}, "continuous": ["section"]}, Style.of(continuous={"section"})),
])
def test_style_from_dict_accepts(style, expected):
    assert Style.from_dict(style) == expected


@pytest.mark.parametrize(("style", "names"), [
    ("x", ['"style"', "a string"]),
    ([], ['"style"', "a list"]),
    (5, ['"style"', "a number"]),
    ({"formats": [1]}, ['"style.formats"', "a list"]),
    ({"formats": "roman"}, ['"style.formats"', "a string"]),
    ({"formats": {"article": "klingon"}}, ['"style.formats.article"', "'klingon'"]),
    ({"formats": {"article": 3}}, ['"style.formats.article"', "3"]),
    ({"formats": {"article": ["roman"]}}, ['"style.formats.article"']),
    ({"formats": {"stanza": "roman"}}, ['"style.formats"', "'stanza'"]),
    ({"continuous": 5}, ['"style.continuous"', "a number"]),
    ({"continuous": "article"}, ['"style.continuous"', "a string"]),
    ({"continuous": {"article": True}}, ['"style.continuous"', "an object"]),
    ({"continuous": ["bogus"]}, ['"style.continuous"', "'bogus'"]),
    ({"continuous": [1]}, ['"style.continuous"', "1"]),
    ({"continuous": [["article"]]}, ['"style.continuous"']),
    ({"formats": {}, "numbering": "roman"}, ["'numbering'", '"style"']),
])
def test_style_from_dict_rejects_bad_shapes_naming_the_field(style, names):
    with pytest.raises(ReadError) as info:
        Style.from_dict(style)
    assert info.value.message.startswith("bad numbering style")
    for name in names:
        assert name in info.value.message


@pytest.mark.parametrize(("formats", "continuous"), [([1], None), ("roman", None), (None, 5), (None, "article")])
def test_style_of_rejects_bad_shapes(formats, continuous):
    with pytest.raises(ValidationError, match="bad numbering style"):
        Style.of(formats, continuous)


_key = st.text(alphabet=DIGITS, min_size=1, max_size=6).filter(lambda k: not k.endswith("0"))


@given(_key, _key)
def test_key_between_is_strictly_between(a, b):
    if a == b:
        return
    lo, hi = min(a, b), max(a, b)
    key = key_between(lo, hi)
    assert lo < key < hi
    assert not key.endswith("0")


@given(st.one_of(st.none(), _key))
def test_key_between_open_ends(k):
    assert key_between(k, None) > (k or "")
    if k is not None:
        assert key_between(None, k) < k


def test_keys_between_short_and_sorted():
    keys = keys_between(None, None, 1000)
    assert keys == sorted(keys) and len(set(keys)) == 1000
    assert max(map(len, keys)) <= 3


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("a b c", "a b c", [("equal", "a b c")]),
    ("a b c", "a x c", [("equal", "a "), ("delete", "b "), ("insert", "x "), ("equal", "c")]),
    ("a b", "a b c", [("equal", "a b"), ("insert", " c")]),
    ("a b c", "a c", [("equal", "a "), ("delete", "b "), ("equal", "c")]),
    ("", "new words", [("insert", "new words")]),
    ("old words", "", [("delete", "old words")]),
])
def test_word_diff(old, new, expected):
    segments = word_diff(old, new)
    assert [(s.op, s.text) for s in segments] == expected
    assert new_text(segments) == new
    assert old_text(segments) == old


def _draft() -> Draft:
    nodes = {
        "p1": Node("p1", Kind.ARTICLE, None, "a", "Rights", "Text one.", rationale="why", tags=("rights",)),
        "p2": Node("p2", Kind.SECTION, "p1", "a", "", "Sub text.", origin=Origin("us", "art_1", "Art. I", "I", "H",
                                                                                  "Old text.")),
        "p3": Node("p3", Kind.ARTICLE, None, "b", "Gone", "", status=ProvisionStatus.STRUCK),
        "p4": Node("p4", Kind.ARTICLE, None, "c", "Powers", "Text four."),
        "p5": Node("p5", Kind.SECTION, "p4", "m", "", "Five."),
        "p6": Node("p6", Kind.SECTION, "p4", "f", "", "Six."),
    }
    return Draft(id="dtest", title="T", revision=3, nodes=nodes)


def test_tree_numbering_skips_struck_and_follows_order():
    draft = _draft()
    assert [(p.label, p.eid) for p in draft.walk()] == [
        ("Article I", "art_1"), ("Section 1", "art_1__sec_1"), ("Article (struck)", "art_nn_2"),
        ("Article II", "art_2"), ("Section 1", "art_2__sec_1"), ("Section 2", "art_2__sec_2")]
    assert [p.id for p in draft.walk()][-2:] == ["p6", "p5"]


def test_draft_json_round_trip():
    draft = _draft()
    assert Draft.from_dict(draft.to_dict()) == draft


@pytest.mark.parametrize("bad", [
    {}, {"format": "convene-draft", "schema": 99}, {"format": "convene-draft", "schema": 1, "provisions": {}},
    {"format": "convene-draft", "schema": 1, "provisions": [{"id": "x", "kind": "stanza"}]},
    {"format": "convene-draft", "schema": 1, "provisions": [{"id": "x", "kind": "article"},
                                                           {"id": "x", "kind": "article"}]},
])
def test_bad_draft_json_is_a_read_error(bad):
    with pytest.raises(ReadError):
        Draft.from_dict(bad)


def test_segment_to_dict():
    assert Segment("insert", "x").to_dict() == {"op": "insert", "text": "x"}
