"""Constitute Project page-text scrapes (MANIFEST section 7): Ireland, Germany,
India, Kenya, Canada, Switzerland, Japan and South Africa.

The first line is Constitute's title (``Ireland 1937 (rev. 2012)``); headings
that had a share button are followed by a line ``Share``; everything else is
inferred from numbering by :mod:`constitutions.readers._outline`.

Kinds (documented mapping, the same for every country of a family):

* articles (ie, de, ch, jp, in, ke and any other country):
  article > clause ``(1)``/``1.`` > paragraph ``(a)``/``a.`` > subparagraph ``(i)`` > item;
  Japan's paragraphs are unnumbered in the text (two blank lines apart): an article
  of several is split into clauses 1, 2, 3... (Art. 9(2) is ``art_9__cl_2``), and a
  list under a lead-in (Art. 7, one blank line apart) stays in its paragraph;
  Ireland instead: article > section ``1.`` > subsection ``1°`` > paragraph ``i.`` >
  subparagraph, so Art. 40.6.1° is ``art_40__sec_6__subsec_1``;
* sections (za, ca): section > subsection ``(1)``/``1.`` > paragraph > subparagraph > item;
* schedules: schedule > item (headed or numbered) > paragraph > subparagraph;
* groups: ``PART``/``Part`` -> PART, ``CHAPTER`` -> CHAPTER, ``Title`` -> TITLE,
  unnumbered headings ("THE NATION"), roman/lettered groups ("I. Basic Rights",
  "A. Ontario"), Swiss ``Section N.`` groups and annexures -> DIVISION;
* Canada: each Constitution Act is a top-level DIVISION (``dvs_1867``, ``dvs_1982``)
  holding its groups, sections and schedules.

eIds of articles and sections leave out the groups above them (see
:mod:`._outline`); repealed stubs ("2. Repealed", "(repealed)") carry
``Status(State.REPEALED, note)`` and no text (the note is the editor's, not the
constitution's words).
"""

from __future__ import annotations

from constitutions import jurisdictions, numbering
from constitutions.model import Document, Kind
from constitutions.readers import _outline
from constitutions.readers.base import Source, clean_line
from convene.errors import ReadError

NAME = "constitute-text"
PRIORITY = 50

# Countries whose Constitute text numbers sections rather than articles.
SECTION_COUNTRIES = frozenset({"za", "ca"})

# Countries whose Constitute text leaves an article's paragraphs unnumbered, with the blank lines that
# separate two of them (a list under a lead-in is one blank line apart): they are numbered clauses
# (1), (2)... as the country's citations number them (Japan: "Article 9, paragraph 2").
IMPLICIT_PARAGRAPHS = {"jp": 2}

IRELAND_SUB_KINDS = {Kind.ARTICLE: (Kind.SECTION, Kind.SUBSECTION, Kind.PARAGRAPH, Kind.SUBPARAGRAPH, Kind.ITEM)}

TITLES = {
    "ie": "Constitution of Ireland",
    "de": "Basic Law for the Federal Republic of Germany",
    "za": "Constitution of the Republic of South Africa",
    "ke": "Constitution of Kenya",
    "jp": "Constitution of Japan",
    "ch": "Federal Constitution of the Swiss Confederation",
    "in": "Constitution of India",
    "ca": "Constitution Acts, 1867 to 1982",
}


def _first_line(source: Source, limit: int = 4096) -> str:
    head = source.head_text(limit)
    for line in head.splitlines():
        if line.strip():
            return clean_line(line)
    return ""


def sniff(source: Source) -> bool:
    """A Constitute title on the first line and ``Share`` lines after headings."""
    if not numbering.CONSTITUTE_TITLE.match(_first_line(source)):
        return False
    lines = [line.strip() for line in source.head_text(20000).splitlines()]
    return sum(1 for line in lines if line == "Share") >= 2


def config_for(code: str | None) -> _outline.OutlineConfig:
    """The outline configuration for a country (see the module docstring)."""
    if code in SECTION_COUNTRIES:
        return _outline.OutlineConfig(unit_kind=Kind.SECTION)
    if code == "ie":
        return _outline.OutlineConfig(unit_kind=Kind.ARTICLE, sub_kinds=IRELAND_SUB_KINDS)
    if code in IMPLICIT_PARAGRAPHS:
        return _outline.OutlineConfig(unit_kind=Kind.ARTICLE, paragraph_gap=IMPLICIT_PARAGRAPHS[code])
    return _outline.OutlineConfig(unit_kind=Kind.ARTICLE)


def read(source: Source) -> Document:
    text = source.text
    if not text.strip():
        raise ReadError("empty text", source=source.name)
    first = _first_line(source)
    m = numbering.CONSTITUTE_TITLE.match(first)
    if not m:
        raise ReadError(f"first line {first[:80]!r} is not a Constitute title like 'Ireland 1937 (rev. 2012)'",
                        source=source.name)
    country = m.group("country").strip()
    code = jurisdictions.code_for(country)
    doc_id = code or jurisdictions.slug(country)
    outline = _outline.build(text, config_for(code), skip_first=True)
    if not outline.provisions:
        raise ReadError("no provisions found after the Constitute title", source=source.name)
    year = int(m.group("year"))
    return Document(
        id=doc_id,
        title=TITLES.get(code or "", first),
        jurisdiction=doc_id,
        provisions=outline.provisions,
        year=year,
        version=m.group("rev") or str(year),
        source=source.name,
        format=NAME,
        meta={"constitute_title": first},
    )
