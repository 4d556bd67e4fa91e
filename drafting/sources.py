"""From a reference such as ``"us-ca:Art. I, § 13"`` to an :class:`~drafting.ops.Adopt` operation,
through the corpus store and the citation resolver; and reading draft files for import."""

from __future__ import annotations

import json
from pathlib import Path

from convene import settings
from convene.errors import CitationError, ReadError
from drafting.model import Draft
from drafting.ops import Adopt


def adoption(reference: str, *, parent: str | None = None, position: int | None = None) -> Adopt:
    """The adoption of the provision ``reference`` names (``DOC:CITATION``), with its subtree and the
    canonical citation of every provision in it.  Raises CitationError / NotFoundError."""
    from constitutions.canonical import canonical_citations
    from constitutions.citations import split_reference
    from constitutions.resolve import resolve
    from constitutions.store import Store

    doc_id, citation = split_reference(reference)
    if not doc_id:
        raise CitationError(f"name the document: DOC:CITATION, e.g. us-ca:Art. I, § 13 (got {reference!r})")
    document = Store().get(doc_id)
    located = resolve(document, citation)
    cites = canonical_citations(document)
    provision = located.provision
    subtree = tuple((p.eid, f"{doc_id}:{cites[p.eid]}") for p in provision.walk() if p.eid in cites)
    top = f"{doc_id}:{cites.get(provision.eid, citation)}"
    return Adopt(document=doc_id, provision=provision, citation=top, document_title=document.title,
                 document_version=document.version, parent=parent, position=position, citations=subtree)


def read_draft_file(path: str | Path) -> Draft:
    """A draft from a Convene draft JSON file or an Akoma Ntoso XML file (chosen by content).  JSON may be
    UTF-8 (with or without a byte order mark), UTF-16 or UTF-32 (as Windows editors save "Unicode" text);
    any other encoding is a ReadError naming the file and the first byte that is not UTF-8, never a guess
    that would change the words."""
    from drafting.export.akn import read_akn

    path = Path(path)
    try:
        if path.stat().st_size > settings.MAX_FILE_BYTES:
            raise ReadError(f"file is over the {settings.MAX_FILE_BYTES:,}-byte limit", source=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror}", source=str(path)) from None
    encoding = json.detect_encoding(data)
    if encoding.startswith(("utf-16", "utf-32")):
        try:
            head = data.decode(encoding).lstrip("\ufeff \t\r\n")[:1]
        except UnicodeDecodeError:
            head = ""
    else:
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1].decode("latin-1")
    if head == "{":
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            name = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
            raise ReadError(f"not {name} text: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be read; "
                            "save the file as UTF-8 and import it again", source=str(path)) from None
        try:
            raw = json.loads(text.removeprefix("\ufeff"))
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ReadError(f"malformed JSON: {exc}", source=str(path)) from None
        try:
            return Draft.from_dict(raw)
        except ReadError as exc:
            raise ReadError(exc.message, source=str(path)) from None
    if head == "<":
        return read_akn(data, str(path))
    raise ReadError("not a draft: expected Convene draft JSON or Akoma Ntoso XML", source=str(path))
