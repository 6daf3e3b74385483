"""The Twilio SMS webhook, driven with requests signed by the real `twilio` library."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.api.app import create_app
from bot.channels.sms.gsm import is_gsm7, segment_count, split_segments
from bot.config import Settings
from bot.privacy import sender_key
from bot.service import Bot, Reply
from tests.conftest import make_settings, share_index

PUBLIC = "https://hrbot.example.org"
TOKEN = "test-twilio-token"
URL = f"{PUBLIC}/v1/sms/twilio"


def _data_dir(built_data_dir: Path, tmp_path: Path) -> Path:
    """A fresh data folder (its own SQLite store) sharing the session's prebuilt index."""
    data = tmp_path / "data"
    data.mkdir()
    share_index(built_data_dir, data)
    return data


@pytest.fixture
def sms_settings(built_data_dir: Path, tmp_path: Path) -> Settings:
    return make_settings(_data_dir(built_data_dir, tmp_path), public_url=PUBLIC, twilio_auth_token=TOKEN)


@pytest.fixture
def sms(sms_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(sms_settings)) as c:
        yield c


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every question that reaches Bot.answer, so tests can prove what was (not) processed."""
    seen: list[str] = []
    original = Bot.answer

    def counting(self: Bot, question: str, language: str | None = None, channel: str = "api") -> Reply:
        seen.append(question)
        assert channel == "sms"
        return original(self, question, language, channel)

    monkeypatch.setattr(Bot, "answer", counting)
    return seen


def send(
    client: TestClient,
    body: str,
    sender: str = "+15551230001",
    sid: str | None = None,
    token: str = TOKEN,
    signature: str | None = None,
    url: str = URL,
) -> Any:
    params = {
        "From": sender,
        "To": "+15557654321",
        "Body": body,
        "NumMedia": "0",
        "MessageSid": sid or f"SM{uuid.uuid4().hex}",
        "AccountSid": "AC" + "0" * 32,
    }
    sig = RequestValidator(token).compute_signature(url, params) if signature is None else signature
    headers = {"X-Twilio-Signature": sig} if sig else {}
    return client.post("/v1/sms/twilio", data=params, headers=headers)


def message(response: Any) -> str | None:
    """The text of the TwiML <Message>, or None for an empty <Response/>."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    found = root.find("Message")
    return None if found is None else (found.text or "")


def test_signed_question_gets_cited_twiml_answer(sms: TestClient, calls: list[str]) -> None:
    text = message(send(sms, "how do i use naloxone nasal spray"))
    assert text is not None
    assert calls == ["how do i use naloxone nasal spray"]
    assert "[1]" in text
    assert "\n[1] " in text
    link = text.split("\n[1] ")[1].split("\n")[0]
    # The service's own short link, written without https:// (phones link a bare host).
    assert re.fullmatch(r"hrbot\.example\.org/s/[a-z2-7]{6}", link), link
    target = sms.get(link.removeprefix("hrbot.example.org"), follow_redirects=False).headers["location"]
    assert (urlsplit(target).hostname or "").endswith(("cdc.gov", "samhsa.gov", "findtreatment.gov", "988lifeline.org"))
    assert segment_count(text) <= 3
    assert is_gsm7(text)


