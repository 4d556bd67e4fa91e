"""Commentary and case law on a constitution (Laws.Africa's ConCompass format): reading, storing, importing,
the ``convene commentary`` command and the studio's rendering.  Synthetic files with invented wording, then the
real ``south-africa/data.json`` of the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from constitutions.commentary import Commentary, html_text, is_concompass, read_concompass, recognise_concompass
from constitutions.importer import import_paths
from constitutions.model import Document, Kind, Provision
from constitutions.store import Store
from convene.errors import ConveneError, ReadError

# ---------------------------------------------------------------- synthetic data (invented wording)


def _topic(tid: str, title: str, refs: list[str], cases: list[str] = (), **extra) -> dict:
    return {"id": tid, "title": title, "references": refs, "cases": list(cases),
            "snippet": f"<p>About {title.lower()}.</p>", "topic_meaning": "<div><p>First point.</p><p>Second "
            "point.</p></div>", "interpretation": "<p>The court read it <b>broadly</b>.</p>", "mechanism": "",
            "legislation": "", "date_updated": "2024-01-02T03:04:05+00:00", **extra}


def _case(cid: str, title: str, href: str = "https://example.org/judgment/1") -> dict:
    return {"id": cid, "title": title, "href": href, "snippet": "<p>Whether a rule held.</p>",
            "facts_and_issues": "<p>Facts.</p>", "right_and_principle": "<p>A principle.</p>",
            "interpretation": "<p>It held.</p>", "topics": [], "date_updated": "2024-01-02"}


def concompass(**overrides) -> dict:
    data = {
        "topics": {"en": [
            _topic("Quiet", "Section 2: Quiet Enjoyment", ["chp_1__sec_2"], ["CaseA", "Missing"]),
            _topic("Chapter1", "Chapter 1 Bodies", ["chp_1"], ["CaseB"]),
            _topic("Moved", "Section 9: Moved", ["chp_2__sec_9"]),
        ], "xx": []},
        "cases": {"en": [_case("CaseA", "A v B [2001] XX 1"),
                         _case("CaseB", "C v D [2002] XX 2", href="javascript:x")]},
    }
    data.update(overrides)
    return data


def _bytes(data: dict) -> bytes:
    return json.dumps(data).encode("utf-8")


def za_doc() -> Document:
    """A tiny stand-in for the constitution the commentary explains (same eId shapes, invented words)."""
    s1 = Provision("chp_1__sec_1", Kind.SECTION, "1", "Bodies", "The bodies are set up.")
    s2 = Provision("chp_1__sec_2", Kind.SECTION, "2", "Quiet", "Everyone may enjoy quiet.", children=(
        Provision("chp_1__sec_2__subsec_1", Kind.SUBSECTION, "(1)", "", "Noise may be limited."),))
    s9 = Provision("chp_2__subpart_nn_1__sec_9", Kind.SECTION, "9", "Moved", "A section inside a subpart.")
    chp1 = Provision("chp_1", Kind.CHAPTER, "1", "First", "", children=(s1, s2))
    chp2 = Provision("chp_2", Kind.CHAPTER, "2", "Second", "", children=(
        Provision("chp_2__subpart_nn_1", Kind.PART, "A", "", "", children=(s9,)),))
    chp3 = Provision("chp_3", Kind.CHAPTER, "3", "Third", "", children=(
        Provision("chp_3__sec_10", Kind.SECTION, "10", "Unexplained", "Nothing is said on this."),))
    return Document("za", "Invented Constitution", "za", (chp1, chp2, chp3))


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize(("data", "expected"), [
    (_bytes(concompass()), True),
    (b'{"topics": {"en": [{"id": "x"}]}, "cases": {}}', False),  # no references: not ConCompass
    (b'{"provisions": [], "references": [], "topics": 1, "cases": 2}', False),
    (b"[1, 2, 3]", False),
    (b"not json at all, topics cases references", False),
    (b'{"topics": {"en": [{"references": []}]}, "cases": {"en": []}', False),  # truncated
    (b"\xff\xfe{}", False),
])
def test_the_format_is_recognised_by_its_content(data, expected):
    assert is_concompass(data) is expected
    assert (recognise_concompass(data, "f.json") is not None) is expected  # what the importer calls


def test_topics_and_cases_are_read_as_plain_text():
    c = read_concompass(_bytes(concompass()), "data.json")
    assert (c.doc_id, c.publisher, len(c.topics), len(c.cases)) == ("za", "ConCompass (Laws.Africa)", 3, 2)
    quiet = c.topics[0]
    assert quiet.title == "Section 2: Quiet Enjoyment" and quiet.summary == "About section 2: quiet enjoyment."
    assert quiet.meaning == "First point.\n\nSecond point."
    assert quiet.interpretation == "The court read it broadly."
    assert quiet.updated == "2024-01-02" and quiet.references == ("chp_1__sec_2",)
    assert [k.title for k in c.cases_of(quiet)] == ["A v B [2001] XX 1"]  # an unknown case id is left out
    urls = {k.id: k.url for k in c.cases}
    assert urls == {"CaseA": "https://example.org/judgment/1", "CaseB": ""}  # only http(s) links are kept


@pytest.mark.parametrize(("fragment", "expected"), [
    ("", ""),
    ("<p>One</p><p>Two</p>", "One\n\nTwo"),
    ("<div><p>A  <b>bold</b>\n word</p></div>", "A bold\nword"),
    ("<p>Kept</p><script>alert(1)</script><style>p{}</style><!-- note -->", "Kept"),
    ("<ul><li>first</li><li>second</li></ul>", "• first\n\n• second"),
    ("Fish &amp; chips &lt;tag&gt;", "Fish & chips <tag>"),
    ("plain text", "plain text"),
])
def test_html_fragments_become_paragraphs(fragment, expected):
    assert html_text(fragment) == expected


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", "malformed JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"[]", "top level is not an object"),
    (_bytes({"topics": [], "cases": {}}), "'topics' is not an object of languages"),
    (_bytes({"topics": {"en": "x"}, "cases": {}}), "topics.en is missing or not a list"),
    (_bytes({"topics": {"en": []}, "cases": {"en": []}}), "without any English topic"),
    (_bytes({"topics": {"en": [5]}}), r"topics.en[0] is not an object"),
    (_bytes({"topics": {"en": [{"title": "t", "references": []}]}}), "topics.en[0] has no id"),
    (_bytes({"topics": {"en": [{"id": "a", "title": "t", "references": "chp_1"}]}}), "references is not a list"),
    (_bytes({"topics": {"en": [{"id": "a", "title": 3, "references": []}]}}), "title is not text"),
    (_bytes({"topics": {"en": [_topic("a", "t", [])]}, "cases": {"en": [{"title": "x"}]}}), "cases.en[0] has no id"),
])
def test_a_malformed_file_is_a_read_error_naming_the_file_and_field(data, message):
    with pytest.raises(ReadError) as caught:
        read_concompass(data, "bad.json")
    assert message in str(caught.value) and "bad.json" in str(caught.value)


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["topics", "cases", "en", "id", "title", "references", "href", "snippet"]),
                        inner, max_size=4), max_leaves=20))
def test_any_json_is_read_or_refused_with_convenes_error(value):
    try:
        read = read_concompass(json.dumps(value).encode(), "fuzz.json")
    except ConveneError:
        return
    assert read.topics and all(t.id for t in read.topics)  # what is read is whole


def test_notes_on_a_provision_its_chapter_and_its_parts():
    c = read_concompass(_bytes(concompass()), "data.json")
    on_sec = [(n.topic.id, n.relation) for n in c.on("chp_1__sec_2")]
    assert on_sec == [("Quiet", "provision"), ("Chapter1", "enclosing")]
    assert [(n.topic.id, n.relation) for n in c.on("chp_1__sec_2__subsec_1")] == [
        ("Quiet", "enclosing"), ("Chapter1", "enclosing")]  # the nearest enclosing part first
    assert [(n.topic.id, n.relation) for n in c.on("chp_1")] == [("Chapter1", "provision"), ("Quiet", "within")]
    assert c.on("chp_3__sec_1") == ()
    assert c.on("chp_1__sec_20") == tuple(n for n in c.on("chp_1__sec_20") if n.topic.id == "Chapter1")  # sec_2 ≠ 20


def test_references_are_matched_to_the_documents_eids():
    c = read_concompass(_bytes(concompass()), "data.json")
    eids = [loc.provision.eid for loc in za_doc().walk()]
    matched = c.matched_to(eids)
    assert [t.references for t in matched.topics] == [("chp_1__sec_2",), ("chp_1",), ("chp_2__subpart_nn_1__sec_9",)]
    ambiguous = c.matched_to(["chp_2__a__sec_9", "chp_2__b__sec_9"])
    assert ambiguous.topics[2].references == ("chp_2__sec_9",)  # two candidates: kept as published


def test_the_commentary_round_trips_through_its_dict():
    c = read_concompass(_bytes(concompass()), "data.json")
    assert Commentary.from_dict(json.loads(json.dumps(c.to_dict()))) == c


# ---------------------------------------------------------------- store and import

def test_the_store_keeps_one_commentary_per_publisher_and_document(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    first = read_concompass(_bytes(concompass()), "v1.json")
    assert store.commentary("za") == ()
    assert store.add_commentary(first, checksum="a") == "new"
    assert store.add_commentary(first, checksum="a") == "unchanged"
    changed = concompass(cases={"en": []})
    second = read_concompass(_bytes(changed), "v2.json")
    assert store.add_commentary(second, checksum="b") == "new-version"
    assert store.commentary("za") == (second,)  # the document is not imported: references as published
    assert store.commentary("us") == ()
    store.add(za_doc(), checksum="doc")
    (matched,) = store.commentary("za")
    assert matched.topics[2].references == ("chp_2__subpart_nn_1__sec_9",)  # matched to the stored document


def test_a_database_made_before_commentary_existed_gains_the_table(tmp_path):
    path = tmp_path / "db.sqlite3"
    store = Store(path)
    store.ids()  # creates the schema
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE corpus_commentary")
    assert store.commentary("za") == ()


def test_importing_a_folder_stores_the_commentary_beside_the_constitution(tmp_path):
    Store().add(za_doc(), checksum="doc")
    folder = tmp_path / "south-africa"
    folder.mkdir()
    (folder / "data.json").write_bytes(_bytes(concompass()))
    report = import_paths([str(folder)], analyse=False)
    assert report.ok, report.items
    (item,) = report.items
    assert (item.kind, item.outcome, item.doc_id) == ("commentary", "new", "za")
    assert report.imported == (item,) and report.documents == ()  # commentary is not a constitution
    assert "3 topics, 2 cases" in item.title and item.to_dict()["kind"] == "commentary"
    assert import_paths([str(folder / "data.json")], analyse=False).items[0].outcome == "unchanged"
    assert import_paths([str(folder / "data.json")], as_id="zz", analyse=False).items[0].doc_id == "zz"
    assert len(Store().commentary("za")[0].topics) == 3


def test_a_broken_commentary_file_fails_alone(tmp_path):
    (tmp_path / "data.json").write_bytes(_bytes(concompass())[:-40] + b', "references": [}')
    report = import_paths([str(tmp_path / "data.json")], analyse=False)
    assert not report.ok and report.failed  # named explicitly: a failure, not a silent skip
    assert Store().commentary("za") == ()


# ---------------------------------------------------------------- command line

runner = CliRunner()


@pytest.fixture
def with_commentary(tmp_path):
    Store().add(za_doc(), checksum="doc")
    path = tmp_path / "data.json"
    path.write_bytes(_bytes(concompass()))
    assert import_paths([str(path)], analyse=False).ok


def _run(*args: str):
    from convene.cli import app

    return runner.invoke(app, list(args))


def test_commentary_on_a_provision(with_commentary):
    result = _run("commentary", "za", "chp_1__sec_2")
    assert result.exit_code == 0, result.output
    assert "Section 2: Quiet Enjoyment  (on s 2; ConCompass (Laws.Africa), updated 2024-01-02)" in result.output
    assert "A v B [2001] XX 1  https://example.org/judgment/1" in result.output
    assert "Chapter 1 Bodies" in result.output and "which contains it" in result.output
    assert "First point." not in result.output  # --full only
    full = _run("commentary", "za", "chp_1__sec_2", "--full")
    assert "What it means:" in full.output and "First point." in full.output and "It held." in full.output


def test_commentary_json_and_listing(with_commentary):
    body = json.loads(_run("commentary", "za:chp_1__sec_2", "--json").output)
    assert body["provision"]["id"] == "chp_1__sec_2"
    assert [(n["topic"]["id"], n["relation"]) for n in body["notes"]] == [("Quiet", "provision"),
                                                                         ("Chapter1", "enclosing")]
    assert body["notes"][0]["cases"][0]["holding"] == "It held."
    listing = _run("commentary", "za")
    assert listing.exit_code == 0 and "3 topics, 2 cases on za" in listing.output
    assert "Section 9: Moved  [s 9]" in listing.output  # the published eId matched to the stored one


def test_commentary_without_notes_or_without_any(with_commentary):
    none_here = _run("commentary", "za", "chp_2__subpart_nn_1")
    assert none_here.exit_code == 0 and "On provisions within Ch. 2, Pt. A (1;" in none_here.output
    nothing = _run("commentary", "za", "chp_3__sec_10")
    assert nothing.exit_code == 0 and nothing.output.strip() == "No commentary on s 10 (za)."
    unknown = _run("commentary", "us")
    assert unknown.exit_code == 1 and "no commentary on 'us' is imported" in unknown.stderr
    bad = _run("commentary", "za", "s 99")
    assert bad.exit_code == 1 and "error: [E2" in bad.stderr


# ---------------------------------------------------------------- the studio's rendering

def test_the_studio_escapes_commentary_and_links_only_judgments():
    from studio.views import commentary_html, commentary_notes

    hostile = concompass(cases={"en": [_case("CaseA", "<script>x</script>A &lt;script&gt; v Y",
                                             href="https://ok.example/a?b=1&c='")]})
    c = read_concompass(_bytes(hostile), "data.json")
    assert c.cases[0].title == "A <script> v Y"  # markup dropped by the reader, escaped text kept as text
    html = commentary_html(commentary_notes([c], "chp_1__sec_2", enclosing=False), {"chp_1__sec_2": "s 2"})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "href='https://ok.example/a?b=1&amp;c=&#x27;'" in html
    assert [n.topic.id for _, n in commentary_notes([c], "chp_1__sec_2", enclosing=True)] == ["Quiet", "Chapter1"]


# ---------------------------------------------------------------- the real ConCompass file

def test_the_real_concompass_commentary_on_south_africa(corpus_dir, corpus_doc):
    path = Path(corpus_dir) / "south-africa" / "data.json"
    c = read_concompass(path.read_bytes(), str(path))
    assert (len(c.topics), len(c.cases)) == (50, 99)
    doc = corpus_doc("south-africa/constitution.json")
    eids = set(doc.index)
    matched = c.matched_to(eids)
    assert matched.references() <= eids  # every provision it explains is one Convene reads
    privacy = [n for n in matched.on("chp_2__sec_14") if n.relation == "provision"]
    assert [n.topic.title for n in privacy] == ["Section 14: Privacy"]
    assert len(matched.cases_of(privacy[0].topic)) >= 2
    assert all(k.url.startswith("https://") for k in c.cases)
