"""`hrbot corpus stats`: counts by publisher, language and topic, reading grades and documents due for review."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import ROOT
from bot.corpus.documents import corpus_files, load_corpus
from bot.corpus.stats import format_stats, gather_stats, reading_grade
from bot.errors import CorpusError

TODAY = dt.date(2026, 6, 1)
EASY_EN = "Naloxone is a drug. It can save a life. Call 911. Stay with the person. Give a second dose."
HARD_EN = (
    "Buprenorphine, methadone and extended-release naltrexone are medications approved for opioid use disorder "
    "treatment, administered under professional supervision, substantially reducing overdose mortality."
)
EASY_ES = "La naloxona es un medicamento. Llame al 911. Quédese con la persona. Dele otra dosis."
HARD_ES = (
    "La buprenorfina, la metadona y la naltrexona de liberación prolongada son medicamentos aprobados para el "
    "tratamiento del trastorno por consumo de opioides, administrados bajo supervisión profesional especializada."
)


def _doc(doc_id: str, publisher: str, language: str, reviewed: str, topics: str, sections: list[str]) -> str:
    body = "\n\n".join(f"## Section {i}\n{text}" for i, text in enumerate(sections, 1))
    return (
        f"---\nid: {doc_id}\ntitle: {doc_id}\nurl: https://www.cdc.gov/{doc_id}.html\npublisher: {publisher}\n"
        f"language: {language}\nlast_reviewed: {reviewed}\ntopics: {topics}\n---\n\n# {doc_id}\n\n{body}\n"
    )


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "en").mkdir(parents=True)
    (folder / "es").mkdir()
    docs = {
        "en/easy.md": _doc("easy", "CDC", "en", "2026-05-01", "[naloxone, overdose-response]", [EASY_EN]),
        "en/hard.md": _doc("hard", "SAMHSA", "en", "2025-06-01", "[treatment, naloxone]", [HARD_EN, EASY_EN]),
        "en/old.md": _doc("old", "CDC", "en", "2025-05-31", "[naloxone]", [EASY_EN + " " + HARD_EN]),
        "es/facil-es.md": _doc("facil-es", "CDC", "es", "2020-01-15", "[naloxone]", [EASY_ES]),
        "es/dificil-es.md": _doc("dificil-es", "SAMHSA", "es", "2026-01-01", "[treatment]", [HARD_ES]),
    }
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_counts_by_publisher_language_and_topic(tiny_corpus: Path) -> None:
    stats = gather_stats(tiny_corpus, 365, TODAY)
    assert stats.documents == 5
    assert stats.sections == 6
    assert dict(stats.by_publisher) == {"CDC": 3, "SAMHSA": 2}
    assert dict(stats.by_topic) == {"naloxone": 4, "treatment": 2, "overdose-response": 1}
    assert list(stats.by_topic) == ["naloxone", "treatment", "overdose-response"]
    by_lang = {s.language: s for s in stats.languages}
    assert (by_lang["en"].documents, by_lang["en"].sections) == (3, 4)
    assert (by_lang["es"].documents, by_lang["es"].sections) == (2, 2)
    # EASY_EN has 5 sentences, HARD_EN 1, EASY_ES 4, HARD_ES 1.
    assert by_lang["en"].sentences == 5 + (1 + 5) + (5 + 1)
    assert by_lang["es"].sentences == 4 + 1
    assert stats.sentences == 22


def test_median_reading_grade_per_language(tiny_corpus: Path) -> None:
    stats = gather_stats(tiny_corpus, 365, TODAY)
    by_lang = {s.language: s for s in stats.languages}
    en_grades = [
        reading_grade(EASY_EN, "en"),
        reading_grade(f"{HARD_EN} {EASY_EN}", "en"),
        reading_grade(f"{EASY_EN} {HARD_EN}", "en"),
    ]
    assert by_lang["en"].median_grade == pytest.approx(statistics.median(en_grades))
    assert by_lang["es"].median_grade == pytest.approx(
        (reading_grade(EASY_ES, "es") + reading_grade(HARD_ES, "es")) / 2
    )
    assert by_lang["es"].hardest == "dificil-es"
    assert "Flesch-Kincaid" in by_lang["en"].measure
    assert "Fernández Huerta" in by_lang["es"].measure


@pytest.mark.parametrize(("easy", "hard", "language"), [(EASY_EN, HARD_EN, "en"), (EASY_ES, HARD_ES, "es")])
def test_reading_level_follows_long_words_and_sentences(easy: str, hard: str, language: str) -> None:
    # English grade rises with difficulty; Spanish ease falls.
    if language == "en":
        assert reading_grade(easy, language) < reading_grade(hard, language)
    else:
        assert reading_grade(easy, language) > reading_grade(hard, language)


def test_english_grade_is_flesch_kincaid() -> None:
    # 6 words, 6 syllables, 1 sentence: 0.39 * 6 + 11.8 * 1 - 15.59 = -1.45
    assert reading_grade("The cat sat on the mat.", "en") == pytest.approx(-1.45, abs=0.01)


def test_spanish_is_fernandez_huerta_ease_not_the_english_measure() -> None:
    ease = reading_grade(HARD_ES, "es")
    # Fernández Huerta: 206.84 - 60 x syllables per word - 1.02 x words per sentence.
    assert 0 < ease < 120
    assert ease != pytest.approx(reading_grade(HARD_ES, "en"))


def test_reading_grade_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="no reading measure for language 'fr'"):
        reading_grade("Bonjour.", "fr")


def test_documents_past_the_review_age_are_due(tiny_corpus: Path) -> None:
    stats = gather_stats(tiny_corpus, 365, TODAY)
    assert [(d.doc_id, d.last_reviewed, d.age_days) for d in stats.due] == [
        ("facil-es", "2020-01-15", (TODAY - dt.date(2020, 1, 15)).days),
        ("old", "2025-05-31", 366),
    ]
    # "hard" is exactly 365 days old: due only after that.
    assert [d.doc_id for d in gather_stats(tiny_corpus, 364, TODAY).due] == ["facil-es", "old", "hard"]
    assert [d.doc_id for d in gather_stats(tiny_corpus, 3000, TODAY).due] == []


def test_missing_review_date_counts_as_due(tiny_corpus: Path) -> None:
    path = tiny_corpus / "en" / "easy.md"
    path.write_text(path.read_text().replace("last_reviewed: 2026-05-01\n", ""))
    due = gather_stats(tiny_corpus, 365, TODAY).due
    assert (due[0].doc_id, due[0].last_reviewed, due[0].age_days) == ("easy", "missing", None)


def test_unreadable_documents_are_listed_not_fatal(tiny_corpus: Path) -> None:
    (tiny_corpus / "en" / "broken.md").write_text("no front matter here\n")
    stats = gather_stats(tiny_corpus, 365, TODAY)
    assert stats.documents == 5
    assert len(stats.unreadable) == 1
    assert "broken.md:1: missing YAML front matter" in stats.unreadable[0]
    assert "Unreadable documents (1; run 'hrbot corpus check')" in format_stats(stats)


def test_bad_arguments_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        gather_stats(tmp_path / "nowhere", 365)
    with pytest.raises(ValueError, match="stale_days must be 0 or more, got -1"):
        gather_stats(tmp_path, -1)


def test_format_stats_names_measures_counts_and_due_documents(tiny_corpus: Path) -> None:
    text = format_stats(gather_stats(tiny_corpus, 365, TODAY))
    assert text.startswith("Corpus: 5 documents, 6 sections, 22 sentences")
    assert "  CDC         3" in text
    assert "Flesch-Kincaid grade (target grade 8 or below)" in text
    assert "Fernández Huerta ease (target ease 75 or above)" in text
    assert "naloxone 4, treatment 2, overdose-response 1" in text
    assert "Due for review (last_reviewed more than 365 days before 2026-06-01): 2" in text
    due_lines = [line for line in text.splitlines() if line.startswith("  facil-es") or line.startswith("  old ")]
    assert len(due_lines) == 2
    assert "366 days" in due_lines[1]


def test_cli_prints_stats_for_the_configured_corpus(tiny_corpus: Path) -> None:
    result = CliRunner().invoke(
        cli, ["corpus", "stats", "--stale-days", "100000"], env={"BOT_CORPUS_DIR": str(tiny_corpus)}
    )
    assert result.exit_code == 0, result.output
    assert "Corpus: 5 documents" in result.stdout
    assert "Due for review (last_reviewed more than 100000 days" in result.stdout
    assert result.stdout.rstrip().endswith(": 0")


def test_real_corpus_stats_cover_every_document() -> None:
    stats = gather_stats(ROOT / "corpus", 365)
    docs = load_corpus(ROOT / "corpus")
    assert stats.documents == len(corpus_files(ROOT / "corpus")) == len(docs)
    assert set(stats.by_publisher) <= {"CDC", "SAMHSA"}
    assert sum(stats.by_publisher.values()) == stats.documents
    assert {s.language for s in stats.languages} == {"en", "es"}
    assert sum(s.documents for s in stats.languages) == stats.documents
    assert all(s.median_grade is not None for s in stats.languages)
    assert stats.unreadable == ()
