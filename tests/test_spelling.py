"""constitutions.spelling: British and American spellings meet (synthetic words and sentences)."""

from __future__ import annotations

import pytest

from constitutions import spelling
from constitutions.language import analyse


@pytest.mark.parametrize(("british", "american"), [
    ("defence", "defense"), ("offence", "offense"), ("labour", "labor"), ("organisation", "organization"),
    ("organise", "organize"), ("licence", "license"), ("programme", "program"), ("councillor", "councilor"),
    ("honourable", "honorable"), ("centre", "center"), ("judgement", "judgment"),
])
def test_british_forms_take_the_american_spelling(british, american):
    assert spelling.american(british) == american
    assert spelling.american(american) == american


@pytest.mark.parametrize("word", ["cheque", "draught", "cos", "exercise", "advise", "tour", "", "zzyzx"])
def test_other_words_are_left_alone(word):
    assert spelling.american(word) == word


def test_the_table_holds_only_single_lower_case_words():
    t = spelling.table()
    assert len(t) > 1000
    assert all(k.isalpha() and k.islower() and v.isalpha() and v.islower() and k != v for k, v in t.items())
    assert not spelling.NOT_VARIANTS & set(t)


def test_lemmas_of_both_spellings_are_one():
    british = analyse("The Union shall organise the defence of the realm and honour the labour of councillors.")
    american = analyse("The Union shall organize the defense of the realm and honor the labor of councilors.")
    assert british.lemmas == american.lemmas
    assert "defense" in british.lemmas


def test_plurals_with_a_sense_of_their_own_stay_plural():
    from compare.topics import stem

    text = "The right to keep and bear arms; the armed forces; damages for harm; the law comes into force."
    lemmas = analyse(text).lemmas
    assert "arms" in lemmas and "forces" in lemmas and "damages" in lemmas
    assert "arm" in lemmas and "force" in lemmas  # "armed" and "force" are still the ordinary words
    assert stem("arms") == "arms" and stem("armed") == "arm"
