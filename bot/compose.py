"""Turn retrieved passages into an extractive answer: chosen sentences, each with its `[n]` citation."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.corpus.documents import Source
from bot.lexicon import stem_tokens
from bot.search.index import Index
from bot.search.retriever import Hit, Query
from bot.text import tokens
from bot.tuning import (
    ACTION_FLOOR,
    CALL_911_FLOOR,
    CANDIDATE_PASSAGES,
    CONFIDENCE_DENSE_WEIGHT,
    CONFIDENCE_LEXICAL_WEIGHT,
    MAX_PER_PASSAGE,
    MMR_LAMBDA,
    NEAR_DUPLICATE,
    PASSAGE_FLOOR,
    RELATIVE_FLOOR,
    W_LEXICAL,
    W_PASSAGE,
    W_SENTENCE,
)
from bot.vocab import LANGUAGES, cite

# Characters of answer text before citations, per channel: one to two SMS segments, a chat bubble, an API reply.
BUDGETS = {"sms": 300, "web": 700, "api": 1000}
MAX_SENTENCES = {"sms": 3, "web": 6, "api": 10}
MAX_DOCUMENTS = {"sms": 2, "web": 3, "api": 3}
# An answer should say what to do: a sentence naming an action (911, naloxone, a helpline, a test strip, a
# health care provider) is added when none of the chosen ones does (`ACTION_FLOOR`).
ACTION = re.compile(
    r"\b(?:911|naloxon[ae]|narcan|1-800-662|findtreatment|988|poison help|test strips?|tiras? reactivas?|doctor|"
    r"health care provider|provider|pharmacist|m[ée]dico|farmac[ée]utico|l[íi]nea (?:nacional )?de ayuda|helpline)\b",
    re.IGNORECASE,
)
# Sentences whose last this-many words match end alike.
ENDING_WORDS = 4
# Overdose response (CDC: give naloxone and call 911) is incomplete without 911.
OVERDOSE_CONTEXT = re.compile(r"\b(?:overdos\w*|naloxon[ae]|narcan|rescue breath\w*|sobredosis)\b", re.IGNORECASE)
CALL_911 = re.compile(r"\b911\b")


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


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer, with the first sentence quoted from it."""

    id: int
    source: Source
    snippet: str


def _coverage(query_terms: set[str], sentence: str, lang: str) -> float:
    if not query_terms:
        return 0.0
    return len(query_terms & set(stem_tokens(sentence, lang))) / len(query_terms)


def _candidates(query: Query, hits: list[Hit], index: Index) -> tuple[list[_Candidate], int]:
    """Scored sentences of the top passages, and how many of those passages clear `PASSAGE_FLOOR`."""
    terms: dict[str, set[str]] = {lang: set(stem_tokens(query.expanded, lang)) for lang in LANGUAGES}
    # An answer speaks one language: the question's, when the corpus has passages in it among the hits.
    same = [h for h in hits if h.passage.language == query.language]
    hits = same or hits
    top = hits[0].score if hits else 0.0
    out = []
    cutoff = next(
        (rank for rank, hit in enumerate(hits[:CANDIDATE_PASSAGES]) if top > 0 and hit.score < PASSAGE_FLOOR * top),
        min(len(hits), CANDIDATE_PASSAGES),
    )
    for rank, hit in enumerate(hits[:CANDIDATE_PASSAGES]):
        start, _ = index.sentence_range(hit.row)
        # A sentence inherits part of its passage's relevance: "Spray it in one nostril" scores low alone but
        # sits in the passage about how to give naloxone.
        passage = hit.score / top if top > 0 else 0.0
        for pos, sentence in enumerate(hit.passage.sentences):
            vector = index.sentence_vectors[start + pos] if query.vector is not None else None
            lexical = _coverage(terms[hit.passage.language], sentence, hit.passage.language)
            dense = float(vector @ query.vector) if vector is not None and query.vector is not None else lexical
            score = W_SENTENCE * dense + W_PASSAGE * passage + W_LEXICAL * lexical
            out.append(_Candidate(rank, pos, sentence, hit.passage.doc_id, score, vector, lexical))
    return out, cutoff


