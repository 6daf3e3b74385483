"""Request id, access log, metrics and security headers for every HTTP request, and the edge's one catch-all."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import metrics
from bot.api.headers import HSTS, NO_STORE_PREFIXES, security_headers
from bot.api.middleware.guard import KNOWN_PATHS
from bot.api.middleware.responses import SAFETY, send_json
from bot.api.proxies import client_address, parse_networks
from bot.config import Settings
from bot.privacy import sender_key

logger = logging.getLogger("bot.access")
errors = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _channel_for(path: str) -> str:
    if path.startswith("/v1/sms"):
        return "sms"
    if path.startswith("/v1/") or path in ("/healthz", "/readyz", "/metrics"):
        return "api"
    return "web"


def _route_for(scope: Scope) -> str:
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    # Refused before routing (413/415/429/503): name only known routes, so labels stay few.
    return scope["path"] if scope["path"] in KNOWN_PATHS else "unmatched"


class EdgeMiddleware:
    """Request id, access log, metrics and security headers for every HTTP request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self._secret = settings.hash_secret.get_secret_value()
        self._trusted = parse_networks(settings.trusted_proxies)
        self._hsts = settings.public_url.startswith("https://")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = Headers(scope=scope)
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        peer = scope["client"][0] if scope.get("client") else None
        state["client_address"] = client_address(peer, headers.get("x-forwarded-for"), self._trusted)
        path: str = scope["path"]
        status = 500
        # HEAD is GET without the body, for every GET route.
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                self._stamp(MutableHeaders(scope=message), path, request_id)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        started_reply = False

        async def tracking_send(message: Message) -> None:
            nonlocal started_reply
            started_reply = started_reply or message["type"] == "http.response.start"
            await send_wrapper(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            # The one catch-all of the HTTP edge: a generic body with safety text, never a traceback.
            errors.exception("unhandled error", extra={"request_id": request_id, "route": _route_for(scope)})
            if started_reply:
                raise
            await send_json(send_wrapper, 500, f"internal error. {SAFETY}")
        finally:
            self._log(scope, state, path, status, time.perf_counter() - started)

    def _stamp(self, out: MutableHeaders, path: str, request_id: str) -> None:
        out["x-request-id"] = request_id
        for name, value in security_headers(path, out.get("content-type", "")).items():
            out.setdefault(name, value)
        if self._hsts:
            out.setdefault("strict-transport-security", HSTS)
        if path.startswith(NO_STORE_PREFIXES):
            # Answers and health are about one moment and one person: no cache keeps them.
            out.setdefault("cache-control", "no-store")

    def _log(self, scope: Scope, state: dict[str, Any], path: str, status: int, seconds: float) -> None:
        route = _route_for(scope)
        channel = state.get("channel") or _channel_for(path)
        kind = state.get("reply_kind") or ""
        metrics.REQUESTS.labels(route, channel, kind, str(status)).inc()
        metrics.LATENCY.labels(route).observe(seconds)
        logger.info(
            "request",
            extra={
                "request_id": state["request_id"],
                "method": scope["method"],
                "route": route,
                "channel": channel,
                "kind": kind or None,
                "status": status,
                "latency_ms": round(seconds * 1000, 1),
                "client": sender_key(self._secret, state["client_address"])[:16],
            },
        )
