"""The words constitutions use for the Constitute topics: a drafting-vocabulary thesaurus, confirmed on the corpus.

The Constitute ontology words its topics as a survey does, not as constitutions do: "Budget bills" never says
"financial year", "Finance bills" never says "money bill", and 152 of its 328 topics have no keyword at all.

- *thesaurus* (``compare/data/topic_thesaurus.json``): per topic key, words and short phrases English texts of
  constitutions commonly use for the topic's subject matter (1,738 in all).  Like the institution gazetteer
  (:mod:`compare.roles`) it was written from general knowledge of comparative constitutional law, blind to the
  evaluation labels and to the corpus texts.
- *confirmation* (:func:`confirm`): written blind, many phrases are too loose to be evidence ("hold office for"
  is said of every office).  A phrase is kept when the reference constitutions (:data:`compare.prototypes.REFERENCE`)
  confirm it: it has two words or more, names no institution (the gazetteer reads those), occurs in at least one
  provision, and in at least :data:`CONFIRM_SHARE` of the provisions it occurs in, the *plain* tagger (the
  ontology's own words, no thesaurus, plain prototypes) already ranks its topic among its :data:`CONFIRM_RANK`
  best.  No labelled provision takes part.  The result ships as ``compare/data/topic_aliases.json``, with each
  phrase's counts, so tagging is the same with or without the corpus folder::

      python -m compare.vocabulary            # writes compare/data/topic_aliases.json
      python -m compare.vocabulary --check    # recomputes it and compares with the shipped file
      python -m compare.prototypes            # then rebuild the adapted prototypes, which read the aliases

:class:`compare.topics.TopicTagger` reads each confirmed phrase's word pairs as a keyword's
(:data:`compare.topics.W_ALIAS`).

Guarantees: :func:`load_aliases` returns a mapping from topic key to a tuple of distinct, non-empty, stripped
phrases; a file that is missing, not JSON or not of that shape raises :class:`convene.errors.ValidationError`
naming the file and the fault.  :func:`tally` and :func:`select` are pure and deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from constitutions.model import Document
from convene.errors import ValidationError

DATA = Path(__file__).resolve().parent / "data"
THESAURUS_PATH = DATA / "topic_thesaurus.json"
ALIASES_PATH = DATA / "topic_aliases.json"
MAX_WORDS = 4  # a phrase is a word or a few
CONFIRM_RANK = 5  # the plain tagger ranks the phrase's topic among this many best ...
CONFIRM_SHARE = 0.5  # ... in at least this share of the provisions the phrase occurs in
FORMAT = 1


def load_aliases(path: str | Path | None = None) -> Mapping[str, tuple[str, ...]]:
    """Topic key -> its phrases, from ``path`` (default: the shipped confirmed aliases; the thesaurus file has
    the same shape)."""
    return _load(str(ALIASES_PATH if path is None else path))


@cache
def _load(path: str) -> Mapping[str, tuple[str, ...]]:
    def fail(problem: str) -> ValidationError:
        return ValidationError(f"not a topic-alias file: {problem}", source=path, code="E614")

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise fail(str(exc)) from exc
    table = data.get("aliases") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise fail('expected an object with an "aliases" object of topic key -> list of phrases')
    out: dict[str, tuple[str, ...]] = {}
    for key, phrases in table.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise fail(f"the aliases of {key!r} are not a list of strings")
        cleaned = tuple(dict.fromkeys(" ".join(p.split()) for p in phrases))
        for phrase in cleaned:
            if not phrase or len(phrase.split()) > MAX_WORDS:
                raise fail(f"alias {phrase!r} of {key!r} is empty or longer than {MAX_WORDS} words")
        if cleaned:
            out[key] = cleaned
    return out


def pairs(lemmas: Sequence[str]) -> frozenset[str]:
    """The word pairs (stem bigrams, :func:`compare.topics.terms`) of a phrase's or a text's lemmas."""
    from compare.topics import terms

    return frozenset(x for x in terms(lemmas) if " " in x)


def candidates(thesaurus: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """(topic key, phrase) of the thesaurus phrases that may be confirmed: two words or more, naming no
    institution the gazetteer knows (as written or title-cased: "speaker", "council of ministers")."""
    from compare import roles

    return [(key, phrase) for key, phrases in thesaurus.items() for phrase in phrases
            if len(phrase.split()) > 1 and not roles.mentions(phrase) and not roles.mentions(phrase.title())]


@dataclass(frozen=True, slots=True)
class Tally:
    """How often a phrase occurs in the reference provisions, and how often its topic is among the plain
    tagger's :data:`CONFIRM_RANK` best there."""

    hits: int = 0
    top: int = 0


