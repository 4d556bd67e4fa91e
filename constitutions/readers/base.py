"""What every reader shares: the :class:`Source` it reads, decoding, text
normalisation and safe XML parsing.

A reader module exposes::

    NAME: str                                  # format name stored on the Document
    def sniff(source: Source) -> bool          # cheap look at the content (never the file name)
    def read(source: Source) -> Document       # raises ReadError only

and a folder reader (a format published as a tree of files) exposes
``sniff_dir(path: Path) -> bool`` and ``read_dir(path: Path) -> Document``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from convene.errors import ReadError


@dataclass(frozen=True)
class Source:
    name: str  # path or URL, for messages and Document.source
    data: bytes
    encoding: str | None = None  # forced by the user; otherwise BOM / declaration / UTF-8

    @cached_property
    def head(self) -> bytes:
        """The first 64 KiB, for sniffing."""
        return self.data[:65536]

    @cached_property
    def text(self) -> str:
        return decode(self.data, self.name, self.encoding)

    def head_text(self, limit: int = 65536) -> str:
        """Decoded start of the file for sniffing; '' when it does not decode."""
        try:
            return decode(self.data[:limit], self.name, self.encoding, partial=True)
        except ReadError:
            return ""


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_XML_DECL = re.compile(rb"^<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")


def decode(data: bytes, name: str, encoding: str | None = None, *, partial: bool = False) -> str:
    """Bytes to text: the user's encoding, else a byte-order mark, else an XML
    declaration, else strict UTF-8.  A file in another encoding gets an error
    that says where decoding failed and how to fix it, never mojibake."""
    if b"\x00" in data[:8192] and not any(data.startswith(bom) for bom, _ in _BOMS):
        raise ReadError("binary file (contains NUL bytes); expected text, XML, JSON or Markdown", source=name)
    chosen = encoding
    if chosen is None:
        for bom, enc in _BOMS:
            if data.startswith(bom):
                chosen = enc
                break
    if chosen is None and (m := _XML_DECL.match(data)):
        chosen = m.group(1).decode("ascii")
    chosen = chosen or "utf-8"
    try:
        decoder = codecs.getincrementaldecoder(chosen)(errors="strict")
    except LookupError:
        raise ReadError(f"unknown text encoding {chosen!r}", source=name) from None
    try:
        text = decoder.decode(data, final=not partial)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"not valid {chosen} at byte {exc.start} ({data[exc.start:exc.start + 4]!r}); "
            "re-save the file as UTF-8 or name its encoding (--encoding latin-1)",
            source=name,
        ) from None
    except UnicodeError as exc:  # e.g. "UTF-16 stream does not start with BOM"
        raise ReadError(f"not valid {chosen}: {exc}; name the encoding exactly (--encoding utf-16-le)",
                        source=name) from None
    if "\x00" in text:
        raise ReadError("binary file (contains NUL characters)", source=name)
    return text


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def clean_line(text: str) -> str:
    """NFC, no control characters, runs of spaces (incl. no-break) folded to one, stripped."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def normalize_text(text: str) -> str:
    """Normalise a provision's text.  Guarantees: NFC; no tabs, control characters
    or trailing spaces; lines within a paragraph joined by one space; paragraphs
    separated by exactly one blank line; no leading or trailing blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = re.split(r"\n\s*\n", text)
    out = []
    for para in paragraphs:
        joined = clean_line(" ".join(line.strip() for line in para.split("\n")))
        if joined:
            out.append(joined)
    return "\n\n".join(out)


# ------------------------------------------------------------------ XML

_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def sniff_head(source: Source) -> str:
    """The start of the file for sniffing (XML or JSON), as text: decoded when the file
    has a UTF-16/32 byte-order mark, else its bytes read as Latin-1 (every ASCII
    marker is found, whatever the 8-bit encoding).  Leading BOM and whitespace removed."""
    if source.data.startswith(_WIDE_BOMS):
        head = source.head_text()
    else:
        head = source.head.decode("latin-1")
    return head.lstrip("\ufeff\u00ef\u00bb\u00bf \t\r\n")


def parse_xml(source: Source) -> etree._Element:
    """Parse XML without resolving entities, loading DTDs or touching the network.
    The whole file must decode first (a wrong encoding is reported with its byte
    offset, not as an XML syntax error), and documents that declare entities in
    whatever encoding they are written (billion laughs, external entities) are refused."""
    data = source.data
    if "<!entity" in source.text[:1_000_000].casefold():
        raise ReadError("XML declares entities (<!ENTITY>); refused for safety", source=source.name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"malformed XML: {exc}", source=source.name) from None
    except ValueError as exc:  # e.g. unicode strings with encoding declarations
        raise ReadError(f"malformed XML: {exc}", source=source.name) from None
    if root is None:
        raise ReadError("empty XML document", source=source.name)
    return root


def looks_like_xml(source: Source) -> bool:
    return sniff_head(source).startswith("<")


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def parse_json(source: Source):
    import json

    try:
        return json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                        source=source.name) from None
    except RecursionError:
        raise ReadError("JSON nested too deeply", source=source.name) from None


def looks_like_json(source: Source) -> bool:
    return sniff_head(source)[:1] in ("{", "[")


def read_file(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror}", source=str(path)) from None
    if size > limit:
        raise ReadError(f"file is {size:,} bytes, over the {limit:,}-byte limit", source=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror}", source=str(path)) from None
