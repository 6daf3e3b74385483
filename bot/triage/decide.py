"""Triage before retrieval: emergency, crisis, refusal, out of scope, or a question to answer.

Precise bilingual patterns (`bot.rules`) decide first; the nearest labelled examples, compared with the
question's own embedding (no second encode), catch phrasings the patterns miss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.triage import rules
from bot.triage.examples import TriageExample


@dataclass(frozen=True)
class Triage:
    """The kind a message gets before retrieval, and why."""

    kind: str
    reason: str
    variant: str = ""
    in_domain: bool = True
    health: bool = False


@dataclass(frozen=True)
class Neighbours:
    """The vote of the nearest labelled examples."""

    kind: str
    share: float
    similarity: float


def nearest(vector: np.ndarray | None, examples: list[TriageExample], vectors: np.ndarray) -> Neighbours | None:
    """Similarity-weighted vote of the `KNN_K` nearest examples above `KNN_MIN_SIMILARITY`."""
    if vector is None or not examples:
        return None
    sims = vectors @ vector
    k = min(rules.KNN_K, len(sims))
    top = np.argpartition(-sims, k - 1)[:k]
    votes: dict[str, float] = {}
    for i in top:
        if sims[i] >= rules.KNN_MIN_SIMILARITY:
            votes[examples[i].kind] = votes.get(examples[i].kind, 0.0) + float(sims[i])
    if not votes:
        return None
    kind, weight = max(votes.items(), key=lambda kv: kv[1])
    best = max(float(sims[i]) for i in top if examples[i].kind == kind)
    return Neighbours(kind, weight / sum(votes.values()), best)


def _strong(n: Neighbours | None, kind: str) -> bool:
    return (
        n is not None
        and n.kind == kind
        and n.share >= rules.KNN_STRONG_SHARE[kind]
        and n.similarity >= rules.KNN_STRONG_SIMILARITY[kind]
    )


def triage(text: str, neighbours: Neighbours | None) -> Triage:
    """Decide the reply kind for a message; `neighbours` may be None when no model is loaded."""
    t = rules.prepare(text)
    in_domain = bool(rules.DOMAIN.search(t))
    happening = bool(rules.EMERGENCY.search(t))
    not_now = bool(rules.NOT_NOW.search(t)) and not rules.NOW.search(t)
    child = bool(rules.CHILD_INGESTION.search(t))

    crisis = bool(rules.CRISIS.search(t)) and not (
        rules.CRISIS_INFO.search(t) and not rules.FIRST_PERSON_DISTRESS.search(t)
    )
    if crisis and (rules.FIRST_PERSON_INTENT.search(t) or rules.LETHAL_QUESTION.search(t)):
        return Triage("crisis", "pattern", in_domain=in_domain)
    if happening and not not_now:
        return Triage("emergency", "pattern", "child" if child else "", in_domain)
    if crisis:
        return Triage("crisis", "pattern", in_domain=in_domain)
    if _strong(neighbours, "emergency") and not not_now:
        return Triage("emergency", "neighbours", "child" if child else "", in_domain)
    if _strong(neighbours, "crisis"):
        return Triage("crisis", "neighbours", in_domain=in_domain)
    if rules.STREET_TREATMENT.search(t):
        return Triage("refusal", "pattern", "treatment", in_domain)
    refusal = rules.REFUSAL.search(t)
    political = bool(rules.POLITICS.search(t)) and not rules.ASKS_HOW.search(t)
    if refusal and not political and not _guarded(t, refusal.start(), refusal.end()):
        return Triage("refusal", "pattern", in_domain=in_domain)
    if _strong(neighbours, "refusal") and not rules.SAFETY_QUESTION.search(t):
        return Triage("refusal", "neighbours", in_domain=in_domain)
    if rules.OUT_OF_SCOPE.search(t):
        return Triage("out_of_scope", "pattern", in_domain=in_domain)
    health = bool(rules.HEALTH.search(t))
    if not in_domain and not health and (neighbours is None or neighbours.kind != "answer"):
        return Triage("out_of_scope", "no harm-reduction words", in_domain=False)
    return Triage("answer", "question", in_domain=in_domain, health=health)


def _guarded(text: str, start: int, end: int) -> bool:
    # "where can I get narcan" or "buy fentanyl test strips" ask for safety supplies, never a refusal: look at
    # the match and the few words after it ("fentanyl" is followed by "test strips").
    return bool(rules.REFUSAL_GUARD.search(text[start : end + 25]))
