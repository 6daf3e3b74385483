"""Privacy: a phone number, a marker word and a client address sent through every channel end up in no log
and no stored file; unanswered-question analytics keep only scrubbed text, kind, language and date."""

from __future__ import annotations

import io
import logging
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.api.app import create_app
from bot.cli import cli
from bot.logging import JsonFormatter
from tests.conftest import make_settings, share_index
from tests.production.servers import free_port, hash_env, start_replica, stop

PHONE = "+1 415 555 0123"
SENDER = "+14155550123"
MARKER = "quokkazebra"
CLIENT_IP = "203.0.113.77"
PUBLIC_URL = "https://hrbot.example.org"
QUESTIONS = [
    f"how do i use naloxone? text me at {PHONE} {MARKER}",
    f"my friend {MARKER} is not breathing, call {PHONE}",
    f"{MARKER} what is the opening time of the {MARKER} museum, my number is {PHONE}",
]
# Every way the number could show up once stored or logged.
_TRACES = [MARKER, "555 0123", "5550123", "555-0123", SENDER, CLIENT_IP]


@pytest.fixture
def log_capture() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(old_level)


def _signed(url: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator("test-twilio-token").compute_signature(url, params)}


def _stored_bytes(data_dir: Path) -> bytes:
    files = [p for p in data_dir.rglob("*") if p.is_file() and "builds" not in p.parts and "cache" not in p.parts]
    assert any(p.name.startswith("state.sqlite3") for p in files)
    return b"".join(p.read_bytes() for p in files)


def _assert_clean(text: str, where: str) -> None:
    for trace in _TRACES:
        assert trace not in text, f"{trace!r} found in {where}"


def _send_everything(c: httpx.Client | TestClient, sms_url: str) -> list[int]:
    statuses = []
    headers = {"x-forwarded-for": CLIENT_IP}
    for q in QUESTIONS:
        for channel in ("api", "web", "sms"):
            r = c.post("/v1/ask", json={"question": q, "channel": channel}, headers=headers)
            statuses.append(r.status_code)
    statuses.append(c.post("/v1/ask", json={"question": "x" * 1001 + MARKER + PHONE}, headers=headers).status_code)
    statuses.append(c.post("/v1/ask", content=f"{MARKER} {PHONE}".encode(), headers=headers).status_code)
    statuses.append(c.post("/v1/feedback", json={"helpful": False, "kind": "answer"}, headers=headers).status_code)
    statuses.append(c.post("/v1/feedback", json={"helpful": True, "note": f"{MARKER} {PHONE}"}).status_code)
    for i, q in enumerate([*QUESTIONS, "STOP", "START", "HELP", "MORE"]):
        params = {"From": SENDER, "To": "+15005550006", "Body": q, "MessageSid": f"SMprivacy{i}"}
        r = c.post("/v1/sms/twilio", data=params, headers={**headers, **_signed(sms_url, params)})
        assert r.status_code == 200, "the SMS webhook must accept the signed message"
        statuses.append(r.status_code)
    return statuses


def test_nothing_personal_in_logs_or_store_in_process(
    built_data_dir: Path, tmp_path: Path, log_capture: io.StringIO
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    share_index(built_data_dir, data_dir)
    settings = make_settings(data_dir, trusted_proxies="10.0.0.0/8", public_url=PUBLIC_URL, log_level="DEBUG")
    with TestClient(create_app(settings), client=("10.0.0.5", 4000)) as c:
        root = logging.getLogger()
        handler = logging.StreamHandler(log_capture)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)  # configure_logging replaced the root handlers when the app was created
        statuses = _send_everything(c, f"{PUBLIC_URL}/v1/sms/twilio")
        root.removeHandler(handler)
    assert 500 not in statuses
    logs = log_capture.getvalue()
    assert '"route": "/v1/ask"' in logs and '"status": 200' in logs  # the access log did run
    _assert_clean(logs, "logs")
    _assert_clean(_stored_bytes(data_dir).decode("utf-8", "replace"), "the data folder")
    assert "testclient" not in logs and "10.0.0.5" not in logs


def test_nothing_personal_from_a_live_server(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    share_index(built_data_dir, data_dir)
    port = free_port()
    log = tmp_path / "serve.log"
    env = hash_env(data_dir, BOT_TRUSTED_PROXIES="127.0.0.1", BOT_PUBLIC_URL=PUBLIC_URL, BOT_LOG_LEVEL="DEBUG")
    proc = start_replica(port, env, log)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            statuses = _send_everything(c, f"{PUBLIC_URL}/v1/sms/twilio")
    finally:
        stop(proc)
    assert 500 not in statuses
    logs = log.read_text()
    assert '"logger": "bot.access"' in logs
    _assert_clean(logs, "the server's output")
    _assert_clean(_stored_bytes(data_dir).decode("utf-8", "replace"), "the data folder")


def test_unanswered_analytics_keep_only_scrubbed_text(
    built_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    share_index(built_data_dir, data_dir)
    settings = make_settings(data_dir, log_unanswered=True, min_confidence=0.5)
    question = f"{MARKER} opening hours of the museum? call {PHONE} or mail me@example.com, see https://x.example/a"
    with TestClient(create_app(settings)) as c:
        assert c.post("/v1/ask", json={"question": question}).json()["kind"] in ("no_answer", "out_of_scope")
        assert c.post("/v1/ask", json={"question": "he is not breathing, lips blue"}).json()["kind"] == "emergency"
    with sqlite3.connect(data_dir / "state.sqlite3") as db:
        rows = db.execute("SELECT * FROM unanswered").fetchall()
        columns = [d[0] for d in db.execute("SELECT * FROM unanswered").description]
    assert columns == ["day", "question", "kind", "language"]
    assert len(rows) == 1
    day, kept, kind, language = rows[0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
    assert kind in ("no_answer", "out_of_scope") and language == "en"
    assert MARKER in kept and "[phone]" in kept and "[email]" in kept and "[url]" in kept
    for trace in ("555", "me@example.com", "x.example"):
        assert trace not in kept
    # The curators' report reads the same store.
    monkeypatch.setenv("BOT_DATA_DIR", str(data_dir))
    report = CliRunner().invoke(cli, ["report", "unanswered"])
    assert report.exit_code == 0, report.output
    assert MARKER in report.output and "[phone]" in report.output and "555" not in report.output


def test_unanswered_analytics_are_off_by_default(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    share_index(built_data_dir, data_dir)
    with TestClient(create_app(make_settings(data_dir, min_confidence=0.5))) as c:
        assert c.post("/v1/ask", json={"question": f"{MARKER} museum hours"}).json()["kind"] != "answer"
    with sqlite3.connect(data_dir / "state.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM unanswered").fetchone() == (0,)
