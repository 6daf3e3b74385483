"""Faults: a missing or damaged index, a model that will not load, a build killed mid-way, live reloads."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.config import ROOT
from bot.errors import IndexMismatchError, IndexMissingError
from bot.loader import build_index, load_bot
from bot.search.encoders.hash import HashEncoder
from tests.conftest import make_settings, seed_triage
from tests.production.servers import HRBOT, free_port, hash_env, start_replica, stop, wait_until

ASK = {"question": "how do i use naloxone nasal spray"}
EMERGENCY = {"question": "my friend is not breathing and his lips are blue"}
TOKEN = "test-admin-token-0123456789"


def _copy(built: Path, dest: Path) -> Path:
    shutil.copytree(built, dest, symlinks=True)
    return dest


def _live_build(data_dir: Path) -> Path:
    return (data_dir / "index").resolve()


def test_missing_index_is_a_clear_startup_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "empty")
    with pytest.raises(IndexMissingError, match="hrbot build"), TestClient(create_app(settings)):
        pass


def test_missing_index_stops_hrbot_serve_with_a_clear_message(tmp_path: Path) -> None:
    env = hash_env(tmp_path / "empty", BOT_AUTO_BUILD="false")
    port = free_port()
    done = subprocess.run([HRBOT, "serve", "--port", str(port)], env=env, capture_output=True, timeout=120)
    assert done.returncode != 0
    assert b"no index at" in done.stderr
    assert b"hrbot build" in done.stderr


def test_hrbot_serve_builds_a_missing_index_by_default(tmp_path: Path, built_data_dir: Path) -> None:
    # The contract: `hrbot serve` builds the index first if it is missing or stale.
    seed_triage(built_data_dir, tmp_path / "new")
    port = free_port()
    proc = start_replica(port, hash_env(tmp_path / "new"), tmp_path / "serve.log")
    try:
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).json()
        assert ready["index"]["documents"] > 50
        answer = httpx.post(f"http://127.0.0.1:{port}/v1/ask", json=ASK, timeout=30).json()
        assert answer["kind"] == "answer"
    finally:
        stop(proc)


def test_missing_index_is_built_when_auto_build_is_on(tmp_path: Path, built_data_dir: Path) -> None:
    data = tmp_path / "fresh"
    data.mkdir()
    # The classifier is trained already (as after any earlier build); the child process builds the index.
    seed_triage(built_data_dir, data)
    settings = make_settings(data, auto_build=True)
    with TestClient(create_app(settings)) as c:
        deadline = time.monotonic() + 300
        while c.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the index was not built within 300 s"
            time.sleep(0.5)
        assert c.get("/readyz").json()["index"]["documents"] > 50
        assert c.post("/v1/ask", json=ASK).json()["kind"] == "answer"


@pytest.mark.parametrize("damage", ["passages.json", "dense.faiss", "manifest.json"])
def test_damaged_index(built_data_dir: Path, tmp_path: Path, damage: str) -> None:
    data_dir = _copy(built_data_dir, tmp_path / "data")
    target = _live_build(data_dir) / damage
    target.write_bytes(b"\x00garbage{")
    with pytest.raises((IndexMismatchError, IndexMissingError), match="hrbot build"):
        load_bot(make_settings(data_dir), HashEncoder())
    # With BOT_AUTO_BUILD=true the same start-up rebuilds and serves.
    bot = load_bot(make_settings(data_dir, auto_build=True), HashEncoder())
    assert bot.answer(ASK["question"]).kind == "answer"
    assert _live_build(data_dir) / damage != target


def test_model_that_fails_to_load_degrades_to_keywords(built_data_dir: Path, tmp_path: Path) -> None:
    # A real torch encoder pointed at a model that does not exist; HF_HUB_OFFLINE keeps it from the network.
    os.environ["HF_HUB_OFFLINE"] = "1"
    settings = make_settings(built_data_dir, encoder="torch", model=str(tmp_path / "no-such-model"))
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        assert ready.json()["encoder"] is None
        answer = c.post("/v1/ask", json=ASK)
        assert answer.status_code == 200
        assert answer.json()["kind"] == "answer"
        assert answer.json()["citations"]
        emergency = c.post("/v1/ask", json=EMERGENCY).json()
        assert emergency["kind"] == "emergency"
        assert "911" in emergency["answer"]
        crisis = c.post("/v1/ask", json={"question": "i want to kill myself tonight"}).json()
        assert crisis["kind"] == "crisis"
        statuses = [
            c.post("/v1/ask", json={"question": q}).status_code
            for q in ("what is fentanyl", "qué es la naloxona", "where do i get test strips", "xyz")
        ]
        assert statuses == [200, 200, 200, 200]


def test_kill_9_during_build_leaves_the_previous_index_serving(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = _copy(built_data_dir, tmp_path / "data")
    before = _live_build(data_dir)
    builds = data_dir / "builds"
    env = hash_env(data_dir)
    killed_mid_write = False
    for _ in range(5):
        proc = subprocess.Popen(
            [HRBOT, "build", "--force"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # Wait until the new build is half written (vectors and FAISS saved, BM25 and manifest not yet).
        while proc.poll() is None and not any(builds.glob(".*.tmp/dense.faiss")):
            time.sleep(0.001)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed_mid_write = not any((p / "manifest.json").exists() for p in builds.glob(".*.tmp"))
        else:
            (data_dir / "index").unlink()
            (data_dir / "index").symlink_to(before.relative_to(data_dir), target_is_directory=True)
        if killed_mid_write:
            break
        shutil.rmtree(data_dir)
        data_dir = _copy(built_data_dir, tmp_path / "data")
    assert killed_mid_write, "could not catch the build mid-write"
    assert proc.returncode == -signal.SIGKILL
    assert _live_build(data_dir) == before
    leftovers = list(builds.glob(".*.tmp"))
    assert leftovers and not (leftovers[0] / "manifest.json").exists()
    bot = load_bot(make_settings(data_dir), HashEncoder())
    assert bot.answer(ASK["question"]).kind == "answer"
    # The next build completes and takes over.
    done = subprocess.run([HRBOT, "build", "--force"], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _live_build(data_dir) != before
    assert load_bot(make_settings(data_dir), HashEncoder()).answer(ASK["question"]).kind == "answer"


def test_admin_reload_needs_the_token(built_data_dir: Path) -> None:
    with TestClient(create_app(make_settings(built_data_dir))) as c:
        assert c.post("/v1/admin/reload").status_code == 403
    with TestClient(create_app(make_settings(built_data_dir, admin_token=TOKEN))) as c:
        assert c.post("/v1/admin/reload").status_code == 401
        wrong = c.post("/v1/admin/reload", headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert wrong.headers["www-authenticate"] == "Bearer"


def test_admin_reload_swaps_index_without_downtime(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = _copy(built_data_dir, tmp_path / "data")
    settings = make_settings(data_dir, admin_token=TOKEN, cache_size=0)
    with TestClient(create_app(settings)) as c:
        app: Any = c.app
        old_bot = app.state.bot
        old_built = c.get("/readyz").json()["index"]["built_at"]
        statuses: list[int] = []
        stop_flag = threading.Event()

        def traffic() -> None:
            while not stop_flag.is_set():
                statuses.append(c.post("/v1/ask", json=ASK).status_code)

        workers = [threading.Thread(target=traffic) for _ in range(4)]
        for w in workers:
            w.start()
        time.sleep(1.1)  # a new build gets a later built_at (second resolution)
        build_index(ROOT / "corpus", data_dir, HashEncoder(), force=True, progress=False)
        r = c.post("/v1/admin/reload", headers={"authorization": f"Bearer {TOKEN}"})
        wait_until(lambda: len(statuses) > 40, what="traffic after reload")
        stop_flag.set()
        for w in workers:
            w.join(timeout=60)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "reloaded"
        assert app.state.bot is not old_bot
        assert c.get("/readyz").json()["index"]["built_at"] != old_built
        assert statuses and set(statuses) == {200}


def test_failed_reload_keeps_the_old_index(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = _copy(built_data_dir, tmp_path / "data")
    with TestClient(create_app(make_settings(data_dir, admin_token=TOKEN))) as c:
        app: Any = c.app
        old_bot = app.state.bot
        (data_dir / "index").unlink()
        r = c.post("/v1/admin/reload", headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 409
        assert "previous index keeps serving" in r.json()["detail"]
        assert app.state.bot is old_bot
        assert c.post("/v1/ask", json=ASK).status_code == 200


def test_sighup_reloads_a_live_server(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = _copy(built_data_dir, tmp_path / "data")
    port = free_port()
    proc = start_replica(port, hash_env(data_dir), tmp_path / "serve.log")
    try:
        base = f"http://127.0.0.1:{port}"
        old = httpx.get(f"{base}/readyz").json()["index"]["built_at"]
        time.sleep(1.1)  # a new build gets a later built_at (second resolution)
        build_index(ROOT / "corpus", data_dir, HashEncoder(), force=True, progress=False)
        new = json.loads((data_dir / "index" / "manifest.json").read_text())["built_at"]
        assert new != old
        proc.send_signal(signal.SIGHUP)
        wait_until(lambda: httpx.get(f"{base}/readyz").json()["index"]["built_at"] == new, what="reload")
        assert httpx.post(f"{base}/v1/ask", json=ASK).status_code == 200
        assert proc.poll() is None
    finally:
        stop(proc)
    assert b"index reloaded" in (tmp_path / "serve.log").read_bytes()
