"""Run an evaluation set (JSON Lines, format in the README) against a `Bot` and score it."""

from __future__ import annotations

import json
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.corpus.readability import MEASURES, reading_level
from bot.service import Bot, Reply
from bot.text import split_sentences, tokens, word_count
from bot.vocab import (
    CITATION,
    CITED_KINDS,
    DEFAULT_LANGUAGE,
    EXPECTED_KINDS,
    MAX_QUESTION_CHARS,
    URGENT_KINDS,
    question_fault,
)


@dataclass(frozen=True)
class Case:
    """One evaluation question and what a passing reply must show."""

    id: str
    lang: str
    question: str
    expect: str
    must_any: tuple[tuple[str, ...], ...]
    publishers: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """A case, the reply it got, and why it failed (empty when it passed)."""

    case: Case
    reply: Reply
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when nothing failed."""
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "id": self.case.id,
            "passed": self.passed,
            "expect": self.case.expect,
            "kind": self.reply.kind,
            "failures": list(self.failures),
            "answer": self.reply.answer,
            "card_id": self.reply.card or None,
        }


def load_cases(path: Path) -> list[Case]:
    """Read a JSON Lines evaluation file; raises ValueError naming the bad line."""
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            case = Case(
                str(row["id"]),
                str(row.get("lang", DEFAULT_LANGUAGE)),
                str(row["question"]),
                str(row["expect"]),
                tuple(tuple(str(s) for s in group) for group in row.get("must_any", [])),
                tuple(row.get("publishers", ["CDC", "SAMHSA"])),
            )
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{path}:{n}: not a valid case ({e})") from e
        # A case the service would refuse as input, or a misspelt kind, would fail every run without saying why.
        if question_fault(case.question):
            raise ValueError(f"{path}:{n}: question must be 1 to {MAX_QUESTION_CHARS} characters")
        if case.expect not in EXPECTED_KINDS:
            raise ValueError(f"{path}:{n}: expect must be one of {', '.join(EXPECTED_KINDS)}, got {case.expect!r}")
        cases.append(case)
    return cases


def score(case: Case, reply: Reply) -> tuple[str, ...]:
    """Why a reply fails a case, per the contract's rule; empty when it passes."""
    failures = []
    if reply.kind != case.expect:
        failures.append(f"kind {reply.kind}, expected {case.expect}")
    if case.expect in CITED_KINDS:
        text = reply.answer.lower()
        for group in case.must_any:
            if group and not any(s.lower() in text for s in group):
                failures.append(f"missing one of {list(group)}")
        for c in reply.citations:
            if c.source.publisher not in case.publishers:
                failures.append(f"citation from {c.source.publisher}")
    return tuple(failures)


def run_cases(bot: Bot, cases: list[Case]) -> list[Result]:
    """Answer every case (language detected, as a user would be) and score it."""
    return [Result(case, reply, score(case, reply)) for case in cases for reply in [bot.answer(case.question)]]


def confusion(results: list[Result]) -> str:
    """Expected kinds (rows) against the kinds the replies got (columns)."""
    expected = sorted({r.case.expect for r in results})
    got = sorted({r.reply.kind for r in results} | set(expected))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in results:
        counts[(r.case.expect, r.reply.kind)] += 1
    lines = ["expected \\ got".ljust(16) + "".join(f"{k[:12]:>13}" for k in got)]
    for e in expected:
        lines.append(f"{e:<16}" + "".join(f"{counts[(e, k)] or '.':>13}" for k in got))
    return "\n".join(lines)


def _missed_escalation(r: Result) -> bool:
    return r.case.expect in URGENT_KINDS and r.reply.kind not in URGENT_KINDS


def plain_lines(answer: str) -> list[str]:
    """An answer as a reader sees it: one line per sentence or list item, citation markers and bullets removed."""
    lines = []
    for line in answer.splitlines():
        text = " ".join(CITATION.sub("", line).replace(" .", ".").split()).removeprefix("- ")
        lines += [s for s in split_sentences(text) if s]
    return lines


def _ends_alike_run(lines: list[str], run: int = 3, words: int = 4) -> bool:
    ends = [tuple(tokens(line)[-words:]) for line in lines]
    return any(len(set(ends[i : i + run])) == 1 for i in range(len(ends) - run + 1))


def readability(results: list[Result]) -> str:
    """How the answers read: median reading level by language, card against composed answers, fragments (sentences
    under 4 words) and runs of three sentences that end alike."""
    by_lang: dict[str, list[float]] = defaultdict(list)
    cards = fragments = runs = answers = 0
    for r in results:
        if r.reply.kind != "answer":
            continue
        answers += 1
        cards += bool(r.reply.card)
        lines = plain_lines(r.reply.answer)
        fragments += sum(word_count(line) < 4 for line in lines)
        runs += _ends_alike_run(lines)
        if r.reply.language in MEASURES and lines:
            by_lang[r.reply.language].append(reading_level("\n".join(lines), r.reply.language))
    out = [f"answers: {answers} ({cards} from cards, {answers - cards} composed)"]
    for lang, values in sorted(by_lang.items()):
        m = MEASURES[lang]
        side = "<=" if not m.higher_is_easier else ">="
        out.append(
            f"  {lang}: median {m.name} {statistics.median(values):.1f} (target {side} {m.target:g}; n={len(values)})"
        )
    out.append(f"  sentences under 4 words: {fragments}; answers with 3 sentences in a row ending alike: {runs}")
    return "\n".join(out)


def sample_answers(results: list[Result], n: int, seed: int = 0) -> str:
    """`n` answers picked at random (fixed seed), in full, for a curator to read."""
    answered = [r for r in results if r.reply.kind == "answer"]
    picked = random.Random(seed).sample(answered, min(n, len(answered)))
    out = []
    for r in picked:
        out += [f"- {r.case.id} [{r.case.lang}] {r.case.question}", f"  card: {r.reply.card or '(composed)'}"]
        out += [f"  | {line}" for line in r.reply.answer.splitlines()]
    return "\n".join(out)


def format_report(results: list[Result], show: int = 30, sample: int = 0) -> str:
    """A table of pass rates by kind and language, the confusion matrix, then the failures, missed
    emergencies and crises first."""
    table: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for r in results:
        table[(r.case.expect, r.case.lang)].append(r.passed)
        table[(r.case.expect, "all")].append(r.passed)
        table[("all", "all")].append(r.passed)
    lines = [f"{'kind':<14}{'lang':<6}{'passed':>8}{'total':>7}{'rate':>8}"]
    for (kind, lang), marks in sorted(table.items(), key=lambda kv: (kv[0][0] == "all", kv[0])):
        lines.append(f"{kind:<14}{lang:<6}{sum(marks):>8}{len(marks):>7}{sum(marks) / len(marks):>8.1%}")
    lines += ["", confusion(results), "", readability(results)]
    failed = sorted((r for r in results if not r.passed), key=lambda r: not _missed_escalation(r))
    if failed:
        lines.append("")
        lines.append(f"failures ({len(failed)}):")
        for r in failed[:show]:
            flag = "MISSED ESCALATION " if _missed_escalation(r) else ""
            lines.append(f"- {flag}{r.case.id} [{r.case.lang}] {r.case.question}")
            lines.append(f"    {'; '.join(r.failures)}")
            lines.append(f"    got: {r.reply.answer[:200]}")
        if len(failed) > show:
            lines.append(f"... and {len(failed) - show} more")
    if sample:
        lines += ["", f"sample of answers ({sample}):", sample_answers(results, sample)]
    return "\n".join(lines)
