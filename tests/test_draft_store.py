"""Draft operations through the SQLite store: revisions, renumbering, undo/redo, restore,
comparison, optimistic concurrency (auto-merge and refusal), crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from constitutions.model import Kind, Provision
from convene import db
from convene.errors import ConflictError, NotFoundError, ValidationError
from drafting.history import compare_drafts
from drafting.ops import Adopt, Delete, Edit, Move, Write, fitted_kind
from drafting.ops import from_dict as op_from_dict
from drafting.store import DraftStore

REPO = Path(__file__).resolve().parent.parent

SOURCE = Provision("art_3", Kind.ARTICLE, "III", "Assembly", "The assembly meets yearly.", children=(
    Provision("art_3__sec_1", Kind.SECTION, "1", "", "Members serve four years."),
    Provision("art_3__sec_2", Kind.SECTION, "2", "", "The speaker presides.", children=(
        Provision("art_3__sec_2__subsec_a", Kind.SUBSECTION, "(a)", "", "In absence, the eldest."),)),
))


@pytest.fixture
def store():
    return DraftStore()


def labels(draft):
    return [(p.label, p.node.heading or p.node.text[:12]) for p in draft.walk()]


def test_create_adopt_write_and_renumber(store):
    d = store.create("Charter")
    assert d.revision == 0 and d.id.isalnum()
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0)
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="Rights", text="All are equal."), base=1)
    assert labels(d) == [("Article I", "Assembly"), ("Section 1", "Members serv"), ("Section 2", "The speaker "),
                         ("(a)", "In absence, "), ("Article II", "Rights")]
    adopted = d.tree[0].node
    assert adopted.origin.adopted and adopted.origin.num == "III" and adopted.origin.citation == "Art. III"
    assert d.tree[0].children[1].children[0].node.origin.num == "(a)"
    rights = d.tree[1].id
    d = store.apply(d.id, Move(rights, position=1), base=d.revision)
    assert labels(d)[0] == ("Article I", "Rights") and labels(d)[1] == ("Article II", "Assembly")
    assert d.tree[1].node.origin.num == "III"  # the original number is kept
    assert store.get(d.id) == d


def test_write_under_parent_at_position_and_move_between_parents(store):
    d = store.create("Charter")
    a = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="A"), base=0).tree[0].id
    b = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="B"), base=1).tree[1].id
    s1 = store.apply(d.id, Write(kind=Kind.SECTION, text="one", parent=a), base=2)
    d = store.apply(d.id, Write(kind=Kind.SECTION, text="zero", parent=a, position=1), base=3)
    assert [c.node.text for c in d.tree[0].children] == ["zero", "one"]
    one = d.tree[0].children[1].id
    d = store.apply(d.id, Move(one, parent=b, position=1), base=d.revision)
    assert [c.node.text for c in d.tree[1].children] == ["one"]
    assert d.tree[1].children[0].label == "Section 1"
    with pytest.raises(ValidationError):
        store.apply(d.id, Move(a, parent=d.tree[0].children[0].id), base=d.revision)  # into its own child
    with pytest.raises(ValidationError):
        store.apply(d.id, Write(kind=Kind.SECTION, parent=a, position=9), base=d.revision)
    assert s1.revision == 3


@pytest.mark.parametrize(("edit", "field", "value"), [
    (dict(heading="New heading"), "heading", "New heading"),
    (dict(text="New text."), "text", "New text."),
    (dict(rationale="Because."), "rationale", "Because."),
    (dict(status="agreed"), "status", "agreed"),
    (dict(tags=["rights", "rights", " courts "]), "tags", ("rights", "courts")),
])
def test_edit_fields(store, edit, field, value):
    d = store.create("Charter")
    pid = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="H", text="T"), base=0).tree[0].id
    d = store.apply(d.id, Edit(pid, **edit), base=1)
    assert getattr(d.nodes[pid], field) == value
    assert d.revision == 2


@pytest.mark.parametrize(("edit", "described"), [
    (dict(heading="H", text="New text.", rationale="", status="proposed"), "Edited text of Article I (H)"),
    (dict(heading="Other", text="T", rationale="Why."), "Edited heading, rationale of Article I (H)"),
    (dict(heading="H", text="T", status="agreed"), "Marked Article I (H) agreed"),
    (dict(text="T", tags=["courts"]), "Edited tags of Article I (H)"),
])
def test_the_history_names_only_the_fields_an_edit_changes(store, edit, described):
    """An editor that sends every field of its form records what was changed, not what was sent."""
    d = store.create("Charter")
    pid = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="H", text="T"), base=0).tree[0].id
    store.apply(d.id, Edit(pid, **edit), base=1)
    assert store.history(d.id)[-1].description == described


@pytest.mark.parametrize("edit", [dict(status="maybe"), dict(kind="stanza"), dict(tags="rights"), dict(),
                                  dict(text="x" * 1_000_001)])
def test_bad_edits_are_validation_errors(store, edit):
    d = store.create("Charter")
    pid = store.apply(d.id, Write(kind=Kind.ARTICLE), base=0).tree[0].id
    with pytest.raises(ValidationError):
        store.apply(d.id, Edit(pid, **edit), base=1)
    assert store.head(d.id) == 1


def test_unknown_ids_are_not_found(store):
    d = store.create("Charter")
    with pytest.raises(NotFoundError):
        store.apply(d.id, Edit("nope", text="x"), base=0)
    with pytest.raises(NotFoundError):
        store.get("no-such-draft")
    with pytest.raises(NotFoundError):
        store.get(d.id, 5)
    with pytest.raises(ValidationError):
        store.create("   ")


def test_delete_undo_redo(store):
    d = store.create("Charter")
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0)
    full = dict(d.nodes)
    d = store.apply(d.id, Delete(d.tree[0].id), base=1)
    assert d.nodes == {}
    d = store.undo(d.id)
    assert dict(d.nodes) == full and d.revision == 3
    d = store.redo(d.id)
    assert d.nodes == {}
    d = store.undo(d.id)
    d = store.undo(d.id)  # undoes the adoption
    assert d.nodes == {}
    with pytest.raises(ValidationError):
        store.undo(d.id)
    d = store.redo(d.id)
    assert dict(d.nodes) == full
    ops = [r.op for r in store.history(d.id)]
    assert ops == ["create", "adopt", "delete", "undo", "redo", "undo", "undo", "redo"]


def test_new_change_clears_redo(store):
    d = store.create("Charter")
    pid = store.apply(d.id, Write(kind=Kind.ARTICLE, text="a"), base=0).tree[0].id
    store.apply(d.id, Edit(pid, text="b"), base=1)
    store.undo(d.id)
    store.apply(d.id, Edit(pid, heading="h"), base=3)
    with pytest.raises(ValidationError):
        store.redo(d.id)


def test_history_compare_and_restore(store):
    d = store.create("Charter", author="ana")
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0, author="ana")
    sec = d.tree[0].children[0].id
    d = store.apply(d.id, Edit(sec, text="Members serve five years."), base=1, author="ben")
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="New"), base=2, author="ben")
    d = store.apply(d.id, Move(d.tree[1].id, position=1), base=3, author="ana")
    history = store.history(d.id)
    assert [(r.rev, r.author, r.op) for r in history] == [(0, "ana", "create"), (1, "ana", "adopt"),
                                                          (2, "ben", "edit"), (3, "ben", "write"), (4, "ana", "move")]
    assert all(r.at.endswith("Z") for r in history)
    cmp = compare_drafts(store.get(d.id, 1), store.get(d.id, 4))
    by_id = {c.id: c for c in cmp.changes}
    edited = by_id[sec]
    assert edited.change == "changed"
    text = next(f for f in edited.fields if f.field == "text")
    assert [(s.op, s.text) for s in text.segments] == [("equal", "Members serve "), ("delete", "four "),
                                                       ("insert", "five "), ("equal", "years.")]
    moved = by_id[d.tree[1].id]
    assert {f.field for f in moved.fields} == {"place", "number"}
    added = [c for c in cmp.changes if c.change == "added"]
    assert len(added) == 1 and added[0].label_after == "Article I"
    back = compare_drafts(store.get(d.id, 4), store.get(d.id, 0))
    assert {c.change for c in back.changes} == {"removed"} and len(back.changes) == 5
    d = store.restore(d.id, 1)
    assert d.revision == 5 and dict(d.nodes) == dict(store.get(d.id, 1).nodes)
    assert store.history(d.id)[-1].target == 1
    d = store.undo(d.id)
    assert dict(d.nodes) == dict(store.get(d.id, 4).nodes)


def test_stale_change_on_other_provision_is_merged(store):
    d = store.create("Charter")
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0)
    s1, s2 = d.tree[0].children[0].id, d.tree[0].children[1].id
    store.apply(d.id, Edit(s1, text="Ana's words."), base=1, author="ana")
    d = store.apply(d.id, Edit(s2, text="Ben's words."), base=1, author="ben")  # stale base, other provision
    assert d.revision == 3
    assert d.nodes[s1].text == "Ana's words." and d.nodes[s2].text == "Ben's words."


def test_stale_change_on_same_provision_is_refused_and_kept(store):
    d = store.create("Charter")
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0)
    s1 = d.tree[0].children[0].id
    store.apply(d.id, Edit(s1, text="Ana's words."), base=1, author="ana")
    with pytest.raises(ConflictError) as info:
        store.apply(d.id, Edit(s1, text="Ben's careful words."), base=1, author="ben")
    err = info.value
    assert err.current_revision == 2
    assert "revision 1" in err.message and "revision 2" in err.message and "rejected change #" in err.message
    assert any("ana" in line and "Section 1" in line and s1 in line for line in err.changes)
    assert err.rejected["change"]["text"] == "Ben's careful words."
    assert store.get(d.id).nodes[s1].text == "Ana's words."
    # kept in the database, so it survives the process
    kept = DraftStore().rejected(d.id)
    assert len(kept) == 1 and kept[0].author == "ben" and kept[0].change["text"] == "Ben's careful words."
    draft_id, op = store.rejected_operation(kept[0].id)
    again = store.apply(draft_id, op, base=2, author="ben")
    assert again.nodes[s1].text == "Ben's careful words."


def test_stale_edit_of_deleted_provision_is_refused(store):
    d = store.create("Charter")
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0)
    sub = d.tree[0].children[1].children[0].id
    store.apply(d.id, Delete(d.tree[0].children[1].id), base=1)
    with pytest.raises(ConflictError) as info:
        store.apply(d.id, Edit(sub, text="lost?"), base=1)
    assert info.value.rejected["change"]["text"] == "lost?"
    assert store.rejected(d.id)[0].change["text"] == "lost?"


@pytest.mark.parametrize("draft_id", ["nosuchdraft", "", "d' OR 1=1 --"])
def test_rejected_of_an_unknown_draft_is_not_found(store, draft_id):
    store.create("Known")
    with pytest.raises(NotFoundError) as info:
        store.rejected(draft_id)
    assert info.value.code == "E300" and info.value.source == draft_id


def test_rejected_of_a_known_draft_without_refusals_is_empty(store):
    d = store.create("Quiet")
    assert store.rejected(d.id) == [] and store.rejected() == []


def test_operations_serialise_for_replay():
    for op in (Adopt("xx", SOURCE, "Art. III", parent="p1", position=2, citations=(("art_3__sec_1", "§ 1"),)),
               Write(kind=Kind.CLAUSE, heading="h", text="t", parent="p", position=1, rationale="r", tags=("a",)),
               Edit("p", text="x", status="agreed", tags=("t",)), Move("p", parent=None, position=2),
               Move("p", position=3), Delete("p")):
        assert op_from_dict(op.to_dict()).to_dict() == op.to_dict()


def test_two_threads_editing_different_provisions_both_succeed(store):
    d = store.create("Charter")
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0)
    s1, s2 = d.tree[0].children[0].id, d.tree[0].children[1].id
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def drafter(pid: str, who: str) -> None:
        try:
            local = DraftStore()
            base = local.head(d.id)
            barrier.wait()
            for i in range(15):
                base = local.apply(d.id, Edit(pid, text=f"{who} {i}"), base=base, author=who).revision
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=drafter, args=(s1, "ana")), threading.Thread(target=drafter, args=(s2, "ben"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = store.get(d.id)
    assert final.revision == 31
    assert final.nodes[s1].text == "ana 14" and final.nodes[s2].text == "ben 14"


_WRITER = """
import sys
sys.path.insert(0, {repo!r})
from drafting.store import DraftStore
from drafting.ops import Edit
store = DraftStore()
draft_id, pid = sys.argv[1], sys.argv[2]
print("ready", flush=True)
i = 0
while True:
    i += 1
    store.apply(draft_id, Edit(pid, text=f"burst {{i}} " + "word " * 200), base=None, author="bot")
