"""Defects found by the drafting audit, each pinned by a test: numbering around struck provisions,
kinds after a move across levels, eIds resolved at the revision the drafter saw, hostile imported
drafts (ids, order keys, encodings) stored whole or not at all, and a provision adopted twice."""

from __future__ import annotations

import json

import pytest

from constitutions.model import Kind, Provision
from convene.errors import ConflictError, ValidationError
from drafting.model import Draft, Node, ProvisionStatus
from drafting.ops import Edit, Move, Write
from drafting.store import DraftStore


@pytest.fixture
def store():
    return DraftStore()


def _tree(draft: Draft) -> list[tuple[str, str]]:
    """(label, heading or text) of every provision, in order, indented by depth with dots."""
    out = []

    def visit(items, depth):
        for p in items:
            out.append(("." * depth + p.label, p.node.heading or p.node.text))
            visit(p.children, depth + 1)

    visit(draft.tree, 0)
    return out


def _draft(*nodes: Node) -> Draft:
    return Draft(id="dx", title="T", nodes={n.id: n for n in nodes})


# ------------------------------------------------------------------ numbering around struck provisions

CHAPTERS = (Node("c1", Kind.CHAPTER, None, "a", "One"), Node("a1", Kind.ARTICLE, "c1", "a", "", "first"),
            Node("a2", Kind.ARTICLE, "c1", "b", "", "second"), Node("s1", Kind.SECTION, "a2", "a", "", "inner"),
            Node("c2", Kind.CHAPTER, None, "b", "Two"), Node("a3", Kind.ARTICLE, "c2", "a", "", "third"))


@pytest.mark.parametrize(("struck", "expected"), [
    ((), [("Chapter I", "One"), (".Article I", "first"), (".Article II", "second"), ("..Section 1", "inner"),
          ("Chapter II", "Two"), (".Article III", "third")]),
    # the struck chapter's articles keep a number of their own; the final text's articles restart
    (("c1",), [("Chapter (struck)", "One"), (".Article I", "first"), (".Article II", "second"),
               ("..Section 1", "inner"), ("Chapter I", "Two"), (".Article I", "third")]),
    (("a2",), [("Chapter I", "One"), (".Article I", "first"), (".Article (struck)", "second"),
               ("..Section 1", "inner"), ("Chapter II", "Two"), (".Article II", "third")]),
    (("c1", "a1"), [("Chapter (struck)", "One"), (".Article (struck)", "first"), (".Article I", "second"),
                    ("..Section 1", "inner"), ("Chapter I", "Two"), (".Article I", "third")]),
])
def test_provisions_inside_a_struck_one_do_not_advance_the_draft_wide_numbers(struck, expected):
    nodes = [Node(n.id, n.kind, n.parent, n.order, n.heading, n.text,
                  status=ProvisionStatus.STRUCK if n.id in struck else ProvisionStatus.PROPOSED) for n in CHAPTERS]
    draft = _draft(*nodes)
    assert _tree(draft) == expected
    assert len({p.eid for p in draft.walk()}) == len(nodes)  # eIds stay unique


# ------------------------------------------------------------------ kinds follow a move across levels

def _three_articles(store: DraftStore) -> tuple[str, list[str]]:
    d = store.create("Levels")
    for heading in ("A", "B", "C"):
        d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading=heading), base=d.revision)
    ids = [p.id for p in d.tree]
    d = store.apply(d.id, Write(kind=Kind.SECTION, text="b one", parent=ids[1]), base=d.revision)
    d = store.apply(d.id, Write(kind=Kind.SUBSECTION, text="b one a", parent=d.tree[1].children[0].id),
                    base=d.revision)
    return d.id, ids


