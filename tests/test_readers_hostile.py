"""Hostile and broken input against the reader registry (every registered reader).

Guarantee under test: whatever the bytes, ``read_source``/``read_path`` return
a Document or raise a :class:`ConveneError` that names the file and the reason;
they never resolve entities, never touch the network or the file system while
parsing, and never crash inside a reader (the registry wraps unexpected
exceptions as "could not be read as <format>", which these tests treat as a bug).
"""

from __future__ import annotations

import codecs
import json
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import constitutions.readers as registry
from constitutions.readers import Source, read_path, read_source
from convene import settings as convene_settings
from convene.errors import ConveneError, ReadError

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
USLM = "http://xml.house.gov/schemas/uslm/1.0"
READER_BUG = "could not be read as"  # how the registry wraps an exception a reader should not have raised


def _akn(text: str = "Otters swim.", *, doctype: str = "", declaration: str = '<?xml version="1.0"?>') -> str:
    return (f'{declaration}{doctype}<akomaNtoso xmlns="{AKN}"><act name="act"><meta><identification source="#c">'
            '<FRBRWork><FRBRuri value="/akn/ke/act/2010/c"/><FRBRcountry value="ke"/></FRBRWork></identification>'
            f'</meta><body><section eId="sec_1"><num>1</num><content><p>{text}</p></content></section></body></act>'
            "</akomaNtoso>")


def _uslm(text: str = "Otters swim.", *, doctype: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<document xmlns="{USLM}"><content id="constitution">'
            f'<article id="article-I"><num value="I">ARTICLE I.</num><text>{text}</text></article></content>'
            "</document>")


def _hs_xml(text: str = "Otters swim.") -> str:
    return ('<?xml version="1.0" ?><root><document description="C" id="1" name=" " type="document">'
            '<part description="Articles" id="2" name=" " type="part"><article description=" A" id="3" '
            f'name="Article I " type="article"><paragraph><content>{text}</content></paragraph></article></part>'
            "</document></root>")


def _convene_json(text: str = "Otters swim.") -> str:
    return json.dumps({"schema": 1, "id": "xx", "title": "T", "jurisdiction": "xx",
                       "provisions": [{"id": "art_1", "kind": "article", "num": "1", "text": text}]},
                      ensure_ascii=False)


def _hs_json(text: str = "Otters swim.") -> str:
    return json.dumps({"num": " ", "type": "document", "name": "C", "children": [
        {"num": " ", "type": "part", "name": "Articles", "children": [
            {"num": "Article I ", "type": "article", "name": " A", "children": [
                {"num": " ", "type": "paragraph", "name": " ", "content": [text], "children": []}]}]}]},
        ensure_ascii=False)


def _plain(text: str = "Otters swim.") -> str:
    return f"Constitution of Otterland\n\nArticle 1\n\n{text}\n\nArticle 2\n\nFish are shared.\n"


BUILDERS = {"akn": _akn, "uslm": _uslm, "hsurden-xml": _hs_xml, "convene-json": _convene_json,
            "hsurden-json": _hs_json, "plain-text": _plain}


def _read_error(data: bytes, name: str = "hostile.bin", **kwargs) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_source(Source(name, data), **kwargs)
    error = info.value
    assert error.source == name
    assert READER_BUG not in error.message, error.message
    return error


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_well_formed_baseline_reads(fmt):
    """The hostile variants below start from these, so each must read as its own format."""
    doc = read_source(Source("ok", BUILDERS[fmt]().encode()))
    assert doc.format == fmt
    assert any("Otters swim." in loc.provision.text for loc in doc.walk())


# ------------------------------------------------------------------ malformed and truncated


@pytest.mark.parametrize("fmt, cut, reason", [
    ("akn", 0.6, "malformed XML"),
    ("uslm", 0.6, "malformed XML"),
    ("hsurden-xml", 0.6, "malformed XML"),
    ("convene-json", 0.6, "malformed JSON"),
    ("hsurden-json", 0.6, "malformed JSON"),
    ("akn", 0.95, "malformed XML"),
    ("convene-json", 0.95, "malformed JSON"),
])
def test_truncated(fmt, cut, reason):
    data = BUILDERS[fmt]().encode()
    assert reason in _read_error(data[: int(len(data) * cut)]).message


