"""Security headers: one policy per kind of response, from `bot/api/headers.py`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.api.headers import API_CSP, HTML_CSP, PAGE_CSP, security_headers


@pytest.mark.parametrize(
    ("path", "content_type", "csp"),
    [
        ("/", "text/html; charset=utf-8", PAGE_CSP),
        ("/cards", "text/html; charset=utf-8", PAGE_CSP),
        ("/static/index.html", "text/html; charset=utf-8", HTML_CSP),
        ("/cards", "application/json", API_CSP),
        ("/v1/ask", "application/json", API_CSP),
        ("/v1/sms/twilio", "text/xml; charset=utf-8", API_CSP),
        ("/widget.js", "text/javascript; charset=utf-8", API_CSP),
        ("/docs", "text/html; charset=utf-8", None),
        ("/redoc", "text/html; charset=utf-8", None),
    ],
)
def test_each_response_gets_its_policy(path: str, content_type: str, csp: str | None) -> None:
    headers = security_headers(path, content_type)
    assert headers.get("content-security-policy") == csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_only_the_rendered_pages_forbid_framing_and_devices() -> None:
    assert security_headers("/", "text/html")["x-frame-options"] == "DENY"
    assert "camera=()" in security_headers("/cards", "text/html")["permissions-policy"]
    assert "x-frame-options" not in security_headers("/static/index.html", "text/html")
    assert "x-frame-options" not in security_headers("/v1/ask", "application/json")


@pytest.mark.parametrize(
    ("path", "csp"), [("/", PAGE_CSP), ("/cards", PAGE_CSP), ("/static/index.html", HTML_CSP), ("/healthz", API_CSP)]
)
def test_the_app_sends_them(client: TestClient, path: str, csp: str) -> None:
    assert client.get(path).headers["content-security-policy"] == csp
