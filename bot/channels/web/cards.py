"""The web channel: `/widget.js`, the outreach page `/`, printable `/cards`, static assets and browser CORS."""

from __future__ import annotations

import html
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.api.deps import BotDep
from bot.service import Reply
from bot.vocab import CITATION, CITED_KINDS, cite

logger = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
STATIC_DIR = Path(__file__).parent / "static"

# Scripts and styles come only from this origin, so the pages work under a CSP with no 'unsafe-inline'.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Short enough that a fix reaches phones within the hour; long enough to spare a weak connection.
WIDGET_CACHE = "public, max-age=3600"
PAGE_CACHE = "public, max-age=300"
CARDS_CACHE = "public, max-age=3600"
ASSET_CACHE = "public, max-age=86400"
# Browser calls are allowed cross-origin only on these paths, and only from BOT_CORS_ORIGINS.
CORS_PATHS = ("/v1/ask", "/v1/feedback")

# Each card is built from the bot's own cited answers to fixed questions.
CARDS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "en": [
        (
            "Overdose: the signs and what to do",
            ("What are the signs of an opioid overdose?", "What should I do if someone is overdosing?"),
        ),
        ("Naloxone (Narcan)", ("How do I use naloxone nasal spray?", "Is naloxone safe?")),
        ("Fentanyl and fentanyl test strips", ("What is fentanyl?", "How do I use fentanyl test strips?")),
        (
            "Finding treatment and helplines",
            ("How can I find treatment near me?", "What is the SAMHSA National Helpline?"),
        ),
    ],
    "es": [
        (
            "Sobredosis: las señales y qué hacer",
            ("¿Cuáles son las señales de una sobredosis de opioides?", "¿Qué hago si alguien tiene una sobredosis?"),
        ),
        ("Naloxona (Narcan)", ("¿Cómo uso la naloxona en atomizador nasal?", "¿Es segura la naloxona?")),
        ("Fentanilo y tiras reactivas", ("¿Qué es el fentanilo?", "¿Cómo uso las tiras reactivas de fentanilo?")),
        (
            "Tratamiento y líneas de ayuda",
            ("¿Cómo encuentro tratamiento cerca de mí?", "¿Qué es la Línea Nacional de Ayuda de SAMHSA?"),
        ),
    ],
}
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
_cards_lock = threading.Lock()


class CachedStaticFiles(StaticFiles):
    """Static assets with a Cache-Control header and `nosniff`."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        """Serve a file with caching headers."""
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = ASSET_CACHE
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def static_files() -> CachedStaticFiles:
    """The app mounts this at `/static`."""
    return CachedStaticFiles(directory=STATIC_DIR)


class ApiCors:
    """CORS for the browser-facing JSON endpoints only, from the `BOT_CORS_ORIGINS` allowlist."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=["POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route requests for the CORS paths through Starlette's CORS middleware."""
        if scope["type"] == "http" and scope["path"] in CORS_PATHS:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _read(name: str) -> bytes:
    return (STATIC_DIR / name).read_bytes()


@router.get("/widget.js")
def widget_js() -> Response:
    """The embeddable chat widget (plain JavaScript, styles inside a shadow root)."""
    headers = {
        "Cache-Control": WIDGET_CACHE,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    return Response(_read("widget.js"), media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/", response_class=HTMLResponse)
def outreach_page() -> HTMLResponse:
    """A phone-friendly full-page chat for outreach workers, with quick topic buttons."""
    return HTMLResponse(_read("index.html"), headers={**SECURITY_HEADERS, "Cache-Control": PAGE_CACHE})


@router.get("/cards", response_class=HTMLResponse)
def cards(request: Request, bot: BotDep, lang: str = "en") -> HTMLResponse:
    """Printable one-page quick-reference cards, built from the bot's cited answers and cached per language."""
    if lang not in CARDS:
        raise HTTPException(status_code=422, detail=f"lang must be one of {', '.join(CARDS)}, got {lang!r}")
    cache: dict[str, str] | None = getattr(request.app.state, "cards_cache", None)
    if cache is None:
        cache = request.app.state.cards_cache = {}
    page = cache.get(lang)
    if page is None:
        with _cards_lock:
            page = cache.get(lang)
            if page is None:
                page = render_cards(lang, [[(q, bot.answer(q, lang, "api")) for q in qs] for _, qs in CARDS[lang]])
                cache[lang] = page
                logger.info("cards rendered", extra={"language": lang})
    return HTMLResponse(page, headers={**SECURITY_HEADERS, "Cache-Control": CARDS_CACHE})


def render_cards(lang: str, answers: list[list[tuple[str, Reply]]]) -> str:
    """The cards page: per topic, its questions with cited answers, the sources, and the helplines."""
    text = _CARD_TEXT[lang]
    esc = html.escape
    body = []
    for (title, _), replies in zip(CARDS[lang], answers, strict=True):
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
            answer = _renumber(reply.answer, local)
            blocks.append(f"<h3>{esc(question)}</h3><p>{esc(answer)}</p>")
        body.append(
            f'<section class="card"><h2>{esc(title)}</h2>{"".join(blocks)}'
            f'<p class="meta">{text["sources"]}:</p><ol class="sources">{"".join(sources)}</ol>'
            f'<p class="help">{esc(text["help"])}</p></section>'
        )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(text["title"])}</title><link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/static/cards.css"></head><body>'
        f'<p class="noprint"><a href="/">{esc(text["back"])}</a></p><h1>{esc(text["title"])}</h1>'
        f'<p class="intro">{esc(text["intro"])}</p>{"".join(body)}</body></html>'
    )


def _renumber(text: str, numbers: dict[int, int]) -> str:
    """Rewrite an answer's `[n]` markers into the card's own numbering."""
    return CITATION.sub(lambda m: cite(numbers.get(int(m.group(1)), int(m.group(1)))), text)
