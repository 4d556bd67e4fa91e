"""Provisions tagged with the topics of the Constitute Project ontology.

The ontology (328 topics, each with its label, description, keywords and
survey questions) is read by :mod:`compare.ontology`; the stems and bigrams
the tagger reads by :mod:`compare.stemming`; what it reads in a text besides
its words (institutions, stated attributes, grounds, polity names) by
:mod:`compare.topic_cues`; the titles of statutes it leaves out by
:mod:`compare.statutes`.

Tagging (:class:`TopicTagger`) is lexical, explainable and learnt from the
ontology and unlabelled texts (no word lists fitted to labelled provisions):

- *terms*: spaCy lookup lemmas (:mod:`constitutions.language`) reduced by a
  Porter stemmer (:func:`stem`), so "equal", "equality" and "equally" meet,
  plus bigrams of consecutive terms ("head state", "secret ballot");
- *profiles*: every topic's label, keywords, survey questions, description
  and sub-category label give it terms, weighted by where they come from and
  by their inverse frequency over the 328 topics, so words every sibling
  shares ("president" in all head-of-state topics, "constitution" in every
  question) count little and the distinguishing ones ("term", "age") most;
- *drafting vocabulary*: the phrases constitutions use for a topic that the
  ontology never says ("money bill", "financial year", "eminent domain"), from
  a thesaurus written blind to labels and kept only where the reference
  constitutions confirm it (:mod:`compare.vocabulary`): each phrase's word
  pairs join the topic's profile x :data:`W_ALIAS`, as anchors;
- *evidence*: a provision's own words, its heading (x :data:`HEADING_WEIGHT`)
  and, weakly, its ancestors' headings (x :data:`CONTEXT_WEIGHT`), saturated
  as in BM25; a topic's confidence is ``1 - exp(-score / norm)`` where
  ``norm`` is the mass of the topic's three strongest terms.  *Anchors*: a
  topic none of whose label's or keywords' terms the provision has (the words
  of its description or survey questions alone: "fund" and "public" for
  campaign financing) keeps :data:`UNANCHORED` of that confidence.  A capitalised
  "Union" names a polity ("the Union" of India, "this Union", the European
  Union), not a trade union, and is no term (:func:`polity_names`).  The
  titles of statutes a provision cites ("the States Reorganisation Act,
  1956") are names, not prose: their words are not read, and a provision
  that is nothing but titles (a list of validated laws) is not encoded
  either (:mod:`compare.statutes`, :func:`reading`);
- *institutions*: the ontology never says "Senate", "Bundestag" or
  "Taoiseach"; it says "second chamber", "first chamber", "head of
  government".  Each institutional role a provision names
  (:mod:`compare.roles`, a gazetteer written from comparative knowledge,
  not from labels) adds the terms of the ontology's own phrase for it, once
  per role, x :data:`ROLE_WEIGHT` (x :data:`ROLE_HEADING` more for roles
  named by headings), without counting towards the length; in the
  constitution of a state (:func:`compare.roles.is_subnational` of the
  title) the Governor is the head of state;
- *institution scope*: a topic whose label is about one institution ("Head
  of government term length", "Size of second chamber", "Constitutional court
  removal") is about the institution the provision names: among rival
  institutions (the heads of state and government, their deputies and the cabinet;
  the two chambers; the kinds of court) the nearest level naming any of them (the
  provision's own words and heading, else its parent's heading, and so on up)
  decides, so a provision on the President is not tagged with head-of-government
  topics nor one on the Senate with first-chamber ones; an institution the
  provision names only as an agent ("appointed by the Cabinet", "nominated by
  the Supreme Court") does not count when it names a rival otherwise
  (:func:`scope_level`), except a deputy, who acts in the principal's stead
  ("exercised by the Vice-President"); topics on institutions
  a provision always names when it speaks of them (constitutional, administrative
  and electoral courts, deputy executives) need that name at some level.  The
  institution of each topic is read from its label (:func:`topic_institutions`); a topic on judges or
  courts in general (a judicial council, judges' salaries) needs a judicial word (judge, court, justice,
  tribunal ...: :func:`judicial_keys`) at some level;
- *subnational parts*: under a heading of the part on the states, provinces,
  counties or local governments ("THE STATES", "Provinces", "County
  Governments": :func:`compare.topic_cues.subnational_heading`), no topic on
  the national government's political institutions (heads of state and
  government, their deputies, the cabinet, the chambers): the Constitute
  topics are about the nation's, and a state's Speaker, Governor or Chief
  Minister is none of them.  The courts stay (India's High Courts sit under
  "THE STATES");
- *decision*: a topic is reported when its confidence reaches
  :data:`MIN_CONFIDENCE` and :data:`RELATIVE_CUTOFF` of the best one's, and,
  when a more confident topic of the same sub-category was already reported,
  only if evidence it does not share with that sibling reaches
  :data:`DISTINCT_EVIDENCE`; at most :data:`MAX_TAGS` tags;
- *grounds*: the ontology's "Equality regardless of X" topics (gender, race,
  religion, age ... :func:`ground_phrases`, read from the labels and
  descriptions) are facets of one clause, and their profiles share nearly
  every word, so scores cannot tell which grounds a clause lists.  When an
  equality topic's score reaches :data:`GROUND_CONTEXT` of the minimum, the
  grounds are decided apart: a ground is reported when the text names it
  (:meth:`TopicTagger.named_grounds`: a short run of words inside one item of
  a list, "sex", "place of birth", matched to the ground's phrases; in a clause
  with words that introduce grounds, "because of", "on the grounds of", only
  after them: :func:`ground_passages`), with the
  clause's equality score as confidence and the naming words as evidence, and
  never otherwise ("Every person is equal before the law" lists no ground);
- *retirement ages*: the ontology's minimum-age topics ("Minimum age of supreme court judges", "Minimum age
  for first chamber") are about eligibility; a text that speaks of an age only as the end of office (judges
  "shall retire on attaining the age of seventy years") and has no word of eligibility ("not less than",
  "qualified", "eligible" ... :func:`retirement_age_only`) is tagged with none of them, however close its
  words and embedding come to them (the mandatory retirement age of judges is a topic of its own).

When the optional sentence encoder is available (:mod:`compare.semantic`; off with
``CONVENE_TOPIC_SEMANTIC=0`` or ``CONVENE_SEMANTIC=0``) a second, semantic signal joins the lexical one:

- *semantic evidence*: the cosine between a provision's embedding (its words,
  heading x :data:`SEM_HEADING`, its two nearest ancestors' headings x
  :data:`SEM_CONTEXT` and the mean embedding of the generic phrases of the
  roles its text and heading name x :data:`SEM_ROLE`) and each topic's embedding (the mean of the
  encoder's vectors of "label. description" and of each of its survey questions, which read like the
  questions the encoder was trained to answer with passages), both taken relative to the mean topic
  embedding (so the direction every constitutional text shares does not make
  generic topics win), as a z-score over the 328 topics, so a
  provision's closest topics stand out whatever its length or style.  The topic embeddings compared are
  the shipped *adapted prototypes* when they fit the ontology and the encoder (:mod:`compare.prototypes`:
  each moved toward the provisions of eleven reference constitutions that the plain tagger tags with it
  first), else the plain ones;
- *attributes*: the ontology asks the same questions of several institutions (size, selection, term length,
  minimum age, removal ... :func:`topic_attribute` reads the attribute from the label: "Supreme court term
  length" and "Term length for first chamber" share "term length"), and a provision naming the Senate is close
  to every second-chamber topic.  Each attribute is embedded as the mean of its topics' embeddings, in which
  the institutions cancel out; the attribute nearest a provision decides which of an institution's topics it
  is about: the z-score of every topic of another attribute falls by :data:`ATTRIBUTE_WEIGHT` x the gap
  (:meth:`TopicTagger.attribute_shift`), so "The House of Representatives shall consist of 150 members" is
  about the size of the first chamber, not its term or its members' age;
- *stated attributes*: a provision may state several attributes at once ("The Senate has a membership of 40
  Senators elected for 4-year terms"), and the nearest one alone would hide the others.  An attribute the
  text states in one of the constructions constitutions use for it (:func:`stated_attributes`: "consists
  of 200 members", "one member for each thirty thousand", "for a term of six years", "elected by", "has
  attained the age of") of the institution the sentence is about (:func:`stated_subjects`: not an agent,
  "appointed by the Governor", nor an institution after a preposition) is not lowered for that institution,
  whose topic of it gains :data:`STATED_BONUS` in z and is reported on reaching the minimum alone, without
  the relative cut-off or the sibling rule (the construction is its own evidence).  A house named without
  saying which ("the National Assembly") counts as the first chamber, as the Constitute Project codes a
  unicameral legislature's;
- *fusion*: ``lexical confidence + SEMANTIC_WEIGHT x z``, plus :data:`SALIENCE_WEIGHT` x whatever of ``z``
  exceeds :data:`SALIENCE_Z` (a topic the encoder singles out from the 328 counts even when the ontology's
  words are few: a revenue fund "appropriated by the Parliament" for spending bills); the decision is the
  same as above on this fused score, with :data:`FUSED_MIN` and
  :data:`FUSED_RELATIVE` as thresholds, and the reported confidence is the
  fused score mapped monotonically into (0, 1) (:data:`FUSED_MIN` maps to
  :data:`MIN_CONFIDENCE`).  The encoder bridges words the ontology never
  uses ("tried twice for the same offence" for double jeopardy, "keep the air, water and forests
  clean" for the environment).  Every provision of a document is encoded when the document is first
  tagged (the whole corpus: about 2.5 minutes on 2 cores; the vectors and the tags are then cached on
  disk).

Guarantees: confidences lie in (0, 1], tags are ordered by confidence, equal
inputs give equal tags, and :func:`tag_document` results are cached per
document content.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from compare import prototypes, roles, semantic, statutes, topic_cache, vocabulary
from compare.ontology import Category, Ontology, Topic, TopicScore, load_ontology
from compare.stemming import stem, stem_pairs, terms
from compare.topic_cues import (
    MENTION_BREAK,
    MINIMUM_AGE_LABEL,
    NAMED_ONLY,
    NATIONAL_POLITICAL,
    RIVALS,
    WORD,
    ground_mentions,
    ground_phrases,
    judicial_keys,
    own_level,
    polity_names,
    retirement_age_only,
    stated_subjects,
    subnational_heading,
    topic_attribute,
    topic_institutions,
)
from constitutions.language import analyse_many, nlp, stop_words
from constitutions.model import Document, Located
from convene.errors import ConveneError

MIN_CONFIDENCE = 0.45
RELATIVE_CUTOFF = 0.7  # a tag must reach this share of the best tag's confidence
DISTINCT_EVIDENCE = 0.15  # evidence not shared with a reported sibling, as a share of the topic's norm
MAX_TAGS = 10  # a provision listing grounds of discrimination addresses each of them

# profile weights: how much a term says about the topic, by where it comes from
W_LABEL, W_KEYWORD, W_QUESTION, W_DESCRIPTION, W_GROUP = 3.0, 2.0, 0.5, 1.0, 0.5
W_ALIAS = 0.5  # each word pair of a phrase constitutions use for the topic (compare.vocabulary), an anchor
W_MAX = 4.0  # a term found in several fields adds up, to this cap
PHRASE_WEIGHT = 1.0  # bigrams of label and keyword terms, as a share of their terms' mean weight
HEADING_WEIGHT = 2.0
UNANCHORED = 0.5  # share of its lexical confidence a topic keeps when no term of its label or keywords is found
CONTEXT_WEIGHT = 1.0  # each ancestor heading's terms
INHERITANCE = 0.8  # a provision without words of its own takes its parent's topics at this share
K1, B = 1.2, 0.5
AVG_LENGTH = 40.0
NORM_TERMS = 3
NORM_FLOOR = 0.25  # a topic's norm is at least this quantile of all norms: generic-only profiles need more evidence

# semantic signal (used when compare.semantic is available); weights and thresholds chosen on the dev half
SEMANTIC_WEIGHT = 0.15  # fused score = lexical confidence + this x embedding z-score
FUSED_MIN = 0.9  # a tag's fused score must reach this
FUSED_RELATIVE = 0.7  # and this share of the best fused score
SEM_HEADING = 1.0  # the heading's embedding, added to the text's before normalising
SEM_CONTEXT = 0.3  # the two nearest ancestor headings' embedding

# attributes of institutions: the size, selection, term, age ... asked of several institutions
ATTRIBUTE_WEIGHT = 0.6  # an institution topic's z falls by this x how far its attribute's z is below the best one's
SALIENCE_Z = 3.0  # a topic the encoder singles out (z above this) ...
SALIENCE_WEIGHT = 0.4  # ... gains this x the excess in the fused score
STATED_BONUS = 0.5  # the z-score a stated attribute's topic about a named institution gains (*stated attributes*)

# institutions by role (compare.roles): "Senate" read also as the ontology's "second chamber"
ROLE_WEIGHT = 0.4  # each role a text names: its generic phrase's terms, as a share of a word of the text
ROLE_HEADING = 0.5  # roles named by the heading (x HEADING_WEIGHT) and ancestors' headings (x CONTEXT_WEIGHT)
SEM_ROLE = 0.2  # the mean embedding of the generic phrases of the roles a provision names

SEARCH_SEMANTIC_WEIGHT = 0.2  # search_topics: a phrase's fused score = lexical confidence + this x its z-score

# grounds of discrimination ("Equality regardless of race"): reported for the grounds an equality clause names
GROUND_CONTEXT = 0.8  # an equality topic's score must reach this share of the tagging minimum
GROUND_MATCH = 0.6  # a mention's cosine with a ground's phrase, when the sentence encoder is on


# ------------------------------------------------------------------ tagging

@dataclass(frozen=True)
class _Profile:
    """A topic's profile in lemma space (for :mod:`compare.index`): lemma -> weight x idf."""

    weights: dict[str, float]
    strong: frozenset[str]  # lemmas from label / keywords
    phrases: tuple[tuple[str, ...], ...]
    norm: float


