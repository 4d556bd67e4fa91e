"""Defects found by walking the studio as a commission staffer would, each pinned by a test (AppTest, small
synthetic documents in each test's own CONVENE_HOME)."""

from __future__ import annotations

import pytest

from constitutions.store import Store
from drafting.store import DraftStore
from studio.views import adoption
from tests.test_studio_app import app, button, library, page, submit, texts  # noqa: F401 - library: fixture

pytestmark = pytest.mark.usefixtures("library")  # the two synthetic documents, stored


def _draft_with(eid: str = "art_1__sec_1") -> tuple[str, str]:
    draft = DraftStore().create("Audit charter")
    applied = DraftStore().apply(draft.id, adoption(Store().get("aa"), eid), base=0)
    return draft.id, next(iter(applied.nodes))


# ------------------------------------------------------------------ draft: who changed what


def test_saving_only_the_text_records_only_the_text_in_the_history():
    draft_id, pid = _draft_with()
    at = page(app(draft=draft_id), "draft")
    at.text_area(key=f"text:{draft_id}:{pid}").input("Every person may speak freely.")
    submit(at, "Save").click().run()
    assert not at.exception
    last = DraftStore().history(draft_id)[-1]
    assert last.description.startswith("Edited text of "), last.description
    assert at.dataframe[0].value["change"].iloc[0] == last.description


def test_saving_my_text_over_theirs_keeps_the_heading_they_changed():
    draft_id, pid = _draft_with()
    alice = page(app(draft=draft_id), "draft")
    bob = page(app(draft=draft_id), "draft")
    alice.text_input(key=f"heading:{draft_id}:{pid}").input("Speech")
    submit(alice, "Save").click().run()
    bob.text_area(key=f"text:{draft_id}:{pid}").input("Words of Bob.")
    submit(bob, "Save").click().run()
    assert "Not saved" in texts(bob.error)
    button(bob, "Save my text over theirs").click().run()
    node = DraftStore().get(draft_id).nodes[pid]
    assert (node.heading, node.text) == ("Speech", "Words of Bob.")


# ------------------------------------------------------------------ library: imports and structure


def _folder(tmp_path, files: dict[str, bytes]) -> str:
    folder = tmp_path / "uploads"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return str(folder)


SYLVANIA = (b"Charter of Sylvania\n\nArticle 1. Residents\n1. Every resident may gather in the valley squares.\n\n"
            b"Article 2. Council\n1. Nine wardens chosen by lot form the council.\n")


def test_an_import_is_listed_at_once_in_the_documents_table(tmp_path):
    at = app()
    path = _folder(tmp_path, {"s.txt": SYLVANIA}) + "/s.txt"
    next(t for t in at.text_input if t.label == "Folder path").input(path).run()
    button(at, "Import the folder").click().run()
    assert not at.exception
    assert "sylvania (new)" in texts(at.success)
    assert "sylvania" in list(at.dataframe[0].value["id"])
    assert "Charter of Sylvania (sylvania)" in next(s for s in at.selectbox if s.label == "Document").options


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"", "empty.txt: empty file"),
    ("broken.xml", b"<?xml version='1.0'?><akomaNtoso><act><body><p>cut", "broken.xml: malformed XML"),
])
def test_a_bad_file_is_named_with_its_reason_in_full_and_nothing_saved_is_lost(tmp_path, name, data,
                                                                              reason):
    from studio.views import uploads_report

    folder = _folder(tmp_path, {name: data})
    at = app()
    next(t for t in at.text_input if t.label == "Folder path").input(f"{folder}/{name}").run()
    button(at, "Import the folder").click().run()
    assert not at.exception
    assert "1 target(s) failed" in texts(at.error)
    assert reason in texts(at.text)
    assert [d.id for d in Store().documents()] == ["aa", "bb"]
    # an upload is saved in a temporary folder first: the drafter sees the file's own name, not that folder
    from constitutions.importer import import_paths

    shown = uploads_report(import_paths([f"{folder}/{name}"]), folder)
    assert shown.failed[0].target == name
    assert shown.failed[0].reason.startswith(f"[E100] {reason}") and folder not in shown.failed[0].reason


def test_a_one_provision_part_shows_its_text_once():
    at = app()
    next(s for s in at.selectbox if s.label == "Document").set_value("bb").run()
    parts = next(s for s in at.selectbox if s.label == "Part, chapter or article")
    assert parts.options[0] == "Art. I — Liberties (4 provisions)"
    store = Store()
    from constitutions.model import Document, Kind, Provision

    store.add(Document("cc", "Charter of Cobalt", "cc", (
        Provision("art_1", Kind.ARTICLE, "1", "", "Cobalt mines belong to the people of the hills."),
        Provision("dvs_nn_2", Kind.DIVISION, "", "", "Done at the hill council in the year of the comet."),
    )), checksum="cc-1")
    at = app()
    next(s for s in at.selectbox if s.label == "Document").set_value("cc").run()
    parts = next(s for s in at.selectbox if s.label == "Part, chapter or article")
    assert parts.options == ["Art. 1 (1 provision)", "Division: “Done at the hill council in …” (1 provision)"]
    assert texts(at.text).count("Cobalt mines belong") == 1
    parts.set_value("dvs_nn_2").run()
    assert [e.label for e in at.expander][:1] == ["Division: “Done at the hill council in …”"]


# ------------------------------------------------------------------ insights


def test_the_heatmap_says_which_document_each_id_is(corpus_dir):
    at = page(app(), "insights")
    heat = next(h.proto.body for h in at.html if "class='heatmap'" in h.proto.body)
    assert "<caption>Rows and columns: aa = Charter of Atlantis; bb = Basic Law of Borealis.</caption>" in heat


# ------------------------------------------------------------------ calculator


@pytest.mark.parametrize(("adopted", "kind"), [("art_1", "article"), (None, "section")])
def test_the_rule_is_written_as_the_same_kind_as_the_drafts_articles(adopted, kind):
    draft_id = DraftStore().create("Audit charter").id
    if adopted:
        DraftStore().apply(draft_id, adoption(Store().get("aa"), adopted), base=0)
    at = page(app(draft=draft_id), "calculator")
    button(at, "Add as a new provision of the open draft").click().run()
    draft = DraftStore().get(draft_id)
    rule = draft.tree[-1].node
    assert (rule.heading, rule.kind.value) == ("Apportionment of the Senate", kind)
