"""What the outreach page keeps for use with no signal: `/offline.json`, framework-free.

Per language: the emergency and crisis replies, the answer behind every quick-topic button, and every answer
card (its asks, for matching a question typed offline, and its cited answer). Every reply has the shape of
`POST /v1/ask`, citations included, so the page renders it the same way. The service worker caches the bundle
and the page; online, both are fetched again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from typing import Any

from bot.cardanswer import render_card
from bot.channels.web.perbot import PerBot
from bot.corpus.answercards import AnswerCard
from bot.service import Bot, Reply, fixed_as_reply
from bot.triage.decide import Triage

# The reply -> JSON of `POST /v1/ask` (bot/api/schemas.py `reply_body`).
ReplyJson = Callable[[Reply], dict[str, Any]]

# The quick-topic buttons of the outreach page (`static/widget.js`, `WORDS.quick`), per language, in order, each
# with the answer card that answers it; offline, a button shows that card.
QUICK: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("What are the signs of an opioid overdose?", "opioid-overdose-signs"),
        ("How do I use naloxone nasal spray?", "naloxone-spray-steps"),
        ("How do I give rescue breaths?", "rescue-breathing-steps"),
        ("What is the recovery position?", "recovery-position"),
        ("How do I use fentanyl test strips?", "fentanyl-test-strips-how-to"),
        ("How can I find treatment near me?", "find-treatment-near-me"),
    ),
    "es": (
        ("¿Cuáles son las señales de una sobredosis de opioides?", "opioid-overdose-signs-es"),
        ("¿Cómo uso la naloxona en atomizador nasal?", "naloxone-spray-steps-es"),
        ("¿Cómo doy respiración de rescate?", "rescue-breathing-steps-es"),
        ("¿Qué es la posición de recuperación?", "recovery-position-es"),
        ("¿Cómo uso las tiras reactivas de fentanilo?", "fentanyl-test-strips-how-to-es"),
        ("¿Cómo encuentro tratamiento cerca de mí?", "find-treatment-near-me-es"),
    ),
}


def bundle(bot: Bot, reply_json: ReplyJson) -> dict[str, Any]:
    """The offline bundle for the serving bot: per language, the urgent replies, the quick topics, the cards."""
    languages: dict[str, Any] = {}
    for lang, quick in QUICK.items():
        cards = [card for card in bot.index.cards.cards if card.language == lang]
        replies = {card.id: reply_json(_card_reply(bot, card)) for card in cards}
        languages[lang] = {
            "emergency": reply_json(fixed_as_reply(Triage("emergency", "offline"), lang, bot.index.sources)),
            "crisis": reply_json(fixed_as_reply(Triage("crisis", "offline"), lang, bot.index.sources)),
            "quick": [{"question": q, "reply": replies[card_id]} for q, card_id in quick if card_id in replies],
            "cards": [
                {"id": card.id, "title": card.title, "asks": list(card.asks), "reply": replies[card.id]}
                for card in cards
            ],
        }
    body = json.dumps(languages, ensure_ascii=False, sort_keys=True)
    # The version changes whenever any saved answer does, so the page can say which answers it holds.
    return {"version": hashlib.sha256(body.encode()).hexdigest()[:12], "languages": languages}


def _card_reply(bot: Bot, card: AnswerCard) -> Reply:
    rendered = render_card(card, bot.index.sources, "web")
    return Reply("answer", rendered.text, rendered.citations, card.language, 1.0, card=card.id)


class OfflineBundles:
    """The bundle as JSON bytes, made once per serving bot (a reload makes it again)."""

    def __init__(self, reply_json: ReplyJson) -> None:
        self._reply_json = reply_json
        self._made = PerBot(self._encode)
        self._gzipped = PerBot(self._compress)

    def json(self, bot: Bot) -> bytes:
        """The bundle for `bot`, encoded."""
        return self._made.get(bot)

    def gzipped(self, bot: Bot) -> bytes:
        """The same bytes gzip-compressed, for a client that accepts it (about a fifth of the size)."""
        return self._gzipped.get(bot)

    def _encode(self, bot: Bot, _key: str) -> bytes:
        return json.dumps(bundle(bot, self._reply_json), ensure_ascii=False, separators=(",", ":")).encode()

    def _compress(self, bot: Bot, _key: str) -> bytes:
        # mtime=0: the same bundle compresses to the same bytes.
        return gzip.compress(self.json(bot), compresslevel=6, mtime=0)