class TopicTagger:
    """Scores texts against every topic of an ontology (see the module docstring)."""

    def __init__(self, ontology: Ontology, *, adapted: bool = True,
                 aliases: Mapping[str, Sequence[str]] | None = None, national_scope: bool = True):
        self.ontology = ontology
        self.adapted = adapted  # use the shipped adapted prototypes (compare.prototypes) when they fit
        # keep the national government's institutions' topics out of subnational parts (*subnational parts*); the
        # builders of the adapted prototypes and the vocabulary read wording, and a state's premier is worded as a
        # head of government is, so they read those parts without it
        self.national_scope = national_scope
        # the confirmed drafting vocabulary (compare.vocabulary); {} reads the ontology's words alone
        self.aliases = vocabulary.load_aliases() if aliases is None else aliases
        topics = ontology.topics
        sources: list[list[tuple[str, float, bool]]] = []  # (text, weight, whether an alias)
        for t in topics:
            sources.append([(t.label, W_LABEL, False), *((k, W_KEYWORD, False) for k in t.keywords),
                            *((a, W_ALIAS, True) for a in self.aliases.get(t.key, ())),
                            *((q, W_QUESTION, False) for q in t.questions), (t.description, W_DESCRIPTION, False),
                            *((g, W_GROUP, False) for g in t.groups[-1:])])
        flat = list(dict.fromkeys(text for src in sources for text, _, _ in src))
        analysed = dict(zip(flat, analyse_many(flat), strict=True))
        self._ontology_lemmas = frozenset(x for a in analysed.values() for x in a.lemmas)
        raw: list[dict[str, float]] = []
        strong: list[set[str]] = []
        for src in sources:
            found: dict[str, dict[float, None]] = defaultdict(dict)  # term -> field weights it comes from
            s: set[str] = set()
            for text, w, alias in src:
                stems = [stem(x) for x in analysed[text].lemmas]
                if alias:  # a phrase is evidence as a whole: its word pairs, each an anchor
                    for pair in stem_pairs(stems):
                        found[pair][w * PHRASE_WEIGHT] = None
                        s.add(pair)
                    continue
                for term in stems:
                    found[term][w] = None
                if w >= W_KEYWORD:
                    s.update(stems)
                    for pair in stem_pairs(stems):
                        found[pair][w * PHRASE_WEIGHT] = None
            raw.append({term: min(W_MAX, sum(ws)) for term, ws in found.items()})
            strong.append(s)
        n = len(topics)
        df = Counter(term for weights in raw for term in weights)
        self.df = dict(df)
        self.idf = {term: math.log(n / d) for term, d in df.items()}
        self.vocab = {term: j for j, term in enumerate(sorted(df))}
        self.weights = np.zeros((len(self.vocab), n), dtype=np.float64)  # term x topic: weight x idf
        for i, weights in enumerate(raw):
            for term, w in weights.items():
                self.weights[self.vocab[term], i] = w * self.idf[term]
        top = -np.sort(-self.weights, axis=0)[:NORM_TERMS]
        norms = top.sum(axis=0)
        self.norms = np.maximum(norms, max(float(np.quantile(norms, NORM_FLOOR)), 1e-9))
        self.strong_terms = [frozenset(s) for s in strong]
        self.strong_mask = np.zeros(self.weights.shape, dtype=bool)  # term x topic: a label or keyword term
        for i, found in enumerate(self.strong_terms):
            self.strong_mask[[self.vocab[term] for term in found if term in self.vocab], i] = True
        self.terms_of = [frozenset(w) for w in raw]
        groups = [t.groups[-1] if t.groups else t.category for t in topics]
        self.group = groups
        self.institutions = [topic_institutions(t.label) for t in topics]
        families: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(topics):
            if attribute := topic_attribute(t.label):
                families[attribute].append(i)
        self.attributes = {a: tuple(ix) for a, ix in families.items() if len(ix) > 1}
        self.grounds = ground_phrases(topics)
        ground_groups = {groups[i] for i in self.grounds}
        self.ground_context = np.array(sorted({*self.grounds, *(
            i for i, t in enumerate(topics) if groups[i] in ground_groups and "equality" in t.label.lower())}),
            dtype=np.int64)

    # -------------------------------------------------------------- institution scope

    @cache  # noqa: B019 - one tagger per process; few distinct arguments
    def allowed(self, levels: tuple[frozenset[str], ...], *, subnational_part: bool = False) -> np.ndarray | None:
        """Which topics a provision may be tagged with, given the role keys (:mod:`compare.roles`) named at each
        level, nearest first (its own words and heading, then each ancestor's heading): see *institution
        scope* in the module docstring.  In a ``subnational_part`` (*subnational parts*), no topic about the
        national government's political institutions may be.  None when every topic may be."""
        anywhere = frozenset().union(*levels)
        scopes = [next((level & group for level in levels if level & group), None) for group in RIVALS]
        mask = np.ones(len(self.institutions), dtype=bool)
        for i, about in enumerate(self.institutions):
            unnamed = about <= NAMED_ONLY and not about & anywhere
            rivalled = any(scope is not None and about & group and not about & scope
                           for group, scope in zip(RIVALS, scopes, strict=True))
            national = subnational_part and bool(about & NATIONAL_POLITICAL)
            mask[i] = not (about and (unnamed or rivalled or national))
        return None if mask.all() else mask

    # -------------------------------------------------------------- evidence

    def _row(self, counts: dict[int, float], length: float) -> dict[int, float]:
        denom = K1 * (1 - B + B * length / AVG_LENGTH)
        return {j: f * (K1 + 1) / (f + denom) for j, f in counts.items()}

    def evidence(self, lemmas: Sequence[str], heading_lemmas: Sequence[str] = (),
                 context: Sequence[Sequence[str]] = (),
                 extra: Sequence[tuple[Sequence[str], float]] = ()) -> dict[int, float]:
        """Saturated term frequencies (term index -> value) of a provision: its words, heading and context,
        and ``extra`` lemma sequences with their weights (the generic phrases of the institutions it names,
        :meth:`role_evidence`), which count as terms but not towards the length."""
        counts: dict[int, float] = defaultdict(float)
        vocab = self.vocab
        length = 0.0
        for items, weight in ((lemmas, 1.0), (heading_lemmas, HEADING_WEIGHT),
                              *((c, CONTEXT_WEIGHT) for c in context)):
            if not items:
                continue
            length += weight * len(items)
            for term in terms(items):
                j = vocab.get(term)
                if j is not None:
                    counts[j] += weight
        for items, weight in extra:
            for term in terms(items):
                j = vocab.get(term)
                if j is not None:
                    counts[j] += weight
        return self._row(counts, max(length, 1.0)) if counts else {}

    @cache  # noqa: B019 - one tagger per process
    def _generic_lemmas(self) -> dict[str, tuple[str, ...]]:
        """The lemmas of each role's generic phrase, analysed as the ontology's text is."""
        phrases = [r.generic for r in roles.ROLES]
        return {p: a.lemmas for p, a in zip(phrases, analyse_many(phrases), strict=True)}

    def role_evidence(self, named: Sequence[str], heading_named: Sequence[str] = (),
                      context_named: Sequence[Sequence[str]] = ()) -> list[tuple[tuple[str, ...], float]]:
        """The ``extra`` items of :meth:`evidence` for a provision, from the generic phrases of the roles
        (:func:`named_roles`) its text names (x :data:`ROLE_WEIGHT`), its heading names (x :data:`HEADING_WEIGHT`)
        and each of its ancestors' headings names (x :data:`CONTEXT_WEIGHT`), the latter two also
        x :data:`ROLE_HEADING`: the lemmas of each phrase with its weight."""
        generic = self._generic_lemmas()
        out = []
        for phrases, weight in ((named, ROLE_WEIGHT), (heading_named, ROLE_WEIGHT * ROLE_HEADING * HEADING_WEIGHT),
                                *((c, ROLE_WEIGHT * ROLE_HEADING * CONTEXT_WEIGHT) for c in context_named)):
            if weight > 0:
                out.extend((generic[p], weight) for p in phrases)
        return out

    def _raw(self, row: dict[int, float]) -> np.ndarray:
        if not row:
            return np.zeros(self.weights.shape[1])
        idx = np.fromiter(row, dtype=np.int64, count=len(row))
        vals = np.fromiter(row.values(), dtype=np.float64, count=len(row))
        return vals @ self.weights[idx]

    def scores(self, lemmas: Sequence[str], heading_lemmas: Sequence[str] = (),
               context: Sequence[Sequence[str]] = ()) -> np.ndarray:
        """Raw evidence per topic (index = position in ``ontology.topics``), before normalisation."""
        return self._raw(self.evidence(lemmas, heading_lemmas, context))

    def vector(self, lemmas: Sequence[str], heading_lemmas: Sequence[str] = (),
               context: Sequence[Sequence[str]] = ()) -> np.ndarray:
        """Per-topic confidences in [0, 1) (a soft topic vector, used by alignment)."""
        return 1.0 - np.exp(-self.scores(lemmas, heading_lemmas, context) / self.norms)

    # -------------------------------------------------------------- decision

    def anchored(self, row: dict[int, float]) -> np.ndarray:
        """Topics with a term of their label or keywords in evidence ``row`` (:meth:`evidence`)."""
        if not row:
            return np.zeros(self.weights.shape[1], dtype=bool)
        return self.strong_mask[list(row)].any(axis=0)

    def confidence(self, row: dict[int, float], *, anchors: bool = True) -> np.ndarray:
        """Lexical confidence per topic of evidence ``row``, ``1 - exp(-score / norm)``; with ``anchors``, that of
        a topic none of the row's terms names by label or keyword taken at :data:`UNANCHORED` (*anchors* in the
        module docstring)."""
        conf = 1.0 - np.exp(-self._raw(row) / self.norms)
        return np.where(self.anchored(row), conf, UNANCHORED * conf) if anchors else conf

    def decide(self, row: dict[int, float], conf: np.ndarray, *, inherited: np.ndarray | None = None,
               own: frozenset[int] | None = None, semantic_z: np.ndarray | None = None,
               allowed: np.ndarray | None = None, text: str = "",
               stated: frozenset[int] = frozenset()) -> tuple[TopicScore, ...]:
        """Tags from a provision's evidence ``row`` and confidences ``conf`` (see the module docstring).
        With ``semantic_z`` (embedding z-scores per topic) the decision is made on the fused score, and
        ``inherited`` is then a parent's fused score; without it, on ``conf``.  A tag's ``evidence`` lists the
        terms of ``own`` (default: all of ``row``) that support it, so a tag resting only on ancestors' headings,
        on inheritance or on the embedding has no evidence.  ``allowed`` (:meth:`allowed`) masks topics out.
        Given the provision's ``text``, an equality clause is tagged with the grounds of discrimination the
        text names (:meth:`named_grounds`) and with no other ground (*grounds* in the module docstring), a
        text that speaks of an age only as the end of office with no minimum-age topic (*retirement ages*), and
        the topics of ``stated`` (attributes the text states of the institution it is about: :meth:`stated`)
        need only the minimum (*stated attributes*)."""
        if semantic_z is not None:
            score, minimum, relative = self.fuse(conf, semantic_z), FUSED_MIN, FUSED_RELATIVE
        else:
            score, minimum, relative = conf, MIN_CONFIDENCE, RELATIVE_CUTOFF
        if inherited is not None:
            score = np.maximum(score, INHERITANCE * inherited)
        if allowed is not None:
            score = np.where(allowed, score, -np.inf)
        if text and retirement_age_only(text):
            score = np.where(self.minimum_age, -np.inf, score)

        def shown(value: np.ndarray | float) -> np.ndarray | float:
            if semantic_z is None:
                return value
            return fused_confidence(value)

        grounds: dict[int, tuple[float, tuple[str, ...]]] = {}
        equality = float(score[self.ground_context].max()) if len(self.ground_context) else -np.inf
        by_grounds = bool(text) and equality >= GROUND_CONTEXT * minimum
        if by_grounds:
            grounds = self.named_grounds(text)
            score = score.copy()
            score[list(self.grounds)] = -np.inf
        kept = self._select(row, score, minimum, relative, stated)
        idx = list(row)
        terms_list = self._terms_list()
        out = []
        for i in kept:
            t = self.ontology.topics[i]
            ev = tuple(terms_list[j] for j in sorted(idx, key=lambda j: -self.weights[j, i])
                       if self.weights[j, i] > 0 and (own is None or j in own))
            out.append(TopicScore(t.key, t.label, t.category, round(min(1.0, float(shown(score[i]))), 4) or 1e-4, ev))
        if grounds:
            confidence = round(min(1.0, float(shown(equality))), 4) or 1e-4
            for i in sorted(grounds, key=lambda i: -grounds[i][0]):
                t = self.ontology.topics[i]
                out.append(TopicScore(t.key, t.label, t.category, confidence, grounds[i][1]))
            out.sort(key=lambda s: -s.confidence)
        return tuple(out[:MAX_TAGS])

    def named_grounds(self, text: str) -> dict[int, tuple[float, tuple[str, ...]]]:
        """The grounds of discrimination ``text`` names: ground topic index -> (strength in (0, 1], the
        mentions naming it).  Each mention (:func:`ground_mentions`) names at most one ground: with the sentence
        encoder, the ground whose phrase (:func:`ground_phrases`) is nearest, when their cosine reaches
        :data:`GROUND_MATCH`; without it, the only ground with an item of a phrase of the same content words
        (stemmed: "religious belief" names no ground, "belief" names creed or belief)."""
        mentions = ground_mentions(text)
        if not mentions or not self.grounds:
            return {}
        found: dict[int, tuple[float, list[str]]] = {}

        def add(i: int, strength: float, mention: str) -> None:
            best, names = found.get(i, (0.0, []))
            found[i] = (max(best, strength), [*names, mention])

        if semantic.for_topics():
            owners, table = self._ground_table()
            vectors = semantic.encode(mentions).astype(np.float64)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            sims = vectors @ table.T
            for m, j in enumerate(sims.argmax(axis=1)):
                if sims[m, j] >= GROUND_MATCH:
                    add(owners[j], min(1.0, float(sims[m, j])), mentions[m])
        else:
            names = self._ground_names()
            for mention in mentions:
                owners = names.get(frozenset(stem(w) for w in WORD.findall(mention)), set())
                if len(owners) == 1:
                    add(next(iter(owners)), 1.0, mention)
        return {i: (strength, tuple(dict.fromkeys(names))) for i, (strength, names) in found.items()}

    @cache  # noqa: B019 - one tagger per process
    def _ground_table(self) -> tuple[list[int], np.ndarray]:
        """The ground topic of each ground phrase, and the phrases' normalised embeddings."""
        owners = [i for i, phrases in self.grounds.items() for _ in phrases]
        table = semantic.encode([p for phrases in self.grounds.values() for p in phrases]).astype(np.float64)
        return owners, table / np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-12)

    @cache  # noqa: B019 - one tagger per process
    def _ground_names(self) -> dict[frozenset[str], set[int]]:
        """The names of grounds, for matching without the encoder: the content words (stemmed) of each item of
        a ground's phrases ("creed, belief, or opinions" -> creed; belief; opinion) -> the grounds naming it."""
        stop = stop_words()
        out: dict[frozenset[str], set[int]] = defaultdict(set)
        for i, phrases in self.grounds.items():
            for item in (x for p in phrases for x in MENTION_BREAK.split(p)):
                words = frozenset(stem(w.lower()) for w in WORD.findall(item or "") if w.lower() not in stop)
                if words:
                    out[words].add(i)
        return dict(out)

    @staticmethod
    def fuse(conf: np.ndarray, semantic_z: np.ndarray) -> np.ndarray:
        """The fused score of lexical confidences and embedding z-scores (see the module docstring)."""
        return conf + SEMANTIC_WEIGHT * semantic_z + SALIENCE_WEIGHT * np.maximum(semantic_z - SALIENCE_Z, 0.0)

    def _select(self, row: dict[int, float], score: np.ndarray, minimum: float, relative: float,
                stated: frozenset[int] = frozenset()) -> list[int]:
        """Indices of the reported topics: above ``minimum`` and ``relative`` x the best, at most
        :data:`MAX_TAGS`, a sibling of a reported topic only with enough evidence of its own; a topic of
        ``stated`` (*stated attributes*) needs only the minimum."""
        candidates = np.nonzero(score >= minimum)[0]
        if not len(candidates):
            return []
        order = candidates[np.argsort(-score[candidates], kind="stable")]
        best = score[order[0]]
        idx = np.fromiter(row, dtype=np.int64, count=len(row)) if row else np.zeros(0, dtype=np.int64)
        vals = np.fromiter(row.values(), dtype=np.float64, count=len(row)) if row else np.zeros(0)
        local = self.weights[idx] if len(idx) else np.zeros((0, self.weights.shape[1]))
        kept: list[int] = []
        for i in order:
            if i in stated:
                kept.append(int(i))
                if len(kept) == MAX_TAGS:
                    break
                continue
            if score[i] < relative * best:
                if not stated:
                    break
                continue
            siblings = [k for k in kept if self.group[k] == self.group[i]]
            if siblings and len(idx):
                unshared = np.maximum(local[:, i][:, None] - local[:, siblings], 0.0).min(axis=1)
                if vals @ unshared < DISTINCT_EVIDENCE * self.norms[i]:
                    continue
            elif siblings:
                continue
            kept.append(int(i))
            if len(kept) == MAX_TAGS:
                break
        return kept

    # -------------------------------------------------------------- semantic signal

    @property
    def topic_embeddings(self) -> np.ndarray | None:
        """One L2-normalised embedding per topic, or None when the sentence encoder is not available
        (checked at every call: ``CONVENE_TOPIC_SEMANTIC=0`` takes effect at once)."""
        if not semantic.for_topics():
            return None
        return self._topic_embeddings()

    @cache  # noqa: B019 - one tagger per process
    def _topic_embeddings(self) -> np.ndarray:
        """Per topic, the normalised mean of the encoder's vectors of "label. description" and of each of
        its survey questions."""
        texts = [[f"{t.label}. {t.description}" if t.description else t.label, *t.questions]
                 for t in self.ontology.topics]
        flat = semantic.encode([x for group in texts for x in group]).astype(np.float64)
        starts = np.r_[0, np.cumsum([len(group) for group in texts])[:-1]]
        means = np.add.reduceat(flat, starts, axis=0)
        return means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)

    @property
    def centre(self) -> np.ndarray | None:
        """The mean of the topics' embeddings: the direction every constitutional text shares, which
        comparisons of embeddings take away (None when the sentence encoder is not installed; unlike
        :attr:`topic_embeddings`, not switched off by ``CONVENE_TOPIC_SEMANTIC=0``)."""
        if semantic.encoder_problem() is not None:
            return None
        return self._centred_topics()[0]

    @cache  # noqa: B019 - one tagger per process
    def _centred_topics(self) -> tuple[np.ndarray, np.ndarray]:
        """The topics' mean embedding, and the topic prototypes provisions are compared with: the topic
        embeddings minus that mean (normalised), or, when :attr:`adapted` and the shipped adapted prototypes
        fit this ontology and encoder, those (:mod:`compare.prototypes`)."""
        raw = self._topic_embeddings()
        mean = raw.mean(axis=0)
        centred = raw - mean
        plain = centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
        if self.adapted:
            found = prototypes.load([t.key for t in self.ontology.topics], semantic.ENCODER_ID)
            if found is not None and found.vectors.shape == plain.shape:
                return mean, found.vectors
        return mean, plain

    def semantic_z(self, texts: Sequence[str], headings: Sequence[str],
                   contexts: Sequence[str], generics: Sequence[Sequence[str]] = (), *,
                   attributes: bool = True,
                   stated: Sequence[frozenset[int]] = ()) -> np.ndarray | None:
        """Embedding z-scores (one row per provision, one column per topic) of provisions given by their
        own text, heading and ancestors' headings, and (x :data:`SEM_ROLE`, when ``generics`` is given) the
        mean embedding of the generic phrases of the institutions they name; None when the embedding model is
        not available.  A row with nothing to embed is all zeros.  With ``attributes``, the topics about an
        institution are then lowered by how far their attribute is from the provision's
        (:meth:`attribute_shift`), except those of ``stated`` (per row, :meth:`stated`: the attributes each text
        states of the institution it is about), which gain (*stated attributes*)."""
        if self.topic_embeddings is None:
            return None
        _, topics_e = self._centred_topics()
        combined = self._provision_embeddings(texts, headings, contexts, generics)
        z = _row_z(combined @ topics_e.T)
        if not attributes:
            return z
        return z + self.attribute_shift(combined, stated)

    def _provision_embeddings(self, texts: Sequence[str], headings: Sequence[str], contexts: Sequence[str],
                              generics: Sequence[Sequence[str]]) -> np.ndarray:
        """Each provision's embedding as :meth:`semantic_z` compares it with the topics': the sum of its parts,
        normalised, less the topics' mean embedding, normalised again (zeros when there is nothing to embed)."""
        mean, topics_e = self._centred_topics()
        unique = list(dict.fromkeys((*texts, *headings, *contexts)))
        pos = {x: k for k, x in enumerate(unique)}
        vectors = semantic.encode(unique).astype(np.float64)
        def rows(items: Sequence[str]) -> np.ndarray:
            return vectors[[pos[x] for x in items]] if items else np.zeros((0, topics_e.shape[1]))
        combined = rows(texts) + SEM_HEADING * rows(headings) + SEM_CONTEXT * rows(contexts)
        if SEM_ROLE > 0 and generics:
            phrases = [r.generic for r in roles.ROLES]
            at = {p: k for k, p in enumerate(phrases)}
            table = semantic.encode(phrases).astype(np.float64)
            for i, found in enumerate(generics):
                if found:
                    combined[i] += SEM_ROLE * table[[at[p] for p in found]].mean(axis=0)
        length = np.linalg.norm(combined, axis=1, keepdims=True)
        empty = length[:, 0] == 0
        combined = np.divide(combined, length, out=np.zeros_like(combined), where=length > 0) - mean
        combined[empty] = 0.0
        length = np.linalg.norm(combined, axis=1, keepdims=True)
        return np.divide(combined, length, out=np.zeros_like(combined), where=length > 0)

    def attribute_shift(self, embeddings: np.ndarray,
                        stated: Sequence[frozenset[int]] = ()) -> np.ndarray:
        """What *attributes* (module docstring) does to provisions' z-scores, given their embeddings (rows
        of :meth:`_provision_embeddings`): each attribute (size, selection, term length, minimum age ...:
        :attr:`attributes`) is embedded as the mean of its topics' embeddings, where the institutions cancel
        out; a provision's similarities to the attributes are taken as z-scores over the attributes, and each
        topic of an attribute falls by :data:`ATTRIBUTE_WEIGHT` x how far that attribute's z-score is below the
        best one's.  Zero for the best attribute, for topics about no institution and for empty rows.  The
        topics of ``stated`` (per row, :meth:`stated`) are not lowered and gain :data:`STATED_BONUS`."""
        shift = np.zeros((embeddings.shape[0], len(self.ontology.topics)))
        if ATTRIBUTE_WEIGHT <= 0 or not self.attributes:
            return shift
        columns, owner, table = self._attribute_table()
        az = _row_z(embeddings @ table.T)
        shift[:, columns] = ATTRIBUTE_WEIGHT * (az[:, owner] - az.max(axis=1, keepdims=True))
        for r, topics in enumerate(stated):
            if topics:
                at = sorted(topics)
                shift[r, at] = np.maximum(shift[r, at], 0.0) + STATED_BONUS
        return shift

    def stated(self, text: str, *, subnational: bool = False) -> frozenset[int]:
        """The topics of the attributes ``text`` states (:func:`stated_attributes`) of the institution each
        statement is about (:func:`stated_subjects`): "The Senate has a membership of 40 Senators" gives the size
        of the second chamber, "There is a Board of 5 members appointed by the Governor" nothing."""
        return frozenset(i for a, keys in stated_subjects(text, subnational=subnational).items()
                         for i in self.attributes.get(a, ()) if self.institutions[i] & keys)

    @cache  # noqa: B019 - one tagger per process
    def _attribute_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The topics of every attribute, the attribute (row of the table) of each, and the attributes'
        normalised mean embeddings."""
        _, topics_e = self._centred_topics()
        families = list(self.attributes.values())
        columns = np.array([i for ix in families for i in ix], dtype=np.int64)
        owner = np.array([k for k, ix in enumerate(families) for _ in ix], dtype=np.int64)
        table = np.stack([topics_e[list(ix)].mean(axis=0) for ix in families])
        return columns, owner, table / np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-12)

    def tag(self, lemmas: Sequence[str], heading_lemmas: Sequence[str] = (),
            inherited: np.ndarray | None = None, context: Sequence[Sequence[str]] = (),
            semantic_z: np.ndarray | None = None,
            extra: Sequence[tuple[Sequence[str], float]] = (),
            allowed: np.ndarray | None = None, text: str = "") -> tuple[TopicScore, ...]:
        row = self.evidence(lemmas, heading_lemmas, context, extra)
        conf = self.confidence(row)
        return self.decide(row, conf, inherited=inherited, semantic_z=semantic_z, allowed=allowed, text=text)

    @cache  # noqa: B019 - one tagger per process
    def _terms_list(self) -> list[str]:
        out = [""] * len(self.vocab)
        for term, j in self.vocab.items():
            out[j] = term
        return out

    # -------------------------------------------------------------- lemma view, for compare.index

    @cached_property
    def minimum_age(self) -> np.ndarray:
        """Which topics are about a minimum age (eligibility), by label: masked out by *retirement ages*."""
        return np.array([bool(MINIMUM_AGE_LABEL.match(t.label)) for t in self.ontology.topics], dtype=bool)

    @cached_property
    def topic_index(self) -> dict[str, int]:
        """Topic key -> position in ``ontology.topics`` (the index of score vectors)."""
        return {topic.key: i for i, topic in enumerate(self.ontology.topics)}

    @cached_property
    def profiles(self) -> list[_Profile]:
        """Each topic's single-word profile keyed by lemma (every known lemma whose stem is a profile
        term), with the same ``norm`` as the tagger: lets callers working with lemma counts compute
        ``1 - exp(-bm25 @ weights / norm)`` confidences close to :meth:`vector`'s."""
        lemmas = set(self._ontology_lemmas)
        table = nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        lemmas.update(str(v) for v in table.values() if isinstance(v, str) and v.isalpha())
        by_term: dict[int, list[str]] = defaultdict(list)
        for lemma in lemmas:
            j = self.vocab.get(stem(lemma.lower()))
            if j is not None:
                by_term[j].append(lemma.lower())
        out = []
        for i in range(self.weights.shape[1]):
            column = self.weights[:, i]
            weights = {lemma: float(column[j]) for j in np.nonzero(column)[0] for lemma in by_term.get(j, ())}
            strong = frozenset(x for x in weights if stem(x) in self.strong_terms[i])
            out.append(_Profile(weights, strong, (), float(self.norms[i])))
        return out


