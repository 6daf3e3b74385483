"""Pydantic models for what crosses the HTTP edge, named by direction."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.service import Reply
from bot.vocab import DEFAULT_CHANNEL, MAX_QUESTION_CHARS, Channel, Kind, Language, question_fault


class AskRequest(BaseModel):
    """Properties to receive via `POST /v1/ask`."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="1 to 1000 characters after trimming.")
    language: Language | None = None
    channel: Channel = DEFAULT_CHANNEL
    session_id: str | None = Field(default=None, max_length=128)

    @field_validator("question")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        fault = question_fault(value)
        if fault == "empty":
            raise ValueError("question must not be empty")
        if fault == "too_long":
            raise ValueError(f"question must be at most {MAX_QUESTION_CHARS} characters after trimming")
        return value.strip()


class CitationOut(BaseModel):
    """One numbered source of an answer."""

    id: int
    title: str
    publisher: Literal["CDC", "SAMHSA"]
    url: str
    last_reviewed: str
    snippet: str


class AskReply(BaseModel):
    """Properties to return via `POST /v1/ask`."""

    kind: Kind
    answer: str
    citations: list[CitationOut]
    language: Language
    confidence: float
    followups: list[str]
    safety_note: str | None = None
    card_id: str | None = None

    @classmethod
    def from_reply(cls, reply: Reply) -> AskReply:
        """The contract's view of a reply, validated."""
        return cls.model_validate(reply_body(reply))


def reply_body(reply: Reply) -> dict[str, Any]:
    """The JSON body of `POST /v1/ask` (and of `hrbot ask --json`) for a reply."""
    return {
        "kind": reply.kind,
        "answer": reply.answer,
        "citations": [
            {
                "id": c.id,
                "title": c.source.title,
                "publisher": c.source.publisher,
                "url": c.source.url,
                "last_reviewed": c.source.last_reviewed,
                "snippet": c.snippet,
            }
            for c in reply.citations
        ],
        "language": reply.language,
        "confidence": reply.confidence,
        "followups": list(reply.followups),
        "safety_note": reply.safety_note or None,
        "card_id": reply.card or None,
    }


class FeedbackIn(BaseModel):
    """Properties to receive via `POST /v1/feedback`: no identifiers."""

    model_config = ConfigDict(extra="forbid")

    helpful: bool
    kind: Kind | None = None
    language: Language | None = None


class ErrorOut(BaseModel):
    """A 4xx or 5xx reply body."""

    detail: str | list[dict[str, object]]
