"""The studio's pages through ``streamlit.testing.v1.AppTest``: every page renders without an
exception, and the main interactions (import, search, create/adopt/edit/move/restore, conflicts,
reload, compare, export, insights, topics, calculator) do what the drafter expects.  Small synthetic
documents are imported into each test's own CONVENE_HOME; the ontology comes from the corpus."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from constitutions.model import Document, Kind, Provision
from constitutions.store import Store
from convene.settings import REPO_ROOT
from drafting.store import DraftStore

TIMEOUT = 90


def _sec(parent: str, num: str, text: str, heading: str = "") -> Provision:
    return Provision(eid=f"{parent}__sec_{num}", kind=Kind.SECTION, num=num, heading=heading, text=text)


FILLER = (  # unrelated subjects, so that the alignment's null model has a background to judge against
    "Taxes on harbour cargo are collected by the treasury each quarter.",
    "The flag bears three golden stars on a field of deep green.",
    "Schools teach arithmetic, music and navigation to every child.",
    "Mountain railways belong to the provinces through which they run.",
    "The national bird is the heron and the national tree the cedar.",
    "Fishing fleets register their vessels with the coastal authority.",
    "Weights and measures follow the decimal standard kept in the capital.",
    "Lighthouses are maintained by the keepers' guild under public charter.",
    "Postal couriers carry letters between islands twice each week.",
    "Museums display the archives of the founding voyage free of charge.",
)


def _filler(parent: str, start: int, offset: int) -> tuple[Provision, ...]:
    return tuple(_sec(parent, str(start + i), FILLER[(i + offset) % len(FILLER)]) for i in range(len(FILLER)))


ATLANTIS = Document("aa", "Charter of Atlantis", "aa", (
    Provision("art_1", Kind.ARTICLE, "1", "Rights", children=(
        _sec("art_1", "1", "Every person may speak and write freely on all subjects <b>openly</b>."),
        _sec("art_1", "2", "The people shall be secure in their homes against unreasonable searches."),
    )),
    Provision("art_2", Kind.ARTICLE, "2", "Assembly", children=(
        _sec("art_2", "1", "The legislative power is vested in an assembly of delegates elected every two years."),
    )),
    Provision("art_3", Kind.ARTICLE, "3", "Miscellany", children=_filler("art_3", 1, 0)),
), version="2001")

BOREALIS = Document("bb", "Basic Law of Borealis", "bb", (
    Provision("art_1", Kind.ARTICLE, "I", "Liberties", children=(
        _sec("art_1", "1", "Everyone may freely speak, write and publish opinions on any subject."),
        _sec("art_1", "2", "Homes of the people shall be secure against unreasonable searches and seizures."),
        _sec("art_1", "3", "The natural environment shall be protected by the state for future generations."),
    )),
    Provision("art_2", Kind.ARTICLE, "II", "Public works", children=_filler("art_2", 1, 3)),
), version="2010")


@pytest.fixture
def library():
    store = Store()
    for doc in (ATLANTIS, BOREALIS):
        store.add(doc, checksum=f"{doc.id}-1")
    return store


def app(draft: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    if draft:
        at.query_params["draft"] = draft
    return at.run()


def page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"studio/pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str, nth: int = 0):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[nth]


def submit(at: AppTest, label: str):
    found = [b for b in at.get("form_submit_button") if b.label == label]
    assert found, f"no form button {label!r}"
    return found[0]


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def new_draft(title: str = "Test constitution") -> str:
    return DraftStore().create(title).id


# ------------------------------------------------------------------ library


def test_first_run_offers_the_corpus_folder_and_imports_it(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "atlantis.json").write_text(json.dumps(ATLANTIS.to_dict()), encoding="utf-8")
    (folder / "notes.txt").write_bytes(b"\x00\x01 not a constitution")
    monkeypatch.setenv("CONVENE_CORPUS", str(folder))
    at = app()
    assert not at.exception
    assert "Welcome" in texts(at.subheader)
    assert str(folder) in texts(at.markdown)
    button(at, "Import the corpus folder").click().run()
    assert not at.exception
    assert "aa (new)" in texts(at.success)
    assert [d.id for d in Store().documents()] == ["aa"]


def test_library_lists_documents_and_shows_structure(library):
    at = app()
    assert at.header[0].value == "Library"
    table = at.dataframe[0].value
    assert list(table["id"]) == ["aa", "bb"]
    structure = next(s for s in at.selectbox if s.label == "Document")
    structure.set_value("bb").run()
    parts = next(s for s in at.selectbox if s.label == "Part, chapter or article")
    assert parts.options == ["Art. I — Liberties (4 provisions)", "Art. II — Public works (11 provisions)"]
    titles = [e.label for e in at.expander]
    assert titles == ["Art. I, Sec. 1", "Art. I, Sec. 2", "Art. I, Sec. 3"]


@pytest.mark.parametrize(("query", "expected", "absent"), [
    ("unreasonable searches", "<mark>unreasonable</mark> <mark>searches</mark>", "«"),
    ("openly", "&lt;b&gt;<mark>openly</mark>&lt;/b&gt;", "<b>openly"),
])
def test_search_highlights_matches_and_escapes_text(library, query, expected, absent):
    at = app()
    at.text_input[0].input(query)
    at.get("form_submit_button")[0].click().run()
    hits = [h.value for h in at.html if "hit" in h.value]
    assert hits, texts(at.caption)
    assert any(expected in h for h in hits)
    assert not any(absent in h for h in hits)


@pytest.mark.parametrize(("shown", "caption"), [
    (10, "The first 10 results for “taxes flag schools railways heron fleets weights lighthouses couriers "
         "museums”; there are more"),
    (30, "20 result(s) for “taxes flag schools"),
])
def test_search_says_when_there_are_more_results_than_shown(library, shown, caption):
    at = app()
    at.text_input[0].input("taxes flag schools railways heron fleets weights lighthouses couriers museums")
    next(n for n in at.number_input if n.label == "Results shown, at most").set_value(shown)
    at.get("form_submit_button")[0].click().run()
    assert caption in texts(at.caption)
    assert len([h for h in at.html if "class='hit'" in h.value]) == min(shown, 20)


def test_import_of_a_missing_folder_reports_why(library, tmp_path):
    at = app()
    folder_input = next(t for t in at.text_input if t.label == "Folder path")
    folder_input.input(str(tmp_path / "nowhere")).run()
    button(at, "Import the folder").click().run()
    assert not at.exception
    assert "failed" in texts(at.error)
    report = at.dataframe[-1].value
    assert "no such file or folder" in " ".join(report["reason"])


# ------------------------------------------------------------------ drafts


def test_create_a_draft_puts_its_id_in_the_url():
    at = page(app(), "draft")
    at.text_input(key="new-draft-title").input("People's Charter")
    button(at, "Create draft").click().run()
    assert not at.exception
    draft_id = at.query_params["draft"]
    assert [d.title for d in DraftStore().list()] == ["People's Charter"]
    assert DraftStore().list()[0].id == draft_id
    assert "People's Charter" in texts(at.subheader)


def test_reload_with_the_id_in_the_url_reopens_the_draft(library):
    draft_id = new_draft("Reopened")
    at = page(app(draft=draft_id), "draft")
    assert "Reopened" in texts(at.subheader)
    at = page(app(draft="dnosuchdraft"), "draft")
    assert "does not exist" in texts(at.warning)


def test_adopt_edit_move_and_restore(library):
    draft_id = new_draft()
    at = app(draft=draft_id)  # library page
    next(s for s in at.selectbox if s.label == "Document").set_value("aa").run()
    adopt = [b for b in at.button if b.label == "Adopt into the open draft"]
    adopt[0].click().run()
    assert "Adopted aa:" in texts(at.success)
    [b for b in at.button if b.label == "Adopt into the open draft"][1].click().run()
    draft = DraftStore().get(draft_id)
    assert len(draft.nodes) == 2

    at = page(at, "draft")
    html = texts(at.html)
    assert "from aa:" in html and "verbatim" in html
    first, second = [p.id for p in draft.tree]
    # edit the first provision
    at.text_area(key=f"text:{draft_id}:{first}").input("Every person may speak freely.")
    at.text_area(key=f"rationale:{draft_id}:{first}").input("Shorter.")
    submit(at, "Save").click().run()
    assert not at.exception
    assert "Saved" in texts(at.success)
    node = DraftStore().get(draft_id).nodes[first]
    assert (node.text, node.rationale) == ("Every person may speak freely.", "Shorter.")
    assert "edited" in texts(at.html)
    revision = DraftStore().get(draft_id).revision
    submit(at, "Save").click().run()  # nothing changed since
    assert f"Nothing changed; the draft stays at revision {revision}." in texts(at.info)
    assert "Saved" not in texts(at.success) and DraftStore().get(draft_id).revision == revision
    # move it down
    button(at, "Move down").click().run()
    assert [p.id for p in DraftStore().get(draft_id).tree] == [second, first]
    # history: compare and restore revision 2 (both adopted, nothing edited)
    assert "Edited" in at.dataframe[0].value["change"].iloc[1]
    next(s for s in at.selectbox if s.label == "Compare revision").set_value(2).run()
    assert "<del>" in texts(at.html) or "<ins>" in texts(at.html)
    button(at, "Restore revision 2").click().run()
    restored = DraftStore().get(draft_id)
    assert restored.nodes[first].text.startswith("Every person may speak and write freely")
    assert [p.id for p in restored.tree] == [first, second]


def test_the_editor_shows_the_saved_text_after_visiting_another_page(library):
    draft_id = new_draft()
    from studio.views import adoption

    pid = next(iter(DraftStore().apply(draft_id, adoption(Store().get("aa"), "art_1__sec_2"), base=0).nodes))
    at = page(app(draft=draft_id), "draft")
    key = f"text:{draft_id}:{pid}"
    assert at.text_area(key=key).value.startswith("The people shall be secure")
    page(at, "calculator")
    at = page(at, "draft")
    assert at.text_area(key=key).value.startswith("The people shall be secure")


def test_two_sessions_editing_one_provision_get_a_conflict_not_a_lost_edit(library):
    draft_id = new_draft()
    doc = Store().get("aa")
    from studio.views import adoption

    pid = next(iter(DraftStore().apply(draft_id, adoption(doc, "art_1__sec_1"), base=0).nodes))
    alice = page(app(draft=draft_id), "draft")
    bob = page(app(draft=draft_id), "draft")
    alice.text_area(key=f"text:{draft_id}:{pid}").input("Words of Alice.")
    submit(alice, "Save").click().run()
    assert "Saved" in texts(alice.success)
    bob.text_area(key=f"text:{draft_id}:{pid}").input("Words of Bob.")
    submit(bob, "Save").click().run()
    assert not bob.exception
    assert "Not saved" in texts(bob.error)
    assert "Conflict" in texts(bob.subheader)
    assert "Words of Alice." in texts(bob.html)  # theirs
    assert "Words of Bob." in texts(bob.code)  # mine, recoverable
    assert bob.text_area(key=f"text:{draft_id}:{pid}").value == "Words of Bob."
    assert DraftStore().get(draft_id).nodes[pid].text == "Words of Alice."
    assert [r.change.get("text") for r in DraftStore().rejected(draft_id)] == ["Words of Bob."]
    # Bob, having seen both, may choose his
    button(bob, "Save my text over theirs").click().run()
    assert DraftStore().get(draft_id).nodes[pid].text == "Words of Bob."


def test_editing_different_provisions_in_two_sessions_both_succeed(library):
    draft_id = new_draft()
    doc = Store().get("aa")
    from studio.views import adoption

    store = DraftStore()
    store.apply(draft_id, adoption(doc, "art_1__sec_1"), base=0)
    draft = store.apply(draft_id, adoption(doc, "art_1__sec_2"), base=1)
    first, second = [p.id for p in draft.tree]
    alice = page(app(draft=draft_id), "draft")
    bob = page(app(draft=draft_id), "draft")
    alice.text_area(key=f"text:{draft_id}:{first}").input("A.")
    submit(alice, "Save").click().run()
    bob.selectbox(key=f"pick:{draft_id}").set_value(second).run()
    bob.text_area(key=f"text:{draft_id}:{second}").input("B.")
    submit(bob, "Save").click().run()
    assert "Saved" in texts(bob.success)
    nodes = DraftStore().get(draft_id).nodes
    assert (nodes[first].text, nodes[second].text) == ("A.", "B.")


# ------------------------------------------------------------------ compare, insights, topics


def test_compare_aligns_two_documents_and_adopts(library, corpus_dir):
    draft_id = new_draft()
    at = page(app(draft=draft_id), "compare")
    assert not at.error, texts(at.error)
    assert at.multiselect[0].value == ["aa", "bb"]
    bodies = [h.value for h in at.html if "cmp-text" in h.value]
    assert any("searches" in b for b in bodies)
    assert any("<ins>" in b or "<del>" in b for b in bodies)
    assert "bb: Art. I, Sec. 2" in texts(at.markdown)
    at.text_input(key="jump").input("Art. 2, § 1").run()
    assert "aa: Art. 2, Sec. 1" in texts(at.markdown)
    at.text_input(key="jump").input("Art. 9").run()
    assert "Jump failed" in texts(at.error)
    at.text_input(key="jump").input("").run()
    button(at, "Adopt into draft").click().run()
    assert "Adopted" in texts(at.success)
    assert len(DraftStore().get(draft_id).nodes) >= 1
    button(at, "Find similar everywhere").click().run()
    assert "Similar provisions" in texts(at.markdown)
    labels = [e.label for e in at.expander]
    assert any(label.startswith("bb: ") and " · similarity " in label for label in labels), labels


def test_compare_topic_filter_lists_what_convene_topic_lists(library, corpus_dir):
    from design.explorer import explore

    at = page(app(), "compare")
    at.text_input(key="topic-filter").input("search").run()
    assert not at.error, texts(at.error)
    expected = {m.citation for d in explore("search", [Store().get("aa")], limit=None).addressed
                for m in d.matches}
    assert "Art. 1, Sec. 2" in expected and "Art. 1, Sec. 1" not in expected
    shown = {m.value.strip("*").removeprefix("aa: ") for m in at.markdown if m.value.startswith("**aa: ")}
    assert shown == expected
    assert "Topic filter: " in texts(at.caption)
    at.text_input(key="topic-filter").input("qqqzzz").run()
    assert "Topic filter failed" in texts(at.error) and "0 row(s)" in texts(at.caption)


def test_compare_jump_to_a_provision_without_text_says_so(library, corpus_dir):
    library.add(Document("cc", "Charter of Caledonia", "cc", (
        Provision("art_1", Kind.ARTICLE, "1", "Rights", children=(
            _sec("art_1", "1", "Every person may speak freely."),
            _sec("art_1", "2", ""),  # repealed: its number stays, its words are gone
        )),
        Provision("art_2", Kind.ARTICLE, "2", "Miscellany", children=_filler("art_2", 1, 5)),
    ), version="1990"), checksum="cc-1")
    at = page(app(), "compare")
    at.multiselect[0].set_value(["cc", "aa"]).run()
    at.text_input(key="jump").input("Art. 1, § 2").run()
    assert not at.error, texts(at.error)
    assert "cc: Art. 1, § 2 has no text of its own to compare" in texts(at.info)


def test_insights_heatmap_and_topic_coverage(library, corpus_dir):
    draft_id = new_draft()
    from studio.views import adoption

    DraftStore().apply(draft_id, adoption(Store().get("bb"), "art_1__sec_3"), base=0)
    at = page(app(draft=draft_id), "insights")
    assert not at.error, texts(at.error)
    heat, bars = [h.proto.body for h in at.html if "<table" in h.proto.body]
    assert "<th scope='col'>aa</th><th scope='col'>bb</th>" in heat
    assert heat.count("<td style=") == 4  # aa and bb, against each other and themselves
    assert "<div class='bars-legend'>" in bars and ">Draft<" in bars
    assert "Common topics the draft lacks" in texts(at.markdown)


def test_topics_explorer_finds_and_adopts(library, corpus_dir):
    draft_id = new_draft()
    at = page(app(draft=draft_id), "topics")
    at.text_input[0].input("env").run()
    assert not at.error, texts(at.error)
    assert "env" in texts(at.subheader)
    assert "Basic Law of Borealis (bb)" in texts(at.markdown)
    button(at, "Adopt into draft").click().run()
    node = next(iter(DraftStore().get(draft_id).nodes.values()))
    assert node.origin.document == "bb" and "environment" in node.text


def test_topics_page_scores_a_phrase_as_the_command_line_does(library, corpus_dir):
    """The page and `convene topic` share one scoring: the query's own words count beside the tags."""
    from design.explorer import document_matches, explore

    query = "environment protected for future generations"
    at = page(app(), "topics")
    at.text_input[0].input(query).run()
    assert not at.error, texts(at.error)
    expected = explore(query, [Store().get("aa"), Store().get("bb")], limit=3)
    labels = [f"{m.citation}{' — ' + m.heading if m.heading else ''} · score {m.score:.2f}"
              for d in expected.addressed for m in d.matches]
    assert labels and [e.label for e in at.expander] == labels
    without_words = document_matches(Store().get("bb"), [t.key for t in expected.topics], limit=3)
    assert [m.score for m in without_words.matches] != [m.score for d in expected.addressed
                                                         if d.doc_id == "bb" for m in d.matches]


