"""Street words, typos and stems: matching what people text to what the corpus says."""

from __future__ import annotations

import pytest

from bot.lexicon import SLANG, correct, expand, stem_tokens


def _added(text: str) -> set[str]:
    """The words `expand` appended to the text (inside the trailing parentheses)."""
    expanded = expand(text)
    assert expanded.startswith(text)
    rest = expanded[len(text) :].strip()
    if not rest:
        return set()
    assert rest.startswith("(") and rest.endswith(")")
    return set(rest[1:-1].split())


@pytest.mark.parametrize(
    ("text", "must_add"),
    [
        ("how do i use narcan", {"naloxone", "naloxona"}),
        ("is fent in everything now", {"fentanyl", "fentanilo"}),
        ("my homie got fetty in his percs", {"fentanyl", "percocet", "oxycodone"}),
        ("are blues always pressed", {"counterfeit", "m30", "pills"}),
        ("what happens if u mix bars and alcohol", {"xanax", "benzodiazepines"}),
        ("where can i get subs legally", {"suboxone", "buprenorphine"}),
        ("what is tranq doing to peoples skin", {"xylazine"}),
        ("how long does being dopesick last", {"withdrawal"}),
        ("do fts work on pills", {"fentanyl", "test", "strips"}),
        ("can the cops arrest me if i call", {"police", "good", "samaritan", "law"}),
        ("he just got out of jail, is he at risk", {"tolerance"}),
        ("i think he od", {"overdose", "sobredosis"}),
        ("donde consigo las tiras", {"tiras", "reactivas"}),
        ("la chiva es peligrosa", {"heroin", "heroina"}),
        ("MY FRIEND HAS NARCAN", {"naloxone"}),
    ],
)
def test_expand_adds_corpus_words_for_street_words(text: str, must_add: set[str]) -> None:
    assert must_add <= _added(text)


@pytest.mark.parametrize(
    ("typo", "term"),
    [
        ("narcann", "narcan"),
        ("narkan", "narcan"),
        ("fentynal", "fentanyl"),
        ("fentenyl", "fentanyl"),
        ("fetanyl", "fentanyl"),
        ("naloxon", "naloxone"),
        ("overdoes", "overdose"),
        ("zylazine", "xylazine"),
        ("suboxon", "suboxone"),
        ("methodone", "methadone"),
        ("sobredosiss", "sobredosis"),
        ("buprenorfine", "buprenorfina"),
    ],
)
def test_correct_fixes_typos_of_key_terms(typo: str, term: str) -> None:
    assert correct(typo) == term


@pytest.mark.parametrize("word", ["naloxone", "fentanyl", "hello", "friend", "person", "the", "od", "later"])
def test_correct_leaves_real_words_alone(word: str) -> None:
    assert correct(word) == word


def test_expand_corrects_a_typo_then_expands_its_street_word() -> None:
    # "narcann" is corrected to "narcan", which is itself a street word for naloxone.
    assert {"narcan", "naloxone", "naloxona"} <= _added("where do i get narcann")


def test_expand_corrects_fentynal() -> None:
    assert "fentanyl" in _added("is there fentynal in molly")


@pytest.mark.parametrize("text", ["what is naloxone", "how does methadone treatment work", "", "hello there"])
def test_expand_leaves_plain_text_unchanged(text: str) -> None:
    assert expand(text) == text


def test_slang_entries_have_english_and_spanish_words() -> None:
    for street, (en, es) in SLANG.items():
        assert en.strip() and es.strip(), street


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("How to use the naloxone sprays", "en", ["use", "naloxon", "spray"]),
        ("Overdoses and overdosing", "en", ["overdos", "overdos"]),
        ("breathing slowly", "en", ["breath", "slowli"]),
        ("¿Cómo se usa la naloxona en las personas?", "es", ["us", "naloxon", "person"]),
        ("Cómo usar la naloxona", "es", ["us", "naloxon"]),
        ("Las sobredosis de opioides", "es", ["sobredosis", "opioid"]),
    ],
)
def test_stem_tokens(text: str, lang: str, expected: list[str]) -> None:
    assert stem_tokens(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "stop"),
    [
        ("what is the best way to carry it", "en", {"the", "is", "to", "it"}),
        ("la naloxona es para los opioides", "es", {"la", "es", "para", "los"}),
    ],
)
def test_stem_tokens_drops_stop_words(text: str, lang: str, stop: set[str]) -> None:
    assert not stop & set(stem_tokens(text, lang))


def test_stem_tokens_match_across_accents_and_inflections() -> None:
    assert stem_tokens("Respiración", "es") == stem_tokens("respiracion", "es")
    assert stem_tokens("pills", "en") == stem_tokens("pill", "en")
