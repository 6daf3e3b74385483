"""Text helpers: accent folding, the cache key, sentence splitting and tokens."""

from __future__ import annotations

import pytest

from bot.text import fold, normalize_question, split_sentences, tokens, word_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Naloxone", "naloxone"),
        ("NALOXÓNA", "naloxona"),
        ("Heroína y cocaína", "heroina y cocaina"),
        ("¿Qué es el fentanilo?", "¿que es el fentanilo?"),
        ("Niño", "nino"),
        ("AÑOS", "anos"),
        ("Pingüino", "pinguino"),
        ("", ""),
    ],
)
def test_fold_lowercases_and_strips_accents(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_makes_accented_and_plain_spellings_equal() -> None:
    assert fold("respiración") == fold("respiracion") == fold("RESPIRACIÓN")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  How   DO I  use\tNarcan? ", "how do i use narcan?"),
        ("how do i use narcan?", "how do i use narcan?"),
        ("¿Cómo  se usa la\nNaloxona?", "¿como se usa la naloxona?"),
        ("   ", ""),
    ],
)
def test_normalize_question_collapses_space_and_case(text: str, expected: str) -> None:
    assert normalize_question(text) == expected


def test_normalize_question_gives_one_key_for_variants() -> None:
    variants = ["What is FENTANYL?", "what is fentanyl?", "  what  is fentanyl? "]
    assert len({normalize_question(v) for v in variants}) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 911. Give naloxone.", ["Call 911.", "Give naloxone."]),
        ("Is he breathing? Check now! Then wait.", ["Is he breathing?", "Check now!", "Then wait."]),
        (
            "The U.S. has Good Samaritan laws. They protect callers.",
            ["The U.S. has Good Samaritan laws.", "They protect callers."],
        ),
        (
            "The U.S. Food and Drug Administration approved it. Naloxone is safe.",
            ["The U.S. Food and Drug Administration approved it.", "Naloxone is safe."],
        ),
        (
            "En EE. UU. hay leyes del Buen Samaritano. Protegen a quien llama.",
            ["En EE. UU. hay leyes del Buen Samaritano.", "Protegen a quien llama."],
        ),
        ("En EE.UU. Muchas personas usan naloxona.", ["En EE.UU. Muchas personas usan naloxona."]),
        ("Llame al 911. ¿Respira la persona? Revise.", ["Llame al 911.", "¿Respira la persona?", "Revise."]),
        (
            "No espere. ¡Llame al 911 ahora! Quédese con la persona.",
            ["No espere.", "¡Llame al 911 ahora!", "Quédese con la persona."],
        ),
        ("Ask Dr. Lee about it. Then decide.", ["Ask Dr. Lee about it.", "Then decide."]),
        (
            "Give a second dose after 2 to 3 minutes. 1 dose may not be enough.",
            ["Give a second dose after 2 to 3 minutes.", "1 dose may not be enough."],
        ),
        ("Es importante. Él respira.", ["Es importante.", "Él respira."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_keeps_lowercase_continuations_together() -> None:
    assert split_sentences("Opioids (e.g. heroin) slow breathing. it may stop.") == [
        "Opioids (e.g. heroin) slow breathing. it may stop."
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_split_sentences_of_blank_text_is_empty(text: str) -> None:
    assert split_sentences(text) == []


def test_split_sentences_collapses_inner_white_space() -> None:
    assert split_sentences("Call   911\nnow.  Stay   with them.") == ["Call 911 now.", "Stay with them."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How do I use Narcan?", ["how", "do", "i", "use", "narcan"]),
        ("Don't mix fentanyl-laced pills!", ["don't", "mix", "fentanyl-laced", "pills"]),
        ("¿Qué es la naloxona?", ["que", "es", "la", "naloxona"]),
        ("Mi niño de 2 años", ["mi", "nino", "de", "2", "anos"]),
        ("M30s, blues & bars", ["m30s", "blues", "bars"]),
        ("call 1-800-662-4357", ["call", "1-800-662-4357"]),
        ("...!!! ???", []),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("one two  three", 3), ("", 0), ("  lone  ", 1)])
def test_word_count(text: str, expected: int) -> None:
    assert word_count(text) == expected


def test_quoted_titles_and_numbered_abbreviations_stay_whole() -> None:
    from bot.text import split_sentences

    text = 'Parents can use the "Talk. They Hear You." campaign. See report No. 522 for more figures. Call 911 now.'
    assert split_sentences(text) == [
        'Parents can use the "Talk. They Hear You." campaign.',
        "See report No. 522 for more figures.",
        "Call 911 now.",
    ]


def test_an_unclosed_quotation_is_not_cut_off() -> None:
    from bot.text import split_sentences

    assert split_sentences('He said "Stop. Now." Then he left the room.') == [
        'He said "Stop. Now."',
        "Then he left the room.",
    ]
    assert split_sentences('A title "Never. Closed') == ['A title "Never. Closed']