# ------------------------------------------------------------------ export and calculator


def test_export_offers_every_format_and_previews(library):
    draft_id = new_draft("Exported")
    from studio.views import adoption

    DraftStore().apply(draft_id, adoption(Store().get("aa"), "art_1"), base=0)
    at = page(app(draft=draft_id), "export")
    assert [b.label for b in at.download_button] == ["Markdown", "HTML", "PDF", "Word (DOCX)", "Akoma Ntoso XML",
                                                      "Convene JSON"]
    assert "Exported" in at.code[0].value
    at.selectbox[0].set_value("json").run()
    assert json.loads(at.code[0].value)["title"] == "Exported"


def test_export_without_a_draft_says_how_to_begin():
    at = page(app(), "export")
    assert "Open or create a draft" in texts(at.info)


@pytest.mark.parametrize(("mode", "values", "total"), [
    ("One seat per so many people", {"People per seat": 8_000_000}, 63),
    ("A fixed number of seats", {"Seats": 100}, 100),
])
def test_calculator_computes_and_writes_the_rule(mode, values, total):
    draft_id = new_draft()
    at = page(app(draft=draft_id), "calculator")
    at.radio[0].set_value(mode).run()
    for label, value in values.items():
        next(n for n in at.number_input if n.label == label).set_value(value).run()
    assert f"Senate: {total} seats" in texts(at.subheader)
    chart = next(h.proto.body for h in at.html if "class='bars'" in h.proto.body)
    assert chart.index("<th scope='row'>California</th>") < chart.index("<th scope='row'>Wyoming</th>")
    assert "class='bar-value'>52<" in chart  # California's House seats today
    table = at.dataframe[0].value
    california = table[table["state"] == "California"].iloc[0]
    assert list(table.columns) == ["state", "population", "Proposed Senate", "House today", "Senate today"]
    assert (california["House today"], california["Senate today"]) == (52, 2)
    assert table["Proposed Senate"].sum() == total
    button(at, "Add as a new provision of the open draft").click().run()
    node = next(iter(DraftStore().get(draft_id).nodes.values()))
    assert node.heading == "Apportionment of the Senate"
    assert f"{total}" in node.rationale


