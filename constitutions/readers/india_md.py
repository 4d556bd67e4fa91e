"""India's constitution as a tree of Markdown files (indian-law-git/constitution-of-india):
``preamble.md``, ``articles/article-NNN[A].md``, ``parts/part-<roman>.md``,
``schedules/schedule-NN.md``, each with YAML front matter.

Guarantees:

- Front matter is read by a small parser for the subset these files use
  (``key: value`` with plain, ``"double"`` or ``'single'`` quoted scalars,
  ``null``, ``[inline, lists]`` and ``  - block`` lists); anything else is a
  :class:`ReadError` naming the file and line.  No YAML library is needed.
- Only files inside the folder are read: a file (or symlink) resolving outside it
  is a :class:`ReadError`.
- Tree: PREAMBLE; PART (num as printed, ``"III"``, ``"IVA"``; heading = part
  title; ordered by numeral) holding ARTICLE (num ``"19"``, ``"31A"``; eId
  ``art_19``, ``art_31A``: articles are cited without their part; in number order,
  repealed ones, which part files do not list, in their place) holding
  CLAUSE ``(1)`` > PARAGRAPH ``(a)`` (sub-clause) > SUBPARAGRAPH ``(i)`` > ITEM
  ``(A)``; SCHEDULE (num ``"1"``..``"10"``) holding a DIVISION per ``##``
  sub-heading.  ``(i)``, ``(v)``, ``(x)`` are letters when they follow ``(h)``,
  ``(u)``, ``(w)``, roman numerals otherwise.
- Unnumbered paragraphs (provisos, explanations, closing words) and notes belong
  to the clause they follow, or to the article when no clause is open; words after a
  provision's children are repeated in ``meta["wrap_up"]``.
- Editorial notes in italics (``*[Omitted by ...]*``, ``*Note: ...*``) never reach
  the text: a numbered one (``*(f) [Omitted ...]*``) becomes an empty provision
  with ``Status(REPEALED, note)``, an unnumbered one goes to ``meta["notes"]``.
  Articles and schedules whose front matter says ``status: repealed`` get
  ``Status(REPEALED, "Omitted by <repealed_by>.")``.
- Markdown is flattened: ``**bold**``/``*italic*`` markers removed, table rows
  become ``cell | cell`` paragraphs, list lines one paragraph each.
- Front-matter facts are kept per provision in ``meta`` as strings
  (``inserted_by``, ``amended_by`` joined by ``"; "``, ``current_as_of``,
  ``source``, ``source_url``).  ``version`` is the newest ``current_as_of``: the
  repository replays amendments one by one and stops part-way (MANIFEST).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constitutions.model import Document, Kind, Provision, State, Status, dedupe_sibling_eids, make_eid, roman_to_int
from constitutions.readers.base import decode, normalize_text, read_file
from convene.errors import ReadError

NAME = "india-md"
PRIORITY = 20

_MAX_BYTES = 2 * 1024 * 1024
_ARTICLE_FILE = re.compile(r"^article-(\d{3}[A-Z]{0,2})\.md$")

# ------------------------------------------------------------------ front matter

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?:\s+(.*?))?\s*$")
_ITEM = re.compile(r"^\s+-\s+(.*?)\s*$")


@dataclass(frozen=True)
class Page:
    """One Markdown file: its front matter and body."""

    name: str
    meta: dict[str, Any]
    body: str


def parse_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """``(front matter, body)`` of a file that starts with ``---``; a ReadError otherwise."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ReadError("no YAML front matter (the file must start with '---')", source=name)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ReadError("front matter is not closed by '---'", source=name) from None
    data: dict[str, Any] = {}
    current_list: list[Any] | None = None
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if (item := _ITEM.match(line)) and current_list is not None:
            current_list.append(_scalar(item.group(1), name, number))
            continue
        key = _KEY.match(line)
        if not key:
            raise ReadError(f"front matter line {number} is not 'key: value': {line[:80]!r}", source=name)
        raw = key.group(2)
        if raw is None or raw == "":
            current_list = []
            data[key.group(1)] = current_list
        else:
            current_list = None
            data[key.group(1)] = _value(raw, name, number)
    return data, "\n".join(lines[end + 1:])


