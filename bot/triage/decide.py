"""Triage before retrieval: the rules, then the classifier over the message and each of its pieces.

The most severe kind that any piece reaches wins (emergency > crisis > refusal); out of scope is judged on the
whole message only, since a piece of an on-topic question can look off-topic alone. Between a kind's lower
and upper thresholds the message is answered, with a one-line safety note first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.triage import rules
from bot.triage.model import KINDS, Thresholds

_SEVERE = ("emergency", "crisis", "refusal")
_NOTED = ("emergency", "crisis")


@dataclass(frozen=True)
class Triage:
    """The kind a message gets before retrieval, and why."""

    kind: str
    reason: str
    variant: str = ""
    in_domain: bool = True
    health: bool = False
    note: str = ""  # "emergency" or "crisis": the safety note an answer carries first


def decide(text: str, scores: np.ndarray | None, thresholds: Thresholds | None) -> Triage:
    """Decide the reply kind for a normalised message.

    Args:
        text: the normalised message.
        scores: classifier probabilities, the whole message in row 0 and its pieces after it, columns in
            `KINDS` order; None when no classifier is loaded (rules alone then decide).
        thresholds: the classifier's thresholds, with `scores`.
    """
    t = rules.prepare(text)
    in_domain = bool(rules.DOMAIN.search(t))
    rule = rules.match(t)
    if rule is not None:
        return _decided(rule.kind, f"rule: {rule.name}", t, in_domain)
    if scores is None or thresholds is None:
        return Triage("answer", "no classifier", in_domain=in_domain, health=bool(rules.HEALTH.search(t)))
    top = scores.max(axis=0)
    for kind in _SEVERE:
        j = KINDS.index(kind)
        if top[j] >= thresholds.upper[kind]:
            row = int(np.argmax(scores[:, j]))
            where = "message" if row == 0 else f"piece {row}"
            return _decided(kind, f"classifier ({where}, {top[j]:.2f})", t, in_domain)
    whole = scores[0]
    if whole[KINDS.index("out_of_scope")] >= thresholds.upper["out_of_scope"]:
        return Triage("out_of_scope", f"classifier ({whole[KINDS.index('out_of_scope')]:.2f})", in_domain=in_domain)
    note = next((k for k in _NOTED if top[KINDS.index(k)] >= thresholds.lower[k]), "")
    in_domain = in_domain or bool(whole[KINDS.index("answer")] >= 0.5)
    return Triage("answer", "question", in_domain=in_domain, health=bool(rules.HEALTH.search(t)), note=note)


def _decided(kind: str, reason: str, prepared: str, in_domain: bool) -> Triage:
    variant = ""
    if kind == "emergency" and rules.CHILD_INGESTION.search(prepared):
        variant = "child"
    elif kind == "refusal" and rules.STREET_TREATMENT.search(prepared):
        variant = "treatment"
    return Triage(kind, reason, variant, in_domain)
