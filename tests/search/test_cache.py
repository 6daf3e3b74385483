"""The embedding cache: only missing texts are encoded, in batches of about one length, and rows keep their order."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.search.cache import EmbeddingCache, embed_all
from bot.search.encoders.hash import HashEncoder


class BatchEncoder:
    """The hash encoder, remembering each batch it was asked to embed."""

    def __init__(self) -> None:
        self._inner = HashEncoder()
        self.name = self._inner.name
        self.dim = self._inner.dim
        self.batches: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return self._inner.encode(texts)


def _texts() -> list[str]:
    # Long and short texts interleaved, as passages and card asks are.
    return [("a long passage about naloxone " * 20) + str(i) if i % 5 == 0 else f"ask {i}" for i in range(300)]


def test_batches_hold_texts_of_about_one_length(tmp_path: Path) -> None:
    encoder = BatchEncoder()
    texts = _texts()
    embed_all(encoder, texts, EmbeddingCache(tmp_path / "c.npz"), progress=False)
    flat = [t for batch in encoder.batches for t in batch]
    assert sorted(flat) == sorted(set(texts))
    assert [len(t) for t in flat] == sorted(len(t) for t in flat)
    # Only the batch where the short asks end and the long passages begin holds both.
    assert sum(len({len(t) > 100 for t in batch}) > 1 for batch in encoder.batches) <= 1


def test_rows_follow_the_texts_order_and_only_missing_texts_are_encoded(tmp_path: Path) -> None:
    texts = _texts()
    cache = EmbeddingCache(tmp_path / "c.npz")
    matrix, embedded = embed_all(BatchEncoder(), texts, cache, progress=False)
    assert embedded == len(texts)
    assert np.allclose(matrix, HashEncoder().encode(texts))
    again = BatchEncoder()
    matrix2, embedded2 = embed_all(again, [*texts, "one new ask"], cache, progress=False)
    assert embedded2 == 1 and again.batches == [["one new ask"]]
    assert np.allclose(matrix2[:-1], matrix)
