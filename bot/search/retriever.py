"""Hybrid retrieval: dense (FAISS) and BM25 scores fused in a tuned mix, preferring the question's language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.corpus.documents import Passage
from bot.corpus.topics import topic_cues
from bot.lexicon import stem_tokens
from bot.search.index import Index
from bot.text import tokens
from bot.tuning import BM25_WEIGHT, HEADING_BONUS, OTHER_LANGUAGE_WEIGHT, PHRASE_BONUS, TOPIC_BONUS
from bot.vocab import LANGUAGES

_STOP = frozenset("the and for you your can how what does did are was with that this have from not but its".split())


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
        # Inverted maps built once, so the per-question bonuses touch only the passages that match.
        self._bigrams: dict[str, list[int]] = defaultdict(list)
        self._heading_rows: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._heading_size = np.ones(len(index.passages), dtype=np.float32)
        self._topic_rows: dict[str, list[int]] = defaultdict(list)
        for row, p in enumerate(index.passages):
            words = [_singular(w) for w in tokens(f"{p.heading} {p.text}")]
            for pair in {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}:
                self._bigrams[pair].append(row)
            heading = set(stem_tokens(p.heading, p.language))
            self._heading_size[row] = max(1, len(heading))
            for stem in heading:
                self._heading_rows[(p.language, stem)].append(row)
            for topic in p.topics:
                self._topic_rows[topic].append(row)

    def _bm25_scores(self, query: Query) -> np.ndarray:
        # Keywords match passages in the question's language only: another language's stemmer makes false
        # matches of its words ("use" and Spanish "uso" both stem to "us"); the dense side crosses languages.
        scores = np.zeros(len(self.index.passages), dtype=np.float32)
        lang = query.language
        bm = self.index.bm25.get(lang)
        if bm is not None:
            terms = [t for t in stem_tokens(query.expanded, lang) if t in self._vocab[lang]]
            if terms:
                scores[self.index.bm25_rows[lang]] = bm.get_scores(terms)
        return scores

    def _dense_scores(self, query: Query) -> np.ndarray:
        n = len(self.index.passages)
        scores = np.zeros(n, dtype=np.float32)
        if query.vector is None or n == 0:
            return scores
        # Exact inner-product search over every passage (ids are row numbers); `load_index` runs FAISS on one
        # OpenMP thread, since a thread team per call cost ~12 ms on busy cores against ~0.04 ms alone.
        sims, ids = self.index.dense.search(query.vector.reshape(1, -1).astype(np.float32), n)
        scores[ids[0]] = sims[0]
        return scores

    def _phrase_bonus(self, query: Query) -> np.ndarray:
        # Two content words in a row ("recovery position", "test strip") that a passage also has in a row
        # are strong evidence the dense model alone can miss.
        words = [_singular(w) for w in tokens(query.text) if len(w) > 2 and w not in _STOP]
        counts = np.zeros(len(self.index.passages), dtype=np.float32)
        for pair in {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}:
            counts[self._bigrams.get(pair, [])] += 1
        return PHRASE_BONUS * np.minimum(counts, 2)

    def _heading_bonus(self, query: Query) -> np.ndarray:
        # Headings say what a section answers ("How to use naloxone nasal spray"); a question that shares their
        # words is asking that.
        shared = np.zeros(len(self.index.passages), dtype=np.float32)
        for lang in LANGUAGES:
            for stem in set(stem_tokens(query.expanded, lang)):
                shared[self._heading_rows.get((lang, stem), [])] += 1
        return HEADING_BONUS * shared / self._heading_size

    def _topic_bonus(self, query: Query) -> np.ndarray:
        counts = np.zeros(len(self.index.passages), dtype=np.float32)
        for topic in topic_cues(query.text):
            counts[self._topic_rows.get(topic, [])] += 1
        return TOPIC_BONUS * np.minimum(counts, 2)

    def search(self, query: Query, k: int = 5) -> list[Hit]:
        """Rank every passage and return the k best; with no query vector, BM25 alone (degraded mode)."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        dense = self._dense_scores(query)
        bm25 = self._bm25_scores(query)
        top = float(bm25.max()) if len(bm25) else 0.0
        keyword = bm25 / top if top > 0 else bm25
        fused = dense + BM25_WEIGHT * keyword if query.vector is not None else keyword
        weights = np.array(
            [1.0 if p.language == query.language else OTHER_LANGUAGE_WEIGHT for p in self.index.passages]
        )
        fused += self._phrase_bonus(query) + self._topic_bonus(query) + self._heading_bonus(query)
        fused *= weights
        order = np.argsort(-fused)[:k]
        return [
            Hit(int(i), self.index.passages[i], float(fused[i]), float(dense[i]), float(bm25[i]))
            for i in order
            if fused[i] > 0
        ]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
