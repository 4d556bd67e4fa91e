"""Topic prototypes adapted to how constitutions word each topic (self-training on reference constitutions).

With the sentence encoder, :class:`compare.topics.TopicTagger` compares a provision's embedding with one
*prototype* per topic.  The plain prototype is the mean embedding of the topic's "label. description" and of its
CCP survey questions: definitions and questionnaire prose, not the words constitutions use ("The Dail shall be
summoned and dissolved by the President" is far in wording from "Does the constitution provide for the
dissolution of the first chamber?").  An *adapted* prototype moves it toward constitutional wording:

- *exemplars*: tag every provision of the reference constitutions (:data:`REFERENCE`, read from the corpus
  folder) with the plain prototypes; each provision is an exemplar of its first reported topic (the one the tagger
  is surest of), and only of that one.  The subnational parts are read as the rest (``national_scope=False``):
  the vectors learn wording, and a state's premier is worded as a head of government is;
- *blend*: a topic with at least :data:`MIN_EXEMPLARS` exemplars gets ``normalise((1 - ALPHA) x plain + ALPHA x
  normalise(sum of its exemplars' embeddings))``, embeddings taken as the tagger compares them (the provision's
  text, heading and ancestors' headings, centred on the plain prototypes' mean); the other topics keep the plain
  prototype.  The centre itself (:attr:`compare.topics.TopicTagger.centre`) stays the plain prototypes' mean.

No labelled provision is used: the exemplars are the plain tagger's own first choices, and the constants were
chosen on the development half of ``tests/data/gold_topics.json`` (see ``bench/eval_topics.py``).  The result
ships as ``compare/data/topic_prototypes.npz`` (vectors, exemplar counts, the ontology's topic keys, the
encoder's identity and the reference files' SHA-256), so tagging is the same with or without the corpus folder.
Rebuild it after changing the tagger or the reference list::

    python -m compare.prototypes            # writes compare/data/topic_prototypes.npz
    python -m compare.prototypes --check    # rebuilds in memory and compares with the shipped file

:func:`load` never fails: a missing, damaged or mismatched file (another ontology, another encoder) gives
``None`` and the tagger uses the plain prototypes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from constitutions.model import Document

log = logging.getLogger(__name__)

ALPHA = 0.4  # an adapted prototype's share of its exemplars' centroid
MIN_EXEMPLARS = 3  # a topic needs this many exemplars to be adapted
FILE = Path(__file__).resolve().parent / "data" / "topic_prototypes.npz"
FORMAT = 1
REFERENCE = (  # relative to the corpus folder: one published text per constitution
    "us/HMAN-117-constitution.xml", "us-ca/CA Code - California Constitution.txt",
    "germany/German_Federal_Republic_2012.txt", "ireland/Ireland_2012.txt", "japan/Japan_1946.txt",
    "kenya/Kenya_2010.txt", "india/India_2012.txt", "switzerland/Switzerland_2002.txt",
    "canada/Canada_2011.txt", "nepal", "south-africa/constitution.json",
)


@dataclass(frozen=True)
class Prototypes:
    """Adapted topic prototypes: one unit row of ``vectors`` per topic of ``keys`` (ontology order), with the
    number of exemplars behind each (0: the plain prototype), for the encoder ``encoder`` (its
    :data:`compare.semantic.ENCODER_ID`), built from ``sources`` (relative path, SHA-256)."""

    keys: tuple[str, ...]
    vectors: np.ndarray
    exemplars: np.ndarray
    encoder: str
    sources: tuple[tuple[str, str], ...]

    @property
    def adapted(self) -> int:
        """How many topics have an adapted prototype."""
        return int((self.exemplars >= MIN_EXEMPLARS).sum())


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.maximum(np.linalg.norm(rows, axis=-1, keepdims=True), 1e-12)


def blend(plain: np.ndarray, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The adapted prototypes from the plain ones (unit rows), the sums of each topic's exemplar embeddings and
    their counts (see the module docstring); rows with fewer than :data:`MIN_EXEMPLARS` exemplars stay plain."""
    out = plain.astype(np.float64, copy=True)
    moved = counts >= MIN_EXEMPLARS
    out[moved] = _unit((1 - ALPHA) * plain[moved] + ALPHA * _unit(sums[moved]))
    return out


