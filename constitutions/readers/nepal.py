"""Nepal's constitution as a tree of JSON files (computerclubkec/constitution-of-nepal-dataset):
``index.json`` ``{title, preamble: {file}, parts: [{part_number, title, articles: [{article_number,
title, file}]}]}``, one file per article ``{article_number, part_number, title, content: [...]}``
whose items are ``{type: "clause", clause_number, text, subclauses: [{subclause_number, text}]}``
or ``{type: "paragraph", text}``.

Guarantees:

- Only the folder is read (a single article file is not a constitution).  Every
  file named in ``index.json`` must resolve inside the folder (no ``..``, no
  absolute paths, no symlinks leading out): otherwise, or when a file is missing
  or malformed, a :class:`ReadError` names the file.
- Tree: PREAMBLE; PART (num ``"1"``..``"35"``, heading = part title) holding
  ARTICLE (num ``"17"``, heading = article title) holding CLAUSE (num ``"(1)"``)
  holding PARAGRAPH for sub-clauses (num ``"(a)"``).  The numbered items of a
  proviso ("Provided that: (1) Nothing in sub-clause (a) shall ...", Article 17(2))
  are ITEMs of the clause whose proviso they are (``art_17__cl_2__item_1``).  Article 51's directive
  policies are PARAGRAPHs ``(a)`` to ``(m)``, headed "Policies relating to ...", holding their numbered
  CLAUSEs (``art_51__para_h__cl_8``, "Art. 51(h)(8)"), as the Constitution prints them; the dataset
  flattens them (see :func:`_groups`).  Numbers are written as the Constitution prints them, ``(1)`` and
  ``(a)``.
- eIds: ``part_3``, ``art_17``, ``art_17__cl_2``, ``art_17__cl_2__para_a``.  Articles
  are numbered through the whole Constitution and cited without their part
  ("Article 17(2)(a)"), so the part is not in an article's eId.
- Unnumbered paragraphs before the first clause are the article's own text; a
  paragraph after a clause (a proviso or explanation) is appended to the text
  of the provision it follows.
- The dataset was extracted from a PDF and splits sentences at every cross
  reference: "... under clause" / clause 2 ", political parties shall ..." (the
  ``(2)`` of "clause (2)" was taken for a new clause number).  Such fragments
  are joined back ("... under clause (2), political parties shall ...") at clause
  and sub-clause level.  A fragment is an item whose text starts with
  punctuation, or starts in lower case where the previous text ends with a
  referring word (clause, sub-clause, Article, and, or, to, a comma) and its
  number is not the next one.  Each article records how many fragments it
  rejoined in ``meta["rejoined_fragments"]``.
- ``version`` is ``2015-09-20``, the promulgation date: the text is the one
  promulgated (e.g. Article 286(5) still reads "population and geography as the
  basis of representation", the wording the First Amendment of January 2016
  replaced).  The dataset has no schedules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constitutions.model import Document, Kind, Provision, dedupe_sibling_eids, make_eid
from constitutions.readers.base import decode, normalize_text, read_file
from convene.errors import ReadError

NAME = "nepal-json"
PRIORITY = 20

_INDEX = "index.json"
_MAX_JSON_BYTES = 4 * 1024 * 1024  # largest index or article file accepted
VERSION = "2015-09-20"
YEAR = 2015

# Text ends with a word that a number in brackets must follow: "under clause", "of sub-clauses".
_ENDS_WITH_REFERENCE = re.compile(r"\b(?:clauses?|sub-clauses?|Articles?)\s*$")
# ... or may follow, in a list of references: "clauses (1) and", "(a), (b) or", "(a),".
_ENDS_WITH_LINK = re.compile(r"(?:\b(?:and|or|to)|[,(])\s*$")
# A proviso whose numbered items the dataset gives as clauses restarting at 1.
_PROVISO = re.compile(r"Provided that\s*:\s*$")
# A sub-clause that is the heading of a lettered group of policies (Article 51): "Policies relating to X:".
_GROUP_HEADING = re.compile(r"^\s*(?P<heading>[A-Z][^:.;]*?)\s*:\s*(?P<rest>.*)$", re.DOTALL)
_GROUP_HEADING_WORDS = 12
_STARTS_WITH_PUNCTUATION = re.compile(r"^\s*[,.;:)\]]")
_STARTS_LOWER = re.compile(r"^\s*[a-z]")


def sniff_dir(path: Path) -> bool:
    """An ``index.json`` whose ``parts`` hold ``articles`` with a ``file``."""
    index = path / _INDEX
    try:
        if not index.is_file() or index.stat().st_size > _MAX_JSON_BYTES:
            return False
        data = json.loads(index.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict) or not isinstance(data.get("parts"), list) or not data["parts"]:
        return False
    first = data["parts"][0]
    articles = first.get("articles") if isinstance(first, dict) else None
    return isinstance(articles, list) and bool(articles) and isinstance(articles[0], dict) \
        and "file" in articles[0]


def read_dir(path: Path) -> Document:
    root = path.resolve()
    index = _load(root, _INDEX)
    if not isinstance(index, Mapping) or not isinstance(index.get("parts"), list):
        raise ReadError("index.json has no 'parts' list", source=str(root / _INDEX))
    provisions: list[Provision] = []
    preamble = index.get("preamble")
    if isinstance(preamble, Mapping) and preamble.get("file"):
        provisions.append(_preamble(root, preamble["file"]))
    rejoined = 0
    seen_articles: set[str] = set()
    for position, part in enumerate(index["parts"], start=1):
        if not isinstance(part, Mapping) or not isinstance(part.get("articles"), list):
            raise ReadError(f"part #{position} of index.json has no 'articles' list", source=str(root / _INDEX))
        num = _number(part.get("part_number")) or str(position)
        articles = []
        for entry in part["articles"]:
            if not isinstance(entry, Mapping) or not entry.get("file"):
                raise ReadError(f"an article of part {num} has no 'file'", source=str(root / _INDEX))
            article, count = _article(root, entry)
            if article.eid in seen_articles:
                raise ReadError(f"article {article.num} appears twice", source=str(root / _INDEX))
            seen_articles.add(article.eid)
            rejoined += count
            articles.append(article)
        provisions.append(Provision(eid=make_eid(None, Kind.PART, num, position=position), kind=Kind.PART,
                                    num=num, heading=_text(part.get("title")), children=tuple(articles)))
    meta = {"rejoined_fragments": str(rejoined), "schedules": "not included in this dataset"}
    return Document(id="np", title=_text(index.get("title")) or "Constitution of Nepal", jurisdiction="np",
                    provisions=tuple(provisions), year=YEAR, version=VERSION, source=str(path), format=NAME,
                    language="en", meta=meta)


# ------------------------------------------------------------------ files


def _resolve(root: Path, relative: Any) -> Path:
    """``relative`` inside ``root``, or a ReadError: no absolute paths, no way out of the folder."""
    if not isinstance(relative, str) or not relative.strip() or "\x00" in relative:
        raise ReadError(f"bad file name {relative!r} in index.json", source=str(root / _INDEX))
    if Path(relative).is_absolute():
        raise ReadError(f"absolute path {relative!r} in index.json; files must be inside the folder",
                        source=str(root / _INDEX))
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise ReadError(f"{relative!r} points outside the folder; refused", source=str(root / _INDEX))
    return target


def _load(root: Path, relative: Any) -> Any:
    target = _resolve(root, relative)
    if not target.is_file():
        raise ReadError(f"file named in index.json is missing: {relative}", source=str(target))
    text = decode(read_file(target, _MAX_JSON_BYTES), str(target))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                        source=str(target)) from None
    except RecursionError:
        raise ReadError("JSON nested too deeply", source=str(target)) from None


def _text(value: Any) -> str:
    return normalize_text(value) if isinstance(value, str) else ""


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _items(data: Any, name: str) -> list[Mapping[str, Any]]:
    content = data.get("content") if isinstance(data, Mapping) else None
    if not isinstance(content, list) or not all(isinstance(item, Mapping) for item in content):
        raise ReadError("article file has no 'content' list of objects", source=name)
    return content


# ------------------------------------------------------------------ provisions


def _preamble(root: Path, relative: Any) -> Provision:
    data = _load(root, relative)
    texts = [_text(item.get("text")) for item in _items(data, str(root / str(relative)))]
    return Provision(eid="preamble", kind=Kind.PREAMBLE, text="\n\n".join(t for t in texts if t))


def _article(root: Path, entry: Mapping[str, Any]) -> tuple[Provision, int]:
    name = str(_resolve(root, entry["file"]))
    data = _load(root, entry["file"])
    if not isinstance(data, Mapping):
        raise ReadError("article file is not a JSON object", source=name)
    num = _number(data.get("article_number")) or _number(entry.get("article_number"))
    if not num:
        raise ReadError("article has no number", source=name)
    eid = make_eid(None, Kind.ARTICLE, num)
    heading = _text(data.get("title")) or _text(entry.get("title"))
    clauses, own, rejoined = _rejoin(_items(data, name), name)
    groups = _groups(clauses)
    if groups is None:
        children = tuple(_clause(eid, clause, position) for position, clause in enumerate(clauses, start=1))
    else:
        children = tuple(_group(eid, group, position) for position, group in enumerate(groups, start=1))
    meta = {"rejoined_fragments": str(rejoined)} if rejoined else {}
    return Provision(eid=eid, kind=Kind.ARTICLE, num=num, heading=heading, text=normalize_text("\n\n".join(own)),
                     children=dedupe_sibling_eids(children), meta=meta), rejoined


@dataclass
class _Sub:
    letter: str
    text: str
    after: list[str] = field(default_factory=list)


@dataclass
class _Clause:
    number: str
    text: str
    subs: list[_Sub] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # paragraphs that follow the clause (provisos)
    items: list[_Clause] = field(default_factory=list)  # numbered items of its "Provided that:"

    def last_text(self) -> str:
        return self.subs[-1].text if self.subs else self.text

    def extend_last(self, number: str, fragment: str) -> None:
        joined = _join(self.last_text(), number, fragment)
        if self.subs:
            self.subs[-1].text = joined
        else:
            self.text = joined


def _join(before: str, number: str, fragment: str) -> str:
    """``"under clause"`` + ``2`` + ``", parties"`` -> ``"under clause (2), parties"``."""
    fragment = fragment.strip()
    gap = "" if not fragment or _STARTS_WITH_PUNCTUATION.match(fragment) else " "
    return f"{before.rstrip()} ({number}){gap}{fragment}"


def _is_fragment(previous_text: str, text: str, number: str, expected: str) -> bool:
    """Whether ``text`` (numbered ``number``) continues ``previous_text`` after a cross reference."""
    if _STARTS_WITH_PUNCTUATION.match(text) or not text.strip():
        return True
    if not _STARTS_LOWER.match(text):
        return False
    if _ENDS_WITH_REFERENCE.search(previous_text):
        return True
    return bool(_ENDS_WITH_LINK.search(previous_text)) and number != expected


def _continues_list(previous_text: str, text: str) -> bool:
    return bool(_STARTS_LOWER.match(text)) and bool(_ENDS_WITH_LINK.search(previous_text)) \
        and "sub-clause" in previous_text


def _next_number(number: str) -> str:
    if number.isdigit():
        return str(int(number) + 1)
    if len(number) == 1 and number.isalpha():
        return chr(ord(number) + 1)
    return ""


def _rejoin(items: list[Mapping[str, Any]], name: str) -> tuple[list[_Clause], list[str], int]:
    """Clauses with their cross-reference fragments joined back and proviso items nested;
    the article's own paragraphs; how many fragments were joined."""
    clauses: list[_Clause] = []
    own: list[str] = []
    rejoined = 0
    owner: _Clause | None = None  # the clause whose "Provided that:" items are being read
    for item in items:
        kind = item.get("type")
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        current = (owner.items[-1] if owner and owner.items else None) or (clauses[-1] if clauses else None)
        if kind == "paragraph":
            (current.after if current else own).append(text)
            continue
        if kind != "clause":
            raise ReadError(f"unknown content item type {kind!r}", source=name)
        number = _number(item.get("clause_number"))
        text, subs, count = _rejoin_subs(text, item.get("subclauses"), name)
        rejoined += count
        if current is not None and number and _is_fragment(current.last_text(), text, number,
                                                           _next_number(current.number)):
            current.extend_last(number, text)
            current.subs.extend(subs)
            rejoined += 1
            continue
        clause = _Clause(number, text, subs)
        if owner is not None and owner.items and number == _next_number(owner.items[-1].number):
            owner.items.append(clause)
        elif clauses and number == "1" and _PROVISO.search(clauses[-1].last_text()):
            owner = clauses[-1]
            owner.items.append(clause)
        else:
            owner = None
            clauses.append(clause)
    return clauses, own, rejoined


