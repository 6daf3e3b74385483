"""The printable cards page, framework-free: each card's questions with the bot's cited answers, renumbered."""

from __future__ import annotations

import html
import logging
import threading

from bot.corpus.cards import CARDS
from bot.service import Bot, Reply
from bot.vocab import CITATION, CITED_KINDS, cite

logger = logging.getLogger(__name__)

_CARD_TEXT = {
    "en": {
        "title": "Quick-reference cards",
        "intro": "Answers from CDC and SAMHSA pages. Print one card per page.",
        "help": "Emergency: call 911. Crisis: call or text 988. Treatment: SAMHSA Helpline 1-800-662-4357 "
        "(free, confidential, 24/7).",
        "sources": "Sources",
        "reviewed": "reviewed",
        "back": "Back to the chat",
    },
    "es": {
        "title": "Tarjetas de consulta rápida",
        "intro": "Respuestas de páginas de los CDC y SAMHSA. Imprima una tarjeta por página.",
        "help": "Emergencia: llame al 911. Crisis: llame o envíe un texto al 988. "
        "Tratamiento: Línea de Ayuda de SAMHSA 1-800-662-4357 (gratis, confidencial, 24/7).",
        "sources": "Fuentes",
        "reviewed": "revisado",
        "back": "Volver al chat",
    },
}


class CardPages:
    """The cards page per language, rendered from the bot's answers on first use and kept."""

    def __init__(self) -> None:
        self._pages: dict[tuple[str, int, float], str] = {}
        self._lock = threading.Lock()

    def page(self, lang: str, bot: Bot) -> str:
        """The page for `lang` (a key of `CARDS`), rendered again when another bot (a reloaded index) serves."""
        key = (lang, id(bot), bot.loaded_at)
        page = self._pages.get(key)
        if page is None:
            with self._lock:
                page = self._pages.get(key)
                if page is None:
                    # Only the serving bot's pages are kept; an old bot's go with it.
                    self._pages = {k: v for k, v in self._pages.items() if k[1:] == key[1:]}
                    page = render_cards(lang, [[(q, bot.answer(q, lang, "api")) for q in qs] for _, qs in CARDS[lang]])
                    self._pages[key] = page
                    logger.info("cards rendered", extra={"language": lang})
        return page


def render_cards(lang: str, answers: list[list[tuple[str, Reply]]]) -> str:
    """The cards page: per topic, its questions with cited answers, the sources, and the helplines."""
    text = _CARD_TEXT[lang]
    esc = html.escape
    body = [_card(title, replies, text) for (title, _), replies in zip(CARDS[lang], answers, strict=True)]
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(text["title"])}</title><link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/static/cards.css"></head><body>'
        f'<p class="noprint"><a href="/">{esc(text["back"])}</a></p><h1>{esc(text["title"])}</h1>'
        f'<p class="intro">{esc(text["intro"])}</p>{"".join(body)}</body></html>'
    )


def _card(title: str, replies: list[tuple[str, Reply]], text: dict[str, str]) -> str:
    esc = html.escape
    numbers: dict[str, int] = {}
    sources: list[str] = []
    blocks = []
    for question, reply in replies:
        if reply.kind not in CITED_KINDS or not reply.citations:
            continue
        local: dict[int, int] = {}
        for c in reply.citations:
            if c.source.url not in numbers:
                numbers[c.source.url] = len(numbers) + 1
                sources.append(
                    f'<li><a href="{esc(c.source.url)}">{esc(c.source.title)}</a> '
                    f"({esc(c.source.publisher)}, {text['reviewed']} {esc(c.source.last_reviewed)})"
                    "</li>"
                )
            local[c.id] = numbers[c.source.url]
        blocks.append(f"<h3>{esc(question)}</h3><p>{esc(_renumber(reply.answer, local))}</p>")
    return (
        f'<section class="card"><h2>{esc(title)}</h2>{"".join(blocks)}'
        f'<p class="meta">{text["sources"]}:</p><ol class="sources">{"".join(sources)}</ol>'
        f'<p class="help">{esc(text["help"])}</p></section>'
    )


def _renumber(text: str, numbers: dict[int, int]) -> str:
    """Rewrite an answer's `[n]` markers into the card's own numbering."""
    return CITATION.sub(lambda m: cite(numbers.get(int(m.group(1)), int(m.group(1)))), text)
