"""compare.topics: the Constitute ontology and provision tagging."""

from __future__ import annotations

import pytest

from compare import topics
from compare.topics import load_ontology, search_topics, tag_document, tag_provision
from constitutions.model import Document, Kind, Provision
from convene.errors import ReadError


@pytest.fixture(scope="session")
def ontology(corpus_dir):
    return load_ontology(corpus_dir / "constitute-topics" / "ontology.owl")


def test_ontology_shape(ontology):
    assert len(ontology.categories) == 11
    assert len(ontology.topics) == 328
    hosdec = ontology.topic("hosdec")
    assert hosdec.label == "Head of state decree power"
    assert hosdec.category == "executive"
    assert {"king", "president"} <= set(hosdec.keywords)
    assert hosdec.description
    assert {t.category for t in ontology.topics} == {c.key for c in ontology.categories}


def test_missing_ontology_is_a_clear_error(tmp_path):
    with pytest.raises(ReadError, match="ontology"):
        load_ontology(tmp_path / "nothing.owl")


def test_hostile_ontology_is_not_resolved(tmp_path):
    owl = tmp_path / "evil.owl"
    owl.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>')
    with pytest.raises(ReadError):
        load_ontology(owl)


# invented wording, one subject each
TAGS = [
    ("Nobody may be stopped from voicing opinions; freedom of expression is guaranteed.", "", "express"),
    ("Officers may not make searches and seizures of a home without a warrant.", "", "evidence"),
    ("Every person may worship and practise any religion.", "Religion", "freerel"),
    ("Citizens may keep and bear arms.", "", "arms"),
]


@pytest.mark.parametrize(("text", "heading", "expected"), TAGS)
def test_tag_provision_finds_the_subject(ontology, text, heading, expected):
    found = tag_provision(text, heading)
    assert expected in [s.key for s in found[:3]]
    assert all(0 < s.confidence <= 1 for s in found)
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)


def test_tag_provision_empty_text(ontology):
    assert tag_provision("", "") == ()


def test_tag_document_inherits_from_a_bare_heading(ontology):
    child = Provision("art_1__sec_1", Kind.SECTION, "1", "", "")
    art = Provision("art_1", Kind.ARTICLE, "1", "Freedom of religion", "", (child,))
    doc = Document("x", "X", "x", (art,))
    tags = tag_document(doc)
    assert "freerel" in [s.key for s in tags["art_1"]]
    assert "freerel" in [s.key for s in tags["art_1__sec_1"]]


@pytest.mark.parametrize(("phrase", "expected"), [("freedom of speech", "express"), ("bear arms", "arms")])
def test_search_topics(ontology, phrase, expected):
    assert search_topics(phrase)[0].key == expected


def test_search_topics_empty():
    assert search_topics("  ") == []
    assert topics.topic_keys(()) == ()
