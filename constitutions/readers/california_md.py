"""The California Constitution as scraped from leginfo into Markdown in 2011
(corpus ``us-ca/nolta-california-constitution/README.md``)::

    # Constitution of the State of California

    We, the People ... (preamble)

    ## Article 13A (TAX LIMITATION)

    ### Section 3.5

    (a) hard-wrapped
    prose ...

Guarantees of :func:`read`:

- the paragraph(s) between the title and the first article are the preamble;
- ``## Article 13A`` becomes article ``num`` ``"XIII A"`` (roman numeral and
  letter, as the official text prints it, eId ``art_13A``), so citations match
  :mod:`constitutions.readers.california_text`;
- ``### Section 3.5`` is section ``"3.5"`` (numbers as printed: the 2011 scrape
  writes Art. IX's ``6½`` as ``6.5``);
- hard-wrapped lines (and the few indented table rows) are joined into one
  line per paragraph; subdivisions nest exactly as in the official-text reader
  (:func:`constitutions.readers.california_text.nest_subdivisions`).
"""

from __future__ import annotations

import re

from constitutions.model import Document, Kind, Provision, int_to_roman, renumber_eids
from constitutions.readers.base import Source
from constitutions.readers.california_text import TITLE, YEAR, paragraphs_of, section_provision
from convene.errors import ReadError

NAME = "california-md"
PRIORITY = 40

VERSION = "2011-07-24"  # commit date of the scrape (nolta/california-constitution)

# The document title.  Must match "# Constitution of the State of California" (any case);
# must not match another constitution's Markdown title.
_TITLE = re.compile(r"^#\s+Constitution of the State of California\s*$", re.MULTILINE | re.IGNORECASE)

# "## Article 13A (TAX LIMITATION)" and "## Article 1 (DECLARATION OF RIGHTS)": arabic number,
# optional capital letter, title in parentheses.  Must not match a "### Section" line.
_ARTICLE = re.compile(r"^##\s+Article\s+(?P<n>\d{1,3})\s*(?P<letter>[A-Z])?\s*(?:\((?P<title>.*)\))?\s*$")

# "### Section 3.5", "### Section 25".  Must not match prose mentioning a section.
_SECTION = re.compile(r"^###\s+Section\s+(?P<num>\d+(?:\.\d+)*[½¼¾]?)\.?\s*$")


def sniff(source: Source) -> bool:
    head = source.head_text()
    return bool(_TITLE.search(head) and re.search(r"^##\s+Article\s+\d", head, re.MULTILINE))


def article_num(number: str, letter: str | None) -> str:
    """``("13", "A")`` -> ``"XIII A"``; ``("1", None)`` -> ``"I"``."""
    roman = int_to_roman(int(number))
    return f"{roman} {letter}" if letter else roman


def read(source: Source) -> Document:
    lines = source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    preamble: list[str] = []
    articles: list[Provision] = []
    sections: list[Provision] = []
    article: Provision | None = None
    section_num: str | None = None
    body: list[str] = []
    seen_title = False

    def close_section() -> None:
        nonlocal section_num, body
        if section_num is not None:
            sections.append(section_provision(section_num, paragraphs_of(body)))
        section_num, body = None, []

    def close_article() -> None:
        nonlocal article, sections
        close_section()
        if article is not None:
            articles.append(Provision(eid="", kind=article.kind, num=article.num, heading=article.heading,
                                      children=tuple(sections)))
        article, sections = None, []

    for number, raw in enumerate(lines, start=1):
        if _TITLE.match(raw):
            seen_title = True
            continue
        if match := _ARTICLE.match(raw):
            close_article()
            try:
                num = article_num(match.group("n"), match.group("letter"))
            except ValueError:
                raise ReadError(f"line {number}: article number out of range: {raw.strip()!r}",
                                source=source.name) from None
            article = Provision(eid="", kind=Kind.ARTICLE, num=num, heading=(match.group("title") or "").strip())
            continue
        if match := _SECTION.match(raw):
            if article is None:
                raise ReadError(f"line {number}: section outside any article: {raw.strip()!r}", source=source.name)
            close_section()
            section_num = match.group("num")
            continue
        if section_num is not None:
            body.append(raw)
        elif article is None and seen_title:
            preamble.append(raw)
        elif raw.strip():
            raise ReadError(f"line {number}: text outside any section: {raw.strip()[:60]!r}", source=source.name)
    close_article()
    if not articles:
        raise ReadError("no '## Article' headings found in California Markdown", source=source.name)
    provisions = list(articles)
    if text := "\n\n".join(paragraphs_of(preamble)):
        provisions.insert(0, Provision(eid="", kind=Kind.PREAMBLE, text=text))
    return Document(id="us-ca", title=TITLE, jurisdiction="us-ca", provisions=renumber_eids(tuple(provisions)),
                    year=YEAR, version=VERSION, source=source.name, format=NAME)
