"""The persistent index cache of compare.index: hits, misses, invalidation, corrupt files, two processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from compare import index as index_mod
from compare.align import align
from compare.index import CorpusIndex, cache_dir, cache_key
from compare.matrix import similarity_matrix
from compare.similar import similar
from tests.synthetic import sections_doc

ROOT = Path(__file__).resolve().parent.parent


_doc = sections_doc


# invented wording
A = _doc("aa", [
    ("", "Officers may not search any dwelling or seize papers without a warrant issued by a magistrate."),
    ("", "The assembly of the republic holds every legislative power and meets each spring."),
    ("", "No person may be held in slavery or forced labour."),
])
B = _doc("bb", [
    ("Slavery", "Slavery and forced labour are forbidden for every person."),
    ("Legislature", "All legislative power rests in the assembly, which meets in spring."),
    ("Home", "A dwelling may be searched, and papers seized, only under a warrant from a magistrate."),
    ("Budget", "The treasury publishes an annual budget and audited accounts."),
])
B2 = _doc("bb", [  # a new version of bb: one section reworded
    ("Slavery", "Slavery and forced labour are forbidden for every person."),
    ("Legislature", "All legislative power rests in the parliament, which sits in autumn."),
    ("Home", "A dwelling may be searched, and papers seized, only under a warrant from a magistrate."),
    ("Budget", "The treasury publishes an annual budget and audited accounts."),
])


@pytest.fixture(autouse=True)
def _fresh_memory():
    index_mod.clear_memory()
    yield
    index_mod.clear_memory()


def _files() -> list[Path]:
    """The index files of the cache folder (``<key>.npz``; readings saved beside one are ``<key>.<name>.npz``)."""
    folder = cache_dir()
    assert folder is not None
    return sorted(p for p in folder.glob("*.npz") if "." not in p.stem)


def _same_index(x: CorpusIndex, y: CorpusIndex) -> None:
    assert x.lemmas == y.lemmas and x.n_units == y.n_units and x.topic_labels == y.topic_labels
    assert np.array_equal(x.idf, y.idf) and np.array_equal(x.topic_norms, y.topic_norms)
    assert (x.topic_matrix != y.topic_matrix).nnz == 0
    assert (x.lsa_basis is None) == (y.lsa_basis is None)
    assert list(x.docs) == list(y.docs)
    for doc_id, fx in x.docs.items():
        fy = y.docs[doc_id]
        assert fx.units == fy.units and fx.fuzz_strings == fy.fuzz_strings and fx.citations == fy.citations
        assert (sp.csr_matrix(fx.tfidf) != sp.csr_matrix(fy.tfidf)).nnz == 0
        for name in ("topics", "lengths", "vocab_mask", "lsa"):
            a, b = getattr(fx, name), getattr(fy, name)
            assert (a is None) == (b is None), name
            if a is not None:
                assert a.dtype == b.dtype and np.array_equal(a, b), name


def test_miss_writes_one_file_and_hit_reads_it():
    assert _files() == []
    built = CorpusIndex.load_or_build([A, B])
    assert built.loaded_from is None and built.key == cache_key([A, B])
    assert [p.stem for p in _files()] == [built.key]
    index_mod.clear_memory()
    loaded = CorpusIndex.load_or_build([A, B])
    assert loaded.loaded_from == _files()[0]
    _same_index(built, loaded)
    assert CorpusIndex.load_or_build([A, B]) is loaded  # then from memory


def test_results_identical_from_cache_and_from_a_fresh_build():
    fresh = CorpusIndex([A, B])
    CorpusIndex.load_or_build([A, B])
    index_mod.clear_memory()
    cached = CorpusIndex.load_or_build([A, B])
    assert cached.loaded_from is not None
    _same_index(fresh, cached)
    assert align(A, B, index=fresh).rows == align(A, B, index=cached).rows
    assert similar("a warrant to search a dwelling", index=fresh) == similar("a warrant to search a dwelling",
                                                                             index=cached)
    m1, m2 = similarity_matrix([A, B], index=fresh), similarity_matrix([A, B], index=cached)
    assert (m1.scores, m1.pairs) == (m2.scores, m2.pairs)


def test_standalone_align_uses_the_cached_two_document_index():
    first = align(A, B)
    assert [p.stem for p in _files()] == [cache_key([A, B])]
    index_mod.clear_memory()
    again = align(A, B)
    assert first.rows == again.rows
    assert first.rows == align(A, B, index=CorpusIndex([A, B])).rows


@pytest.mark.parametrize(("docs", "other"), [
    ([A, B], [A, B2]),  # a new version of a document (new content)
    ([A, B], [B, A]),  # the same documents in another order (another vocabulary order)
    ([A, B], [A]),  # a document fewer
])
def test_key_changes_with_content_order_and_membership(docs, other):
    assert cache_key(docs) != cache_key(other)


def test_new_version_is_a_miss_and_gives_its_own_results():
    CorpusIndex.load_or_build([A, B])
    index_mod.clear_memory()
    changed = CorpusIndex.load_or_build([A, B2])
    assert changed.loaded_from is None and len(_files()) == 2
    assert changed.features("bb").doc is B2
    assert "parliament" in changed.features("bb").fuzz_strings[1]
    index_mod.clear_memory()
    old = CorpusIndex.load_or_build([A, B])
    assert old.loaded_from is not None and "parliament" not in old.features("bb").fuzz_strings[1]


def test_code_change_is_a_miss(monkeypatch):
    before = cache_key([A, B])
    monkeypatch.setattr(index_mod, "CACHE_FORMAT", index_mod.CACHE_FORMAT + 1)
    assert cache_key([A, B]) != before
    monkeypatch.undo()
    monkeypatch.setattr(index_mod, "code_fingerprint", lambda: "another code version")
    assert cache_key([A, B]) != before


@pytest.mark.parametrize("damage", [
    lambda raw: b"",  # empty file
    lambda raw: raw[: len(raw) // 2],  # truncated
    lambda raw: b"not a zip file at all" * 10,  # garbage
    lambda raw: raw[:100] + bytes(256) + raw[356:],  # bytes overwritten inside
])
def test_corrupt_file_is_ignored_and_rebuilt(damage):
    good = CorpusIndex.load_or_build([A, B])
    path = _files()[0]
    path.write_bytes(damage(path.read_bytes()))
    index_mod.clear_memory()
    again = CorpusIndex.load_or_build([A, B])
    _same_index(good, again)
    index_mod.clear_memory()
    assert CorpusIndex.load_or_build([A, B]).loaded_from == path  # the rebuild replaced the bad file


def test_file_of_another_key_or_format_is_ignored():
    CorpusIndex.load_or_build([A, B])
    path = _files()[0]
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    manifest = json.loads(arrays["manifest"].tobytes())
    manifest["format"] = -1
    arrays["manifest"] = np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)
    with path.open("wb") as fh:
        np.savez(fh, **arrays)
    index_mod.clear_memory()
    assert CorpusIndex.load_or_build([A, B]).loaded_from is None


def test_unwritable_cache_folder_is_skipped(monkeypatch):
    monkeypatch.setattr(index_mod, "cache_dir", lambda: None)
    built = CorpusIndex.load_or_build([A, B])
    assert built.loaded_from is None and built.features("aa").units


def test_old_files_are_pruned(monkeypatch):
    monkeypatch.setattr(index_mod, "CACHE_KEEP", 2)
    for k in range(4):
        CorpusIndex.load_or_build([_doc(f"d{k}", [("", f"Text number {k} about the assembly and its power.")])])
    assert len(_files()) == 2


_WORKER = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from tests.test_compare_cache import A, B
    from compare.index import CorpusIndex
    from compare.align import align
    index = CorpusIndex.load_or_build([A, B])
    print(json.dumps(align(A, B, index=index).to_json()))
""")


