"""English language processing for constitutional text: sentences and lemmas.

One spaCy pipeline (:func:`nlp`): ``spacy.blank("en")`` + ``sentencizer`` +
``lemmatizer`` in ``lookup`` mode (tables from ``spacy-lookups-data``, so it works
offline), plus a ``legal_boundaries`` component that keeps legal numbering
inside its sentence.

Guarantees of :func:`analyse`:

- a blank line (paragraph break) always starts a new sentence: the text is
  segmented by structure first;
- inside a paragraph a sentence never ends right after a provision label
  ("Art. 12.", "1.", "(a)", "§ 1.", "Sec. 3.") or an abbreviation such as
  "No.", "U.S.", "Art.", "cl.";
- ``lemmas`` are lower-case lemmas of the alphabetic content words, stop words
  removed, in text order (repeats kept: they are term frequencies), in American
  spelling (:mod:`constitutions.spelling`: "defence" and "defense" are one lemma);
  plurals with a sense of their own (:data:`LEXICAL_PLURALS`: "arms", "damages")
  stay plural;
- importing this module is cheap: spaCy is imported (and its INFO logging
  silenced) only when a text is first analysed, so a command that reads a
  persisted index never pays for it;
- results are cached twice: an in-process LRU keyed by the text's hash, and a
  table in the Convene database (:mod:`convene.db`), so a provision's text is
  analysed once per machine.  A cache that cannot be written is skipped, never
  an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from constitutions.spelling import american
from convene import db
from convene.errors import ConveneError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Bump when the pipeline or the lemma rules change: cached analyses of older versions are ignored.
PIPELINE_VERSION = 4

# Abbreviations after which a full stop never ends a sentence (compared without the stop, case-folded).
ABBREVIATIONS = frozenset({
    "art", "arts", "sec", "secs", "no", "nos", "amend", "amdt", "cl", "cls", "ch", "chap", "para", "paras",
    "subd", "subpara", "pt", "sch", "sched", "const", "st", "mr", "mrs", "ms", "dr", "hon", "v", "vs", "cf",
    "ibid", "id", "u.s", "e.g", "i.e", "etc", "viz", "jr", "sr", "co", "corp", "inc", "ltd", "approx",
})

# Plurals with a sense of their own in legal English, kept as written rather than reduced to the singular:
# "arms" are weapons (not limbs, and not "armed"), "damages" compensation, "customs" duties, "effects"
# belongings (not legal effect), "forces" troops (not "in force"), "goods" merchandise (not the public good).
LEXICAL_PLURALS = frozenset({"arms", "customs", "damages", "effects", "forces", "goods", "premises", "proceeds",
                             "securities"})

# A "sentence" that is nothing but a provision label: it belongs to the sentence that follows it.
_LABEL = re.compile(
    r"""^\s*
    (?:(?:art(?:icle)?|sec(?:tion)?|amend(?:ment)?|no|cl(?:ause)?|para(?:graph)?|ch(?:apter)?|part|title|§+)
       \.?\s*)?                                  # optional kind word: "Art.", "Section", "§"
    (?:\(?[0-9]+[a-z]?(?:\.[0-9]+)*[°º]?\)?      # 12, 12A, 1.1, (3), 40.6.1°
      |\(?[ivxlcdm]+\)?                          # roman: XIV, (iv)
      |\(?[a-z]{1,2}\)                           # (a), (aa)
      |[a-z]\.)                                  # a.
    \s*[.:]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


PIECE_CHARS = 500_000  # a longer text is analysed in pieces (see _pieces)
MAX_LABEL_TOKENS = 16  # "Art. 40.6.1°:" is 7 tokens, with spaces between them at most 13


def legal_boundaries(doc: Doc) -> Doc:
    """Undo the sentencizer's splits after labels and abbreviations; force a split at blank lines.

    Reads the tokens as arrays and touches a token object only to move a boundary: building a Python
    object per token would cost more, on a long text, than the rest of the pipeline."""
    from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY

    columns = doc.to_array([ORTH, SENT_START, IS_SPACE, SPACY]).T.tolist()  # columns: no list per token
    strings = doc.vocab.strings
    forms = [strings[orth] for orth in columns[0]]
    starts = [flag == 1 for flag in columns[1]]
    spaces, trailing = columns[2], columns[3]
    moved: dict[int, bool] = {}

    def set_start(i: int, value: bool) -> None:
        # collected and written once below: setting ``doc[i].is_sent_start`` rescans the whole document
        # each time, which made a long text's analysis grow with the square of its length
        moved[i] = value
        starts[i] = value

    for i in range(2, len(doc)):  # the sentencizer leaves an opening bracket on the previous sentence
        if starts[i] and forms[i - 1] in "([" and not starts[i - 1]:
            set_start(i - 1, True)
            set_start(i, False)
    start = 0
    for i in range(1, len(doc)):
        if spaces[i - 1] and forms[i - 1].count("\n") >= 2:
            set_start(i, True)
            start = i
            continue
        if not starts[i]:
            continue
        if _joins_previous(forms, trailing, start, i):
            set_start(i, False)
        else:
            start = i
    if moved:
        flags = doc.to_array([SENT_START]).astype("int64")  # 1 starts a sentence, -1 does not, 0 unknown
        for i, value in moved.items():
            flags[i] = 1 if value else -1
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))  # -1 wraps, as spaCy stores it
    return doc


