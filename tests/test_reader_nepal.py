"""Nepal JSON tree reader: the real dataset, plus synthetic folders (hostile paths, repairs)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from constitutions.model import Kind
from constitutions.readers import nepal, read_path
from convene.errors import ReadError


@pytest.fixture(scope="module")
def np_doc(corpus_doc):
    return corpus_doc("nepal")


# ------------------------------------------------------------------ the real document


def test_document_metadata(np_doc):
    assert (np_doc.id, np_doc.jurisdiction, np_doc.format, np_doc.year, np_doc.version) == (
        "np", "np", "nepal-json", 2015, "2015-09-20")
    assert np_doc.title == "Constitution of Nepal"


def test_preamble_then_35_parts(np_doc):
    assert np_doc.provisions[0].kind is Kind.PREAMBLE
    parts = np_doc.provisions[1:]
    assert [(p.kind, p.num, p.eid) for p in parts] == [(Kind.PART, str(n), f"part_{n}") for n in range(1, 36)]
    assert (parts[0].heading, parts[-1].heading) == ("Preliminary", "Short Title, Commencement and Repeal")
    assert np_doc.get("preamble").text.startswith("We, the Sovereign People of Nepal,")


def test_articles_1_to_308_in_order_with_unprefixed_eids(np_doc):
    articles = [loc for loc in np_doc.walk() if loc.provision.kind is Kind.ARTICLE]
    assert [loc.provision.num for loc in articles] == [str(n) for n in range(1, 309)]
    assert [loc.provision.eid for loc in articles] == [f"art_{n}" for n in range(1, 309)]
    assert all(loc.parent.kind is Kind.PART for loc in articles)
    assert np_doc.locate("art_17").parent.num == "3"


def test_counts_after_rejoining_fragments(np_doc):
    # The raw dataset has 1,291 clause items and 423 sub-clause items (MANIFEST); 335 of them are
    # pieces of sentences cut at cross references ("under clause" / 2 / ", political parties ...").
    # Article 51's group (a), whose heading the dataset lacks, is the one paragraph it does not give as an item.
    counts = (np_doc.count(Kind.CLAUSE), np_doc.count(Kind.PARAGRAPH), np_doc.count(Kind.ITEM))
    assert counts == (998, 376, 6)
    assert np_doc.meta["rejoined_fragments"] == "335"
    assert sum(counts) + 335 - 1 == 1291 + 423


def test_clause_numbers_are_sequential(np_doc):
    for loc in np_doc.walk():
        article = loc.provision
        if article.kind is Kind.ARTICLE and article.num != "51":
            nums = [c.num for c in article.children]
            assert nums == [f"({n})" for n in range(1, len(nums) + 1)], article.eid
    for group in np_doc.get("art_51").children:
        nums = [c.num for c in group.children]
        assert nums == [f"({n})" for n in range(1, len(nums) + 1)], group.eid


def test_article_51_policies_in_lettered_groups(np_doc):
    # The dataset gives each group's heading as a sub-clause of the previous group's last policy and
    # restarts the numbering; the Constitution prints "(b) Policies relating to ...: (1) ... (2) ...".
    groups = np_doc.get("art_51").children
    assert [(g.kind, g.num, len(g.children)) for g in groups] == [
        (Kind.PARAGRAPH, f"({letter})", n)
        for letter, n in zip("abcdefghijklm", (7, 6, 7, 13, 5, 8, 9, 15, 6, 14, 3, 0, 2), strict=True)]
    assert (groups[0].heading, groups[0].meta["note"]) == ("", "the dataset does not give this group's heading")
    assert groups[1].heading == "Policies relating to political and governance system of State"
    assert (groups[11].heading, groups[11].text[:27]) == ("Policies relating to tourism", "To develop eco-friendly tou")
    assert np_doc.get("art_51__para_h__cl_8").text.startswith("to make private sector investment in the health")
    assert not [c.eid for g in groups for c in g.children if c.children]  # no heading left as a sub-clause


def test_article_1_text(np_doc):
    article = np_doc.get("art_1")
    assert (article.heading, article.text) == ("Constitution as the fundamental law", "")
    assert [(c.eid, c.num) for c in article.children] == [("art_1__cl_1", "(1)"), ("art_1__cl_2", "(2)")]
    assert article.children[0].text.startswith("This Constitution is the fundamental law of Nepal.")
    assert article.children[0].text.endswith("be void.")
    assert article.children[1].text == "It shall be the duty of every person to observe this Constitution."


@pytest.mark.parametrize(("eid", "text"), [
    ("art_84__cl_3", "In fielding candidacy under clause (2), political parties shall provide for representation"),
    ("art_77__cl_2__para_c", "if the office of Prime Minister falls vacant under sub-clause (a), (b) or (c) of "
                             "clause (1),"),
    ("art_17__cl_2__item_1", "Nothing in sub-clause (a) shall be deemed to prevent"),
    ("art_153__cl_2", "The term of office of the members under sub-clauses (d) and (e) of clause (1) shall"),
    ("art_2", "The sovereignty and state authority of Nepal shall be vested in the Nepalese people."),
])
def test_rejoined_text(np_doc, eid, text):
    assert np_doc.get(eid).text.startswith(text)


def test_sub_clauses_and_proviso_items(np_doc):
    clause = np_doc.get("art_17__cl_2")
    assert [(c.kind, c.num) for c in clause.children] == (
        [(Kind.PARAGRAPH, f"({x})") for x in "abcdef"] + [(Kind.ITEM, f"({n})") for n in range(1, 7)])
    assert [c.num for c in np_doc.get("art_77__cl_2").children] == ["(a)", "(b)", "(c)", "(d)"]
    for loc in np_doc.walk():
        clause = loc.provision
        if clause.kind in (Kind.CLAUSE, Kind.ITEM) and not clause.eid.startswith("art_51__"):
            letters = [c.num for c in clause.children if c.kind is Kind.PARAGRAPH]
            assert letters == [f"({chr(ord('a') + i)})" for i in range(len(letters))], clause.eid


def test_no_dangling_references(np_doc):
    dangling = re.compile(r"\b(?:clauses?|sub-clauses?|Articles?)$")
    assert not [loc.provision.eid for loc in np_doc.walk() if dangling.search(loc.provision.text)]


# ------------------------------------------------------------------ synthetic folders


def _write(folder: Path, files: dict[str, object]) -> Path:
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return folder


def _index(*files: str) -> dict:
    return {"title": "Charter of Testland", "preamble": {"file": "articles/preamble.json"},
            "parts": [{"part_number": 1, "title": "Opening",
                       "articles": [{"article_number": n, "title": f"T{n}", "file": f}
                                    for n, f in enumerate(files, start=1)]}]}


_PREAMBLE = {"title": "Preamble", "content": [{"type": "paragraph", "text": "We the testers."}]}


def _article(number: int, content: list) -> dict:
    return {"article_number": number, "part_number": 1, "title": f"T{number}", "content": content}


def test_synthetic_folder_with_fragments_and_proviso(tmp_path):
    content = [
        {"type": "clause", "clause_number": 1, "text": "Lamps shall be lit."},
        {"type": "clause", "clause_number": 2, "text": "Lamps lit under clause"},
        {"type": "clause", "clause_number": 1, "text": ", and only then, may be dimmed. Provided that:"},
        {"type": "clause", "clause_number": 1, "text": "Nothing in sub-clause",
         "subclauses": [{"type": "subclause", "subclause_number": "a", "text": "shall bar candles."}]},
        {"type": "clause", "clause_number": 2, "text": "Torches are exempt."},
        {"type": "paragraph", "text": "Explanation: a torch is portable."},
    ]
    folder = _write(tmp_path / "np", {"index.json": _index("articles/a1.json"),
                                      "articles/preamble.json": _PREAMBLE,
                                      "articles/a1.json": _article(1, content)})
    assert nepal.sniff_dir(folder)
    doc = read_path(folder)
    assert doc.format == "nepal-json"
    assert doc.get("art_1__cl_2").text == "Lamps lit under clause (1), and only then, may be dimmed. Provided that:"
    assert doc.get("art_1__cl_2__item_1").text == "Nothing in sub-clause (a) shall bar candles."
    assert doc.get("art_1__cl_2__item_2").text == "Torches are exempt.\n\nExplanation: a torch is portable."
    assert doc.get("art_1").meta["rejoined_fragments"] == "2"


def test_synthetic_lettered_groups(tmp_path):
    def clause(number, text, *subs):
        item = {"type": "clause", "clause_number": number, "text": text}
        if subs:
            item["subclauses"] = [{"type": "subclause", "subclause_number": k, "text": t} for k, t in subs]
        return item

    content = [
        clause(1, "to light lamps,"),
        clause(2, "to trim wicks.", ("b", "Policies on oil:")),
        clause(1, "to store oil,"),
        clause(2, "to count barrels.", ("c", "Policies on wax: To keep wax cool."), ("d", "On candles:")),
        clause(1, "to dip candles."),
    ]
    folder = _write(tmp_path / "np", {"index.json": _index("articles/a1.json"),
                                      "articles/preamble.json": _PREAMBLE,
                                      "articles/a1.json": _article(1, content)})
    groups = read_path(folder).get("art_1").children
    assert [(g.eid, g.num, g.heading, g.text, [c.eid for c in g.children]) for g in groups] == [
        ("art_1__para_a", "(a)", "", "", ["art_1__para_a__cl_1", "art_1__para_a__cl_2"]),
        ("art_1__para_b", "(b)", "Policies on oil", "", ["art_1__para_b__cl_1", "art_1__para_b__cl_2"]),
        ("art_1__para_c", "(c)", "Policies on wax", "To keep wax cool.", []),
        ("art_1__para_d", "(d)", "On candles", "", ["art_1__para_d__cl_1"]),
    ]


@pytest.mark.parametrize("subs", [
    [("f", "freedom to trade in any part of the land. Provided that:")],  # a proviso, in lower case
    [("b", "Provided that:")],  # a proviso
    [("b", "Anything said here, at whatever length it runs to, across more than twelve words before it:")],
])
def test_synthetic_sub_clauses_that_are_not_group_headings(tmp_path, subs):
    content = [{"type": "clause", "clause_number": 1, "text": "Clocks run.",
                "subclauses": [{"type": "subclause", "subclause_number": k, "text": t} for k, t in subs]},
               {"type": "clause", "clause_number": 1, "text": "Bells ring."}]
    folder = _write(tmp_path / "np", {"index.json": _index("articles/a1.json"),
                                      "articles/preamble.json": _PREAMBLE,
                                      "articles/a1.json": _article(1, content)})
    article = read_path(folder).get("art_1")
    assert not [c for c in article.children if c.kind is Kind.PARAGRAPH]


@pytest.mark.parametrize("bad_file", ["../outside.json", "articles/../../outside.json", "/etc/passwd"])
def test_paths_outside_the_folder_are_refused(tmp_path, bad_file):
    _write(tmp_path, {"outside.json": _article(1, [])})
    folder = _write(tmp_path / "np", {"index.json": _index(bad_file), "articles/preamble.json": _PREAMBLE})
    with pytest.raises(ReadError, match=r"outside the folder|absolute path"):
        read_path(folder)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_leading_out_is_refused(tmp_path):
    _write(tmp_path, {"secret.json": _article(1, [])})
    folder = _write(tmp_path / "np", {"index.json": _index("articles/a1.json"), "articles/preamble.json": _PREAMBLE})
    (folder / "articles" / "a1.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(ReadError, match="outside the folder"):
        read_path(folder)


@pytest.mark.parametrize(("files", "message"), [
    ({"articles/a1.json": _article(1, [])}, "missing: articles/a2.json"),
    ({"articles/a1.json": _article(1, []), "articles/a2.json": "{not json"}, "malformed JSON"),
    ({"articles/a1.json": _article(1, []), "articles/a2.json": {"article_number": 2}}, "no 'content' list"),
    ({"articles/a1.json": _article(1, []), "articles/a2.json": _article(1, [])}, "article 1 appears twice"),
    ({"articles/a1.json": _article(1, []),
      "articles/a2.json": _article(2, [{"type": "table", "text": "x"}])}, "unknown content item type"),
])
def test_bad_folders_are_read_errors(tmp_path, files, message):
    folder = _write(tmp_path / "np", {"index.json": _index("articles/a1.json", "articles/a2.json"),
                                      "articles/preamble.json": _PREAMBLE, **files})
    with pytest.raises(ReadError, match=re.escape(message)):
        read_path(folder)


@pytest.mark.parametrize("index", ["[]", "{broken", json.dumps({"parts": []}),
                                   json.dumps({"parts": [{"articles": [{"title": "no file"}]}]})])
def test_sniff_dir_declines_other_folders(tmp_path, index):
    (tmp_path / "index.json").write_text(index)
    assert not nepal.sniff_dir(tmp_path)
    assert not nepal.sniff_dir(tmp_path / "does-not-exist")
