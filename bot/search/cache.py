"""Embeddings cached on disk by encoder and text hash, so a rebuild encodes only what changed."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bot.search.encoders import Encoder

logger = logging.getLogger(__name__)


class EmbeddingCache:
    """Embeddings keyed by model and text hash, so a rebuild only encodes what changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.is_file():
            try:
                with np.load(path) as data:
                    self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                logger.warning("embedding cache unreadable, starting afresh", extra={"path": str(path)})

    @classmethod
    def for_encoder(cls, data_dir: Path, kind: str, model: str) -> EmbeddingCache:
        """The cache of one kind of text ("embeddings", "triage") for one encoder, under `data_dir/cache`."""
        slug = "".join(c if c.isalnum() else "-" for c in model).strip("-")
        return cls(data_dir / "cache" / f"{kind}-{slug}.npz")

    @staticmethod
    def key(text: str) -> str:
        """The cache key of a text: its sha256."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def save(self, keep: set[str]) -> None:
        """Write the vectors of the `keep` keys, dropping the rest."""
        keys = sorted(k for k in self.vectors if k in keep)
        if not keys:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))
        os.replace(tmp, self.path)


def embed_all(
    encoder: Encoder,
    texts: list[str],
    cache: EmbeddingCache,
    progress: bool,
    report: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts` in order, encoding only those the cache lacks; also how many were encoded.

    `progress` shows a bar on a terminal; `report(done, total)` is called after each batch.
    """
    keys = [cache.key(t) for t in texts]
    # Shortest first: each batch then holds texts of about one length, so little of it is padding (mixing a
    # long passage into a batch of short asks pads them all to its length).
    missing = sorted(
        {k: t for k, t in zip(keys, texts, strict=True) if k not in cache.vectors}.items(),
        key=lambda item: (len(item[1]), item[0]),
    )
    if missing:
        from tqdm import tqdm

        batch = 64
        bar = tqdm(total=len(missing), desc="embedding", unit="text", disable=not progress, file=sys.stderr)
        for start in range(0, len(missing), batch):
            part = missing[start : start + batch]
            vectors = encoder.encode([t for _, t in part])
            for (k, _), v in zip(part, vectors, strict=True):
                cache.vectors[k] = v
            bar.update(len(part))
            if report is not None:
                report(start + len(part), len(missing))
        bar.close()
    matrix = np.stack([cache.vectors[k] for k in keys]) if keys else np.zeros((0, encoder.dim), np.float32)
    return matrix.astype(np.float32), len(missing)
