"""Pydantic models for what crosses the HTTP edge, named by direction."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.service import MAX_QUESTION_CHARS


class AskRequest(BaseModel):
    """Properties to receive via `POST /v1/ask`."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="1 to 1000 characters after trimming.")
    language: Literal["en", "es"] | None = None
    channel: Literal["api", "web", "sms"] = "api"
    session_id: str | None = Field(default=None, max_length=128)

    @field_validator("question")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        text = value.strip()
        if not text:
            raise ValueError("question must not be empty")
        if len(text) > MAX_QUESTION_CHARS:
            raise ValueError(f"question must be at most {MAX_QUESTION_CHARS} characters after trimming")
        return text


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

    kind: Literal["answer", "emergency", "crisis", "refusal", "out_of_scope", "no_answer", "fallback"]
    answer: str
    citations: list[CitationOut]
    language: Literal["en", "es"]
    confidence: float
    followups: list[str]


class FeedbackIn(BaseModel):
    """Properties to receive via `POST /v1/feedback`: no identifiers."""

    model_config = ConfigDict(extra="forbid")

    helpful: bool
    kind: Literal["answer", "emergency", "crisis", "refusal", "out_of_scope", "no_answer", "fallback"] | None = None
    language: Literal["en", "es"] | None = None


class ErrorOut(BaseModel):
    """A 4xx or 5xx reply body."""

    detail: str | list[dict[str, object]]