@pytest.mark.parametrize(("move", "expected"), [
    # article B (with its section and subsection) moved into article A: a section, its children one level down
    (lambda ids, d: Move(ids[1], parent=ids[0]),
     [("Article I", "A"), (".Section 1", "B"), ("..(a)", "b one"), ("...(1)", "b one a"), ("Article II", "C")]),
    # B's section moved to the top level: an article of its own, its subsection a section
    (lambda ids, d: Move(d.tree[1].children[0].id, parent=None, position=2),
     [("Article I", "A"), ("Article II", "b one"), (".Section 1", "b one a"), ("Article III", "B"),
      ("Article IV", "C")]),
    # a section moved from one article to another stays a section
    (lambda ids, d: Move(d.tree[1].children[0].id, parent=ids[2]),
     [("Article I", "A"), ("Article II", "B"), ("Article III", "C"), (".Section 1", "b one"), ("..(a)", "b one a")]),
    # reordering among siblings changes no kind
    (lambda ids, d: Move(ids[2], position=1),
     [("Article I", "C"), ("Article II", "A"), ("Article III", "B"), (".Section 1", "b one"), ("..(a)", "b one a")]),
])
def test_a_moved_provision_takes_the_level_of_its_new_place(store, move, expected):
    draft_id, ids = _three_articles(store)
    d = store.get(draft_id)
    d = store.apply(draft_id, move(ids, d), base=d.revision)
    assert _tree(d) == expected
    assert store.get(draft_id) == d
    undone = store.undo(draft_id)
    assert _tree(undone) == [("Article I", "A"), ("Article II", "B"), (".Section 1", "b one"),
                             ("..(a)", "b one a"), ("Article III", "C")]


def test_a_kind_chosen_against_the_ladder_is_kept_by_a_move(store):
    d = store.create("Sections at the top")
    d = store.apply(d.id, Write(kind=Kind.SECTION, heading="S"), base=0)
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading="A"), base=1)
    s, a = (p.id for p in d.tree)
    d = store.apply(d.id, Move(s, parent=a), base=2)
    assert d.nodes[s].kind is Kind.SECTION and _tree(d) == [("Article I", "A"), (".Section 1", "S")]
    d = store.apply(d.id, Move(s, parent=None), base=3)
    assert d.nodes[s].kind is Kind.ARTICLE  # a section of an article, moved to the top, is an article


# ------------------------------------------------------------------ hostile text that SQLite cannot store

def test_an_author_or_title_with_lone_surrogates_is_stored_without_them(store):
    d = store.create("Title\udcff here", author="ana\udcff")
    assert (d.title, d.author) == ("Title here", "ana")
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, text="x"), base=0, author="b\ud800en")
    assert [r.author for r in store.history(d.id)] == ["ana", "ben"]
    assert store.get(d.id).title == "Title here"


def test_provision_ids_are_not_confused_with_edits_of_other_fields(store):
    d = store.create("Plain")
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, text="x"), base=0)
    pid = d.tree[0].id
    d = store.apply(d.id, Edit(pid, heading="H\ud800"), base=1)
    assert d.nodes[pid].heading == "H"


# ------------------------------------------------------------------ command line: eIds mean what the drafter saw

def _cli():
    """The ``convene draft`` runner of the command-line tests."""
    from tests.test_draft_cli import run

    return run


def _show(run, draft_id: str) -> list[tuple[str, str, str]]:
    data = json.loads(run("show", draft_id, "--json").stdout)
    return [(p["label"], p["heading"], p["text"]) for p in data["provisions"]]


@pytest.mark.parametrize(("command", "expected"), [
    # art_2 was B when the drafter looked (revision 3); C moved to the front since, so art_2 is now A
    (("edit", "art_2", "--base", "3", "--text", "meant for B"),
     [("Article I", "C", ""), ("Article II", "A", ""), ("Article III", "B", "meant for B")]),
    (("delete", "art_2", "--base", "3"), [("Article I", "C", ""), ("Article II", "A", "")]),
    (("write", "--parent", "art_2", "--base", "3", "--kind", "section", "--text", "under B"),
     [("Article I", "C", ""), ("Article II", "A", ""), ("Article III", "B", "")]),
])
def test_an_eid_given_with_base_names_the_provision_it_named_at_that_revision(command, expected):
    run = _cli()
    draft_id = run("new", "Names").stdout.strip()
    for heading in ("A", "B", "C"):
        run("write", draft_id, "--heading", heading)
    run("move", draft_id, "art_3", "--position", "1", "--base", "3")
    name, *rest = command
    run(name, draft_id, *rest)
    assert _show(run, draft_id) == expected
    if name == "write":
        data = json.loads(run("show", draft_id, "--json").stdout)
        assert [c["text"] for c in data["provisions"][2]["children"]] == ["under B"]


