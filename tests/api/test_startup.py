"""Serving at once: with no index, the port answers, emergencies get their fixed replies, and the build runs in a
child process until the bot is loaded."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.standby import Standby
from tests.conftest import make_settings
from tests.corpus.cardfixture import write_corpus

EMERGENCY = {"question": "my friend is not breathing and his lips are blue"}
CRISIS = {"question": "I want to kill myself tonight"}
PLAIN = {"question": "how do i use narcan"}


def test_standby_answers_emergencies_and_crises_with_their_fixed_replies() -> None:
    standby = Standby()
    emergency = standby.answer(EMERGENCY["question"])
    assert emergency.kind == "emergency" and "911" in emergency.answer and emergency.citations
    crisis = standby.answer("quiero morir, ya no aguanto más")
    assert crisis.kind == "crisis" and "988" in crisis.answer and crisis.language == "es"


def test_standby_says_it_is_starting_for_anything_else() -> None:
    reply = Standby().answer(PLAIN["question"])
    assert reply.kind == "fallback"
    assert all(s in reply.answer for s in ("starting", "911", "988", "1-800-662-4357"))


def test_the_server_answers_while_the_first_build_runs(tmp_path: Path, built_data_dir: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    data.mkdir()
    # The classifier is trained already, so the child builds only the index of the small corpus.
    shutil.copy(built_data_dir / "triage.npz", data / "triage.npz")
    settings = make_settings(data, corpus_dir=corpus, auto_build=True)
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "building"
        assert ready.headers["Retry-After"]
        emergency = client.post("/v1/ask", json=EMERGENCY)
        assert emergency.status_code == 200 and emergency.json()["kind"] == "emergency"
        assert client.post("/v1/ask", json=CRISIS).json()["kind"] == "crisis"
        early = client.post("/v1/ask", json=PLAIN)
        if early.status_code == 503:
            assert "911" in early.json()["detail"] and early.headers["Retry-After"]
        deadline = time.monotonic() + 120
        while client.get("/readyz").status_code != 200:
            if time.monotonic() > deadline:
                pytest.fail("the index was not built and loaded within 120 s")
            time.sleep(0.5)
        answer = client.post("/v1/ask", json=PLAIN)
        assert answer.status_code == 200 and answer.json()["kind"] == "answer"
    assert (data / "index" / "manifest.json").is_file()
    assert not (data / "build-progress.json").exists()


def test_a_failed_build_is_reported_on_readyz(tmp_path: Path) -> None:
    empty = tmp_path / "corpus"
    empty.mkdir()
    settings = make_settings(tmp_path / "data", corpus_dir=empty, auto_build=True)
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 60
        while client.get("/readyz").json()["status"] == "building":
            if time.monotonic() > deadline:
                pytest.fail("the build did not end")
            time.sleep(0.2)
        body = client.get("/readyz").json()
        assert body["status"] == "not ready" and "build failed" in body["detail"]
        assert client.post("/v1/ask", json=EMERGENCY).json()["kind"] == "emergency"
