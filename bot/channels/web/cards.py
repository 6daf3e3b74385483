"""The printable cards page, framework-free: answer cards two to a page, with short links and a QR code.

A printed card is one answer card (`bot/corpus/cards.py` lists them) rendered as the service renders it:
its steps or signs with `[n]` citations, its sources as short links (`/s/<code>`), the emergency, crisis
and treatment lines, and a QR code that opens the outreach page.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import segno

from bot.cardanswer import render_card
from bot.channels.web.perbot import PerBot
from bot.corpus.answercards import AnswerCard
from bot.corpus.cards import PER_PAGE, PRINTED
from bot.corpus.documents import Source
from bot.service import Bot

logger = logging.getLogger(__name__)

_PHONE = re.compile(r"(\b1-\d{3}-\d{3}-\d{4}\b|\b911\b|\b988\b)")
# A cited document's URL -> the short link printed for it.
Linker = Callable[[str], str]

_CARD_TEXT = {
    "en": {
        "title": "Quick-reference cards",
        "intro": "Answers from CDC and SAMHSA pages, two cards to a page: print, cut along the line, hand out.",
        "help": "Overdose: call 911. Crisis: call or text 988. Treatment: 1-800-662-4357 (free, 24/7).",
        "sources": "Sources",
        "reviewed": "checked",
        "scan": "More answers:",
        "back": "Back to the chat",
    },
    "es": {
        "title": "Tarjetas de consulta rápida",
        "intro": "Respuestas de páginas de los CDC y SAMHSA, dos tarjetas por página: imprima, corte por la línea "
        "y repártalas.",
        "help": "Sobredosis: llame al 911. Crisis: llame o envíe un texto al 988. "
        "Tratamiento: 1-800-662-4357 (gratis, 24/7).",
        "sources": "Fuentes",
        "reviewed": "revisado",
        "scan": "Más respuestas:",
        "back": "Volver al chat",
    },
}


class CardPages:
    """The cards page per language, rendered from the serving bot's answer cards on first use and kept."""

    def __init__(self, public_url: str, linker: Callable[[Bot], Linker]) -> None:
        self._public_url = public_url
        self._linker = linker
        self._pages = PerBot(self._render)

    def page(self, lang: str, bot: Bot) -> str:
        """The page for `lang`, rendered again when another bot (a reloaded index) serves."""
        return self._pages.get(bot, lang)

    def _render(self, bot: Bot, lang: str) -> str:
        cards = printed_cards(bot.index.cards.cards, lang)
        page = render_cards(lang, cards, bot.index.sources, self._linker(bot), self._public_url)
        logger.info("cards rendered", extra={"language": lang, "cards": len(cards)})
        return page


def printed_cards(cards: list[AnswerCard], lang: str) -> list[AnswerCard]:
    """The printed answer cards in `lang`, in order; an English id is followed to its twin for other languages."""
    by_id = {card.id: card for card in cards}
    out = []
    for card_id in PRINTED:
        card = by_id.get(card_id)
        if card is not None and card.language != lang:
            card = by_id.get(card.twin)
        if card is None or card.language != lang:
            logger.warning("printed card missing", extra={"card": card_id, "language": lang})
            continue
        out.append(card)
    return out


def render_cards(lang: str, cards: list[AnswerCard], sources: dict[str, Source], link: Linker, public_url: str) -> str:
    """The cards page: sheets of `PER_PAGE` cards, each with its cited answer, sources, helplines and QR code."""
    text = _CARD_TEXT[lang]
    esc = html.escape
    home = public_url.rstrip("/") + "/"
    qr = _qr(home, text["scan"])
    body = [_card(card, sources, link, text, qr, _bare(home)) for card in cards]
    sheets = "".join(
        f'<div class="sheet">{"".join(body[i : i + PER_PAGE])}</div>' for i in range(0, len(body), PER_PAGE)
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(text["title"])}</title><link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/static/cards.css"></head><body>'
        f'<header class="noprint"><p><a href="/">{esc(text["back"])}</a></p><h1>{esc(text["title"])}</h1>'
        f'<p class="intro">{esc(text["intro"])}</p></header>'
        f"{sheets}</body></html>"
    )


def _card(card: AnswerCard, sources: dict[str, Source], link: Linker, text: dict[str, str], qr: str, home: str) -> str:
    esc = html.escape
    rendered = render_card(card, sources, "web")
    blocks: list[str] = []
    items: list[str] = []
    for line in rendered.text.split("\n"):
        if line.startswith("- "):
            items.append(f"<li>{esc(line[2:])}</li>")
        elif line.strip():
            blocks.append(f"<p>{esc(line)}</p>")
    if items:
        blocks.append(f'<ul class="steps">{"".join(items)}</ul>')
    cited = []
    for c in rendered.citations:
        short = link(c.source.url)
        href = short if "://" in short else f"https://{short}"
        cited.append(
            f"<li>{esc(c.source.title)} ({esc(c.source.publisher)}, {text['reviewed']} "
            f'{esc(c.source.last_reviewed)}): <a href="{esc(href)}">{esc(short)}</a></li>'
        )
    return (
        f'<section class="card" id="card-{esc(card.id)}"><h2>{esc(card.title)}</h2>{"".join(blocks)}'
        f'<p class="meta">{text["sources"]}:</p><ol class="sources">{"".join(cited)}</ol>'
        f'<div class="foot"><p class="help">{_phones(text["help"])}</p>'
        f'<p class="qr">{qr}<span>{esc(text["scan"])}<br>{esc(home)}</span></p></div></section>'
    )


def _phones(text: str) -> str:
    """Escaped text with each phone number a `tel:` link (printed, it stays on one line)."""
    parts = _PHONE.split(text)
    return "".join(
        f'<a href="tel:{part.replace("-", "")}">{part}</a>' if i % 2 else html.escape(part)
        for i, part in enumerate(parts)
    )


def _qr(url: str, label: str) -> str:
    """An inline SVG QR code for `url` (segno; medium error correction survives a crease or a smudge)."""
    svg: str = segno.make_qr(url, error="m").svg_inline(
        scale=2, border=2, svgclass="qr-code", title=f"{label} {url}", omitsize=True
    )
    return svg


def _bare(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}" if parts.scheme == "https" else url
