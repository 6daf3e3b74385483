"""Triage inside the service: disguised messages, long messages, the safety note on answers, and `is_urgent`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.api.schemas import AskReply, reply_body
from bot.loader import load_bot
from bot.search.encoders.hash import HashEncoder
from bot.service import Bot, is_urgent
from bot.triage.model import KINDS, Thresholds
from bot.triage.normalise import normalise
from bot.triage.pieces import in_context
from bot.triage.replies import SAFETY_NOTES
from tests.conftest import make_settings

FILLER = "What do fentanyl test strips cost and where can I get them?"
EMERGENCY = "My friend is turning blue and barely moving after he used."


@pytest.fixture(scope="module")
def bot(built_data_dir: Path) -> Bot:
    """The conftest's bot, loaded once for this module, with no reply cache: a test's patch cannot leak a reply."""
    return load_bot(make_settings(built_data_dir, cache_size=0), HashEncoder())


@pytest.mark.parametrize(
    ("disguised", "plain"),
    [
        ("h e i s n o t b r e a t h i n g", "he is not breathing"),
        ("hes not bre\u200bathing", "hes not breathing"),
        ("HE IS N0T BREATHING", "he is not breathing"),
        ("i want to k1ll myself", "i want to kill myself"),
        ("i want to k\u200bill myse\u200dlf", "i want to kill myself"),
        ("ｉ ｗａｎｔ ｔｏ ｄｉｅ", "i want to die"),
        ("qu1ero m0rir", "quiero morir"),
    ],
)
def test_a_disguised_message_gets_the_plain_messages_kind(disguised: str, plain: str, bot: Bot) -> None:
    kind = bot.answer(plain).kind
    assert kind in ("emergency", "crisis")
    assert bot.answer(disguised).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        f"{FILLER} {FILLER} {EMERGENCY} Also does insurance cover naloxone? And how long do the strips last?",
        # One run-on sentence, no full stops: read in word windows.
        f"{FILLER[:-1]} and {FILLER[:-1]} and {EMERGENCY[:-1]} and also does insurance cover naloxone "
        "and how long do the strips last",
    ],
)
def test_a_clear_emergency_in_the_middle_of_a_long_message(text: str, bot: Bot) -> None:
    clean = normalise(text)
    assert len(in_context(clean)) > 1
    decision = bot.triage(clean, "en")
    assert decision.kind == "emergency"
    assert decision.reason.startswith("classifier (piece")
    assert bot.answer(text).kind == "emergency"


def test_an_emergency_after_twelve_sentences(bot: Bot) -> None:
    text = " ".join(["What do fentanyl test strips cost?"] * 12 + [EMERGENCY])
    assert len(text) < 500  # well inside the question limit
    assert bot.answer(text).kind == "emergency"


def test_triage_scores_cover_the_message_and_its_pieces(bot: Bot) -> None:
    text = normalise(f"{FILLER} {FILLER} {EMERGENCY}")
    texts, scores = bot.triage_scores(text, "en")
    assert texts == [text, *in_context(text)]
    assert len(texts) == 3
    assert scores is not None and scores.shape == (len(texts), len(KINDS))


def _band(bot: Bot, kind: str) -> Thresholds:
    """Thresholds that put every answer in `kind`'s safety-note band and decide nothing else."""
    assert bot.classifier is not None
    never = dict.fromkeys(bot.classifier.thresholds.upper, 1.01)
    lower = dict(never)
    lower[kind] = 0.0
    return Thresholds(lower=lower, upper=never)


@pytest.mark.parametrize(
    ("kind", "question", "lang"),
    [
        ("emergency", "How does naloxone work?", "en"),
        ("crisis", "How does naloxone work?", "en"),
        ("emergency", "¿Cómo funciona la naloxona?", "es"),
        ("crisis", "¿Cómo funciona la naloxona?", "es"),
    ],
)
def test_an_answer_in_the_band_carries_the_safety_note(
    kind: str, question: str, lang: str, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bot.classifier is not None
    monkeypatch.setattr(bot, "classifier", dataclasses.replace(bot.classifier, thresholds=_band(bot, kind)))
    reply = bot.answer(question, language=lang)
    assert reply.kind == "answer"
    assert reply.safety_note == SAFETY_NOTES[(kind, lang)]
    assert reply.safety_note not in reply.answer
    body = reply_body(reply)
    assert body["safety_note"] == SAFETY_NOTES[(kind, lang)]
    assert AskReply.from_reply(reply).safety_note == SAFETY_NOTES[(kind, lang)]


@pytest.mark.parametrize("question", ["How does naloxone work?", "he is not breathing", "what's the weather tomorrow"])
def test_no_safety_note_outside_the_band(question: str, bot: Bot) -> None:
    reply = bot.answer(question)
    assert reply.safety_note == ""
    body = reply_body(reply)
    assert "safety_note" in body and body["safety_note"] is None
    assert AskReply.from_reply(reply).safety_note is None


def test_fixed_replies_never_carry_a_note(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    assert bot.classifier is not None
    monkeypatch.setattr(bot, "classifier", dataclasses.replace(bot.classifier, thresholds=_band(bot, "emergency")))
    reply = bot.answer("i want to kill myself")
    assert (reply.kind, reply.safety_note) == ("crisis", "")


def test_without_a_classifier_the_rules_decide(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot, "classifier", None)
    assert bot.triage_scores("he is not breathing", "en") == (["he is not breathing"], None)
    assert bot.triage("he is not breathing", "en").kind == "emergency"
    decision = bot.triage("How does naloxone work?", "en")
    assert (decision.kind, decision.reason) == ("answer", "no classifier")


def test_keyword_only_mode_still_triages_with_the_classifier(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot, "encoder", None)
    assert bot.triage("my friend is turning blue and wont wake up", "en").kind == "emergency"  # n-grams alone
    assert bot.triage("How does naloxone work?", "en").kind == "answer"


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("he is not breathing", True),
        ("hes not bre\u200bathing", True),
        ("i want to k1ll myself", True),
        ("quiero morir", True),
        ("my 2 year old ate my pills", True),
        ("How does naloxone work?", False),
        ("what are the signs of an overdose", False),
        ("he overdosed last year and survived, should i still worry", False),
        ("what's the weather tomorrow", False),
    ],
)
def test_is_urgent_with_and_without_a_bot(text: str, urgent: bool, bot: Bot) -> None:
    assert is_urgent(text) is urgent
    assert is_urgent(text, bot) is urgent


def test_is_urgent_uses_the_classifier_when_there_is_a_bot(bot: Bot) -> None:
    text = "h e i s n o t b r e a t h i n g"  # no rule reads it once the spaces are gone
    assert not is_urgent(text)
    assert is_urgent(text, bot)
