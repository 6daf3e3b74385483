"""Read the curated corpus: Markdown documents with YAML front matter, cut into passages and sentences."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.corpus.answercards import AnswerCard, card_files, read_card_file
from bot.errors import CorpusError
from bot.text import split_sentences, word_count

REQUIRED_FIELDS = ("id", "title", "url", "publisher", "language", "last_reviewed", "topics")
MAX_PASSAGE_WORDS = 150


@dataclass(frozen=True)
class Section:
    """A `##` section of a document: the unit that becomes a passage."""

    heading: str
    text: str
    line: int


@dataclass(frozen=True)
class Document:
    """One corpus file: the restatement of one CDC or SAMHSA page."""

    path: Path
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    title_line: str
    sections: tuple[Section, ...]
    body_line: int

    @property
    def id(self) -> str:
        """The document's id from its front matter."""
        return str(self.meta.get("id", ""))

    @property
    def language(self) -> str:
        """`en` or `es`."""
        return str(self.meta.get("language", ""))

    @property
    def last_reviewed(self) -> str:
        """The review date as `YYYY-MM-DD`."""
        value = self.meta.get("last_reviewed", "")
        return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass(frozen=True)
class Source:
    """What a citation shows: the page behind a document."""

    doc_id: str
    title: str
    publisher: str
    url: str
    last_reviewed: str
    language: str


@dataclass(frozen=True)
class Passage:
    """A retrievable piece of a document (one section, or part of a long one)."""

    id: str
    doc_id: str
    heading: str
    language: str
    sentences: tuple[str, ...]
    topics: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """The passage's prose."""
        return " ".join(self.sentences)

    @property
    def embed_text(self) -> str:
        """What the encoder sees: the heading gives a short passage its context."""
        return f"{self.heading}. {self.text}"


@dataclass(frozen=True)
class Corpus:
    """Every document and answer card, read once, and the digest of the files they came from."""

    documents: list[Document]
    digest: str
    cards: list[AnswerCard] = field(default_factory=list)


def read_document(path: Path) -> Document:
    """Parse one Markdown file; raises `CorpusError` when the front matter cannot be read."""
    return _parse(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise CorpusError(f"{path}: cannot read: {e}") from e


def _parse(path: Path, data: bytes) -> Document:
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError(f"{path}: cannot read: {e}") from e
    lines = raw.splitlines()
    if not lines or lines[0].strip() != "---":
        raise CorpusError(f"{path}:1: missing YAML front matter (the file must start with ---)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise CorpusError(f"{path}:1: front matter is not closed with ---") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as e:
        raise CorpusError(f"{path}:2: front matter is not valid YAML: {e}") from e
    if not isinstance(meta, dict):
        raise CorpusError(f"{path}:2: front matter must be a mapping of fields")
    meta_lines = {}
    for i in range(1, end):
        key = lines[i].split(":", 1)[0].strip()
        if key and not lines[i].startswith((" ", "-")):
            meta_lines[key] = i + 1
    title_line = ""
    sections: list[Section] = []
    heading, start = "", 0
    buf: list[str] = []

    def flush() -> None:
        if heading:
            sections.append(Section(heading, " ".join(" ".join(buf).split()), start))

    for i in range(end + 1, len(lines)):
        line = lines[i]
        if line.startswith("## "):
            flush()
            heading, start, buf = line[3:].strip(), i + 1, []
        elif line.startswith("# ") and not title_line:
            title_line = line[2:].strip()
        elif heading:
            buf.append(line.strip().lstrip("-* ").strip() if line.strip().startswith(("- ", "* ")) else line)
    flush()
    return Document(path, meta, meta_lines, title_line, tuple(sections), end + 2)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every Markdown document below `corpus_dir` (README files excepted), in a stable order."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist (set BOT_CORPUS_DIR)")
    return sorted(p for p in corpus_dir.rglob("*.md") if p.name.lower() != "readme.md")


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Read every document; raises `CorpusError` for an unreadable file."""
    return read_corpus(corpus_dir).documents


def read_corpus(corpus_dir: Path) -> Corpus:
    """Read and parse every document, hashing each file's bytes as it is read.

    Raises:
        CorpusError: the folder is missing or empty, or a file cannot be read.
    """
    files = [(path, _read_bytes(path)) for path in _document_files(corpus_dir)]
    cards = [(path, _read_bytes(path)) for path in card_files(corpus_dir)]
    return Corpus(
        [_parse(path, data) for path, data in files],
        _digest([*files, *cards]),
        [card for path, data in cards for card in read_card_file(path, data)],
    )


def corpus_digest(corpus_dir: Path) -> str:
    """The digest `read_corpus` gives, from the files' bytes alone (nothing parsed): what an index is checked against.

    Raises:
        CorpusError: the folder is missing or empty, or a file cannot be read.
    """
    paths = [*_document_files(corpus_dir), *card_files(corpus_dir)]
    return _digest((path, _read_bytes(path)) for path in paths)


def _document_files(corpus_dir: Path) -> list[Path]:
    paths = corpus_files(corpus_dir)
    if not paths:
        raise CorpusError(f"corpus folder {corpus_dir} holds no documents")
    return paths


def _digest(files: Iterable[tuple[Path, bytes]]) -> str:
    digest = hashlib.sha256()
    for path, data in files:
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(data)
    return digest.hexdigest()


def source_of(doc: Document) -> Source:
    """The citation for a document."""
    m = doc.meta
    return Source(doc.id, str(m["title"]), str(m["publisher"]), str(m["url"]), doc.last_reviewed, doc.language)


def _passage_id(doc_id: str, heading: str, text: str) -> str:
    # Stable across rebuilds: the same text in the same place gets the same id.
    payload = json.dumps({"doc": doc_id, "heading": heading, "text": " ".join(text.split())}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def chunk(doc: Document) -> list[Passage]:
    """Cut a document into passages: one per section, long sections split on sentence boundaries."""
    topics = tuple(str(t) for t in doc.meta.get("topics") or ())
    passages = []
    for section in doc.sections:
        groups: list[list[str]] = [[]]
        for sentence in split_sentences(section.text):
            if groups[-1] and word_count(" ".join(groups[-1] + [sentence])) > MAX_PASSAGE_WORDS:
                groups.append([])
            groups[-1].append(sentence)
        for group in groups:
            if group:
                pid = _passage_id(doc.id, section.heading, " ".join(group))
                passages.append(Passage(pid, doc.id, section.heading, doc.language, tuple(group), topics))
    return passages
