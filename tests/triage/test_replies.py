"""Fixed replies: every one renders, safety numbers come first, and their sources match the corpus."""

from __future__ import annotations

import re

import pytest

from bot.config import ROOT
from bot.corpus.documents import Source, load_corpus, source_of
from bot.triage.replies import _SOURCES, FALLBACK, cited_doc_ids, fixed_reply

KEYS = ["emergency", "emergency_child", "crisis", "refusal", "refusal_treatment", "out_of_scope", "no_answer"]
LANGS = ["en", "es"]
SMS_SEGMENT = 153  # characters of one part of a concatenated GSM-7 SMS
HELPLINE = "1-800-662-4357"


@pytest.fixture(scope="module")
def corpus_sources() -> dict[str, Source]:
    return {doc.id: source_of(doc) for doc in load_corpus(ROOT / "corpus")}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", KEYS)
def test_every_fixed_reply_renders(key: str, lang: str) -> None:
    reply = fixed_reply(key, lang)
    assert reply.text.strip()
    assert "{" not in reply.text and "}" not in reply.text
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", reply.text)]
    assert list(dict.fromkeys(numbers)) == list(range(1, len(reply.sources) + 1))
    for source in reply.sources:
        assert source.publisher in ("CDC", "SAMHSA")
        assert source.url.startswith("https://")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", KEYS)
def test_fixed_reply_uses_corpus_sources_when_given(key: str, lang: str, corpus_sources: dict[str, Source]) -> None:
    reply = fixed_reply(key, lang, corpus_sources)
    for source in reply.sources:
        assert source == corpus_sources[source.doc_id]


@pytest.mark.parametrize("key", KEYS)
def test_spanish_replies_cite_spanish_documents(key: str) -> None:
    assert all(s.language == "es" for s in fixed_reply(key, "es").sources)


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_reply_puts_911_and_naloxone_in_the_first_sms_segment(lang: str) -> None:
    text = fixed_reply("emergency", lang).text
    assert 0 <= text.find("911") < SMS_SEGMENT
    first = text[:SMS_SEGMENT].lower()
    assert "naloxon" in first or "narcan" in first


@pytest.mark.parametrize("lang", LANGS)
def test_an_emergency_that_reads_as_a_crisis_ends_with_988(lang: str) -> None:
    plain = fixed_reply("emergency", lang)
    both = fixed_reply("emergency", lang, crisis_line=True)
    assert both.text.startswith(plain.text)
    assert "988" not in plain.text
    last = both.text[len(plain.text) :]
    assert "988" in last
    # Most emergencies are written about someone else: the line names whoever is at risk.
    assert "someone" in last or "alguien" in last
    assert both.sources[-1].url == "https://www.samhsa.gov/mental-health/988/faqs"
    assert f"[{len(both.sources)}]" in last
    assert 0 <= both.text.find("911") < SMS_SEGMENT


@pytest.mark.parametrize("lang", LANGS)
def test_child_emergency_reply_puts_911_and_poison_help_first(lang: str) -> None:
    text = fixed_reply("emergency_child", lang).text
    assert 0 <= text.find("911") < SMS_SEGMENT
    assert "1-800-222-1222" in text


@pytest.mark.parametrize("lang", LANGS)
def test_crisis_reply_gives_988(lang: str) -> None:
    text = fixed_reply("crisis", lang).text
    assert "988" in text
    assert text.find("988") < SMS_SEGMENT


@pytest.mark.parametrize("lang", LANGS)
def test_no_answer_reply_gives_helpline_and_findtreatment(lang: str) -> None:
    text = fixed_reply("no_answer", lang).text
    assert HELPLINE in text
    assert "findtreatment" in text.lower()


@pytest.mark.parametrize("key", ["refusal", "refusal_treatment"])
@pytest.mark.parametrize("lang", LANGS)
def test_refusals_offer_the_helpline(key: str, lang: str) -> None:
    assert HELPLINE in fixed_reply(key, lang).text


@pytest.mark.parametrize("lang", ["fr", "", "EN"])
def test_unknown_language_falls_back_to_english(lang: str) -> None:
    assert fixed_reply("crisis", lang) == fixed_reply("crisis", "en")


def test_unknown_key_raises() -> None:
    with pytest.raises(KeyError):
        fixed_reply("jokes", "en")


def test_every_cited_document_has_a_hard_coded_source() -> None:
    assert cited_doc_ids() <= set(_SOURCES)


@pytest.mark.parametrize("doc_id", sorted(cited_doc_ids()))
def test_cited_document_exists_in_the_corpus_with_the_same_source(
    doc_id: str, corpus_sources: dict[str, Source]
) -> None:
    assert doc_id in corpus_sources, f"{doc_id} is cited by a fixed reply but is not in corpus/"
    title, publisher, url = _SOURCES[doc_id]
    corpus = corpus_sources[doc_id]
    assert url == corpus.url
    assert title == corpus.title
    assert publisher == corpus.publisher


@pytest.mark.parametrize("lang", LANGS)
def test_fallback_gives_all_three_numbers(lang: str) -> None:
    text = FALLBACK[lang]
    for number in ("911", "988", HELPLINE):
        assert number in text
    assert text.find("911") < SMS_SEGMENT
