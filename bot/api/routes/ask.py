"""The JSON API: health, readiness, `POST /v1/ask` and feedback."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.api.deps import BotDep
from bot.api.schemas import AskReply, AskRequest, ErrorOut, FeedbackIn

logger = logging.getLogger(__name__)
router = APIRouter()


@router.get("/healthz", tags=["health"])
def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", tags=["health"], responses={503: {"model": ErrorOut}})
def readyz(request: Request) -> JSONResponse:
    """Ready: the index (and, unless degraded, the model) are loaded."""
    bot = getattr(request.app.state, "bot", None)
    if bot is None:
        error = getattr(request.app.state, "load_error", None) or "loading"
        return JSONResponse({"status": "not ready", "detail": error}, status_code=503, headers={"Retry-After": "5"})
    store = getattr(request.app.state, "store", None)
    store_ok = store is not None and store.ping()
    # A store outage degrades SMS memory and analytics, not answers: stay in the load balancer.
    status = "degraded" if bot.degraded or not store_ok else "ready"
    backend = type(store).__name__.removesuffix("Store").lower() if store is not None else None
    return JSONResponse({"status": status, **bot.status(), "store": {"backend": backend, "ok": store_ok}})


@router.post(
    "/v1/ask",
    response_model=AskReply,
    tags=["ask"],
    responses={422: {"model": ErrorOut}, 429: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def ask(body: AskRequest, bot: BotDep, request: Request) -> JSONResponse:
    """Answer a question from the CDC/SAMHSA corpus; every sentence is cited."""
    reply = bot.answer(body.question, body.language, body.channel)
    request.state.reply_kind = reply.kind
    # Validated once against the contract here; returning the response directly skips a second validation.
    return JSONResponse(AskReply.from_reply(reply).model_dump())


@router.post("/v1/feedback", status_code=204, tags=["feedback"], responses={422: {"model": ErrorOut}})
def feedback(body: FeedbackIn, request: Request) -> None:
    """Record whether an answer helped; nothing that identifies the person is stored."""
    store = getattr(request.app.state, "store", None)
    if store is not None:
        store.add_feedback(body.helpful, body.kind, body.language)
