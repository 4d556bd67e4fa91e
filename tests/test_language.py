"""constitutions.language: sentences that respect legal numbering, lemmas, caches."""

from __future__ import annotations

import pytest

from constitutions import language
from constitutions.language import Analysis, analyse, analyse_many


@pytest.fixture(scope="session")
def pipeline():
    return language.nlp()


SENTENCES = [
    ("Art. 12. (1) Every person has rights. The state protects them.",
     ("Art. 12. (1) Every person has rights.", "The state protects them.")),
    ("(a) Each chamber keeps a record. (b) Neither chamber may recess.",
     ("(a) Each chamber keeps a record.", "(b) Neither chamber may recess.")),
    ("Section 1. The U.S. Congress meets. No. 5 applies here.",
     ("Section 1. The U.S. Congress meets.", "No. 5 applies here.")),
    ("§ 1. Words here. Sec. 3. More words.", ("§ 1. Words here.", "Sec. 3. More words.")),
    ("1. First rule. 2. Second rule.", ("1. First rule.", "2. Second rule.")),
    ("A paragraph without a stop\n\nAnother one", ("A paragraph without a stop", "Another one")),
    ("Under Article 12. The President acts.", ("Under Article 12.", "The President acts.")),
    ("", ()),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences_respect_numbering(pipeline, text, expected):
    assert analyse(text).sentences == expected


LEMMAS = [
    ("The rights of the people were searched and seized", ("right", "people", "search", "seize")),
    ("Congress SHALL make no law", ("congress", "law")),
    ("Judges serve 12 years", ("judge", "serve", "year")),
    ("   ", ()),
]


@pytest.mark.parametrize(("text", "expected"), LEMMAS)
def test_lemmas_are_lower_case_content_words(pipeline, text, expected):
    assert analyse(text).lemmas == expected


def test_analyse_many_matches_analyse_and_keeps_order(pipeline):
    texts = ["Houses shall adjourn.", "", "Houses shall adjourn.", "Taxes are levied."]
    many = analyse_many(texts)
    assert many == [analyse(t) for t in texts]
    assert many[1] == Analysis((), ())


def test_persistent_cache_is_used_across_processes(pipeline, monkeypatch):
    text = "A unique synthetic sentence about lighthouses."
    first = analyse(text)
    language.clear_memory_cache()
    monkeypatch.setattr(language, "nlp", lambda: pytest.fail("pipeline used despite the database cache"))
    assert analyse(text) == first


def test_long_text_is_handled(pipeline):
    text = "The assembly meets yearly. " * 4000  # 108,000 characters
    result = analyse(text)
    assert len(result.sentences) == 4000
    assert result.lemmas[:3] == ("assembly", "meet", "yearly")


# The analysis reads the parse through token arrays, not token objects (for speed on long texts); it must
# say exactly what spaCy's own spans and its lookup lemmatizer say.
REFERENCE_TEXTS = [
    "Art. 12. (1) Every person has rights. The state protects them.  (2) Nobody may be held.",
    "The Judges, both of the supreme and inferior Courts, shall hold their Offices during good Behaviour.",
    "Section 1. The U.S. Congress meets.\n\nNo. 5 applies here; see Sec. 3 (a)(ii). Effects and arms remain.",
    "Le   Parlement   siège.\n\n\n(b) Customs duties [are] levied. i. First. ii. Second.",
    "Taxes — levied by the Honourable Houses' Committees — were 'labour' costs...",
]


def _reference(text: str) -> Analysis:
    """The analysis computed the plain way: spaCy's sentence spans and a lookup per token object."""
    doc = language.nlp()(text)
    sentences = tuple(s.text.strip() for s in doc.sents if s.text.strip())
    table = language._lemma_table()
    stop = language.stop_words()
    lemmas = []
    for token in doc:
        if not token.is_alpha or len(token.text) < 2 or token.lower_ in stop:
            continue
        lower = token.lower_
        lemma = lower if lower in language.LEXICAL_PLURALS else str(table.get(lower) or token.lemma_).lower()
        if lemma in stop or not lemma.isalpha():
            lemma = lower
        lemmas.append(language.american(lemma))
    return Analysis(sentences, tuple(lemmas))


@pytest.mark.parametrize("text", REFERENCE_TEXTS)
def test_analysis_equals_the_token_by_token_reference(pipeline, text):
    language.clear_memory_cache()
    assert analyse_many([text], persist=False)[0] == _reference(text)


@pytest.mark.parametrize(("text", "size", "expected"), [
    ("short text", 100, ["short text"]),
    ("aaaa bbbb\n\ncccc dddd\n\neeee", 12, ["aaaa bbbb", "\n\ncccc dddd", "\n\neeee"]),  # paragraph breaks first
    ("aaaa bbbb\ncccc dddd eeee", 12, ["aaaa bbbb", "\ncccc dddd", " eeee"]),  # then line breaks, then spaces
    ("abcdefghijklmnopqrstuvwxyz", 10, ["abcdefghij", "klmnopqrst", "uvwxyz"]),  # no whitespace: hard cuts
])
def test_long_texts_are_cut_into_pieces_that_join_back(text, size, expected):
    pieces = language._pieces(text, size)
    assert pieces == expected
    assert "".join(pieces) == text and all(len(p) <= size for p in pieces)


def test_a_text_analysed_in_pieces_reads_as_a_whole(pipeline, monkeypatch):
    paragraphs = [f"Art. {i}. The assembly of district {i} meets each spring. It elects a speaker." for i in range(40)]
    text = "\n\n".join(paragraphs)
    language.clear_memory_cache()
    whole = analyse_many([text], persist=False)[0]
    monkeypatch.setattr(language, "PIECE_CHARS", 300)
    assert len(language._pieces(text, 300)) > 10
    language.clear_memory_cache()
    assert analyse_many([text], persist=False)[0] == whole
    assert len(whole.sentences) == 80


def test_a_text_longer_than_spacys_limit_is_analysed(pipeline, monkeypatch):
    text = "\n\n".join(f"Section {i}. Every town keeps a public record." for i in range(200))
    monkeypatch.setattr(language.nlp(), "max_length", 2000)  # spaCy's limit, scaled down with the text
    monkeypatch.setattr(language, "PIECE_CHARS", 1000)
    language.clear_memory_cache()
    result = analyse_many([text], persist=False)[0]
    assert len(result.sentences) == 200 and result.lemmas[:2] == ("section", "town")