def _rejoin_subs(parent_text: str, raw: Any, name: str) -> tuple[str, list[_Sub], int]:
    """The clause's text and sub-clauses with fragments joined back (a first "sub-clause" may be
    the end of the clause's own sentence: "Nothing in sub-clause" / (a) "shall be deemed ..."; as the
    first sub-clause's letter says nothing, only a referring word, punctuation or a list of
    sub-clauses being cited decides: "under sub-clauses (d) and" / (e) "of clause (1) ...")."""
    if raw is None:
        return parent_text, [], 0
    if not isinstance(raw, list) or not all(isinstance(s, Mapping) for s in raw):
        raise ReadError("'subclauses' is not a list of objects", source=name)
    subs: list[_Sub] = []
    rejoined = 0
    for item in raw:
        letter = _number(item.get("subclause_number"))
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        if item.get("type") == "paragraph" and subs:
            subs[-1].after.append(text)
            continue
        first_is_fragment = _is_fragment(parent_text, text, letter, letter) or _continues_list(parent_text, text)
        if not subs and letter and first_is_fragment:
            parent_text = _join(parent_text, letter, text)
            rejoined += 1
            continue
        if subs and letter and _is_fragment(subs[-1].text, text, letter, _next_number(subs[-1].letter)):
            subs[-1].text = _join(subs[-1].text, letter, text)
            rejoined += 1
            continue
        subs.append(_Sub(letter, text))
    return parent_text, subs, rejoined


