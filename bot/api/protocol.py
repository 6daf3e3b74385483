"""The HTTP/1.1 protocol `hrbot serve` runs: uvicorn's h11 protocol with a deadline for reading each request.

uvicorn closes idle keep-alive connections, but a client that opens a connection and then sends nothing, or a
request head or body a byte at a time, is held for as long as it likes; a few hundred such clients hold a
replica's sockets. Here every request must arrive whole (head and body) within `BOT_REQUEST_TIMEOUT` seconds
of its first byte, or of the connection opening. Late clients get 408 with the 911 line and are closed. The
deadline covers reading only: the time an answer takes is the app's own.
"""

from __future__ import annotations

import asyncio
import json
import logging

from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.api.middleware.responses import SAFETY

logger = logging.getLogger(__name__)

_BODY = json.dumps({"detail": f"the request took too long to arrive. {SAFETY}"}).encode()
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\n\r\n" + _BODY
)


class DeadlineH11Protocol(H11Protocol):
    """h11 with a read deadline per request; `read_timeout` is set by `with_read_timeout`."""

    read_timeout: float = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request as soon as the connection opens."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Start the clock on a request's first byte; stop it once the request has been read."""
        if self._deadline is None and not self._reading():
            self._arm()
        super().data_received(data)
        if self._reading():
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the clock with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def _reading(self) -> bool:
        # True once the current request's head and body are in: the app has all it will read.
        cycle = self.cycle
        return cycle is not None and not cycle.response_complete and not cycle.more_body

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.read_timeout, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and cycle.response_started:
            # The app has begun its answer (it read no more body): let it finish.
            return
        # Nothing of an answer has been sent, so the raw bytes of a whole 408 can go out before the close; an app
        # still waiting for the body sees the client disconnect and sends nothing.
        self.transport.write(TIMEOUT_RESPONSE)
        self.transport.close()
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()
        logger.info("request read timed out", extra={"timeout_seconds": self.read_timeout})


def with_read_timeout(seconds: float) -> type[DeadlineH11Protocol]:
    """The protocol class for uvicorn's `http=` with this read deadline."""
    return type("DeadlineH11Protocol", (DeadlineH11Protocol,), {"read_timeout": seconds})
