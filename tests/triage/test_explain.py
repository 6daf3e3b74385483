"""`explain`: what `hrbot triage` prints for a decision, with and without the classifier's scores."""

from __future__ import annotations

import numpy as np

from bot.triage.decide import Triage
from bot.triage.explain import explain
from bot.triage.model import KINDS, Thresholds


def test_without_a_classifier_the_rules_are_named() -> None:
    out = explain(
        Triage("emergency", "rule: not breathing", variant="opioid"), ["he is not breathing"], None, None, False
    )
    assert out.splitlines() == [
        "kind: emergency (opioid)",
        "decided by: rule: not breathing",
        "no classifier loaded: the rules alone decide",
    ]


def test_scores_are_one_row_per_piece_with_the_thresholds_last() -> None:
    scores = np.array([[0.1, 0.7, 0.05, 0.05, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2]])[:, : len(KINDS)]
    upper = dict.fromkeys(KINDS, 0.5)
    decision = Triage("crisis", "classifier", note="crisis")
    texts = ["i want it to stop. how do i use narcan", "i want it to stop"]
    lines = explain(decision, texts, scores, Thresholds(lower=upper, upper=upper), True).splitlines()
    assert lines[0] == "kind: crisis, safety note: crisis"
    assert lines[2] == f"normalised: {texts[0]}"
    assert lines[3].split() == ["piece", *KINDS]
    assert lines[4].split()[:2] == ["message", f"{scores[0][0]:.3f}"]
    # A piece's row ends with its text; the message's row does not repeat it.
    assert lines[5].startswith("1") and lines[5].endswith("i want it to stop")
    assert lines[6].split() == ["upper", *(["0.500"] * len(KINDS))]
