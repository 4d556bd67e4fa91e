"""The reform ideas drafters start from, each mapped to Constitute ontology topics.

Every idea names the topics that say *whether and how* a constitution does the thing (``topics``)
and topics worth reading next to them (``related``); keys are CCP variable names from
``constitute-topics/ontology.owl`` (``tests/test_design_ideas.py`` checks each one exists).
Constitute has no topic for an electoral formula as such, so proportional representation maps to
the selection of the chambers and electoral districts.  Ideas about numbers carry a
:class:`CalculatorSetup`: the calculator and the options that model them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, utils

__all__ = ["IDEAS", "CalculatorSetup", "Idea", "find_idea", "get_idea", "missing_topic_keys"]


@dataclass(frozen=True, slots=True)
class CalculatorSetup:
    """How to model an idea with a calculator: ``tool`` is ``"apportion"`` (keyword arguments of
    :func:`design.apportion.apportion`, or of :func:`design.apportion.seats_per_population` when
    ``per`` is given) or ``"pr"`` (:func:`design.pr.allocate`); ``command`` is the same on the
    command line."""

    tool: str
    options: Mapping[str, Any] = field(hash=False)
    command: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "options": dict(self.options), "command": self.command, "note": self.note}


@dataclass(frozen=True, slots=True)
class Idea:
    key: str
    title: str
    summary: str
    topics: tuple[str, ...]
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    calculators: tuple[CalculatorSetup, ...] = ()

    @property
    def all_topics(self) -> tuple[str, ...]:
        return self.topics + tuple(k for k in self.related if k not in self.topics)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "summary": self.summary, "topics": list(self.topics),
                "related": list(self.related), "aliases": list(self.aliases),
                "calculators": [c.to_dict() for c in self.calculators]}


IDEAS: tuple[Idea, ...] = (
    Idea(
        "proportional-representation", "Proportional representation",
        "Seats in the legislature shared among parties in proportion to their votes.",
        topics=("lhselect", "uhselect", "district"),
        related=("partrght", "lhseats", "ecom"),
        aliases=("pr", "party list", "proportional voting", "electoral system"),
        calculators=(CalculatorSetup("pr", {"method": "sainte-lague", "threshold": 5},
                                     "convene pr --votes VOTES.csv --seats 80 --method sainte-lague --threshold 5",
                                     "Party-list seats with a 5 % threshold; D'Hondt favours larger parties."),),
    ),
    Idea(
        "referendum-on-war", "National referendums on war",
        "A declaration of war, or sending troops abroad, needs the approval of the voters.",
        topics=("referen", "war"),
        related=("em", "initiat", "milrest"),
        aliases=("war referendum", "referendum before war", "popular vote on war"),
    ),
    Idea(
        "judges-fixed-terms", "Judges with fixed terms",
        "Judges serve a set number of years rather than for life or until a retirement age.",
        topics=("hocterm", "ordterm", "conterm"),
        related=("hocterml", "ordterml", "conlim", "judretir", "hocsel", "jrem"),
        aliases=("judicial term limits", "term of office of judges", "fixed judicial terms"),
    ),
    Idea(
        "equal-rights-women", "Equal rights for women",
        "Women and men equal before the law, in marriage, at work and in representation.",
        topics=("equalgr1", "matequal"),
        related=("equal", "remuner", "lhquota", "uhquota"),
        aliases=("equal rights amendment", "gender equality", "sex discrimination", "women's rights"),
    ),
    Idea(
        "environmental-protection", "Environmental protection",
        "A duty of the state to protect the environment, or a right to a healthy one.",
        topics=("env",),
        related=("resrce", "health"),
        aliases=("environment", "healthy environment", "conservation", "climate"),
    ),
    Idea(
        "popular-president", "A popularly elected president",
        "The head of state chosen by a direct national vote (no electoral college).",
        topics=("hoselect",),
        related=("hosterm", "hosterml", "hosrest", "execnum"),
        aliases=("direct election of the president", "national popular vote", "abolish the electoral college"),
    ),
    Idea(
        "senate-by-population", "A Senate apportioned by population",
        "Second-chamber seats distributed among the states by population, with a floor per state.",
        topics=("uhseats", "uhselect"),
        related=("census", "district", "housenum", "lhseats"),
        aliases=("senate by population", "one senator per", "proportional senate", "apportioned senate"),
        calculators=(
            CalculatorSetup("apportion", {"per": 8_000_000, "min_seats": 1},
                            "convene apportion --per 8000000 --min 1",
                            "One senator per 8 million people, at least one per state (rounded to nearest)."),
            CalculatorSetup("apportion", {"per": 2_000_000, "min_seats": 1},
                            "convene apportion --per 2000000 --min 1",
                            "One senator per 2 million people, at least one per state."),
            CalculatorSetup("apportion", {"seats": 100, "method": "huntington-hill", "min_seats": 1},
                            "convene apportion --seats 100 --method huntington-hill --min 1",
                            "A 100-seat Senate shared by population, at least one per state."),
        ),
    ),
)

_BY_KEY = {idea.key: idea for idea in IDEAS}


def get_idea(key: str) -> Idea | None:
    return _BY_KEY.get(key.strip().lower())


def find_idea(phrase: str, *, cutoff: float = 88.0) -> Idea | None:
    """The idea whose key, title or an alias matches ``phrase`` (fuzzy, case-insensitive), or None."""
    wanted = utils.default_process(phrase)
    if not wanted:
        return None
    best: tuple[float, Idea | None] = (0.0, None)
    for idea in IDEAS:
        for name in (idea.key.replace("-", " "), idea.title, *idea.aliases):
            score = fuzz.ratio(wanted, utils.default_process(name))
            if score > best[0]:
                best = (score, idea)
    return best[1] if best[0] >= cutoff else None


def missing_topic_keys(known: set[str] | frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Topic keys of each idea that are not in ``known`` (empty when the mapping is sound)."""
    out = {}
    for idea in IDEAS:
        missing = tuple(k for k in idea.all_topics if k not in known)
        if missing:
            out[idea.key] = missing
    return out