def decision_minimum() -> float:
    """The score a topic must reach to be reported (before the relative cutoff): :data:`FUSED_MIN` on the fused
    score with the sentence encoder, :data:`MIN_CONFIDENCE` on the lexical confidence without it; the scale of
    :func:`document_scores` and :func:`text_scores`."""
    return FUSED_MIN if semantic.for_topics() else MIN_CONFIDENCE


def fused_confidence(fused: np.ndarray | float) -> np.ndarray | float:
    """A fused score mapped monotonically into [0, 1) as a reported confidence (:data:`FUSED_MIN` maps to
    :data:`MIN_CONFIDENCE`; scores at or below 0 map to 0)."""
    return 1.0 - (1.0 - MIN_CONFIDENCE) ** (np.maximum(fused, 0.0) / FUSED_MIN)


def _row_z(sims: np.ndarray) -> np.ndarray:
    """Each row of ``sims`` as z-scores (a constant row gives zeros)."""
    sd = sims.std(axis=1, keepdims=True)
    return np.divide(sims - sims.mean(axis=1, keepdims=True), sd, out=np.zeros_like(sims), where=sd > 1e-12)


@cache
def _tagger_for(path: str) -> TopicTagger:
    return TopicTagger(load_ontology(path))


def tagger(path: str | Path | None = None) -> TopicTagger:
    """The tagger for the default (or given) ontology, built once per process."""
    return _tagger_for(load_ontology(path).source)


