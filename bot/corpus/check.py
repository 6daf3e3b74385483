"""Validate the corpus: required fields, allowed sources, unique ids, real sections, plain and respectful words,
no sentence fragment and no known-dangerous phrasing; then the answer cards (`bot/corpus/cardcheck.py`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

from bot.corpus.answercards import card_files, read_card_file
from bot.corpus.cardcheck import MIN_WORDS, Embed, check_cards
from bot.corpus.danger import danger
from bot.corpus.documents import REQUIRED_FIELDS, Document, corpus_files, read_document
from bot.corpus.problems import Problem
from bot.corpus.sources import PUBLISHERS, url_problem
from bot.errors import CorpusError
from bot.text import fold, split_sentences, word_count
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


def check_corpus(corpus_dir: Path, embed: Embed | None = None) -> list[Problem]:
    """Every problem in the documents and cards; an empty list means they are clean.

    Args:
        corpus_dir: the corpus folder.
        embed: texts to unit vectors, for the check that each card sentence is supported by what it cites.
    """
    try:
        paths = corpus_files(corpus_dir)
    except CorpusError as e:
        return [Problem(corpus_dir, 0, str(e))]
    if not paths:
        return [Problem(corpus_dir, 0, "the corpus holds no documents")]
    checker = _Checker()
    documents = []
    for path in paths:
        try:
            doc = read_document(path)
        except CorpusError as e:
            checker.problems.append(Problem(path, 1, str(e).split(": ", 1)[-1]))
            continue
        documents.append(doc)
        checker.fields(doc)
        checker.sections(doc)
    checker.repeats()
    cards = []
    for path in card_files(corpus_dir):
        try:
            cards += read_card_file(path)
        except CorpusError as e:
            checker.problems.append(_located(path, str(e)))
    return checker.problems + check_cards(cards, documents, embed)


def _located(path: Path, message: str) -> Problem:
    # CorpusError messages start "path:line: reason" or "path: reason".
    rest = message[len(str(path)) :] if message.startswith(str(path)) else f": {message}"
    line, _, reason = rest.lstrip(":").partition(": ")
    return Problem(path, int(line) if line.isdigit() else 1, reason if line.isdigit() else rest.lstrip(": "))


class _Checker:
    """The problems found so far, and what later documents are compared with (ids, pages, sentences)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._ids: dict[str, Path] = {}
        self._urls: dict[tuple[str, str], Path] = {}
        self._sentence_homes: dict[str, set[str]] = defaultdict(set)
        self._sentence_lines: dict[tuple[str, str], tuple[Path, int]] = {}

    def _add(self, doc: Document, field: str, reason: str) -> None:
        self.problems.append(Problem(doc.path, doc.meta_lines.get(field, 1), reason))

    def fields(self, doc: Document) -> None:
        """The front matter: required fields, the id, the page, the publisher, the language, dates and topics."""
        meta = doc.meta
        for name in REQUIRED_FIELDS:
            if meta.get(name) in (None, "", []):
                self._add(doc, name, f"missing required field '{name}'")
        self._identity(doc)
        if meta.get("publisher") and meta["publisher"] not in PUBLISHERS:
            self._add(doc, "publisher", f"publisher must be CDC or SAMHSA, got {meta['publisher']!r}")
        if meta.get("language") and meta["language"] not in LANGUAGES:
            self._add(doc, "language", f"language must be en or es, got {meta['language']!r}")
        if meta.get("last_reviewed") and not isinstance(meta["last_reviewed"], dt.date):
            self._add(doc, "last_reviewed", f"last_reviewed must be a date YYYY-MM-DD, got {meta['last_reviewed']!r}")
        if meta.get("topics") and not isinstance(meta["topics"], list):
            self._add(doc, "topics", "topics must be a list, e.g. [naloxone, overdose-response]")

    def _identity(self, doc: Document) -> None:
        meta, doc_id = doc.meta, str(doc.meta.get("id") or "")
        if doc_id and not _ID.match(doc_id):
            self._add(doc, "id", f"id must be lowercase letters, digits and dashes, got {doc_id!r}")
        if doc_id in self._ids:
            self._add(doc, "id", f"duplicate id {doc_id!r} (also in {self._ids[doc_id]})")
        elif doc_id:
            self._ids[doc_id] = doc.path
        if meta.get("url"):
            problem = url_problem(str(meta["url"]))
            if problem:
                self._add(doc, "url", f"url {problem}")
            key = (str(meta["url"]), str(meta.get("language")))
            if key in self._urls:
                self._add(doc, "url", f"another {key[1]} document already restates this page ({self._urls[key]})")
            self._urls[key] = doc.path

    def sections(self, doc: Document) -> None:
        """The body: real sections, person-first words, and its sentences for the repeat check."""
        doc_id = str(doc.meta.get("id") or "")
        if not doc.sections:
            self.problems.append(Problem(doc.path, doc.body_line, "no '## ' sections: the body needs at least one"))
        for section in doc.sections:
            if not section.text.strip():
                self.problems.append(Problem(doc.path, section.line, f"empty section '{section.heading}'"))
            lowered = section.text.lower()
            for name in _STIGMA_ALLOWED_NAMES:
                lowered = lowered.replace(name, "")
            for match in STIGMA.finditer(lowered):
                reason = f"stigmatising wording {match.group(0)!r}: use person-first words"
                self.problems.append(Problem(doc.path, section.line, reason))
            for sentence in split_sentences(section.text):
                self._sentence(doc, section.line, sentence)
                folded = " ".join(fold(sentence).split())
                if len(folded) > 40:
                    self._sentence_homes[folded].add(doc_id)
                    self._sentence_lines.setdefault((folded, doc_id), (doc.path, section.line))

    def _sentence(self, doc: Document, line: int, sentence: str) -> None:
        if word_count(sentence) < MIN_WORDS:
            self.problems.append(Problem(doc.path, line, f"sentence under {MIN_WORDS} words: {sentence!r}"))
        reason = danger(sentence)
        if reason:
            self.problems.append(Problem(doc.path, line, f"dangerous phrasing {sentence[:80]!r}: {reason}"))

    def repeats(self) -> None:
        """Sentences that more than one document says word for word."""
        for folded, homes in self._sentence_homes.items():
            if len(homes) > 1:
                first, *others = sorted(homes)
                for other in others:
                    where, line = self._sentence_lines[(folded, other)]
                    self.problems.append(Problem(where, line, f"sentence repeated from {first}: {folded[:60]}..."))
