"""Plain text of any other constitution a user pastes or uploads: the fallback
reader, tried after every specific format.

The hierarchy comes from the same outline engine as the Constitute reader
(:mod:`constitutions.readers._outline`): headings (``Article 12``, ``Section 3.``,
``CHAPTER 4. ...``, ``PART III``, Markdown ``#``/``##`` headings, Constitute's
``Share`` marks when present) and paragraph numbering (``1.``, ``(1)``, ``(a)``,
``(i)``, ``1°``).  Kinds follow the engine's default mapping (article > clause >
paragraph > subparagraph; section > subsection > paragraph > subparagraph).
Text with no recognisable structure comes back as numbered PARAGRAPH provisions.

Document id: the jurisdiction code of a country named in the title line
("Constitution of Kenya" -> ``ke``), else a slug of the title.
"""

from __future__ import annotations

import re

from constitutions import jurisdictions, numbering
from constitutions.model import Document
from constitutions.readers import _outline
from constitutions.readers.base import Source, clean_line, looks_like_json, looks_like_xml
from convene.errors import ReadError

NAME = "plain-text"
PRIORITY = 100
FALLBACK = True  # accepts almost any text: folder walks skip files only this reader takes

_TITLE_COUNTRY = re.compile(
    r"(?:constitution|basic law|charter|fundamental law)\s+of\s+(?:the\s+)?(?P<name>[A-Z][\w'’ .-]+?)"
    r"(?:\s*[,(]|\s+\d{4}|$)", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")


def sniff(source: Source) -> bool:
    """Any decodable text that is not XML or JSON (the fallback)."""
    if looks_like_xml(source) or looks_like_json(source):
        return False
    head = source.head_text()
    return bool(head.strip())


def _title_line(text: str) -> str:
    for line in text.splitlines():
        cleaned = clean_line(line)
        if cleaned:
            md = numbering.MARKDOWN_HEADING.match(cleaned)
            return md.group("text") if md else cleaned
    return ""


def _is_title(line: str) -> bool:
    """The first line names the document rather than opening a provision or
    starting a sentence (a title does not end in punctuation)."""
    if not line or len(line) > 200 or line[-1] in ".;:,":
        return False
    labels, _ = numbering.leading_labels(line)
    if labels:
        return False
    structural = (numbering.ARTICLE_HEADING, numbering.SECTION_HEADING, numbering.PART_HEADING,
                  numbering.CHAPTER_HEADING, numbering.TITLE_HEADING)
    return not any(p.match(line) for p in structural) and not line.lower().startswith("preamble")


def identify(title: str) -> str:
    """Document id from a title line: a known country's code, else a slug."""
    candidates = []
    if (t := _TITLE_COUNTRY.search(title)) is not None:
        candidates.append(t.group("name"))
    if (m := numbering.CONSTITUTE_TITLE.match(title)) is not None:
        candidates.append(m.group("country"))
    for name in [*candidates, title]:
        code = jurisdictions.code_for(name.strip())
        if code:
            return code
    name = candidates[0] if candidates else title
    return jurisdictions.slug(name)[:60].strip("-") or "doc"


def read(source: Source) -> Document:
    text = source.text
    if not text.strip():
        raise ReadError("empty text: nothing to read", source=source.name)
    first = _title_line(text)
    has_title = _is_title(first)
    outline = _outline.build(text, _outline.OutlineConfig(trust_numbered_headings=True), skip_first=has_title)
    if not outline.provisions:
        raise ReadError("no text found besides a title line", source=source.name)
    title = first if has_title else ""
    doc_id = identify(title) if title else jurisdictions.slug(source.name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    year_match = _YEAR.search(title) if title else None
    return Document(
        id=doc_id,
        title=title or source.name,
        jurisdiction=doc_id,
        provisions=outline.provisions,
        year=int(year_match.group(1)) if year_match else None,
        source=source.name,
        format=NAME,
        meta={"structured": "yes" if outline.structured else "no"},
    )