def test_calculator_rounding_and_no_minimum_reach_the_seats_and_the_rule():
    from design.apportion import seats_per_population
    from design.census import load_census

    populations = load_census(2020).populations
    at = page(app(), "calculator")
    next(n for n in at.number_input if n.label == "At least, per state").set_value(0).run()
    next(n for n in at.number_input if n.label == "People per seat").set_value(2_000_000).run()
    at.radio[1].set_value("floor").run()
    total = seats_per_population(populations, 2_000_000, min_seats=0, rounding="floor").total
    assert total != seats_per_population(populations, 2_000_000, min_seats=0).total
    assert f"Senate: {total} seats" in texts(at.subheader)
    rule = at.code[0].value
    assert "rounded down to a whole number" in rule and "at least" not in rule


def test_calculator_reports_impossible_bounds():
    at = page(app(), "calculator")
    at.radio[0].set_value("A fixed number of seats").run()
    next(n for n in at.number_input if n.label == "Seats").set_value(10).run()
    assert "The calculation failed" in texts(at.error)


@pytest.mark.parametrize(("name", "message"), [
    ("compare", "Import at least 2 constitutions on the Library page to compare them."),
    ("insights", "Import at least 2 constitutions on the Library page to see how they relate."),
    ("topics", "Import at least 1 constitution on the Library page first."),
])
def test_pages_that_need_documents_say_so(name, message):
    if name != "topics":
        Store().add(ATLANTIS, checksum="aa-1")  # one document is not enough to compare
    at = page(app(), name)
    assert message in texts(at.info)
    assert not at.error
