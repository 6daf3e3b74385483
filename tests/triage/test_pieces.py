"""Pieces: a long message is cut into sentences, or into overlapping word windows when it has no full stops."""

from __future__ import annotations

import pytest

from bot.triage.pieces import MAX_PIECES, MIN_PIECES, STRIDE, WINDOW, in_context, pieces


def words(n: int, prefix: str = "w") -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "what is naloxone",
        "What is naloxone?",
        "  he is not breathing!  ",
        words(WINDOW + STRIDE),  # the longest sentence still read whole
    ],
)
def test_a_single_piece_gives_nothing(text: str) -> None:
    assert pieces(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is naloxone? Where do I get it.", ["What is naloxone?", "Where do I get it."]),
        ("help! he is blue", ["help!", "he is blue"]),
        ("one; two… three", ["one;", "two…", "three"]),
        ("first line\nsecond line\n\n third line ", ["first line", "second line", "third line"]),
        ("a.b.c is one word. next", ["a.b.c is one word.", "next"]),
        ("I   have    space.  So   much.", ["I have space.", "So much."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_a_run_on_message_is_read_in_overlapping_windows() -> None:
    n = 40
    text = words(n)
    out = pieces(text)
    all_words = text.split()
    assert out[0] == " ".join(all_words[:WINDOW])
    assert len(out) > 1
    for k, piece in enumerate(out):
        assert piece == " ".join(all_words[k * STRIDE : k * STRIDE + WINDOW])
        assert len(piece.split()) <= WINDOW
    for a, b in zip(out, out[1:], strict=False):
        assert a.split()[STRIDE:] == b.split()[: WINDOW - STRIDE]  # consecutive windows overlap
    covered = {w for piece in out for w in piece.split()}
    assert covered == set(all_words)
    assert out[-1].split()[-1] == all_words[-1]


@pytest.mark.parametrize("n", [WINDOW + STRIDE + 1, 33, 40, 41, 48, 57])
def test_windows_cover_the_end_of_the_message(n: int) -> None:
    all_words = words(n).split()
    out = pieces(" ".join(all_words))
    assert out[-1].split()[-1] == all_words[-1]
    assert {w for piece in out for w in piece.split()} == set(all_words)


def test_a_long_sentence_among_short_ones_is_windowed() -> None:
    long = words(30, "x")
    out = pieces(f"Is it safe? {long}. Thanks")
    assert out[0] == "Is it safe?"
    assert out[-1] == "Thanks"
    middle = out[1:-1]
    assert len(middle) > 1
    assert all(len(p.split()) <= WINDOW for p in middle)
    assert middle[-1].endswith("x29.")


def test_the_number_of_pieces_is_capped() -> None:
    text = " ".join(f"Sentence {i}." for i in range(MAX_PIECES * 3))
    out = pieces(text)
    assert len(out) == MAX_PIECES
    assert out == [f"Sentence {i}." for i in range(MAX_PIECES)]


def test_the_cap_applies_to_windows_too() -> None:
    out = pieces(words(WINDOW * MAX_PIECES * 2))
    assert len(out) == MAX_PIECES


def test_one_or_two_sentences_are_judged_whole() -> None:
    # A piece of a short message has lost the context that makes it safe.
    assert in_context("What is naloxone? Where do I get it?") == []
    assert MIN_PIECES == 3


def test_each_sentence_is_judged_with_the_next() -> None:
    text = "My friend OD'd last month and made it. She's home now. How can I help her?"
    assert in_context(text) == [
        "My friend OD'd last month and made it. She's home now.",
        "She's home now. How can I help her?",
    ]


def test_every_sentence_is_in_some_piece() -> None:
    text = "One. Two. Three. Four. Five."
    out = in_context(text)
    assert out == ["One. Two.", "Two. Three.", "Three. Four.", "Four. Five."]
    for sentence in text.split():
        assert any(sentence in piece for piece in out)


def test_word_windows_stay_as_they_are_beside_joined_sentences() -> None:
    long = words(WINDOW + STRIDE + 8, "x")
    out = in_context(f"Is it safe? Please help. {long}. Thanks a lot")
    windows = [p for p in pieces(f"Is it safe? Please help. {long}. Thanks a lot") if p.startswith("x")]
    assert out[0] == "Is it safe? Please help."
    assert all(w in out for w in windows)
    assert out[-1] == "Thanks a lot"
