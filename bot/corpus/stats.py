"""Describe the corpus for curators: what it holds, how hard it reads, and which documents are due for review."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.documents import Document, corpus_files, read_document
from bot.corpus.readability import MEASURES, reading_level
from bot.errors import CorpusError
from bot.text import split_sentences

# Flesch-Kincaid grade in English and Fernández Huerta ease in Spanish, from `bot.corpus.readability`, the one
# place every reading figure comes from (the answer cards are held to the same measures).
TARGET = {"en": "grade 8 or below", "es": "ease 75 or above"}


@dataclass(frozen=True)
class LanguageStats:
    """Counts and reading level for the documents in one language."""

    language: str
    documents: int
    sections: int
    sentences: int
    median_grade: float | None
    hardest: str
    hardest_grade: float | None
    measure: str


@dataclass(frozen=True)
class DueDocument:
    """A document whose last review is older than the review age, or whose review date is missing."""

    doc_id: str
    path: Path
    last_reviewed: str
    age_days: int | None


@dataclass(frozen=True)
class CorpusStats:
    """Everything `hrbot corpus stats` prints."""

    corpus_dir: Path
    today: dt.date
    stale_days: int
    documents: int
    sections: int
    sentences: int
    by_publisher: Mapping[str, int]
    by_topic: Mapping[str, int]
    languages: tuple[LanguageStats, ...]
    due: tuple[DueDocument, ...]
    unreadable: tuple[str, ...]


def reading_grade(text: str, language: str) -> float:
    """The reading figure of `text` for `language` (`en`: grade, lower is easier; `es`: ease, higher is easier)."""
    return reading_level(text, language)


def _due(doc: Document, today: dt.date, stale_days: int) -> DueDocument | None:
    reviewed = doc.meta.get("last_reviewed")
    if isinstance(reviewed, dt.datetime):
        reviewed = reviewed.date()
    if not isinstance(reviewed, dt.date):
        return DueDocument(doc.id, doc.path, str(reviewed or "missing"), None)
    age = (today - reviewed).days
    return DueDocument(doc.id, doc.path, reviewed.isoformat(), age) if age > stale_days else None


def gather_stats(corpus_dir: Path, stale_days: int = 365, today: dt.date | None = None) -> CorpusStats:
    """Count the corpus by publisher, language and topic, measure its reading grade and find documents due for review.

    Args:
        corpus_dir: The corpus folder (`corpus/`).
        stale_days: A document is due when its `last_reviewed` date is more than this many days old.
        today: The date to measure review ages from (default: today).

    Returns:
        The figures; documents that cannot be read are listed in `unreadable` instead of stopping the count.

    Raises:
        CorpusError: When the corpus folder does not exist.
        ValueError: When `stale_days` is negative.
    """
    if stale_days < 0:
        raise ValueError(f"stale_days must be 0 or more, got {stale_days}")
    today = today or dt.date.today()
    docs, unreadable = _readable(corpus_dir)
    publishers: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    per_language: dict[str, list[Document]] = {}
    due: list[DueDocument] = []
    for doc in docs:
        publishers[str(doc.meta.get("publisher") or "(none)")] += 1
        raw_topics = doc.meta.get("topics")
        if isinstance(raw_topics, list):
            topics.update(str(t) for t in raw_topics if t)
        per_language.setdefault(doc.language or "(none)", []).append(doc)
        item = _due(doc, today, stale_days)
        if item is not None:
            due.append(item)
    languages = tuple(_language_stats(lang, per_language[lang]) for lang in sorted(per_language))
    due.sort(key=lambda d: (d.age_days is not None, -(d.age_days or 0), d.doc_id))
    return CorpusStats(
        corpus_dir=corpus_dir,
        today=today,
        stale_days=stale_days,
        documents=len(docs),
        sections=sum(len(d.sections) for d in docs),
        sentences=sum(s.sentences for s in languages),
        by_publisher=dict(publishers.most_common()),
        by_topic=dict(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))),
        languages=languages,
        due=tuple(due),
        unreadable=tuple(unreadable),
    )


def _readable(corpus_dir: Path) -> tuple[list[Document], list[str]]:
    """The documents that can be read, and why the others cannot."""
    docs: list[Document] = []
    unreadable: list[str] = []
    for path in corpus_files(corpus_dir):
        try:
            docs.append(read_document(path))
        except CorpusError as e:
            unreadable.append(str(e))
    return docs, unreadable


def _language_stats(language: str, docs: list[Document]) -> LanguageStats:
    sentences = sum(len(split_sentences(s.text)) for d in docs for s in d.sections)
    grades: dict[str, float] = {}
    if language in MEASURES:
        for doc in docs:
            text = " ".join(s.text for s in doc.sections)
            if text.strip():
                grades[doc.id] = reading_grade(text, language)
    pick = min if language in MEASURES and MEASURES[language].higher_is_easier else max
    hardest = pick(grades, key=lambda k: grades[k]) if grades else ""
    return LanguageStats(
        language=language,
        documents=len(docs),
        sections=sum(len(d.sections) for d in docs),
        sentences=sentences,
        median_grade=statistics.median(grades.values()) if grades else None,
        hardest=hardest,
        hardest_grade=grades.get(hardest),
        measure=f"{MEASURES[language].name} (target {TARGET[language]})" if language in MEASURES else "no measure",
    )


def _grade(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _wrap_items(items: list[str], width: int) -> list[str]:
    # Wrap between items only, so a topic and its count ("opioid-use-disorder 1") stay on one line.
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}, {item}" if current else f"  {item}"
        if current and len(candidate) > width:
            lines.append(current + ",")
            candidate = f"  {item}"
        current = candidate
    return [*lines, current] if current else lines


def format_stats(stats: CorpusStats) -> str:
    """The stats as the plain-text report `hrbot corpus stats` prints."""
    lines = [
        f"Corpus: {stats.documents} documents, {stats.sections} sections, {stats.sentences} sentences",
        "",
        "Documents by publisher:",
        *(f"  {name:<8} {count:>4}" for name, count in stats.by_publisher.items()),
        "",
        "By language:     documents  sections  sentences  median level  hardest document",
    ]
    for lang in stats.languages:
        hardest = f"{lang.hardest} ({_grade(lang.hardest_grade)})" if lang.hardest else "-"
        lines.append(
            f"  {lang.language:<14} {lang.documents:>9} {lang.sections:>9} {lang.sentences:>10} "
            f"{_grade(lang.median_grade):>13}  {hardest}"
        )
    lines += ["", "Reading level (per document, median per language):"]
    lines += [f"  {lang.language}: {lang.measure}" for lang in stats.languages]
    lines += ["", f"Documents by topic ({len(stats.by_topic)} topics):"]
    lines += _wrap_items([f"{name} {count}" for name, count in stats.by_topic.items()] or ["none"], width=110)
    lines += [
        "",
        f"Due for review (last_reviewed more than {stats.stale_days} days before {stats.today.isoformat()}): "
        f"{len(stats.due)}",
    ]
    for item in stats.due:
        age = "no valid date" if item.age_days is None else f"{item.age_days} days"
        lines.append(f"  {item.doc_id or item.path.name:<40} {item.last_reviewed:<12} {age}  {item.path}")
    if stats.unreadable:
        lines += ["", f"Unreadable documents ({len(stats.unreadable)}; run 'hrbot corpus check'):"]
        lines += [f"  {message}" for message in stats.unreadable]
    return "\n".join(lines)
