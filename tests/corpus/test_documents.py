"""Reading corpus documents, cutting them into passages, splitting sentences and keeping passage ids stable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import ROOT
from bot.corpus.documents import MAX_PASSAGE_WORDS, chunk, corpus_files, load_corpus, read_document, source_of
from bot.errors import CorpusError
from bot.text import split_sentences, word_count

DOC = """---
id: naloxone-test
title: Lifesaving Naloxone
url: https://www.cdc.gov/stop-overdose/caring/naloxone.html
publisher: CDC
language: en
last_reviewed: 2025-03-01
topics: [naloxone, overdose-response]
---

# Lifesaving Naloxone

## What naloxone does
Naloxone is a medicine that can reverse an opioid overdose. Naloxone works within minutes.
Naloxone is safe to give to anyone who might be overdosing.

## Signs of an overdose
- A person who is overdosing may have very small pupils.
* A person who is overdosing may not wake up.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _sentences(n: int, words: int = 10) -> str:
    return " ".join(f"Naloxone fact number {i} " + " ".join(["word"] * (words - 5)) + " here." for i in range(n))


def test_read_document_parses_front_matter_title_and_sections(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "en/naloxone-test.md", DOC))
    assert doc.id == "naloxone-test"
    assert doc.language == "en"
    assert doc.last_reviewed == "2025-03-01"
    assert doc.meta["topics"] == ["naloxone", "overdose-response"]
    assert doc.meta_lines["url"] == 4
    assert doc.title_line == "Lifesaving Naloxone"
    assert [s.heading for s in doc.sections] == ["What naloxone does", "Signs of an overdose"]
    assert [s.line for s in doc.sections] == [13, 17]
    assert doc.sections[0].text.startswith("Naloxone is a medicine")
    assert "  " not in doc.sections[0].text
    # Bullet markers are dropped, so each bullet reads as a sentence.
    assert doc.sections[1].text == (
        "A person who is overdosing may have very small pupils. A person who is overdosing may not wake up."
    )


def test_source_of_gives_the_citation(tmp_path: Path) -> None:
    source = source_of(read_document(_write(tmp_path, "a.md", DOC)))
    assert (source.title, source.publisher, source.url) == (
        "Lifesaving Naloxone",
        "CDC",
        "https://www.cdc.gov/stop-overdose/caring/naloxone.html",
    )
    assert source.last_reviewed == "2025-03-01"
    assert source.language == "en"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# No front matter\n\n## A\nText.\n", ":1: missing YAML front matter"),
        ("---\nid: a\n\n## A\nText.\n", ":1: front matter is not closed"),
        ("---\nid: [a\n---\n## A\nText.\n", ":2: front matter is not valid YAML"),
        ("---\n- a\n- b\n---\n## A\nText.\n", ":2: front matter must be a mapping"),
    ],
)
def test_read_document_rejects_bad_front_matter(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "bad.md", text)
    with pytest.raises(CorpusError) as e:
        read_document(path)
    assert str(e.value).startswith(str(path))
    assert message in str(e.value)


def test_corpus_files_skip_readme_and_sort(tmp_path: Path) -> None:
    _write(tmp_path, "README.md", "# The corpus\n")
    _write(tmp_path, "es/b-es.md", DOC)
    _write(tmp_path, "en/a.md", DOC)
    assert [p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)] == ["en/a.md", "es/b-es.md"]


def test_load_corpus_fails_loudly_for_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="holds no documents"):
        load_corpus(tmp_path)


def test_real_corpus_sections_are_40_to_150_words_and_each_is_one_passage() -> None:
    docs = load_corpus(ROOT / "corpus")
    assert len(docs) == len(corpus_files(ROOT / "corpus"))
    for doc in docs:
        passages = chunk(doc)
        assert len(passages) == len(doc.sections), doc.id
        for section, passage in zip(doc.sections, passages, strict=True):
            words = word_count(section.text)
            assert 40 <= words <= MAX_PASSAGE_WORDS, f"{doc.path}:{section.line}: {words} words"
            assert passage.heading == section.heading
            assert " ".join(passage.sentences) == section.text


