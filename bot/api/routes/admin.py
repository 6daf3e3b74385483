"""Operations endpoints: `POST /v1/admin/reload` (the reload behind SIGHUP, too) and `GET /metrics`."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from bot import metrics
from bot.api.deps import SettingsDep
from bot.api.lifecycle import reload_bot
from bot.api.schemas import ErrorOut
from bot.errors import BotError

router = APIRouter()


def require_admin(request: Request, settings: SettingsDep) -> None:
    """Allow only `Authorization: Bearer $BOT_ADMIN_TOKEN`; refuse everything when no token is set."""
    token = settings.admin_token
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