def _value(raw: str, name: str, line: int) -> Any:
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise ReadError(f"front matter line {line}: unclosed list", source=name)
        inner = raw[1:-1].strip()
        return [_scalar(part, name, line) for part in _split_list(inner, name, line)] if inner else []
    return _scalar(raw, name, line)


def _split_list(inner: str, name: str, line: int) -> list[str]:
    parts, current, quote = [], "", ""
    for ch in inner:
        if quote:
            current += ch
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current += ch
        elif ch == ",":
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if quote:
        raise ReadError(f"front matter line {line}: unclosed quote", source=name)
    parts.append(current.strip())
    return parts


def _scalar(raw: str, name: str, line: int) -> Any:
    raw = raw.strip()
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError:
            raise ReadError(f"front matter line {line}: bad double-quoted string", source=name) from None
        if not isinstance(value, str):
            raise ReadError(f"front matter line {line}: bad double-quoted string", source=name)
        return value
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'"):
            raise ReadError(f"front matter line {line}: bad single-quoted string", source=name)
        return raw[1:-1].replace("''", "'")
    if raw in ("null", "~", ""):
        return None
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if raw[0] in "{&*!|>%@`":
        raise ReadError(f"front matter line {line}: unsupported YAML {raw[:20]!r}", source=name)
    return raw


# ------------------------------------------------------------------ folder


def sniff_dir(path: Path) -> bool:
    """An ``articles/`` folder with ``article-NNN.md`` files that open with front matter naming an article."""
    articles = path / "articles"
    try:
        if not articles.is_dir():
            return False
        for child in sorted(articles.iterdir())[:3]:
            if _ARTICLE_FILE.match(child.name) and child.is_file():
                head = child.read_bytes()[:2048].decode("utf-8", errors="replace")
                return head.startswith("---") and re.search(r"^article:", head, re.MULTILINE) is not None
    except OSError:
        return False
    return False


def read_dir(path: Path) -> Document:
    root = path.resolve()
    articles = {}
    for file in sorted((root / "articles").glob("article-*.md")):
        if not _ARTICLE_FILE.match(file.name):
            continue
        page = _page(root, file)
        article = _article(page)
        if article.num in articles:
            raise ReadError(f"article {article.num} appears twice", source=page.name)
        articles[article.num] = (article, page.meta)
    if not articles:
        raise ReadError("no articles/article-NNN.md files", source=str(path))

    provisions: list[Provision] = []
    dates = [str(m.get("current_as_of")) for _, m in articles.values() if m.get("current_as_of")]
    if (root / "preamble.md").is_file():
        page = _page(root, root / "preamble.md")
        dates.append(str(page.meta.get("current_as_of") or ""))
        paragraphs, notes = _blocks(page.body)
        provisions.append(Provision(eid="preamble", kind=Kind.PREAMBLE, text=_join(paragraphs),
                                    meta=_facts(page.meta, notes)))

    placed: set[str] = set()
    parts = []
    for file in (root / "parts").glob("part-*.md") if (root / "parts").is_dir() else ():
        page = _page(root, file)
        dates.append(str(page.meta.get("current_as_of") or ""))
        parts.append(page)
    parts.sort(key=lambda p: _part_order(str(p.meta.get("part") or ""), p.name))
    for position, page in enumerate(parts, start=1):
        num = str(page.meta.get("part") or "").strip()
        listed = page.meta.get("articles")
        if not num or not isinstance(listed, list):
            raise ReadError("part file needs 'part' and an 'articles' list", source=page.name)
        children = []
        for ref in listed:
            key = str(ref).strip()
            if key in articles and key not in placed:
                children.append(articles[key][0])
                placed.add(key)
        for key, (article, article_meta) in articles.items():  # in the part by its own front matter only
            if key not in placed and str(article_meta.get("part") or "") == num:
                children.append(article)
                placed.add(key)
        children.sort(key=lambda article: _article_order(article.num))  # repealed ones are not listed
        provisions.append(Provision(eid=make_eid(None, Kind.PART, num, position=position), kind=Kind.PART, num=num,
                                    heading=_title(page), status=_status(page.meta), children=tuple(children),
                                    meta=_facts(page.meta, [])))
    provisions += [a for key, (a, _) in articles.items() if key not in placed]

    schedules_dir = root / "schedules"
    for file in sorted(schedules_dir.glob("schedule-*.md")) if schedules_dir.is_dir() else ():
        page = _page(root, file)
        dates.append(str(page.meta.get("current_as_of") or ""))
        provisions.append(_schedule(page))

    version = max((d for d in dates if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)), default="")
    return Document(id="in", title="Constitution of India", jurisdiction="in", provisions=tuple(provisions),
                    year=1949, version=version, source=str(path), format=NAME, language="en",
                    meta={"note": "replays amendments in order; each provision's current_as_of says which state "
                                  "it shows"})