def test_missing_signature_returns_403_and_logs_no_sender(
    sms: TestClient, calls: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    r = send(sms, "what is fentanyl", sender="+15559990000", signature="")
    assert r.status_code == 403
    assert calls == []
    assert "5559990000" not in caplog.text
    assert "fentanyl" not in caplog.text


def test_wrong_signature_returns_403(sms: TestClient, calls: list[str]) -> None:
    assert send(sms, "what is fentanyl", token="some-other-token").status_code == 403
    assert send(sms, "what is fentanyl", signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert calls == []


def test_signature_uses_public_url_not_the_proxied_request_url(sms: TestClient) -> None:
    # The test client talks to http://testserver; Twilio signed https://hrbot.example.org, as behind a TLS proxy.
    assert send(sms, "what is fentanyl", url="http://testserver/v1/sms/twilio").status_code == 403
    assert send(sms, "what is fentanyl", url=URL).status_code == 200


def test_tampered_body_fails_signature(sms: TestClient) -> None:
    params = {"From": "+15551230001", "Body": "what is fentanyl", "MessageSid": "SM1"}
    sig = RequestValidator(TOKEN).compute_signature(URL, params)
    r = sms.post("/v1/sms/twilio", data={**params, "Body": "something else"}, headers={"X-Twilio-Signature": sig})
    assert r.status_code == 403


def test_retried_message_sid_gets_same_reply_without_answering_again(sms: TestClient, calls: list[str]) -> None:
    first = send(sms, "what are fentanyl test strips", sid="SMretry1")
    second = send(sms, "what are fentanyl test strips", sid="SMretry1")
    assert message(first)
    assert second.text == first.text
    assert len(calls) == 1


def test_emergency_has_911_in_first_segment_and_fits_three_segments(sms: TestClient) -> None:
    text = message(send(sms, "help my friend isn't breathing"))
    assert text is not None
    assert "911" in split_segments(text)[0]
    assert segment_count(text) <= 3


def test_spanish_answer_stays_gsm7(sms: TestClient) -> None:
    text = message(send(sms, "mi amigo no respira y tiene los labios azules, ¿qué hago?"))
    assert text is not None
    assert "911" in split_segments(text)[0]
    assert is_gsm7(text)
    assert segment_count(text) <= 3


def test_more_sends_the_rest_of_a_long_answer(sms: TestClient, calls: list[str]) -> None:
    sender = "+15551230002"
    first = message(send(sms, "my friend is not breathing and his lips are blue", sender=sender))
    assert first is not None and first.endswith("(Reply MORE for more)")
    seen = [first]
    for word in ("MORE", "more", "Más", "mas!"):
        part = message(send(sms, word, sender=sender))
        assert part is not None
        seen.append(part)
        if not part.endswith("(Reply MORE for more)") and not part.endswith("(Responda MAS para seguir)"):
            break
    assert len(calls) == 1
    assert all(segment_count(p) <= 3 for p in seen)
    assert "Stay with the person" in " ".join(seen)
    done = message(send(sms, "MORE", sender=sender))
    assert done is not None and "whole answer" in done


def test_more_after_a_spanish_answer_ends_in_spanish(sms: TestClient) -> None:
    sender = "+15551230012"
    first = message(send(sms, "mi amigo no respira y tiene los labios morados", sender=sender))
    assert first is not None and "911" in first
    texts = [message(send(sms, "MORE", sender=sender)) for _ in range(4)]
    assert "Esa fue toda la respuesta." in " ".join(t or "" for t in texts)
    assert not any("whole answer" in (t or "") for t in texts)


def test_more_without_an_answer(sms: TestClient, calls: list[str]) -> None:
    text = message(send(sms, "more", sender="+15551230003"))
    assert text is not None and "911" in text
    assert calls == []


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop. ", "STOPALL", "unsubscribe", "Cancel", "END", "quit!"])
def test_opt_out_keywords_reply_empty_and_silence_the_sender(
    sms: TestClient, calls: list[str], word: str, sms_settings: Settings
) -> None:
    sender = "+15551230004"
    assert message(send(sms, word, sender=sender)) is None
    assert message(send(sms, "how do i use naloxone", sender=sender)) is None
    assert message(send(sms, "HELP", sender=sender)) is None
    assert calls == []
    key = sender_key(sms_settings.hash_secret.get_secret_value(), sender)
    assert sms.app.state.store.is_opted_out(key)  # type: ignore[attr-defined]


def test_a_stop_replayed_after_the_dedupe_window_changes_nothing(
    sms: TestClient, calls: list[str], sms_settings: Settings
) -> None:
    sender = "+15551230009"
    assert message(send(sms, "STOP", sender=sender, sid="SMstop0001")) is None
    assert message(send(sms, "START", sender=sender, sid="SMstart0001")) is not None
    # The dedupe window has passed: the stored replies are gone, as they are after 24 hours.
    with sqlite3.connect(sms_settings.data_dir / "state.sqlite3") as db:
        db.execute("DELETE FROM messages")
    assert message(send(sms, "STOP", sender=sender, sid="SMstop0001")) is None
    key = sender_key(sms_settings.hash_secret.get_secret_value(), sender)
    assert not sms.app.state.store.is_opted_out(key)  # type: ignore[attr-defined]
    assert message(send(sms, "how do i use naloxone", sender=sender))
    assert len(calls) == 1
    # A new STOP (a new MessageSid) still works.
    assert message(send(sms, "STOP", sender=sender, sid="SMstop0002")) is None
    assert sms.app.state.store.is_opted_out(key)  # type: ignore[attr-defined]


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
def test_start_keywords_opt_back_in(sms: TestClient, calls: list[str], word: str) -> None:
    sender = "+15551230005"
    assert message(send(sms, "STOP", sender=sender)) is None
    confirmation = message(send(sms, word, sender=sender))
    assert confirmation is not None and "STOP" in confirmation
    assert message(send(sms, "how do i use naloxone", sender=sender))
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("HELP", "Not an emergency service"),
        ("info", "call 911"),
        ("Ayuda", "No es un servicio de emergencia"),
        ("¡AYUDA!", "llame al 911"),
    ],
)
def test_help_keywords_describe_the_service(sms: TestClient, calls: list[str], word: str, expected: str) -> None:
    text = message(send(sms, word))
    assert text is not None
    assert expected in text
    assert "988" in text and "1-800-662-4357" in text
    assert segment_count(text) <= 3
    assert calls == []


def test_help_inside_a_sentence_is_a_question(sms: TestClient, calls: list[str]) -> None:
    text = message(send(sms, "help my friend isn't breathing"))
    assert calls == ["help my friend isn't breathing"]
    assert text is not None and "Not an emergency service" not in text


