"""`GET /s/{code}`: a 302 to the cited page for a known code, a 404 naming 911 otherwise, counted, never limited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.api.app import create_app
from bot.service import Bot
from bot.shortlinks import code_for, is_allowed, links_for
from bot.triage.replies import source_urls
from tests.conftest import make_settings

NALOXONE = "https://www.cdc.gov/stop-overdose/caring/naloxone.html"
UNKNOWN = {"detail": "unknown link. If someone may be overdosing, call 911."}


def _get(client: TestClient, code: str, method: str = "GET") -> Any:
    return client.request(method, f"/s/{code}", follow_redirects=False)


def _redirects(client: TestClient) -> dict[str, float]:
    families = {f.name: f for f in text_string_to_metric_families(client.get("/metrics").text)}
    family = families["hrbot_short_link_redirects"]
    assert all(set(s.labels) == {"result"} for s in family.samples)
    return {s.labels["result"]: s.value for s in family.samples if s.name.endswith("_total")}


def test_a_known_code_redirects_to_its_page(client: TestClient) -> None:
    got = _get(client, code_for(NALOXONE))
    assert got.status_code == 302
    assert got.headers["location"] == NALOXONE
    assert got.headers["cache-control"] == "public, max-age=3600"


def test_every_code_of_the_serving_bot_redirects_to_an_allowed_host(client: TestClient) -> None:
    bot: Bot = client.app.state.bot  # type: ignore[attr-defined]
    codes = links_for(bot).codes()
    assert len(codes) > 50
    for code, url in codes.items():
        got = _get(client, code)
        assert got.status_code == 302, code
        assert got.headers["location"] == url
        assert is_allowed(got.headers["location"])


def test_a_code_is_read_in_any_case(client: TestClient) -> None:
    assert _get(client, code_for(NALOXONE).upper()).headers["location"] == NALOXONE


@pytest.mark.parametrize("code", ["aaaaaa", "zzzzzzzz", "x", "dxtfc0", "%2e%2e"])
def test_an_unknown_code_is_a_404_naming_911(client: TestClient, code: str) -> None:
    got = _get(client, code)
    assert got.status_code == 404
    assert got.json() == UNKNOWN
    assert got.headers["cache-control"] == "no-store"
    assert "location" not in got.headers


def test_head_gets_the_same_status_and_headers_without_a_body(client: TestClient) -> None:
    known = _get(client, code_for(NALOXONE), "HEAD")
    assert known.status_code == 302 and known.headers["location"] == NALOXONE and known.content == b""
    unknown = _get(client, "aaaaaa", "HEAD")
    assert unknown.status_code == 404 and unknown.content == b""


def test_redirects_are_counted_by_result_alone(client: TestClient) -> None:
    before = _redirects(client)
    _get(client, code_for(NALOXONE))
    _get(client, code_for(NALOXONE), "HEAD")
    _get(client, "aaaaaa")
    after = _redirects(client)
    assert after["found"] - before["found"] == 2
    assert after["unknown"] - before["unknown"] == 1
    text = client.get("/metrics").text
    assert "aaaaaa" not in text and code_for(NALOXONE) not in text and "naloxone.html" not in text


def test_short_links_are_not_in_the_openapi_schema(client: TestClient) -> None:
    assert not any(path.startswith("/s/") for path in client.get("/openapi.json").json()["paths"])


def test_short_links_do_not_spend_the_rate_limit(built_data_dir: Path) -> None:
    settings = make_settings(built_data_dir, rate_limit_enabled=True, rate_limit="3/minute")
    with TestClient(create_app(settings)) as client:
        for _ in range(10):
            assert _get(client, code_for(NALOXONE)).status_code == 302
            assert _get(client, "aaaaaa").status_code == 404
        asks = [client.post("/v1/ask", json={"question": "what is naloxone"}).status_code for _ in range(4)]
    assert asks == [200, 200, 200, 429]


def test_while_the_bot_is_not_loaded_the_fixed_replies_links_work() -> None:
    # No lifespan: no bot, as while the service is starting.
    client = TestClient(create_app(make_settings(Path("/nonexistent"))))
    for url in source_urls():
        got = _get(client, code_for(url))
        assert got.status_code == 302 and got.headers["location"] == url
    assert (
        _get(client, code_for("https://www.cdc.gov/stopoverdose/fentanyl/fentanyl-test-strips.html")).status_code == 404
    )
