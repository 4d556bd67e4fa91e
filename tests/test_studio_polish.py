"""What a drafter sees in the studio, made readable and current: revision times in UTC to the minute, the
sidebar's revision right after a change made inside a fragment, the calculator's rule as plain text."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from constitutions.model import Kind
from convene.errors import ConflictError
from drafting.ops import Edit, Write
from drafting.store import DraftStore
from studio.views import utc_time
from tests.test_studio_app import app, library, page  # noqa: F401 - library: fixture

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
