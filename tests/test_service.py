"""The answer service: input checks, the answer cache, reply kinds, degraded mode and the safe fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.errors import InputError
from bot.loader import load_index
from bot.search.encoders.hash import HashEncoder
from bot.search.index import Index
from bot.service import Bot, Reply, fallback_reply
from bot.triage.model import TriageModel
from bot.vocab import MAX_QUESTION_CHARS
from tests.conftest import make_settings

HELPLINE = "1-800-662-4357"


class CountingEncoder:
    """The fake encoder, counting how often the bot asks it to embed."""

    def __init__(self, inner: HashEncoder) -> None:
        self._inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        return self._inner.encode(texts)


@pytest.fixture
def counting(fake_encoder: HashEncoder) -> CountingEncoder:
    return CountingEncoder(fake_encoder)


@pytest.fixture(scope="module")
def index(built_data_dir: Path) -> Index:
    """The session's index loaded once for this module: `load_bot` checks the corpus each time, ~0.4 s."""
    return load_index(built_data_dir / "index")


@pytest.fixture
def quick_bot(settings: Settings, index: Index, fake_encoder: HashEncoder, classifier: TriageModel) -> Bot:
    """A bot like the `bot` fixture, over the module's already loaded index."""
    return Bot(settings, index, fake_encoder, classifier)


@pytest.mark.parametrize("question", ["", "   ", "\n\t "])
def test_empty_question_raises(quick_bot: Bot, question: str) -> None:
    with pytest.raises(InputError, match="empty"):
        quick_bot.answer(question)


def test_too_long_question_raises(quick_bot: Bot) -> None:
    with pytest.raises(InputError, match=str(MAX_QUESTION_CHARS)):
        quick_bot.answer("is narcan safe " * 100)


def test_question_at_the_limit_is_accepted(quick_bot: Bot) -> None:
    question = ("what is naloxone " * 100)[:MAX_QUESTION_CHARS]
    assert len(question) == MAX_QUESTION_CHARS
    assert quick_bot.answer(question).kind == "answer"


def test_surrounding_space_does_not_count_toward_the_limit(quick_bot: Bot) -> None:
    question = "  " + ("what is naloxone " * 100)[:MAX_QUESTION_CHARS] + "   "
    assert quick_bot.answer(question).kind == "answer"


@pytest.mark.parametrize("channel", ["fax", "", "SMS", "email"])
def test_unknown_channel_raises(quick_bot: Bot, channel: str) -> None:
    with pytest.raises(InputError, match="channel"):
        quick_bot.answer("what is naloxone", channel=channel)


@pytest.mark.parametrize("language", ["fr", "", "EN", "spanish"])
def test_unknown_language_raises(quick_bot: Bot, language: str) -> None:
    with pytest.raises(InputError, match="language"):
        quick_bot.answer("what is naloxone", language=language)


def test_repeated_question_is_served_from_the_cache(
    settings: Settings, index: Index, counting: CountingEncoder, classifier: TriageModel
) -> None:
    bot = Bot(settings, index, counting, classifier)
    first = bot.answer("how do i use naloxone")
    assert counting.calls == 1
    again = bot.answer("how do i use naloxone")
    same_key = bot.answer("  How do I   use NALOXONE ")
    assert counting.calls == 1
    assert again is first
    assert same_key is first


def test_cache_key_includes_channel_and_language(
    settings: Settings, index: Index, counting: CountingEncoder, classifier: TriageModel
) -> None:
    bot = Bot(settings, index, counting, classifier)
    bot.answer("what is naloxone", channel="api")
    bot.answer("what is naloxone", channel="sms")
    bot.answer("what is naloxone", language="es", channel="api")
    assert counting.calls == 3


def test_cache_is_bounded(
    built_data_dir: Path, index: Index, counting: CountingEncoder, classifier: TriageModel
) -> None:
    bot = Bot(make_settings(built_data_dir, cache_size=2), index, counting, classifier)
    questions = ["what is naloxone", "what is fentanyl", "what is xylazine"]
    for q in questions:
        bot.answer(q)
    assert counting.calls == 3
    bot.answer(questions[2])
    bot.answer(questions[1])
    assert counting.calls == 3, "the two most recent questions are still cached"
    bot.answer(questions[0])
    assert counting.calls == 4, "the oldest question was evicted"


def test_cache_size_zero_disables_the_cache(
    built_data_dir: Path, index: Index, counting: CountingEncoder, classifier: TriageModel
) -> None:
    bot = Bot(make_settings(built_data_dir, cache_size=0), index, counting, classifier)
    bot.answer("what is naloxone")
    bot.answer("what is naloxone")
    assert counting.calls == 2