def test_a_stale_edit_of_a_provision_deleted_since_is_kept_as_rejected():
    run = _cli()
    draft_id = run("new", "Kept").stdout.strip()
    run("write", draft_id, "--heading", "A")
    run("delete", draft_id, "art_1", "--base", "1")
    result = run("edit", draft_id, "art_1", "--base", "1", "--text", "words typed before the deletion", code=3)
    assert "rejected change #1" in result.stderr
    kept = json.loads(run("rejected", draft_id, "--json").stdout)
    assert kept[0]["change"]["text"] == "words typed before the deletion"


# ------------------------------------------------------------------ imported drafts: hostile ids, order, atomicity

def _file(tmp_path, provisions: list, name: str = "in.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"format": "convene-draft", "schema": 1, "id": "imp", "title": "Imported",
                                "provisions": provisions}), encoding="utf-8")
    return path


def _shape(draft: Draft) -> list[tuple[int, str]]:
    """(depth, text) of every provision in order: the structure without the ids."""
    out = []

    def visit(items, depth):
        for p in items:
            out.append((depth, p.node.text))
            visit(p.children, depth + 1)

    visit(draft.tree, 0)
    return out


@pytest.mark.parametrize("hostile", ["", "top", "a\x01b", "<b>&amp;", "../x", "p" * 65, "a\ud800b", " p1", "é"])
def test_an_imported_provision_id_a_command_cannot_name_is_replaced_and_its_children_stay(store, tmp_path, hostile):
    from drafting.sources import read_draft_file

    path = _file(tmp_path, [{"id": hostile, "kind": "article", "text": "parent", "children": [
        {"id": "kid", "kind": "section", "text": "child"}]}, {"id": "p2", "kind": "article", "text": "after"}])
    d = store.import_draft(read_draft_file(path))
    assert _shape(d) == [(0, "parent"), (1, "child"), (0, "after")]
    assert hostile not in d.nodes and {"kid", "p2"} <= set(d.nodes)
    new = d.tree[0].id
    assert new.isalnum() and d.nodes["kid"].parent == new
    assert store.get(d.id) == d
    d = store.apply(d.id, Edit(new, text="edited parent"), base=d.revision)  # the new id can be named
    assert d.nodes[new].text == "edited parent"


@pytest.mark.parametrize("orders", [
    [None, None, None],           # a hand-written file: no keys at all (they sorted by id, not as listed)
    ["a", "a", "a"],
    ["z", "m", "a"],              # valid keys contradicting the listed order
    ["Z!", "a", "b"],             # a key the draft could not insert next to
    ["b0", "c", "d"],
    [3, "c", "d"],
])
def test_an_imported_draft_keeps_the_order_its_file_lists(store, tmp_path, orders):
    from drafting.sources import read_draft_file

    items = [{"id": pid, "kind": "article", "text": pid, **({} if order is None else {"order": order})}
             for pid, order in zip(("pc", "pa", "pb"), orders, strict=True)]
    d = store.import_draft(read_draft_file(_file(tmp_path, items)))
    assert [p.node.text for p in d.tree] == ["pc", "pa", "pb"]
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, text="new", position=2), base=d.revision)
    assert [p.node.text for p in d.tree] == ["pc", "new", "pa", "pb"]


def test_an_imported_draft_with_good_order_keys_keeps_them():
    data = {"format": "convene-draft", "schema": 1, "id": "k", "title": "K", "provisions": [
        {"id": "p1", "kind": "article", "order": "4", "text": "one"},
        {"id": "p2", "kind": "article", "order": "8", "text": "two"}]}
    assert [(n.id, n.order) for n in Draft.from_dict(data).nodes.values()] == [("p1", "4"), ("p2", "8")]


