"""The real server over HTTP: `hrbot serve` with the real model and index, asked as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from bot.config import Settings
from bot.service import Bot

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(real_settings: Settings, real_bot: Bot) -> Iterator[str]:
    # real_bot has built the index the server loads.
    assert real_bot.index.passages
    port = _free_port()
    env = {
        **os.environ,
        "BOT_DATA_DIR": str(real_settings.data_dir),
        "BOT_RATE_LIMIT_ENABLED": "false",
        "HF_HUB_OFFLINE": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server exited")
            time.sleep(0.5)
        else:
            raise RuntimeError("server did not become ready")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_narcan_question_gets_nose_answer_with_citation(server: str) -> None:
    r = httpx.post(f"{server}/v1/ask", json={"question": "how do i use narcan"}, timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert body["kind"] == "answer"
    assert "nose" in body["answer"].lower() or "nostril" in body["answer"].lower()
    assert {c["publisher"] for c in body["citations"]} <= {"CDC", "SAMHSA"}
    assert body["citations"]


@pytest.mark.parametrize("question", ["what's the capital of peru", "how do i treat a bee sting"])
def test_unanswerable_questions_get_no_invented_answer(server: str, question: str) -> None:
    body = httpx.post(f"{server}/v1/ask", json={"question": question}, timeout=30).json()
    assert body["kind"] in ("out_of_scope", "no_answer")


def test_spanish_question_gets_spanish_sources(server: str) -> None:
    body = httpx.post(f"{server}/v1/ask", json={"question": "como se usa la naloxona"}, timeout=30).json()
    assert body["kind"] == "answer"
    assert body["language"] == "es"
    assert any("naloxona" in c["snippet"].lower() for c in body["citations"])


def test_bad_input_gets_422_not_500(server: str) -> None:
    assert httpx.post(f"{server}/v1/ask", json={"question": ""}, timeout=10).status_code == 422
    assert httpx.post(f"{server}/v1/ask", json={"question": "x" * 5000}, timeout=10).status_code == 422
    broken = httpx.post(f"{server}/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert 400 <= broken.status_code < 500
