"""Cut a long message into pieces, so a sign in the middle of a rambling text is judged on its own."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?;…])\s+|\s*\n+\s*")
# A run-on message with no full stops is read in overlapping windows of words.
WINDOW = 16
STRIDE = 8
# Enough for a 1,600-character SMS read in windows; each piece costs one more encode, only for long messages.
MAX_PIECES = 40


def pieces(text: str) -> list[str]:
    """The sentences (or word windows) of a message; empty when the message is a single piece."""
    out: list[str] = []
    for sentence in _SENTENCE.split(text.strip()):
        words = sentence.split()
        if not words:
            continue
        if len(words) <= WINDOW + STRIDE:
            out.append(" ".join(words))
            continue
        for start in range(0, len(words) - STRIDE, STRIDE):
            out.append(" ".join(words[start : start + WINDOW]))
    if len(out) <= 1:
        return []
    return out[:MAX_PIECES]
