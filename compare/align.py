"""Clause alignment: for every provision of A, the provisions of B that address the same subject.

How a pair (q in A, c in B) is scored.  The parts, each a cosine (in [0, 1] unless said otherwise) but
**length**:

- **words** and **roles**: cosines of the TF-IDF vectors (:mod:`compare.index`; IDF
  over every provision of the index) over lemmas, and over institutions' role
  terms, in the *shared subspace* of the two documents, i.e. over the terms both
  documents use.  A word one document never uses ("Congress", "Oireachtas")
  cannot be matched, so it is not held against a match either; the institution
  it names is matched through its role term (``role:legislature``,
  :mod:`compare.roles`).  **lexical**, the cosine over both, is reported in the
  explanation.
- **latent**: cosine of the units' LSA vectors (:mod:`compare.index`), which
  bridges vocabulary that differs between traditions with associations learnt
  from the whole index ("speech"/"expression", "Congress"/"Parliament").
- **topical**: cosine of the Constitute topic vectors (:mod:`compare.topics`).
- **semantic** (optional, :mod:`compare.semantic`): cosine of the two texts'
  sentence-encoder vectors (all-MiniLM-L6-v2, :mod:`compare.encoder`), which
  places "no law ... abridging the freedom of speech" near "the right to
  freedom of expression" whatever words each tradition uses.  Both vectors are
  taken relative to the centre of constitutional prose (the mean embedding of
  the Constitute topics, :attr:`compare.topics.TopicTagger.centre`): the raw
  cosine of two unrelated provisions is already about 0.2 to 0.4, mostly because
  both are constitutional prose; relative to the centre, 0 means no closer than
  constitutional prose is to itself, and the part lies in [-1, 1].  Each text
  is read twice, as written and with its institutions named by their role
  (:func:`compare.semantic.embed`, :func:`compare.roles.generic_text`: "Congress"
  and "the Diet" both read "the legislature"), since the encoder does not know
  they are the same institution.
- **tagged** (with the encoder, :mod:`compare.topic_profile`): cosine of what the
  full topic tagger makes of the two provisions (its decision scores, with the
  institution scope and attributes read apart), so two provisions on the removal
  of the head of state agree whether one says "impeachment" or "removed from
  office by a resolution".  With the encoder, these two carry most of the weight
  (fitted: semantic 1.68, tagged 0.31, latent 0.19, words 0.07), and roles and
  the lexical topics are left out (their fitted weights were within noise of 0:
  the tagger's profile already holds institutions and topics); without it the
  other parts are refitted on their own.
- **length**: the log of c's length, so that a long article cannot win by
  sharing a little with everything.

**Standardised fusion**: for each query, every part is turned into a z-score over
B's candidate units (:func:`standardise`; its mean and variance over B shrunk toward
corpus-typical values, :data:`PART_PRIOR`, so a document of a handful of units is
judged against the corpus), and ``fused`` is the weighted sum of those z-scores
(:data:`FUSION`).  So each part counts by how much it singles c out within B,
not by its raw level: LSA cosines are high for every pair (0.6 to 0.75 for
unrelated ones), role cosines are all-or-nothing, and one fixed weighting of raw
values does not carry across document pairs.  The weights were fitted on the dev
half of the gold set by listwise softmax regression (``bench/fit_alignment.py``,
which prints the 5-fold cross-validated dev figures beside them).  Without the
encoder the length weight is negative: of two candidates equally close on the
other parts, the shorter is preferred; with it, now that whole articles no
longer compete with single provisions (*like with like* below), it is slightly
positive.  The reported ``score`` maps ``fused`` to [0, 1] with a
logistic curve (:func:`to_score`): 0.5 sits midway between the dev half's typical
best fused value for right matches (mapped to about 0.73) and for queries with
no counterpart (about 0.27).  A score therefore says how strongly c stands out
among B's provisions as the query's counterpart, not how alike the two texts
are in the abstract: the explanation's parts say that.  The explanation also names
the heaviest shared lemmas and the *shared topics*: topics the tagger reports for one
of the two provisions (for a provision with sub-provisions: for it or any of them)
and scores at least at its reporting minimum for the other
(:func:`compare.topic_profile.shared_topics`), so it names no topic the topic
explorer would not show for one of them.

Only *candidate
units* (articles, sections, amendments, the preamble, top-level units:
:attr:`compare.index.DocFeatures.candidate_mask`) are offered as matches, the
level at which drafters compare provisions; a clause's words count in the
provision that contains it.  **Like with like**: a query that itself contains
candidate units (an article with sections, a chapter) is offered every candidate
unit of B, whole articles included; any other query (a clause, a section, an
article without sections, typed text) only the candidates that contain no other
candidate (:attr:`compare.index.DocFeatures.single_candidates`).  So a clause on
the Governor's term meets California's Art. V, Sec. 2, not the whole of Art. V,
which shares a little with every clause on the executive and, ranked first, hid
each of its sections from the five matches (dev half of the gold set, 5-fold
cross-validated over 10 fold draws: P@1 0.69 -> 0.72, R@5 0.91 -> 0.93).  The
parts are still standardised over every candidate of B.  rapidfuzz ``token_sort_ratio`` of the lemma
strings (``process.cdist``, ``default_process``) is computed for the best
:data:`CANDIDATES` per query and reported in the explanation.

**Focus**: a match that is a section of several clauses may owe its score to one of them (a habeas
corpus clause against a section on arrested persons, one paragraph of which is on challenging a
detention).  That clause follows the match in the ranked list, with the match's score and ``within``
naming it (:func:`focus`, :data:`FOCUS_MARGIN`), and takes one of the ``top`` places.  The ranking of
places is unchanged; with the encoder, R@5 on the dev half rises from 0.89 to 0.92 (clauses the gold set
names, now returned themselves) and on the held-out half from 117 to 118 of 147; without it, dev is unchanged
and the held-out half loses two cross-national fifth places to clauses.

**Facets**: a clause that joins several subjects (the Fifth Amendment: grand jury; double jeopardy;
self-incrimination and due process; takings) is ranked as a whole, and a section that matches only one of its
subjects comes far down.  Each facet of such a provision (:mod:`compare.facets`: its pieces between
semicolons, of five words or more) is scored as free text against B (:func:`facet_matches`), and the best
match of each facet B has a counterpart for takes one of the provision's last places, naming the facet
(:func:`with_facets`; the first place is always the provision's own).  Held out, cross-national R@5 rose from
87 to 91 of 114 (dev from 66 to 67 of 72); P@1 and the counterpart verdicts are the provision's own and unchanged.

**Counterpart verdict**: a query's fused values (with the semantic parts when the encoder is used)
against the *other* candidate units
of B it is offered (every one but its best match and the units nested in it or
containing it, which are parts or the whole of the same place) form its null
distribution: almost all of them are unrelated.  The evidence for a counterpart is how far the best
match stands above that null, ``z = (best - mean) / sd``.  Leaving the best out
matters: with it inside, ``z`` can never exceed ``sqrt(N - 1)`` for N
candidates, so nothing in a small document could ever reach the threshold.
The null's mean and variance are estimated from the other candidates shrunk
toward corpus-typical values (:data:`NULL_PRIOR`, the median over the dev
half's queries, with :data:`PRIOR_WEIGHT` pseudo-candidates; one prior with the encoder, one without), and the sd is
never taken below :data:`SD_FLOOR` (under the smallest sd of any real query's
null), so a near-constant background cannot make ``z`` explode.  For a large B
the prior weighs nothing; for a tiny B (a handful of candidates, or a single
one) there is too little to estimate a null from and the rule becomes, in
effect, one on the fused value (``best`` against the typical unrelated value
``mean + threshold * sd``) and on the margin over the runner-up (which is in
the null, so a close runner-up raises its mean and sd).  ``z`` says how far the best
match stands out, not whether it means the same: a short clause with one rare word
(a militia, arms) stands out against whatever else shares it.  So with the encoder the
verdict's evidence adds :data:`MEANING_WEIGHT` x the best match's centred encoder cosine
(:func:`verdict_evidence`; on the dev half this rejects the Second Amendment's "counterpart"
in California, the right to fish, and keeps as many right matches).  B is judged to have a
counterpart when the evidence reaches one global threshold (:data:`Z_COUNTERPART`, one with
the encoder and one without), chosen on the dev half of the gold set
(``bench/eval_alignment.py``) as the highest value that keeps at least 90% of the right top matches.
(Before the semantic part was centred, the encoder found any two passages of
constitutional prose alike and the verdict had to be taken without it: 26 of the
31 no-counterpart cases rejected; centred and with the tagger's profiles, 28, and
the held-out half's right top matches kept rose from 70% to 90%; with the cosine in the
evidence, 29, the held-out half's 14 of 15 and 91% kept unchanged.  With institutions also read by
their role, the weight the dev half chose rose from 4 to 6, the smallest that rejects the most, 20 of
21; held out, 23 of 26 rejected instead of 21, but 81% of the right top matches kept instead of 88%.)  For unrelated
queries ``z`` still grows slowly with the number of
candidates (the expected maximum of N draws grows like ``sqrt(2 log N)``), but
an identical or near-identical provision stands far above the threshold at
every size (``tests/test_compare_align.py`` checks B with 5, 20 and 400
units).

Deterministic: no random state anywhere (the SVD starts from a fixed vector).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process, utils

from compare import semantic as semantic_mod
from compare import topic_profile
from compare import topics as topics_mod
from compare.facets import unit_facet_queries
from compare.index import ROLE_PREFIX, CorpusIndex, DocFeatures, row_norms, split_columns, topic_signal
from compare.roles import is_subnational
from compare.text_query import TextQueries
from constitutions.model import Document
from convene.errors import ValidationError

# Standardised fusion (bench/fit_alignment.py fits it on the dev half of the gold set; see the module docstring):
# the weight of each part's z-score over B's candidate units, by whether the semantic part is used ...
FUSION = {
    False: {"words": 0.64, "roles": 0.22, "latent": 0.58, "topical": 0.39, "length": -0.21},
    True: {"words": 0.07, "latent": 0.19, "length": 0.11, "semantic": 1.68, "tagged": 0.31},
}
# ... and each part's prior (mean, sd) over a query's candidate units: medians over the dev half's queries
_PRIOR = {"words": (0.0567, 0.0599), "roles": (0.1813, 0.2623), "latent": (0.2611, 0.1159),
          "topical": (0.1105, 0.1069), "length": (4.018, 1.0607)}
PART_PRIOR = {False: _PRIOR, True: {"words": (0.053, 0.0576), "latent": (0.2517, 0.1128), "length": (4.018, 1.0607),
                                    "semantic": (0.0664, 0.1118), "tagged": (0.1002, 0.1058)}}
PART_SD_FLOOR = 0.25  # a part's sd over B is never taken below this share of its prior sd
# the score is 1 / (1 + exp(-(fused - FUSED_MID) / FUSED_SCALE)), by whether the semantic part is used
FUSED_MID = {False: 6.15, True: 8.11}
FUSED_SCALE = {False: 1.87, True: 2.17}
CANDIDATES = 25
# the counterpart verdict, by whether the semantic part is used (see the module docstring): the threshold its
# evidence must reach, chosen on the dev half to keep at least 90% of its right top matches ...
Z_COUNTERPART = {False: 4.08, True: 6.55}
# ... and, with the encoder, the weight of the best match's centred encoder cosine in the verdict's evidence
# (:func:`verdict_evidence`), chosen on the dev half (bench/eval_alignment.py --verdict-weights)
MEANING_WEIGHT = 6.0
# ... and the null's prior (mean, sd): medians over the dev half's queries
NULL_PRIOR = {False: (-0.109, 1.329), True: (-0.069, 1.960)}
PRIOR_WEIGHT = 8.0  # pseudo-candidates a prior counts for
SD_FLOOR = 0.4  # the null's sd is never taken below this
MAX_SHARED = 8
# a match's sub-provision is named as where it lies (a *focus*, :func:`focus`) when it leads every sub-provision
# not nested with it by this much of the fused score (the parts' z-score units); chosen on the dev half
FOCUS_MARGIN = 0.5


@dataclass(frozen=True, slots=True)
class Explanation:
    lexical: float
    topical: float
    fuzzy: float
    semantic: float | None  # cosine of the encoder's vectors relative to the centre of constitutional prose, in [-1, 1]
    fused: float  # the weighted sum of the parts' z-scores over B that the score maps to [0, 1]
    shared_lemmas: tuple[str, ...]  # the shared lemmas that weigh most (IDF x frequency)
    shared_topics: tuple[str, ...] | None  # labels of the topics the two provisions share (see the module
    # docstring), the most clearly shared first, at most 3; None when not asked for (``explain=True``)
    latent: float | None = None  # LSA cosine (None when the index is too small for LSA)
    tagged: float | None = None  # agreement of the topic tagger's profiles (None without the sentence encoder)

    def summary(self, terms: int = 6) -> str:
        """What the two provisions share, for a reader: the heaviest shared words (an institution's role term
        as "institution: head of state") and the shared topics; "" when neither."""
        words = [f"institution: {w[len(ROLE_PREFIX):].replace('-', ' ')}" if w.startswith(ROLE_PREFIX) else w
                 for w in self.shared_lemmas[:terms]]
        parts = (["shared words: " + ", ".join(words)] if words else []) + (
            ["shared topics: " + "; ".join(self.shared_topics)] if self.shared_topics else [])
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Match:
    eid: str
    citation: str
    score: float
    explanation: Explanation
    within: str | None = None  # a focus (:func:`focus`): the eId of the match just before it, which it lies in
    facet: str | None = None  # a facet's match (:func:`with_facets`): the part of the query's text it matches

    def to_json(self) -> dict:
        """The command line's JSON shape of a match (score rounded to 4 places; ``within`` for a focus only,
        ``facet`` for a facet's match only)."""
        out = {"id": self.eid, "citation": self.citation, "score": round(self.score, 4)}
        if self.within:
            out["within"] = self.within
        if self.facet:
            out["facet"] = self.facet
        return out


