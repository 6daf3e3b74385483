"""What `hrbot triage` prints: the kind a message got, the layer that decided it, and each piece's scores."""

from __future__ import annotations

import numpy as np

from bot.triage.decide import Triage
from bot.triage.model import KINDS, Thresholds


def explain(
    decision: Triage, texts: list[str], scores: np.ndarray | None, thresholds: Thresholds | None, normalised: bool
) -> str:
    """The decision, then (with a classifier) one row of probabilities per piece and the upper thresholds.

    Args:
        decision: the decision the reply follows.
        texts: the normalised message, then its pieces.
        scores: the classifier's probabilities, one row per text (None without a classifier).
        thresholds: the classifier's thresholds (None without a classifier).
        normalised: the message was changed by normalisation, so the text it was read as is shown.
    """
    note = f", safety note: {decision.note}" if decision.note else ""
    lines = [
        f"kind: {decision.kind}{f' ({decision.variant})' if decision.variant else ''}{note}",
        f"decided by: {decision.reason}",
    ]
    if normalised:
        lines.append(f"normalised: {texts[0]}")
    if scores is None:
        return "\n".join([*lines, "no classifier loaded: the rules alone decide"])
    lines.append(f"{'piece':<8}" + "".join(f"{k:>14}" for k in KINDS))
    for n, (piece, row) in enumerate(zip(texts, scores, strict=True)):
        label = "message" if n == 0 else f"{n}"
        lines.append(f"{label:<8}" + "".join(f"{v:>14.3f}" for v in row) + (f"   {piece[:60]}" if n else ""))
    upper = thresholds.upper if thresholds is not None else {}
    lines.append(f"{'upper':<8}" + "".join(f"{upper.get(k, float('nan')):>14.3f}" for k in KINDS))
    return "\n".join(lines)
