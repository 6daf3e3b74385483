"""The JSON API: answers, validation errors and health endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_ask_returns_cited_answer(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": "how do i use naloxone nasal spray"})
    assert r.status_code == 200
    body = r.json()
    assert body["kind"] == "answer"
    assert body["citations"]
    for c in body["citations"]:
        assert c["publisher"] in ("CDC", "SAMHSA")
        assert f"[{c['id']}]" in body["answer"]


def test_ask_empty_question_returns_422(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": "   "})
    assert r.status_code == 422
    assert "empty" in r.text


def test_ask_too_long_question_returns_422(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": "a" * 5000})
    assert r.status_code == 422
    assert "1000" in r.text


def test_ask_broken_json_returns_422(client: TestClient) -> None:
    r = client.post("/v1/ask", content=b'{"question":', headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_ask_unknown_channel_returns_422(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": "what is fentanyl", "channel": "fax"})
    assert r.status_code == 422


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["index"]["documents"] > 50


def test_emergency_reply_has_911_first(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": "my friend is not breathing and his lips are blue"})
    body = r.json()
    assert body["kind"] == "emergency"
    assert "911" in body["answer"][:153]
    assert body["citations"]
