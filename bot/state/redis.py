"""The shared store for several replicas: the `Store` protocol over Redis, every key with a TTL except opt-outs.

Keys stand for HMACs of senders (`bot.privacy.sender_key`) and Twilio MessageSids, never phone numbers. When
Redis cannot be reached, each operation logs, counts the failure and returns the safe default (no session,
not opted out, a message not seen before, a vote dropped), so people still get answers.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import redis

from bot import metrics
from bot.state.store import DEDUPE_TTL, UNANSWERED_TTL_DAYS

logger = logging.getLogger(__name__)

T = TypeVar("T")
PREFIX = "hrbot"
# A pending MessageSid holds this until its reply is saved; Redis has no NULL.
_PENDING = ""
# Short timeouts: a store call must not hold a request for long when Redis is unreachable.
_TIMEOUT = 0.5


class RedisStore:
    """Sessions, opt-outs, MessageSid dedupe, feedback counts and unanswered questions in Redis."""

    def __init__(self, url: str, client: redis.Redis | None = None) -> None:
        self.url = url
        self.client: redis.Redis = client or redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=_TIMEOUT, socket_connect_timeout=_TIMEOUT
        )

    def _safe(self, operation: str, call: Callable[[], T], default: T) -> T:
        try:
            return call()
        except redis.RedisError as e:
            metrics.STORE_ERRORS.labels(operation).inc()
            logger.warning("store unreachable, skipped", extra={"operation": operation, "error": type(e).__name__})
            return default

    def get_session(self, key: str) -> dict[str, Any] | None:
        """The session for a hashed sender, or None when absent, expired or unreachable."""
        raw = self._safe("get_session", lambda: self.client.get(f"{PREFIX}:session:{key}"), None)
        if raw is None:
            return None
        data: dict[str, Any] = json.loads(str(raw))
        return data

    def save_session(self, key: str, data: dict[str, Any], ttl: int) -> None:
        """Keep a session for `ttl` seconds."""
        payload = json.dumps(data, ensure_ascii=False)
        self._safe("save_session", lambda: self.client.set(f"{PREFIX}:session:{key}", payload, ex=ttl), None)

    def is_opted_out(self, key: str) -> bool:
        """Whether a hashed sender sent STOP (and not START since)."""
        return bool(self._safe("is_opted_out", lambda: self.client.exists(f"{PREFIX}:optout:{key}"), 0))

    def set_opted_out(self, key: str, opted_out: bool) -> None:
        """Record STOP (True) or START (False); an opt-out is kept until START, without expiry."""
        name = f"{PREFIX}:optout:{key}"
        if opted_out:
            self._safe("set_opted_out", lambda: self.client.set(name, "1"), None)
        else:
            self._safe("set_opted_out", lambda: self.client.delete(name), None)

    def keyword_seen(self, sid: str) -> bool:
        """Whether a STOP or START with this MessageSid was acted on before, and mark it (no expiry)."""
        name = f"{PREFIX}:keyword:{sid}"
        return not self._safe("keyword_seen", lambda: bool(self.client.set(name, "1", nx=True)), True)

    def claim_message(self, sid: str) -> tuple[bool, str | None]:
        """Mark a MessageSid as being handled: (True, None) the first time, else (False, the saved reply)."""
        name = f"{PREFIX}:msg:{sid}"

        def claim() -> tuple[bool, str | None]:
            if self.client.set(name, _PENDING, nx=True, ex=DEDUPE_TTL):
                return True, None
            reply = self.client.get(name)
            return False, (str(reply) if reply else None)

        first: tuple[bool, str | None] = (True, None)
        return self._safe("claim_message", claim, first)

    def save_message_reply(self, sid: str, reply: str) -> None:
        """Keep the reply sent for a MessageSid so a retry gets the same one."""
        name = f"{PREFIX}:msg:{sid}"
        self._safe("save_message_reply", lambda: self.client.set(name, reply, xx=True, keepttl=True), None)

    def add_feedback(self, helpful: bool, kind: str | None, language: str | None) -> None:
        """Count a yes/no vote per day, kind and language; no identifiers."""
        name = f"{PREFIX}:feedback:{dt.date.today().isoformat()}"
        field = f"{int(helpful)}|{kind or ''}|{language or ''}"
        self._safe("add_feedback", lambda: self.client.hincrby(name, field, 1), 0)

    def record_unanswered(self, question: str, kind: str, language: str) -> None:
        """Keep a scrubbed unanswered question with its kind, language and date, for 90 days."""
        name = f"{PREFIX}:unanswered:{dt.date.today().isoformat()}"
        field = json.dumps([question, kind, language], ensure_ascii=False)

        def record() -> None:
            pipe = self.client.pipeline()
            pipe.hincrby(name, field, 1)
            pipe.expire(name, UNANSWERED_TTL_DAYS * 86400)
            pipe.execute()

        self._safe("record_unanswered", record, None)

    def unanswered(self, days: int) -> list[dict[str, Any]]:
        """Unanswered questions of the last `days` days, grouped, most frequent first."""
        today = dt.date.today()
        names = [f"{PREFIX}:unanswered:{(today - dt.timedelta(days=d)).isoformat()}" for d in range(days + 1)]
        totals: dict[tuple[str, str, str], int] = {}

        def gather() -> dict[tuple[str, str, str], int]:
            for name in names:
                for field, n in self.client.hgetall(name).items():
                    question, kind, language = json.loads(str(field))
                    key = (question.lower(), kind, language)
                    totals[key] = totals.get(key, 0) + int(n)
            return totals

        grouped: dict[tuple[str, str, str], int] = self._safe("unanswered", gather, {})
        rows = sorted(grouped.items(), key=lambda item: (-item[1], item[0][0]))
        return [{"question": q, "kind": k, "language": lang, "count": n} for (q, k, lang), n in rows]

    def ping(self) -> bool:
        """Whether Redis answers."""
        return bool(self._safe("ping", self.client.ping, False))
