"""The web channel's routes: `/widget.js`, the outreach page `/`, printable `/cards` and the static assets."""

from __future__ import annotations

import os

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from bot.api.deps import BotDep, CardsDep, MaybeBotDep, OfflineDep
from bot.channels.web import STATIC_DIR
from bot.corpus.cards import LANGUAGES
from bot.triage.replies import STARTING
from bot.vocab import DEFAULT_LANGUAGE

router = APIRouter(include_in_schema=False)

# Short enough that a fix reaches phones within the hour; long enough to spare a weak connection.
WIDGET_CACHE = "public, max-age=3600"
PAGE_CACHE = "public, max-age=300"
# The service worker and the saved answers: always checked with the server when online (the worker keeps the
# copy for offline use).
REVALIDATE = "no-cache"
CARDS_CACHE = "public, max-age=3600"
ASSET_CACHE = "public, max-age=86400"


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


def _read(name: str) -> bytes:
    return (STATIC_DIR / name).read_bytes()


@router.get("/widget.js")
def widget_js() -> Response:
    """The embeddable chat widget (plain JavaScript, styles inside a shadow root)."""
    headers = {"Cache-Control": WIDGET_CACHE, "Cross-Origin-Resource-Policy": "cross-origin"}
    return Response(_read("widget.js"), media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/", response_class=HTMLResponse)
def outreach_page() -> HTMLResponse:
    """A phone-friendly full-page chat for outreach workers, with quick topic buttons."""
    return HTMLResponse(_read("index.html"), headers={"Cache-Control": PAGE_CACHE})


@router.get("/cards", response_class=HTMLResponse)
def cards(bot: BotDep, pages: CardsDep, lang: str = DEFAULT_LANGUAGE) -> HTMLResponse:
    """Printable quick-reference cards, two to a page, from the answer cards; cached per language."""
    if lang not in LANGUAGES:
        raise HTTPException(status_code=422, detail=f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return HTMLResponse(pages.page(lang, bot), headers={"Cache-Control": CARDS_CACHE})


@router.get("/sw.js")
def service_worker() -> Response:
    """The outreach page's service worker, at the root so that its scope is the whole page."""
    return Response(_read("sw.js"), media_type="text/javascript; charset=utf-8", headers={"Cache-Control": REVALIDATE})


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: the outreach page installs on a phone's home screen."""
    return Response(
        _read("manifest.webmanifest"), media_type="application/manifest+json", headers={"Cache-Control": PAGE_CACHE}
    )


@router.get("/offline.json")
def offline(request: Request, bot: MaybeBotDep, bundles: OfflineDep) -> Response:
    """What the outreach page saves for use with no network: urgent replies, quick topics and answer cards, sent
    gzip-compressed to a client that accepts it (a weak connection gets a fifth of the bytes)."""
    if bot is None:
        raise HTTPException(status_code=503, detail=STARTING[DEFAULT_LANGUAGE], headers={"Retry-After": "10"})
    headers = {"Cache-Control": REVALIDATE, "Vary": "Accept-Encoding"}
    if _accepts_gzip(request.headers.get("accept-encoding", "")):
        headers["Content-Encoding"] = "gzip"
        return Response(bundles.gzipped(bot), media_type="application/json", headers=headers)
    return Response(bundles.json(bot), media_type="application/json", headers=headers)


def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header allows gzip: named, or "*", with a weight above 0 ("gzip;q=0" refuses it);
    a "gzip" entry counts before "*"."""
    weights: dict[str, bool] = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        q = params.replace(" ", "").removeprefix("q=")
        weights.setdefault(name.strip(), not params or q not in ("0", "0.0", "0.00", "0.000"))
    return weights.get("gzip", weights.get("*", False))
