"""The corpus store: versions, current-version choice, lossless get, delete,
search ranking and snippets, hostile queries, atomic writes.  Synthetic texts only."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constitutions.model import Document, Kind, Provision, State, Status
from constitutions.store import MARK_CLOSE, MARK_OPEN, Store, parse_query, version_key
from convene.errors import ConveneError, NotFoundError, ValidationError


def _doc(doc_id: str = "tv", version: str = "2020", *, extra: str = "", title: str = "Testland Constitution"
         ) -> Document:
    """A small invented constitution; ``extra`` is appended to article 2 to make versions differ."""
    sec1 = Provision("art_1__sec_1", Kind.SECTION, "1", heading="Liberty of expression",
                     text="Each inhabitant may voice opinions on every matter without prior restraint.")
    sec2 = Provision("art_1__sec_2", Kind.SECTION, "2",
                     text="The assembly may regulate the expression of commercial offers.")
    sec3 = Provision("art_1__sec_3", Kind.SECTION, "3",
                     text="Rivers, lakes and marshes belong to the public; the liberty of fishing is kept.",
                     status=Status(State.REPEALED, "Repealed in the invented year."))
    art1 = Provision("art_1", Kind.ARTICLE, "I", heading="Rights", children=(sec1, sec2, sec3))
    art2 = Provision("art_2", Kind.ARTICLE, "II", heading="The Assembly",
                     text=f"The assembly consists of ninety members chosen by lot.{extra}")
    pre = Provision("preamble", Kind.PREAMBLE, text="We the islanders of Testland adopt this charter.")
    return Document(doc_id, title, doc_id, (pre, art1, art2), year=1999, version=version, source="synthetic",
                    format="test", meta={"note": "invented"})


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "corpus.sqlite3")


def test_default_path_follows_convene_home(_isolated_home):
    assert Store().path == _isolated_home / "convene.sqlite3"


# ---------------------------------------------------------------- add / versions

def test_add_outcomes(store):
    steps = [  # (document, checksum, expected (version_no, outcome))
        (_doc(), "aaa", (1, "new")),
        (_doc(), "aaa", (1, "unchanged")),
        (_doc(version="2021", extra=" Members serve four years."), "bbb", (2, "new-version")),
        (_doc(), "aaa", (1, "unchanged")),
        (_doc("other"), "aaa", (1, "new")),  # same bytes under another id: another document
    ]
    for doc, checksum, expected in steps:
        result = store.add(doc, checksum=checksum)
        assert (result.version_no, result.outcome) == expected
        assert result.doc_id == doc.id
    assert [v.version_no for v in store.versions("tv")] == [1, 2]
    assert [d.id for d in store.documents()] == ["other", "tv"]


@pytest.mark.parametrize(("versions", "expected"), [
    (["2016-09-14", "2021"], "2021"),  # USLM beats hsurden whatever the import order
    (["2021", "2016-09-14"], "2021"),
    (["2025-12-17", "2011-07-24"], "2025-12-17"),
    (["2011-07-24", "2025-12-17"], "2025-12-17"),
    (["2013-08-23", "2012"], "2013-08-23"),
    (["2012", "1982-01-25"], "2012"),
    (["1982-01-25", "2012"], "2012"),
    (["2011", "rev. 2012"], "rev. 2012"),
    (["", "1999"], "1999"),
])
def test_current_version_is_the_greatest(store, versions, expected):
    for i, version in enumerate(versions):
        store.add(_doc(version=version, extra=f" v{i}"), checksum=f"c{i}")
    assert store.get("tv").version == expected
    (info,) = store.documents()
    assert (info.version, info.versions) == (expected, len(versions))
    assert [v.current for v in store.versions("tv")] == [v == expected for v in versions]


def test_equal_versions_latest_import_wins(store):
    store.add(_doc(extra=" first"), checksum="1")
    store.add(_doc(extra=" second"), checksum="2")
    assert store.get("tv").provisions[2].text.endswith("second")
    assert store.search("second")[0].eid == "art_2"
    assert store.search("first") == []  # only the current version is searchable


@pytest.mark.parametrize(("version", "key_prefix"), [
    ("2025-12-17", "2025-12-17|"), ("2021", "2021-00-00|"), ("rev. 2012", "2012-00-00|"),
    ("1982-1-5", "1982-01-05|"), ("draft", "0000-00-00|"), ("", "0000-00-00|"),
])
def test_version_key(version, key_prefix):
    assert version_key(version).startswith(key_prefix)


def test_get_is_lossless_and_versions_stay_reachable(store):
    old, new = _doc(version="2019"), _doc(version="2020", extra=" Added later.")
    store.add(old, checksum="old")
    store.add(new, checksum="new")
    assert store.get("tv") == new
    assert store.get("tv", 1) == old
    assert store.get("tv", 2) == new


def test_citations_are_stored_per_version(store):
    from constitutions.canonical import canonical_citations

    old, new = _doc(version="2019"), _doc(version="2020", extra=" Added later.")
    store.add(old, checksum="old")
    store.add(new, checksum="new")
    assert store.citations("tv") == canonical_citations(new)
    assert list(store.citations("tv", 1)) == [loc.provision.eid for loc in old.walk()]
    with pytest.raises(NotFoundError):
        store.citations("tv", 3)
    with pytest.raises(NotFoundError):
        store.citations("nope")


def test_document_info(store):
    doc = _doc()
    store.add(doc, checksum="x")
    (info,) = store.documents()
    assert (info.id, info.title, info.jurisdiction, info.year, info.version, info.source, info.format) == (
        "tv", "Testland Constitution", "tv", 1999, "2020", "synthetic", "test")
    assert (info.provisions, info.words, info.version_no, info.versions, info.current) == (
        doc.count(), doc.word_count(), 1, 1, True)
    assert info.imported_at.startswith("20")
    assert info.to_dict()["id"] == "tv"


def test_same_source_reparsed_refreshes_in_place(store):
    store.add(_doc(), checksum="same")
    improved = _doc(extra=" Now parsed better.")
    assert store.add(improved, checksum="same").outcome == "unchanged"
    assert store.get("tv") == improved
    assert len(store.versions("tv")) == 1
    assert [h.eid for h in store.search("parsed better")] == ["art_2"]


@pytest.mark.parametrize("call", [
    lambda s: s.get("nope"),
    lambda s: s.get("tv", 7),
    lambda s: s.versions("nope"),
    lambda s: s.delete("nope"),
    lambda s: s.search("assembly", doc_ids=["nope"]),
])
def test_unknown_ids_raise_not_found_naming_known_ones(store, call):
    store.add(_doc(), checksum="x")
    with pytest.raises(NotFoundError) as info:
        call(store)
    assert "tv" in str(info.value) or "versions: 1" in str(info.value)


def test_not_found_in_empty_store_says_how_to_import(store):
    with pytest.raises(NotFoundError, match="convene import"):
        store.get("us")


def test_delete_removes_every_version_and_its_search_rows(store):
    store.add(_doc(), checksum="a")
    store.add(_doc(version="2021", extra=" More."), checksum="b")
    store.add(_doc("keep"), checksum="a")
    assert store.delete("tv") == 2
    assert [d.id for d in store.documents()] == ["keep"]
    assert {h.doc_id for h in store.search("assembly")} == {"keep"}
    store.add(_doc(), checksum="a")  # and it can come back as version 1
    assert store.versions("tv")[0].version_no == 1


# ---------------------------------------------------------------- search

def test_search_ranking_snippet_and_fields(store):
    store.add(_doc(), checksum="x")
    hits = store.search("liberty")
    # the heading "Liberty of expression" outranks a mere mention in the text
    assert [h.eid for h in hits] == ["art_1__sec_1", "art_1__sec_3"]
    assert hits[0].score > hits[1].score
    assert (hits[0].doc_id, hits[0].kind, hits[0].heading) == ("tv", "section", "Liberty of expression")
    assert f"{MARK_OPEN}liberty{MARK_CLOSE}" in hits[1].snippet


def test_search_stems_and_prefers_phrases(store):
    store.add(_doc(), checksum="x")
    # "regulating" finds "regulate" (porter); the phrase beats provisions with the words apart
    assert store.search("regulating")[0].eid == "art_1__sec_2"
    hits = store.search("liberty of fishing")
    assert hits[0].eid == "art_1__sec_3"
    assert f"{MARK_OPEN}fishing{MARK_CLOSE}" in hits[0].snippet


def test_search_spreads_results_across_documents(store):
    store.add(_doc("aa"), checksum="1")
    store.add(_doc("bb"), checksum="2")
    hits = store.search("assembly", limit=2)
    assert {h.doc_id for h in hits} == {"aa", "bb"}
    assert [h.doc_id for h in store.search("assembly", doc_ids=["bb"])] == ["bb", "bb"]
    assert store.search("assembly", doc_ids=[]) == []


@pytest.mark.parametrize(("query", "expected_first"), [
    ('"liberty of fishing"', "art_1__sec_3"),
    ("fish*", "art_1__sec_3"),
    ("marshes OR lottery", "art_1__sec_3"),
    ("islanders", "preamble"),
    ("NINETY", "art_2"),
])
def test_search_syntax(store, query, expected_first):
    store.add(_doc(), checksum="x")
    assert store.search(query)[0].eid == expected_first


@pytest.mark.parametrize(("query", "tiers"), [
    ("", None),
    ("   ", None),
    ('"', None),
    ("* ^ - ( )", None),
    ("assembly", ('"assembly"',)),
    ("freedom of speech", ('"freedom of speech"', '"freedom" "of" "speech"', '"freedom" OR "speech"')),
    ('"free speech" press', (None, '"free speech" "press"', '"free speech" OR "press"')),
    ('"unbalanced quote', ('"unbalanced quote"', '"unbalanced" "quote"', '"unbalanced" OR "quote"')),
    ("a AND b", ('"a AND b"', '"a" "AND" "b"', '"b"')),
    ("speech OR press", ('"speech" OR "press"',)),
    ("OR speech", ('"speech"',)),
    ("legislat*", ('"legislat"*',)),
    ("NEAR(a b)", (None, '"NEAR a" "b"', '"NEAR a" OR "b"')),
    ("col:value", ('"col value"',)),
])
def test_parse_query(query, tiers):
    parsed = parse_query(query)
    assert (parsed.tiers if parsed else None) == tiers


HOSTILE = ['"', '""', "AND", "OR", "NOT", "*", "a*b*", "NEAR(", "NEAR(a, b", "(", ")", "^", "-x", "+", "{a b}:c",
           "heading:", "text : x", "'", "\\", "\x00", "a\x00b", "🙂", "§ 13", "6½", "1.1", "'; DROP TABLE x; --",
           "a" * 5000, " OR ".join(["x"] * 64)]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(store, query):
    store.add(_doc(), checksum="x")
    assert isinstance(store.search(query), list)


def test_a_query_with_hundreds_of_terms_gets_a_clear_error(store):
    store.add(_doc(), checksum="x")
    with pytest.raises(ValidationError, match="more than 64 terms"):
        store.search(" OR ".join(["x"] * 300))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.sampled_from('ab "*^():-+OR ANDNOT§\x00\\\'{}\u00e9'), max_size=40)
       | st.text(max_size=60))
def test_any_query_gives_a_list(store, query):
    if not store.ids():
        store.add(_doc(), checksum="x")
    try:
        hits = store.search(query)
    except ConveneError:
        return
    assert isinstance(hits, list)
    assert all(h.doc_id == "tv" for h in hits)


# ---------------------------------------------------------------- atomicity and concurrency

class _Crash(Exception):
    pass


def test_crash_inside_the_transaction_leaves_the_store_intact(store, monkeypatch):
    store.add(_doc(), checksum="v1")
    before = store.get("tv")

    def crash(*args, **kwargs):
        raise _Crash("killed mid-import")

    monkeypatch.setattr(Store, "_update_current", crash)  # after the version and its rows are written
    with pytest.raises(_Crash):
        store.add(_doc(version="2030", extra=" Half written."), checksum="v2")
    with pytest.raises(_Crash):
        store.add(_doc("fresh"), checksum="v1")
    monkeypatch.undo()
    assert [d.id for d in store.documents()] == ["tv"]
    assert len(store.versions("tv")) == 1
    assert store.get("tv") == before
    assert store.search("half written") == []
    # and the same imports succeed afterwards, as if the crash never happened
    assert store.add(_doc(version="2030", extra=" Half written."), checksum="v2").outcome == "new-version"
    assert store.add(_doc("fresh"), checksum="v1").outcome == "new"


def test_concurrent_writers(tmp_path):
    path = tmp_path / "shared.sqlite3"
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def work(prefix: str) -> None:
        try:
            start.wait()  # all threads open the fresh database at once
            store = Store(path)  # each thread its own store object, a connection per operation
            for i in range(4):
                store.add(_doc(f"{prefix}{i}"), checksum="same-bytes")
                store.add(_doc("shared", version=f"20{i}{int(prefix == 'a')}", extra=f" {prefix}{i}"),
                          checksum=f"{prefix}{i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(p,)) for p in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = Store(path)
    assert len(store.documents()) == 13
    assert sorted(v.version_no for v in store.versions("shared")) == list(range(1, 13))
    assert len(store.search("ninety", doc_ids=["shared"])) == 1  # exactly one current version indexed


def test_round_trip_of_status_and_meta(store):
    doc = _doc()
    doc = replace(doc, meta={"k": "v", "source-note": "x"})
    store.add(doc, checksum="x")
    got = store.get("tv")
    assert got.get("art_1__sec_3").status == Status(State.REPEALED, "Repealed in the invented year.")
    assert dict(got.meta) == {"k": "v", "source-note": "x"}


def test_a_search_with_too_many_terms_is_refused_before_it_reaches_sqlite():
    from constitutions.store import MAX_QUERY_TERMS

    assert parse_query(" ".join(["word*"] * MAX_QUERY_TERMS)) is not None
    for query in (" ".join(["word*"] * (MAX_QUERY_TERMS + 1)), "a OR " * MAX_QUERY_TERMS + "b"):
        with pytest.raises(ValidationError, match=f"more than {MAX_QUERY_TERMS} terms"):
            parse_query(query)


@pytest.mark.parametrize("bad", ["[/]", "../x", "", "a b"])
def test_the_store_refuses_a_document_id_that_cannot_name_one(bad):
    from constitutions.model import Document, Kind, Provision

    doc = Document(bad, "Title", "src", (Provision("sec_1", Kind.SECTION, "1", text="Words."),))
    with pytest.raises(ValidationError, match="invalid document id"):
        Store().add(doc, checksum="c")
    assert Store().ids() == []
