"""Add written triage messages to the training set, dropping any that come near an evaluation case.

    .venv/bin/python scripts/curate_triage_data.py NEW.jsonl [...] --eval tests/data/*.jsonl ../shared/dev-eval.jsonl

A message whose sentence embedding (the real model) is within 0.9 cosine of any evaluation question is
dropped, and so is an exact repeat of a message already kept. Kept messages are written to
bot/triage/data/train/<file name>, and the counts are printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.search.encoders import load_encoder  # noqa: E402
from bot.triage.normalise import normalise  # noqa: E402

TRAIN = ROOT / "bot" / "triage" / "data" / "train"
NEAR = 0.9
KINDS = {"emergency", "crisis", "refusal", "out_of_scope", "answer"}


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new", nargs="+", type=Path)
    parser.add_argument("--eval", nargs="+", type=Path, required=True)
    args = parser.parse_args()
    encoder = load_encoder(Settings(encoder="torch"))
    questions = [str(c["question"]) for path in args.eval for c in _read(path)]
    evals = encoder.encode([normalise(q) for q in questions])
    seen = {
        normalise(str(r["text"])).lower()
        for path in TRAIN.glob("*.jsonl")
        if path.name not in {p.name for p in args.new}
        for r in _read(path)
    }
    for path in args.new:
        rows = _read(path)
        bad = [r for r in rows if r.get("kind") not in KINDS or r.get("lang") not in ("en", "es") or not r.get("text")]
        if bad:
            print(f"{path}: {len(bad)} messages without a known kind, a language or a text", file=sys.stderr)
            return 1
        vectors = encoder.encode([normalise(str(r["text"])) for r in rows])
        nearest = (vectors @ evals.T).max(axis=1) if len(evals) else np.zeros(len(rows))
        kept, near, repeated = [], 0, 0
        for row, similarity in zip(rows, nearest, strict=True):
            key = normalise(str(row["text"])).lower()
            if similarity >= NEAR:
                near += 1
            elif key in seen:
                repeated += 1
            else:
                seen.add(key)
                kept.append(
                    {"text": row["text"], "kind": row["kind"], "lang": row["lang"], "tags": row.get("tags", [])}
                )
        out = TRAIN / path.name
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept))
        print(
            f"{path.name}: {len(rows)} written, {near} dropped within {NEAR} cosine of an evaluation case, "
            f"{repeated} repeats dropped, {len(kept)} kept"
        )
    print(f"evaluation questions compared: {len(questions)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
