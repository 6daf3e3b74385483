"""Operations endpoints: `GET /metrics` and `POST /v1/admin/reload`, and the reload behind SIGHUP.

A reload loads a new `Bot` in a worker thread while the old one keeps answering, then replaces
`app.state.bot` in one assignment: requests already running finish on the bot they started with.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bot import metrics
from bot.api.schemas import ErrorOut
from bot.errors import BotError
from bot.loader import load_bot
from bot.service import Bot
from bot.state.store import Store

logger = logging.getLogger(__name__)
router = APIRouter()


def attach(app: FastAPI, bot: Bot) -> None:
    """Make `bot` the one serving: hook the unanswered-question log to the store and publish its gauges."""
    store: Store | None = getattr(app.state, "store", None)
    if store is not None:
        bot.unanswered_sink = store.record_unanswered
    metrics.set_index(bot.index.manifest, bot.degraded)
    app.state.bot = bot


async def reload_bot(app: FastAPI) -> Bot:
    """Load the live index again and swap it in; the old bot serves until the new one is ready.

    Raises:
        BotError: the new index or model cannot be loaded; the old bot keeps serving.
    """
    lock: asyncio.Lock = app.state.reload_lock
    async with lock:
        old: Bot | None = app.state.bot
        # Reuse the loaded model: a reload is about a new index, and loading the model twice doubles memory.
        encoder = old.encoder if old is not None else None
        try:
            bot = await run_in_threadpool(load_bot, app.state.settings, encoder)
        except BotError:
            metrics.RELOADS.labels("failed").inc()
            raise
        attach(app, bot)
        metrics.RELOADS.labels("ok").inc()
        logger.info("index reloaded", extra={"built_at": bot.index.manifest.get("built_at")})
        return bot


def install_sighup(app: FastAPI) -> bool:
    """Reload on SIGHUP; False where signals cannot be handled here (not the main thread, or no SIGHUP)."""
    loop = asyncio.get_running_loop()
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:
        return False

    def on_hup() -> None:
        task = loop.create_task(_reload_logged(app))
        app.state.reload_tasks.add(task)
        task.add_done_callback(app.state.reload_tasks.discard)

    try:
        loop.add_signal_handler(sighup, on_hup)
    except (RuntimeError, ValueError, NotImplementedError):
        return False
    return True


async def _reload_logged(app: FastAPI) -> None:
    try:
        await reload_bot(app)
    except BotError as e:
        logger.error("reload failed; the previous index keeps serving", extra={"error": str(e)})


def require_admin(request: Request) -> None:
    """Allow only `Authorization: Bearer $BOT_ADMIN_TOKEN`; refuse everything when no token is set."""
    token = request.app.state.settings.admin_token
    if token is None or not token.get_secret_value():
        raise HTTPException(status_code=403, detail="admin endpoints are off: set BOT_ADMIN_TOKEN to use them")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise HTTPException(
            status_code=401, detail="a valid admin bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )


AdminDep = Annotated[None, Depends(require_admin)]


@router.post(
    "/v1/admin/reload",
    tags=["admin"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
async def reload(request: Request, _: AdminDep) -> JSONResponse:
    """Load the live index again (after `hrbot build`) and swap it in without downtime."""
    try:
        bot = await reload_bot(request.app)
    except BotError as e:
        return JSONResponse({"detail": f"reload failed, the previous index keeps serving: {e}"}, status_code=409)
    body: dict[str, Any] = {"status": "reloaded", **bot.status()}
    return JSONResponse(body)


@router.get("/metrics", tags=["health"], response_class=Response)
def prometheus_metrics() -> Response:
    """Prometheus text exposition."""
    data, content_type = metrics.render()
    return Response(data, media_type=content_type)
