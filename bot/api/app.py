"""The FastAPI app factory: `uvicorn --factory bot.api.app:create_app`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot import __version__
from bot.api.lifecycle import lifespan
from bot.api.middleware.cors import ApiCors
from bot.api.middleware.edge import EdgeMiddleware
from bot.api.middleware.guard import GuardMiddleware
from bot.api.middleware.responses import SAFETY
from bot.api.routes import admin, ask, health, links, sms, web
from bot.config import Settings, get_settings
from bot.errors import InputError
from bot.logging import configure_logging

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the bot, store and limiter are made in the lifespan, not here or at import."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    # /docs and /redoc load Swagger UI from a CDN (nothing offline, no strict CSP): off in production, where
    # /openapi.json still describes the API.
    docs = settings.env != "production"
    app = FastAPI(
        title="hrbot",
        version=__version__,
        summary="Harm-reduction answers from CDC and SAMHSA pages, every sentence cited.",
        lifespan=lifespan(settings),
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    # A missing or extra trailing slash is a 404, not a redirect built from the request's Host header.
    app.router.redirect_slashes = False
    for router in (health.router, ask.router, admin.router, sms.router, links.router, web.router):
        app.include_router(router)
    app.mount("/static", web.static_files(), name="static")
    # Added last = outermost: the edge logs and stamps headers on every reply, including the guard's refusals.
    app.add_middleware(GuardMiddleware, settings=settings)
    app.add_middleware(EdgeMiddleware, settings=settings)
    # Outermost, so refusals from the guard (429, 503) still carry CORS headers the widget can read.
    app.add_middleware(ApiCors, origins=settings.cors_origin_list)
    _add_error_handlers(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": f"{exc}. {SAFETY}"}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        # `detail` keeps FastAPI's shape for clients that read it; `safety` says what to do in an emergency.
        return JSONResponse({"detail": errors, "safety": SAFETY}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # noqa: BLE001 - the API's one catch-all
        logger.exception("unhandled error", exc_info=exc)
        return JSONResponse({"detail": "internal error; if someone may be overdosing call 911"}, status_code=500)
