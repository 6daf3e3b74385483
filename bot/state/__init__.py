"""Small shared state: SMS sessions, opt-outs, MessageSid replies, feedback and unanswered questions.

SQLite (WAL mode) under `BOT_DATA_DIR` by default; Redis when `BOT_REDIS_URL` is set, so several replicas
behave as one. Keys that stand for people are HMACs (`bot.privacy.sender_key`), never phone numbers.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.state.store import Store


def open_store(settings: Settings) -> Store:
    """The store the settings ask for: Redis when `BOT_REDIS_URL` is set, else SQLite under `BOT_DATA_DIR`."""
    if settings.redis_url:
        from bot.state.redis import RedisStore

        return RedisStore(settings.redis_url)
    return open_sqlite(settings.data_dir / "state.sqlite3")


logger = logging.getLogger(__name__)


def open_sqlite(path: Path) -> Store:
    """The SQLite store at `path`; a damaged file is set aside and recreated, and a file that cannot be opened
    at all (locked, unwritable) gives way to a temporary one. Either way answers go on and `problem` says why."""
    from bot.state.sqlite import SQLiteStore

    try:
        return SQLiteStore(path)
    except sqlite3.DatabaseError as e:
        damaged = "not a database" in str(e) or "malformed" in str(e) or "disk image" in str(e)
        if damaged:
            aside = _set_aside(path)
            logger.error("the SQLite store was damaged: set aside and recreated", extra={"moved_to": str(aside)})
            try:
                store = SQLiteStore(path)
                store.problem = f"{path.name} was damaged; set aside as {aside.name} and recreated"
                return store
            except sqlite3.DatabaseError as again:
                e = again
        folder = Path(tempfile.mkdtemp(prefix="hrbot-state-"))
        logger.error("the SQLite store cannot be opened: using a temporary one", extra={"error": str(e)})
        store = SQLiteStore(folder / path.name)
        store.problem = f"{path.name} cannot be opened ({e}); using a temporary store until restart"
        return store


def _set_aside(path: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.replace(aside.with_name(aside.name + suffix))
    return aside
