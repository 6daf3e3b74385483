"""The `Store` protocol: what the channels remember between messages, and for how long."""

from __future__ import annotations

from typing import Any, Protocol

# How long a MessageSid's reply is kept for Twilio's retries (it retries for minutes, not days).
DEDUPE_TTL = 24 * 3600
# Unanswered questions are kept for curators this long, then deleted.
UNANSWERED_TTL_DAYS = 90


class Store(Protocol):
    """What the channels need to remember between messages."""

    def get_session(self, key: str) -> dict[str, Any] | None:
        """The session for a hashed sender, or None when absent or expired."""
        ...

    def save_session(self, key: str, data: dict[str, Any], ttl: int) -> None:
        """Keep a session for `ttl` seconds."""
        ...

    def is_opted_out(self, key: str) -> bool:
        """Whether a hashed sender sent STOP (and not START since)."""
        ...

    def set_opted_out(self, key: str, opted_out: bool) -> None:
        """Record STOP (True) or START (False)."""
        ...

    def claim_message(self, sid: str) -> tuple[bool, str | None]:
        """Mark a MessageSid as being handled: (True, None) the first time, else (False, the saved reply)."""
        ...

    def save_message_reply(self, sid: str, reply: str) -> None:
        """Keep the reply sent for a MessageSid so a retry gets the same one."""
        ...

    def add_feedback(self, helpful: bool, kind: str | None, language: str | None) -> None:
        """Count a yes/no vote; no identifiers."""
        ...

    def record_unanswered(self, question: str, kind: str, language: str) -> None:
        """Keep a scrubbed unanswered question with its kind, language and date."""
        ...

    def unanswered(self, days: int) -> list[dict[str, Any]]:
        """Unanswered questions of the last `days` days, grouped, most frequent first."""
        ...

    def keyword_seen(self, sid: str) -> bool:
        """Whether a STOP or START with this MessageSid was acted on before (kept with no expiry), and mark it.

        A signed STOP replayed after the dedupe window must not opt its sender out again.
        """
        ...

    def ping(self) -> bool:
        """Whether the store answers."""
        ...
