"""Cards in the index: written with the passages, matched by their asks, and answered with citations."""

from __future__ import annotations

import pytest

from bot.channels.sms.gsm import split_parts
from bot.loader import build_index, load_index
from bot.search.cards import best_card, clearly_ahead
from bot.search.encoders.hash import HashEncoder
from bot.service import Bot
from tests.conftest import make_settings
from tests.corpus.cardfixture import write_corpus


@pytest.fixture(scope="module")
def card_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    root = tmp_path_factory.mktemp("cards")
    corpus = write_corpus(root / "corpus")
    data = root / "data"
    build_index(corpus, data, HashEncoder(), progress=False)
    settings = make_settings(data, corpus_dir=corpus)
    index = load_index(data / "index", corpus, HashEncoder().name)
    return Bot(settings, index, HashEncoder(), None)


def test_the_index_holds_the_cards_and_a_vector_per_ask(card_bot: Bot) -> None:
    cards = card_bot.index.cards
    assert sorted(c.id for c in cards.cards) == ["spray-steps", "spray-steps-es"]
    # Each ask and each title is a row.
    assert len(cards.vectors) == len(cards.owner) == 2 * (6 + 1)
    assert card_bot.index.manifest["cards"] == 2


def test_a_question_matches_the_card_in_its_own_language(card_bot: Bot) -> None:
    encoder = HashEncoder()
    en = best_card(card_bot.index.cards, encoder.encode(["how do I use narcan"])[0], "how do I use narcan", "en")
    es = best_card(card_bot.index.cards, encoder.encode(["como uso el narcan"])[0], "como uso el narcan", "es")
    assert en is not None and en.card.id == "spray-steps"
    assert es is not None and es.card.id == "spray-steps-es"
    assert clearly_ahead(en, 0.6, 0.03)


def test_a_card_is_not_clearly_ahead_below_the_floor_or_margin(card_bot: Bot) -> None:
    encoder = HashEncoder()
    match = best_card(card_bot.index.cards, encoder.encode(["bread recipe"])[0], "bread recipe", "en")
    assert not clearly_ahead(match, 0.6, 0.03)
    assert not clearly_ahead(None, 0.0, 0.0)


def test_the_answer_comes_from_the_card_as_a_cited_list(card_bot: Bot) -> None:
    reply = card_bot.answer("how do i use narcan", channel="web")
    assert reply.kind == "answer" and reply.card == "spray-steps"
    lines = reply.answer.splitlines()
    assert lines[0] == "To give naloxone nasal spray:"
    assert lines[1] == "- Spray one dose of naloxone into the person's nose [1]."
    assert all(line.startswith("- ") and line.endswith("[1].") for line in lines[1:])
    assert [c.id for c in reply.citations] == [1]
    assert reply.citations[0].source.url == "https://www.cdc.gov/stop-overdose/caring/naloxone.html"


def test_sms_gets_the_short_form_first_and_the_rest_on_more(card_bot: Bot) -> None:
    reply = card_bot.answer("how do i use narcan", channel="sms")
    assert len(reply.parts) == 2
    assert reply.parts[0] == "To give naloxone nasal spray:\n- Spray one dose of naloxone into the person's nose [1]."
    assert "Wait 2 to 3 minutes" in reply.parts[1] and "Spray one dose" not in reply.parts[1]
    first = split_parts(reply.parts[0], {1: "cdc.gov/x"}, "(Reply MORE for more)", more_after=True)
    assert first[-1].endswith("(Reply MORE for more)")


def test_a_spanish_question_gets_the_spanish_card(card_bot: Bot) -> None:
    reply = card_bot.answer("como uso el narcan")
    assert reply.language == "es" and reply.card == "spray-steps-es"
    assert reply.citations[0].source.doc_id == "spray-es"


def test_a_question_no_card_matches_is_composed_from_passages(card_bot: Bot) -> None:
    reply = card_bot.answer("when should I call 911 for someone overdosing")
    assert reply.card == ""
