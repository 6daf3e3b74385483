"""Pieces: a long message is cut into sentences, or into overlapping word windows when it has no full stops."""

from __future__ import annotations

import pytest

from bot.triage.pieces import MAX_PIECES, STRIDE, WINDOW, pieces


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
