"""The FastAPI app factory: `uvicorn --factory bot.api.app:create_app`."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bot import __version__
from bot.api.middleware import EdgeMiddleware, GuardMiddleware
from bot.api.routes import admin, ask
from bot.channels.sms import dialogue as sms
from bot.channels.web import cards as web
from bot.config import Settings, get_settings
from bot.errors import BotError, InputError
from bot.loader import load_bot
from bot.logging import configure_logging
from bot.ratelimit import RateLimiter
from bot.search.index import limit_search_threads
from bot.state import open_store

logger = logging.getLogger(__name__)


def _load(app: FastAPI, settings: Settings) -> None:
    limit_search_threads()
    try:
        admin.attach(app, load_bot(settings))
    except BotError as e:
        app.state.load_error = str(e)
        logger.error("index not loaded", extra={"error": str(e)})
        raise
    # Loading leaves many long-lived objects; freezing them keeps full collections from pausing requests.
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the bot is loaded in the lifespan, not at import."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.bot = None
        app.state.load_error = None
        app.state.reload_lock = asyncio.Lock()
        app.state.reload_tasks = set()
        # The channels read the store from here (SMS sessions, opt-outs, dedupe); feedback and analytics too.
        app.state.store = await run_in_threadpool(open_store, settings)
        await run_in_threadpool(_load, app, settings)
        admin.install_sighup(app)
        yield

    app = FastAPI(
        title="hrbot",
        version=__version__,
        summary="Harm-reduction answers from CDC and SAMHSA pages, every sentence cited.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.limiter = RateLimiter(settings)
    app.include_router(ask.router)
    app.include_router(admin.router)
    app.include_router(sms.router)
    app.include_router(web.router)
    app.mount("/static", web.static_files(), name="static")
    # Added last = outermost: the edge logs and stamps headers on every reply, including the guard's refusals.
    app.add_middleware(GuardMiddleware, settings=settings, limiter=app.state.limiter)
    app.add_middleware(EdgeMiddleware, settings=settings)
    # Outermost, so refusals from the guard (429, 503) still carry CORS headers the widget can read.
    app.add_middleware(web.ApiCors, origins=settings.cors_origin_list)

    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # noqa: BLE001 - the API's one catch-all
        logger.exception("unhandled error", exc_info=exc)
        return JSONResponse({"detail": "internal error; if someone may be overdosing call 911"}, status_code=500)

    return app
