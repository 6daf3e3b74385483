"""The labelled training messages for the triage classifier, shipped as `bot/triage/data/train/*.jsonl`.

`data/TAXONOMY.md` says how each message is labelled; `scripts/curate_triage_data.py` adds new ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from bot.triage.model import KINDS

__all__ = ["KINDS", "TRAIN_DIR", "TriageExample", "examples_hash", "load_examples"]

TRAIN_DIR = Path(__file__).parent / "data" / "train"


@dataclass(frozen=True)
class TriageExample:
    """One labelled message: the kind of reply it should get."""

    text: str
    kind: str
    lang: str


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def load_examples(folder: Path = TRAIN_DIR) -> list[TriageExample]:
    """Read every training file, in name order.

    Raises:
        ValueError: a line is not JSON or has an unknown kind or language.
    """
    examples = []
    for path in _files(folder):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("kind") not in KINDS or row.get("lang") not in ("en", "es") or not row.get("text"):
                raise ValueError(f"{path}:{n}: needs a text, a kind in {KINDS} and lang 'en' or 'es'")
            examples.append(TriageExample(row["text"], row["kind"], row["lang"]))
    return examples


def examples_hash(folder: Path = TRAIN_DIR) -> str:
    """A digest of the training files: the classifier is stale when they change."""
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
