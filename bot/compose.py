"""Turn retrieved passages into an extractive answer: chosen sentences, each with its `[n]` citation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.corpus import Source
from bot.index import Index
from bot.lexicon import stem_tokens
from bot.retrieval import Hit, Query

# Characters of answer text before citations, per channel: one to two SMS segments, a chat bubble, an API reply.
BUDGETS = {"sms": 300, "web": 700, "api": 1000}
MAX_SENTENCES = {"sms": 3, "web": 4, "api": 5}
MAX_DOCUMENTS = {"sms": 2, "web": 3, "api": 3}
# Passages whose sentences are considered, and how far below the best sentence another may score and still be used.
CANDIDATE_PASSAGES = 4
RELATIVE_FLOOR = 0.78
NEAR_DUPLICATE = 0.9


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer, with the first sentence quoted from it."""

    id: int
    source: Source
    snippet: str


@dataclass(frozen=True)
class Composed:
    """An answer assembled from corpus sentences."""

    text: str
    citations: tuple[Citation, ...]
    confidence: float
    followups: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    position: int
    sentence: str
    doc_id: str
    score: float
    vector: np.ndarray | None
    lexical: float


def _coverage(query_terms: set[str], sentence: str, lang: str) -> float:
    if not query_terms:
        return 0.0
    return len(query_terms & set(stem_tokens(sentence, lang))) / len(query_terms)


def _candidates(query: Query, hits: list[Hit], index: Index) -> list[_Candidate]:
    terms = {lang: set(stem_tokens(query.expanded, lang)) for lang in ("en", "es")}
    out = []
    for rank, hit in enumerate(hits[:CANDIDATE_PASSAGES]):
        start, _ = index.sentence_range(hit.row)
        for pos, sentence in enumerate(hit.passage.sentences):
            vector = index.sentence_vectors[start + pos] if query.vector is not None else None
            lexical = _coverage(terms[hit.passage.language], sentence, hit.passage.language)
            dense = float(vector @ query.vector) if vector is not None and query.vector is not None else 0.0
            # Sentence meaning counts most; shared words break ties; a better-ranked passage gets a small lift.
            score = (0.6 * dense + 0.25 * lexical if vector is not None else lexical) + 0.05 * (
                CANDIDATE_PASSAGES - rank
            ) / CANDIDATE_PASSAGES
            out.append(_Candidate(rank, pos, sentence, hit.passage.doc_id, score, vector, lexical))
    return out


def confidence(query: Query, hits: list[Hit], index: Index) -> float:
    """How sure retrieval is that the corpus answers the question, from 0 to 1."""
    if not hits:
        return 0.0
    terms = set(stem_tokens(query.expanded, hits[0].passage.language))
    lexical = max(_coverage(terms, h.passage.heading + " " + h.passage.text, h.passage.language) for h in hits[:3])
    if query.vector is None:
        return round(min(1.0, lexical), 3)
    dense = max(h.dense for h in hits[:3])
    return round(float(min(1.0, max(0.0, 0.7 * dense + 0.3 * lexical))), 3)


def compose(query: Query, hits: list[Hit], index: Index, channel: str) -> Composed:
    """Pick and order the sentences that answer the question, within the channel's budget."""
    budget, max_sentences = BUDGETS[channel], MAX_SENTENCES[channel]
    candidates = sorted(_candidates(query, hits, index), key=lambda c: -c.score)
    chosen: list[_Candidate] = []
    used = 0
    for cand in candidates:
        if chosen and cand.score < chosen[0].score * RELATIVE_FLOOR:
            break
        if len(chosen) >= max_sentences:
            break
        docs = {c.doc_id for c in chosen}
        if cand.doc_id not in docs and len(docs) >= MAX_DOCUMENTS[channel]:
            continue
        if any(_similar(cand, c) for c in chosen):
            continue
        cost = len(cand.sentence) + 5
        if chosen and used + cost > budget:
            continue
        chosen.append(cand)
        used += cost
    chosen.sort(key=lambda c: (c.hit_rank, c.position))
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts = []
    for cand in chosen:
        if cand.doc_id not in numbers:
            numbers[cand.doc_id] = len(numbers) + 1
            citations.append(Citation(numbers[cand.doc_id], index.sources[cand.doc_id], cand.sentence))
        parts.append(f"{cand.sentence} [{numbers[cand.doc_id]}]")
    followups = _followups(hits, {c.hit_rank for c in chosen})
    return Composed(" ".join(parts), tuple(citations), confidence(query, hits, index), followups)


def _similar(a: _Candidate, b: _Candidate) -> bool:
    if a.vector is not None and b.vector is not None:
        return float(a.vector @ b.vector) > NEAR_DUPLICATE
    ta, tb = set(a.sentence.lower().split()), set(b.sentence.lower().split())
    return len(ta & tb) / max(1, len(ta | tb)) > 0.7


def _followups(hits: list[Hit], used_ranks: set[int]) -> tuple[str, ...]:
    seen: list[str] = []
    for rank, hit in enumerate(hits):
        heading = hit.passage.heading.rstrip(".")
        if rank in used_ranks or heading in seen:
            continue
        seen.append(heading)
        if len(seen) == 2:
            break
    return tuple(seen)
