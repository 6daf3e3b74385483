"""The embedded store: the `Store` protocol over one SQLite file in WAL mode under `BOT_DATA_DIR`."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from bot.state.store import DEDUPE_TTL, UNANSWERED_TTL_DAYS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (key TEXT PRIMARY KEY, data TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS optouts (key TEXT PRIMARY KEY, since REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (sid TEXT PRIMARY KEY, reply TEXT, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS keyword_messages (sid TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS feedback (day TEXT NOT NULL, helpful INTEGER NOT NULL, kind TEXT, language TEXT);
CREATE TABLE IF NOT EXISTS unanswered (day TEXT NOT NULL, question TEXT NOT NULL, kind TEXT NOT NULL,
                                       language TEXT NOT NULL);
"""


class SQLiteStore:
    """The embedded store: one SQLite file in WAL mode, safe across threads and processes on one host."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Why this store is not the one configured, when it is not (bot.state.open_sqlite); /readyz shows it.
        self.problem: str | None = None
        self._local = threading.local()
        with self._conn() as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
            conn.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def get_session(self, key: str) -> dict[str, Any] | None:
        """The session for a hashed sender, or None when absent or expired."""
        row = self._conn().execute("SELECT data, expires FROM sessions WHERE key = ?", (key,)).fetchone()
        if row is None or row[1] < time.time():
            return None
        data: dict[str, Any] = json.loads(row[0])
        return data

    def save_session(self, key: str, data: dict[str, Any], ttl: int) -> None:
        """Keep a session for `ttl` seconds; expired sessions are purged as new ones are saved."""
        now = time.time()
        conn = self._conn()
        conn.execute(
            "INSERT INTO sessions (key, data, expires) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET data = excluded.data, expires = excluded.expires",
            (key, json.dumps(data, ensure_ascii=False), now + ttl),
        )
        conn.execute("DELETE FROM sessions WHERE expires < ?", (now,))

    def is_opted_out(self, key: str) -> bool:
        """Whether a hashed sender sent STOP (and not START since)."""
        return self._conn().execute("SELECT 1 FROM optouts WHERE key = ?", (key,)).fetchone() is not None

    def set_opted_out(self, key: str, opted_out: bool) -> None:
        """Record STOP (True) or START (False)."""
        if opted_out:
            self._conn().execute("INSERT OR REPLACE INTO optouts (key, since) VALUES (?, ?)", (key, time.time()))
        else:
            self._conn().execute("DELETE FROM optouts WHERE key = ?", (key,))

    def keyword_seen(self, sid: str) -> bool:
        """Whether a STOP or START with this MessageSid was acted on before, and mark it (no expiry)."""
        cur = self._conn().execute("INSERT OR IGNORE INTO keyword_messages (sid) VALUES (?)", (sid,))
        return cur.rowcount == 0

    def claim_message(self, sid: str) -> tuple[bool, str | None]:
        """Mark a MessageSid as being handled: (True, None) the first time, else (False, the saved reply)."""
        now = time.time()
        conn = self._conn()
        conn.execute("DELETE FROM messages WHERE expires < ?", (now,))
        cur = conn.execute(
            "INSERT OR IGNORE INTO messages (sid, reply, expires) VALUES (?, NULL, ?)", (sid, now + DEDUPE_TTL)
        )
        if cur.rowcount == 1:
            return True, None
        row = conn.execute("SELECT reply FROM messages WHERE sid = ?", (sid,)).fetchone()
        return False, (row[0] if row else None)

    def save_message_reply(self, sid: str, reply: str) -> None:
        """Keep the reply sent for a MessageSid so a retry gets the same one."""
        self._conn().execute("UPDATE messages SET reply = ? WHERE sid = ?", (reply, sid))

    def add_feedback(self, helpful: bool, kind: str | None, language: str | None) -> None:
        """Count a yes/no vote with the day only; no identifiers."""
        self._conn().execute(
            "INSERT INTO feedback (day, helpful, kind, language) VALUES (?, ?, ?, ?)",
            (dt.date.today().isoformat(), int(helpful), kind, language),
        )

    def record_unanswered(self, question: str, kind: str, language: str) -> None:
        """Keep a scrubbed unanswered question with its kind, language and date."""
        conn = self._conn()
        conn.execute(
            "INSERT INTO unanswered (day, question, kind, language) VALUES (?, ?, ?, ?)",
            (dt.date.today().isoformat(), question, kind, language),
        )
        cutoff = (dt.date.today() - dt.timedelta(days=UNANSWERED_TTL_DAYS)).isoformat()
        conn.execute("DELETE FROM unanswered WHERE day < ?", (cutoff,))

    def unanswered(self, days: int) -> list[dict[str, Any]]:
        """Unanswered questions of the last `days` days, grouped, most frequent first."""
        cutoff = (dt.date.today() - dt.timedelta(days=days)).isoformat()
        rows = (
            self._conn()
            .execute(
                "SELECT lower(question) AS q, kind, language, COUNT(*) AS n FROM unanswered WHERE day >= ? "
                "GROUP BY q, kind, language ORDER BY n DESC, q",
                (cutoff,),
            )
            .fetchall()
        )
        return [{"question": q, "kind": k, "language": lang, "count": n} for q, k, lang, n in rows]

    def ping(self) -> bool:
        """Whether the database answers."""
        return self._conn().execute("SELECT 1").fetchone() is not None
