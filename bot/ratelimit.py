"""Per-client rate limits with the `limits` library: by client address for web and API, by hashed sender for SMS.

Counters live in Redis when `BOT_REDIS_URL` is set, so every replica counts against one budget; otherwise in
this process's memory (one budget per process). Keys are HMACs (`bot.privacy.sender_key`), never addresses or
phone numbers. When the counter store cannot be reached the check fails open: refusing everyone because Redis
is down would be worse than letting a burst through.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from bot import metrics
from bot.config import Settings
from bot.privacy import sender_key

logger = logging.getLogger(__name__)

# After a failed check, skip the store for this long so a dead Redis costs one timeout, not one per request.
_BACKOFF_SECONDS = 5.0
# Short timeouts: a rate-limit check must never hold a request for long.
_REDIS_TIMEOUT = 0.25


@dataclass(frozen=True)
class Decision:
    """Whether a request may go ahead, and if not, how many seconds until it may."""

    allowed: bool
    retry_after: int = 0


ALLOW = Decision(True)


class RateLimiter:
    """Fixed-window limits per hashed client, shared across replicas when the storage is Redis."""

    def __init__(self, settings: Settings, storage: Storage | None = None) -> None:
        self.enabled = settings.rate_limit_enabled
        self.api_limit: RateLimitItem = parse(settings.rate_limit)
        self.sms_limit: RateLimitItem = parse(settings.sms_rate_limit)
        self._secret = settings.hash_secret.get_secret_value()
        if storage is None:
            storage = _storage_for(settings.redis_url)
        self.storage = storage
        self.shared = settings.redis_url is not None
        self._strategy = FixedWindowRateLimiter(storage)
        self._skip_until = 0.0
        self._lock = threading.Lock()

    def check_client(self, address: str) -> Decision:
        """Count one web/API request from a client address (hashed before it is used as a key)."""
        return self._hit(self.api_limit, "api", sender_key(self._secret, limit_key(address)))

    def check_sms(self, sender_hash: str) -> Decision:
        """Count one SMS from a sender already hashed with `bot.privacy.sender_key`; call it from the SMS router."""
        return self._hit(self.sms_limit, "sms", sender_hash)

    def _hit(self, item: RateLimitItem, scope: str, key: str) -> Decision:
        if not self.enabled:
            return ALLOW
        now = time.monotonic()
        if now < self._skip_until:
            return ALLOW
        try:
            if self._strategy.hit(item, scope, key):
                return ALLOW
            reset = self._strategy.get_window_stats(item, scope, key).reset_time
        except Exception:  # noqa: BLE001 - any storage failure means the same: fail open
            with self._lock:
                self._skip_until = now + _BACKOFF_SECONDS
            metrics.LIMITER_ERRORS.inc()
            logger.warning("rate-limit store unreachable: limits off for a few seconds", extra={"scope": scope})
            return ALLOW
        metrics.RATE_LIMITED.labels(scope).inc()
        return Decision(False, max(1, math.ceil(reset - time.time())))


def limit_key(address: str) -> str:
    """The address a limit counts against: IPv4 as written canonically, IPv6 by its /64 (one home or phone holds
    a whole /64, so rotating inside it must not buy a new budget); an IPv4 address mapped into IPv6 counts as
    itself. Anything unparseable counts as given."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _storage_for(redis_url: str | None) -> Storage:
    if not redis_url:
        return MemoryStorage()
    options: dict[str, Any] = {"socket_timeout": _REDIS_TIMEOUT, "socket_connect_timeout": _REDIS_TIMEOUT}
    return cast(Storage, storage_from_string(redis_url, key_prefix="hrbot:limits", **options))
