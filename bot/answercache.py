"""The answer cache: recent replies kept by normalised question, language and channel, safe across threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class AnswerCache(Generic[T]):
    """The last `size` replies by (question, language, channel), least recently used out first."""

    size: int
    items: OrderedDict[tuple[str, str, str], T] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple[str, str, str]) -> T | None:
        """The cached reply, or None."""
        with self.lock:
            reply = self.items.get(key)
            if reply is not None:
                self.items.move_to_end(key)
            return reply

    def put(self, key: tuple[str, str, str], reply: T) -> None:
        """Keep a reply, dropping the least recently used beyond `size`."""
        if self.size <= 0:
            return
        with self.lock:
            self.items[key] = reply
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
