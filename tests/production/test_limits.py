"""Limits at the edge: body cap, content type, rate limits, bounded concurrency, headers, no stack traces."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.api.proxies import client_address, parse_networks
from bot.config import Settings
from bot.privacy import sender_key
from bot.ratelimit import RateLimiter
from bot.service import Bot, Reply
from tests.conftest import make_settings

ASK = {"question": "how do i use naloxone nasal spray"}


@pytest.fixture
def limited(built_data_dir: Path) -> Iterator[TestClient]:
    settings = make_settings(
        built_data_dir, rate_limit_enabled=True, rate_limit="3/minute", trusted_proxies="10.0.0.0/8"
    )
    with TestClient(create_app(settings), client=("10.0.0.5", 4000)) as c:
        yield c


def test_oversized_body_returns_413(client: TestClient) -> None:
    r = client.post(
        "/v1/ask", content=b'{"question": "' + b"a" * 40000 + b'"}', headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert "bytes" in r.json()["detail"]


def test_oversized_chunked_body_returns_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(50):
            yield b"a" * 1000
        yield b'"}'

    r = client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_returns_415(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    r = client.post("/v1/ask", content=b'{"question": "what is fentanyl"}', headers=headers)
    assert r.status_code == 415
    r = client.post("/v1/feedback", content=b'{"helpful": true}', headers=headers)
    assert r.status_code == 415


def test_json_with_charset_is_accepted(client: TestClient) -> None:
    r = client.post(
        "/v1/ask",
        content=b'{"question": "what is fentanyl"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 200


def test_rate_limit_returns_429_with_retry_after(limited: TestClient) -> None:
    statuses = [limited.post("/v1/ask", json=ASK).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    r = limited.post("/v1/ask", json=ASK)
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert "911" in r.json()["detail"]
    assert limited.get("/healthz").status_code == 200
    assert limited.get("/readyz").status_code == 200


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("my friend is not breathing", "emergency"),
        ("mi amigo no respira", "emergency"),
        ("i want to kill myself", "crisis"),
        ("quiero morir", "crisis"),
    ],
)
def test_an_emergency_or_crisis_is_answered_past_the_rate_limit(limited: TestClient, question: str, kind: str) -> None:
    for _ in range(3):
        limited.post("/v1/ask", json=ASK)
    assert limited.post("/v1/ask", json=ASK).status_code == 429
    for _ in range(3):
        r = limited.post("/v1/ask", json={"question": question})
        assert r.status_code == 200
        assert r.json()["kind"] == kind


def test_forwarded_for_is_honoured_only_from_trusted_proxies(built_data_dir: Path, limited: TestClient) -> None:
    # The peer 10.0.0.5 is a trusted proxy: each forwarded client has its own budget.
    for client in ("198.51.100.1", "198.51.100.2"):
        codes = [limited.post("/v1/ask", json=ASK, headers={"x-forwarded-for": client}).status_code for _ in range(3)]
        assert codes == [200, 200, 200]
    assert limited.post("/v1/ask", json=ASK, headers={"x-forwarded-for": "198.51.100.1"}).status_code == 429
    # An untrusted peer cannot dodge its limit by inventing X-Forwarded-For values.
    settings = make_settings(
        built_data_dir, rate_limit_enabled=True, rate_limit="3/minute", trusted_proxies="10.0.0.0/8"
    )
    with TestClient(create_app(settings), client=("192.0.2.9", 4000)) as direct:
        codes = [
            direct.post("/v1/ask", json=ASK, headers={"x-forwarded-for": f"203.0.113.{i}"}).status_code
            for i in range(4)
        ]
    assert codes == [200, 200, 200, 429]


def test_rate_limit_can_be_switched_off(client: TestClient) -> None:
    assert all(client.post("/v1/ask", json=ASK).status_code == 200 for _ in range(40))


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.5", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        ("192.0.2.9", "198.51.100.7", "192.0.2.9"),
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "garbage", "garbage"),
    ],
)
def test_client_address(peer: str, forwarded: str | None, expected: str) -> None:
    assert client_address(peer, forwarded, parse_networks("10.0.0.0/8, ::1")) == expected


def test_bad_trusted_proxy_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="not-an-ip"):
        parse_networks("10.0.0.0/8,not-an-ip")


def test_sms_limit_counts_hashed_senders(settings: Settings) -> None:
    limiter = RateLimiter(settings.model_copy(update={"rate_limit_enabled": True, "sms_rate_limit": "2/minute"}))
    sender = sender_key("test-hash-secret", "+14155550123")
    assert [limiter.check_sms(sender).allowed for _ in range(3)] == [True, True, False]
    assert limiter.check_sms(sender).retry_after >= 1
    assert limiter.check_sms(sender_key("test-hash-secret", "+14155550999")).allowed


def test_ipv6_clients_share_a_budget_per_64_and_one_address_counts_once(settings: Settings) -> None:
    limiter = RateLimiter(settings.model_copy(update={"rate_limit_enabled": True, "rate_limit": "2/minute"}))
    # Rotating inside one /64, or writing the same address two ways, buys no new budget.
    same = ["2001:db8:1:2::1", "2001:db8:1:2:abcd::9", "2001:DB8:1:2:0:0:0:1"]
    assert [limiter.check_client(a).allowed for a in same] == [True, True, False]
    assert limiter.check_client("2001:db8:1:3::1").allowed  # another /64
    assert [limiter.check_client(a).allowed for a in ("192.0.2.7", "::ffff:192.0.2.7", "192.0.2.7")] == [
        True,
        True,
        False,
    ]


def test_limiter_fails_open_when_redis_is_unreachable(settings: Settings) -> None:
    # Port 9 on loopback: nothing listens there, so every Redis call fails at once.
    down = settings.model_copy(
        update={"rate_limit_enabled": True, "rate_limit": "1/minute", "redis_url": "redis://127.0.0.1:9/0"}
    )
    limiter = RateLimiter(down)
    assert all(limiter.check_client("192.0.2.1").allowed for _ in range(5))


class _HeldBot(Bot):
    """The real bot, but each answer waits until the test lets it go, to hold a request in flight."""

    entered: threading.Event
    release: threading.Event

    def answer(self, question: str, language: str | None = None, channel: str = "api") -> Reply:
        self.entered.set()
        self.release.wait(timeout=60)
        return super().answer(question, language, channel)


def test_overload_gets_fast_503_and_health_stays_up(built_data_dir: Path) -> None:
    settings = make_settings(built_data_dir, max_concurrency=1)
    with TestClient(create_app(settings)) as c:
        app: Any = c.app
        held = _HeldBot(settings, app.state.bot.index, None, None)
        held.entered, held.release = threading.Event(), threading.Event()
        app.state.bot = held
        first: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: first.update(r=c.post("/v1/ask", json=ASK)))
        worker.start()
        assert held.entered.wait(timeout=60)
        busy = c.post("/v1/ask", json=ASK)
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "1"
        assert "911" in busy.json()["detail"]
        assert c.get("/healthz").status_code == 200
        assert c.get("/metrics").status_code == 200
        # An emergency is let past the cap while the first answer is still held.
        urgent: dict[str, Any] = {}
        rescuer = threading.Thread(
            target=lambda: urgent.update(r=c.post("/v1/ask", json={"question": "my friend is not breathing"}))
        )
        rescuer.start()
        rescuer.join(timeout=2)
        held.release.set()
        worker.join(timeout=60)
        rescuer.join(timeout=60)
        assert first["r"].status_code == 200
        assert urgent["r"].status_code == 200 and urgent["r"].json()["kind"] == "emergency"
        assert c.post("/v1/ask", json=ASK).status_code == 200


def test_security_headers_on_api_and_pages(client: TestClient) -> None:
    for path in ("/healthz", "/readyz"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "default-src" in r.headers["content-security-policy"]
        assert r.headers["x-request-id"]
    r = client.post("/v1/ask", json=ASK, headers={"x-request-id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    assert client.get("/healthz", headers={"x-request-id": "bad id\twith spaces"}).headers["x-request-id"] != (
        "bad id\twith spaces"
    )


def test_security_headers_on_widget_and_page(client: TestClient) -> None:
    if client.get("/widget.js").status_code == 404:
        pytest.skip("the web channel is not mounted in this build")
    for path in ("/", "/widget.js", "/cards"):
        r = client.get(path)
        assert r.status_code == 200
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors" in r.headers["content-security-policy"] or path == "/widget.js"
        assert r.headers["referrer-policy"]


class _BrokenBot(Bot):
    def answer(self, question: str, language: str | None = None, channel: str = "api") -> Reply:  # noqa: ARG002
        raise RuntimeError("boom: internal detail that must not leak")


def test_unexpected_error_has_no_stack_trace(settings: Settings) -> None:
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        app: Any = c.app
        app.state.bot = _BrokenBot(settings, app.state.bot.index, None, None)
        r = c.post("/v1/ask", json=ASK)
    assert r.status_code == 500
    assert "Traceback" not in r.text
    assert "boom" not in r.text
    assert "911" in r.json()["detail"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_deeply_nested_json_gets_422_not_500(client: TestClient) -> None:
    deep = "[" * 1000 + "]" * 1000
    r = client.post(
        "/v1/ask",
        content=('{"question": "what is naloxone", "x": ' + deep + "}").encode(),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    assert "nested" in r.json()["detail"] and "911" in r.json()["detail"]


def test_a_lone_surrogate_in_a_question_is_answered(client: TestClient) -> None:
    r = client.post(
        "/v1/ask", content=b'{"question": "\\ud800 how do i use narcan"}', headers={"content-type": "application/json"}
    )
    assert r.status_code == 200
    assert r.json()["kind"] in ("answer", "no_answer")


def test_unknown_paths_do_not_spend_the_rate_limit(limited: TestClient) -> None:
    for _ in range(5):
        assert limited.get("/v1/no-such-path").status_code == 404
    assert [limited.post("/v1/ask", json=ASK).status_code for _ in range(3)] == [200, 200, 200]
