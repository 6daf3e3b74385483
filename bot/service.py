"""The answer service: triage, then retrieval and composition, behind one `Bot.answer` call, and its cache.

Nothing here loads files (`bot.loader` does) or knows a web framework; the edges render the `Reply`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot import metrics
from bot.answercache import AnswerCache
from bot.cardanswer import render_card
from bot.compose import Citation, compose, confidence
from bot.config import Settings
from bot.corpus.documents import Source
from bot.errors import InputError
from bot.lang import detect_language
from bot.lexicon import expand
from bot.privacy import scrub
from bot.search.cards import CardMatch, best_card, clearly_ahead
from bot.search.encoders import Encoder
from bot.search.index import Index
from bot.search.retriever import HybridRetriever, Query, Retriever
from bot.text import normalize_question
from bot.triage.decide import Triage, decide
from bot.triage.model import TriageModel
from bot.triage.normalise import normalise
from bot.triage.pieces import in_context
from bot.triage.replies import FALLBACK, fixed_reply, safety_note
from bot.triage.settle import settle_tentative
from bot.tuning import CARD_FLOOR, CARD_MARGIN, CARD_TOP_SCORE, OUT_OF_DOMAIN_MARGIN, SEARCH_K
from bot.vocab import (
    CHANNELS,
    CITATION,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MAX_QUESTION_CHARS,
    UNANSWERED_KINDS,
    URGENT_KINDS,
    cite,
    question_fault,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """What every channel renders: the contract's reply, before JSON."""

    kind: str
    answer: str
    citations: tuple[Citation, ...]
    language: str
    confidence: float
    followups: tuple[str, ...] = ()
    triage_reason: str = ""
    safety_note: str = ""
    # The answer card it came from ("" for a composed or fixed reply), and the SMS parts planned for it.
    card: str = ""
    parts: tuple[str, ...] = ()


def fallback_reply(language: str = DEFAULT_LANGUAGE) -> Reply:
    """The fixed safe text used when anything fails inside: 911, 988 and the SAMHSA helpline."""
    lang = language if language in FALLBACK else DEFAULT_LANGUAGE
    return Reply("fallback", FALLBACK[lang], (), lang, 0.0)


def is_urgent(text: str, bot: Bot | None = None) -> bool:
    """Whether a message reads as an overdose in progress or a suicide crisis: the bot's whole triage, or the
    rules alone while no bot is loaded.

    For the edges that must decide before answering (an SMS sender over the rate limit is still answered).
    """
    clean = normalise(text[: MAX_QUESTION_CHARS * 2])
    if bot is None:
        return decide(clean, None, None).kind in URGENT_KINDS
    return bot.triage(clean, detect_language(clean)).kind in URGENT_KINDS


