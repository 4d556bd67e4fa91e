"""convene align / similar / matrix / diff / topics through the command line (CliRunner)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from constitutions.model import Document, Kind, Provision
from constitutions.store import Store
from convene.cli import app

runner = CliRunner()


def _doc(doc_id: str, sections: list[str]) -> Document:
    provs = tuple(Provision(f"sec_{i}", Kind.SECTION, str(i), "", text) for i, text in enumerate(sections, start=1))
    return Document(doc_id, doc_id.upper(), doc_id, provs)


@pytest.fixture
def store():
    s = Store()
    s.add(_doc("aa", ["Officers may not search any dwelling without a warrant from a magistrate.",
                      "The assembly holds every legislative power and meets each spring."]), checksum="a1")
    s.add(_doc("bb", ["All legislative power rests in the assembly, which meets in spring.",
                      "A dwelling may be searched only under a warrant from a magistrate.",
                      "The treasury publishes an annual budget."]), checksum="b1")
    return s


def run(*args: str):
    return runner.invoke(app, list(args))


def test_align_json(store):
    result = run("align", "aa", "bb", "--top", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["a"], data["b"]) == ("aa", "bb")
    assert [r["id"] for r in data["rows"]] == ["sec_1", "sec_2"]
    assert [r["matches"][0]["id"] for r in data["rows"]] == ["sec_2", "sec_1"]
    assert all(len(r["matches"]) <= 2 and isinstance(r["counterpart"], bool) for r in data["rows"])


def test_align_text(store):
    result = run("align", "aa", "bb")
    assert result.exit_code == 0
    assert "counterpart" in result.stdout and "0." in result.stdout


@pytest.mark.parametrize("args", [("align", "aa", "zz"), ("align", "aa", "bb", "--top", "0"),
                                  ("diff", "aa:sec_9", "bb:sec_1"), ("diff", "nothing here", "bb:sec_1"),
                                  ("topics", "zz")])
def test_errors_are_one_line_and_exit_non_zero(store, args):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: [E") and "Traceback" not in result.output


def test_similar_reference_and_free_text(store):
    by_ref = json.loads(run("similar", "aa:sec_1", "--json", "--top", "1").stdout)
    assert [(r["doc"], r["matches"][0]["id"]) for r in by_ref["results"]] == [("bb", "sec_2")]
    assert all(isinstance(r["counterpart"], bool) for r in by_ref["results"])
    human = run("similar", "aa:sec_1", "--top", "1").stdout
    assert human.splitlines()[0].endswith("counterpart]")
    free = json.loads(run("similar", "budget of the treasury", "--docs", "bb", "--json").stdout)
    assert free["results"][0]["matches"][0]["id"] == "sec_3"
    assert json.loads(run("similar", "", "--json").stdout)["results"] == []


def test_similar_and_diff_take_a_jurisdiction_named_as_people_write_it(store):
    store.add(_doc("de", ["Searches of a dwelling may be ordered only by a judge."]), checksum="d1")
    by_name = json.loads(run("similar", "Germany s. 1", "--docs", "bb", "--json", "--top", "1").stdout)
    by_id = json.loads(run("similar", "de:s. 1", "--docs", "bb", "--json", "--top", "1").stdout)
    assert by_name["results"] == by_id["results"] and by_id["results"][0]["matches"][0]["id"] == "sec_2"
    assert run("diff", "Germany s. 1", "bb:sec_2", "--json").exit_code == 0
    missing = run("similar", "Germany s. 9", "--json")  # the document named, no such provision: never free text
    assert missing.exit_code == 1 and "no Section 9" in missing.stderr
    absent = run("similar", "Japan Art. 9", "--json")  # a jurisdiction whose constitution is not imported
    assert absent.exit_code == 1 and "Japan (jp), which is not imported" in absent.stderr


def test_diff(store):
    result = run("diff", "aa:sec_2", "bb:sec_1", "--json")
    assert result.exit_code == 0
    segments = json.loads(result.stdout)["segments"]
    assert "".join(s["text"] for s in segments if s["op"] != "insert").startswith("The assembly")
    html = run("diff", "aa:sec_2", "bb:sec_1", "--html").stdout
    assert "<ins>" in html and "<del>" in html


def test_matrix(store):
    data = json.loads(run("matrix", "--json").stdout)
    assert data["ids"] == ["aa", "bb"] and data["scores"][0][0] == 1.0


@pytest.mark.corpus
def test_topics(store, corpus_dir):
    result = run("topics", "aa", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["doc"] == "aa"
    store.add(_doc("de", ["Searches of a dwelling may be ordered only by a judge."]), checksum="d1")
    for ref in ("Germany s. 1", "de:s. 1"):  # one reference instead of ID CITATION
        data = json.loads(run("topics", ref, "--json").stdout)
        assert data["doc"] == "de" and [p["id"] for p in data["provisions"]] in ([], ["sec_1"])


@pytest.mark.corpus
def test_topics_of_one_provision_are_the_documents_tags_of_its_subtree(store, corpus_dir):
    article = Provision("art_9", Kind.ARTICLE, "9", children=(
        Provision("art_9__cl_1", Kind.CLAUSE, "1", text="Everyone has the right to freedom of religion."),
        Provision("art_9__cl_2", Kind.CLAUSE, "2", text="Every citizen has the right to vote in elections.")))
    store.add(Document("kk", "KK", "kk", (article, Provision("art_10", Kind.ARTICLE, "10", text="Taxes."))),
              checksum="k1")
    listing = {p["id"]: p["topics"] for p in json.loads(run("topics", "kk", "--json").stdout)["provisions"]}
    one = json.loads(run("topics", "kk", "Art. 9", "--json").stdout)["provisions"]
    tagged = {"art_9", "art_9__cl_1", "art_9__cl_2"} & set(listing)
    assert tagged and {p["id"] for p in one} == tagged
    assert all(p["topics"] == listing[p["id"]] for p in one)
    assert "art_10" not in {p["id"] for p in one}


def test_commands_share_one_cached_index_and_a_new_import_invalidates_it(store):
    from compare import index as index_mod

    folder = index_mod.cache_dir()

    def indexes() -> list:  # <key>.npz; what is saved beside an index is <key>.<name>.npz
        return [p for p in folder.glob("*.npz") if "." not in p.stem]

    assert indexes() == []  # importing documents builds no index
    first = run("align", "aa", "bb", "--json")
    assert len(indexes()) == 1
    index_mod.clear_memory()
    for args in (("similar", "budget of the treasury", "--json"), ("matrix", "--json")):
        assert run(*args).exit_code == 0
    assert len(indexes()) == 1  # one index of every stored document, read back from disk
    index_mod.clear_memory()
    assert run("align", "aa", "bb", "--json").stdout == first.stdout
    store.add(_doc("bb", ["All legislative power rests in the assembly, which meets in spring.",
                          "The treasury publishes an annual budget."]), checksum="b2")  # sec_2 removed
    index_mod.clear_memory()
    data = json.loads(run("align", "aa", "bb", "--json").stdout)
    assert len(indexes()) == 2
    assert all(m["id"] != "sec_3" for r in data["rows"] for m in r["matches"])


_ALIGN_IN_FRESH_PROCESS = """
import sys
from typer.testing import CliRunner
from convene.cli import app
result = CliRunner().invoke(app, ["align", "aa", "bb", "--json"])
assert result.exit_code == 0, result.output
print("spacy" in sys.modules and "spacy imported")
"""


def test_align_from_a_persisted_index_does_not_import_spacy(store):
    import subprocess
    import sys

    from convene import settings

    assert run("align", "aa", "bb").exit_code == 0  # builds and saves the index
    found = subprocess.run([sys.executable, "-c", _ALIGN_IN_FRESH_PROCESS], cwd=settings.REPO_ROOT,
                           capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.strip() == "False" and "INFO" not in found.stderr
