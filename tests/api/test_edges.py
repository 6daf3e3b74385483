"""Small edges: HEAD on GET routes, no-store on answers, HSTS behind TLS, no Host-built redirects, /docs off in
production, and the 911 line on every refusal body."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from tests.conftest import make_settings, share_index


@pytest.fixture
def tls(built_data_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    data = tmp_path / "data"
    share_index(built_data_dir, data)
    settings = make_settings(
        data,
        env="production",
        public_url="https://hrbot.example.org",
        hash_secret=secrets.token_hex(16),
        twilio_auth_token=secrets.token_hex(16),
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_head_works_on_get_routes_without_a_body(client: TestClient) -> None:
    for path in ("/healthz", "/", "/widget.js"):
        got = client.head(path)
        assert got.status_code == 200, path
        assert got.content == b""
        assert got.headers["x-content-type-options"] == "nosniff"


def test_answers_are_not_stored_by_caches(client: TestClient) -> None:
    reply = client.post("/v1/ask", json={"question": "what is naloxone"})
    assert reply.headers["cache-control"] == "no-store"
    assert client.get("/readyz").headers["cache-control"] == "no-store"


def test_a_trailing_slash_is_a_404_not_a_redirect_to_the_host_header(client: TestClient) -> None:
    got = client.get("/cards/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert got.status_code == 404
    assert "evil.example" not in got.headers.get("location", "")


def test_refusal_bodies_say_what_to_do_in_an_emergency(client: TestClient) -> None:
    wrong_type = client.post("/v1/ask", content=b"question=hi", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415 and "911" in wrong_type.json()["detail"]
    too_big = client.post("/v1/ask", content=b"{" + b" " * 40000 + b"}", headers={"Content-Type": "application/json"})
    assert too_big.status_code == 413 and "911" in too_big.json()["detail"]
    invalid = client.post("/v1/ask", json={"question": ""})
    assert invalid.status_code == 422 and "911" in invalid.json()["safety"]
    unknown = client.post("/v1/ask", json={"question": "hi", "channel": "fax"})
    assert unknown.status_code == 422


def test_behind_tls_every_reply_carries_hsts_and_docs_are_off(tls: TestClient) -> None:
    assert tls.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"
    assert tls.get("/docs").status_code == 404
    assert tls.get("/openapi.json").status_code == 200


def test_without_tls_there_is_no_hsts_and_docs_are_served(built_data_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    share_index(built_data_dir, data)
    with TestClient(create_app(make_settings(data, public_url="http://127.0.0.1:8000"))) as client:
        assert "strict-transport-security" not in client.get("/healthz").headers
        assert client.get("/docs").status_code == 200


def test_a_refused_origin_is_logged_once_by_origin_alone(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    headers = {"Origin": "https://not-allowed.example", "Access-Control-Request-Method": "POST"}
    for _ in range(3):
        client.options("/v1/ask", headers=headers)
    refused = [r for r in caplog.records if "not in BOT_CORS_ORIGINS" in r.getMessage()]
    assert len(refused) == 1
    assert getattr(refused[0], "origin", None) == "https://not-allowed.example"
    assert client.get("/readyz").json()["cors_origins"] == 0
