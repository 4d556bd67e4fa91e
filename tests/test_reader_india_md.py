"""India Markdown tree reader: the real indian-law-git tree, plus synthetic folders."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from constitutions.model import Kind, State
from constitutions.readers import india_md, read_path
from convene.errors import ReadError

IN = "india/indian-law-git"


@pytest.fixture(scope="module")
def in_doc(corpus_doc):
    return corpus_doc(IN)


def _articles(doc):
    return [loc.provision for loc in doc.walk() if loc.provision.kind is Kind.ARTICLE]


# ------------------------------------------------------------------ the real document


def test_document_metadata(in_doc):
    assert (in_doc.id, in_doc.jurisdiction, in_doc.format, in_doc.title) == (
        "in", "in", "india-md", "Constitution of India")
    assert in_doc.version == "1983-02-02"  # the newest current_as_of in the tree
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", in_doc.version)


def test_436_articles_403_active_33_repealed(in_doc):
    articles = _articles(in_doc)
    assert len(articles) == 436
    assert sum(a.status.in_force for a in articles) == 403
    assert sum(a.status.state is State.REPEALED for a in articles) == 33


def test_articles_1_to_395_with_lettered_ones(in_doc):
    nums = {a.num for a in _articles(in_doc)}
    assert {str(n) for n in range(1, 396)} <= nums
    assert {"2A", "31A", "31B", "31C", "31D", "32A", "39A", "48A", "51A", "300A", "371F"} <= nums
    assert all(re.fullmatch(r"\d+[A-Z]{0,2}", n) for n in nums)


def test_top_level_order(in_doc):
    kinds = [p.kind for p in in_doc.provisions]
    assert kinds == [Kind.PREAMBLE] + [Kind.PART] * 24 + [Kind.SCHEDULE] * 10
    parts = [p.num for p in in_doc.provisions if p.kind is Kind.PART]
    assert parts[:6] == ["I", "II", "III", "IV", "IVA", "V"]
    assert parts[-3:] == ["XX", "XXI", "XXII"] and "XIVA" in parts
    assert in_doc.get("part_3").heading == "Fundamental Rights"
    assert in_doc.locate("art_19").parent.num == "III"
    assert [p.num for p in in_doc.provisions if p.kind is Kind.SCHEDULE] == [str(n) for n in range(1, 11)]


def _order(num):
    digits = re.match(r"\d+", num).group()
    return int(digits), num[len(digits):]


@pytest.mark.parametrize(("part", "repealed"), [("part_11", "259"), ("part_12", "278"), ("part_21", "379")])
def test_repealed_articles_stand_in_number_order(in_doc, part, repealed):
    # the part files list only the articles in force; a repealed one goes back in its place, not at the end
    nums = [a.num for a in in_doc.get(part).children]
    assert nums == sorted(nums, key=_order)
    assert in_doc.get(f"art_{repealed}").status.state is State.REPEALED and repealed in nums


def test_every_part_is_in_number_order(in_doc):
    for part in in_doc.provisions:
        nums = [a.num for a in part.children if a.kind is Kind.ARTICLE]
        assert nums == sorted(nums, key=_order), part.eid


def test_article_19_nesting(in_doc):
    article = in_doc.get("art_19")
    assert (article.num, article.heading) == ("19", "Protection of certain rights regarding freedom of speech, etc")
    assert [c.num for c in article.children] == [f"({n})" for n in range(1, 7)]
    clause = in_doc.get("art_19__cl_1")
    assert clause.text == "All citizens shall have the right —"
    assert [(c.kind, c.num) for c in clause.children] == [(Kind.PARAGRAPH, f"({x})") for x in "abcdefg"]
    assert in_doc.get("art_19__cl_1__para_a").text == "to freedom of speech and expression;"
    assert [c.num for c in in_doc.get("art_19__cl_6").children] == ["(i)", "(ii)"]
    assert in_doc.get("art_19__cl_6__subpara_ii").kind is Kind.SUBPARAGRAPH
    assert article.meta["amended_by"].startswith("The Constitution (First Amendment) Act, 1951; ")
    assert article.meta["current_as_of"] == "1979-04-30"


def test_omission_notes_are_status_not_text(in_doc):
    omitted = in_doc.get("art_19__cl_1__para_f")
    assert (omitted.text, omitted.status.state) == ("", State.REPEALED)
    assert omitted.status.note.startswith("Omitted by the Constitution (Forty-fourth Amendment) Act, 1978, s. 2.")
    repealed = in_doc.get("art_2A")
    assert repealed.status.note == "Omitted by The Constitution (Thirty-sixth Amendment) Act, 1975."
    assert repealed.text == "" and repealed.meta["notes"].startswith("Section 5(a) of the 36th Amendment")
    for loc in in_doc.walk():
        text = loc.provision.text
        assert "[Omitted" not in text and "*" not in text and not text.startswith("#"), loc.provision.eid


@pytest.mark.parametrize(("eid", "start", "end"), [
    ("art_21", "No person shall be deprived of his life or personal liberty", "procedure established by law."),
    ("art_2", "Parliament may by law admit into the Union", "as it thinks fit."),  # "2." prefix dropped
    ("art_1__cl_1", "India, that is Bharat, shall be a Union of States.", "Union of States."),  # "(1)." printed
    ("preamble", "WE, THE PEOPLE OF INDIA,", "GIVE TO OURSELVES THIS CONSTITUTION."),
])
def test_text_fidelity(in_doc, eid, start, end):
    text = in_doc.get(eid).text
    assert text.startswith(start) and text.endswith(end)


def test_roman_and_letter_ambiguity(in_doc):
    # "(b) (i) ..." opens two levels; "(d) (i)" with "(ii)" on the next line likewise.
    assert [c.num for c in in_doc.get("art_6__para_b").children] == ["(i)", "(ii)"]
    assert [c.num for c in in_doc.get("art_112__cl_3__para_d").children] == ["(i)", "(ii)", "(iii)"]


def test_schedules(in_doc):
    first = in_doc.get("sched_1")
    assert first.heading == "The States and the Union Territories"
    assert [c.heading for c in first.children] == ["I. The States", "II. The Union Territories"]
    rows = first.children[0].text.split("\n\n")
    assert rows[0] == "Name | Territories" and rows[1].startswith("1. Andhra Pradesh | The territories")
    assert [c.heading for c in in_doc.get("sched_7").children] == [
        "List I — Union List", "List II — State List", "List III — Concurrent List"]
    assert in_doc.get("sched_10").status.state is State.REPEALED


def test_eids_are_unique(in_doc):
    eids = [loc.provision.eid for loc in in_doc.walk()]
    assert len(eids) == len(set(eids))


# ------------------------------------------------------------------ front matter parser


@pytest.mark.parametrize(("text", "expected"), [
    ('---\narticle: 19\ntitle: "A \\"quoted\\" title"\nrepealed_by: null\n---\nbody',
     {"article": 19, "title": 'A "quoted" title', "repealed_by": None}),
    ("---\narticles: [12, \"31A\", 'x, y']\namended_by: []\n---\n",
     {"articles": [12, "31A", "x, y"], "amended_by": []}),
    ('---\namended_by:\n  - "One"\n  - Two\nstatus: active\n---\n', {"amended_by": ["One", "Two"], "status": "active"}),
])
def test_front_matter_subset(text, expected):
    assert india_md.parse_front_matter(text, "x.md")[0] == expected


@pytest.mark.parametrize(("text", "message"), [
    ("# no front matter", "no YAML front matter"),
    ("---\narticle: 1\n", "not closed"),
    ("---\njust words\n---\n", "line 2 is not 'key: value'"),
    ('---\ntitle: "unterminated\n---\n', "bad double-quoted string"),
    ("---\nlist: [1, 2\n---\n", "unclosed list"),
    ("---\nanchor: &a 1\n---\n", "unsupported YAML"),
])
def test_bad_front_matter(text, message):
    with pytest.raises(ReadError, match=re.escape(message)):
        india_md.parse_front_matter(text, "x.md")


# ------------------------------------------------------------------ synthetic folders


def _article(num: str, body: str, **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    head = f'---\narticle: {num}\npart: I\ntitle: "T{num}"\nstatus: active\n{extra}---\n\n'
    return f"{head}# Article {num}. T{num}\n\n{body}"


def _tree(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


_PART = '---\npart: I\ntitle: "Opening"\narticles: [1, "1A"]\n---\n\n# Part I\n\nAbout this part (not law).\n'


def test_synthetic_unlisted_repealed_article_keeps_its_place(tmp_path):
    part = _PART.replace('articles: [1, "1A"]', "articles: [1, 3]")
    folder = _tree(tmp_path / "in", {
        "articles/article-001.md": _article("1", "(1) Kites may fly."),
        "articles/article-002.md": _article("2", "*[Omitted.]*").replace("active", "repealed"),
        "articles/article-003.md": _article("3", "(1) Owls may not."),
        "parts/part-i.md": part,
    })
    assert [a.num for a in read_path(folder).get("part_1").children] == ["1", "2", "3"]


def test_synthetic_tree(tmp_path):
    folder = _tree(tmp_path / "in", {
        "articles/article-001.md": _article("1", "(1) Kites may fly.\n\n(a) by day;\n\n(b) by night.\n\n"
                                                 "Provided that none fly low.\n\n*[A note by the editors.]*",
                                            current_as_of='"2001-02-03"'),
        "articles/article-001A.md": _article("1A", "*[Omitted.]*", repealed_by='"Act Two"',
                                             current_as_of='"2004-05-06"').replace("active", "repealed"),
        "parts/part-i.md": _PART,
    })
    assert india_md.sniff_dir(folder)
    doc = read_path(folder)
    assert doc.version == "2004-05-06"
    assert [a.num for a in doc.get("part_1").children] == ["1", "1A"]
    clause = doc.get("art_1__cl_1")
    assert clause.text == "Kites may fly.\n\nProvided that none fly low."
    assert clause.meta["wrap_up"] == "Provided that none fly low."
    assert [c.text for c in clause.children] == ["by day;", "by night."]
    assert doc.get("art_1__cl_1").meta["notes"] == "A note by the editors."
    assert doc.get("art_1A").status.note == "Omitted by Act Two."
    assert doc.get("part_1").text == ""  # the part file's prose is the repository's, not the Constitution's


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_out_of_the_folder_is_refused(tmp_path):
    _tree(tmp_path, {"secret.md": _article("2", "Secret.")})
    folder = _tree(tmp_path / "in", {"articles/article-001.md": _article("1", "Text."), "parts/part-i.md": _PART})
    (folder / "articles" / "article-002.md").symlink_to(tmp_path / "secret.md")
    with pytest.raises(ReadError, match="outside the folder"):
        read_path(folder)


@pytest.mark.parametrize(("name", "text", "message"), [
    ("articles/article-002.md", "---\narticle: [2]\n---\n", "must be a number like 19 or 31A"),
    ("articles/article-002.md", "---\narticle 2\n---\n", "is not 'key: value'"),
    ("articles/article-002.md", "no front matter at all", "no YAML front matter"),
    ("articles/article-002.md", _article("1", "Again."), "article 1 appears twice"),
    ("articles/article-002.md", "---\narticle: 2\ntitle: café\n---\n", "not valid utf-8"),
    ("parts/part-ii.md", "---\ntitle: \"No number\"\n---\n", "needs 'part' and an 'articles' list"),
])
def test_bad_trees_are_read_errors(tmp_path, name, text, message):
    folder = _tree(tmp_path / "in", {"articles/article-001.md": _article("1", "Text."), "parts/part-i.md": _PART})
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode("latin-1" if "utf-8" in message else "utf-8"))
    with pytest.raises(ReadError, match=re.escape(message)):
        read_path(folder)


def test_sniff_dir_declines_other_folders(tmp_path):
    assert not india_md.sniff_dir(tmp_path)
    _tree(tmp_path, {"articles/article-001.md": "# no front matter"})
    assert not india_md.sniff_dir(tmp_path)
