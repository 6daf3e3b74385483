"""Labelled example messages for triage by nearest neighbours, shipped as `bot/triage/data/examples.jsonl`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

EXAMPLES_PATH = Path(__file__).parent / "data" / "examples.jsonl"
KINDS = ("emergency", "crisis", "refusal", "out_of_scope", "answer")


@dataclass(frozen=True)
class TriageExample:
    """One labelled message: the kind of reply it should get."""

    text: str
    kind: str
    lang: str


def load_examples(path: Path = EXAMPLES_PATH) -> list[TriageExample]:
    """Read the labelled examples; raises ValueError on a bad label."""
    examples = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["kind"] not in KINDS:
            raise ValueError(f"{path}:{n}: kind must be one of {KINDS}. Currently, kind is {row['kind']!r}")
        examples.append(TriageExample(row["text"], row["kind"], row.get("lang", "en")))
    return examples


def examples_hash(path: Path = EXAMPLES_PATH) -> str:
    """A digest of the examples: the index embeds them, so it is stale when they change."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