def _joins_previous(forms: list[str], trailing: list[int], start: int, i: int) -> bool:
    """True when the sentencizer's boundary before token ``i`` falls after a label or an abbreviation
    (``forms``: the tokens as written; ``trailing[k]``: whether token k is followed by a space)."""
    prev = forms[i - 1]
    before = forms[i - 2] if i >= 2 else None
    if prev == "." and before is not None and before.casefold().rstrip(".") in ABBREVIATIONS:
        return True  # "Art" "." -> "Art."
    if prev.endswith(".") and len(prev) > 1 and prev.casefold().rstrip(".") in ABBREVIATIONS:
        return True  # "U.S." is one token
    if i - start > MAX_LABEL_TOKENS:
        return False  # far longer than any label: not one
    span = "".join(forms[k] + (" " if trailing[k] else "") for k in range(start, i - 1)) + forms[i - 1]
    return bool(_LABEL.match(span))


# modal and structural words that carry no subject matter in legal text (added to spaCy's English stop words)
LEGAL_STOP_WORDS = frozenset({
    "shall", "must", "art", "sec", "cl", "para", "subd", "subpara", "hereby", "thereof", "therein", "thereto",
    "hereof", "herein", "whereof", "unto", "said"})


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words plus :data:`LEGAL_STOP_WORDS`."""
    from spacy.lang.en.stop_words import STOP_WORDS as english

    return frozenset(english | LEGAL_STOP_WORDS)


def __getattr__(name: str):
    if name == "STOP_WORDS":  # kept for callers of the former module constant (imports spaCy)
        return stop_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def nlp() -> Language:
    """The shared pipeline, built once per process (the first call imports spaCy)."""
    try:
        import spacy
        from spacy.language import Language

        logging.getLogger("spacy").setLevel(logging.WARNING)  # no INFO lines on stderr
        if not Language.has_factory("legal_boundaries"):
            Language.component("legal_boundaries", func=legal_boundaries)
        pipeline = spacy.blank("en")
        pipeline.add_pipe("sentencizer")
        pipeline.add_pipe("legal_boundaries", after="sentencizer")
        pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
        pipeline.initialize()
    except (OSError, ValueError, ImportError) as exc:  # spacy-lookups-data missing or broken
        raise ConveneError(f"cannot build the English pipeline (is spacy-lookups-data installed?): {exc}",
                           code="E400") from exc
    pipeline.max_length = 10_000_000
    return pipeline


@cache
def _lemma_table():
    """spaCy's lookup table (a ``spacy.lookups.Table``, keyed by string hashes; ``get`` takes strings)."""
    return nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


@dataclass(frozen=True, slots=True)
class Analysis:
    """Sentences of a text and its content-word lemmas (lower-case, stop words removed, in order)."""

    sentences: tuple[str, ...]
    lemmas: tuple[str, ...]


EMPTY = Analysis((), ())


def _from_doc(doc: Doc, text: str) -> Analysis:
    """The analysis of ``doc``, the pipeline's parse of ``text`` (which spaCy keeps character for character)."""
    from spacy.attrs import IDX, LENGTH, ORTH, SENT_START

    # token attributes as arrays: doc.sents and token iteration would build a Python object per token,
    # which for a 100,000-character text costs more than the whole pipeline
    orths, flags, offsets, lengths = doc.to_array([ORTH, SENT_START, IDX, LENGTH]).T.tolist()
    starts = [i for i, flag in enumerate(flags) if i == 0 or flag == 1]
    sentences = tuple(t for begin, end in zip(starts, [*starts[1:], len(orths)], strict=True)
                      if (t := text[offsets[begin]:offsets[end - 1] + lengths[end - 1]].strip()))
    lemmas = []
    strings = doc.vocab.strings
    for orth in orths:
        lemma = _lemma_memo.get(orth, _MISSING)
        if lemma is _MISSING:
            lemma = _lemma_of(strings[orth])
            if len(_lemma_memo) >= _LEMMA_MEMO_SIZE:
                _lemma_memo.clear()
            _lemma_memo[orth] = lemma
        if lemma is not None:
            lemmas.append(lemma)
    return Analysis(sentences, tuple(lemmas))


_LEMMA_MEMO_SIZE = 200_000
_lemma_memo: dict[int, str | None] = {}  # by the form's hash in spaCy's string store: texts repeat their words
_MISSING = object()


def _lemma_of(text: str) -> str | None:
    """The content-word lemma of one token as written (None: punctuation, numbers, one letter, stop words)."""
    lemma: str | None = None
    if text.isalpha() and len(text) >= 2:
        lower = text.lower()
        stop = stop_words()
        if lower not in stop:
            # the lookup table is keyed by the form as written: "Judges" is not in it, "judges" is
            table = _lemma_table()
            lemma = lower if lower in LEXICAL_PLURALS else str(table.get(lower) or table.get(text) or text).lower()
            if lemma in stop or not lemma.isalpha():
                lemma = lower
            lemma = american(lemma)
    return lemma


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# ------------------------------------------------------------------ caches

