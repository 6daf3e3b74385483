"""CORS for the browser-facing JSON endpoints only, from the `BOT_CORS_ORIGINS` allowlist."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# Browser calls are allowed cross-origin only on these paths (the widget's), and only from BOT_CORS_ORIGINS.
CORS_PATHS = ("/v1/ask", "/v1/feedback")


class ApiCors:
    """Starlette's CORS middleware, applied to `CORS_PATHS` alone."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=["POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route requests for the CORS paths through Starlette's CORS middleware."""
        if scope["type"] == "http" and scope["path"] in CORS_PATHS:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