def test_an_import_that_fails_midway_stores_nothing(store, tmp_path, monkeypatch):
    import sqlite3

    from convene.errors import StoreError
    from drafting.sources import read_draft_file

    store.create("Already here")
    before = [(s.id, s.revision) for s in store.list()]
    draft = read_draft_file(_file(tmp_path, [{"id": "p1", "kind": "article", "text": "words"}]))

    def failing_write(self, conn, *args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(DraftStore, "_write", failing_write)
        with pytest.raises(StoreError) as info:
            store.import_draft(draft)
    assert "disk I/O error" in str(info.value)
    assert [(s.id, s.revision) for s in DraftStore().list()] == before


@pytest.mark.parametrize("bad", ["", "top", "a\ud800", "a b", "x" * 65, "<p>"])
def test_a_written_provision_with_an_unnameable_id_is_refused(store, bad):
    from convene.errors import ValidationError

    d = store.create("Ids")
    if bad == "":
        assert store.apply(d.id, Write(kind=Kind.ARTICLE, id=bad), base=0).revision == 1  # "" = a fresh id
        return
    with pytest.raises(ValidationError):
        store.apply(d.id, Write(kind=Kind.ARTICLE, id=bad), base=0)
    assert store.head(d.id) == 0


def test_an_adoption_replayed_with_ids_already_in_the_draft_overwrites_nothing(store):
    from convene.errors import ValidationError
    from drafting.ops import Adopt

    d = store.create("Replay")
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, text="mine", id="p1"), base=0)
    source = Provision("art_1", Kind.ARTICLE, "1", "", "theirs")
    for ids in (("p1",), ("a b",)):
        with pytest.raises(ValidationError):
            store.apply(d.id, Adopt("xx", source, "xx:Art. 1", ids=ids), base=1)
    assert store.get(d.id).nodes["p1"].text == "mine" and store.head(d.id) == 1


# ------------------------------------------------------------------ imported files: encodings and field shapes

_SAMPLE = {"format": "convene-draft", "schema": 1, "id": "enc", "title": "Café charter",
           "provisions": [{"id": "p1", "kind": "article", "text": "Liberté, “quoted”."}]}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_draft_file_in_a_unicode_encoding_is_read(tmp_path, encoding):
    from drafting.sources import read_draft_file

    path = tmp_path / "d.json"
    path.write_bytes(json.dumps(_SAMPLE, ensure_ascii=False).encode(encoding))
    draft = read_draft_file(path)
    assert (draft.title, draft.nodes["p1"].text) == ("Café charter", "Liberté, “quoted”.")


@pytest.mark.parametrize(("encoding", "byte"), [("latin-1", "0xe9"), ("cp1252", "0xe9")])
def test_a_draft_file_in_a_legacy_encoding_is_refused_naming_the_byte(tmp_path, encoding, byte):
    from convene.errors import ReadError
    from drafting.sources import read_draft_file

    path = tmp_path / "d.json"
    path.write_bytes(json.dumps({**_SAMPLE, "provisions": []}, ensure_ascii=False).encode(encoding))
    with pytest.raises(ReadError) as info:
        read_draft_file(path)
    assert info.value.source == str(path) and "not UTF-8 text" in info.value.message and byte in info.value.message


