"""compare.diff: word-level diff segments and their HTML."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compare.diff import Segment, diff, similarity, to_html

E, INS, D = "equal", "insert", "delete"

CASES = [
    ("the cat sat", "the dog sat", ((E, "the "), (D, "cat "), (INS, "dog "), (E, "sat"))),
    ("a b", "a b", ((E, "a b"),)),
    ("", "new words", ((INS, "new words"),)),
    ("old words", "", ((D, "old words"),)),
    ("", "", ()),
    ("one two", "one two three", ((E, "one two"), (INS, " three"))),
]


@pytest.mark.parametrize(("a", "b", "expected"), CASES)
def test_diff_segments(a, b, expected):
    assert diff(a, b) == tuple(Segment(op, text) for op, text in expected)


HTML = [
    ("a <b> c", "a <x> c", "a <del>&lt;b&gt;</del> <ins>&lt;x&gt;</ins> c"),
    ("x & y", "x & y", "x &amp; y"),
    ('say "hi"', "say 'hi'", "say <del>&quot;hi&quot;</del><ins>&#x27;hi&#x27;</ins>"),
]


@pytest.mark.parametrize(("a", "b", "expected"), HTML)
def test_html_is_escaped(a, b, expected):
    assert to_html(diff(a, b)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), [("a b c", "a b c", 1.0), ("a b", "c d", 0.0), ("a b", "a c", 0.5)])
def test_similarity(a, b, expected):
    assert similarity(diff(a, b)) == pytest.approx(expected)


words = st.lists(st.sampled_from(["the", "law", "shall", "not", "be", "(a)", "§", "<i>", "\n", "  ", "x"]),
                 max_size=30).map(" ".join)


@given(words, words)
def test_segments_rebuild_both_texts(a, b):
    segments = diff(a, b)
    assert "".join(s.text for s in segments if s.op != INS) == a
    assert "".join(s.text for s in segments if s.op != D) == b
    assert all(s.text for s in segments)
    assert all(x.op != y.op for x, y in itertools.pairwise(segments))
