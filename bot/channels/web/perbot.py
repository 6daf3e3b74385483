"""Pages made from the serving bot once and kept: a reload makes a new bot, and with it new pages."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from bot.service import Bot

T = TypeVar("T")


class PerBot(Generic[T]):
    """`make(bot, key)` computed once per serving bot and key; an older bot's values are dropped with it."""

    def __init__(self, make: Callable[[Bot, str], T]) -> None:
        self._make = make
        self._made: dict[tuple[str, int, float], T] = {}
        self._lock = threading.Lock()

    def get(self, bot: Bot, key: str = "") -> T:
        """The value for `bot` and `key`, made on first use."""
        slot = (key, id(bot), bot.loaded_at)
        if slot in self._made:
            return self._made[slot]
        with self._lock:
            if slot not in self._made:
                # Only the serving bot's values are kept; an old bot's go with it.
                self._made = {k: v for k, v in self._made.items() if k[1:] == slot[1:]}
                self._made[slot] = self._make(bot, key)
            return self._made[slot]