def tag_provision(text: str, heading: str = "") -> tuple[TopicScore, ...]:
    """Topics a provision addresses, most confident first."""
    found = _text_evidence(text, heading)
    if found is None:
        return ()
    t, row, conf, z, allowed, stated, words = found
    return t.decide(row, conf, semantic_z=z, allowed=allowed, text=words, stated=stated)


def text_scores(text: str, heading: str = "") -> np.ndarray:
    """The decision score per topic (index = position in ``ontology.topics``) of a provision given by its text
    and heading alone, as :func:`document_scores` gives it for a document's provisions: the fused score (the
    lexical confidence without the embedding model), 0 outside the institution scope; zeros for a text with
    no words."""
    found = _text_evidence(text, heading)
    if found is None:
        return np.zeros(len(tagger().ontology.topics))
    t, _row, conf, z, allowed, _stated, _words = found
    score = conf if z is None else t.fuse(conf, z)
    return score if allowed is None else np.where(allowed, score, 0.0)


def text_tags_and_scores(text: str, heading: str = "") -> tuple[tuple[TopicScore, ...], np.ndarray]:
    """:func:`tag_provision` and :func:`text_scores` of the same text from one reading of it."""
    found = _text_evidence(text, heading)
    if found is None:
        return (), np.zeros(len(tagger().ontology.topics))
    t, row, conf, z, allowed, stated, words = found
    score = conf if z is None else t.fuse(conf, z)
    return (t.decide(row, conf, semantic_z=z, allowed=allowed, text=words, stated=stated),
            score if allowed is None else np.where(allowed, score, 0.0))