@dataclass
class _Group:
    letter: str
    heading: str
    text: str
    clauses: list[_Clause] = field(default_factory=list)


def _group_heading(sub: _Sub) -> tuple[str, str] | None:
    """``(heading, own text)`` when sub-clause ``sub`` is really the heading of a lettered group of policies
    ("Policies relating to development:", "Policies relating to tourism: To develop ..."): a capitalised
    phrase of at most :data:`_GROUP_HEADING_WORDS` words before a colon, not a proviso."""
    match = _GROUP_HEADING.match(sub.text)
    if match is None or _PROVISO.search(sub.text) or len(match["heading"].split()) > _GROUP_HEADING_WORDS:
        return None
    return match["heading"].strip(), normalize_text("\n\n".join([match["rest"], *sub.after]))


def _groups(clauses: list[_Clause]) -> list[_Group] | None:
    """Article 51's lettered groups of numbered policies ("(b) Policies relating to ...: (1) ... (2) ..."),
    which the dataset flattens: each group's heading is given as a trailing sub-clause of the previous
    group's last clause, and the numbering restarts at 1 after it.  Such trailing headings (one or more: a
    group may hold only its own text, as (l) does) followed by a clause numbered 1 open new groups; the clauses
    before the first heading form the group of the previous letter, whose heading the dataset lacks
    (``meta["note"]`` says so).  None when the article has no such heading (every other article)."""
    groups: list[_Group] = []
    current = _Group("", "", "")
    for i, clause in enumerate(clauses):
        current.clauses.append(clause)
        if i + 1 == len(clauses) or clauses[i + 1].number != "1":
            continue
        run: list[tuple[_Sub, tuple[str, str]]] = []
        for sub in reversed(clause.subs):
            found = _group_heading(sub)
            if found is None or not sub.letter:
                break
            run.insert(0, (sub, found))
        if not run:
            continue
        del clause.subs[-len(run):]
        groups.append(current)
        groups.extend(_Group(sub.letter, heading, text) for sub, (heading, text) in run)
        current = groups.pop()
    if not groups:
        return None
    groups.append(current)
    first, second = groups[0], groups[1]
    if not first.clauses:
        groups.pop(0)
    elif len(second.letter) == 1 and second.letter > "a":
        first.letter = chr(ord(second.letter) - 1)
    return groups


