"""Noisy copies of training messages: typos and held-down letters as people text them.

Normalisation undoes most tricks, but what it leaves ("heelp", a dropped letter) should look familiar to
the classifier. Copies keep their original's group, so cross-validation never tests a message on its twin.
"""

from __future__ import annotations

import random

SHARE = 0.35


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    choice = rng.random()
    if choice < 0.4:
        return word[:i] + word[i + 1 :]
    if choice < 0.7:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + word[i] * rng.randint(3, 5) + word[i + 1 :]


def noisy(text: str, rng: random.Random) -> str:
    """The message with one or two of its longer words misspelt or stretched."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    for i in rng.sample(long_words, min(len(long_words), rng.randint(1, 2))):
        words[i] = _typo(words[i], rng)
    return " ".join(words)


def augment(texts: list[str], seed: int) -> list[tuple[int, str]]:
    """(index of the original, noisy copy) for a fixed share of the messages."""
    rng = random.Random(seed)
    out = []
    for i, text in enumerate(texts):
        if rng.random() < SHARE:
            copy = noisy(text, rng)
            if copy != text:
                out.append((i, copy))
    return out
