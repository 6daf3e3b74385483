"""The phrasings once found in the corpus that could make a bystander hold back: rejected, and safe wording passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.check import check_corpus
from bot.corpus.danger import danger

DANGEROUS = [
    "Pregnant women can receive naloxone in limited doses under a doctor's care.",
    "Una mujer embarazada puede recibir naloxona en dosis limitadas bajo supervisión médica.",
    "Support the person's breathing with rescue breaths, or place the person in the recovery position.",
    "Dale respiración de rescate o coloca a la persona en la posición de recuperación.",
    "Only Narcan 4 mg nasal spray is sold without a prescription.",
    "Narcan is the only naloxone you can buy over the counter.",
    "Solo Narcan se vende sin receta.",
    "Doctors need an X-waiver to prescribe buprenorphine.",
    "Wait for a doctor before giving naloxone.",
]
SAFE = [
    "Pregnant people can be safely given naloxone during an overdose.",
    "Give rescue breaths. Once the person is breathing, place them in the recovery position.",
    "Narcan 4 mg, a generic 4 mg spray and RiVive 3 mg are sold without a prescription.",
    "The X-waiver ended in 2023.",
    "Wait 2 to 3 minutes before giving a second dose of naloxone.",
]


@pytest.mark.parametrize("sentence", DANGEROUS)
def test_dangerous_phrasings_are_caught(sentence: str) -> None:
    assert danger(sentence)


@pytest.mark.parametrize("sentence", SAFE)
def test_safe_phrasings_pass(sentence: str) -> None:
    assert danger(sentence) is None


def test_the_corpus_check_rejects_a_document_that_says_one(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "n.md").write_text(
        "---\nid: n\ntitle: Naloxone\nurl: https://www.samhsa.gov/substance-use/treatment/overdose\n"
        "publisher: SAMHSA\nlanguage: en\nlast_reviewed: 2026-12-01\ntopics: [naloxone]\n---\n\n# Naloxone\n\n"
        "## Pregnancy\nNaloxone reverses an opioid overdose in anyone. "
        "Pregnant women can receive naloxone in limited doses under a doctor's care.\n"
    )
    problems = [p.reason for p in check_corpus(tmp_path)]
    assert any(r.startswith("dangerous phrasing") and "pregnan" in r for r in problems)
