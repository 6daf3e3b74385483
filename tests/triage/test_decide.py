"""The decision over hand-made scores: rules first, the most severe piece, the whole message for out of scope,
the safety-note band, rules alone without a classifier, and the reply variants."""

from __future__ import annotations

import numpy as np
import pytest

from bot.triage.decide import REFUSAL_TENTATIVE_BELOW, TENTATIVE_BELOW, decide
from bot.triage.model import KINDS, Thresholds

TH = Thresholds(
    lower={"emergency": 0.2, "crisis": 0.3, "refusal": 0.5, "out_of_scope": 0.5},
    upper={"emergency": 0.6, "crisis": 0.7, "refusal": 0.5, "out_of_scope": 0.5},
)
QUESTION = "what is naloxone"  # no rule fires on it


def row(**scores: float) -> list[float]:
    """One message's probabilities: the named kinds, the rest of the mass on `answer`."""
    out = [scores.get(kind, 0.0) for kind in KINDS]
    out[KINDS.index("answer")] = max(0.0, 1.0 - sum(out))
    return out


def matrix(*rows: list[float]) -> np.ndarray:
    return np.asarray(rows, dtype=np.float64)


ANSWER = matrix(row())


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ("he is not breathing", "emergency", "rule: not breathing"),
        ("my friend is overdosing", "emergency", "rule: overdosing now"),
        ("my 3 year old ate my pills", "emergency", "rule: child swallowed medicine"),
        ("i want to kill myself", "crisis", "rule: wants to die"),
    ],
)
def test_a_rule_wins_over_the_classifier(text: str, kind: str, reason: str) -> None:
    scores = matrix(row(refusal=0.9), row(out_of_scope=0.9))
    decision = decide(text, scores, TH)
    assert (decision.kind, decision.reason) == (kind, reason)


def test_a_past_sign_is_left_to_the_classifier() -> None:
    text = "he wasnt breathing last night"
    assert decide(text, ANSWER, TH).kind == "answer"
    assert decide(text, matrix(row(emergency=0.9)), TH).kind == "emergency"


@pytest.mark.parametrize(
    ("rows", "kind", "reason", "note"),
    [
        (
            [row(emergency=0.2, crisis=0.3), row(refusal=0.9), row(crisis=0.8), row(emergency=0.65)],
            "emergency",
            "classifier (piece 3, 0.65)",
            "crisis",  # its crisis piece counts too: the emergency reply ends with the 988 line
        ),
        ([row(crisis=0.3), row(refusal=0.9), row(crisis=0.8), row()], "crisis", "classifier (piece 2, 0.80)", ""),
        ([row(emergency=0.6), row(crisis=0.99)], "emergency", "classifier (message, 0.60)", ""),
        ([row(crisis=0.75), row(crisis=0.9)], "crisis", "classifier (message, 0.75)", ""),
    ],
)
def test_the_most_severe_piece_wins(rows: list[list[float]], kind: str, reason: str, note: str) -> None:
    decision = decide(QUESTION, matrix(*rows), TH)
    assert (decision.kind, decision.reason) == (kind, reason)
    assert decision.note == note


def test_a_piece_needs_a_clear_score_of_its_own() -> None:
    low = Thresholds(lower={**TH.lower, "emergency": 0.1}, upper={**TH.upper, "emergency": 0.3})
    whole = row(emergency=0.1)
    assert decide(QUESTION, matrix(whole, row(emergency=0.4), row(), row()), low).kind == "answer"
    assert decide(QUESTION, matrix(row(emergency=0.4)), low).kind == "emergency"
    assert decide(QUESTION, matrix(whole, row(emergency=0.5), row(), row()), low).kind == "emergency"


def test_a_clear_piece_decides_when_the_whole_message_reaches_the_note_level() -> None:
    # Which messages have pieces at all is `in_context`'s call (tests/triage/test_pieces.py).
    assert decide(QUESTION, matrix(row(emergency=0.2), row(emergency=0.9), row()), TH).kind == "emergency"
    assert decide(QUESTION, matrix(row(crisis=0.3), row(crisis=0.9)), TH).kind == "crisis"


def test_a_piece_alone_does_not_decide_when_the_whole_message_shows_no_sign() -> None:
    # "My friend OD'd last month. ... How can I help her now?": a piece without the sentence that dates it.
    decision = decide(QUESTION, matrix(row(emergency=0.19), row(emergency=0.9), row()), TH)
    assert decision.kind == "answer"
    assert decision.note == "emergency"
    assert decide(QUESTION, matrix(row(crisis=0.29), row(crisis=0.95), row()), TH).kind == "answer"