def test_chunk_splits_a_long_section_on_sentence_boundaries(tmp_path: Path) -> None:
    long_text = _sentences(40)  # 400 words
    doc = read_document(_write(tmp_path, "long.md", DOC.replace("Naloxone works within minutes.", long_text)))
    passages = [p for p in chunk(doc) if p.heading == "What naloxone does"]
    assert len(passages) == 3
    for passage in passages:
        assert word_count(" ".join(passage.sentences)) <= MAX_PASSAGE_WORDS
        assert all(s.endswith(".") for s in passage.sentences)
    rejoined = [s for p in passages for s in p.sentences]
    assert rejoined == split_sentences(doc.sections[0].text)
    assert len({p.id for p in passages}) == 3
    assert all(p.topics == ("naloxone", "overdose-response") and p.language == "en" for p in passages)


def test_chunk_keeps_a_single_overlong_sentence_whole(tmp_path: Path) -> None:
    sentence = "Naloxone " + " ".join(["works"] * 200) + "."
    doc = read_document(_write(tmp_path, "one.md", DOC.replace("Naloxone works within minutes.", sentence)))
    first = chunk(doc)[:3]
    assert any(p.sentences == (sentence,) for p in first)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Naloxone works. Naloxone is safe.", ["Naloxone works.", "Naloxone is safe."]),
        (
            "Overdose deaths fell in the U.S. in 2024. Fentanyl is still the main cause.",
            ["Overdose deaths fell in the U.S. in 2024.", "Fentanyl is still the main cause."],
        ),
        (
            "Las muertes bajaron en EE. UU. en 2024. La naloxona salva vidas.",
            ["Las muertes bajaron en EE. UU. en 2024.", "La naloxona salva vidas."],
        ),
        (
            "¿Qué es la naloxona? ¡Llame al 911! La naloxona es un medicamento.",
            ["¿Qué es la naloxona?", "¡Llame al 911!", "La naloxona es un medicamento."],
        ),
        (
            "Call 911 now! 988 is the Suicide and Crisis Lifeline.",
            ["Call 911 now!", "988 is the Suicide and Crisis Lifeline."],
        ),
        (
            "Use a test strip, e.g. one from a health department. Read it after 5 minutes.",
            ["Use a test strip, e.g. one from a health department.", "Read it after 5 minutes."],
        ),
        ("Naloxone\n  works   fast.", ["Naloxone works fast."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_passage_ids_are_stable_across_reads_paths_and_whitespace(tmp_path: Path) -> None:
    first = [p.id for p in chunk(read_document(_write(tmp_path, "a/naloxone.md", DOC)))]
    again = [p.id for p in chunk(read_document(_write(tmp_path, "b/renamed.md", DOC)))]
    spaced = DOC.replace("Naloxone works within minutes.", "Naloxone   works within\nminutes.")
    respaced = [p.id for p in chunk(read_document(_write(tmp_path, "c/naloxone.md", spaced)))]
    assert first == again == respaced
    assert len(set(first)) == len(first)
    assert all(len(pid) == 16 and int(pid, 16) >= 0 for pid in first)


def test_passage_id_changes_only_where_the_text_changes(tmp_path: Path) -> None:
    base = [p.id for p in chunk(read_document(_write(tmp_path, "a.md", DOC)))]
    edited = DOC.replace("Naloxone works within minutes.", "Naloxone works within two to three minutes.")
    changed = [p.id for p in chunk(read_document(_write(tmp_path, "b.md", edited)))]
    assert changed[0] != base[0]
    assert changed[1] == base[1]
    reheaded = DOC.replace("## Signs of an overdose", "## Signs of an opioid overdose")
    assert [p.id for p in chunk(read_document(_write(tmp_path, "c.md", reheaded)))][1] != base[1]
    other_doc = DOC.replace("id: naloxone-test", "id: naloxone-other")
    assert not set(base) & {p.id for p in chunk(read_document(_write(tmp_path, "d.md", other_doc)))}


def test_last_reviewed_property_accepts_a_date(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "a.md", DOC))
    assert doc.meta["last_reviewed"] == dt.date(2025, 3, 1)