@pytest.mark.parametrize(("change", "says"), [
    ({"revision": 1e999}, "bad draft revision"),
    ({"provisions": [{"id": "p1", "kind": "article", "tags": "rights"}]}, '"tags" must be a list of text'),
    ({"provisions": [{"id": "p1", "kind": "article", "tags": ["a", 5]}]}, '"tags" must be a list of text'),
    ({"provisions": [{"id": "p1", "kind": "article", "text": ["a", "b"]}]}, '"text" must be text'),
    ({"provisions": [{"id": {"x": 1}, "kind": "article"}]}, '"id" must be text'),
    ({"provisions": [{"id": "p1", "kind": "article", "origin": "adopted"}]}, '"origin" must be an object'),
    ({"provisions": [{"id": "p1", "kind": "article", "origin": {"type": "adopted", "document": ["us"]}}]},
     '"origin.document" must be text'),
])
def test_a_draft_file_with_a_field_of_the_wrong_shape_is_a_read_error_naming_it(tmp_path, change, says):
    from convene.errors import ReadError
    from drafting.sources import read_draft_file

    path = tmp_path / "d.json"
    path.write_text(json.dumps({**_SAMPLE, **change}), encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_draft_file(path)
    assert says in info.value.message and info.value.source == str(path)


# ------------------------------------------------------------------ a provision adopted twice

ART = Provision("art_3", Kind.ARTICLE, "III", "Assembly", "It meets.", children=(
    Provision("art_3__sec_1", Kind.SECTION, "1", "", "Terms are short."),
    Provision("art_3__sec_2", Kind.SECTION, "2", "", "A speaker presides."),))


@pytest.mark.parametrize(("first", "second", "says"), [
    (ART, ART, "Article I"),                             # the same article again
    (ART, ART.children[1], "Article I, Section 2"),      # a section already adopted inside its article
    (ART.children[0], ART, "Article I"),                 # an article whose section was adopted on its own
])
def test_a_provision_already_in_the_draft_is_not_adopted_again(store, first, second, says):
    from convene.errors import ValidationError
    from drafting.ops import Adopt

    d = store.create("Twice")
    d = store.apply(d.id, Adopt("xx", first, f"xx:{first.eid}"), base=0)
    with pytest.raises(ValidationError) as info:
        store.apply(d.id, Adopt("xx", second, f"xx:{second.eid}"), base=1)
    assert "already in draft" in info.value.message and says in info.value.message
    assert store.head(d.id) == 1
    # another document's provision with the same eId is a different provision
    assert store.apply(d.id, Adopt("yy", second, f"yy:{second.eid}"), base=1).revision == 2


def test_a_provision_can_be_adopted_again_once_deleted_and_two_sessions_cannot_both_adopt_it(store):
    from drafting.ops import Adopt, Delete

    d = store.create("Again")
    d = store.apply(d.id, Adopt("xx", ART, "xx:Art. III"), base=0)
    d = store.apply(d.id, Delete(d.tree[0].id), base=1)
    d = store.apply(d.id, Adopt("xx", ART, "xx:Art. III"), base=2)
    assert len(d.nodes) == 3
    with pytest.raises(ConflictError) as info:  # a second session, based on the same revision as the first
        store.apply(d.id, Adopt("xx", ART, "xx:Art. III"), base=2)
    assert "already in draft" in info.value.message and "rejected change #1" in info.value.message
    assert len(store.get(d.id).nodes) == 3
    with pytest.raises(ValidationError):  # the same, seen at the current revision: plainly refused
        store.apply(d.id, Adopt("xx", ART, "xx:Art. III"), base=3)


@pytest.mark.parametrize(("stale_op", "kept_field"), [
    (lambda ids: Write(kind=Kind.ARTICLE, text="long careful words", position=4), "text"),
    (lambda ids: Move(ids[0], position=3), "provision"),
])
def test_a_stale_change_made_impossible_by_changes_since_is_kept_as_rejected(store, stale_op, kept_field):
    from drafting.ops import Delete

    d = store.create("Positions")
    for heading in "ABC":
        d = store.apply(d.id, Write(kind=Kind.ARTICLE, heading=heading), base=d.revision)
    ids = [p.id for p in d.tree]
    store.apply(d.id, Delete(ids[2]), base=3, author="ana")
    with pytest.raises(ConflictError) as info:  # based on revision 3, where position 4 existed
        store.apply(d.id, stale_op(ids), base=3, author="ben")
    assert "out of range" in info.value.message and "revision 4 by ana" in info.value.changes[0]
    assert kept_field in store.rejected(d.id)[0].change
    with pytest.raises(ValidationError):  # out of range at the revision it was based on: a plain mistake
        store.apply(d.id, Write(kind=Kind.ARTICLE, position=9), base=3)


# ------------------------------------------------------------------ a failing database is a StoreError everywhere

@pytest.mark.parametrize(("call", "table"), [
    (lambda s, d: s.get(d, 1), "draft_node_versions"), (lambda s, d: s.history(d), "draft_revisions"),
    (lambda s, d: s.list(), "draft_revisions"), (lambda s, d: s.revision(d, 1), "draft_revisions"),
    (lambda s, d: s.rejected(d), "draft_rejected"), (lambda s, d: s.undo(d), "draft_revisions"),
    (lambda s, d: s.apply(d, Write(kind=Kind.ARTICLE), base=2), "draft_revisions"),
    (lambda s, d: s.create("Another"), "draft_revisions"),
])
def test_a_database_that_fails_under_a_reader_or_writer_is_a_store_error(store, call, table):
    from convene import db
    from convene.errors import StoreError

    d = store.create("Damaged")
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, text="kept"), base=0)
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, text="also kept"), base=1)
    with db.opened(store.path) as conn:  # another tool damages the schema behind this process's back
        conn.execute(f"ALTER TABLE {table} RENAME TO elsewhere")
    with pytest.raises(StoreError) as info:
        call(store, d.id)
    assert table in info.value.message and info.value.source == str(store.path)
    with db.opened(store.path) as conn:
        conn.execute(f"ALTER TABLE elsewhere RENAME TO {table}")
    assert store.get(d.id) == d  # nothing was lost