def _text_evidence(text: str, heading: str):
    """``(tagger, evidence row, lexical confidences, embedding z-scores or None, allowed topics or None, stated
    attribute topics of the institution the text is about, the text without its statute titles)`` of a text and
    heading with no context, or None when neither has a word."""
    t = tagger()
    words, encoded = reading(text)  # as in a document
    text_a, head_a = analyse_many([words, heading])
    if not text_a.lemmas and not head_a.lemmas:
        return None
    lem, head = polity_names(words, text_a.lemmas), polity_names(heading, head_a.lemmas)
    text_roles, head_roles = roles.roles(words, broader=False), roles.roles(heading, broader=False)
    named, head_named = [r.generic for r in text_roles], [r.generic for r in head_roles]
    stated = t.stated(words)
    z = t.semantic_z([encoded], [heading], [""], [list(dict.fromkeys((*named, *head_named)))],
                     stated=[stated])
    level = own_level(words, heading, text_roles, head_roles)
    row = t.evidence(lem, head, (), t.role_evidence(named, head_named))
    conf = t.confidence(row)
    return t, row, conf, None if z is None else z[0], t.allowed((level,) if level else ()), stated, words


_TAGS: topic_cache.Memory[dict[str, tuple[TopicScore, ...]]] = topic_cache.Memory()
_SCORES: topic_cache.Memory[dict[str, np.ndarray]] = topic_cache.Memory()