@pytest.mark.parametrize("data, reason", [
    (_akn().replace("</p>", "</q>").encode(), "malformed XML"),
    (_uslm().replace("</text>", "").encode(), "malformed XML"),
    (_convene_json().replace('"title"', "title", 1).encode(), "malformed JSON"),
    (_hs_json().replace('"children"', "children", 1).encode(), "malformed JSON"),
    (b'{"schema": 1, "id": "x", "provisions": [{"id": "a", "kind": "galaxy"}]}', "not a Convene provision"),
    (b'{"num": " ", "type": "document", "children": [{"type": "part", "children": 7}]}', "must be lists"),
])
def test_malformed(data, reason):
    assert reason in _read_error(data).message


@pytest.mark.corpus
@pytest.mark.parametrize("relative", ["us/HMAN-117-constitution.xml", "us/constitution.xml",
                                      "us/usconstitution.full.json"])
def test_truncated_corpus_file(corpus_dir, relative):
    data = (corpus_dir / relative).read_bytes()
    error = _read_error(data[: len(data) // 2], name=relative)
    assert "malformed" in error.message


# ------------------------------------------------------------------ entities and the network


_LAUGHS = ('<!DOCTYPE akomaNtoso [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


class _Listener:
    """A TCP server on 127.0.0.1 counting connection attempts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        self._stop.set()
        self._thread.join()
        self.sock.close()
        return self.connections


@pytest.fixture
def listener():
    server = _Listener()
    yield server
    server.close()


def _hostile_documents(port: int) -> list[tuple[str, str]]:
    passwd = '<!DOCTYPE akomaNtoso [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    local = f'<!DOCTYPE akomaNtoso [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/x">]>'
    discard = '<!DOCTYPE akomaNtoso [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>'
    parameter = f'<!DOCTYPE akomaNtoso [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p"> %p;]>'
    return [
        ("billion laughs", _akn("&lol3;", doctype=_LAUGHS)),
        ("billion laughs (uslm)", _uslm("&lol3;", doctype=_LAUGHS.replace("akomaNtoso", "document"))),
        ("external file entity", _akn("&xxe;", doctype=passwd)),
        ("external http entity", _akn("&xxe;", doctype=local)),
        ("external http entity, port 9", _uslm("&xxe;", doctype=discard.replace("akomaNtoso", "document"))),
        ("parameter entity", _akn("x", doctype=parameter)),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_declarations_are_refused_without_resolving(listener, encoding):
    for label, xml in _hostile_documents(listener.port):
        if encoding != "utf-8":
            xml = xml.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding.upper()}"?>')
            xml = xml.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
        error = _read_error(xml.encode(encoding), name=label)
        assert "entities" in error.message, label
        assert "root:" not in str(error)
    assert listener.close() == 0


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE akomaNtoso SYSTEM "http://127.0.0.1:{port}/akn.dtd">',
    '<!DOCTYPE akomaNtoso SYSTEM "file:///etc/passwd">',
])
def test_external_dtd_is_never_loaded(listener, doctype):
    xml = _akn("Otters &xxe; swim. <xi:include xmlns:xi='http://www.w3.org/2001/XInclude' "
               f"href='http://127.0.0.1:{listener.port}/inc' parse='text'/>",
               doctype=doctype.format(port=listener.port))
    doc = read_source(Source("dtd.xml", xml.encode()))
    texts = " ".join(loc.provision.text for loc in doc.walk())
    assert "root:" not in texts
    assert listener.close() == 0


# ------------------------------------------------------------------ binary, empty, size, unknown


@pytest.mark.parametrize("data, reason", [
    (bytes(range(256)) * 8, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "binary"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 64, "binary"),
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64, "binary"),
    (b'<?xml version="1.0"?><akomaNtoso xmlns="' + AKN.encode() + b'">\x00\x01\x02', "binary"),
])
def test_binary(data, reason):
    message = _read_error(data).message
    assert reason in message or "unknown format" in message


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\n" * 1000])
def test_empty(data):
    assert "empty" in _read_error(data).message


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", codecs.BOM_UTF16_LE, b"{}", b"[]", b"<a/>"])
def test_nearly_empty(data):
    _read_error(data)


def test_over_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(convene_settings, "MAX_FILE_BYTES", 100)
    data = _plain("word " * 100).encode()
    assert "over the 100-byte limit" in _read_error(data).message
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError, match="over the 100-byte limit"):
        read_path(path)


@pytest.mark.parametrize("data", [b"<catalogue><book>Otters</book></catalogue>", b'{"otters": [1, 2]}',
                                  b"[1, 2, 3]", b'<html xmlns="http://www.w3.org/1999/xhtml"><p>x</p></html>'])
def test_unknown_format(data):
    assert "unknown format" in _read_error(data).message


def test_unknown_forced_format():
    assert "unknown format 'otter-xml'" in _read_error(_plain().encode(), format="otter-xml").message


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_path(tmp_path / "absent.xml")


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize("fmt", ["akn", "uslm", "hsurden-xml", "convene-json", "hsurden-json"])
@pytest.mark.parametrize("bad, encoding", [("Élan", "latin-1"), ("“smart”", "cp1252")])
def test_8bit_bytes_in_a_utf8_file_name_the_byte_offset(fmt, bad, encoding):
    good = BUILDERS[fmt]("Otters swim.").encode("utf-8")
    data = good.replace(b"Otters swim.", f"Otters {bad}.".encode(encoding))
    offset = good.index(b"Otters swim.") + len(b"Otters ")
    message = _read_error(data).message
    assert f"at byte {offset}" in message
    assert "utf-8" in message.casefold()


def test_8bit_bytes_in_a_plain_text_file_name_the_byte_offset():
    data = _plain("Élan.").encode("latin-1")
    assert "at byte" in _read_error(data).message


def test_declared_8bit_encoding_is_honoured():
    xml = _akn("Élan vital.", declaration='<?xml version="1.0" encoding="ISO-8859-1"?>')
    doc = read_source(Source("latin.xml", xml.encode("latin-1")))
    assert doc.get("sec_1").text == "Élan vital."


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_files_work(fmt, encoding):
    text = BUILDERS[fmt]("Élan “vital”.")
    if fmt.endswith("xml") or fmt in ("akn", "uslm"):
        text = text.replace('encoding="UTF-8"', "").replace('<?xml version="1.0"?>', "")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    doc = read_source(Source(f"{fmt}.{encoding}", data))
    assert doc.format == fmt
    assert any("Élan “vital”." in loc.provision.text for loc in doc.walk())


# ------------------------------------------------------------------ nesting


@pytest.mark.parametrize("data", [
    b'{"schema": 1, "id": "x", "provisions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"schema": 1, "id": "x", "provisions": [' + b'{"id": "a", "kind": "section", "children": [' * 3000
    + b"]}" * 3000 + b"]}",
    json.dumps({"num": " ", "type": "document", "children": [
        {"type": "part", "name": "Articles", "children": [{"type": "part"}]}]}).encode()[:-4]
    + b',"children": [' * 2000 + b"{}" + b"]}" * 2000 + b"]}]}",
    (f'<akomaNtoso xmlns="{AKN}"><act><body>' + "<section><num>1</num>" * 5000 + "</section>" * 5000
     + "</body></act></akomaNtoso>").encode(),
    (f'<document xmlns="{USLM}"><content>' + "<level><num>1</num>" * 5000 + "</level>" * 5000
     + "</content></document>").encode(),
])
def test_deeply_nested(data):
    _read_error(data)


def test_nested_within_the_parser_limit_reads_or_refuses_cleanly():
    depth = 200
    xml = (f'<akomaNtoso xmlns="{AKN}"><act><body>' + "<section><num>1</num><content><p>x</p></content>" * depth
           + "</section>" * depth + "</body></act></akomaNtoso>")
    try:
        doc = read_source(Source("deep.xml", xml.encode()))
    except ReadError as exc:
        assert READER_BUG not in exc.message
    else:
        assert doc.count() == depth


# ------------------------------------------------------------------ properties

_PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])


def _check(data: bytes) -> None:
    try:
        read_source(Source("fuzz", data))
    except ConveneError as exc:
        assert READER_BUG not in str(exc), str(exc)


@_PROPERTY
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(data):
    _check(data)


@_PROPERTY
@given(st.text(max_size=4096))
def test_arbitrary_text(text):
    _check(text.encode("utf-8", errors="surrogatepass"))


_KEYWORDS = ["Article", "ARTICLE", "Section", "SEC.", "Chapter", "PART", "Schedule", "Preamble", "Amendment",
             "(a)", "(1)", "(i)", "1.", "1°.", "2°.", "i.", "Share", "(History: x)", "XIII A", "6½", "§", "[", "]",
             "* * *", "\n", "\n\n", "\n\n\n", "=" * 70, "-" * 43, "# ", "## ", "### ", "---", ":", " "]


@_PROPERTY
@given(st.lists(st.sampled_from(_KEYWORDS) | st.text(max_size=12), max_size=80))
def test_structural_keyword_soup(parts):
    """Text built from the numbering and heading words the plain-text readers key on."""
    _check("".join(parts).encode("utf-8", errors="surrogatepass"))


_JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
_JSON = st.recursive(_JSON_LEAVES, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from(["id", "kind", "type", "num", "name", "text", "content",
                                                        "children", "provisions", "status", "meta", "schema",
                                                        "toc", "body", "frbr_uri", "expression_frbr_uri",
                                                        "title"]) | st.text(max_size=8), inner, max_size=5),
                     max_leaves=30)


@_PROPERTY
@given(st.sampled_from([
    {"schema": 1, "id": "x"},
    {"type": "document", "num": " ", "name": "C"},
    {"frbr_uri": "/akn/za/act/1996/constitution", "expression_frbr_uri": "/akn/za/act/1996/constitution/eng@"},
    {}]), _JSON, _JSON)
def test_json_shaped_like_known_formats(base, first, second):
    key = {"schema": "provisions", "type": "children"}.get(next(iter(base), ""), "toc")
    doc = {**base, key: first, "body": second, "content": second}
    _check(json.dumps(doc).encode())


_XML_TAGS = ["act", "body", "preamble", "part", "chapter", "article", "section", "subsection", "paragraph",
             "item", "point", "blockList", "listIntroduction", "num", "heading", "content", "intro", "wrapUp",
             "p", "hcontainer", "attachment", "doc", "mainBody", "meta", "note", "text", "level", "clause",
             "inline", "recital", "signature", "layout", "header", "row", "column", "authorialNote", "remark"]


def _xml_element(draw_tag, children, text, attrs):
    tag = draw_tag
    attributes = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<{tag}{attributes}>{text}{''.join(children)}</{tag}>"


_XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=15).map(
    lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
_XML_ATTRS = st.dictionaries(st.sampled_from(["eId", "id", "name", "value", "status", "period", "type"]),
                             st.sampled_from(["amendment", "three-star", "removed", "#tg1", "sec_1", "I", "1",
                                              "signatures", "amendments", "schedule", "footnote"]), max_size=3)
_XML_TREE = st.recursive(
    st.builds(lambda tag, text: f"<{tag}>{text}</{tag}>", st.sampled_from(_XML_TAGS), _XML_TEXT),
    lambda inner: st.builds(_xml_element, st.sampled_from(_XML_TAGS), st.lists(inner, max_size=4), _XML_TEXT,
                            _XML_ATTRS),
    max_leaves=25)


@_PROPERTY
@given(st.sampled_from(["akomaNtoso", "document", "root"]), st.sampled_from([AKN, USLM, ""]), _XML_TREE)
def test_xml_shaped_like_known_formats(root, namespace, tree):
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    _check(f'<?xml version="1.0"?><{root}{xmlns}>{tree}</{root}>'.encode())


def test_registry_lists_this_areas_readers():
    names = set(registry.reader_names())
    assert {"uslm", "akn", "hsurden-xml", "hsurden-json", "convene-json"} <= names


def test_read_path_on_a_folder_that_is_no_published_tree(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Article 1\n\nWords.\n")
    with pytest.raises(ReadError, match="folder"):
        read_path(tmp_path)


@pytest.mark.parametrize(("data", "reason"), [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aa">]><x>&a;</x>', "declares entities"),
    (b"<catalogue><book>Otters</catalogue>", "malformed XML"),
    (b'{"otters": [1, 2', "malformed JSON"),
    (b"<catalogue><book>Otters</book></catalogue>", "XML with root element <catalogue>"),
])
def test_content_no_reader_claims_gets_the_precise_reason(data, reason):
    """XML or JSON that no reader claims is still checked, so the error says what is wrong with it."""
    assert reason in _read_error(data).message


def test_utf16_named_without_a_bom_is_a_read_error(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes(b"Section 1. Plain ASCII text.\n")  # no byte-order mark: "utf-16" cannot tell the order
    with pytest.raises(ReadError, match="not valid utf-16") as info:
        read_path(path, encoding="utf-16")
    assert info.value.source == str(path)
