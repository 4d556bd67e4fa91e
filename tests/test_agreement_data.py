"""The inter-annotator agreement samples (bench/eval_agreement.py) stay consistent with the gold sets they
re-answer: every item is a first-annotator gold case, and every answer names a real provision or topic."""

import json
from pathlib import Path

import pytest

from compare.topics import load_ontology
from tests.test_compare_align import FILES  # document id -> corpus file, as the gold set's tests read it

DATA = Path(__file__).parent / "data"


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_topic_sample_re_labels_first_annotator_gold_labels():
    gold = {(x["doc"], x["eid"]): x for x in _load("gold_topics.json")["labels"]}
    items = _load("agreement_topics.json")["labels"]
    assert len(items) >= 40
    assert len({(x["doc"], x["eid"]) for x in items}) == len(items)
    for x in items:
        label = gold.get((x["doc"], x["eid"]))
        assert label is not None and "batch" not in label, x
        assert x["topics"] and not set(x["topics"]) & set(x["also"]), x


def test_alignment_sample_re_answers_first_annotator_gold_cases():
    gold = _load("gold_alignment.json")
    cases = {(p["a"], b.split(":")[0]) for p in gold["pairs"] if "batch" not in p for b in p["b"]}
    cases |= {(n["a"], n["in"]) for n in gold["no_counterpart"] if "batch" not in n}
    answers = _load("agreement_alignment.json")["answers"]
    assert len(answers) >= 40
    for x in answers:
        assert (x["a"], x["in"]) in cases, x
        assert len(x["b"]) <= 3 and all(b.split(":")[0] == x["in"] for b in x["b"]), x


@pytest.mark.corpus
def test_samples_name_real_topics_and_provisions(corpus_dir, corpus_doc):
    keys = {t.key for t in load_ontology(corpus_dir / "constitute-topics" / "ontology.owl").topics}
    for x in _load("agreement_topics.json")["labels"]:
        assert set(x["topics"]) | set(x["also"]) <= keys, x
        assert corpus_doc(FILES[x["doc"]]).get(x["eid"]) is not None, x
    for x in _load("agreement_alignment.json")["answers"]:
        for ref in (x["a"], *x["b"]):
            doc_id, eid = ref.split(":", 1)
            assert corpus_doc(FILES[doc_id]).get(eid).full_text().strip(), ref
