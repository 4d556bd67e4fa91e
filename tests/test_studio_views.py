"""The studio's Streamlit-free view helpers: escaping, highlighting, comparison rows, badges, coverage."""

from __future__ import annotations

import pytest

from compare.align import Alignment, Explanation, Match, Row
from constitutions.model import Document, Kind, Provision
from drafting.model import Draft, Node, Origin, ProvisionStatus
from studio import views

EXPL = Explanation(0.0, 0.0, 0.0, None, 1.0, (), ())


@pytest.mark.parametrize(("snippet", "expected"), [
    ("plain", "plain"),
    ("a «match» here", "a <mark>match</mark> here"),
    ("<script>«x»</script>", "&lt;script&gt;<mark>x</mark>&lt;/script&gt;"),
    ("«unclosed", "<mark>unclosed</mark>"),
    ("stray» close", "stray close"),
    ("«a» & «b»", "<mark>a</mark> &amp; <mark>b</mark>"),
])
def test_highlight_snippet(snippet, expected):
    assert views.highlight_snippet(snippet) == expected


@pytest.mark.parametrize(("a", "b", "left", "right"), [
    ("same words", "same words", "same words", "same words"),
    ("the old law", "the new law", "the <del>old </del>law", "the <ins>new </ins>law"),
    ("<b>x</b> y", "<b>x</b> z", "&lt;b&gt;x&lt;/b&gt; <del>y</del>", "&lt;b&gt;x&lt;/b&gt; <ins>z</ins>"),
    ("one\ntwo", "one\ntwo three", "one<br>two", "one<br>two<ins> three</ins>"),
])
def test_side_by_side(a, b, left, right):
    assert views.side_by_side(a, b) == (left, right)


def _doc(doc_id: str, n: int) -> Document:
    arts = tuple(Provision(f"art_{i}", Kind.ARTICLE, str(i), children=(
        Provision(f"art_{i}__sec_1", Kind.SECTION, "1", text=f"words {i}"),)) for i in range(1, n + 1))
    return Document(doc_id, doc_id.upper(), doc_id, arts)


def _row(eid: str, counterpart: bool, match: str | None, score: float = 0.5) -> Row:
    matches = (Match(match, f"cite {match}", score, EXPL),) if match else ()
    return Row(eid, f"cite {eid}", counterpart, matches, 0.0, 1.0)


BASE = _doc("a", 2)
ALIGN_B = Alignment("a", "b", (_row("art_1", True, "x1", 0.9), _row("art_1__sec_1", False, "x2", 0.4),
                               _row("art_2", True, "x3", 0.3)), 0.0)
ALIGN_C = Alignment("a", "c", (_row("art_1", False, None), _row("art_2__sec_1", True, "y1", 0.8)), 0.0)


@pytest.mark.parametrize(("options", "expected"), [
    ({}, ["art_1", "art_1__sec_1", "art_2", "art_2__sec_1"]),
    ({"min_score": 0.5}, ["art_1", "art_2__sec_1"]),
    ({"top_eid": "art_2"}, ["art_2", "art_2__sec_1"]),
    ({"only": {"art_1__sec_1"}}, ["art_1__sec_1"]),
    ({"counterparts_only": True}, ["art_1", "art_2", "art_2__sec_1"]),
])
def test_compare_rows_filters(options, expected):
    rows = views.compare_rows(BASE, [ALIGN_B, ALIGN_C], **options)
    assert [r.eid for r in rows] == expected


def test_compare_rows_say_no_counterpart_with_the_nearest_candidate():
    rows = {r.eid: r for r in views.compare_rows(BASE, [ALIGN_B, ALIGN_C])}
    b, c = rows["art_1__sec_1"].counterparts
    assert b == views.Counterpart("b", None, "", 0.4, "cite x2")
    assert c.eid is None and c.nearest == ""  # not aligned against c at all
    assert rows["art_1"].counterparts[0] == views.Counterpart("b", "x1", "cite x1", 0.9)
    assert views.find_row(list(rows.values()), "art_2") == 2
    assert views.find_row(list(rows.values()), "nowhere") is None


