"""The substances a text names, and when a card is about other substances than a question."""

from __future__ import annotations

import pytest

from bot.search.substances import named_by_all, substances, unrelated


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("cuáles son los efectos de la heroína a largo plazo", {"opioids"}),
        ("is it ok to have a couple BEERS on oxycodone", {"alcohol", "opioids"}),
        ("puedo tomar buprenorfina si le estoy dando pecho", {"moud"}),
        ("mi hijo fuma mota y vapea", {"cannabis", "nicotine"}),
        ("can i test my meth for fentanyl", {"stimulants", "fentanyl", "opioids"}),  # fentanyl is an opioid
        ("what do i do in an overdose", set()),
        ("how do i use narcan", set()),  # naloxone is a medicine for any opioid overdose, not a group
    ],
)
def test_the_groups_a_text_names(text: str, groups: set[str]) -> None:
    assert substances(text) == groups


def test_a_card_names_what_any_of_its_texts_name() -> None:
    assert named_by_all(["Binge drinking", "alcohol"]) == {"alcohol"}
    assert named_by_all(["Finding treatment", "treatment"]) == frozenset()


@pytest.mark.parametrize(
    ("question", "card", "excluded"),
    [
        ({"opioids"}, {"alcohol"}, True),  # a heroin question and an alcohol card
        ({"alcohol", "opioids"}, {"alcohol"}, False),  # one substance in common
        (set(), {"alcohol"}, False),  # the question names no substance
        ({"stimulants"}, set(), False),  # the card names none: treatment, overdose steps
        ({"stimulants"}, {"fentanyl", "opioids"}, False),  # fentanyl gets into every drug
        ({"cannabis"}, {"xylazine"}, False),
    ],
)
def test_unrelated(question: set[str], card: set[str], excluded: bool) -> None:
    assert unrelated(frozenset(question), frozenset(card)) is excluded
