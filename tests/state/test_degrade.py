"""A damaged or unopenable SQLite store degrades instead of stopping the server."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.state import open_sqlite
from tests.conftest import make_settings, share_index


def test_a_damaged_file_is_set_aside_and_recreated(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = open_sqlite(path)
    assert store.ping()
    store.set_opted_out("k", True)
    assert store.is_opted_out("k")
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    assert "was damaged" in (getattr(store, "problem", "") or "")


def test_a_path_that_cannot_be_opened_gives_a_temporary_store(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.mkdir()  # a folder where the file should be
    store = open_sqlite(path)
    assert store.ping()
    assert "cannot be opened" in (getattr(store, "problem", "") or "")


def test_the_server_answers_and_readyz_names_the_store(tmp_path: Path, built_data_dir: Path) -> None:
    data = tmp_path / "data"
    share_index(built_data_dir, data)
    (data / "state.sqlite3").write_bytes(b"\x00garbage" * 64)
    with TestClient(create_app(make_settings(data))) as client:
        ready = client.get("/readyz").json()
        assert ready["status"] == "degraded"
        assert "state.sqlite3 was damaged" in ready["store"]["problem"]
        reply = client.post("/v1/ask", json={"question": "my friend is not breathing"})
        assert reply.status_code == 200 and reply.json()["kind"] == "emergency"
