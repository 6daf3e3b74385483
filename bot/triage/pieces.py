"""Cut a long message into pieces, so a sign in the middle of a rambling text is judged on its own.

`pieces` gives the sentences (or word windows) of a message; `in_context` gives what the classifier judges:
each sentence joined to the one after it, so a sentence is never read without the words around it that tell
its time ("my friend OD'd last month and made it. She's home now." is one piece, not "she's home now" alone).
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?;…])\s+|\s*\n+\s*")
# A run-on message with no full stops is read in overlapping windows of words.
WINDOW = 16
STRIDE = 8
# Enough for a 1,600-character SMS read in windows; each piece costs one more encode, only for long messages.
MAX_PIECES = 40
# Pieces are judged only in messages of at least this many sentences (or word windows).
MIN_PIECES = 3


def _units(text: str) -> list[tuple[str, bool]]:
    """Each sentence, or each word window of a long sentence, with whether it is a window."""
    out: list[tuple[str, bool]] = []
    for sentence in _SENTENCE.split(text.strip()):
        words = sentence.split()
        if not words:
            continue
        if len(words) <= WINDOW + STRIDE:
            out.append((" ".join(words), False))
            continue
        for start in range(0, len(words) - STRIDE, STRIDE):
            out.append((" ".join(words[start : start + WINDOW]), True))
    return out


def pieces(text: str) -> list[str]:
    """The sentences (or word windows) of a message; empty when the message is a single piece."""
    out = [unit for unit, _ in _units(text)]
    if len(out) <= 1:
        return []
    return out[:MAX_PIECES]


def in_context(text: str) -> list[str]:
    """The pieces the classifier judges: each sentence joined to the next one, word windows as they are (they
    overlap already); empty for a message of fewer than `MIN_PIECES` sentences or windows."""
    units = _units(text)[:MAX_PIECES]
    if len(units) < MIN_PIECES:
        return []
    out: list[str] = []
    for i, (unit, window) in enumerate(units):
        after = units[i + 1] if i + 1 < len(units) else None
        if window:
            out.append(unit)
        elif after is not None and not after[1]:
            out.append(f"{unit} {after[0]}")
        elif i == 0 or units[i - 1][1]:
            # Neither joined to the sentence after it nor to the one before it.
            out.append(unit)
    return out
