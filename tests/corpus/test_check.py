"""`hrbot corpus check`: every rule reports `file:line: reason` and the CLI exits 1; the real corpus is clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import ROOT
from bot.corpus.check import check_corpus
from bot.corpus.documents import REQUIRED_FIELDS
from bot.corpus.problems import Problem

FRONT = {
    "id": "naloxone-basics",
    "title": "Lifesaving Naloxone",
    "url": "https://www.cdc.gov/stop-overdose/caring/naloxone.html",
    "publisher": "CDC",
    "language": "en",
    "last_reviewed": "2025-03-01",
    "topics": "[naloxone, overdose-response]",
}
BODY = """
# Lifesaving Naloxone

## What naloxone does
Naloxone is a medicine that can reverse an opioid overdose within minutes of being given.
Naloxone is safe to give to anyone who might be overdosing on opioids.

## Who should carry naloxone
Anyone who uses opioids or knows someone who uses opioids should carry naloxone at all times.
"""
OTHER_FRONT = FRONT | {
    "id": "fentanyl-facts",
    "title": "Fentanyl Facts",
    "url": "https://www.cdc.gov/stop-overdose/caring/fentanyl-facts.html",
}
OTHER_BODY = """
# Fentanyl Facts

## How strong fentanyl is
Fentanyl is a synthetic opioid that is up to fifty times stronger than heroin in the United States.
"""


def _document(front: dict[str, str], body: str) -> str:
    fields = [f"{key}: {value}" for key, value in front.items()]
    return "\n".join(["---", *fields, "---", body])


def _corpus(tmp_path: Path, *docs: tuple[str, dict[str, str], str]) -> Path:
    folder = tmp_path / "corpus"
    for name, front, body in docs:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_document(front, body), encoding="utf-8")
    return folder


def _base(tmp_path: Path, front: dict[str, str] | None = None, body: str = BODY) -> Path:
    return _corpus(
        tmp_path,
        ("en/naloxone-basics.md", FRONT if front is None else front, body),
        ("en/fentanyl-facts.md", OTHER_FRONT, OTHER_BODY),
    )


def _check(folder: Path) -> list[tuple[str, int, str]]:
    return [(p.path.name, p.line, p.reason) for p in check_corpus(folder)]


def _run_check(folder: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["corpus", "check"], env={"BOT_CORPUS_DIR": str(folder)})
    return result.exit_code, result.stdout, result.stderr


def test_a_clean_corpus_has_no_problems(tmp_path: Path) -> None:
    folder = _base(tmp_path)
    assert check_corpus(folder) == []
    code, out, _ = _run_check(folder)
    assert (code, out) == (0, "corpus OK\n")


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_missing_field_is_reported_on_its_line(tmp_path: Path, field: str) -> None:
    front = {k: v for k, v in FRONT.items() if k != field}
    problems = _check(_base(tmp_path, front))
    assert ("naloxone-basics.md", 1, f"missing required field '{field}'") in problems


@pytest.mark.parametrize("field", ["title", "topics"])
def test_empty_field_is_reported_on_its_line(tmp_path: Path, field: str) -> None:
    front = FRONT | {field: "[]" if field == "topics" else '""'}
    line = list(FRONT).index(field) + 2
    assert _check(_base(tmp_path, front)) == [("naloxone-basics.md", line, f"missing required field '{field}'")]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.com/naloxone", "url host example.com is not one of"),
        ("https://cdc.gov.example.com/naloxone", "url host cdc.gov.example.com is not one of"),
        ("https://notcdc.gov/naloxone", "url host notcdc.gov is not one of"),
        ("https://www.nih.gov/naloxone", "url host www.nih.gov is not one of"),
        ("http://www.cdc.gov/naloxone", "url must be an https:// address"),
        ("www.cdc.gov/naloxone", "url must be an https:// address"),
    ],
)
def test_bad_url_is_rejected(tmp_path: Path, url: str, reason: str) -> None:
    problems = _check(_base(tmp_path, FRONT | {"url": url}))
    assert len(problems) == 1
    name, line, message = problems[0]
    assert (name, line) == ("naloxone-basics.md", 4)
    assert message.startswith(reason)


@pytest.mark.parametrize(
    "url",
    [
        "https://cdc.gov/naloxone",
        "https://stacks.cdc.gov/view/cdc/12345",
        "https://store.samhsa.gov/product/naloxone",
        "https://findtreatment.gov/",
        "https://988lifeline.org/talk-to-someone-now/",
    ],
)
def test_allowed_domains_and_subdomains_pass(tmp_path: Path, url: str) -> None:
    assert _check(_base(tmp_path, FRONT | {"url": url})) == []


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("publisher", "NIH", "publisher must be CDC or SAMHSA, got 'NIH'"),
        ("publisher", "cdc", "publisher must be CDC or SAMHSA, got 'cdc'"),
        ("id", "Naloxone_Basics", "id must be lowercase letters, digits and dashes, got 'Naloxone_Basics'"),
        ("language", "fr", "language must be en or es, got 'fr'"),
        ("last_reviewed", "last week", "last_reviewed must be a date YYYY-MM-DD, got 'last week'"),
        ("topics", "naloxone", "topics must be a list, e.g. [naloxone, overdose-response]"),
    ],
)
def test_bad_field_value_is_reported_on_its_line(tmp_path: Path, field: str, value: str, reason: str) -> None:
    line = list(FRONT).index(field) + 2
    assert _check(_base(tmp_path, FRONT | {field: value})) == [("naloxone-basics.md", line, reason)]


def test_duplicate_id_names_the_other_file(tmp_path: Path) -> None:
    folder = _base(tmp_path, body=BODY)
    (folder / "es").mkdir()
    (folder / "es" / "copy.md").write_text(
        _document(
            FRONT | {"language": "es", "url": "https://www.cdc.gov/spanish/naloxona.html"},
            "\n# Naloxona\n\n## Qué hace la naloxona\nLa naloxona puede revertir una sobredosis de opioides.\n",
        )
    )
    problems = check_corpus(folder)
    assert [(p.path.name, p.line) for p in problems] == [("copy.md", 2)]
    assert problems[0].reason == f"duplicate id 'naloxone-basics' (also in {folder / 'en' / 'naloxone-basics.md'})"


def test_same_page_twice_in_one_language_is_reported(tmp_path: Path) -> None:
    front = OTHER_FRONT | {"url": FRONT["url"]}
    folder = _corpus(tmp_path, ("en/a.md", FRONT, BODY), ("en/b.md", front, OTHER_BODY))
    assert _check(folder) == [("b.md", 4, f"another en document already restates this page ({folder / 'en' / 'a.md'})")]


def test_empty_section_is_reported_at_its_heading(tmp_path: Path) -> None:
    body = BODY + "\n## Where to get naloxone\n\n"
    assert _check(_base(tmp_path, body=body)) == [("naloxone-basics.md", 20, "empty section 'Where to get naloxone'")]


def test_document_without_sections_is_reported(tmp_path: Path) -> None:
    body = "\n# Lifesaving Naloxone\n\nNaloxone is a medicine that can reverse an opioid overdose.\n"
    assert _check(_base(tmp_path, body=body)) == [
        ("naloxone-basics.md", 10, "no '## ' sections: the body needs at least one")
    ]


def test_unreadable_front_matter_is_reported_at_line_one(tmp_path: Path) -> None:
    folder = _base(tmp_path)
    (folder / "en" / "broken.md").write_text("# Just a title\n\n## A\nText here.\n")
    assert _check(folder) == [("broken.md", 1, "missing YAML front matter (the file must start with ---)")]


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("An addict can use naloxone.", "addict"),
        ("Naloxone helps addicts too.", "addicts"),
        ("Drug abusers can carry naloxone.", "abusers"),
        ("No one is a junkie.", "junkie"),
        ("A clean urine test is not needed.", "clean urine"),
        ("A dirty drug test does not stop treatment.", "dirty drug test"),
        ("People who stay clean still need naloxone.", "stay clean"),
        ("Drug abuse is an old term.", "drug abuse"),
        ("Substance abuse treatment helps.", "substance abuse"),
        ("Los adictos pueden usar naloxona.", "adictos"),
        ("El abuso de drogas es un término viejo.", "abuso de drogas"),
    ],
)
def test_stigmatising_wording_is_flagged(tmp_path: Path, sentence: str, word: str) -> None:
    body = BODY.replace("Naloxone is safe to give", f"{sentence} Naloxone is safe to give")
    assert _check(_base(tmp_path, body=body)) == [
        ("naloxone-basics.md", 13, f"stigmatising wording {word.lower()!r}: use person-first words")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The Substance Abuse and Mental Health Services Administration runs the helpline.",
        "Addiction is a disease that can be treated.",
        "Naloxone is not addictive.",
        "Put the drug in a clean, dry container.",
        "Clean hands before giving naloxone.",
    ],
)
def test_respectful_wording_passes(tmp_path: Path, sentence: str) -> None:
    body = BODY.replace("Naloxone is safe to give", f"{sentence} Naloxone is safe to give")
    assert _check(_base(tmp_path, body=body)) == []


def test_sentence_repeated_across_documents_is_flagged_once(tmp_path: Path) -> None:
    shared = "Naloxone is safe to give to anyone who might be overdosing on opioids."
    body = OTHER_BODY + f"\n## Naloxone and fentanyl\nFentanyl overdoses can be reversed by naloxone. {shared}\n"
    folder = _corpus(tmp_path, ("en/naloxone-basics.md", FRONT, BODY), ("en/fentanyl-facts.md", OTHER_FRONT, body))
    problems = _check(folder)
    assert len(problems) == 1
    name, line, reason = problems[0]
    assert (name, line) == ("naloxone-basics.md", 13)
    assert reason.startswith("sentence repeated from fentanyl-facts: naloxone is safe to give")


def test_short_sentences_may_repeat(tmp_path: Path) -> None:
    body = OTHER_BODY.replace("in the United States.", "in the United States. Call 911 right away.")
    folder = _corpus(
        tmp_path,
        ("en/naloxone-basics.md", FRONT, BODY.replace("at all times.", "at all times. Call 911 right away.")),
        ("en/fentanyl-facts.md", OTHER_FRONT, body),
    )
    assert _check(folder) == []


def test_cli_prints_file_line_reason_and_exits_1(tmp_path: Path) -> None:
    front = FRONT | {"publisher": "NIH", "url": "https://example.com/x"}
    body = BODY.replace("Naloxone is safe", "An addict can use naloxone. Naloxone is safe") + "\n## Empty\n"
    folder = _base(tmp_path, front, body)
    code, out, err = _run_check(folder)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 4
    path = re.escape(str(folder / "en" / "naloxone-basics.md"))
    for line in lines:
        assert re.fullmatch(rf"{path}:\d+: .+", line), line
    assert f"{folder / 'en' / 'naloxone-basics.md'}:4: url host example.com" in out
    assert f"{folder / 'en' / 'naloxone-basics.md'}:5: publisher must be CDC or SAMHSA" in out
    assert f"{folder / 'en' / 'naloxone-basics.md'}:13: stigmatising wording 'addict'" in out
    assert f"{folder / 'en' / 'naloxone-basics.md'}:20: empty section 'Empty'" in out
    assert err.strip() == "4 problem(s)"
    assert "corpus OK" not in out


def test_cli_reports_a_missing_corpus_folder(tmp_path: Path) -> None:
    code, out, _ = _run_check(tmp_path / "nowhere")
    assert code == 1
    assert "does not exist" in out


def test_problem_prints_as_file_line_reason() -> None:
    assert str(Problem(Path("corpus/en/a.md"), 7, "empty section 'A'")) == "corpus/en/a.md:7: empty section 'A'"


def test_real_corpus_is_clean() -> None:
    assert [str(p) for p in check_corpus(ROOT / "corpus")] == []
    code, out, _ = _run_check(ROOT / "corpus")
    assert (code, out) == (0, "corpus OK\n")
