"""`BOT_ENCODER=hash`: a deterministic bag-of-words encoder with no model, for tests and a quick look, not serving."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np

from bot.search.encoders._protocol import Backend, Encoder, unit_rows
from bot.text import tokens

if TYPE_CHECKING:
    from bot.config import Settings

HASH_DIM = 256


class HashEncoder:
    """Each accent-folded token (and its 4-letter prefix) hashed into a signed bucket; the same in every process."""

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
        return unit_rows(out)


def _create(_settings: Settings, _threads: int, _corpus: bool) -> Encoder:
    return HashEncoder()


BACKEND = Backend(create=_create)
