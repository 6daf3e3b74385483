"""Hybrid retrieval over the real corpus (hash-encoder index): dense + BM25, language preference, degraded mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.lexicon import expand
from bot.loader import load_index
from bot.search.encoders.hash import HashEncoder
from bot.search.index import Index
from bot.search.retriever import HybridRetriever, Query


@pytest.fixture(scope="module")
def index(built_data_dir: Path) -> Index:
    return load_index(built_data_dir / "index")


@pytest.fixture(scope="module")
def retriever(index: Index) -> HybridRetriever:
    return HybridRetriever(index)


def _query(text: str, lang: str, *, dense: bool = True) -> Query:
    expanded = expand(text)
    vector = HashEncoder().encode([expanded])[0] if dense else None
    return Query(text, expanded, lang, vector)


@pytest.mark.parametrize("dense", [True, False], ids=["hybrid", "bm25-only"])
def test_naloxone_question_finds_a_naloxone_passage(retriever: HybridRetriever, dense: bool) -> None:
    hits = retriever.search(_query("how do i use naloxone", "en", dense=dense), k=5)
    assert hits
    assert "naloxone" in hits[0].passage.text.lower()
    assert "naloxone" in hits[0].passage.topics
    assert sum("naloxone" in h.passage.topics for h in hits) >= 3
    assert any("give naloxone" in h.passage.text.lower() or "use naloxone" in h.passage.text.lower() for h in hits)


def test_street_word_finds_the_same_topic(retriever: HybridRetriever) -> None:
    hits = retriever.search(_query("how do i use narcan", "en"), k=5)
    assert hits
    assert "naloxone" in hits[0].passage.topics


def test_hits_are_sorted_best_first_and_at_most_k(retriever: HybridRetriever) -> None:
    hits = retriever.search(_query("what are fentanyl test strips", "en"), k=4)
    assert 0 < len(hits) <= 4
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(h.score > 0 for h in hits)
    assert hits[0].passage.doc_id in {"fentanyl-test-strips", "fentanyl-xylazine-test-strips"}


def test_hit_rows_point_at_their_passages(retriever: HybridRetriever, index: Index) -> None:
    for hit in retriever.search(_query("signs of an overdose", "en"), k=5):
        assert index.passages[hit.row] is hit.passage


@pytest.mark.parametrize(
    "question",
    ["¿cómo se usa la naloxona?", "qué son las tiras reactivas de fentanilo", "señales de una sobredosis"],
)
def test_spanish_question_ranks_spanish_passages_first(retriever: HybridRetriever, question: str) -> None:
    hits = retriever.search(_query(question, "es"), k=5)
    assert hits
    assert hits[0].passage.language == "es"
    assert sum(h.passage.language == "es" for h in hits) >= 4


def test_english_question_ranks_english_passages_first(retriever: HybridRetriever) -> None:
    hits = retriever.search(_query("how do fentanyl test strips work", "en"), k=5)
    assert [h.passage.language for h in hits] == ["en"] * len(hits)


def test_language_preference_moves_the_same_question_between_languages(retriever: HybridRetriever) -> None:
    # "naloxone" is in both vocabularies after expansion; the query language decides which documents lead.
    en = retriever.search(_query("naloxone naloxona", "en"), k=3)
    es = retriever.search(_query("naloxone naloxona", "es"), k=3)
    assert en[0].passage.language == "en"
    assert es[0].passage.language == "es"


def test_degraded_mode_without_a_vector_uses_bm25_alone(retriever: HybridRetriever) -> None:
    hits = retriever.search(_query("fentanyl test strips", "en", dense=False), k=5)
    assert hits
    assert all(h.dense == 0.0 for h in hits)
    assert all(h.bm25 > 0 for h in hits)
    assert "test strip" in hits[0].passage.text.lower()


def test_degraded_mode_spanish(retriever: HybridRetriever) -> None:
    hits = retriever.search(_query("naloxona", "es", dense=False), k=3)
    assert hits
    assert hits[0].passage.language == "es"


def test_nothing_in_the_vocabulary_returns_no_hits_in_degraded_mode(retriever: HybridRetriever) -> None:
    assert retriever.search(_query("zzqx wpflv", "en", dense=False), k=5) == []


@pytest.mark.parametrize("k", [0, -1, -10])
def test_non_positive_k_raises(retriever: HybridRetriever, k: int) -> None:
    with pytest.raises(ValueError, match=f"k is {k}"):
        retriever.search(_query("naloxone", "en"), k=k)
