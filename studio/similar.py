""""Find similar everywhere": the best match of one provision in every other indexed document.

An adapter over :func:`compare.align.score_block` (the alignment engine's scorer), because the
comparison package offers document-to-document alignment but no one-provision-against-all query yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from compare.align import score_block
from compare.cite import cite
from compare.index import CorpusIndex


@dataclass(frozen=True, slots=True)
class SimilarHit:
    doc_id: str
    eid: str
    citation: str
    score: float


def similar_everywhere(index: CorpusIndex, doc_id: str, eid: str, *, per_document: int = 1,
                       limit: int = 20) -> list[SimilarHit]:
    """The ``per_document`` best-scoring provisions of every other document for provision ``eid`` of
    ``doc_id``, best first.  Raises NotFoundError for an unknown document or a provision without words."""
    fa = index.features(doc_id)
    i = fa.row(eid)
    out: list[SimilarHit] = []
    for other, fb in index.docs.items():
        if other == doc_id or not fb.units:
            continue
        scored = score_block(index, fa.tfidf[i], fa.topics[i:i + 1], fa.lengths[i:i + 1], [fa.fuzz_strings[i]],
                             fb, shared=fa.vocab_mask & fb.vocab_mask)
        if scored.final.shape[1] == 0:
            continue
        for k in np.argsort(-scored.final[0], kind="stable")[:per_document]:
            unit = fb.units[int(scored.candidates[0, k])]
            out.append(SimilarHit(other, unit.eid, cite(fb.doc, unit.eid), round(float(scored.final[0, k]), 4)))
    out.sort(key=lambda h: (-h.score, h.doc_id))
    return out[:limit]