def clear_cache() -> None:
    """Forget the tags and scores of documents tagged so far (:func:`tag_document` and
    :func:`cached_document_scores` read them from disk again, or recompute them)."""
    _TAGS.clear()
    _SCORES.clear()


def _tuning() -> str:
    """The current values of this module's numeric constants (a caller that changes one at run time, as an
    evaluation sweep does, must not be served tags computed with the old value)."""
    return repr(sorted((k, v) for k, v in globals().items()
                       if k.isupper() and isinstance(v, int | float) and not isinstance(v, bool)))


def tagging_fingerprint() -> str:
    """A checksum of what the default tagger's results depend on besides the text (its code and constants, the
    language analysis, the package versions, the ontology, whether the encoder takes part), for caches of
    results computed from its scores (:mod:`compare.facets`)."""
    return topic_cache.code_fingerprint(load_ontology().source, semantic.for_topics(), _tuning())  # no tagger


def _cache_place(t: TopicTagger, doc: Document) -> tuple[Path | None, str]:
    """(where the tags of ``doc`` are kept on disk or None, its key in memory)."""
    key = topic_cache.document_key(doc, t.ontology.source)
    path = topic_cache.tags_path(topic_cache.code_fingerprint(t.ontology.source, semantic.for_topics(), _tuning()),
                                 key)
    return path, f"{path}|{key}"  # per cache folder: CONVENE_HOME may change within a process (tests)