_LRU_SIZE = 50_000
_lru: OrderedDict[str, Analysis] = OrderedDict()


def _lru_get(key: str) -> Analysis | None:
    found = _lru.get(key)
    if found is not None:
        _lru.move_to_end(key)
    return found


def _lru_put(key: str, value: Analysis) -> None:
    _lru[key] = value
    _lru.move_to_end(key)
    while len(_lru) > _LRU_SIZE:
        _lru.popitem(last=False)


def clear_memory_cache() -> None:
    _lru.clear()


_TABLE = """CREATE TABLE IF NOT EXISTS language_analysis (
    key TEXT PRIMARY KEY, version INTEGER NOT NULL, sentences TEXT NOT NULL, lemmas TEXT NOT NULL)"""


def _db_get(keys: Sequence[str]) -> dict[str, Analysis]:
    found: dict[str, Analysis] = {}
    if not keys:
        return found
    try:
        with db.opened() as conn:
            conn.execute(_TABLE)
            for chunk_start in range(0, len(keys), 500):
                chunk = keys[chunk_start:chunk_start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT key, sentences, lemmas FROM language_analysis WHERE version = ? AND key IN ({marks})",
                    (PIPELINE_VERSION, *chunk))
                for row in rows:
                    found[row["key"]] = Analysis(tuple(json.loads(row["sentences"])), tuple(json.loads(row["lemmas"])))
    except (ConveneError, sqlite3.Error, ValueError):
        return {}
    return found


def _db_put(items: dict[str, Analysis]) -> None:
    if not items:
        return
    rows = [(k, PIPELINE_VERSION, json.dumps(v.sentences), json.dumps(v.lemmas)) for k, v in items.items()]
    try:
        with db.opened() as conn:
            conn.execute(_TABLE)
            with db.transaction(conn):
                conn.executemany("INSERT OR REPLACE INTO language_analysis VALUES (?, ?, ?, ?)", rows)
    except (ConveneError, sqlite3.Error):
        return


# ------------------------------------------------------------------ API

def analyse(text: str) -> Analysis:
    """Sentences and lemmas of ``text`` (cached)."""
    return analyse_many([text])[0]


def _pieces(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back into it, each ending at a
    paragraph break, else a line break, else a space, in the second half of the piece (a hard cut only when
    there is none).  A blank line is a sentence boundary anyway, so a long text cut at blank lines has the
    sentences and lemmas of its pieces, one after the other; a cut at a line break or a space may split one
    sentence in two.  spaCy refuses a text longer than its ``max_length`` and needs memory in proportion to
    what it parses: pieces keep both bounded whatever the text's length."""
    if len(text) <= size:
        return [text]
    out = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = text.rfind(sep, start + size // 2, end)
            if cut > start:
                break
        if cut <= start:
            cut = end
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def analyse_many(texts: Iterable[str], *, persist: bool = True) -> list[Analysis]:
    """:func:`analyse` for many texts at once (``nlp.pipe``); one result per text, in order.
    ``persist=False`` skips the database cache (in-process cache only)."""
    texts = list(texts)
    keys = [text_key(t) for t in texts]
    results: dict[str, Analysis] = {}
    missing: list[str] = []
    for key, text in zip(keys, texts, strict=True):
        if not text.strip():
            results[key] = EMPTY
            continue
        hit = _lru_get(key)
        if hit is not None:
            results[key] = hit
        elif key not in results:
            missing.append(key)
            results[key] = EMPTY  # placeholder, replaced below
    missing = list(dict.fromkeys(missing))
    if missing and persist:
        stored = _db_get(missing)
        for key, value in stored.items():
            results[key] = value
            _lru_put(key, value)
        missing = [k for k in missing if k not in stored]
    if missing:
        by_key = {k: t for k, t in zip(keys, texts, strict=True)}
        fresh: dict[str, Analysis] = {}
        # lemmas come from the lookup table in _from_doc, per distinct form: the pipeline's lemmatizer would
        # make the same lookup once per token
        pieces = [(key, piece) for key in missing for piece in _pieces(by_key[key], PIECE_CHARS)]
        parts: dict[str, list[Analysis]] = {}
        docs = nlp().pipe((piece for _, piece in pieces), disable=["lemmatizer"])
        for (key, piece), doc in zip(pieces, docs, strict=True):
            parts.setdefault(key, []).append(_from_doc(doc, piece))
        for key in missing:
            found = parts[key]
            value = found[0] if len(found) == 1 else Analysis(
                tuple(x for a in found for x in a.sentences), tuple(x for a in found for x in a.lemmas))
            fresh[key] = value
            results[key] = value
            _lru_put(key, value)
        if persist:
            _db_put(fresh)
    return [results[k] for k in keys]


def sentences(text: str) -> tuple[str, ...]:
    return analyse(text).sentences


def lemmas(text: str) -> tuple[str, ...]:
    return analyse(text).lemmas
