"""Small JSON replies sent by the middleware itself, outside the app."""

from __future__ import annotations

import json

from starlette.types import Send

# Every refusal says what to do if the question was an emergency.
SAFETY = "If someone may be overdosing, call 911."


async def send_json(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    """Send a small JSON error body `{"detail": ...}`."""
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
