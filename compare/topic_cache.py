"""Where a document's topic tags and decision scores are kept, so that a new process reads them instead of
tagging the document again (:func:`compare.topics.tag_document`, :func:`compare.topics.cached_document_scores`).

Two levels: in memory, the last :data:`MEMORY_SIZE` documents' tags and scores (:class:`Memory`); on disk,
under ``CONVENE_HOME/tag-cache``, one JSON file of tags and one ``.scores.npy`` matrix per document, named by a
checksum of the document's content (:func:`document_key`) and of everything the tags depend on besides it
(:func:`code_fingerprint`: this code and the tagger's, its numeric constants, the package versions, the
ontology file, whether the sentence encoder took part).  A change to any of them misses the cache.  A file
is written atomically and checked when read: a missing, damaged or foreign file costs a recomputation, never
an error or a wrong answer, and an unusable folder only means no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from compare import roles, semantic
from compare.ontology import TopicScore
from constitutions.model import Document
from convene import settings
from convene.files import write_atomically
from convene.fingerprint import digest_of

TAG_CACHE_FOLDER = "tag-cache"
TAG_CACHE_FORMAT = 1  # bump when the layout of a tag cache file changes
MEMORY_SIZE = 64  # documents whose tags (and, apart, scores) a process keeps in memory

# what tags depend on besides the document and the constants the caller passes (compare.topics._tuning)
FINGERPRINTED = ("compare/topics.py", "compare/topic_cache.py", "compare/ontology.py", "compare/stemming.py",
                 "compare/topic_cues.py", "compare/roles.py", "compare/semantic.py", "compare/encoder.py",
                 "compare/prototypes.py", "compare/data/topic_prototypes.npz",
                 "compare/vocabulary.py", "compare/data/topic_aliases.json", "compare/statutes.py",
                 "constitutions/language.py", "constitutions/spelling.py")
PACKAGES = ("numpy", "spacy", "spacy-lookups-data")

V = TypeVar("V")


class Memory(Generic[V]):
    """The values of the last :data:`MEMORY_SIZE` keys used (least recently used first out)."""

    def __init__(self, size: int = MEMORY_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: str, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def document_key(doc: Document, source: str) -> str:
    """A checksum of what a document's tags depend on in the document: every provision's eId, heading, text and
    depth, and whether its title names the constitution of a state (:func:`compare.roles.is_subnational`, which
    changes what its "Governor" is); ``source`` is the ontology's."""
    h = hashlib.blake2b(digest_size=16)
    h.update(source.encode())
    h.update(b"subnational" if roles.is_subnational(doc.title) else b"national")
    for loc in doc.walk():
        p = loc.provision
        for part in (p.eid, p.heading, p.text, str(len(loc.ancestors))):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\\0")
    return h.hexdigest()


@cache
def code_fingerprint(ontology_source: str, semantic_on: bool, tuning: str) -> str:
    """A checksum of what tags depend on besides the document: the tagging code (:data:`FINGERPRINTED`), its
    constants as ``tuning`` gives them, the package versions, the ontology file's bytes (its path when it cannot
    be read) and whether the sentence encoder took part."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{TAG_CACHE_FORMAT};semantic={semantic.ENCODER_ID if semantic_on else 'off'};{tuning};".encode())
    h.update(digest_of(FINGERPRINTED, PACKAGES).encode())
    try:
        h.update(Path(ontology_source).read_bytes())
    except OSError:
        h.update(ontology_source.encode())
    return h.hexdigest()


def tags_path(fingerprint: str, key: str) -> Path | None:
    """Where the tags of a document with content key ``key`` are kept under that code fingerprint, or None
    without a usable folder (the folder is created when missing)."""
    try:
        folder = settings.home() / TAG_CACHE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / f"{hashlib.blake2b(f'{fingerprint}:{key}'.encode(), digest_size=20).hexdigest()}.json"


def scores_path(path: Path | None) -> Path | None:
    """Where the decision scores saved with the tags at ``path`` are kept."""
    return None if path is None else path.with_suffix(".scores.npy")


def read_tags(path: Path | None) -> dict[str, tuple[TopicScore, ...]] | None:
    """The tags saved at ``path``; None when absent, unreadable or not in the expected shape."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != TAG_CACHE_FORMAT:
            return None
        return {str(eid): tuple(TopicScore(str(k), str(label), str(cat), float(conf), tuple(map(str, ev)))
                                for k, label, cat, conf, ev in rows)
                for eid, rows in data["tags"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_tags(path: Path | None, tags: dict[str, tuple[TopicScore, ...]]) -> None:
    """Save ``tags`` at ``path`` atomically (temporary file, then ``os.replace``); a failure only means no
    cache."""
    if path is None:
        return
    body = {"format": TAG_CACHE_FORMAT,
            "tags": {eid: [[s.key, s.label, s.category, s.confidence, list(s.evidence)] for s in scores]
                     for eid, scores in tags.items()}}
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with contextlib.suppress(OSError):
        write_atomically(path, lambda fh: fh.write(data))


def read_scores(path: Path | None, rows: int, columns: int) -> np.ndarray | None:
    """The read-only scores saved beside the tags at ``path`` when they have the expected shape, type and finite
    values; else None."""
    path = scores_path(path)
    if path is None:
        return None
    try:
        matrix = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if matrix.dtype != np.float32 or matrix.shape != (rows, columns) or not np.isfinite(matrix).all():
        return None
    matrix.setflags(write=False)
    return matrix


def write_scores(path: Path | None, matrix: np.ndarray) -> None:
    """Save ``matrix`` beside the tags at ``path`` atomically; a failure only means no cache."""
    target = scores_path(path)
    if target is not None:
        with contextlib.suppress(OSError):
            write_atomically(target, lambda fh: np.save(fh, matrix, allow_pickle=False))
