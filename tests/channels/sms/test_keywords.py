"""The SMS keyword table: matching, the texts each keyword sends, and the table in docs/channels.md."""

from __future__ import annotations

import re

import pytest

from bot.channels.sms.gsm import normalize, segment_count
from bot.channels.sms.keywords import KEYWORDS, Action, match
from bot.config import ROOT
from bot.vocab import LANGUAGES


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("STOP", "stop"),
        (" stop. ", "stop"),
        ("Quit!", "stop"),
        ("unstop", "start"),
        ("help", "help"),
        ("¡AYUDA!", "ayuda"),
        ("Más", "more"),
        ("mas", "more"),
        ("Español.", "es"),
        ("ESPANOL", "es"),
        ("english", "en"),
    ],
)
def test_a_single_word_matches_its_keyword(body: str, name: str) -> None:
    kw = match(body)
    assert kw is not None and kw.name == name


@pytest.mark.parametrize("body", ["help my friend isnt breathing", "stop it", "", "   ", "narcan", "more info"])
def test_anything_else_is_a_question(body: str) -> None:
    assert match(body) is None


def test_every_word_belongs_to_its_own_keyword() -> None:
    for kw in KEYWORDS:
        for word in kw.words:
            assert match(word) is kw
            assert match(word.lower()) is kw
    assert len({kw.name for kw in KEYWORDS}) == len(KEYWORDS)


@pytest.mark.parametrize("kw", [kw for kw in KEYWORDS if kw.texts], ids=lambda kw: kw.name)
def test_keyword_texts_fit_one_message_in_each_language(kw: object) -> None:
    texts = kw.texts  # type: ignore[attr-defined]
    assert "en" in texts
    for lang in LANGUAGES:
        text = normalize(texts.get(lang) or texts["en"])
        assert segment_count(text) <= 3
        assert "911" in text


def test_only_stop_replies_nothing() -> None:
    assert [kw.name for kw in KEYWORDS if not kw.texts] == ["stop"]
    assert next(kw for kw in KEYWORDS if kw.name == "stop").action is Action.OPT_OUT


def test_docs_list_every_keyword() -> None:
    docs = (ROOT / "docs" / "channels.md").read_text(encoding="utf-8")
    table = docs.split("| keyword | does |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"`([^`]+)`", table))
    assert documented == {w for kw in KEYWORDS for w in kw.words}