def _assert_cited(reply: Reply) -> None:
    assert reply.citations
    for c in reply.citations:
        assert f"[{c.id}]" in reply.answer
        assert c.source.publisher in ("CDC", "SAMHSA")


@pytest.mark.parametrize(
    ("question", "language"),
    [("my friend is not breathing and his lips are blue", "en"), ("mi novio no respira y está morado", "es")],
)
def test_emergency_reply(quick_bot: Bot, question: str, language: str) -> None:
    reply = quick_bot.answer(question, channel="sms")
    assert (reply.kind, reply.language) == ("emergency", language)
    assert reply.answer.find("911") < 153
    assert reply.confidence == 1.0
    _assert_cited(reply)


def test_child_emergency_reply_gives_poison_help(quick_bot: Bot) -> None:
    reply = quick_bot.answer("my 2 year old swallowed some of my pills")
    assert reply.kind == "emergency"
    assert "1-800-222-1222" in reply.answer
    _assert_cited(reply)


@pytest.mark.parametrize("question", ["i want to kill myself", "ya no quiero vivir"])
def test_crisis_reply(quick_bot: Bot, question: str) -> None:
    reply = quick_bot.answer(question)
    assert reply.kind == "crisis"
    assert "988" in reply.answer
    _assert_cited(reply)


@pytest.mark.parametrize("question", ["how do i make fentanyl at home", "donde compro fentanilo"])
def test_refusal_reply(quick_bot: Bot, question: str) -> None:
    reply = quick_bot.answer(question)
    assert reply.kind == "refusal"
    assert HELPLINE in reply.answer


def test_out_of_scope_reply(quick_bot: Bot) -> None:
    reply = quick_bot.answer("who won the super bowl")
    assert reply.kind == "out_of_scope"
    assert "naloxone" in reply.answer.lower()


def test_answer_reply_is_cited_in_the_question_language(bot: Bot) -> None:
    # Through `load_bot`, the path the app and the command line take.
    assert not bot.degraded
    en = bot.answer("how do i use naloxone")
    es = bot.answer("¿cómo se usa la naloxona?")
    assert (en.kind, en.language) == ("answer", "en")
    assert (es.kind, es.language) == ("answer", "es")
    _assert_cited(en)
    _assert_cited(es)
    assert {c.source.language for c in es.citations} == {"es"}


def test_explicit_language_overrides_detection(quick_bot: Bot) -> None:
    reply = quick_bot.answer("naloxone", language="es")
    assert reply.language == "es"


def test_low_confidence_gives_no_answer_with_the_helpline(
    built_data_dir: Path, index: Index, fake_encoder: HashEncoder, classifier: TriageModel
) -> None:
    bot = Bot(make_settings(built_data_dir, min_confidence=1.0), index, fake_encoder, classifier)
    reply = bot.answer("how long does naloxone last in the body")
    assert reply.kind == "no_answer"
    assert HELPLINE in reply.answer
    assert reply.confidence < 1.0


@pytest.fixture
def degraded(settings: Settings, index: Index, classifier: TriageModel) -> Bot:
    return Bot(settings, index, None, classifier)


def test_degraded_bot_answers_with_bm25(degraded: Bot) -> None:
    assert degraded.degraded
    assert degraded.status()["degraded"] is True
    reply = degraded.answer("how do i use naloxone")
    assert reply.kind == "answer"
    assert "naloxone" in reply.answer.lower()
    _assert_cited(reply)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("HE'S NOT BREATHING AND WONT WAKE UP", "emergency"),
        ("i want to kill myself", "crisis"),
        ("how do i cook meth", "refusal"),
        ("what's the weather tomorrow", "out_of_scope"),
    ],
)
def test_degraded_bot_still_triages(degraded: Bot, question: str, kind: str) -> None:
    assert degraded.answer(question).kind == kind


@pytest.mark.parametrize("language", ["en", "es"])
def test_fallback_reply_gives_the_safety_numbers(language: str) -> None:
    reply = fallback_reply(language)
    assert (reply.kind, reply.language) == ("fallback", language)
    for number in ("911", "988", HELPLINE):
        assert number in reply.answer
    assert reply.citations == ()


def test_fallback_reply_in_an_unknown_language_is_english() -> None:
    assert fallback_reply("fr") == fallback_reply("en")
    assert "call 911" in fallback_reply().answer
