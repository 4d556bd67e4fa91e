"""The NumPy sentence encoder (compare.encoder), its disk cache (compare.embedding_store) and how alignment
uses it (compare.semantic).  Synthetic weights test the mechanics; the real model (the ``semantic`` extra,
installed in CI) is tested for what alignment relies on.  Without the extra, the real-model tests are
skipped on a developer's machine and fail in CI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from compare import embedding_store, semantic
from compare.align import MEANING_WEIGHT, Z_COUNTERPART
from compare.encoder import LAYERS, WIDTH, EncoderUnavailable, SentenceEncoder, model_folder
from tests.needs import need_encoder

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "court", "judge", "shall", "law", "speech", "free", "press",
         "##s", "tax", "army", "vote"]


def _tokenizer():
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(WORDS)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2),
                                                                                                 ("[SEP]", 3)])
    return tok


def _weights(seed: int = 7, positions: int = 64) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def r(*shape):
        return (rng.standard_normal(shape) * 0.05).astype(np.float32)

    w = {"embeddings.word_embeddings.weight": r(len(WORDS), WIDTH),
         "embeddings.position_embeddings.weight": r(positions, WIDTH),
         "embeddings.token_type_embeddings.weight": r(2, WIDTH),
         "embeddings.LayerNorm.weight": np.ones(WIDTH, np.float32), "embeddings.LayerNorm.bias": r(WIDTH)}
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            w[f"{p}attention.self.{name}.weight"], w[f"{p}attention.self.{name}.bias"] = r(WIDTH, WIDTH), r(WIDTH)
        w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"] = r(WIDTH, WIDTH), r(WIDTH)
        w[p + "attention.output.LayerNorm.weight"] = np.ones(WIDTH, np.float32)
        w[p + "attention.output.LayerNorm.bias"] = r(WIDTH)
        w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"] = r(4 * WIDTH, WIDTH), r(4 * WIDTH)
        w[p + "output.dense.weight"], w[p + "output.dense.bias"] = r(WIDTH, 4 * WIDTH), r(WIDTH)
        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"] = np.ones(WIDTH, np.float32), r(WIDTH)
    return w


@pytest.fixture(scope="module")
def toy() -> SentenceEncoder:
    return SentenceEncoder({f"bert.{k}": v for k, v in _weights().items()}, _tokenizer(), max_tokens=16)


def test_vectors_are_unit_length_and_a_text_gets_the_same_vector_alone_or_in_a_padded_batch(toy):
    texts = ["the court", "the judge shall judge the law", "free speech", "the press shall be free"]
    together = toy.encode(texts)
    assert together.shape == (4, WIDTH) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    for i, t in enumerate(texts):  # padding in a batch of longer texts must not change a short text's vector
        assert np.allclose(toy.encode([t])[0], together[i], atol=1e-5)
    assert np.allclose(toy.encode(texts[::-1])[::-1], together, atol=1e-5)
    assert not np.allclose(together[0], together[1], atol=1e-3)


def test_texts_are_truncated_to_the_token_limit(toy):
    long = "the court " * 40
    assert len(toy.token_ids([long])[0]) == 16
    assert np.allclose(toy.encode([long])[0], toy.encode([long + " vote tax army"])[0], atol=1e-6)
    assert toy.encode([]).shape == (0, WIDTH)


def test_missing_or_foreign_weights_are_refused_with_the_reason(tmp_path, monkeypatch):
    broken = _weights()
    del broken["encoder.layer.3.output.dense.bias"]
    with pytest.raises(EncoderUnavailable, match=r"encoder\.layer\.3\.output\.dense\.bias"):
        SentenceEncoder(broken, _tokenizer())
    with pytest.raises(EncoderUnavailable, match=r"model\.safetensors is missing"):
        SentenceEncoder.load(tmp_path)
    from safetensors.numpy import save_file

    save_file(_weights(), str(tmp_path / "model.safetensors"))
    _tokenizer().save(str(tmp_path / "tokenizer.json"))
    with pytest.raises(EncoderUnavailable, match="SHA-256 differs"):
        SentenceEncoder.load(tmp_path)
    assert SentenceEncoder.load(tmp_path, verify=False).encode(["the court"]).shape == (1, WIDTH)
    (tmp_path / "tokenizer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EncoderUnavailable, match="cannot read"):
        SentenceEncoder.load(tmp_path, verify=False)
    monkeypatch.setenv("CONVENE_ENCODER_DIR", str(tmp_path / "nowhere"))
    assert model_folder() == tmp_path / "nowhere"
    with pytest.raises(EncoderUnavailable, match="missing"):
        SentenceEncoder.load()


# ------------------------------------------------------------------ disk cache


def test_the_disk_cache_round_trips_and_ignores_vectors_of_another_width():
    v = np.arange(WIDTH, dtype=np.float32)
    assert embedding_store.put_many("m1", [("k1", v), ("k2", v * 2)])
    got = embedding_store.get_many("m1", ["k1", "k2", "k3"], WIDTH)
    assert sorted(got) == ["k1", "k2"] and np.array_equal(got["k2"], v * 2)
    assert embedding_store.get_many("m2", ["k1"], WIDTH) == {}  # vectors are per model
    assert embedding_store.get_many("m1", ["k1"], WIDTH + 1) == {}
    assert embedding_store.count("m1") == 2


def test_a_damaged_or_unwritable_cache_costs_recomputation_not_an_error(monkeypatch, tmp_path):
    from convene import settings

    (settings.home() / embedding_store.FILE_NAME).write_bytes(b"this is not a database" * 100)
    assert embedding_store.get_many("m", ["k"], WIDTH) == {}
    assert embedding_store.put_many("m", [("k", np.zeros(WIDTH, np.float32))]) is False
    assert embedding_store.count() == 0


def test_encode_uses_the_memory_then_the_disk_cache_before_the_encoder(monkeypatch, toy):
    calls: list[list[str]] = []

    class Counting:
        def encode(self, texts):
            calls.append(list(texts))
            return toy.encode(texts)

    monkeypatch.setattr(semantic, "_encoder", lambda: Counting())
    monkeypatch.setattr(semantic, "_encoded", {})
    first = semantic.encode(["the court", "free speech", "the court", "   "])
    assert calls == [["the court", "free speech"]]  # each distinct text once; a blank text is not encoded
    assert np.array_equal(first[0], first[2]) and not first[3].any()
    semantic.encode(["free speech"])
    assert len(calls) == 1  # memory
    monkeypatch.setattr(semantic, "_encoded", {})
    again = semantic.encode(["free speech", "the court"])
    assert len(calls) == 1 and np.allclose(again, first[[1, 0]])  # disk
    monkeypatch.setattr(semantic, "_encoder", lambda: None)
    with pytest.raises(EncoderUnavailable):
        semantic.encode(["x"])


def test_a_provision_is_embedded_with_its_heading_at_the_heading_weight(monkeypatch, toy):
    monkeypatch.setattr(semantic, "_encoder", lambda: toy)
    monkeypatch.setattr(semantic, "_encoded", {})
    text, heading = semantic.encode(["the judge shall vote", "the court"])
    # no headings, or only blank ones: the text's own vector
    assert np.allclose(semantic.embed(["the judge shall vote"]), text)
    assert np.allclose(semantic.embed(["the judge shall vote"], ["  "]), text)
    both = text + semantic.HEADING_WEIGHT * heading
    found = semantic.embed(["the judge shall vote", "the judge shall vote", ""], ["the court", "", "the court"])
    assert np.allclose(found[0], both / np.linalg.norm(both))
    assert np.allclose(found[1], text)  # a unit without a heading beside one with it
    assert np.allclose(found[2], heading)  # a heading alone is still something to compare
    assert not semantic.embed([""], [""]).any()
    with pytest.raises(ValueError, match="2 texts but 1 headings"):
        semantic.embed(["a", "b"], ["c"])


def test_a_text_naming_institutions_is_read_as_written_and_by_their_roles(monkeypatch, toy):
    monkeypatch.setattr(semantic, "_encoder", lambda: toy)
    monkeypatch.setattr(semantic, "_encoded", {})

    def mean(*texts):
        total = semantic.encode(list(texts)).sum(axis=0)
        return total / np.linalg.norm(total)

    found = semantic.embed(["Congress shall vote", "the judge"])
    assert np.allclose(found[0], mean("Congress shall vote", "the legislature shall vote"))
    assert np.allclose(found[1], semantic.encode(["the judge"])[0])  # names no institution: one reading
    # a state's Governor is its head of state; elsewhere a subnational executive
    assert np.allclose(semantic.embed(["The Governor shall vote"], subnational=True)[0],
                       mean("The Governor shall vote", "The head of state shall vote"))
    assert np.allclose(semantic.embed(["The Governor shall vote"])[0],
                       mean("The Governor shall vote", "The subnational executive shall vote"))
    # headings are read both ways too
    text, heading = "the court shall vote", "The Senate"
    as_written = semantic.embed([text], [heading])[0]
    expected = (semantic.encode([text])[0] + semantic.HEADING_WEIGHT * semantic.encode([heading])[0])
    expected = expected / np.linalg.norm(expected)
    by_role = semantic.encode([text])[0] + semantic.HEADING_WEIGHT * semantic.encode(["The second chamber"])[0]
    by_role = by_role / np.linalg.norm(by_role)
    assert np.allclose(as_written, (expected + by_role) / np.linalg.norm(expected + by_role))


def test_readings_lists_what_embed_encodes():
    assert semantic.readings(["Congress shall vote", "the judge"], ["The Senate", ""]) == [
        "Congress shall vote", "the judge", "The Senate", "", "the legislature shall vote", "The second chamber"]
    assert semantic.readings(["The Governor"], subnational=True) == ["The Governor", "The head of state"]


def test_alignment_leaves_the_encoder_out_when_asked(monkeypatch):
    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", "0")
    assert semantic.for_alignment() is False
    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", "1")
    monkeypatch.setenv("CONVENE_SEMANTIC", "0")
    assert semantic.for_alignment() is False


# ------------------------------------------------------------------ the real model


@pytest.fixture(scope="module")
def real() -> SentenceEncoder:
    return need_encoder()


def test_the_real_model_puts_the_same_right_in_different_words_together(real):
    speech, expression, arms, president = real.encode([
        "Congress shall make no law abridging the freedom of speech, or of the press.",
        "Everyone has the right to freedom of expression, which includes freedom of the press and other media.",
        "The right of the people to keep and bear Arms shall not be infringed.",
        "The President shall hold office for a term of four years."])
    assert speech @ expression > 0.5
    assert speech @ expression > max(speech @ arms, speech @ president)
    assert president @ expression < 0.3


def test_the_real_model_finds_a_long_article_by_its_heading(real, monkeypatch):
    """The encoder reads only an article's opening; its heading says what the whole article is about."""
    monkeypatch.setattr(semantic, "_encoder", lambda: real)
    monkeypatch.setattr(semantic, "_encoded", {})
    query = semantic.embed(["The President shall be removed from office on impeachment for, and conviction of, "
                            "treason, bribery, or other high crimes."])[0]
    body = ("(1) The charge shall be preferred by either House of Parliament. (2) No such charge shall be "
            "preferred unless the proposal is contained in a resolution moved after fourteen days' notice in "
            "writing signed by not less than one-fourth of the members.")
    bare, headed = semantic.embed([body, body], ["", "Procedure for impeachment of the President"])
    assert query @ headed > query @ bare + 0.1


