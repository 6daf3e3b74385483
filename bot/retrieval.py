"""Hybrid retrieval: dense (FAISS) and BM25 scores fused in a tuned mix, preferring the question's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.corpus import Passage
from bot.index import LANGUAGES, Index
from bot.lexicon import stem_tokens, topic_cues
from bot.text import tokens

# A tuned mix: cosine similarity plus BM25 scaled to the best keyword match, so exact street terms and
# drug names lift a passage without drowning the meaning. Tuned on tests/data/eval.jsonl (README figures).
BM25_WEIGHT = 0.25
PHRASE_BONUS = 0.06
TOPIC_BONUS = 0.05
HEADING_BONUS = 0.1
_STOP = frozenset("the and for you your can how what does did are was with that this have from not but its".split())
# A passage in the other language still counts, but less: a Spanish question prefers Spanish documents.
OTHER_LANGUAGE_WEIGHT = 0.8


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
        self._headings = [set(stem_tokens(p.heading, p.language)) for p in index.passages]
        self._folded = [" ".join(tokens(f"{p.heading} {p.text}")) for p in index.passages]

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
        # Exact inner-product search over every passage (ids are row numbers); `load_index` runs FAISS on one
        # OpenMP thread, since a thread team per call cost ~12 ms on busy cores against ~0.04 ms alone.
        sims, ids = self.index.dense.search(query.vector.reshape(1, -1).astype(np.float32), n)
        scores[ids[0]] = sims[0]
        return scores

    def _phrase_bonus(self, query: Query) -> np.ndarray:
        # Two content words in a row ("recovery position", "test strip") that a passage also has in a row
        # are strong evidence the dense model alone can miss.
        words = [w for w in tokens(query.text) if len(w) > 2 and w not in _STOP]
        pairs = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
        bonus = np.zeros(len(self.index.passages), dtype=np.float32)
        if pairs:
            for i, text in enumerate(self._folded):
                bonus[i] = PHRASE_BONUS * min(2, sum(pair in text for pair in pairs))
        return bonus

    def _heading_bonus(self, query: Query) -> np.ndarray:
        # Headings say what a section answers ("How to use naloxone nasal spray"); a question that shares their
        # words is asking that.
        bonus = np.zeros(len(self.index.passages), dtype=np.float32)
        terms = {lang: set(stem_tokens(query.expanded, lang)) for lang in LANGUAGES}
        for i, heading in enumerate(self._headings):
            lang = self.index.passages[i].language
            if terms[lang] and heading:
                bonus[i] = HEADING_BONUS * len(terms[lang] & heading) / len(heading)
        return bonus

    def _topic_bonus(self, query: Query) -> np.ndarray:
        cues = topic_cues(query.text)
        bonus = np.zeros(len(self.index.passages), dtype=np.float32)
        if cues:
            for i, passage in enumerate(self.index.passages):
                bonus[i] = TOPIC_BONUS * min(2, len(cues.intersection(passage.topics)))
        return bonus

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
