"""The contract's models: what `POST /v1/ask` receives and returns."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from bot.api.schemas import AskReply, AskRequest, reply_body
from bot.service import Bot


def test_reply_body_follows_the_contract(bot: Bot) -> None:
    body = reply_body(bot.answer("how do i use naloxone"))
    assert set(body) == {"kind", "answer", "citations", "language", "confidence", "followups", "safety_note", "card_id"}
    assert body["citations"]
    assert set(body["citations"][0]) == {"id", "title", "publisher", "url", "last_reviewed", "snippet"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["citations"][0]["last_reviewed"])
    assert isinstance(body["followups"], list)


def test_the_body_validates_as_the_reply_model(bot: Bot) -> None:
    reply = bot.answer("what is fentanyl")
    assert AskReply.from_reply(reply).model_dump() == reply_body(reply)


@pytest.mark.parametrize(("question", "message"), [("   ", "must not be empty"), ("a" * 1001, "at most 1000")])
def test_question_length_is_checked_after_trimming(question: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        AskRequest(question=question)
    assert AskRequest(question=f"  {'a' * 1000}  ").question == "a" * 1000
