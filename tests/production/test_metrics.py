"""/metrics: Prometheus text with requests, latency, reply kinds, triage, limits and index gauges."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.api.app import create_app
from tests.conftest import make_settings


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_kinds_and_index(built_data_dir: Path) -> None:
    settings = make_settings(built_data_dir, rate_limit_enabled=True, rate_limit="2/minute")
    with TestClient(create_app(settings)) as c:
        before = _samples(c.get("/metrics").text)
        assert (
            c.post("/v1/ask", json={"question": "my friend is not breathing, lips blue", "channel": "web"}).status_code
            == 200
        )
        assert c.post("/v1/ask", json={"question": "what is fentanyl"}).status_code == 200
        assert c.post("/v1/ask", json={"question": "what is fentanyl"}).status_code == 429
        r = c.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    after = _samples(r.text)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert delta("hrbot_requests_total", route="/v1/ask", channel="web", kind="emergency", status="200") == 1
    assert delta("hrbot_requests_total", route="/v1/ask", channel="api", kind="", status="429") == 1
    assert delta("hrbot_replies_total", kind="emergency", channel="web", language="en") == 1
    assert delta("hrbot_triage_total", kind="emergency") == 1
    assert delta("hrbot_rate_limited_total", scope="api") == 1
    assert delta("hrbot_request_seconds_count", route="/v1/ask") == 3
    assert _value(after, "hrbot_index_documents") > 50
    assert _value(after, "hrbot_index_passages") > 100
    assert _value(after, "hrbot_index_build_seconds") > 0
    assert _value(after, "hrbot_index_built_timestamp_seconds") > 1.7e9
    assert _value(after, "hrbot_degraded") == 0


def test_unknown_paths_share_one_label(client: TestClient) -> None:
    for i in range(3):
        assert client.get(f"/no-such-page-{i}").status_code == 404
    text = client.get("/metrics").text
    assert "no-such-page" not in text
    assert 'route="unmatched"' in text
