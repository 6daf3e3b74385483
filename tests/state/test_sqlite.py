"""The embedded store: sessions, opt-outs, MessageSid replies, feedback and unanswered questions in SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.state import open_store
from bot.state.sqlite import SQLiteStore
from tests.conftest import make_settings


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "state.sqlite3")


def test_open_store_without_redis_is_sqlite_under_the_data_folder(tmp_path: Path) -> None:
    store = open_store(make_settings(tmp_path))
    assert isinstance(store, SQLiteStore)
    assert store.path == tmp_path / "state.sqlite3"
    assert store.ping()


def test_the_tables_are_the_documented_ones(store: SQLiteStore) -> None:
    tables = {
        row[0] for row in sqlite3.connect(store.path).execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert tables == {"sessions", "optouts", "messages", "keyword_messages", "feedback", "unanswered"}


def test_sessions_round_trip_and_expire(store: SQLiteStore) -> None:
    store.save_session("k1", {"lang": "es", "more": ["rest"]}, ttl=60)
    assert store.get_session("k1") == {"lang": "es", "more": ["rest"]}
    store.save_session("k2", {"lang": "en"}, ttl=-1)
    assert store.get_session("k2") is None
    assert store.get_session("nobody") is None


def test_opt_out_until_opt_in(store: SQLiteStore) -> None:
    assert not store.is_opted_out("k")
    store.set_opted_out("k", True)
    assert store.is_opted_out("k")
    store.set_opted_out("k", False)
    assert not store.is_opted_out("k")


def test_a_message_sid_is_claimed_once_and_its_reply_kept(store: SQLiteStore) -> None:
    assert store.claim_message("SM1") == (True, None)
    assert store.claim_message("SM1") == (False, None)
    store.save_message_reply("SM1", "<Response/>")
    assert store.claim_message("SM1") == (False, "<Response/>")


def test_unanswered_questions_are_grouped_most_frequent_first(store: SQLiteStore) -> None:
    for question in ("Naloxone price?", "naloxone price?", "drug take-back"):
        store.record_unanswered(question, "no_answer", "en")
    store.add_feedback(True, "answer", "en")
    assert store.unanswered(30) == [
        {"question": "naloxone price?", "kind": "no_answer", "language": "en", "count": 2},
        {"question": "drug take-back", "kind": "no_answer", "language": "en", "count": 1},
    ]