# ------------------------------------------------------------------ Unicode normalisation

@pytest.mark.parametrize(("field", "stored", "typed", "changes"), [
    ("text", "Égalité des citoyens", "E\u0301galite\u0301 des citoyens", False),  # same words, decomposed
    ("heading", "Droits", "Droits", False),
    ("rationale", "Pour la sûreté", "Pour la su\u0302rete\u0301", False),
    ("text", "Égalité des citoyens", "Egalite des citoyens", True),               # accents really removed
])
def test_an_edit_that_only_changes_the_unicode_form_changes_nothing(store, field, stored, typed, changes):
    d = store.create("Forms")
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, **{field: stored}), base=0)
    pid = d.tree[0].id
    after = store.apply(d.id, Edit(pid, **{field: typed}), base=1)
    assert (after.revision == 2) is changes
    assert getattr(after.nodes[pid], field) == (typed if changes else stored)


def test_tags_in_two_unicode_forms_are_one_tag(store):
    d = store.create("Tags")
    d = store.apply(d.id, Write(kind=Kind.ARTICLE, tags=("café", "cafe\u0301", "droits")), base=0)
    assert d.tree[0].node.tags == ("café", "droits")


# ------------------------------------------------------------------ history says what a deletion took with it

@pytest.mark.parametrize(("target", "description"), [
    (lambda d: d.tree[1].id, "Deleted Article II (B) and the 2 provisions inside it"),
    (lambda d: d.tree[1].children[0].id, "Deleted Section 1 and the 1 provision inside it"),
    (lambda d: d.tree[0].id, "Deleted Article I (A)"),
])
def test_the_history_of_a_deletion_counts_the_provisions_inside(store, target, description):
    from drafting.ops import Delete

    draft_id, _ = _three_articles(store)
    d = store.get(draft_id)
    d = store.apply(draft_id, Delete(target(d)), base=d.revision, author="ana")
    last = store.history(draft_id)[-1]
    assert (last.author, last.description) == ("ana", description) and last.at.endswith("Z")


@pytest.mark.parametrize(("index", "position", "moves"), [
    (0, 1, False), (1, 2, False), (2, None, False), (2, 3, False),
    (0, 2, True), (2, 1, True), (0, None, True),
])
def test_a_move_to_where_the_provision_already_is_changes_nothing(store, index, position, moves):
    draft_id, ids = _three_articles(store)
    d = store.get(draft_id)
    after = store.apply(draft_id, Move(ids[index], position=position), base=d.revision)
    assert (after.revision == d.revision + 1) is moves
    order = [p.id for p in after.tree]
    assert order.index(ids[index]) + 1 == (position or 3)
