"""Prepare what the comparison tools derive from the stored corpus, once, right after an import.

Aligning, finding similar provisions, the similarity matrix and topic coverage all stand on three things
derived from the current version of every stored document: the corpus index
(:meth:`compare.index.CorpusIndex.load_or_build`), the document-against-document matrix
(:func:`compare.matrix.cached_matrix`) and every provision's topic tags (:func:`compare.topics.tag_document`);
then the facets of every provision that joins several subjects, read as queries (:mod:`compare.facets`); when
alignment uses the sentence encoder (:func:`compare.semantic.for_alignment`), a last step encodes every unit an
alignment compares, the facets, and the Constitute topics' texts (the centre the alignment measures meaning
from), so the first alignment of two documents does not wait for them (the topics step already encoded most of
them, when topic tagging uses the encoder).
Each is kept on disk under ``CONVENE_HOME``, keyed by the documents' content and the code that computes it, so
:func:`prepare` builds only what is missing or stale, and a server started afterwards (``streamlit run
app.py``) reads it in a fraction of a second instead of computing it while a drafter waits.

``convene import`` calls :func:`prepare` after importing (``--no-prepare`` skips it); the studio's Library
page starts the same work in the background after an import.  Preparing never undoes an import: a failure
(no topic ontology, a full disk) is reported as a step's ``error`` and the remaining steps still run when
they can.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from compare import semantic
from constitutions.model import Document
from constitutions.store import Store
from convene.errors import ConveneError

Step = Callable[[str], None]  # told the name of each step as it starts


@dataclass(frozen=True, slots=True)
class StepReport:
    name: str  # "index", "matrix", "topics" or "encoder"
    seconds: float
    error: str = ""  # empty when the step succeeded

    @property
    def ok(self) -> bool:
        return not self.error

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "seconds": round(self.seconds, 3), "ok": self.ok, "error": self.error}


@dataclass(frozen=True, slots=True)
class PrepareReport:
    documents: tuple[str, ...]  # ids, in the store's order
    steps: tuple[StepReport, ...]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    def to_dict(self) -> dict[str, object]:
        return {"documents": list(self.documents), "ok": self.ok, "steps": [s.to_dict() for s in self.steps]}


def prepare(store: Store | None = None, *, on_step: Step | None = None) -> PrepareReport:
    """Build (or confirm on disk) the corpus index, the similarity matrix, the topic tags and (when alignment
    uses it) the sentence encoder's vectors of the current version of every stored document, in the store's
    order (the order the studio uses, so it finds them).  Nothing to do, and no steps, for an empty store."""
    store = store or Store()
    docs: list[Document] = [store.get(info.id) for info in store.documents()]
    if not docs:
        return PrepareReport((), ())
    ids = tuple(d.id for d in docs)
    steps: list[StepReport] = []

    def run(name: str, work: Callable[[], object]) -> object:
        if on_step is not None:
            on_step(name)
        started = time.perf_counter()
        try:
            result = work()
        except ConveneError as exc:
            steps.append(StepReport(name, time.perf_counter() - started, str(exc)))
            return None
        steps.append(StepReport(name, time.perf_counter() - started))
        return result

    from compare.facets import unit_facet_queries
    from compare.index import CorpusIndex
    from compare.matrix import cached_matrix
    from compare.roles import is_subnational
    from compare.topics import tag_document, tagger

    index = run("index", lambda: CorpusIndex.load_or_build(docs))
    if index is not None:
        run("matrix", lambda: cached_matrix(docs, index))
    run("topics", lambda: [tag_document(d) for d in docs])
    if index is not None:
        run("facets", lambda: [unit_facet_queries(index, f) for f in index.docs.values()])
    if index is not None and semantic.for_alignment():
        # the units and their facets, and the centre of constitutional prose the alignment measures from (the
        # topics' texts: the topics step encoded them only when topic tagging uses the encoder)
        run("encoder", lambda: ([(semantic.embed(semantic.unit_texts(f), semantic.unit_headings(f),
                                                 subnational=is_subnational(f.doc.title)),
                                  semantic.embed(unit_facet_queries(index, f)[0].texts,
                                                 subnational=is_subnational(f.doc.title)))
                                 for f in index.docs.values()],
                                tagger().centre))
    return PrepareReport(ids, tuple(steps))


__all__ = ["PrepareReport", "StepReport", "prepare"]