def _draft() -> Draft:
    adopted = Origin(document="us", eid="amdt_4", citation="us:Amend. IV", heading="", text="Original words.")
    nodes = {
        "p1": Node("p1", Kind.ARTICLE, None, "a", heading="Rights"),
        "p2": Node("p2", Kind.SECTION, "p1", "a", text="Original words.", origin=adopted),
        "p3": Node("p3", Kind.SECTION, "p1", "b", text="Changed words.", origin=adopted,
                   status=ProvisionStatus.AGREED),
        "p4": Node("p4", Kind.ARTICLE, None, "b", text="Struck <b>out</b>.", status=ProvisionStatus.STRUCK),
    }
    return Draft("d1", "Test", nodes=nodes, revision=3)


def test_draft_lines_and_badges():
    lines = views.draft_lines(_draft())
    assert [(ln.id, ln.depth, ln.position, ln.siblings) for ln in lines] == [
        ("p1", 0, 1, 2), ("p2", 1, 1, 2), ("p3", 1, 2, 2), ("p4", 0, 2, 2)]
    assert [[b.text for b in ln.badges] for ln in lines] == [
        ["new", "proposed"], ["from us:Amend. IV", "verbatim", "proposed"],
        ["from us:Amend. IV", "edited", "agreed"], ["new", "struck"]]
    html = views.tree_html(lines, selected="p2")
    assert html.count("class='line'") == 4 and "font-weight:bold" in html


def test_tree_html_escapes_headings():
    draft = Draft("d", "T", nodes={"p": Node("p", Kind.ARTICLE, heading="<img src=x onerror=alert(1)>")})
    html = views.tree_html(views.draft_lines(draft))
    assert "<img" not in html and "&lt;img" in html


def test_draft_document_leaves_struck_provisions_out():
    doc = views.draft_document(_draft())
    assert [p.heading for p in doc.provisions] == ["Rights"]
    assert [c.text for c in doc.provisions[0].children] == ["Original words.", "Changed words."]


def test_conflict_texts():
    draft = _draft()
    assert views.conflict_texts({"change": {"op": "edit", "provision": "p3", "text": "Mine."}}, draft) == (
        "p3", "Changed words.", "Mine.")
    assert views.conflict_texts({"change": {"op": "move", "provision": "p3"}}, draft) is None


def test_coverage():
    result = views.coverage({"a", "b"}, {"us": {"a", "c"}, "ca": {"c"}, "x": {"c", "d"}, "y": {"d"}},
                            groups={"US": ["us"], "California": ["ca"], "Foreign": ["x", "y"]})
    assert result.groups == {"US": frozenset({"a", "c"}), "California": frozenset({"c"}),
                             "Foreign": frozenset({"c", "d"})}
    assert result.common == {"c", "d"}
    assert result.lacking == {"c", "d"}


def test_heatmap_html_is_a_table_with_every_value_written():
    out = views.heatmap_html(["us", "<x>"], [[1.0, 0.25], [0.25, 1.0]], caption="ids & scores")
    assert out.count("<th scope='col'>") == 2 and out.count("<th scope='row'>") == 2
    assert "&lt;x&gt;" in out and "<x>" not in out and "ids &amp; scores" in out
    assert out.count(">0.25</td>") == 2 and out.count(">1.00</td>") == 2
    assert "title='us / &lt;x&gt;: 0.25'" in out


@pytest.mark.parametrize(("value", "background", "text"), [
    (0.0, "#f7fbff", "#111827"), (1.0, "#08306b", "#ffffff"), (-3.0, "#f7fbff", "#111827"), (7.0, "#08306b", "#ffffff"),
    (0.5, "#8096b5", "#ffffff"),
])
def test_heatmap_shades_are_clamped_and_readable(value, background, text):
    assert views._shade(value) == (background, text)