def _group(parent_eid: str, group: _Group, position: int) -> Provision:
    num = _printed(group.letter)
    eid = make_eid(parent_eid, Kind.PARAGRAPH, num, position=position)
    children = tuple(_clause(eid, clause, i) for i, clause in enumerate(group.clauses, start=1))
    meta = {} if group.heading else {"note": "the dataset does not give this group's heading"}
    return Provision(eid=eid, kind=Kind.PARAGRAPH, num=num, heading=group.heading, text=group.text,
                     children=dedupe_sibling_eids(children), meta=meta)


def _printed(number: str) -> str:
    return f"({number})" if number else ""


def _clause(parent_eid: str, clause: _Clause, position: int, kind: Kind = Kind.CLAUSE) -> Provision:
    num = _printed(clause.number)
    eid = make_eid(parent_eid, kind, num, position=position)
    children = [
        Provision(eid=make_eid(eid, Kind.PARAGRAPH, _printed(sub.letter), position=i), kind=Kind.PARAGRAPH,
                  num=_printed(sub.letter), text=normalize_text("\n\n".join([sub.text, *sub.after])))
        for i, sub in enumerate(clause.subs, start=1)]
    children += [_clause(eid, item, len(children) + i, Kind.ITEM) for i, item in enumerate(clause.items, start=1)]
    meta = {"wrap_up": normalize_text("\n\n".join(clause.after))} if clause.after and children else {}
    return Provision(eid=eid, kind=kind, num=num, text=normalize_text("\n\n".join([clause.text, *clause.after])),
                     children=dedupe_sibling_eids(tuple(children)), meta=meta)


