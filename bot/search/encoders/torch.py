"""`BOT_ENCODER=torch`: sentence-transformers on PyTorch, the reference encoder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bot.errors import EncoderUnavailableError
from bot.search.encoders._protocol import Backend, Encoder, hub_offline, resolve_model_path

if TYPE_CHECKING:
    from bot.config import Settings


class SentenceTransformerEncoder:
    """The model's own pooling and normalisation, through sentence-transformers."""

    def __init__(self, model: str, threads: int = 2) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise EncoderUnavailableError(f"sentence-transformers is not installed: {e}") from e
        # BOT_THREADS: torch's intra-op pool is per process, and this encoder is the process's only torch user.
        torch.set_num_threads(threads)
        path = resolve_model_path(model)
        try:
            self._model = SentenceTransformer(path, device="cpu", local_files_only=hub_offline())
        except Exception as e:  # noqa: BLE001 - any loader failure means the same thing to the caller
            raise EncoderUnavailableError(f"cannot load the embedding model {model!r}: {e}") from e
        self.name = model
        self.dim = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed with the model's own pooling, normalised."""
        vectors = self._model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


def _create(settings: Settings, threads: int, _corpus: bool) -> Encoder:
    return SentenceTransformerEncoder(settings.model, threads=threads)


BACKEND = Backend(create=_create)