def _page(root: Path, file: Path) -> Page:
    target = file.resolve()
    if not target.is_relative_to(root):
        raise ReadError(f"{file.name} points outside the folder; refused", source=str(file))
    text = decode(read_file(target, _MAX_BYTES), str(file))
    meta, body = parse_front_matter(text.replace("\r\n", "\n"), str(file))
    return Page(str(file), meta, body)


def _part_order(num: str, name: str) -> tuple[int, str, str]:
    """Parts in numeral order: "IV" < "IVA" < "V"; unknown numerals last."""
    for split in range(len(num), 0, -1):  # "IVA" -> IV + A; "XIV" -> XIV
        value = roman_to_int(num[:split])
        if value is not None:
            return value, num[split:], name
    return 10_000, num, name


def _article_order(num: str) -> tuple[int, str]:
    """Articles in the Constitution's order: "257" < "257A" < "258" (a part file lists only the
    articles in force, so a repealed one found by its own front matter is put back in its place)."""
    match = re.match(r"\d+", num)
    return (int(match.group()), num[match.end():]) if match else (1_000_000, num)


def _title(page: Page) -> str:
    title = str(page.meta.get("title") or "")
    return normalize_text(title)


def _facts(meta: dict[str, Any], notes: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in ("inserted_by", "repealed_by", "current_as_of", "source", "source_url", "note"):
        value = meta.get(key)
        if value not in (None, ""):
            out[key] = str(value)
    amended = meta.get("amended_by")
    if isinstance(amended, list) and amended:
        out["amended_by"] = "; ".join(str(a) for a in amended)
    if notes:
        out["notes"] = "\n".join(notes)
    return out


def _status(meta: dict[str, Any]) -> Status:
    if str(meta.get("status") or "").lower() != "repealed":
        return Status()
    by = meta.get("repealed_by")
    return Status(State.REPEALED, f"Omitted by {by}." if by else "Omitted.")


# ------------------------------------------------------------------ Markdown

# "*[Omitted by ...]*", "*(f) [Omitted by ...]*", "*Note: ...*"
_NOTE = re.compile(r"^\*(?:\((\w+)\)\s*|(\d+[A-Z]?)\.\s*)?(\[.*\]|Note:.*)\*$", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_LINE = re.compile(r"^(?:\d+[A-Z]?\.\s|[-*]\s|\|)")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def _inline(text: str) -> str:
    """Markdown emphasis markers and escapes removed."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)


def _block_lines(block: str, notes: list[str] | None = None) -> list[str]:
    """A Markdown block as paragraphs: one per list line or table row, else the lines joined.
    Editorial note lines (``*12. [Omitted ...]*``) go to ``notes`` when given."""
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if any(_LIST_LINE.match(line) or _NOTE.match(line) for line in lines):
        out = []
        for line in lines:
            if _TABLE_RULE.match(line):
                continue
            if (note := _NOTE.match(line)) and notes is not None:
                entry = f"{note.group(2)}. " if note.group(2) else ""
                notes.append(entry + _note_text(note.group(3)))
                continue
            if line.startswith("|"):
                cells = [c.strip() for c in line.strip("|").split("|")]
                line = " | ".join(c for c in cells if c)
            out.append(_inline(line))
        return out
    return [_inline(" ".join(lines))]


def _split_blocks(body: str, *, numbered_lines: bool = False) -> list[str]:
    """Blank-line separated blocks; with ``numbered_lines`` a line opening with ``(ii)`` starts a block too."""
    blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", body.strip()) if b.strip()]
    if not numbered_lines:
        return blocks
    return [part.strip() for b in blocks for part in re.split(r"\n(?=\(\w+\)\s)", b) if part.strip()]


def _blocks(body: str) -> tuple[list[str], list[str]]:
    """Paragraphs and editorial notes of a plain body (preamble); headings dropped."""
    paragraphs: list[str] = []
    notes: list[str] = []
    for block in _split_blocks(body):
        if _HEADING.match(block):
            continue
        if note := _NOTE.match(block):
            notes.append(_note_text(note.group(3)))
            continue
        paragraphs.extend(_block_lines(block))
    return paragraphs, notes


def _note_text(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    return " ".join(raw.split())


def _join(paragraphs: list[str]) -> str:
    return normalize_text("\n\n".join(paragraphs))


# ------------------------------------------------------------------ articles

_NUMBERED = re.compile(r"^\((\d+[A-Z]{0,2}|[a-z]{1,2}|[ivxl]+|[A-Z])\)\.?(?:\s+|$)(.*)$", re.DOTALL)
_LEVEL_KIND = {1: Kind.CLAUSE, 2: Kind.PARAGRAPH, 3: Kind.SUBPARAGRAPH, 4: Kind.ITEM}


@dataclass
class _Node:
    level: int
    num: str
    paragraphs: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    status: Status = field(default_factory=Status)

    def add_text(self, paragraph: str) -> None:
        (self.after if self.children else self.paragraphs).append(paragraph)


def _token(block: str) -> str:
    match = _NUMBERED.match(block)
    return match.group(1) if match else ""


def _level(token: str, last: dict[int, str], following: str = "") -> int:
    """1 clause "(1)", 2 sub-clause "(a)", 3 "(iv)", 4 "(A)"; (i)/(v)/(x) by what came before
    ("(h)" then "(i)" is a letter) and after ("(i)" then "(ii)" is a numeral)."""
    if token[0].isdigit():
        return 1
    if token.isupper():
        return 4
    successors = {"i": "h", "v": "u", "x": "w"}
    if token in successors:
        roman_before = {"i": None, "v": "iv", "x": "ix"}[token]
        roman_next = {"i": "ii", "v": "vi", "x": "xi"}[token]
        if following == roman_next:
            return 3
        if last.get(2) == f"({successors[token]})" and (roman_before is None or last.get(3) != f"({roman_before})"):
            return 2
        return 3
    if re.fullmatch(r"[ivxl]+", token) and roman_to_int(token.upper()) is not None and len(token) > 1:
        return 3
    return 2


def _article(page: Page) -> Provision:
    meta = page.meta
    num = str(meta.get("article") if meta.get("article") is not None else "").strip()
    if not re.fullmatch(r"\d+[A-Z]{0,2}", num):
        raise ReadError(f"front matter 'article' must be a number like 19 or 31A, not {num!r}", source=page.name)
    eid = make_eid(None, Kind.ARTICLE, num)
    root = _Node(0, num)
    stack: list[_Node] = [root]
    last: dict[int, str] = {}
    first = True
    blocks = [b for b in _split_blocks(page.body, numbered_lines=True) if not _HEADING.match(b)]
    tokens = [_token(b) for b in blocks]
    for index, block in enumerate(blocks):
        note = _NOTE.match(block)
        if note and not note.group(1):
            next((n for n in reversed(stack) if n.level <= 1), root).notes.append(_note_text(note.group(3)))
            continue
        numbered = None if note else _NUMBERED.match(block)
        if numbered is None and note is None:
            paragraphs = _block_lines(block)
            if first and paragraphs and paragraphs[0].startswith(f"{num}. "):
                paragraphs[0] = paragraphs[0][len(num) + 2:]  # "2. Parliament may ..." repeats the number
            first = False
            owner = next((n for n in reversed(stack) if n.level <= 1), root)
            for paragraph in paragraphs:
                owner.add_text(paragraph)
            continue
        first = False
        token = note.group(1) if note else numbered.group(1)
        rest = "" if note else numbered.group(2)
        following = next((t for t in tokens[index + 1:] if t), "")
        while True:  # "(b) (i) in the case ..." opens two levels at once
            level = _level(token, last, following)
            last[level] = f"({token})"
            for deeper in range(level + 1, 5):
                last.pop(deeper, None)
            while stack[-1].level >= level:
                stack.pop()
            node = _Node(level, f"({token})")
            stack[-1].children.append(node)
            stack.append(node)
            inner = _NUMBERED.match(rest)
            if not inner:
                break
            token, rest = inner.group(1), inner.group(2)
        if note:
            node.status = Status(State.REPEALED, _note_text(note.group(3)))
        elif rest.strip():
            node.paragraphs.extend(_block_lines(rest))
    children = dedupe_sibling_eids(tuple(_provision(eid, child, i) for i, child in enumerate(root.children, start=1)))
    return Provision(eid=eid, kind=Kind.ARTICLE, num=num, heading=_title(page) or _body_title(page.body),
                     text=_join(root.paragraphs + root.after), children=children, status=_status(meta),
                     meta=_node_meta(root, _facts(meta, root.notes)))


def _body_title(body: str) -> str:
    match = re.search(r"^#\s+Article\s+\S+?\.\s+(.*)$", body, re.MULTILINE)
    return match.group(1).strip() if match else ""


def _node_meta(node: _Node, base: dict[str, str]) -> dict[str, str]:
    if node.after and node.children:
        base["wrap_up"] = _join(node.after)
    return base


def _provision(parent_eid: str, node: _Node, position: int) -> Provision:
    kind = _LEVEL_KIND[node.level]
    eid = make_eid(parent_eid, kind, node.num, position=position)
    children = dedupe_sibling_eids(tuple(_provision(eid, child, i) for i, child in enumerate(node.children, start=1)))
    meta = _node_meta(node, {"notes": "\n".join(node.notes)} if node.notes else {})
    return Provision(eid=eid, kind=kind, num=node.num, text=_join(node.paragraphs + node.after), children=children,
                     status=node.status, meta=meta)


# ------------------------------------------------------------------ schedules


def _schedule(page: Page) -> Provision:
    number = page.meta.get("schedule")
    num = str(number).strip() if number is not None else ""
    if not re.fullmatch(r"\d+[A-Z]?", num):
        raise ReadError(f"front matter 'schedule' must be a number, not {num!r}", source=page.name)
    eid = make_eid(None, Kind.SCHEDULE, num)
    title = _title(page)
    heading = re.sub(r"^\w+ Schedule\s*[—–-]\s*", "", title) if "—" in title or " - " in title else ""
    own: list[str] = []
    notes: list[str] = []
    divisions: list[tuple[str, list[str], list[str]]] = []
    for block in _split_blocks(page.body):
        heading_match = _HEADING.match(block.split("\n", 1)[0])
        if heading_match and len(heading_match.group(1)) == 1:
            continue
        if heading_match:
            divisions.append((_inline(heading_match.group(2).strip()), [], []))
            rest = block.split("\n", 1)[1] if "\n" in block else ""
            if rest.strip():
                divisions[-1][1].extend(_block_lines(rest, divisions[-1][2]))
            continue
        if note := _NOTE.match(block):
            entry = f"{note.group(2)}. " if note.group(2) else ""
            (divisions[-1][2] if divisions else notes).append(entry + _note_text(note.group(3)))
            continue
        target_notes = divisions[-1][2] if divisions else notes
        (divisions[-1][1] if divisions else own).extend(_block_lines(block, target_notes))
    children = dedupe_sibling_eids(tuple(
        Provision(eid=make_eid(eid, Kind.DIVISION, "", position=i), kind=Kind.DIVISION, heading=name,
                  text=_join(paragraphs), meta={"notes": "\n".join(div_notes)} if div_notes else {})
        for i, (name, paragraphs, div_notes) in enumerate(divisions, start=1)))
    return Provision(eid=eid, kind=Kind.SCHEDULE, num=num, heading=heading, text=_join(own), children=children,
                     status=_status(page.meta), meta=_facts(page.meta, notes))
