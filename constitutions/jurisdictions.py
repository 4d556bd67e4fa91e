"""Jurisdictions Convene knows by name: ISO 3166 codes, names and how their
constitutions are titled.  Readers use it to give documents their ids."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    code: str  # ISO 3166-1 alpha-2, or ISO 3166-2 for subdivisions ("us-ca")
    name: str
    aliases: tuple[str, ...] = ()


JURISDICTIONS: tuple[Jurisdiction, ...] = (
    Jurisdiction("us", "United States", ("United States of America", "USA", "U.S.", "U.S.A.", "US")),
    Jurisdiction("us-ca", "California", ("State of California", "Cal.", "Calif.")),
    Jurisdiction("ie", "Ireland", ("Éire", "Eire")),
    Jurisdiction("de", "Germany", ("German Federal Republic", "Federal Republic of Germany")),
    Jurisdiction("za", "South Africa", ("Republic of South Africa",)),
    Jurisdiction("ke", "Kenya", ("Republic of Kenya",)),
    Jurisdiction("jp", "Japan", ()),
    Jurisdiction("ch", "Switzerland", ("Swiss Confederation",)),
    Jurisdiction("in", "India", ("Republic of India",)),
    Jurisdiction("ca", "Canada", ()),
    Jurisdiction("np", "Nepal", ("Federal Democratic Republic of Nepal",)),
)

BY_CODE = {j.code: j for j in JURISDICTIONS}


def name_of(code: str) -> str:
    j = BY_CODE.get(code)
    return j.name if j else code.upper()


def code_for(name: str) -> str | None:
    """ISO code for a country name as it appears in a title ("German Federal Republic" -> "de")."""
    wanted = re.sub(r"\s+", " ", name).strip().casefold()
    for j in JURISDICTIONS:
        if wanted in (n.casefold() for n in (j.name, *j.aliases)):
            return j.code
    return None


def names() -> tuple[tuple[str, str], ...]:
    """Every (name or alias, code) pair, the longest names first (so "United States of America" is tried
    before "United States")."""
    pairs = [(n, j.code) for j in JURISDICTIONS for n in (j.name, *j.aliases)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def slug(text: str) -> str:
    """A document id for a jurisdiction Convene does not know: lower-case, hyphenated."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "doc"