def confidence(query: Query, hits: list[Hit]) -> float:
    """How sure retrieval is that the corpus answers the question, from 0 to 1."""
    if not hits:
        return 0.0
    terms = set(stem_tokens(query.expanded, hits[0].passage.language))
    lexical = max(_coverage(terms, h.passage.heading + " " + h.passage.text, h.passage.language) for h in hits[:3])
    if query.vector is None:
        return round(min(1.0, lexical), 3)
    dense = max(h.dense for h in hits[:3])
    return round(float(min(1.0, max(0.0, CONFIDENCE_DENSE_WEIGHT * dense + CONFIDENCE_LEXICAL_WEIGHT * lexical))), 3)


def compose(query: Query, hits: list[Hit], index: Index, channel: str) -> Composed:
    """Pick and order the sentences that answer the question, within the channel's budget."""
    budget = BUDGETS[channel]
    # Sentences of passages below the floor are kept aside: a step to take may be added from them later.
    every, cutoff = _candidates(query, hits, index)
    pool = sorted((c for c in every if c.hit_rank < cutoff), key=lambda c: -c.score)
    pool_best = max((c.score for c in pool), default=0.0)
    chosen, used = _select(pool, pool_best, channel)
    if chosen and not any(ACTION.search(c.sentence) for c in chosen):
        used = _add_action(every, chosen, used, budget, pool_best, ACTION, ACTION_FLOOR)
    # An answer about responding to an overdose always says to call 911 when a quoted passage says so.
    if chosen and OVERDOSE_CONTEXT.search(query.text + " " + " ".join(c.sentence for c in chosen)):
        if not any("911" in c.sentence for c in chosen):
            used = _add_action(every, chosen, used, budget, pool_best, CALL_911, CALL_911_FLOOR)
        if not any("911" in c.sentence for c in chosen):
            used = _add_from_cited(query, index, chosen, used, budget, CALL_911)
    chosen.sort(key=lambda c: (c.hit_rank, c.position))
    text, citations = _cited(chosen, index)
    # Ranks in `chosen` count within the question's language, as `_candidates` saw the hits.
    followups = _followups(
        [h for h in hits if h.passage.language == query.language] or hits, {c.hit_rank for c in chosen}
    )
    return Composed(text, citations, confidence(query, hits), followups)


def _select(pool: list[_Candidate], pool_best: float, channel: str) -> tuple[list[_Candidate], int]:
    """Maximal marginal relevance over the pool: each next sentence must be relevant and add something new."""
    budget, max_sentences = BUDGETS[channel], MAX_SENTENCES[channel]
    chosen: list[_Candidate] = []
    used = 0
    # Each candidate's greatest overlap with the sentences chosen so far, updated once per choice instead of
    # recomputed for the whole pool on every pass (that made this loop the slowest step of an answer).
    redundancy = [0.0] * len(pool)
    left = list(range(len(pool)))
    while left and len(chosen) < max_sentences:
        best_i = max(left, key=lambda i: (MMR_LAMBDA * pool[i].score - (1 - MMR_LAMBDA) * redundancy[i], -i))
        best = pool[best_i]
        left.remove(best_i)
        if chosen and best.score < pool_best * RELATIVE_FLOOR:
            break
        cost = len(best.sentence) + 5
        if not _admissible(best, chosen, redundancy[best_i], channel) or (chosen and used + cost > budget):
            continue
        chosen.append(best)
        used += cost
        for i in left:
            redundancy[i] = max(redundancy[i], _overlap(pool[i], best))
    return chosen, used


