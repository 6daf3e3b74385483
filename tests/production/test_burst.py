"""A burst past every limit, against a real `hrbot serve`: a sender who has spent the web, API and SMS budgets
still gets the emergency or crisis reply to every urgent message, in English and Spanish."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from bot.triage.replies import fixed_reply
from tests.conftest import share_index
from tests.production.servers import free_port, hash_env, start_replica, stop
from tests.urgent import URGENT

TOKEN = "test-twilio-token"
ORIGIN = "http://partner.example"
SENDER = "+15005550123"
ORDINARY = {"en": "how do i use naloxone nasal spray", "es": "¿cómo uso la naloxona?"}
LINE = {"emergency": "911", "crisis": "988"}


@pytest.fixture(scope="module")
def server(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("burst")
    share_index(built_data_dir, folder / "data")
    port = free_port()
    env = hash_env(
        folder / "data",
        BOT_RATE_LIMIT_ENABLED="true",
        BOT_RATE_LIMIT="3/minute",
        BOT_SMS_RATE_LIMIT="2/minute",
        BOT_CORS_ORIGINS=ORIGIN,
    )
    proc = start_replica(port, env, folder / "serve.log")
    yield f"http://127.0.0.1:{port}"
    stop(proc)


def _cases() -> list[tuple[str, str, str]]:
    return [(kind, lang, q) for (kind, lang), qs in URGENT.items() for q in qs]


def _ask(base: str, question: str, channel: str) -> httpx.Response:
    # The widget's own request: its origin, the web channel and a session id, no credentials.
    headers = {"Origin": ORIGIN} if channel == "web" else {}
    body = {"question": question, "channel": channel, **({"session_id": "burst-test"} if channel == "web" else {})}
    return httpx.post(f"{base}/v1/ask", json=body, headers=headers, timeout=30)


def _sms(base: str, body: str, sid: int) -> str:
    params = {"From": SENDER, "To": "+15005550006", "Body": body, "MessageSid": f"SMburst{sid:04d}"}
    signature = RequestValidator(TOKEN).compute_signature(f"{base}/v1/sms/twilio", params)
    r = httpx.post(f"{base}/v1/sms/twilio", data=params, headers={"X-Twilio-Signature": signature}, timeout=30)
    assert r.status_code == 200
    return " ".join(re.findall(r"<Message>(.*?)</Message>", r.text, flags=re.S))


@pytest.mark.parametrize("channel", ["api", "web"])
def test_a_spent_http_budget_still_gets_every_emergency_and_crisis(server: str, channel: str) -> None:
    # The budget is per address; both channels come from loopback, so whichever runs first spends it.
    statuses = [_ask(server, ORDINARY["en"], channel).status_code for _ in range(4)]
    assert statuses[-1] == 429
    for kind, lang, question in _cases():
        r = _ask(server, question, channel)
        assert r.status_code == 200, (question, r.status_code)
        data = r.json()
        assert data["kind"] == kind, (question, data["kind"])
        assert data["language"] == lang, question
        assert LINE[kind] in data["answer"]
        if channel == "web":
            assert r.headers["access-control-allow-origin"] == ORIGIN
    # And the budget is still spent for everything else.
    assert _ask(server, ORDINARY["es"], channel).status_code == 429


def test_a_spent_sms_budget_still_gets_every_emergency_and_crisis(server: str) -> None:
    replies = [_sms(server, ORDINARY["en"], i) for i in range(3)]
    limited = replies[-1]
    assert limited and limited != replies[0]
    assert "wait a minute" in limited
    for i, (kind, lang, question) in enumerate(_cases(), start=100):
        text = _sms(server, question, i)
        # The fixed reply itself, in the message's language, not the wait-a-minute text.
        starts = {fixed_reply(key, lang).text[:20] for key in (kind, f"{kind}_child") if key != "crisis_child"}
        assert any(text.startswith(start) for start in starts), (question, text)
        assert LINE[kind] in text
    assert "Espere un minuto" in _sms(server, ORDINARY["es"], 999)
