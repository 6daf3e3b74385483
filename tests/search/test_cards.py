"""Cards in the index: written with the passages, matched by their asks, and answered with citations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.channels.sms.gsm import split_parts
from bot.lexicon import expand, stem_tokens
from bot.loader import build_index, load_index
from bot.search.cards import CardMatch, answer_scores, best_card, card_scores, clearly_ahead
from bot.search.encoders.hash import HashEncoder
from bot.service import Bot
from bot.triage.decide import Triage
from bot.triage.replies import SAFETY_NOTES
from bot.triage.settle import settle_tentative
from bot.tuning import CARD_PARAPHRASE
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


def test_closeness_is_the_cosine_to_the_cards_nearest_ask(card_bot: Bot) -> None:
    encoder = HashEncoder()
    cards = card_bot.index.cards
    ask, loose = expand("how do i use narcan", "en"), expand("narcan for my friend", "en")
    asked = best_card(cards, encoder.encode([ask])[0], ask, "en")
    other = best_card(cards, encoder.encode([loose])[0], loose, "en")
    words_only = best_card(cards, None, "how do i use narcan", "en")
    assert asked is not None and other is not None and words_only is not None
    # One of the card's asks word for word: as close as a question gets; a looser one is less close, and the
    # closeness leaves BM25 out, so it is never above the score.
    assert asked.closeness == pytest.approx(1.0, abs=1e-5)
    assert 0.0 < other.closeness < asked.closeness
    assert other.closeness <= other.score
    assert words_only.closeness == 0.0


def _unsure_of_crisis(card_bot: Bot, monkeypatch: pytest.MonkeyPatch) -> Bot:
    """A bot over the card index whose triage calls every message a tentative crisis, with no reply cache."""
    bot = Bot(card_bot.settings.model_copy(update={"cache_size": 0}), card_bot.index, HashEncoder(), None)
    tentative = Triage("crisis", "classifier (message, 0.30)", tentative=True)
    monkeypatch.setattr(bot, "triage", lambda *_, **__: tentative)
    return bot


def test_a_tentative_crisis_that_paraphrases_a_card_is_answered_from_it_after_the_988_line(
    card_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = _unsure_of_crisis(card_bot, monkeypatch).answer("how do i use narcan", channel="web")
    assert reply.kind == "answer" and reply.card == "spray-steps"
    assert reply.safety_note == SAFETY_NOTES[("crisis", "en")]
    assert "close to card spray-steps" in reply.triage_reason


def test_a_tentative_crisis_far_from_every_ask_gets_the_crisis_reply(
    card_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = _unsure_of_crisis(card_bot, monkeypatch).answer("i dont see the point of any of it", channel="web")
    assert reply.kind == "crisis"
    assert "988" in reply.answer


def test_settling_leaves_firm_decisions_and_unclear_matches_alone(card_bot: Bot) -> None:
    card = next(c for c in card_bot.index.cards.cards if c.id == "spray-steps")
    close = CardMatch(card, score=0.95, runner_up=0.2, closeness=CARD_PARAPHRASE)
    firm = Triage("crisis", "classifier (message, 0.80)")
    tentative = Triage("crisis", "classifier (message, 0.30)", tentative=True)
    assert settle_tentative(firm, close) is firm
    assert settle_tentative(tentative, None) is tentative
    # Not close enough to any ask, or close but in a race with another card: the crisis reply stands.
    assert settle_tentative(tentative, replace(close, closeness=CARD_PARAPHRASE - 0.01)) is tentative
    assert settle_tentative(tentative, replace(close, runner_up=0.94)) is tentative
    # Below the service's card gate (an operator's higher BOT_MIN_CONFIDENCE, or an out-of-domain message): the
    # card would not answer, so neither does the settling.
    assert settle_tentative(tentative, close, floor=0.96) is tentative
    settled = settle_tentative(tentative, close)
    assert (settled.kind, settled.note, settled.tentative) == ("answer", "crisis", False)


def test_a_tentative_refusal_that_paraphrases_a_card_is_answered_from_it_without_a_note(card_bot: Bot) -> None:
    card = next(c for c in card_bot.index.cards.cards if c.id == "spray-steps")
    close = CardMatch(card, score=0.95, runner_up=0.2, closeness=CARD_PARAPHRASE)
    tentative = Triage("refusal", "classifier (message, 0.55)", tentative=True)
    settled = settle_tentative(tentative, close)
    assert (settled.kind, settled.note, settled.tentative) == ("answer", "", False)
    assert "close to card spray-steps" in settled.reason
    # A firm refusal, or one far from every ask, stays declined.
    assert settle_tentative(replace(tentative, tentative=False), close).kind == "refusal"
    assert settle_tentative(tentative, replace(close, closeness=CARD_PARAPHRASE - 0.01)) is tentative


def test_a_card_about_another_substance_is_no_candidate(card_bot: Bot) -> None:
    cards = replace(card_bot.index.cards)
    question = "how do i use narcan on someone who took heroin"
    vector = HashEncoder().encode([question])[0]
    assert card_scores(cards, vector, question, "en").max() > 0
    # The same card, if it were about alcohol, would not answer a question that names heroin and not alcohol.
    cards.substances = [frozenset({"alcohol"}) for _ in cards.cards]
    assert card_scores(cards, vector, question, "en").max() == 0
    assert best_card(cards, vector, question, "en") is None
    # A question that names no substance, or names alcohol too, still reaches it.
    assert card_scores(cards, vector, "how do i use narcan", "en").max() > 0
    assert card_scores(cards, vector, question + " and alcohol", "en").max() > 0


def test_words_of_a_cards_answer_count_toward_it(card_bot: Bot) -> None:
    cards = card_bot.index.cards
    en = cards.cards.index(next(c for c in cards.cards if c.language == "en"))
    # "nose" is in the English card's answer ("... into the person's nose"), not in its asks.
    assert not any("nose" in ask for ask in cards.cards[en].asks)
    nose = answer_scores(cards, stem_tokens("where does it go, the nose?", "en"), "en", len(cards.cards))
    assert nose[en] == 1.0 and nose.sum() == 1.0  # scaled to the best card; the Spanish card gets nothing
    assert answer_scores(cards, stem_tokens("bread recipe", "en"), "en", len(cards.cards)).max() == 0.0
    assert answer_scores(cards, stem_tokens("where does it go, the nose?", "en"), "fr", len(cards.cards)).max() == 0.0
