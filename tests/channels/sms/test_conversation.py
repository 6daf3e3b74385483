"""One sender's SMS conversation over long answers, signed by the real `twilio` library: every reply fits three
segments, every citation is a short link that redirects to a CDC or SAMHSA page, and MORE sends what is left."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.api.app import create_app
from bot.channels.sms.gsm import is_gsm7, markers, segment_count
from bot.shortlinks import is_allowed
from tests.conftest import make_settings, share_index

PUBLIC = "https://hr.example.org"
HOST = "hr.example.org"
TOKEN = "test-twilio-token"
SENDER = "+15551239000"
QUESTIONS = (
    "how do i use naloxone nasal spray",
    "what are the signs of an opioid overdose",
    "how do i test my drugs for fentanyl",
    "what are the treatment options for opioid use disorder",
    "¿cuáles son las señales de una sobredosis de opioides?",
)
HINTS = ("(Reply MORE for more)", "(Responda MAS para seguir)")
DONE = ("That was the whole answer.", "Esa fue toda la respuesta.")
LINK_LINE = re.compile(r"^\[(\d+)\] (\S+)$")
# An answer is never longer than this many messages; the loop stops there if MORE never ends.
MAX_PARTS = 8


@pytest.fixture
def sms(built_data_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    data = tmp_path / "data"
    share_index(built_data_dir, data)
    settings = make_settings(data, public_url=PUBLIC, twilio_auth_token=TOKEN)
    with TestClient(create_app(settings)) as client:
        yield client


def _say(client: TestClient, body: str) -> str:
    params = {"From": SENDER, "To": "+15557654321", "Body": body, "MessageSid": f"SM{uuid.uuid4().hex}"}
    signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC}/v1/sms/twilio", params)
    got = client.post("/v1/sms/twilio", data=params, headers={"X-Twilio-Signature": signature})
    assert got.status_code == 200, got.text
    found = ET.fromstring(got.text).find("Message")
    assert found is not None and found.text
    return found.text


def _ask(client: TestClient, question: str) -> list[str]:
    """The question's replies: the first message, then one per MORE while the reply says there is more."""
    replies = [_say(client, question)]
    while replies[-1].endswith(HINTS) and len(replies) < MAX_PARTS:
        replies.append(_say(client, _more(replies[-1])))
    return replies


def _more(reply: str) -> str:
    """The word the reply's hint asks for."""
    return "MAS" if reply.endswith(HINTS[1]) else "MORE"


def _split(reply: str) -> tuple[list[str], dict[int, str]]:
    """A reply's content lines and its links by citation number (the MORE hint dropped)."""
    content: list[str] = []
    links: dict[int, str] = {}
    for line in reply.split("\n"):
        link = LINK_LINE.match(line)
        if link:
            links[int(link.group(1))] = link.group(2)
        elif line not in HINTS:
            content.append(line)
    return content, links


def _check_link(client: TestClient, link: str) -> None:
    assert len(link) <= 40, link
    assert link.startswith(f"{HOST}/s/"), link
    assert len(link.removeprefix(HOST)) <= 30, link
    got = client.get(link.removeprefix(HOST), follow_redirects=False)
    assert got.status_code == 302, link
    target = got.headers["location"]
    assert is_allowed(target), target
    assert urlsplit(target).scheme == "https"


def _check_answer(client: TestClient, question: str, replies: list[str]) -> None:
    assert len(replies) > 1, f"{question!r} is not a long answer"
    assert len(replies) < MAX_PARTS
    sent: set[str] = set()
    for i, reply in enumerate(replies):
        assert segment_count(reply) <= 3, reply
        assert is_gsm7(reply)
        # "Reply MORE" only while more of the answer is left.
        assert reply.endswith(HINTS) == (i < len(replies) - 1), reply
        content, links = _split(reply)
        assert content, reply
        assert not sent & set(content), f"MORE repeated what was sent: {reply!r}"
        sent |= set(content)
        assert set(markers("\n".join(content))) == set(links), reply
        for link in links.values():
            _check_link(client, link)


def test_a_conversation_over_long_answers_in_english_and_spanish(sms: TestClient) -> None:
    for question in QUESTIONS:
        replies = _ask(sms, question)
        done = _say(sms, "MORE")
        # The transcript, shown by pytest when a check fails (and with -s).
        said = [question, *(_more(r) for r in replies[:-1]), "MORE"]
        print("\n".join(f"> {s}\n< {r}" for s, r in zip(said, [*replies, done], strict=True)), end="\n\n")
        _check_answer(sms, question, replies)
        assert done.startswith(DONE), done
        assert "911" in done


def test_the_links_name_the_pages_the_answer_cites(sms: TestClient) -> None:
    for question in QUESTIONS[:4]:
        cited = {
            c["url"] for c in sms.post("/v1/ask", json={"question": question, "channel": "sms"}).json()["citations"]
        }
        linked = set()
        for reply in _ask(sms, question):
            for link in _split(reply)[1].values():
                linked.add(sms.get(link.removeprefix(HOST), follow_redirects=False).headers["location"])
        assert linked == cited, question


@pytest.mark.parametrize("question", ["my friend is not breathing and his lips are blue", "mi amigo no respira"])
def test_while_the_service_is_starting_an_emergencys_links_redirect(sms: TestClient, question: str) -> None:
    state = sms.app.state  # type: ignore[attr-defined]
    bot, state.bot = state.bot, None
    try:
        reply = _say(sms, question)
        _content, links = _split(reply)
        assert "911" in reply and links
        for link in links.values():
            _check_link(sms, link)
    finally:
        state.bot = bot
