"""Refuse early what the app should not spend time on: oversized bodies, wrong types, floods, overload."""

from __future__ import annotations

import json
from typing import Any

from anyio import CapacityLimiter, to_thread
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import metrics
from bot.api.middleware.responses import SAFETY, send_json
from bot.config import Settings
from bot.ratelimit import Decision, RateLimiter
from bot.service import is_urgent
from bot.vocab import DEFAULT_CHANNEL, is_channel

JSON_PATHS = frozenset({"/v1/ask", "/v1/feedback"})
CONCURRENCY_PATHS = frozenset({"/v1/ask"})
# Health, metrics and Twilio's fallback must answer even when the service is saturated or a client is noisy.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/v1/sms/fallback"})
KNOWN_PATHS = JSON_PATHS | CONCURRENCY_PATHS | {"/v1/admin/reload", "/v1/sms/twilio"}


class GuardMiddleware:
    """Refuse early what the app should not spend time on: oversized bodies, wrong types, floods, overload."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.max_concurrency = settings.max_concurrency
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
            await send_json(send, 413, f"request body over {self.max_body} bytes. {SAFETY}")
            return
        if path in JSON_PATHS and method == "POST":
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json":
                await send_json(send, 415, f"send the body as JSON with Content-Type: application/json. {SAFETY}")
                return
        data: Any = None
        if method in ("POST", "PUT", "PATCH"):
            body = await self._read_body(receive)
            if body is None:
                await send_json(send, 413, f"request body over {self.max_body} bytes. {SAFETY}")
                return
            # Decoded once, here: the channel label, the urgency check and the depth limit all read it.
            data = _decode(body) if path in JSON_PATHS else None
            if data is _TOO_DEEP:
                await send_json(send, 422, f"the JSON body is nested too deeply. {SAFETY}")
                return
            if path == "/v1/ask":
                scope.setdefault("state", {})["channel"] = _ask_channel(data)
            receive = _replay(body, receive)
        # Only real routes spend a client's budget: a mistyped path (404) costs nothing.
        limited = path in KNOWN_PATHS and path not in EXEMPT_PATHS and not path.startswith("/v1/sms/")
        if limited:
            decision = await self._check(scope, scope["state"]["client_address"] if "state" in scope else "unknown")
            # Safety before limits: an overdose or a suicide crisis is answered whatever the sender has spent.
            if not decision.allowed and not await _urgent(scope, path, data):
                retry = str(decision.retry_after)
                detail = f"too many requests; try again in {retry} seconds. {SAFETY}"
                await send_json(send, 429, detail, {"Retry-After": retry})
                return
        if path in CONCURRENCY_PATHS:
            await self._bounded(scope, receive, send, data)
            return
        await self.app(scope, receive, send)

    async def _check(self, scope: Scope, address: str) -> Decision:
        # The app's limiter, made by the lifespan; before the lifespan has run there is nothing to count against.
        limiter: RateLimiter | None = getattr(scope["app"].state, "limiter", None) if "app" in scope else None
        if limiter is None or not limiter.enabled:
            return Decision(True)
        if limiter.shared:
            # A network round trip: off the event loop, on its own threads so busy answers cannot delay it.
            if self._io_threads is None:
                self._io_threads = CapacityLimiter(16)
            return await to_thread.run_sync(limiter.check_client, address, limiter=self._io_threads)
        return limiter.check_client(address)

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, data: Any) -> None:
        # The counter is only touched on the event loop thread, so it needs no lock.
        if self.in_flight >= self.max_concurrency and not await _urgent(scope, scope["path"], data):
            metrics.OVERLOADED.inc()
            await send_json(send, 503, f"the service is busy; try again in a second. {SAFETY}", {"Retry-After": "1"})
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


async def _urgent(scope: Scope, path: str, data: Any) -> bool:
    """Whether a refused `/v1/ask` reads as an emergency or crisis (the bot's triage, off the event loop)."""
    question = data.get("question") if path == "/v1/ask" and isinstance(data, dict) else None
    if not isinstance(question, str) or not question.strip():
        return False
    bot = getattr(scope["app"].state, "bot", None) if "app" in scope else None
    return await to_thread.run_sync(is_urgent, question, bot)


_TOO_DEEP = object()


def _decode(body: bytes) -> Any:
    """The body's JSON; None when it is malformed (the route refuses it with its own 422), or `_TOO_DEEP`."""
    try:
        return json.loads(body)
    except RecursionError:
        # Python's JSON parser recurses once per level: a small body nested a thousand deep would end in a 500.
        return _TOO_DEEP
    except ValueError:
        return None


def _ask_channel(data: Any) -> str:
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
