"""Answers while no index is loaded (the first build is running, or the index failed to load).

An emergency, a crisis or a request to make or buy drugs needs no index: its reply is fixed and cited. The rules
read every message; a triage classifier trained earlier reads it too, on its n-grams alone (no model loaded).
Anything else gets a `fallback` reply saying the service is starting, with 911, 988 and the SAMHSA helpline; the
API sends it with a 503.
"""

from __future__ import annotations

import numpy as np

from bot.service import Reply, fixed_as_reply, read_question
from bot.triage.decide import decide
from bot.triage.model import TriageModel
from bot.triage.replies import STARTING

STANDBY_KINDS = ("emergency", "crisis", "refusal")


class Standby:
    """The responder while the bot is not loaded; safe to share between threads."""

    def __init__(self, classifier: TriageModel | None = None) -> None:
        self.classifier = classifier

    def answer(self, question: str, language: str | None = None, channel: str = "api") -> Reply:
        """A fixed reply for an emergency, crisis or refusal; the `fallback` starting text for anything else.

        Raises:
            InputError: as `Bot.answer`.
        """
        text, lang = read_question(question, language, channel)
        model = self.classifier
        scores = None
        if model is not None:
            scores = model.scores([text], np.zeros((1, model.embed_weights.shape[1]), np.float32))
        decision = decide(text, scores, model.thresholds if model is not None else None)
        if decision.kind in STANDBY_KINDS:
            return fixed_as_reply(decision, lang, None)
        return Reply("fallback", STARTING[lang if lang in STARTING else "en"], (), lang, 0.0)