def tag_document(doc: Document) -> dict[str, tuple[TopicScore, ...]]:
    """Topics of every provision (by eId), each judged on its own words, its heading and (weakly) its
    ancestors' headings; a provision with no words of its own inherits its parent's topics
    (x :data:`INHERITANCE`).  Cached per document content, in memory (the same dict is returned: do not
    mutate it) and on disk under ``CONVENE_HOME/tag-cache``, keyed also by a checksum of the tagging code,
    the package versions and the ontology (:mod:`compare.topic_cache`), so a new server process reads the
    tags of an unchanged document instead of recomputing them.  The content key includes whether the title
    names the constitution of a state (:func:`compare.roles.is_subnational`), which changes what its
    "Governor" is."""
    t = tagger()
    path, memo = _cache_place(t, doc)
    found = _TAGS.get(memo)
    if found is not None:
        return found
    found = topic_cache.read_tags(path)
    if found is None:
        found = _compute_and_save(t, doc, path, memo)[0]
    _TAGS.put(memo, found)
    return found


def cached_document_scores(doc: Document) -> dict[str, np.ndarray]:
    """:func:`document_scores` as float32 rows (do not mutate them), cached like :func:`tag_document`'s tags, in
    memory and on disk beside them (:func:`tag_document` saves both from one pass, as an import's preparation
    does), so a new process that compares documents reads every provision's decision scores instead of
    recomputing them (a second or more for the corpus).  A missing or damaged scores file costs a
    recomputation of the scores alone, never an error."""
    t = tagger()
    path, memo = _cache_place(t, doc)
    found = _SCORES.get(memo)
    if found is not None:
        return found
    eids = [loc.provision.eid for loc in doc.walk()]
    matrix = topic_cache.read_scores(path, len(eids), len(t.ontology.topics))
    if matrix is None:  # the scores alone (deciding every provision's tags would cost as much again)
        matrix = _score_matrix(t, document_scores(doc).values())
        topic_cache.write_scores(path, matrix)
    found = dict(zip(eids, matrix, strict=True))
    _SCORES.put(memo, found)
    return found


def _compute(t: TopicTagger, doc: Document) -> tuple[dict[str, tuple[TopicScore, ...]], np.ndarray]:
    """Tags of every provision, and its decision scores (rows in document order, float32), in one pass."""
    tags, rows = {}, []
    for eid, row, conf, z, inherited, own, allowed, text, stated in _document_evidence(t, doc):
        tags[eid] = t.decide(row, conf, inherited=inherited, own=own, semantic_z=z, allowed=allowed, text=text,
                             stated=stated)
        rows.append(_decision_score(t, conf, z, inherited, allowed))
    return tags, _score_matrix(t, rows)


def _score_matrix(t: TopicTagger, rows: Iterable[np.ndarray]) -> np.ndarray:
    rows = list(rows)
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, len(t.ontology.topics)), np.float32)


def _compute_and_save(t: TopicTagger, doc: Document, path: Path | None,
                      memo: str) -> tuple[dict[str, tuple[TopicScore, ...]], dict[str, np.ndarray]]:
    """Compute the tags and scores of ``doc``, save both on disk (when there is a cache folder) and in memory."""
    tags, matrix = _compute(t, doc)
    topic_cache.write_tags(path, tags)
    topic_cache.write_scores(path, matrix)
    scores = dict(zip(tags, matrix, strict=True))
    _TAGS.put(memo, tags)
    _SCORES.put(memo, scores)
    return tags, scores


def provision_texts(doc: Document) -> tuple[list[str], list[str], list[str]]:
    """(own texts, headings, the headings of the two nearest ancestors joined) of every provision of ``doc``, in
    document order: what the sentence encoder encodes for tagging (the own texts as :func:`reading` gives them)."""
    return _provision_parts(list(doc.walk()))[1:]


def _provision_parts(locs: Sequence[Located]) -> tuple[list[str], list[str], list[str], list[str]]:
    """(words read, own texts encoded, headings, ancestors' headings) of each of ``locs`` (:func:`reading`)."""
    read = [reading(loc.provision.text) for loc in locs]
    return ([words for words, _ in read], [encoded for _, encoded in read], [loc.provision.heading for loc in locs],
            [" ".join(a.heading for a in loc.ancestors[-2:] if a.heading) for loc in locs])


