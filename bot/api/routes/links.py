"""SMS short links: `GET /s/{code}` redirects to the cited CDC or SAMHSA page (the registry is `bot.shortlinks`)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, RedirectResponse, Response

from bot import metrics
from bot.api.deps import MaybeBotDep
from bot.api.middleware.responses import SAFETY
from bot.shortlinks import PREFIX, links_for

router = APIRouter(include_in_schema=False)

# A code always names the same page, so a redirect may be kept for an hour.
REDIRECT_CACHE = "public, max-age=3600"


@router.get(PREFIX + "{code}")
async def short_link(code: str, bot: MaybeBotDep) -> Response:
    """302 to the page the code names; 404 (never cached: the code may be known once the index is loaded)."""
    url = links_for(bot).url(code.lower())
    if url is None:
        metrics.SHORT_LINK_REDIRECTS.labels("unknown").inc()
        detail = f"unknown link. {SAFETY}"
        return JSONResponse({"detail": detail}, status_code=404, headers={"Cache-Control": "no-store"})
    metrics.SHORT_LINK_REDIRECTS.labels("found").inc()
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": REDIRECT_CACHE})
