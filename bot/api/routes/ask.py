"""The JSON API: `POST /v1/ask` and `POST /v1/feedback`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.api.deps import MaybeBotDep, StoreDep
from bot.api.schemas import AskReply, AskRequest, ErrorOut, FeedbackIn
from bot.standby import Standby

router = APIRouter()


@router.post(
    "/v1/ask",
    response_model=AskReply,
    tags=["ask"],
    responses={422: {"model": ErrorOut}, 429: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def ask(body: AskRequest, bot: MaybeBotDep, request: Request) -> JSONResponse:
    """Answer a question from the CDC/SAMHSA corpus; every sentence is cited.

    While the index is not loaded, an emergency, crisis or refusal still gets its fixed cited reply; anything
    else gets 503 with `Retry-After` and the 911, 988 and helpline text.
    """
    if bot is None:
        standby: Standby | None = getattr(request.app.state, "standby", None)
        reply = (standby or Standby()).answer(body.question, body.language, body.channel)
        request.state.reply_kind = reply.kind
        if reply.kind == "fallback":
            return JSONResponse({"detail": reply.answer}, status_code=503, headers={"Retry-After": "10"})
        return JSONResponse(AskReply.from_reply(reply).model_dump())
    reply = bot.answer(body.question, body.language, body.channel)
    request.state.reply_kind = reply.kind
    # Validated once against the contract here; returning the response directly skips a second validation.
    return JSONResponse(AskReply.from_reply(reply).model_dump())


@router.post("/v1/feedback", status_code=204, tags=["feedback"], responses={422: {"model": ErrorOut}})
def feedback(body: FeedbackIn, store: StoreDep) -> None:
    """Record whether an answer helped; nothing that identifies the person is stored."""
    if store is not None:
        store.add_feedback(body.helpful, body.kind, body.language)
