"""Character and word n-grams as scikit-learn's `TfidfVectorizer` makes them, without scikit-learn.

The learned models (the triage classifier, `bot.triage.model`, and the card model, `bot.search.cardmodel`) are
fitted with scikit-learn at build time and applied with numpy at serve time; both sides take their n-grams from
here, so training and serving read a message the same way (tests/triage/test_model.py compares the two).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import numpy as np

_SPACES = re.compile(r"\s\s+")
# scikit-learn's default token_pattern: words of two or more word characters.
_WORD = re.compile(r"(?u)\b\w\w+\b")


def _preprocess(text: str) -> str:
    """Lower case, then accents stripped as scikit-learn's `strip_accents="unicode"` does."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _char_wb_grams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside each word, the word padded with one space on each side."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[i : i + n] for i in range(max(len(padded) - n, 0) + 1))
            if len(padded) <= n:
                # A word shorter than n gives one gram, counted once.
                break
    return grams


def _word_grams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams from `low` to `high` words, unigrams first."""
    tokens = _WORD.findall(text)
    return [" ".join(tokens[i : i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]


_GRAMS = {"char_wb": _char_wb_grams, "word": _word_grams}


@lru_cache(maxsize=8)
def ngram_analyzer(name: str, low: int, high: int) -> Callable[[str], list[str]]:
    """The grams of a text, in the same order as scikit-learn's `TfidfVectorizer(analyzer=name,
    ngram_range=(low, high), strip_accents="unicode", lowercase=True).build_analyzer()`."""
    grams = _GRAMS[name]
    return lambda text: grams(_preprocess(text), low, high)


def tfidf_row(grams: list[str], vocabulary: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One text's tf-idf row as `TfidfVectorizer(sublinear_tf=True)` computes it: the columns of the grams in
    `vocabulary` and their l2-normalised weights (both empty when no gram is known)."""
    ids = [i for i in (vocabulary.get(g) for g in grams) if i is not None]
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0)
    cols, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
    weights = (1.0 + np.log(counts)) * idf[cols]
    return cols, weights / np.linalg.norm(weights)
