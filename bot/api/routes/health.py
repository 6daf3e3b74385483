"""Health: `GET /healthz` (alive) and `GET /readyz` (index and model loaded)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.api.deps import MaybeBotDep, SettingsDep, StoreDep
from bot.api.schemas import ErrorOut
from bot.search.progress import read_progress

router = APIRouter()


@router.get("/healthz", tags=["health"])
def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", tags=["health"], responses={503: {"model": ErrorOut}})
def readyz(request: Request, bot: MaybeBotDep, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Ready: the index (and, unless degraded, the model) are loaded."""
    if bot is None:
        state = request.app.state
        building = getattr(state, "building", None)
        if building is not None:
            body = {
                "status": "building",
                "detail": f"building the index: {building['reason']}",
                "seconds": round(time.time() - building["started"]),
                "progress": read_progress(state.settings.data_dir),
            }
            return JSONResponse(body, status_code=503, headers={"Retry-After": "10"})
        error = getattr(state, "load_error", None) or "loading"
        return JSONResponse({"status": "not ready", "detail": error}, status_code=503, headers={"Retry-After": "5"})
    store_ok = store is not None and store.ping()
    problem = getattr(store, "problem", None)
    # A store outage degrades SMS memory and analytics, not answers: stay in the load balancer.
    status = "degraded" if bot.degraded or not store_ok or problem else "ready"
    backend = type(store).__name__.removesuffix("Store").lower() if store is not None else None
    store_status: dict[str, object] = {"backend": backend, "ok": store_ok}
    if problem:
        store_status["problem"] = problem
    # How many sites may embed the widget: 0 means only same-origin pages (the outreach page) can ask.
    origins = len(settings.cors_origin_list)
    return JSONResponse({"status": status, **bot.status(), "store": store_status, "cors_origins": origins})