def read_question(question: str, language: str | None, channel: str) -> tuple[str, str]:
    """The question with its text tricks undone, and its language.

    Raises:
        InputError: the question is empty or too long, or the channel or language is unknown.
    """
    text = question.strip()
    fault = question_fault(text)
    if fault == "empty":
        raise InputError("question must not be empty")
    if fault == "too_long":
        raise InputError(f"question must be at most {MAX_QUESTION_CHARS} characters, got {len(text)}")
    if channel not in CHANNELS:
        raise InputError(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
    if language is not None and language not in LANGUAGES:
        raise InputError(f"language must be 'en', 'es' or null, got {language!r}")
    # Limits apply to what was sent; everything after reads the message with its text tricks undone.
    text = normalise(text)
    return text, language or detect_language(text)


def fixed_as_reply(decision: Triage, lang: str, sources: dict[str, Source] | None, conf: float = 1.0) -> Reply:
    """The fixed, cited reply for a triage decision (emergency, crisis, refusal, out of scope, no answer)."""
    key = f"{decision.kind}_{decision.variant}" if decision.variant else decision.kind
    fixed = fixed_reply(key, lang, sources, crisis_line=decision.kind == "emergency" and decision.note == "crisis")
    citations = tuple(Citation(n, source, _sentence_citing(fixed.text, n)) for n, source in enumerate(fixed.sources, 1))
    return Reply(
        decision.kind,
        fixed.text,
        citations,
        lang,
        conf if decision.kind == "no_answer" else 1.0,
        (),
        decision.reason,
    )


class Bot:
    """Answers questions from one loaded index; safe to share between threads."""

    def __init__(
        self, settings: Settings, index: Index, encoder: Encoder | None, classifier: TriageModel | None
    ) -> None:
        self.settings = settings
        self.index = index
        self.encoder = encoder
        self.classifier = classifier
        self.retriever: Retriever = HybridRetriever(index)
        self._cache = AnswerCache[Reply](settings.cache_size)
        self.loaded_at = time.time()
        # Set by the app to the store's `record_unanswered`; called only when BOT_LOG_UNANSWERED=true.
        self.unanswered_sink: Callable[[str, str, str], None] | None = None

    @property
    def degraded(self) -> bool:
        """True when answers come from keyword search alone."""
        return self.encoder is None

    def answer(self, question: str, language: str | None = None, channel: str = "api") -> Reply:
        """Answer one question for a channel.

        Raises:
            InputError: the question is empty, too long, or the channel or language is unknown.
        """
        text, lang = read_question(question, language, channel)
        key = (normalize_question(text), lang, channel)
        reply = self._cache.get(key)
        if reply is None:
            reply = self._answer(text, lang, channel)
            self._cache.put(key, reply)
        metrics.record_reply(reply.kind, channel, reply.language)
        sink = self.unanswered_sink
        if reply.kind in UNANSWERED_KINDS and self.settings.log_unanswered and sink is not None:
            _record_unanswered(sink, text, reply)
        return reply

    def triage(self, text: str, lang: str, vector: np.ndarray | None = None) -> Triage:
        """The kind a normalised message gets: the rules, then the classifier over it and its pieces.

        Args:
            text: the normalised message.
            lang: its language, for the query expansion the classifier was trained with.
            vector: the message's embedding when the caller has it already.
        """
        _, scores = self.triage_scores(text, lang, vector)
        model = self.classifier
        return decide(text, scores, model.thresholds if model is not None else None)

    def vector(self, expanded: str) -> np.ndarray | None:
        """The embedding of an expanded message (`expand`), which triage and retrieval share (None without an encoder)."""
        return self.encoder.encode([expanded])[0] if self.encoder is not None else None

    def settled(self, text: str, lang: str, decision: Triage, vector: np.ndarray | None = None) -> Triage:
        """The decision the reply follows: a tentative crisis checked against the answer cards
        (`settle_tentative`); any other decision as it is. `vector` is the message's, when the caller has it."""
        if not decision.tentative:
            return decision
        expanded = expand(text, lang)
        match = best_card(self.index.cards, self.vector(expanded) if vector is None else vector, expanded, lang)
        return settle_tentative(decision, match, self._card_floor(decision))

    def _card_floor(self, decision: Triage) -> float:
        # BOT_MIN_CONFIDENCE (on the card score's scale: at 1.0 no card answers) above the card floor raises it too.
        floor = max(CARD_FLOOR, self.settings.min_confidence * CARD_TOP_SCORE)
        return floor + (0.0 if decision.in_domain else OUT_OF_DOMAIN_MARGIN)

    def triage_scores(
        self, text: str, lang: str, vector: np.ndarray | None = None
    ) -> tuple[list[str], np.ndarray | None]:
        """The message and its pieces, with the classifier's probabilities for each (None without a classifier)."""
        parts = in_context(text)
        model = self.classifier
        if model is None:
            return [text, *parts], None
        if vector is None:
            vector = self._encode([expand(text, lang)])[0]
        vectors = [vector[None, :]]
        if parts:
            vectors.append(self._encode([expand(p, lang) for p in parts]))
        return [text, *parts], model.scores([text, *parts], np.vstack(vectors))

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self.encoder is None:
            # Keyword-only mode: the classifier reads the n-grams alone.
            dim = self.classifier.embed_weights.shape[1] if self.classifier is not None else 1
            return np.zeros((len(texts), dim), np.float32)
        return self.encoder.encode(texts)

    def _answer(self, text: str, lang: str, channel: str) -> Reply:
        expanded = expand(text, lang)
        vector = self.vector(expanded)
        decision = self.triage(text, lang, vector)
        floor = self._card_floor(decision)
        wanted = decision.kind == "answer" or decision.tentative
        match = best_card(self.index.cards, vector, expanded, lang) if wanted else None
        # A settled crisis passes the same card gate below, so it is answered from that card and nothing else.
        decision = settle_tentative(decision, match, floor)
        if decision.kind != "answer":
            return self._fixed(decision, lang)
        if clearly_ahead(match, floor, CARD_MARGIN):
            assert match is not None
            return self._from_card(match, decision, lang, channel)
        query = Query(text, expanded, lang, vector)
        hits = self.retriever.search(query, k=SEARCH_K)
        conf = confidence(query, hits)
        # A question with none of the corpus's words must match more closely before it is answered.
        floor = (
            self.settings.min_confidence if decision.in_domain else self.settings.min_confidence + OUT_OF_DOMAIN_MARGIN
        )
        if conf < floor or not hits:
            kind = "no_answer" if decision.in_domain or decision.health else "out_of_scope"
            return self._fixed(Triage(kind, f"confidence {conf:.2f}", in_domain=decision.in_domain), lang, conf)
        composed = compose(query, hits, self.index, channel)
        return Reply(
            "answer",
            composed.text,
            composed.citations,
            lang,
            composed.confidence,
            composed.followups,
            decision.reason,
            safety_note(decision.note, lang),
        )

    def _from_card(self, match: CardMatch, decision: Triage, lang: str, channel: str) -> Reply:
        rendered = render_card(match.card, self.index.sources, channel)
        return Reply(
            "answer",
            rendered.text,
            rendered.citations,
            lang,
            round(min(1.0, match.score), 4),
            (),
            decision.reason,
            safety_note(decision.note, lang),
            match.card.id,
            rendered.parts,
        )

    def _fixed(self, decision: Triage, lang: str, conf: float = 1.0) -> Reply:
        return fixed_as_reply(decision, lang, self.index.sources, conf)

    def status(self) -> dict[str, Any]:
        """What `/readyz` reports."""
        m = self.index.manifest
        return {
            "index": {
                "documents": m.get("documents"),
                "passages": m.get("passages"),
                "cards": m.get("cards", 0),
                "built_at": m.get("built_at"),
                "model": m.get("model"),
            },
            "encoder": self.encoder.name if self.encoder is not None else None,
            "degraded": self.degraded,
        }


def _record_unanswered(sink: Callable[[str, str, str], None], text: str, reply: Reply) -> None:
    # Only the scrubbed text, kind and language (the store adds the date): nothing about who asked.
    try:
        sink(scrub(text), reply.kind, reply.language)
    except Exception:  # noqa: BLE001 - losing a curator's note must never cost the person their answer
        logger.warning("could not record an unanswered question", extra={"kind": reply.kind})


def _sentence_citing(text: str, number: int) -> str:
    for sentence in re.split(r"(?<=\])\s+", text):
        if cite(number) in sentence:
            return CITATION.sub("", sentence).strip()
    return ""