def exemplar_sums(first_topics: Iterable[tuple[int | None, np.ndarray]], topics: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count, per topic, the embeddings of the provisions given as (index of their first reported topic or
    None, embedding); provisions without a topic or with nothing embedded (a zero row) count for nothing."""
    sums, counts = None, np.zeros(topics, dtype=np.int64)
    for first, vector in first_topics:
        if sums is None:
            sums = np.zeros((topics, len(vector)))
        if first is None or not np.any(vector):
            continue
        sums[first] += vector
        counts[first] += 1
    return (np.zeros((topics, 0)) if sums is None else sums), counts


def build(docs: Sequence[Document], sources: Sequence[tuple[str, str]] = ()) -> Prototypes:
    """Adapted prototypes from the provisions of ``docs`` (module docstring), tagged with the plain prototypes;
    ``sources`` is recorded as provenance.  Needs the sentence encoder (raises
    :class:`convene.errors.ConveneError` without it)."""
    from compare import semantic, topics
    from convene.errors import ConveneError

    if (problem := semantic.encoder_problem()) is not None:
        raise ConveneError(f"cannot build topic prototypes without the sentence encoder: {problem}")
    plain = topics.TopicTagger(topics.load_ontology(), adapted=False, national_scope=False)
    _, plain_vectors = plain._centred_topics()
    n = len(plain.ontology.topics)

    def firsts():
        for doc in docs:
            tags, _ = topics._compute(plain, doc)
            texts, headings, contexts = topics.provision_texts(doc)
            vectors = plain._provision_embeddings(texts, headings, contexts, [])
            for loc, vector in zip(doc.walk(), vectors, strict=True):
                found = tags[loc.provision.eid]
                yield (plain.topic_index[found[0].key] if found else None), vector

    sums, counts = exemplar_sums(firsts(), n)
    return Prototypes(tuple(t.key for t in plain.ontology.topics), blend(plain_vectors, sums, counts), counts,
                      semantic.ENCODER_ID, tuple(sources))


def save(prototypes: Prototypes, path: Path = FILE) -> None:
    """Write ``prototypes`` to ``path`` (vectors as float16: their rounding moves a cosine by < 1e-3)."""
    meta = {"format": FORMAT, "keys": list(prototypes.keys), "encoder": prototypes.encoder,
            "sources": [list(s) for s in prototypes.sources], "alpha": ALPHA, "min_exemplars": MIN_EXEMPLARS}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(fh, vectors=prototypes.vectors.astype(np.float16),
                            exemplars=prototypes.exemplars.astype(np.int32), meta=np.array(json.dumps(meta)))


def load(keys: Sequence[str], encoder: str, path: Path = FILE) -> Prototypes | None:
    """The prototypes saved at ``path`` when they are for these topic ``keys`` (ontology order) and this
    ``encoder``; None (with the reason logged) when the file is missing, damaged or made for something else."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            vectors = data["vectors"].astype(np.float64)
            exemplars = data["exemplars"].astype(np.int64)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("ignoring the topic prototypes in %s: %s", path, exc)
        return None
    problem = None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        problem = "unknown format"
    elif meta.get("keys") != list(keys):
        problem = "made for another ontology"
    elif meta.get("encoder") != encoder:
        problem = f"made for another encoder ({meta.get('encoder')})"
    elif vectors.ndim != 2 or vectors.shape[0] != len(keys) or exemplars.shape != (len(keys),):
        problem = f"unexpected shape {vectors.shape}"
    elif not np.isfinite(vectors).all() or not np.all(np.linalg.norm(vectors, axis=1) > 0.5):
        problem = "vectors are not unit rows"
    if problem:
        log.warning("ignoring the topic prototypes in %s: %s", path, problem)
        return None
    return Prototypes(tuple(keys), _unit(vectors), exemplars, encoder,
                      tuple((str(a), str(b)) for a, b in meta.get("sources", ())))


def reference_problem(root: Path | None) -> str | None:
    """Why the reference texts cannot be read from the corpus folder ``root`` (None when they can)."""
    if root is None:
        return "no corpus folder: set CONVENE_CORPUS to the folder holding the reference texts"
    missing = [rel for rel in REFERENCE if not (root / rel).exists()]
    return f"the corpus folder {root} lacks {', '.join(missing)}" if missing else None


def source_digest(path: Path) -> str:
    """The SHA-256 of a reference text: of the file, or of a folder's files in path order (Nepal, India)."""
    h = hashlib.sha256()
    for file in sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file()):
        h.update(file.read_bytes())
    return h.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    from constitutions.readers import read_path
    from convene import settings

    parser = argparse.ArgumentParser(prog="python -m compare.prototypes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="rebuild in memory and compare with the shipped file")
    parser.add_argument("--out", type=Path, default=FILE)
    args = parser.parse_args(argv)
    root = settings.corpus_dir()
    if (problem := reference_problem(root)) is not None:
        print(problem, file=sys.stderr)
        return 2
    docs = [read_path(root / rel) for rel in REFERENCE]
    built = build(docs, [(rel, source_digest(root / rel)) for rel in REFERENCE])
    print(f"{built.adapted} of {len(built.keys)} topics adapted from {int(built.exemplars.sum())} exemplars "
          f"in {len(docs)} constitutions")
    if not args.check:
        save(built, args.out)
        print(f"wrote {args.out}")
        return 0
    shipped = load(built.keys, built.encoder, args.out)
    if shipped is None:
        print(f"{args.out} is missing or unusable", file=sys.stderr)
        return 1
    gap = float(np.abs(shipped.vectors - built.vectors).max())
    same = gap < 2e-3 and np.array_equal(shipped.exemplars, built.exemplars)
    print(f"largest difference from the shipped vectors {gap:.5f}; exemplar counts "
          f"{'equal' if np.array_equal(shipped.exemplars, built.exemplars) else 'differ'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