def test_the_real_model_reads_congress_and_the_diet_alike_by_their_role(real, monkeypatch):
    """The encoder alone does not know the Diet is Japan's Congress: read by role, the two vesting clauses meet."""
    monkeypatch.setattr(semantic, "_encoder", lambda: real)
    monkeypatch.setattr(semantic, "_encoded", {})
    texts = ["All legislative Powers herein granted shall be vested in a Congress of the United States, which "
             "shall consist of a Senate and House of Representatives.",
             "The Diet shall be the highest organ of state power, and shall be the sole law-making organ of the State."]
    written, both = semantic.encode(texts), semantic.embed(texts)
    assert both[0] @ both[1] > written[0] @ written[1] + 0.1


def test_the_real_model_loads_and_encodes_with_no_network(real, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = SentenceEncoder.load()
    assert np.allclose(fresh.encode(["The judicial power."]), real.encode(["The judicial power."]))


def test_the_real_model_gives_its_reference_vectors(real):
    """Regression values of this implementation on a fixed sentence (first components and a cosine), so a
    change to the forward pass or the tokenizer settings cannot pass unnoticed."""
    a, b = real.encode(["The judicial power shall be vested in one Supreme Court.",
                        "Judicial authority is vested in the courts."])
    assert json.dumps([round(float(x), 3) for x in a[:4]]) == json.dumps(REFERENCE_A)
    assert float(a @ b) == pytest.approx(REFERENCE_COS, abs=1e-3)


def test_alignment_with_the_encoder_scores_in_the_unit_interval_and_explains_it(real, monkeypatch):
    from compare.align import align
    from tests.test_compare_align import SAME_A, UNRELATED_A, _doc, _sized_b

    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", "1")
    a = _doc("aa", [("", SAME_A), ("", UNRELATED_A)])
    same, unrelated = align(a, _sized_b(20), top=3).rows
    assert same.counterpart is True and same.matches[0].eid == "sec_10"
    assert unrelated.counterpart is False
    best = same.matches[0]
    assert 0.0 <= best.score <= 1.0 and best.explanation.semantic is not None and best.explanation.semantic > 0.5
    assert best.explanation.tagged is not None
    # the verdict is taken on the fused score with the encoder's parts, against that score's own threshold
    assert same.threshold == Z_COUNTERPART[True] != Z_COUNTERPART[False]
    # ... weighing how far the best match stands out and how alike the two mean: its centred encoder cosine
    assert same.meaning == pytest.approx(best.explanation.semantic, abs=1e-3)
    assert same.evidence == pytest.approx(same.z + MEANING_WEIGHT * same.meaning)
    assert [r.counterpart for r in (same, unrelated)] == [r.evidence >= r.threshold for r in (same, unrelated)]
    # relative to the centre of constitutional prose, the unrelated provision's best is far below the counterpart
    assert max(m.explanation.semantic for m in unrelated.matches) < best.explanation.semantic / 2


def test_alignment_without_the_encoder_uses_its_own_threshold(monkeypatch):
    from compare.align import align
    from tests.test_compare_align import SAME_A, _doc, _sized_b

    monkeypatch.setenv("CONVENE_ALIGN_SEMANTIC", "0")
    (row,) = align(_doc("aa", [("", SAME_A)]), _sized_b(20), top=1).rows
    assert row.threshold == Z_COUNTERPART[False]
    assert row.meaning is None and row.evidence == row.z and row.counterpart == (row.z >= row.threshold)
    assert row.matches[0].explanation.semantic is None and row.matches[0].explanation.tagged is None


REFERENCE_A = [0.012, -0.017, -0.071, -0.061]
REFERENCE_COS = 0.7558
