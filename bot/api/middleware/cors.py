"""CORS for the browser-facing JSON endpoints only, from the `BOT_CORS_ORIGINS` allowlist."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger(__name__)
# Origins already logged as refused: each is logged once, so a busy partner page cannot flood the log.
MAX_LOGGED_ORIGINS = 1000

# Browser calls are allowed cross-origin only on these paths (the widget's), and only from BOT_CORS_ORIGINS.
CORS_PATHS = ("/v1/ask", "/v1/feedback")


class ApiCors:
    """Starlette's CORS middleware, applied to `CORS_PATHS` alone."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.origins = frozenset(origins)
        self._refused: set[str] = set()
        self._lock = threading.Lock()
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
            origin = Headers(scope=scope).get("origin")
            if origin and origin not in self.origins and "*" not in self.origins:
                self._note_refused(origin)
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _note_refused(self, origin: str) -> None:
        # A widget embedded on a site missing from BOT_CORS_ORIGINS loads but every question fails: say so once.
        with self._lock:
            if origin in self._refused or len(self._refused) >= MAX_LOGGED_ORIGINS:
                return
            self._refused.add(origin)
        logger.warning("cross-origin request from an origin not in BOT_CORS_ORIGINS", extra={"origin": origin[:200]})
