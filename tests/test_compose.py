"""Composed answers: every sentence cited and grounded, citations in order, within each channel's budget."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.compose import BUDGETS, Composed, compose
from bot.lexicon import expand
from bot.loader import load_index
from bot.search.encoders.hash import HashEncoder
from bot.search.index import Index
from bot.search.retriever import HybridRetriever, Query

QUESTIONS = [
    ("how do i use naloxone", "en"),
    ("what are fentanyl test strips and where do i get them", "en"),
    ("what does an overdose look like", "en"),
    ("is it dangerous to mix xanax and alcohol", "en"),
    ("can i get in trouble for calling 911 during an overdose", "en"),
    ("what is xylazine", "en"),
    ("how does buprenorphine treatment work", "en"),
    ("my tolerance is low after rehab, is that risky", "en"),
    ("¿cómo se usa la naloxona?", "es"),
    ("¿qué es el fentanilo?", "es"),
    ("señales de una sobredosis de opioides", "es"),
    ("¿dónde encuentro tratamiento para la adicción?", "es"),
]
CHANNELS = list(BUDGETS)
_MARKER = re.compile(r" \[(\d+)\]([.!?]?)(?: |$)")


@pytest.fixture(scope="module")
def index(built_data_dir: Path) -> Index:
    return load_index(built_data_dir / "index")


def _compose(index: Index, question: str, lang: str, channel: str, *, dense: bool = True) -> Composed:
    expanded = expand(question)
    vector = HashEncoder().encode([expanded])[0] if dense else None
    query = Query(question, expanded, lang, vector)
    hits = HybridRetriever(index).search(query, k=8)
    assert hits, question
    return compose(query, hits, index, channel)


def _sentences(text: str) -> list[tuple[str, int]]:
    """Split an answer into (sentence without its marker, citation number), checking nothing is left uncited."""
    out: list[tuple[str, int]] = []
    pos = 0
    for m in _MARKER.finditer(text):
        out.append((text[pos : m.start()] + m.group(2), int(m.group(1))))
        pos = m.end()
    assert pos == len(text), f"text after the last citation marker: {text[pos:]!r}"
    return out


def _without_markers(text: str) -> str:
    return re.sub(r" \[\d+\]", "", text)


@pytest.mark.parametrize("dense", [True, False], ids=["hybrid", "degraded"])
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("question", "lang"), QUESTIONS)
def test_composed_answer_is_cited_grounded_and_within_budget(
    index: Index, question: str, lang: str, channel: str, dense: bool
) -> None:
    composed = _compose(index, question, lang, channel, dense=dense)
    sentences = _sentences(composed.text)
    assert sentences

    ids = [c.id for c in composed.citations]
    assert ids == list(range(1, len(ids) + 1))
    first_use = list(dict.fromkeys(n for _, n in sentences))
    assert first_use == ids, "citations are numbered in the order they are first used"

    texts = [s for s, _ in sentences]
    assert len(texts) == len(set(texts)), "no sentence appears twice"

    by_id = {c.id: c for c in composed.citations}
    for sentence, number in sentences:
        doc_id = by_id[number].source.doc_id
        doc_sentences = {s for p in index.passages if p.doc_id == doc_id for s in p.sentences}
        assert sentence in doc_sentences, f"{sentence!r} is not a sentence of {doc_id}"

    for citation in composed.citations:
        assert citation.source == index.sources[citation.source.doc_id]
        assert citation.snippet in texts

    assert len(_without_markers(composed.text)) <= BUDGETS[channel]


@pytest.mark.parametrize(("question", "lang"), QUESTIONS)
def test_sms_answer_with_markers_stays_near_two_segments(index: Index, question: str, lang: str) -> None:
    composed = _compose(index, question, lang, "sms")
    # Two concatenated SMS segments hold 306 GSM characters; markers add a few each.
    assert len(composed.text) <= BUDGETS["sms"] + 5 * len(_sentences(composed.text))


def test_confidence_is_between_zero_and_one(index: Index) -> None:
    for question, lang in QUESTIONS:
        for dense in (True, False):
            confidence = _compose(index, question, lang, "api", dense=dense).confidence
            assert 0.0 <= confidence <= 1.0


def test_spanish_question_is_answered_from_spanish_documents(index: Index) -> None:
    composed = _compose(index, "¿cómo se usa la naloxona?", "es", "web")
    assert {c.source.language for c in composed.citations} == {"es"}


def test_followups_are_headings_not_used_in_the_answer(index: Index) -> None:
    composed = _compose(index, "how do i use naloxone", "en", "sms")
    headings = {p.heading.rstrip(".") for p in index.passages}
    assert len(composed.followups) <= 2
    assert len(set(composed.followups)) == len(composed.followups)
    assert set(composed.followups) <= headings
