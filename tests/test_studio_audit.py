"""Defects found by walking the studio as a commission staffer would, each pinned by a test (AppTest, small
synthetic documents in each test's own CONVENE_HOME)."""

from __future__ import annotations

import pytest

from constitutions.store import Store
from drafting.store import DraftStore
from studio.views import adoption
from tests.test_studio_app import ATLANTIS, BOREALIS, app, button, page, submit, texts


@pytest.fixture
def stored():
    store = Store()
    for doc in (ATLANTIS, BOREALIS):
        store.add(doc, checksum=f"{doc.id}-1")
    return store


def _draft_with(eid: str = "art_1__sec_1") -> tuple[str, str]:
    draft = DraftStore().create("Audit charter")
    applied = DraftStore().apply(draft.id, adoption(Store().get("aa"), eid), base=0)
    return draft.id, next(iter(applied.nodes))


# ------------------------------------------------------------------ draft: who changed what


def test_saving_only_the_text_records_only_the_text_in_the_history(stored):
    draft_id, pid = _draft_with()
    at = page(app(draft=draft_id), "draft")
    at.text_area(key=f"text:{draft_id}:{pid}").input("Every person may speak freely.")
    submit(at, "Save").click().run()
    assert not at.exception
    last = DraftStore().history(draft_id)[-1]
    assert last.description.startswith("Edited text of "), last.description
    assert at.dataframe[0].value["change"].iloc[0] == last.description


def test_saving_my_text_over_theirs_keeps_the_heading_they_changed(stored):
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