@pytest.mark.parametrize("word", ["ESPAÑOL", "espanol", "Español."])
def test_language_switch_is_kept_in_the_session(sms: TestClient, calls: list[str], word: str) -> None:
    sender = "+15551230006"
    switched = message(send(sms, word, sender=sender))
    assert switched is not None and "español" in switched
    help_text = message(send(sms, "help", sender=sender))
    assert help_text is not None and "No es un servicio de emergencia" in help_text
    answer = message(send(sms, "what is naloxone", sender=sender))
    assert answer is not None
    assert calls == ["what is naloxone"]
    back = message(send(sms, "English", sender=sender))
    assert back is not None and "English" in back
    help_en = message(send(sms, "help", sender=sender))
    assert help_en is not None and "Not an emergency service" in help_en


def test_language_switch_sets_answer_language(sms: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    languages: list[str | None] = []
    original = Bot.answer

    def spy(self: Bot, question: str, language: str | None = None, channel: str = "api") -> Reply:
        languages.append(language)
        return original(self, question, language, channel)

    monkeypatch.setattr(Bot, "answer", spy)
    sender = "+15551230007"
    send(sms, "what is naloxone", sender=sender)
    send(sms, "espanol", sender=sender)
    send(sms, "what is naloxone", sender=sender)
    assert languages == [None, "es"]


def test_sessions_store_no_phone_number(sms: TestClient, sms_settings: Settings) -> None:
    sender = "+15551230008"
    send(sms, "espanol", sender=sender)
    key = sender_key(sms_settings.hash_secret.get_secret_value(), sender)
    assert sms.app.state.store.get_session(key) == {"lang": "es", "more": []}  # type: ignore[attr-defined]
    raw = (sms_settings.data_dir / "state.sqlite3").read_bytes()
    assert b"5551230008" not in raw


def test_overlong_body_gets_a_safe_reply(sms: TestClient, calls: list[str]) -> None:
    for body in ("x " * 900, "a" * 1200):
        text = message(send(sms, body))
        assert text is not None
        assert "shorter" in text and "911" in text and "988" in text
    assert len(calls) == 1  # 1,200 characters reach the bot, which refuses anything over 1,000


def test_empty_body_gets_a_prompt(sms: TestClient, calls: list[str]) -> None:
    text = message(send(sms, "   "))
    assert text is not None and "911" in text
    assert calls == []


def test_exception_while_answering_gives_safe_twiml(
    sms: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object, **__: object) -> Reply:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(Bot, "answer", broken)
    caplog.set_level(logging.INFO)
    text = message(send(sms, "is it safe to mix xanax and fentanyl", sender="+15551230009"))
    assert text is not None
    assert "911" in text and "988" in text and "1-800-662-4357" in text
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)
    assert "xanax" not in caplog.text
    assert "5551230009" not in caplog.text


def test_slow_answer_gets_the_safe_text_in_time(
    built_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def stuck(*_: object, **__: object) -> Reply:
        release.wait(30)
        raise RuntimeError("too late")

    settings = make_settings(
        _data_dir(built_data_dir, tmp_path), public_url=PUBLIC, twilio_auth_token=TOKEN, sms_timeout=0.05
    )
    monkeypatch.setattr(Bot, "answer", stuck)
    try:
        with TestClient(create_app(settings)) as client:
            text = message(send(client, "what is fentanyl"))
    finally:
        release.set()
    assert text is not None and "911" in text and "something went wrong" in text


def test_fallback_endpoint_needs_nothing_loaded() -> None:
    # No lifespan: no index, no model, no store.
    client = TestClient(create_app(make_settings(Path("/nonexistent"))))
    for method in ("GET", "POST"):
        text = message(client.request(method, "/v1/sms/fallback"))
        assert text is not None
        assert "911" in split_segments(text)[0]
        assert "988" in text and "1-800-662-4357" in text and "llame al 911" in text
        assert is_gsm7(text) and segment_count(text) <= 3


def test_the_dialogue_uses_the_store_and_limiter_of_the_lifespan(sms_settings: Settings) -> None:
    app = create_app(sms_settings)
    with TestClient(app) as client:
        state: Any = app.state
        assert state.sms.store is state.store
        assert state.sms.limiter is state.limiter
        assert message(send(client, "STOP", sender="+15551230010")) is None
        assert state.store.is_opted_out(sender_key(sms_settings.hash_secret.get_secret_value(), "+15551230010"))


def test_sms_rate_limit_per_sender_spares_emergencies(built_data_dir: Path, tmp_path: Path, calls: list[str]) -> None:
    settings = make_settings(
        _data_dir(built_data_dir, tmp_path),
        public_url=PUBLIC,
        twilio_auth_token=TOKEN,
        rate_limit_enabled=True,
        sms_rate_limit="2/minute",
    )
    with TestClient(create_app(settings)) as client:
        for _ in range(2):
            assert "wait a minute" not in send(client, "what is fentanyl").text
        slowed = send(client, "what is naloxone")
        assert "wait a minute" in slowed.text and "911" in slowed.text
        assert calls.count("what is naloxone") == 0
        # Another sender has a budget of their own.
        assert "wait a minute" not in send(client, "what is naloxone", sender="+15551230002").text
        # An overdose in progress is answered even over the limit.
        urgent = send(client, "my friend is not breathing and his lips are blue")
        assert "911" in urgent.text and "wait a minute" not in urgent.text
        # Keywords always work.
        assert "1-800-662-4357" in send(client, "HELP").text