@dataclass(frozen=True, slots=True)
class Row:
    eid: str
    citation: str
    counterpart: bool
    matches: tuple[Match, ...]
    z: float  # how far the best match stands above the query's scores over B, in standard deviations
    threshold: float  # what the verdict's evidence must reach for a counterpart (the global threshold)
    meaning: float | None = None  # the best match's centred encoder cosine (None without the encoder)

    @property
    def evidence(self) -> float:
        """The verdict's evidence (:func:`verdict_evidence`): ``counterpart`` is ``evidence >= threshold``."""
        return verdict_evidence(self.z, self.meaning)


@dataclass(frozen=True, slots=True)
class Alignment:
    a: str
    b: str
    rows: tuple[Row, ...]
    seconds: float

    def to_json(self) -> dict:
        """The command line's JSON shape (scores rounded to 4 places)."""
        return {"a": self.a, "b": self.b, "rows": [
            {"id": r.eid, "citation": r.citation, "counterpart": r.counterpart,
             "matches": [m.to_json() for m in r.matches]}
            for r in self.rows]}


# ------------------------------------------------------------------ scoring engine

@dataclass(frozen=True)
class Scored:
    """Scores of m queries against the units of one document."""

    cheap: np.ndarray  # m x N: the score against every unit (non-candidate units included)
    candidates: np.ndarray  # m x C candidate unit rows, best first
    final: np.ndarray  # m x C scores of those candidates
    parts: dict[str, np.ndarray]  # "lexical", "words", "roles", "latent", "topical", "semantic", "tagged",
    # "fused", "fuzzy": m x C each
    mask: np.ndarray | None = None  # N bools: the candidate units, over which the parts are standardised
    semantic: bool = False  # whether the semantic part was used
    single: np.ndarray | None = None  # N bools: the candidate units that contain no other candidate unit ...
    narrow: np.ndarray | None = None  # ... m bools: the queries offered only those (None: none are)

    def offered(self, i: int) -> np.ndarray:
        """The units query ``i`` may be matched with (N bools): its candidates and its verdict's null."""
        mask = self.mask if self.mask is not None else np.ones(self.cheap.shape[1], dtype=bool)
        if self.narrow is not None and self.single is not None and self.narrow[i]:
            return mask & self.single
        return mask


