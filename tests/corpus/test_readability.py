"""Reading measures: English syllables by vowel groups, Spanish by pyphen, and the direction of each target."""

from __future__ import annotations

import pytest

from bot.corpus.readability import MEASURES, english_syllables, reading_level, reads_easily, spanish_syllables


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("call", 1), ("naloxone", 3), ("breathing", 2), ("minutes", 2), ("overdose", 3), ("people", 2), ("wanted", 2)],
)
def test_english_syllables_follow_vowel_groups(word: str, syllables: int) -> None:
    assert english_syllables(word) == syllables


@pytest.mark.parametrize(("word", "syllables"), [("naloxona", 4), ("persona", 3), ("llama", 2), ("sobredosis", 4)])
def test_spanish_syllables_follow_spanish_hyphenation(word: str, syllables: int) -> None:
    assert spanish_syllables(word) == syllables


def test_short_plain_sentences_read_below_long_technical_ones() -> None:
    plain = "Call 911.\nSpray one dose in the nose.\nStay with the person."
    hard = (
        "Administration of intranasal naloxone hydrochloride by bystanders substantially reduces opioid-associated "
        "mortality, particularly when emergency medical services are contacted simultaneously."
    )
    assert reading_level(plain, "en") < 4 < 12 < reading_level(hard, "en")
    assert reads_easily(plain, "en") and not reads_easily(hard, "en")


def test_spanish_ease_is_higher_for_plain_text() -> None:
    plain = "Ve con ella. Llama a un amigo. No la dejes sola."
    hard = (
        "La administración intranasal de clorhidrato de naloxona por transeúntes reduce considerablemente la "
        "mortalidad asociada a los opioides, particularmente cuando se contactan simultáneamente los servicios."
    )
    assert reading_level(plain, "es") > MEASURES["es"].target > reading_level(hard, "es")


def test_each_line_counts_as_a_sentence() -> None:
    as_list = "Slow breathing\nBlue lips\nSmall pupils"
    as_one = "Slow breathing blue lips small pupils"
    assert reading_level(as_list, "en") < reading_level(as_one, "en")


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no reading measure"):
        reading_level("hola", "fr")