def reading(text: str) -> tuple[str, str]:
    """(what is read for words, what the sentence encoder reads) of a provision's own ``text``: the text without
    its statute titles, whose words name laws (:mod:`compare.statutes`); and the text whole, or "" when it is
    nothing but titles ("The Bihar Land Reforms Act, 1950 (Bihar Act XXX of 1950).").  Titles inside prose are
    encoded: the encoder reads them in their sentence, where the prose left without them can be too short to read
    ("The territories specified in section 3 of.")."""
    words = statutes.without_titles(text)
    return words, (text if words else "")


def _document_evidence(t: TopicTagger, doc: Document):
    """Per provision, in document order: ``(eid, evidence row, lexical confidences, embedding z-scores or
    None, the parent's score when the provision inherits it or None, indices of its own terms, the topics it
    may be tagged with or None for all, its text, the attribute topics it states of the institution it is
    about)``, the inputs of :meth:`TopicTagger.decide`."""
    locs = list(doc.walk())
    texts, encoded, headings, contexts = _provision_parts(locs)
    analysed = analyse_many([*texts, *headings])
    n = len(locs)
    heads = {loc.provision.eid: polity_names(headings[i], analysed[n + i].lemmas) for i, loc in enumerate(locs)}
    subnational = roles.is_subnational(doc.title)
    text_roles = [roles.roles(x, subnational=subnational, broader=False) for x in texts]
    head_roles = [roles.roles(h, subnational=subnational, broader=False) if h else [] for h in headings]
    named = [[r.generic for r in found] for found in text_roles]
    head_named = [[r.generic for r in found] for found in head_roles]
    heads_named = {loc.provision.eid: head_named[i] for i, loc in enumerate(locs)}
    head_keys = {loc.provision.eid: frozenset(r.key for r in head_roles[i]) | judicial_keys(headings[i])
                 for i, loc in enumerate(locs)}
    parts = {loc.provision.eid for i, loc in enumerate(locs) if t.national_scope and subnational_heading(headings[i])}
    stated = [t.stated(x, subnational=subnational) for x in texts]
    zs = t.semantic_z(encoded, headings, contexts,
                      [list(dict.fromkeys((*x, *h))) for x, h in zip(named, head_named, strict=True)], stated=stated)
    scores: dict[str, np.ndarray] = {}
    for i, loc in enumerate(locs):
        p = loc.provision
        lem, head = polity_names(texts[i], analysed[i].lemmas), heads[p.eid]
        context = [heads[a.eid] for a in loc.ancestors if heads.get(a.eid)]
        own_roles = t.role_evidence(named[i], head_named[i])
        row = t.evidence(lem, head, context, own_roles + t.role_evidence(
            (), (), [heads_named[a.eid] for a in loc.ancestors if heads.get(a.eid)]))
        conf = t.confidence(row)
        z = None if zs is None else zs[i]
        levels = (own_level(texts[i], headings[i], text_roles[i], head_roles[i], subnational=subnational),
                  *(head_keys[a.eid] for a in reversed(loc.ancestors)))
        part = any(h.eid in parts for h in (*loc.ancestors, p))  # in a state's, a county's ... part
        allowed = t.allowed(tuple(level for level in levels if level), subnational_part=part)
        parent = loc.parent
        inherited = scores.get(parent.eid) if parent is not None and not lem else None
        own = conf if z is None else t.fuse(conf, z)
        own = own if inherited is None else np.maximum(own, INHERITANCE * inherited)
        scores[p.eid] = own if allowed is None else np.where(allowed, own, 0.0)
        own_terms = itertools.chain(terms((*head, *lem)), *(terms(x) for x, _ in own_roles))
        mine = frozenset(j for j in map(t.vocab.get, own_terms) if j is not None)
        yield p.eid, row, conf, z, inherited, mine, allowed, texts[i], stated[i]


def document_scores(doc: Document) -> dict[str, np.ndarray]:
    """Every provision's decision score per topic (index = position in ``ontology.topics``): the fused
    score (the lexical confidence without the embedding model), raised to :data:`INHERITANCE` x the parent's
    for a provision without words of its own; the scores :func:`tag_document` thresholds.  Not cached: for
    evaluation (``bench/eval_topics.py --curve``)."""
    t = tagger()
    return {eid: _decision_score(t, conf, z, inherited, allowed)
            for eid, _row, conf, z, inherited, _own, allowed, _text, _stated in _document_evidence(t, doc)}


def _decision_score(t: TopicTagger, conf: np.ndarray, z: np.ndarray | None, inherited: np.ndarray | None,
                    allowed: np.ndarray | None) -> np.ndarray:
    score = conf if z is None else t.fuse(conf, z)
    score = score if inherited is None else np.maximum(score, INHERITANCE * inherited)
    return score if allowed is None else np.where(allowed, score, 0.0)


def search_topics(phrase: str, *, limit: int = 10) -> list[TopicScore]:
    """Topics whose label, keywords, questions or description match ``phrase``, best first
    ([] for an empty phrase).  With the sentence encoder, a topic's score is its lexical confidence plus
    :data:`SEARCH_SEMANTIC_WEIGHT` x the z-score of its embedding's similarity to the phrase's, mapped into
    (0, 1) as tags' fused scores are, so "right to a lawyer" finds the right to counsel; without it, the
    lexical confidence alone.  The *institution scope* of tagging applies: a phrase naming the President
    ("minimum age to run for president": names are looked for title-cased, as a phrase is often typed in
    lower case) finds no topic about the head of government or an electoral court.  The *attributes* rule,
    chosen on provisions, is left out (it cost the phrase evaluation's dev half one wrong topic), and so are
    *anchors* (a phrase's description words count in full: with them, one right first topic fewer on the dev
    half)."""
    if not phrase.strip():
        return []
    t = tagger()
    lem = polity_names(phrase, analyse_many([phrase])[0].lemmas)
    if not lem:
        return []
    row = t.evidence(lem, lem)
    conf = t.confidence(row, anchors=False)
    z = t.semantic_z([phrase], [""], [""], attributes=False)
    if z is not None:
        fused = conf + SEARCH_SEMANTIC_WEIGHT * z[0]
        conf = np.where(fused > 0, fused_confidence(fused), 0.0)
    named = frozenset(r.key for r in roles.roles(phrase.title(), broader=False)) | judicial_keys(phrase)
    allowed = t.allowed((named,)) if named else None
    if allowed is not None:
        conf = np.where(allowed, conf, 0.0)
    terms_list = t._terms_list()
    out = []
    for i in np.argsort(-conf, kind="stable")[:limit]:
        if conf[i] <= 0:
            break
        topic = t.ontology.topics[i]
        ev = tuple(sorted(terms_list[j] for j in row if t.weights[j, i] > 0))
        out.append(TopicScore(topic.key, topic.label, topic.category, round(float(conf[i]), 4) or 1e-4, ev))
    return out


def topic_keys(scores: Iterable[TopicScore]) -> tuple[str, ...]:
    return tuple(s.key for s in scores)


__all__ = ["Category", "ConveneError", "Ontology", "Topic", "TopicScore", "TopicTagger", "cached_document_scores",
           "clear_cache", "decision_minimum", "document_scores", "load_ontology", "search_topics", "stem",
           "tag_document", "tag_provision", "tagger", "terms"]