def raw_parts(index: CorpusIndex, q_tfidf: sp.csr_matrix, q_topics: np.ndarray, fb: DocFeatures, *,
              shared: np.ndarray | None, q_lsa: np.ndarray | None = None,
              semantic: np.ndarray | None = None, tagged: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The parts of the score of m queries against every unit of ``fb``, unstandardised: ``words`` and
    ``roles`` (cosines of the TF-IDF rows over lemmas only and over role terms only, in the shared subspace;
    ``shared`` None: the query is free text, so only its terms ``fb`` never uses are dropped), ``lexical``
    (the cosine over both, for the explanation), ``latent`` (LSA cosine, clipped to [0, 1]; absent when the
    index has no LSA), ``topical``, ``length`` (log of each unit's length, a 1 x N row), and ``semantic`` and
    ``tagged`` when their m x N cosines are given."""
    if shared is not None:
        keep = shared.astype(np.float64)
        b_words, b_roles = split_columns(fb.tfidf, index.role_mask, keep)
    else:  # B's own terms are all in its vocabulary: nothing of B to drop
        keep = fb.vocab_mask.astype(np.float64)
        b_words, b_roles = fb.split_tfidf(index.role_mask)
    q_words, q_roles = split_columns(q_tfidf, index.role_mask, keep)
    # two sparse products; the cosine over both kinds of term follows from their dot products and norms
    dots = {"words": np.asarray((q_words @ b_words.T).todense()), "roles": np.asarray((q_roles @ b_roles.T).todense())}
    norms = {"words": (row_norms(q_words), row_norms(b_words)), "roles": (row_norms(q_roles), row_norms(b_roles))}
    out = {name: _cosine(dots[name], *norms[name]) for name in dots}
    (qw, bw), (qr, br) = norms["words"], norms["roles"]
    out["lexical"] = _cosine(dots["words"] + dots["roles"], np.hypot(qw, qr), np.hypot(bw, br))
    out["topical"] = topic_signal(q_topics) @ fb.topics_normalised.T
    out["length"] = np.log(fb.lengths)[None, :]
    if q_lsa is None:
        q_lsa = index.lsa_rows(q_tfidf)
    if q_lsa is not None and fb.lsa is not None:
        out["latent"] = np.clip(q_lsa @ fb.lsa.T, 0.0, 1.0)
    if semantic is not None:
        out["semantic"] = semantic
    if tagged is not None:
        out["tagged"] = tagged
    return out


def _cosine(dots: np.ndarray, q_norms: np.ndarray, b_norms: np.ndarray) -> np.ndarray:
    """Dot products over the outer product of the rows' norms (0 where either row is empty)."""
    den = np.outer(q_norms, b_norms)
    return np.divide(dots, den, out=np.zeros_like(dots), where=den > 0)


def standardise(part: np.ndarray, mask: np.ndarray, prior: tuple[float, float]) -> np.ndarray:
    """``part`` (m x N, or 1 x N) as z-scores over the candidate units ``mask`` of its row.  A candidate is
    measured against the *other* candidates (leave one out: an identical provision in a document of five
    would otherwise inflate the very spread it is measured by), their mean and variance shrunk toward
    ``prior`` (mean, sd) with :data:`PRIOR_WEIGHT` pseudo-units, so a part of a document with a handful of
    units is judged against corpus-typical values; the sd is never taken below :data:`PART_SD_FLOOR` of the
    prior's.  A unit outside ``mask`` is measured against all the candidates."""
    values = part[:, mask]
    n, n0 = float(values.shape[1]), PRIOR_WEIGHT
    s1, s2 = values.sum(axis=1, keepdims=True), np.square(values).sum(axis=1, keepdims=True)
    own = np.where(mask[None, :], 1.0, 0.0)  # candidates leave themselves out
    rest = n - own
    o1, o2 = s1 - own * part, s2 - own * np.square(part)
    centred = np.maximum(o2 - np.square(o1) / np.maximum(rest, 1.0), 0.0)  # rest x the others' variance
    mean = (o1 + n0 * prior[0]) / (rest + n0)
    var = (centred + n0 * prior[1] ** 2) / (rest + n0)
    return (part - mean) / np.maximum(np.sqrt(var), PART_SD_FLOOR * prior[1])


def fuse(parts: dict[str, np.ndarray], mask: np.ndarray, semantic: bool) -> np.ndarray:
    """The weighted sum of the standardised parts (:data:`FUSION`, :data:`PART_PRIOR`) the matcher ranks by;
    a part the index lacks (LSA in a tiny index) is left out."""
    weights, priors = FUSION[semantic], PART_PRIOR[semantic]
    total = None
    for name, w in weights.items():
        if name in parts:
            z = w * standardise(parts[name], mask, priors[name])
            total = z if total is None else total + z
    return total


def to_score(fused: np.ndarray, semantic: bool) -> np.ndarray:
    """The fused sum as a score in [0, 1]: ``1 / (1 + exp(-(fused - FUSED_MID) / FUSED_SCALE))``."""
    return 1.0 / (1.0 + np.exp(-(fused - FUSED_MID[semantic]) / FUSED_SCALE[semantic]))


def score_block(index: CorpusIndex, q_tfidf: sp.csr_matrix, q_topics: np.ndarray, q_fuzz: Sequence[str],
                fb: DocFeatures, *, shared: np.ndarray | None,
                q_texts: Sequence[str] | None = None, q_profiles: np.ndarray | None = None,
                candidates: int = CANDIDATES, q_lsa: np.ndarray | None = None,
                q_holds: np.ndarray | None = None, q_headings: Sequence[str] | None = None,
                q_subnational: bool = False) -> Scored:
    """The engine behind :func:`align` and :func:`compare.similar.similar` (see the module docstring).
    ``shared`` masks the vocabulary to the lemmas both sides use (None: the query side is free text, so
    only the query's lemmas unknown to B are dropped).  The semantic part is used when ``q_texts`` (the
    queries' texts; ``q_headings``, their own headings, when they have any) are given and the optional
    sentence encoder is available (:func:`compare.semantic.candidate_scores`).  ``q_lsa``: the queries'
    LSA rows when the caller already has them (one query scored against many documents).  ``q_holds``
    (m bools; None: all False) says which queries contain candidate units of their own document
    (:attr:`compare.index.DocFeatures.holds_candidates`); the others are offered only B's candidates that
    contain no other candidate (*like with like*, module docstring).  ``q_subnational``: the queries come from
    a state's constitution (:func:`compare.semantic.embed`)."""
    m, n = q_tfidf.shape[0], len(fb.units)
    if m == 0 or n == 0:
        empty = np.zeros((m, 0))
        return Scored(np.zeros((m, n)), empty.astype(int), empty, {}, np.zeros(n, dtype=bool))
    mask = fb.candidate_mask
    narrow = np.ones(m, dtype=bool) if q_holds is None else ~np.asarray(q_holds, dtype=bool)
    offered = np.where(narrow[:, None], fb.single_candidates[None, :], mask[None, :])
    cols = np.flatnonzero(mask)
    sem = tagged = None
    if q_texts is not None and semantic_mod.for_alignment():
        sem, tagged = semantic_parts(q_texts, q_profiles, fb, q_headings, q_subnational)
    raw = raw_parts(index, q_tfidf, q_topics, fb, shared=shared, q_lsa=q_lsa, semantic=sem, tagged=tagged)
    fused = fuse(raw, mask, sem is not None)
    pool = np.where(offered, fused, -np.inf)
    c = min(candidates, cols.size, int(offered.sum(axis=1).min()))
    cand = np.argpartition(-pool, c - 1, axis=1)[:, :c] if c < n else np.tile(np.arange(n), (m, 1))
    order = np.take_along_axis(pool, cand, axis=1).argsort(axis=1, kind="stable")[:, ::-1]
    cand = np.take_along_axis(cand, order, axis=1)
    cand = cand[:, : c]
    # a candidate sharing no term, topic, latent association or meaning with the query scores 0
    evidence = sum(np.maximum(np.broadcast_to(raw[name], (m, n)), 0.0)
                   for name in ("lexical", "topical", "latent", "semantic", "tagged") if name in raw)
    final = np.where(np.take_along_axis(evidence, cand, axis=1) > 0,
                     to_score(np.take_along_axis(fused, cand, axis=1), sem is not None), 0.0)
    parts = {name: np.take_along_axis(np.broadcast_to(raw[name], (m, n)), cand, axis=1)
             for name in ("lexical", "words", "roles", "topical", "latent", "semantic", "tagged") if name in raw}
    parts["fused"] = np.take_along_axis(fused, cand, axis=1)
    parts["fuzzy"] = _fuzzy(q_fuzz, fb.fuzz_strings, cand)
    return Scored(fused, cand, final, parts, mask, sem is not None, fb.single_candidates, narrow)


def semantic_parts(q_texts: Sequence[str], q_profiles: np.ndarray | None, fb: DocFeatures,
                   q_headings: Sequence[str] | None = None,
                   q_subnational: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The raw ``semantic`` and ``tagged`` parts (m x N; ``semantic`` is 0 outside B's candidate units) of
    queries given by their texts, their own headings (None: none) and topic profiles (None: profiled as free
    text) against every unit of ``fb``; ``q_subnational``: they come from a state's constitution.  Requires the
    sentence encoder."""
    sem = np.zeros((len(q_texts), len(fb.units)))
    sem[:, fb.candidate_mask] = semantic_mod.candidate_scores(q_texts, fb, centre=topics_mod.tagger().centre,
                                                              q_headings=q_headings, q_subnational=q_subnational)
    if q_profiles is None:
        q_profiles = topic_profile.text_profiles(q_texts)
    return sem, (q_profiles @ topic_profile.unit_profiles(fb).T).astype(np.float64)


def evidence(scored: Scored, i: int, fb: DocFeatures | None = None) -> tuple[float, float | None, float]:
    """(z of query ``i``'s best candidate against the null of its other candidate units, the best candidate's
    centred encoder cosine (None without the encoder), the threshold their :func:`verdict_evidence` must
    reach for a counterpart); see the module docstring.  With ``fb`` (B's features), the null also leaves out
    the units nested in the best match or containing it (:func:`null_rows`)."""
    if scored.cheap.shape[1] == 0 or not scored.final.shape[1]:
        return 0.0, None, math.inf
    best, others = null_rows(scored, i, fb)
    if best < 0:
        return 0.0, None, math.inf
    basis = scored.cheap[i]
    z = null_z(basis[others], float(basis[best]), scored.semantic)
    meaning = None
    if scored.semantic and "semantic" in scored.parts:
        at = np.flatnonzero(scored.candidates[i] == best)
        meaning = float(scored.parts["semantic"][i, at[0]]) if at.size else 0.0
    return z, meaning, Z_COUNTERPART[scored.semantic]


def verdict_evidence(z: float, meaning: float | None) -> float:
    """What the counterpart verdict weighs: ``z`` (how far the best match stands out), plus, with the encoder,
    :data:`MEANING_WEIGHT` x its centred cosine ``meaning`` (how alike the two mean in absolute terms)."""
    return z if meaning is None else z + MEANING_WEIGHT * meaning


def null_rows(scored: Scored, i: int, fb: DocFeatures | None = None) -> tuple[int, np.ndarray]:
    """(B's row of query ``i``'s best candidate, the rows of the candidates its null is taken over): every
    other candidate unit, less (given ``fb``) those nested in the best match or containing it.  They are
    parts or the whole of the same place: an article query's best match is an article whose own sections
    all resemble the query too, and counting them as unrelated would bury the very match they belong to."""
    rows = np.flatnonzero(scored.offered(i))
    if rows.size == 0:
        return -1, rows
    best = int(rows[np.argmax(scored.cheap[i][rows])])
    keep = rows != best
    if fb is not None:
        best_eid, above = fb.units[best].eid, fb.ancestry[best]
        keep &= np.fromiter((best_eid not in fb.ancestry[r] and fb.units[r].eid not in above for r in rows),
                            dtype=bool, count=rows.size)
    return best, rows[keep]


def null_z(others: np.ndarray, best: float, semantic: bool = False) -> float:
    """z of ``best`` against the null estimated from ``others`` (the scores of the other candidates), shrunk
    toward :data:`NULL_PRIOR` (of the fused score with or without the semantic part) with
    :data:`PRIOR_WEIGHT` pseudo-candidates, sd floored at :data:`SD_FLOOR`."""
    prior_mean, prior_sd = NULL_PRIOR[semantic]
    n, n0 = float(others.size), PRIOR_WEIGHT
    mean = (float(others.sum()) + n0 * prior_mean) / (n + n0)
    var = ((float(others.var()) * n if n else 0.0) + n0 * prior_sd ** 2) / (n + n0)
    return (best - mean) / max(math.sqrt(var), SD_FLOOR)


def _fuzzy(q_strings: Sequence[str], b_strings: Sequence[str], cand: np.ndarray) -> np.ndarray:
    """rapidfuzz token_sort_ratio / 100 of each query against each of its candidates.  With one query this is
    ``process.cdist``; with many it is its pairwise sibling ``process.cpdist`` over the (query, candidate)
    pairs only, on all cores: the full query x unit matrix is never computed."""
    if cand.size == 0:
        return np.zeros(cand.shape)
    # all cores for big batches; one thread for a single query (thread start-up would dominate)
    options = {"scorer": fuzz.token_sort_ratio, "processor": utils.default_process,
               "workers": -1 if cand.size >= 2000 else 1, "dtype": np.uint8}
    if len(q_strings) == 1:
        scores = process.cdist(list(q_strings), [b_strings[j] for j in cand[0]], **options)
        return np.asarray(scores, dtype=np.float64) / 100.0
    queries = [q_strings[i] for i in range(cand.shape[0]) for _ in range(cand.shape[1])]
    choices = [b_strings[j] for j in cand.ravel()]
    scores = process.cpdist(queries, choices, **options)
    return np.asarray(scores, dtype=np.float64).reshape(cand.shape) / 100.0


# ------------------------------------------------------------------ alignment

def align(a: Document, b: Document, *, top: int = 5, index: CorpusIndex | None = None,
          explain: bool = False) -> Alignment:
    """For every provision of ``a`` (every level) the ``top`` best provisions of ``b``, best first,
    with a counterpart verdict.  ``index`` (built over documents including both; an index of the whole
    corpus gives the best IDF and LSA) is reused when given.  Without one (or with one that lacks ``a`` or
    ``b``) the index of the two documents is used, from the persistent cache when it holds it
    (:meth:`compare.index.CorpusIndex.load_or_build`): the result depends only on ``a``, ``b`` and ``index``,
    never on what happens to be cached.  ``explain=True`` also names each match's shared topics in its
    explanation (None otherwise): they need the topic tagger's tags of both documents, computed the first time
    (``convene import`` prepares them), which output that shows no explanation need not pay for."""
    if top < 1:
        raise ValidationError(f"top must be at least 1, not {top}")
    started = time.perf_counter()
    if index is None or a.id not in index.docs or b.id not in index.docs:
        index = CorpusIndex.load_or_build([a, b] if a.id != b.id else [a])
    fa, fb = index.features(a.id), index.features(b.id)
    if not fa.units or not fb.units:
        rows = tuple(Row(u.eid, fa.citations[i], False, (), 0.0, math.inf) for i, u in enumerate(fa.units))
        return Alignment(a.id, b.id, rows, time.perf_counter() - started)
    shared = fa.vocab_mask & fb.vocab_mask
    q_texts = q_profiles = None
    if semantic_mod.for_alignment():
        q_texts, q_profiles = semantic_mod.unit_texts(fa), topic_profile.unit_profiles(fa)
    forward = score_block(index, fa.tfidf, fa.topics, fa.fuzz_strings, fb, shared=shared, q_texts=q_texts,
                          q_profiles=q_profiles, q_holds=fa.holds_candidates,
                          q_headings=semantic_mod.unit_headings(fa), q_subnational=is_subnational(a.title))
    faceted = facet_matches(index, fb, *unit_facet_queries(index, fa), len(fa.units), explain=explain)
    rows = []
    for i, unit in enumerate(fa.units):
        matches = with_facets(ranked_matches(index, fa, fb, forward, i, top, shared, explain=explain), faceted[i],
                              top, fb)
        z, meaning, threshold = evidence(forward, i, fb) if matches else (0.0, None, math.inf)
        z, meaning = round(z, 3), None if meaning is None else round(meaning, 4)  # the verdict is the Row's own
        rows.append(Row(unit.eid, fa.citations[i], verdict_evidence(z, meaning) >= threshold, matches, z,
                        threshold, meaning))
    return Alignment(a.id, b.id, tuple(rows), time.perf_counter() - started)


def facet_matches(index: CorpusIndex, fb: DocFeatures, queries: TextQueries, owners: np.ndarray, m: int, *,
                  explain: bool = False) -> list[tuple[Match, ...]]:
    """For each of ``m`` queries, the best match in B of each of its facets (:mod:`compare.facets`;
    ``queries``, the facets read as free text, ``owners``, the query each comes from) for which B has a
    counterpart (the verdict of :func:`evidence`, as for any query), best first, each naming its facet."""
    out: list[list[Match]] = [[] for _ in range(m)]
    if not len(queries) or not fb.units:
        return [tuple(found) for found in out]
    scored = score_block(index, queries.tfidf, queries.topics, queries.fuzz, fb, shared=None,
                         q_texts=list(queries.texts), q_profiles=queries.profiles, candidates=1, q_lsa=queries.lsa,
                         q_subnational=queries.subnational)
    for k, owner in enumerate(owners):
        if queries.empty(k) or not scored.final.shape[1] or scored.final[k, 0] <= 0:
            continue
        z, meaning, threshold = evidence(scored, k, fb)
        if verdict_evidence(z, meaning) < threshold:
            continue
        said = topic_profile.text_topics(queries.texts[k]) if explain else None
        match = _match(index, None, fb, scored, k, 0, None, q_row=queries.tfidf[k], q_topics=said, explain=explain)
        out[int(owner)].append(replace(match, facet=queries.texts[k]))
    return [tuple(sorted(found, key=lambda match: -match.score)) for found in out]


def with_facets(matches: tuple[Match, ...], facets: tuple[Match, ...], top: int, fb: DocFeatures) -> tuple[Match, ...]:
    """A query's ranked ``matches`` with its facets' matches (:func:`facet_matches`) in its last places: each
    facet's match not already a place of the list (nor nested in one, nor containing one) replaces the last
    match, down to the first, which always stays.  At most ``top`` in all."""
    placed = [m.eid for m in matches]
    extra: list[Match] = []
    for match in facets:
        if any(_nested(fb, match.eid, eid) for eid in placed):
            continue
        extra.append(match)
        placed.append(match.eid)
    if not extra:
        return matches
    kept = matches[:max(1, top - len(extra))]
    return kept + tuple(extra[:top - len(kept)])


def _nested(fb: DocFeatures, a: str, b: str) -> bool:
    """Whether units ``a`` and ``b`` of B are the same place: one and the same, or one inside the other."""
    return a == b or a in fb.ancestry[fb.row_of[b]] or b in fb.ancestry[fb.row_of[a]]


def ranked_matches(index: CorpusIndex, fa: DocFeatures | None, fb: DocFeatures, scored: Scored, i: int, top: int,
                   shared: np.ndarray | None, q_row: sp.csr_matrix | None = None,
                   q_topics: topic_profile.UnitTopics | None = None, explain: bool = False) -> tuple[Match, ...]:
    """Query ``i``'s ``top`` matches in B, best first: different places (:func:`_diverse`), each followed by
    its focus when it has one (:func:`focus`), which takes one of the ``top`` places.  Arguments as for
    :func:`_match`."""
    out: list[Match] = []
    for k in _diverse(scored, i, fb, top):
        if len(out) == top:
            break
        match = _match(index, fa, fb, scored, i, k, shared, q_row=q_row, q_topics=q_topics, explain=explain)
        out.append(match)
        inner = focus(scored, i, fb, int(scored.candidates[i, k]))
        if inner is not None and len(out) < top:
            out.append(_focus_match(index, fa, fb, match, inner, i, shared, q_row, q_topics, explain))
    return tuple(out)


def focus(scored: Scored, i: int, fb: DocFeatures, row: int) -> int | None:
    """B's row of the sub-provision of candidate ``row`` where query ``i``'s match lies, or None.  A section
    matched for one of its clauses (a habeas corpus clause against a section on arrested persons, one paragraph
    of it on challenging a detention) is the right place to read, but the clause is where the match is.  The
    focus is the sub-provision with the best fused score (on the lexical, latent and topic parts: the encoder
    scores candidate units only, so its part is the same for every sub-provision), named only when it leads
    each sub-provision not nested with it (not its own parts nor what contains it) by at least
    :data:`FOCUS_MARGIN`: a match spread evenly over a section's clauses has no focus, and neither has a
    candidate with a single chain of sub-provisions or one that contains candidate units (an article with
    sections, whose sections are offered on their own)."""
    if fb.holds_candidates[row]:
        return None
    inner = fb.descendants[row]
    if inner.size < 2:
        return None
    values = scored.cheap[i, inner]
    best = int(inner[int(np.argmax(values))])
    best_eid, above = fb.units[best].eid, fb.ancestry[best]
    rivals = [int(r) for r in inner if r != best and best_eid not in fb.ancestry[r] and fb.units[r].eid not in above]
    if not rivals:
        return None
    lead = float(scored.cheap[i, best] - scored.cheap[i, rivals].max())
    return best if lead >= FOCUS_MARGIN else None


def _diverse(scored: Scored, i: int, fb: DocFeatures, top: int) -> list[int]:
    """Candidate positions for query ``i`` by final score, skipping a unit nested in (or containing)
    a better-ranked pick, so five matches are five different places."""
    order = np.argsort(-scored.final[i], kind="stable")
    picked: list[int] = []
    chosen: list[int] = []
    for k in order:
        row = int(scored.candidates[i, k])
        eid = fb.units[row].eid
        if any(eid in fb.ancestry[r] or fb.units[r].eid in fb.ancestry[row] for r in chosen):
            continue
        picked.append(int(k))
        chosen.append(row)
        if len(picked) == top:
            break
    return picked


def _row(m: sp.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    start, end = m.indptr[i], m.indptr[i + 1]
    return m.indices[start:end], m.data[start:end]


def _match(index: CorpusIndex, fa: DocFeatures | None, fb: DocFeatures, scored: Scored, i: int,
           k: int, shared: np.ndarray | None, q_row: sp.csr_matrix | None = None,
           q_topics: topic_profile.UnitTopics | None = None, explain: bool = False) -> Match:
    """The ``k``-th candidate of query ``i`` as a match with its explanation.  A query that is not a unit of
    ``fa`` (free text, a provision of a document outside the index) gives its TF-IDF row ``q_row`` and what
    the tagger says of it, ``q_topics`` (:mod:`compare.topic_profile`)."""
    row = int(scored.candidates[i, k])
    unit = fb.units[row]
    parts = scored.parts
    top_lemmas, shared_topics = _shared(index, fa, fb, i, row, shared, q_row, q_topics, explain)
    sem, lat, tag = parts.get("semantic"), parts.get("latent"), parts.get("tagged")
    explanation = Explanation(
        lexical=round(float(parts["lexical"][i, k]), 4), topical=round(float(parts["topical"][i, k]), 4),
        fuzzy=round(float(parts["fuzzy"][i, k]), 4), semantic=None if sem is None else round(float(sem[i, k]), 4),
        fused=round(float(parts["fused"][i, k]), 4), shared_lemmas=top_lemmas, shared_topics=shared_topics,
        latent=None if lat is None else round(float(lat[i, k]), 4),
        tagged=None if tag is None else round(float(tag[i, k]), 4))
    return Match(unit.eid, fb.citations[row], round(float(scored.final[i, k]), 6), explanation)


def _focus_match(index: CorpusIndex, fa: DocFeatures | None, fb: DocFeatures, parent: Match, row: int, i: int,
                 shared: np.ndarray | None, q_row: sp.csr_matrix | None,
                 q_topics: topic_profile.UnitTopics | None, explain: bool) -> Match:
    """The focus ``row`` of ``parent`` (:func:`focus`) as a match: the parent's score and score parts (the place
    ranked is the parent), its own shared lemmas and topics."""
    lemmas, topics = _shared(index, fa, fb, i, row, shared, q_row, q_topics, explain)
    explanation = replace(parent.explanation, shared_lemmas=lemmas, shared_topics=topics)
    return Match(fb.units[row].eid, fb.citations[row], parent.score, explanation, within=parent.eid)


def _shared(index: CorpusIndex, fa: DocFeatures | None, fb: DocFeatures, i: int, row: int,
            shared: np.ndarray | None, q_row: sp.csr_matrix | None, q_topics: topic_profile.UnitTopics | None,
            explain: bool) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """(The heaviest lemmas query ``i`` shares with B's unit ``row``, their shared topics when ``explain``)."""
    q_idx, q_val = _row(q_row if q_row is not None else fa.tfidf, 0 if q_row is not None else i)
    b_idx, b_val = _row(fb.tfidf, row)
    common, qi, bi = np.intersect1d(q_idx, b_idx, assume_unique=True, return_indices=True)
    weights = q_val[qi] * b_val[bi]
    if shared is not None:
        weights = weights * shared[common]
    order = np.argsort(-weights, kind="stable")[:MAX_SHARED]
    lemmas = tuple(index.lemmas[common[j]] for j in order if weights[j] > 0)
    topics = None
    if explain:
        q_topics = q_topics if q_topics is not None else topic_profile.unit_topics(fa)[i]
        topics = topic_profile.shared_topics(q_topics, topic_profile.unit_topics(fb)[row])
    return lemmas, topics
