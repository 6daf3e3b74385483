"""Read the answer cards: curated answers to the things people ask, in `corpus/cards/<lang>/*.yaml`.

A card holds the ways people ask one question and a short answer whose every item cites a document section.
`corpus/cards/README.md` is the format; `bot/corpus/cardcheck.py` checks what this module reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import CorpusError

CARDS_FOLDER = "cards"
DEFAULT_SMS_ITEMS = 2
REQUIRED = ("id", "lang", "twin", "topic", "title", "checked", "asks", "answer")


@dataclass(frozen=True)
class Item:
    """One cited item of a card's answer: one or two short sentences and the section behind them."""

    say: str
    doc_id: str
    section: str

    @property
    def cite(self) -> str:
        """The citation as written in the card: `document-id#Section heading`."""
        return f"{self.doc_id}#{self.section}"


@dataclass(frozen=True)
class AnswerCard:
    """A curated answer."""

    id: str
    language: str
    twin: str
    topic: str
    title: str
    checked: str
    asks: tuple[str, ...]
    items: tuple[Item, ...]
    lead: str = ""
    as_list: bool = False
    sms_items: int = DEFAULT_SMS_ITEMS
    path: Path = Path()
    line: int = 1


def card_files(corpus_dir: Path) -> list[Path]:
    """Every card file below `corpus_dir/cards`, in a stable order (none is fine: cards are optional)."""
    folder = corpus_dir / CARDS_FOLDER
    return sorted(folder.rglob("*.yaml")) if folder.is_dir() else []


def read_cards(corpus_dir: Path) -> list[AnswerCard]:
    """Read every card.

    Raises:
        CorpusError: a file cannot be read or a card is malformed (the message names the file and line).
    """
    return [card for path in card_files(corpus_dir) for card in read_card_file(path)]


def read_card_file(path: Path, data: bytes | None = None) -> list[AnswerCard]:
    """The cards in one file (from `data` when the caller has read its bytes already); raises `CorpusError`
    naming the file and line of the first malformed card."""
    try:
        raw = (path.read_bytes() if data is None else data).decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CorpusError(f"{path}: cannot read: {e}") from e
    try:
        nodes = yaml.compose(raw)
        loaded = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise CorpusError(f"{path}: not valid YAML: {e}") from e
    if loaded is None:
        return []
    if not isinstance(loaded, list) or nodes is None or not isinstance(nodes, yaml.SequenceNode):
        raise CorpusError(f"{path}:1: a card file is a list of cards")
    return [_card(path, node.start_mark.line + 1, entry) for node, entry in zip(nodes.value, loaded, strict=True)]


def _card(path: Path, line: int, entry: Any) -> AnswerCard:
    where = f"{path}:{line}"
    if not isinstance(entry, dict):
        raise CorpusError(f"{where}: a card is a mapping of fields")
    missing = [name for name in REQUIRED if entry.get(name) in (None, "", [])]
    if missing:
        raise CorpusError(f"{where}: card {entry.get('id', '?')!r} lacks {', '.join(missing)}")
    asks = entry["asks"]
    answer = entry["answer"]
    if not isinstance(asks, list) or not all(isinstance(a, str) and a.strip() for a in asks):
        raise CorpusError(f"{where}: asks must be a list of questions")
    if not isinstance(answer, list):
        raise CorpusError(f"{where}: answer must be a list of items with say and cite")
    sms = entry.get("sms", DEFAULT_SMS_ITEMS)
    if not isinstance(sms, int) or isinstance(sms, bool) or sms < 1:
        raise CorpusError(f"{where}: sms must be a whole number of items, 1 or more")
    checked = entry["checked"]
    return AnswerCard(
        id=str(entry["id"]),
        language=str(entry["lang"]),
        twin=str(entry["twin"]),
        topic=str(entry["topic"]),
        title=str(entry["title"]).strip(),
        checked=checked.isoformat() if isinstance(checked, dt.date) else str(checked),
        asks=tuple(" ".join(a.split()) for a in asks),
        items=tuple(_item(where, item) for item in answer),
        lead=str(entry.get("lead") or "").strip(),
        as_list=bool(entry.get("list", False)),
        sms_items=sms,
        path=path,
        line=line,
    )


def _item(where: str, item: Any) -> Item:
    if not isinstance(item, dict) or not isinstance(item.get("say"), str) or not isinstance(item.get("cite"), str):
        raise CorpusError(f"{where}: each answer item needs say and cite (document-id#Section heading)")
    doc_id, sep, section = item["cite"].partition("#")
    if not sep or not doc_id.strip() or not section.strip():
        raise CorpusError(f"{where}: cite {item['cite']!r} must be document-id#Section heading")
    return Item(" ".join(item["say"].split()), doc_id.strip(), section.strip())