def _admissible(best: _Candidate, chosen: list[_Candidate], redundancy: float, channel: str) -> bool:
    docs = {c.doc_id for c in chosen}
    if best.doc_id not in docs and len(docs) >= MAX_DOCUMENTS[channel]:
        return False
    # A few sentences from any one passage: an answer that lists every form of a medicine crowds out
    # whether the medicine works.
    if sum(c.hit_rank == best.hit_rank for c in chosen) >= MAX_PER_PASSAGE:
        return False
    # Sentences that end alike ("... can be a sign of an opioid overdose") read as a list of fragments: one is
    # enough, and the next-best sentence says something else.
    if any(_ending(c.sentence) == _ending(best.sentence) for c in chosen):
        return False
    return redundancy <= NEAR_DUPLICATE


def _ending(sentence: str) -> tuple[str, ...]:
    return tuple(tokens(sentence)[-ENDING_WORDS:])


def _cited(chosen: list[_Candidate], index: Index) -> tuple[str, tuple[Citation, ...]]:
    """The answer text with a `[n]` after each sentence, numbering documents in order of first use."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts = []
    for cand in chosen:
        if cand.doc_id not in numbers:
            numbers[cand.doc_id] = len(numbers) + 1
            citations.append(Citation(numbers[cand.doc_id], index.sources[cand.doc_id], cand.sentence))
        parts.append(mark_cited(cand.sentence, numbers[cand.doc_id]))
    return " ".join(parts), tuple(citations)


def _add_action(
    every: list[_Candidate],
    chosen: list[_Candidate],
    used: int,
    budget: int,
    best: float,
    wanted: re.Pattern[str],
    floor: float,
) -> int:
    # Look past the passage floor: the step to take often sits in the next passage down.
    taken = {c.sentence for c in chosen}
    actions = [c for c in every if c.sentence not in taken and wanted.search(c.sentence) and c.score >= best * floor]
    if not actions:
        return used
    return _append(chosen, max(actions, key=lambda c: c.score), used, budget)


def _add_from_cited(
    query: Query, index: Index, chosen: list[_Candidate], used: int, budget: int, wanted: re.Pattern[str]
) -> int:
    # The step may sit in another section of a document the answer already cites ("call 911" in the toolkit's
    # first step); quote the closest such sentence from those documents.
    docs = {c.doc_id for c in chosen}
    found: list[_Candidate] = []
    for row, passage in enumerate(index.passages):
        if passage.doc_id not in docs:
            continue
        start, _ = index.sentence_range(row)
        for pos, sentence in enumerate(passage.sentences):
            if wanted.search(sentence):
                vector = index.sentence_vectors[start + pos] if query.vector is not None else None
                score = float(vector @ query.vector) if vector is not None and query.vector is not None else 0.0
                rank = min(c.hit_rank for c in chosen if c.doc_id == passage.doc_id)
                found.append(_Candidate(rank, 10_000 + pos, sentence, passage.doc_id, score, vector, 0.0))
    if not found:
        return used
    return _append(chosen, max(found, key=lambda c: c.score), used, budget)


def _append(chosen: list[_Candidate], extra: _Candidate, used: int, budget: int) -> int:
    # To make room within the budget, the weakest chosen sentence gives way.
    cost = len(extra.sentence) + 5
    if used + cost > budget and len(chosen) > 1:
        weakest = min(range(len(chosen)), key=lambda i: chosen[i].score)
        used -= len(chosen.pop(weakest).sentence) + 5
    if used + cost <= budget:
        chosen.append(extra)
        used += cost
    return used


def _overlap(a: _Candidate, b: _Candidate) -> float:
    if a.vector is not None and b.vector is not None:
        return float(a.vector @ b.vector)
    ta, tb = set(a.sentence.lower().split()), set(b.sentence.lower().split())
    return len(ta & tb) / max(1, len(ta | tb))


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


def mark_cited(sentence: str, number: int) -> str:
    """Put the citation marker before the sentence's closing punctuation: "... nostril [1]."."""
    if sentence[-1:] in ".!?":
        return f"{sentence[:-1]} {cite(number)}{sentence[-1]}"
    return f"{sentence} {cite(number)}"
