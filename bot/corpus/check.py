"""Validate the corpus: required fields, allowed sources, unique ids, real sections, plain and respectful words."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.documents import REQUIRED_FIELDS, corpus_files, read_document
from bot.corpus.sources import PUBLISHERS, url_problem
from bot.errors import CorpusError
from bot.text import fold, split_sentences
from bot.vocab import LANGUAGES

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words that label people rather than describe a condition (CDC stigma-reduction guidance; SAMHSA
# "Words Matter"). "Clean" and "dirty" are flagged only where they describe people or tests.
STIGMA = re.compile(
    r"\b(?:addicts?|abusers?|junkies?|junkie|druggies?|crackheads?|dope ?fiends?|drogadict[oa]s?|adict[oa]s?|"
    r"viciosos?|tecatos?|(?:clean|dirty) (?:urine|test|drug test|screen|person|people)|"
    r"(?:is|are|stay|stays|staying|got|get|getting|been) (?:clean|dirty)\b|"
    r"drug abuse|substance abuse|abuso de (?:drogas|sustancias))(?![a-z])",
)
_STIGMA_ALLOWED_NAMES = ("substance abuse and mental health services administration",)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at one line."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def check_corpus(corpus_dir: Path) -> list[Problem]:
    """Every problem in the corpus; an empty list means it is clean."""
    problems: list[Problem] = []
    ids: dict[str, Path] = {}
    urls: dict[tuple[str, str], Path] = {}
    sentence_homes: dict[str, set[str]] = defaultdict(set)
    sentence_lines: dict[tuple[str, str], tuple[Path, int]] = {}
    try:
        paths = corpus_files(corpus_dir)
    except CorpusError as e:
        return [Problem(corpus_dir, 0, str(e))]
    if not paths:
        return [Problem(corpus_dir, 0, "the corpus holds no documents")]
    for path in paths:
        try:
            doc = read_document(path)
        except CorpusError as e:
            problems.append(Problem(path, 1, str(e).split(": ", 1)[-1]))
            continue
        meta, line_of = doc.meta, doc.meta_lines

        def add(field: str, reason: str, _path: Path = path, _lines: dict[str, int] = line_of) -> None:
            problems.append(Problem(_path, _lines.get(field, 1), reason))

        for name in REQUIRED_FIELDS:
            if meta.get(name) in (None, "", []):
                add(name, f"missing required field '{name}'")
        doc_id = str(meta.get("id") or "")
        if doc_id and not _ID.match(doc_id):
            add("id", f"id must be lowercase letters, digits and dashes, got {doc_id!r}")
        if doc_id in ids:
            add("id", f"duplicate id {doc_id!r} (also in {ids[doc_id]})")
        elif doc_id:
            ids[doc_id] = path
        if meta.get("url"):
            problem = url_problem(str(meta["url"]))
            if problem:
                add("url", f"url {problem}")
            key = (str(meta["url"]), str(meta.get("language")))
            if key in urls:
                add("url", f"another {key[1]} document already restates this page ({urls[key]})")
            urls[key] = path
        if meta.get("publisher") and meta["publisher"] not in PUBLISHERS:
            add("publisher", f"publisher must be CDC or SAMHSA, got {meta['publisher']!r}")
        if meta.get("language") and meta["language"] not in LANGUAGES:
            add("language", f"language must be en or es, got {meta['language']!r}")
        if meta.get("last_reviewed") and not isinstance(meta["last_reviewed"], dt.date):
            add("last_reviewed", f"last_reviewed must be a date YYYY-MM-DD, got {meta['last_reviewed']!r}")
        if meta.get("topics") and not isinstance(meta["topics"], list):
            add("topics", "topics must be a list, e.g. [naloxone, overdose-response]")
        if not doc.sections:
            problems.append(Problem(path, doc.body_line, "no '## ' sections: the body needs at least one"))
        for section in doc.sections:
            if not section.text.strip():
                problems.append(Problem(path, section.line, f"empty section '{section.heading}'"))
            lowered = section.text.lower()
            for name in _STIGMA_ALLOWED_NAMES:
                lowered = lowered.replace(name, "")
            for match in STIGMA.finditer(lowered):
                problems.append(
                    Problem(path, section.line, f"stigmatising wording {match.group(0)!r}: use person-first words")
                )
            for sentence in split_sentences(section.text):
                folded = " ".join(fold(sentence).split())
                if len(folded) > 40:
                    sentence_homes[folded].add(doc_id)
                    sentence_lines.setdefault((folded, doc_id), (path, section.line))
    for folded, homes in sentence_homes.items():
        if len(homes) > 1:
            for other in sorted(homes)[1:]:
                where, line = sentence_lines[(folded, other)]
                problems.append(Problem(where, line, f"sentence repeated from {sorted(homes)[0]}: {folded[:60]}..."))
    return problems