def tally(phrase_pairs: Sequence[tuple[int, frozenset[str]]],
          provisions: Iterable[tuple[frozenset[str], np.ndarray]], rank: int = CONFIRM_RANK) -> list[Tally]:
    """Per phrase, given as (its topic's index, its word pairs), the :class:`Tally` over ``provisions`` given as
    (their word pairs, the plain tagger's decision score per topic).  A provision holds a phrase when it has
    all of its word pairs (a phrase without any holds nowhere); a topic's rank is one more than the number of
    topics scored strictly higher."""
    hits, top = [0] * len(phrase_pairs), [0] * len(phrase_pairs)
    for words, scores in provisions:
        for n, (topic, wanted) in enumerate(phrase_pairs):
            if wanted and wanted <= words:
                hits[n] += 1
                top[n] += int(np.count_nonzero(scores > scores[topic])) < rank
    return [Tally(h, t) for h, t in zip(hits, top, strict=True)]


def select(found: Iterable[tuple[tuple[str, str], Tally]], share: float = CONFIRM_SHARE) -> dict[str, list[str]]:
    """Topic key -> its confirmed phrases, in the order given: those that occur at all and whose topic is among
    the best in at least ``share`` of their occurrences."""
    out: dict[str, list[str]] = {}
    for (key, phrase), t in found:
        if t.hits and t.top >= share * t.hits:
            out.setdefault(key, []).append(phrase)
    return out


def confirm(docs: Sequence[Document], thesaurus: Mapping[str, Sequence[str]]) -> tuple[dict[str, list[str]],
                                                                                         dict[str, Tally]]:
    """The confirmed aliases of ``thesaurus`` over the provisions of ``docs`` (module docstring), and the tally
    of every candidate phrase ("key|phrase").  Needs the sentence encoder (the plain tagger is the one the
    adapted prototypes start from, reading the subnational parts as the rest, as they do; raises
    :class:`convene.errors.ConveneError` without it)."""
    from compare import semantic, topics
    from constitutions.language import analyse_many
    from convene.errors import ConveneError

    if (problem := semantic.encoder_problem()) is not None:
        raise ConveneError(f"cannot confirm topic aliases without the sentence encoder: {problem}")
    plain = topics.TopicTagger(topics.load_ontology(), adapted=False, aliases={}, national_scope=False)
    chosen = [(key, phrase) for key, phrase in candidates(thesaurus) if key in plain.topic_index]
    analysed = analyse_many([phrase for _, phrase in chosen])
    phrase_pairs = [(plain.topic_index[key], pairs(a.lemmas)) for (key, _), a in zip(chosen, analysed, strict=True)]

    def provisions():
        for doc in docs:
            _, matrix = topics._compute(plain, doc)
            texts = [topics.reading(loc.provision.text)[0] for loc in doc.walk()]  # the words the tagger reads
            for text, a, scores in zip(texts, analyse_many(texts), matrix, strict=True):
                if text:
                    yield pairs(topics.polity_names(text, a.lemmas)), scores

    tallies = tally(phrase_pairs, provisions())
    return select(zip(chosen, tallies, strict=True)), {f"{k}|{p}": t for (k, p), t in zip(chosen, tallies,
                                                                                      strict=True)}


def main(argv: Sequence[str] | None = None) -> int:
    from compare import prototypes
    from constitutions.readers import read_path
    from convene import settings

    parser = argparse.ArgumentParser(prog="python -m compare.vocabulary", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="recompute and compare with the shipped file")
    parser.add_argument("--out", type=Path, default=ALIASES_PATH)
    args = parser.parse_args(argv)
    root = settings.corpus_dir()
    if (problem := prototypes.reference_problem(root)) is not None:
        print(problem, file=sys.stderr)
        return 2
    thesaurus = load_aliases(THESAURUS_PATH)
    docs = [read_path(root / rel) for rel in prototypes.REFERENCE]
    kept, tallies = confirm(docs, thesaurus)
    total = sum(len(v) for v in thesaurus.values())
    print(f"{sum(len(v) for v in kept.values())} of {total} thesaurus phrases confirmed ({len(tallies)} candidates) "
          f"for {len(kept)} topics in {len(docs)} constitutions")
    payload = {"format": FORMAT, "thesaurus_sha256": prototypes.source_digest(THESAURUS_PATH),
               "sources": [[rel, prototypes.source_digest(root / rel)] for rel in prototypes.REFERENCE],
               "rule": {"rank": CONFIRM_RANK, "share": CONFIRM_SHARE}, "aliases": kept,
               "tallies": {k: [t.hits, t.top] for k, t in tallies.items() if t.hits}}
    if not args.check:
        args.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    try:
        shipped = json.loads(args.out.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{args.out} is missing or unusable: {exc}", file=sys.stderr)
        return 1
    same = shipped.get("aliases") == kept and shipped.get("thesaurus_sha256") == payload["thesaurus_sha256"]
    print("the shipped aliases agree" if same else "the shipped aliases differ: rebuild them")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
