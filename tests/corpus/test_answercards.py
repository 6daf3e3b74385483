"""Answer cards: reading them, and every check `hrbot corpus check` makes of them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.answercards import read_cards
from bot.corpus.check import check_corpus
from bot.errors import CorpusError
from bot.search.encoders.hash import HashEncoder
from tests.corpus.cardfixture import EN_CARD, ES_CARD, write_corpus


def _embed(texts: Sequence[str]) -> np.ndarray:
    return HashEncoder().encode(list(texts))


def _reasons(root: Path, embed: bool = True) -> list[str]:
    return [p.reason for p in check_corpus(root, _embed if embed else None)]


def test_a_clean_pair_of_cards_passes(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    assert _reasons(root) == []
    cards = {c.id: c for c in read_cards(root)}
    assert cards["spray-steps"].as_list and cards["spray-steps"].sms_items == 1
    assert cards["spray-steps"].items[2].cite == "spray#Calling 911"
    assert cards["spray-steps-es"].language == "es" and cards["spray-steps-es"].sms_items == 2


def test_a_malformed_file_names_its_line(tmp_path: Path) -> None:
    root = write_corpus(tmp_path, en_card=EN_CARD.replace("  asks:\n", "  asks: [\n", 1))
    with pytest.raises(CorpusError, match="naloxone.yaml"):
        read_cards(root)
    assert any("YAML" in r for r in _reasons(root))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("twin: spray-steps-es", "twin: nowhere"), "twin 'nowhere' does not exist"),
        (("topic: naloxone-use", "topic: other"), "point back and share the topic"),
        (("cite: spray#Calling 911", "cite: spray#No such heading"), "no section 'No such heading'"),
        (("cite: spray#Calling 911", "cite: ghost#Calling 911"), "unknown document 'ghost'"),
        (("cite: spray#Calling 911", "cite: spray-es#Cómo usar la naloxona en atomizador nasal"), "from a en card"),
        (("Wait 2 to 3 minutes", "Wait 5 to 10 minutes"), "number(s) 5, 10 not in the cited section"),
        (("    - steps for naloxone nasal spray\n", ""), "needs at least 6 asks"),
        (("Call 911 right away when someone may be overdosing.", "Call 911. Stay."), "sentence under 4 words"),
        (('lead: "To give naloxone nasal spray:"', 'lead: "Do these 3 things"'), "lead must be"),
        (('lead: "To give naloxone nasal spray:"', 'lead: "Steps:"'), "lead must be 4 to"),
        (
            (
                "Call 911 right away when someone may be overdosing.",
                "Do not give rescue breaths, or place the person in the recovery position.",
            ),
            "dangerous phrasing",
        ),
        (
            (
                "Spray one dose of naloxone into the person's nose.",
                "Intranasal administration of naloxone "
                "hydrochloride substantially diminishes opioid-associated respiratory depression.",
            ),
            "Flesch-Kincaid grade",
        ),
        (
            ("Call 911 right away when someone may be overdosing.", "Bake bread for the whole family tonight."),
            "not supported",
        ),
    ],
)
def test_each_card_problem_is_reported(tmp_path: Path, change: tuple[str, str], reason: str) -> None:
    old, new = change
    assert old in EN_CARD
    root = write_corpus(tmp_path, en_card=EN_CARD.replace(old, new))
    reasons = _reasons(root)
    assert any(reason in r for r in reasons), reasons


def test_an_ask_belongs_to_one_card(tmp_path: Path) -> None:
    second = EN_CARD.replace("id: spray-steps\n", "id: spray-again\n").replace("twin: spray-steps-es", "twin: x")
    root = write_corpus(tmp_path, en_card=EN_CARD + second)
    assert any("also belongs to card spray-steps" in r for r in _reasons(root, embed=False))


def test_spanish_cards_are_held_to_the_spanish_ease(tmp_path: Path) -> None:
    hard = (
        "La administración intranasal de clorhidrato de naloxona disminuye considerablemente la depresión respiratoria."
    )
    root = write_corpus(
        tmp_path, es_card=ES_CARD.replace("Rocía una dosis de naloxona en la nariz de la persona.", hard)
    )
    assert any("Fernández Huerta ease" in r for r in _reasons(root, embed=False))


def test_grounding_is_skipped_without_an_encoder(tmp_path: Path) -> None:
    root = write_corpus(
        tmp_path,
        en_card=EN_CARD.replace("Call 911 right away when someone may be overdosing.", "Bake bread tonight for all."),
    )
    assert not any("not supported" in r for r in _reasons(root, embed=False))
