"""The HTTP edge, as plain ASGI middleware (outermost first).

- `EdgeMiddleware`: request id, JSON access log without addresses or text, metrics, security headers.
- `GuardMiddleware`: body cap (413), JSON content type (415), per-client rate limit (429), and bounded
  concurrency on `/v1/ask` (503), each refusal fast and with `Retry-After` where waiting helps.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from anyio import CapacityLimiter, to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import metrics
from bot.config import Settings
from bot.privacy import sender_key
from bot.ratelimit import Decision, RateLimiter, client_address, parse_networks
from bot.vocab import DEFAULT_CHANNEL, is_channel

logger = logging.getLogger("bot.access")
errors = logging.getLogger(__name__)

JSON_PATHS = frozenset({"/v1/ask", "/v1/feedback"})
CONCURRENCY_PATHS = frozenset({"/v1/ask"})
# Health, metrics and Twilio's fallback must answer even when the service is saturated or a client is noisy.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/v1/sms/fallback"})
_KNOWN_PATHS = JSON_PATHS | CONCURRENCY_PATHS | {"/v1/admin/reload", "/v1/sms/twilio"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Pages only load their own scripts, styles and API; nothing may frame them.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# FastAPI's own /docs and /redoc load Swagger UI from a CDN with inline script; a strict policy would blank them.
_NO_CSP_PATHS = ("/docs", "/redoc")
_SAFETY = "If someone may be overdosing, call 911."


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
    return scope["path"] if scope["path"] in _KNOWN_PATHS else "unmatched"


async def send_json(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    """Send a small JSON error body, outside the app."""
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class EdgeMiddleware:
    """Request id, access log, metrics and security headers for every HTTP request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self._secret = settings.hash_secret.get_secret_value()
        self._trusted = parse_networks(settings.trusted_proxies)

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

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                out = MutableHeaders(scope=message)
                out["x-request-id"] = request_id
                out.setdefault("x-content-type-options", "nosniff")
                out.setdefault("referrer-policy", "no-referrer")
                if not path.startswith(_NO_CSP_PATHS):
                    is_page = out.get("content-type", "").startswith("text/html")
                    out.setdefault("content-security-policy", PAGE_CSP if is_page else API_CSP)
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
            await send_json(send_wrapper, 500, f"internal error. {_SAFETY}")
        finally:
            self._log(scope, state, path, status, time.perf_counter() - started)

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


class GuardMiddleware:
    """Refuse early what the app should not spend time on: oversized bodies, wrong types, floods, overload."""

    def __init__(self, app: ASGIApp, settings: Settings, limiter: RateLimiter) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.max_concurrency = settings.max_concurrency
        self.limiter = limiter
        self.in_flight = 0
        self._io_threads: CapacityLimiter | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one request, then pass it on or refuse it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await send_json(send, 413, f"request body over {self.max_body} bytes")
            return
        if path in JSON_PATHS and method == "POST":
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json":
                await send_json(send, 415, "send the body as JSON with Content-Type: application/json")
                return
        if path not in EXEMPT_PATHS and path.startswith("/v1/") and not path.startswith("/v1/sms/"):
            decision = await self._check(scope["state"]["client_address"] if "state" in scope else "unknown")
            if not decision.allowed:
                retry = str(decision.retry_after)
                detail = f"too many requests; try again in {retry} seconds. {_SAFETY}"
                await send_json(send, 429, detail, {"Retry-After": retry})
                return
        body: bytes | None = None
        if method in ("POST", "PUT", "PATCH"):
            body = await self._read_body(receive)
            if body is None:
                await send_json(send, 413, f"request body over {self.max_body} bytes")
                return
            if path == "/v1/ask":
                scope.setdefault("state", {})["channel"] = _ask_channel(body)
            receive = _replay(body, receive)
        if path in CONCURRENCY_PATHS:
            await self._bounded(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _check(self, address: str) -> Decision:
        if not self.limiter.enabled:
            return Decision(True)
        if self.limiter.shared:
            # A network round trip: off the event loop, on its own threads so busy answers cannot delay it.
            if self._io_threads is None:
                self._io_threads = CapacityLimiter(16)
            return await to_thread.run_sync(self.limiter.check_client, address, limiter=self._io_threads)
        return self.limiter.check_client(address)

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The counter is only touched on the event loop thread, so it needs no lock.
        if self.in_flight >= self.max_concurrency:
            metrics.OVERLOADED.inc()
            await send_json(send, 503, f"the service is busy; try again in a second. {_SAFETY}", {"Retry-After": "1"})
            return
        self.in_flight += 1
        metrics.IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            metrics.IN_FLIGHT.dec()

    async def _read_body(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _ask_channel(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return DEFAULT_CHANNEL
    channel = data.get("channel") if isinstance(data, dict) else None
    return channel if is_channel(channel) else DEFAULT_CHANNEL


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