@pytest.mark.parametrize(("ids", "scores"), [(["a", "b"], [[1.0]]), (["a"], [[1.0, 2.0]]), (["a", "b"], [[1, 2], [3]])])
def test_heatmap_html_refuses_a_ragged_matrix(ids, scores):
    with pytest.raises(ValueError, match="one row and one column"):
        views.heatmap_html(ids, scores, caption="")


def test_bars_html_scales_to_the_largest_value():
    out = views.bars_html(["Rights", "<Courts>"], {"Draft": [2, 0], "US": [4, 1]}, caption="topics")
    assert out.count("<th scope='row'>") == 2 and "&lt;Courts&gt;" in out
    assert "width:50.0%" in out and "width:100.0%" in out and "width:0.0%" in out and "width:25.0%" in out
    assert out.count("class='bar-value'>4<") == 1
    assert out.index("Draft") < out.index("US")  # legend in the series' order


def test_bars_html_with_nothing_to_show_and_bad_shapes():
    assert "width:0.0%" in views.bars_html(["Rights"], {"Draft": [0]}, caption="")
    with pytest.raises(ValueError, match="one value per category"):
        views.bars_html(["a", "b"], {"Draft": [1]}, caption="")


@pytest.mark.parametrize(("options", "contains"), [
    ({"per": 2_000_000, "seats": None, "method_label": "", "min_seats": 1, "max_seats": None, "chamber": "Senate"},
     ["one for every 2,000,000 persons", "at least 1 member."]),
    ({"per": None, "seats": 100, "method_label": "Webster", "min_seats": 2, "max_seats": 5, "chamber": "House"},
     ["composed of 100 members", "method of Webster", "at least 2 members and at most 5 members."]),
    ({"per": 500_000, "seats": None, "method_label": "", "min_seats": 0, "max_seats": None, "chamber": "Assembly",
      "rounding": "floor"}, ["one for every 500,000 persons", "rounded down to a whole number", "census."]),
    ({"per": 500_000, "seats": None, "method_label": "", "min_seats": 0, "max_seats": 3, "chamber": "Assembly",
      "rounding": "ceil"}, ["rounded up to a whole number", "Each State shall have at most 3 members."]),
])
def test_rule_text(options, contains):
    text = views.rule_text(**options)
    for part in contains:
        assert part in text
    assert "at least 0" not in text
    assert text.endswith(contains[-1])


def test_adoption_carries_citations(corpus_doc):
    doc = corpus_doc("us/HMAN-117-constitution.xml")
    op = views.adoption(doc, "amdt_4")
    assert op.citation == "us:Amend. IV"
    assert op.document == "us" and op.provision.eid == "amdt_4"


@pytest.mark.parametrize(("words", "cut"), [(10, False), (999, False), (1001, True)])
def test_provision_text_is_cut_at_the_limit_and_says_so(words, cut):
    p = Provision("sec_1", Kind.SECTION, "1", text=" ".join(["abcde"] * words))  # 6 characters a word
    shown = views.provision_text(p)
    assert views.is_cut(p) is cut
    assert shown.endswith(" …") is cut
    assert len(shown) <= views.TEXT_LIMIT + 2


def test_a_counterpart_says_what_it_shares_and_which_candidates_come_next():
    why = Explanation(0.4, 0.0, 0.0, None, 1.0, ("search", "role:head-of-state", "warrant"),
                      ("Right to privacy", "Regulation of evidence collection"))
    matches = (Match("x1", "Art. 13", 0.9, why), Match("x2", "Art. 47", 0.5, EXPL), Match("x3", "Art. 2", 0.3, EXPL))
    align_d = Alignment("a", "d", (Row("art_1", "cite art_1", True, matches, 4.0, 3.0),), 0.0)
    cp = views.compare_rows(BASE, [align_d])[0].counterparts[0]
    assert cp.why == ("shared words: search, institution: head of state, warrant · "
                      "shared topics: Right to privacy; Regulation of evidence collection")
    assert cp.also == "Art. 47 (0.50); Art. 2 (0.30)"
    assert matches[1].explanation.summary() == "" and views.runners_up(matches[:1]) == ""