"""


def test_killed_writer_leaves_last_committed_revision_intact(store, tmp_path):
    d = store.create("Charter")
    d = store.apply(d.id, Adopt("xx", SOURCE, "Art. III"), base=0)
    pid = d.tree[0].children[0].id
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(repo=str(REPO)))
    proc = subprocess.Popen([sys.executable, str(script), d.id, pid], stdout=subprocess.PIPE, env=os.environ.copy())
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    deadline = time.time() + 20
    while store.head(d.id) < 30 and time.time() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with db.opened() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fresh = DraftStore()
    head = fresh.head(d.id)
    assert head >= 30
    history = fresh.history(d.id)
    assert [r.rev for r in history] == list(range(head + 1))
    final = fresh.get(d.id)
    assert final.nodes[pid].text.startswith(f"burst {head - 1} ")
    # every committed revision is complete and readable
    assert fresh.get(d.id, head - 1).nodes[pid].text.startswith(f"burst {head - 2} ")
    assert fresh.apply(d.id, Edit(pid, text="after"), base=head).revision == head + 1


@pytest.mark.parametrize(("source", "parent", "expected"), [
    (Kind.AMENDMENT, None, Kind.ARTICLE),        # US Amendment IV at the top of a draft is an article
    (Kind.SECTION, None, Kind.ARTICLE),          # so is a California section
    (Kind.ARTICLE, Kind.ARTICLE, Kind.SECTION),  # a German article placed in an article is a section
    (Kind.SUBSECTION, Kind.SECTION, Kind.SUBSECTION),
    (Kind.CLAUSE, Kind.SUBSECTION, Kind.PARAGRAPH),
    (Kind.PREAMBLE, None, Kind.PREAMBLE),
    (Kind.CHAPTER, None, Kind.CHAPTER),
    (Kind.SECTION, Kind.CHAPTER, Kind.ARTICLE),
    (Kind.ITEM, Kind.ITEM, Kind.ITEM),           # the ladder's bottom holds
])
def test_fitted_kind(source, parent, expected):
    assert fitted_kind(source, parent) == expected


def test_adopted_subtree_takes_the_levels_of_its_place(store):
    d = store.create("Fit")
    amendment = Provision("amdt_4", Kind.AMENDMENT, "IV", "", "Searches.", children=(
        Provision("amdt_4__sec_1", Kind.SECTION, "1", "", "One."),))
    d = store.apply(d.id, Adopt("us", amendment, "us:Amend. IV"), base=0)
    top = d.tree[0]
    assert (top.node.kind, top.label) == (Kind.ARTICLE, "Article I")
    assert top.children[0].node.kind is Kind.SECTION
    assert (top.node.origin.eid, top.node.origin.num) == ("amdt_4", "IV")  # where it came from stays recorded
    fifth = Provision("amdt_5", Kind.AMENDMENT, "V", "", "Process.", children=(
        Provision("amdt_5__sec_1", Kind.SECTION, "1", "", "Five."),))
    d = store.apply(d.id, Adopt("us", fifth, "us:Amend. V", parent=top.id), base=1)
    nested = d.tree[0].children[-1]
    assert [n.node.kind for n in nested.walk()] == [Kind.SECTION, Kind.SUBSECTION]
    assert store.history(d.id)[-1].description == "Adopted us:Amend. V"
