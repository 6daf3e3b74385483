"""The one vocabulary: reply kinds, languages, channels, question limits and the `[n]` citation marker."""

from __future__ import annotations

import re
from typing import Literal, TypeGuard, get_args

Kind = Literal["answer", "emergency", "crisis", "refusal", "out_of_scope", "no_answer", "fallback"]
# Every kind a reply may have, in the contract's order (docs/api.md).
KINDS: tuple[Kind, ...] = get_args(Kind)
# Replies that quote the corpus, so they carry citations.
CITED_KINDS: tuple[Kind, ...] = ("answer", "emergency", "crisis")
# Kinds safety triage chooses instead of retrieval.
TRIAGE_KINDS: tuple[Kind, ...] = ("emergency", "crisis", "refusal", "out_of_scope")
# Kinds that go ahead of everything else (an SMS sender over the rate limit still gets these).
URGENT_KINDS: tuple[Kind, ...] = ("emergency", "crisis")
# Kinds a curator may want to cover: in-scope questions without an answer, and questions judged off-topic.
UNANSWERED_KINDS: tuple[Kind, ...] = ("no_answer", "out_of_scope")
# What an evaluation case may expect: every kind but the fallback for internal failures.
EXPECTED_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k != "fallback")

Language = Literal["en", "es"]
# The languages the corpus speaks; the first is the default.
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "en"

Channel = Literal["api", "web", "sms"]
# Where a question comes from; the channel sets the length budget of the answer.
CHANNELS: tuple[Channel, ...] = get_args(Channel)
DEFAULT_CHANNEL: Channel = "api"

# A question is 1 to 1000 characters after trimming, on every channel.
MAX_QUESTION_CHARS = 1000
# Twilio caps an inbound body at 1,600 characters; anything longer is not a real message.
MAX_SMS_BODY = 1600

# `[n]` in an answer points at `citations[n]`.
CITATION = re.compile(r"\[(\d+)\]")


def question_fault(question: str) -> Literal["empty", "too_long"] | None:
    """What is wrong with a question under the length rule once trimmed, or None when it may be answered."""
    text = question.strip()
    if not text:
        return "empty"
    if len(text) > MAX_QUESTION_CHARS:
        return "too_long"
    return None


def cite(number: int) -> str:
    """The marker that points at citation `number`."""
    return f"[{number}]"


def is_language(value: object) -> TypeGuard[Language]:
    """Whether `value` is one of the corpus languages."""
    return value in LANGUAGES


def is_channel(value: object) -> TypeGuard[Channel]:
    """Whether `value` is one of the channels."""
    return value in CHANNELS