def test_refusal_is_judged_on_the_whole_message() -> None:
    # A missed refusal endangers no one; a safety question refused for one of its sentences does.
    assert decide(QUESTION, matrix(row(), row(refusal=0.9), row()), TH).kind == "answer"
    assert decide(QUESTION, matrix(row(refusal=0.6), row(), row()), TH).kind == "refusal"


@pytest.mark.parametrize(
    ("text", "rows", "note"),
    [
        (QUESTION, [row(emergency=0.65, crisis=0.3)], ""),
        (QUESTION, [row(emergency=0.6, crisis=0.7)], "crisis"),
        ("he is not breathing", [row(crisis=0.8)], "crisis"),  # a rule's emergency too
        (QUESTION, [row(emergency=0.9, crisis=0.5), row(crisis=0.95), row()], "crisis"),  # a clear piece
        (QUESTION, [row(emergency=0.9, crisis=0.29), row(crisis=0.95), row()], ""),  # no sign in the whole
    ],
)
def test_an_emergency_that_reads_as_a_crisis_carries_the_crisis_note(
    text: str, rows: list[list[float]], note: str
) -> None:
    decision = decide(text, matrix(*rows), TH)
    assert (decision.kind, decision.note) == ("emergency", note)


def test_a_childs_emergency_keeps_its_own_reply() -> None:
    decision = decide("my 3 year old ate my pills", matrix(row(crisis=0.9)), TH)
    assert (decision.kind, decision.variant, decision.note) == ("emergency", "child", "")


def test_out_of_scope_is_judged_on_the_whole_message() -> None:
    off = "tell me about the weather and football"
    assert decide(off, matrix(row(out_of_scope=0.9)), TH).kind == "out_of_scope"
    assert decide(off, matrix(row(out_of_scope=0.9)), TH).reason == "classifier (0.90)"
    assert decide(off, matrix(row(), row(out_of_scope=0.99), row(out_of_scope=0.99)), TH).kind == "answer"


def test_a_severe_piece_beats_an_off_topic_message() -> None:
    whole = row(out_of_scope=0.7, crisis=0.3)
    assert decide(QUESTION, matrix(whole, row(crisis=0.8), row(), row()), TH).kind == "crisis"


def test_an_off_topic_health_question_is_answered_not_redirected() -> None:
    decision = decide("I have a migraine", matrix(row(out_of_scope=0.9)), TH)
    assert (decision.kind, decision.health) == ("answer", True)


@pytest.mark.parametrize(
    ("rows", "note"),
    [
        ([row(emergency=0.2)], "emergency"),
        ([row(emergency=0.59)], "emergency"),
        ([row(crisis=0.3)], "crisis"),
        ([row(crisis=0.69)], "crisis"),
        ([row(emergency=0.3, crisis=0.5)], "emergency"),  # both in the band: the more severe note
        ([row(), row(crisis=0.5)], "crisis"),  # a piece in the band is enough
        ([row(emergency=0.19, crisis=0.29)], ""),
        ([row(refusal=0.49)], ""),  # refusal has no band
        ([row()], ""),
    ],
)
def test_the_safety_note_band(rows: list[list[float]], note: str) -> None:
    decision = decide(QUESTION, matrix(*rows), TH)
    assert decision.kind == "answer"
    assert decision.note == note


@pytest.mark.parametrize("thresholds", [TH, None])
def test_without_a_classifier_the_rules_decide_alone(thresholds: Thresholds | None) -> None:
    assert decide("he is not breathing", None, thresholds).kind == "emergency"
    assert decide("quiero morir", None, thresholds).kind == "crisis"
    decision = decide(QUESTION, None, thresholds)
    assert (decision.kind, decision.reason, decision.in_domain, decision.note) == ("answer", "no classifier", True, "")
    assert not decide("what's the weather tomorrow", None, thresholds).in_domain
    assert decide("I have a migraine", None, thresholds).health


def test_scores_without_thresholds_are_ignored() -> None:
    assert decide(QUESTION, matrix(row(emergency=0.99)), None).kind == "answer"


def test_the_classifier_can_bring_a_message_into_the_domain() -> None:
    text = "a question about something"  # no domain word
    assert decide(text, matrix(row()), TH).in_domain
    assert not decide(text, matrix(row(emergency=0.1, crisis=0.1, refusal=0.1, out_of_scope=0.3)), TH).in_domain