def test_two_processes_building_at_once():
    cmd = [sys.executable, "-c", _WORKER, str(ROOT)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    first, second = (json.loads(o[0]) for o in outs)
    assert first == second
    files = _files()
    assert [p.stem for p in files] == [cache_key([A, B])]
    assert not list(files[0].parent.glob(".*.tmp"))
    loaded = CorpusIndex.load_or_build([A, B])
    assert loaded.loaded_from == files[0]
    assert align(A, B, index=loaded).to_json() == first


def test_matrix_is_kept_beside_the_index(monkeypatch):
    from compare import matrix as matrix_mod

    index = CorpusIndex.load_or_build([A, B])
    first = matrix_mod.cached_matrix([A, B], index)
    assert (first.scores, first.pairs) == (similarity_matrix([A, B], index=index).scores,
                                           similarity_matrix([A, B], index=index).pairs)
    saved = sorted(cache_dir().glob(f"{index.key}.matrix-*.json"))
    assert len(saved) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("recomputed")

    with monkeypatch.context() as patched:  # (monkeypatch.undo() would also undo the isolated CONVENE_HOME)
        patched.setattr(matrix_mod, "similarity_matrix", refuse)
        again = matrix_mod.cached_matrix([A, B], index)
    assert (again.ids, again.scores, again.pairs) == (first.ids, first.scores, first.pairs)
    saved[0].write_text("{not json")
    assert matrix_mod.cached_matrix([A, B], index).scores == first.scores  # corrupt: recomputed
    assert matrix_mod.cached_matrix([B, A], index).ids == ("bb", "aa")  # another order: its own file
