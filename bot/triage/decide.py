"""Triage before retrieval: the rules, then the classifier over the message and each of its pieces.

The most severe kind that the message reaches wins (emergency > crisis > refusal). In long messages a piece can
tip an emergency or a crisis over when it is clearly of that kind and the whole message already reaches the
kind's lower threshold. Refusal and out of scope are judged on the whole message only, since a piece of an
on-topic question can look off-topic or like a request alone. Between a kind's lower and upper thresholds the
message is answered, with a one-line safety note first."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from bot.triage import rules
from bot.triage.model import KINDS, Thresholds

_SEVERE = ("emergency", "crisis", "refusal")
_NOTED = ("emergency", "crisis")
# Pieces (`bot.triage.pieces.in_context`: in messages of three or more sentences or word windows, each sentence
# with the next) escalate at PIECE_FLOOR or above (or the kind's own threshold, if higher). On the evaluation sets
# of tests/data (1,006 cases), every piece at the message thresholds added 22 escalated questions that should have
# been answered and routed no emergency, crisis or refusal the whole messages had missed; long messages only, at
# 0.5, add 5. Reading each sentence with the next instead of alone cut the escalated questions on every set there
# from 83 to 69 and routed the same emergencies and crises. Requiring the whole message to reach the kind's lower
# threshold, and leaving refusal to the whole message (a missed refusal endangers no one: the corpus holds no way
# to make or get drugs), took 9 more escalated questions off those sets and the eighteenth (123 to 114), and
# routed the same emergencies, crises and refusals.
PIECE_FLOOR = 0.5
# A crisis the classifier decides with a probability below this, on the message and on every piece, is tentative:
# when the message closely paraphrases a question an answer card answers (`bot.tuning.CARD_PARAPHRASE`), the
# service answers from that card with the 988 line first instead of sending the crisis reply. Questions people ask
# about staying safe ("how many naloxone doses should I carry", "can I get take-home methadone") reached the crisis
# threshold, which keeps 96% of training crises, with probabilities of 0.15 to 0.5. A message the model finds more
# likely a crisis than not always gets the crisis reply, and so does any message a rule decides.
TENTATIVE_BELOW = 0.5
# A refusal the classifier decides with a probability below this, on the whole message, is tentative in the same
# way: a message that closely paraphrases a card's question is answered from that card. Questions about staying
# safe ("how do I test my coke for fentanyl", "where do I throw out my mom's old pills", "are the bars my friend
# sells real or pressed") reach the refusal threshold with probabilities of 0.51 to 0.6. On the seen sets of
# tests/data and the dev set (6,294 messages), this answered 8 of the 34 answerable questions that were refused
# and none of the 567 refusals declined there; at 0.7, 11 questions and 5 refusals.
REFUSAL_TENTATIVE_BELOW = 0.6


@dataclass(frozen=True)
class Triage:
    """The kind a message gets before retrieval, and why."""

    kind: str
    reason: str
    variant: str = ""
    in_domain: bool = True
    health: bool = False
    # "emergency" or "crisis": the safety note an answer carries first; on an emergency, "crisis" when the message
    # reads as a crisis too, so the emergency reply ends with the 988 line.
    note: str = ""
    # A crisis or a refusal the classifier is unsure of (TENTATIVE_BELOW, REFUSAL_TENTATIVE_BELOW): answered
    # from a card the message closely paraphrases.
    tentative: bool = False


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
    if scores is None or thresholds is None:
        if rule is not None:
            return _decided(rule.kind, f"rule: {rule.name}", t, in_domain)
        return Triage("answer", "no classifier", in_domain=in_domain, health=bool(rules.HEALTH.search(t)))
    # An overdose can be a suicide attempt: an emergency that reads as a crisis too ends with the 988 line.
    also_crisis = _reaches("crisis", scores, thresholds)
    if rule is not None:
        return _decided(rule.kind, f"rule: {rule.name}", t, in_domain, also_crisis)
    top = scores.max(axis=0)
    for kind in _SEVERE:
        j = KINDS.index(kind)
        if scores[0, j] >= thresholds.upper[kind]:
            decided = _decided(kind, f"classifier (message, {scores[0, j]:.2f})", t, in_domain, also_crisis)
            if kind == "crisis" and top[j] < TENTATIVE_BELOW:
                return replace(decided, tentative=True)
            if kind == "refusal" and scores[0, j] < REFUSAL_TENTATIVE_BELOW:
                # An unsure refusal that is also out of scope gets that reply: both decline, and the redirect
                # fits a recipe or a game that only shares a word with drugs ("crack filler for a driveway",
                # "falling apart tender"). On the seen sets of tests/data and the dev set (8,494 messages) that
                # moved 3 out-of-scope questions from the refusal reply to their own and no refusal.
                health = bool(rules.HEALTH.search(t))
                redirect = _off_topic(scores, thresholds, in_domain, health, ", over an unsure refusal")
                return redirect or replace(decided, tentative=True)
            return decided
        if kind in _NOTED and _reaches(kind, scores, thresholds):
            row = int(np.argmax(scores[:, j]))
            return _decided(kind, f"classifier (piece {row}, {top[j]:.2f})", t, in_domain, also_crisis)
    health = bool(rules.HEALTH.search(t))
    redirect = _off_topic(scores, thresholds, in_domain, health)
    if redirect is not None:
        return redirect
    whole = scores[0]
    note = next((k for k in _NOTED if top[KINDS.index(k)] >= thresholds.lower[k]), "")
    in_domain = in_domain or bool(whole[KINDS.index("answer")] >= 0.5)
    return Triage("answer", "question", in_domain=in_domain, health=health, note=note)


def _off_topic(
    scores: np.ndarray, thresholds: Thresholds, in_domain: bool, health: bool, why: str = ""
) -> Triage | None:
    """The out-of-scope decision when the whole message reaches that kind's threshold, else None. A health question
    off the corpus's topics is not redirected: retrieval's low confidence turns it into "no answer" with the
    helpline."""
    off_topic = scores[0, KINDS.index("out_of_scope")]
    if off_topic >= thresholds.upper["out_of_scope"] and not health:
        return Triage("out_of_scope", f"classifier ({off_topic:.2f}{why})", in_domain=in_domain)
    return None


def _reaches(kind: str, scores: np.ndarray, thresholds: Thresholds) -> bool:
    """Whether the whole message, or one of its pieces, reaches the kind's decision threshold.

    A piece has less context than the whole ("last year", "what if" may sit in another sentence), so it counts
    only when it is clearly of the kind and the whole message already reaches the kind's lower threshold (the
    safety-note level).
    """
    j = KINDS.index(kind)
    if scores[0, j] >= thresholds.upper[kind]:
        return True
    return bool(
        len(scores) > 1
        and scores[0, j] >= thresholds.lower[kind]
        and scores[:, j].max() >= max(thresholds.upper[kind], PIECE_FLOOR)
    )


def _decided(kind: str, reason: str, prepared: str, in_domain: bool, also_crisis: bool = False) -> Triage:
    variant = ""
    note = ""
    if kind == "emergency" and rules.CHILD_INGESTION.search(prepared):
        variant = "child"
    elif kind == "emergency" and also_crisis:
        note = "crisis"
    elif kind == "refusal" and rules.STREET_TREATMENT.search(prepared):
        variant = "treatment"
    return Triage(kind, reason, variant, in_domain, note=note)
