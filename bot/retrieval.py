"""Hybrid retrieval: dense (FAISS) and BM25 rankings fused by reciprocal rank, preferring the question's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.corpus import Passage
from bot.index import LANGUAGES, Index
from bot.lexicon import stem_tokens

# Reciprocal-rank fusion constant from Cormack et al. (2009); 60 works across collections without tuning.
RRF_K = 60
# A passage in the other language still counts, but less: a Spanish question prefers Spanish documents.
OTHER_LANGUAGE_WEIGHT = 0.55


@dataclass(frozen=True)
class Query:
    """A question ready for retrieval: its text, the text with street words expanded, language and vector."""

    text: str
    expanded: str
    language: str
    vector: np.ndarray | None


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its fused score and the two scores behind it."""

    row: int
    passage: Passage
    score: float
    dense: float
    bm25: float


class Retriever(Protocol):
    """Anything that ranks passages for a query."""

    def search(self, query: Query, k: int) -> list[Hit]:
        """The k best passages, best first."""
        ...


class HybridRetriever:
    """Dense + BM25 over one loaded `Index`."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._vocab = {lang: set(bm.vocab_dict) for lang, bm in index.bm25.items()}

    def _bm25_scores(self, query: Query) -> np.ndarray:
        scores = np.zeros(len(self.index.passages), dtype=np.float32)
        for lang in LANGUAGES:
            bm = self.index.bm25.get(lang)
            if bm is None:
                continue
            terms = [t for t in stem_tokens(query.expanded, lang) if t in self._vocab[lang]]
            if terms:
                scores[self.index.bm25_rows[lang]] = bm.get_scores(terms)
        return scores

    def _dense_scores(self, query: Query) -> np.ndarray:
        n = len(self.index.passages)
        scores = np.zeros(n, dtype=np.float32)
        if query.vector is None or n == 0:
            return scores
        sims, ids = self.index.dense.search(query.vector.reshape(1, -1).astype(np.float32), n)
        scores[ids[0]] = sims[0]
        return scores

    def search(self, query: Query, k: int = 5) -> list[Hit]:
        """Rank every passage and return the k best; with no query vector, BM25 alone (degraded mode)."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        dense = self._dense_scores(query)
        bm25 = self._bm25_scores(query)
        fused = np.zeros_like(dense)
        if query.vector is not None:
            fused += 1.0 / (RRF_K + _ranks(dense))
        fused += np.where(bm25 > 0, 1.0 / (RRF_K + _ranks(bm25)), 0.0)
        weights = np.array(
            [1.0 if p.language == query.language else OTHER_LANGUAGE_WEIGHT for p in self.index.passages]
        )
        fused *= weights
        order = np.argsort(-fused)[:k]
        return [
            Hit(int(i), self.index.passages[i], float(fused[i]), float(dense[i]), float(bm25[i]))
            for i in order
            if fused[i] > 0
        ]


def _ranks(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[np.argsort(-scores)] = np.arange(1, len(scores) + 1)
    return ranks
