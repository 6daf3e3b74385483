"""Small shared state: SMS sessions, opt-outs, MessageSid replies, feedback and unanswered questions.

SQLite (WAL mode) under `BOT_DATA_DIR` by default; Redis when `BOT_REDIS_URL` is set, so several replicas
behave as one. Keys that stand for people are HMACs (`bot.privacy.sender_key`), never phone numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.state.store import Store


def open_store(settings: Settings) -> Store:
    """The store the settings ask for: Redis when `BOT_REDIS_URL` is set, else SQLite under `BOT_DATA_DIR`."""
    if settings.redis_url:
        from bot.state.redis import RedisStore

        return RedisStore(settings.redis_url)
    from bot.state.sqlite import SQLiteStore

    return SQLiteStore(settings.data_dir / "state.sqlite3")