@pytest.mark.parametrize(
    ("text", "scores", "kind", "variant"),
    [
        ("my 3 year old ate my pills", ANSWER, "emergency", "child"),
        ("mi hijo se tragó unas pastillas", ANSWER, "emergency", "child"),
        ("my toddler opened the bottle and is not waking", matrix(row(emergency=0.9)), "emergency", "child"),
        ("he is not breathing", ANSWER, "emergency", ""),
        ("where can i buy subs on the street", matrix(row(refusal=0.9)), "refusal", "treatment"),
        ("comprar suboxone en la calle", matrix(row(refusal=0.9)), "refusal", "treatment"),
        ("how do i cook meth", matrix(row(refusal=0.9)), "refusal", ""),
        ("my son wants to buy subs on the street to kill himself", matrix(row(crisis=0.9)), "crisis", ""),
    ],
)
def test_reply_variants(text: str, scores: np.ndarray, kind: str, variant: str) -> None:
    decision = decide(text, scores, TH)
    assert (decision.kind, decision.variant) == (kind, variant)


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        ("the children ate some pills", "child"),
        # A grown son or daughter's overdose gets the adult steps (rescue breaths, a second dose).
        ("my daughter is on methadone and she is not breathing", ""),
    ],
)
def test_child_variant_needs_a_young_child(text: str, variant: str) -> None:
    decision = decide(text, matrix(row(emergency=0.9)), TH)
    assert (decision.kind, decision.variant) == ("emergency", variant)


LOW_CRISIS = Thresholds(lower={**TH.lower, "crisis": 0.1}, upper={**TH.upper, "crisis": 0.2})


@pytest.mark.parametrize(
    ("text", "rows", "tentative"),
    [
        (QUESTION, [row(crisis=0.3)], True),  # over the threshold, below TENTATIVE_BELOW
        (QUESTION, [row(crisis=TENTATIVE_BELOW)], False),  # as likely a crisis as not: the crisis reply
        (QUESTION, [row(crisis=0.3), row(crisis=0.6)], False),  # one piece is clearly a crisis
        ("i want to kill myself", [row(crisis=0.3)], False),  # a rule is never tentative
    ],
)
def test_a_crisis_below_even_odds_is_tentative(text: str, rows: list[list[float]], tentative: bool) -> None:
    decision = decide(text, matrix(*rows), LOW_CRISIS)
    assert decision.kind == "crisis"
    assert decision.tentative is tentative


def test_an_emergency_is_never_tentative() -> None:
    low = Thresholds(lower=LOW_CRISIS.lower, upper={**LOW_CRISIS.upper, "emergency": 0.2})
    assert not decide(QUESTION, matrix(row(emergency=0.3)), low).tentative


@pytest.mark.parametrize(
    ("text", "score", "tentative"),
    [
        (QUESTION, 0.55, True),  # over the refusal threshold, below REFUSAL_TENTATIVE_BELOW
        (QUESTION, REFUSAL_TENTATIVE_BELOW, False),  # sure enough: the refusal reply
        (QUESTION, 0.9, False),
    ],
)
def test_a_refusal_the_classifier_is_unsure_of_is_tentative(text: str, score: float, tentative: bool) -> None:
    decision = decide(text, matrix(row(refusal=score)), TH)
    assert decision.kind == "refusal"
    assert decision.tentative is tentative


OFF_TOPIC = Thresholds(lower=TH.lower, upper={**TH.upper, "out_of_scope": 0.4})


@pytest.mark.parametrize(
    ("scores", "kind"),
    [
        (row(refusal=0.52, out_of_scope=0.48), "out_of_scope"),  # unsure refusal, clearly off topic
        (row(refusal=0.55, out_of_scope=0.3), "refusal"),  # off topic below its threshold
        (row(refusal=0.7, out_of_scope=0.3), "refusal"),  # a sure refusal stays one
    ],
)
def test_an_unsure_refusal_that_is_off_topic_gets_the_out_of_scope_reply(scores: list[float], kind: str) -> None:
    assert decide("a good recipe for pot roast", matrix(scores), OFF_TOPIC).kind == kind


def test_an_unsure_off_topic_refusal_about_health_stays_a_refusal() -> None:
    # A health question is never redirected as out of scope (retrieval answers it or says it does not know).
    scores = matrix(row(refusal=0.52, out_of_scope=0.48))
    assert decide("what is a good diet for my pain", scores, OFF_TOPIC).kind == "refusal"
