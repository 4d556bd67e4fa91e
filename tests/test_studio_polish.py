"""What a drafter sees in the studio, made readable and current: revision times in UTC to the minute, the
sidebar's revision right after a change made inside a fragment, the calculator's rule as plain text."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from unittest import mock

import pytest
import streamlit.testing.v1.local_script_runner as local_runner
from streamlit.testing.v1 import AppTest

from constitutions.model import Kind
from constitutions.store import Store
from convene.errors import ConflictError
from drafting.ops import Edit, Write
from drafting.store import DraftStore
from studio.views import adoption, count, utc_time
from tests.test_studio_app import app, button, library, new_draft, page, texts  # noqa: F401 - library: fixture

# ------------------------------------------------------------------ revision times


@pytest.mark.parametrize(("stamp", "shown"), [
    ("2026-11-22T14:05:31.123Z", "2026-11-22 14:05 UTC"),  # as the draft store writes it
    ("2026-11-22T14:05:31.123456+00:00", "2026-11-22 14:05 UTC"),
    ("2026-11-22T14:05:59.999+00:00", "2026-11-22 14:05 UTC"),  # cut to the minute, never rounded up
    ("2026-11-22T16:05:31+02:00", "2026-11-22 14:05 UTC"),  # another offset: converted to UTC
    ("2026-11-23T00:30:00+05:30", "2026-11-22 19:00 UTC"),  # ... across midnight
    ("2026-11-22T14:05:31", "2026-11-22 14:05 UTC"),  # no timezone: the store's UTC
    ("2026-11-22 14:05", "2026-11-22 14:05 UTC"),
    ("0999-01-01T00:00Z", "0999-01-01 00:00 UTC"),  # padded, so that it sorts
    ("yesterday at noon", "yesterday at noon"),  # malformed: shown as given
    ("2026-13-01T00:00:00Z", "2026-13-01T00:00:00Z"),
    ("2026-11-22T14:05:31 ", "2026-11-22T14:05:31 "),
    ("2026-11-22", "2026-11-22"),  # no time of day: nothing to add
    ("", ""),
    ("0001-01-01T00:30:00+01:00", "0001-01-01T00:30:00+01:00"),  # in UTC it falls before year 1
])
def test_utc_time(stamp, shown):
    assert utc_time(stamp) == shown


def test_utc_times_sort_as_the_moments_they_name():
    stamps = ["0999-01-01T00:00Z", "2026-11-22T14:05:31Z", "2026-11-22T09:59:00-05:00", "2026-11-22T23:00:00+08:00",
              "2027-01-01T00:00:00Z"]
    by_moment = sorted(stamps, key=datetime.fromisoformat)
    assert sorted(stamps, key=utc_time) == by_moment


def test_the_history_and_the_refused_changes_say_when_in_utc_to_the_minute():
    store = DraftStore()
    draft = store.create("Timed charter")
    written = store.apply(draft.id, Write(kind=Kind.ARTICLE, heading="Part", text="Words."), base=None)
    pid = next(iter(written.nodes))
    store.apply(draft.id, Edit(provision=pid, text="Their words."), base=written.revision)
    with pytest.raises(ConflictError):
        store.apply(draft.id, Edit(provision=pid, text="My words."), base=written.revision)
    at = page(app(draft=draft.id), "draft")
    table = at.dataframe[0].value
    stored = {r.rev: r.at for r in store.history(draft.id)}
    assert list(table["revision"]) == sorted(stored, reverse=True)
    assert list(table["at"]) == [utc_time(stored[rev]) for rev in table["revision"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", shown) for shown in table["at"]), list(table["at"])
    refused = store.rejected(draft.id)[0]
    line = next(m.value for m in at.markdown if m.value.startswith(f"**#{refused.id}** by "))
    assert f" at {utc_time(refused.at)}: " in line and refused.at not in line


# ------------------------------------------------------------------ the sidebar after a change made in a fragment


def click_in_fragment(at: AppTest, widget) -> AppTest:
    """Click a button drawn by a ``st.fragment`` as a browser does: only that fragment reruns, unless the app
    asks for more.  (``AppTest`` reruns the whole script on every click, which hides what a fragment-only rerun
    leaves stale.)  The returned tree holds what the run sent; what it did not send, the browser keeps as it
    was: a sidebar absent from it still shows the old revision."""
    metadata = at._session_state._state._new_widget_state.widget_metadata.get(widget.id)
    assert metadata is not None and metadata.fragment_id, f"{widget.label!r} is not drawn by a fragment"
    widget.click()
    scoped = functools.partial(local_runner.RerunData, fragment_id_queue=[metadata.fragment_id])
    with mock.patch.object(local_runner, "RerunData", scoped):
        return at.run()


def sidebar(at: AppTest) -> str:
    return texts(at.sidebar.caption)


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize("name", ["compare", "topics"])
def test_adopting_shows_the_new_revision_in_the_sidebar_with_the_confirmation(corpus_dir, name):
    draft_id = new_draft("Sidebar charter")
    at = page(app(draft=draft_id), name)
    if name == "topics":
        at.text_input[0].input("env").run()
    assert "0 provisions · revision 0" in sidebar(at)
    click_in_fragment(at, button(at, "Adopt into draft"))
    assert not at.exception, [e.value for e in at.exception]
    draft = DraftStore().get(draft_id)
    assert draft.revision == 1
    assert f"{count(len(draft.nodes), 'provision')} · revision 1" in sidebar(at)  # "1 provision" from Topics
    assert "(revision 1)" in texts(at.success) and "Adopted" in texts(at.success)
    assert texts(at.success).count("Adopted") == 1  # shown once, not by the page and again by the fragment


@pytest.mark.usefixtures("library")
def test_a_fragment_click_that_changes_nothing_reruns_only_the_fragment(corpus_dir):
    at = page(app(), "compare")  # no draft open: adopting only says how to begin
    click_in_fragment(at, button(at, "Adopt into draft"))
    assert "Open or create a draft" in texts(at.warning)
    assert sidebar(at) == ""  # the run did not redraw the sidebar: only the fragment reran


@pytest.mark.usefixtures("library")
def test_restoring_from_the_history_shows_the_restored_draft_everywhere():
    store = DraftStore()
    draft_id = new_draft("Restored charter")
    store.apply(draft_id, adoption(Store().get("aa"), "art_1"), base=0)
    store.apply(draft_id, adoption(Store().get("aa"), "art_2"), base=1)
    at = page(app(draft=draft_id), "draft")
    assert "revision 2" in sidebar(at)
    click_in_fragment(at, button(at, "Restore revision 1"))
    assert not at.exception, [e.value for e in at.exception]
    assert store.get(draft_id).revision == 3
    assert "revision 3" in sidebar(at)
    assert "Restored revision 1 as revision 3." in texts(at.success)
    assert at.dataframe[0].value["revision"].iloc[0] == 3  # the history, redrawn with the new head
    assert "Restore revision 2" in [b.label for b in at.button]


# ------------------------------------------------------------------ the calculator's rule, readable


@pytest.mark.parametrize(("mode", "words"), [
    ("One seat per so many people", "one for every 8,000,000 persons"),
    ("A fixed number of seats", "shall be composed of 100 members"),
])
def test_the_calculators_rule_is_shown_as_plain_text_and_written_as_shown(mode, words):
    draft_id = new_draft("Rule charter")
    at = page(app(draft=draft_id), "calculator")
    at.radio[0].set_value(mode).run()
    assert not [t.label for t in at.text_area if t.disabled]  # no greyed-out widget
    assert "Provision text (you can edit it in the draft afterwards)" in texts(at.caption)
    shown = at.code[0].value
    assert shown.startswith("The Senate shall be composed") and words in shown
    button(at, "Add as a new provision of the open draft").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rule = DraftStore().get(draft_id).tree[-1].node
    assert rule.text == shown
    assert "Added “Apportionment of the Senate” to “Rule charter” (revision 1)." in texts(at.success)
    assert "· revision 1" in sidebar(at)


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(("adopted", "size"), [((), "0 provisions"), (("art_1__sec_1",), "1 provision"),
                                               (("art_1__sec_1", "art_1__sec_2"), "2 provisions")])
def test_the_sidebar_and_the_draft_page_count_provisions_in_good_english(adopted, size):
    draft_id = new_draft("Counted charter")
    for n, eid in enumerate(adopted):
        DraftStore().apply(draft_id, adoption(Store().get("aa"), eid), base=n)
    at = page(app(draft=draft_id), "draft")
    assert f"· {size} · revision {len(adopted)}" in sidebar(at)
    assert f"· revision {len(adopted)} · {size} · " in texts(at.caption)
