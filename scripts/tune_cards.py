"""Choose the card floor, margin and sibling bar by leave-one-out over the cards' own asks, with no evaluation set.

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/tune_cards.py

Each ask is held out in turn (its row left out) and matched against every other ask. It counts as right when its
own card, or a sibling of it, comes out on top. Out-of-scope and answerable messages from the triage training data
show how often a card answers something no card was written for, and how much of what people ask the cards cover.
The card classifier (`bot.search.cardmodel`) was fitted with every ask, the held-out one too, so its share of a
score is optimistic here; its weight was chosen by five-fold cross-validation instead (`scripts/tune_card_model.py`).
Prints a grid; the chosen values go in `bot/tuning.py`. Uses the question encoder and the live index (BOT_DATA_DIR).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import tuning  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.lang import detect_language  # noqa: E402
from bot.lexicon import expand  # noqa: E402
from bot.loader import load_bot  # noqa: E402
from bot.search.cards import CardIndex, ask_texts, best_card  # noqa: E402
from bot.triage.normalise import normalise  # noqa: E402

FLOORS = (0.55, 0.6, 0.65, 0.7)
MARGINS = (0.0, 0.02, 0.04, 0.06)
SIBLINGS = (0.75, 0.8, 0.85, 0.9)
TRAIN = ROOT / "bot" / "triage" / "data" / "train" / "general.jsonl"


def _held_out(
    cards: CardIndex, vectors: np.ndarray, texts: list[str], owner: list[int]
) -> list[tuple[bool, float, float]]:
    out = []
    for row, (text, card) in enumerate(zip(texts, owner, strict=True)):
        if text == cards.cards[card].title:
            continue  # the title is not a way people ask
        lang = cards.cards[card].language
        match = best_card(cards, vectors[row], expand(text, lang), lang, skip=row)
        assert match is not None
        top = cards.cards.index(match.card)
        right = top == card or cards.kinship[top, card] >= tuning.CARD_SIBLING
        out.append((right, match.score, match.score - match.runner_up))
    return out


def _messages(bot_encoder: object, cards: CardIndex, kind: str) -> list[tuple[float, float]]:
    rows = [json.loads(line) for line in TRAIN.read_text().splitlines() if line.strip()]
    msgs = [normalise(r["text"]) for r in rows if r["kind"] == kind]
    langs = [detect_language(m) for m in msgs]
    vecs = bot_encoder.encode([expand(m, lang) for m, lang in zip(msgs, langs, strict=True)])  # type: ignore[attr-defined]
    out = []
    for m, lang, v in zip(msgs, langs, vecs, strict=True):
        match = best_card(cards, v, expand(m, lang), lang)
        out.append((match.score, match.score - match.runner_up) if match else (0.0, 0.0))
    return out


def main() -> int:
    bot = load_bot(Settings())
    cards = bot.index.cards
    texts, owner = ask_texts(cards.cards)
    assert bot.encoder is not None
    vectors = bot.encoder.encode([expand(t, cards.cards[i].language) for t, i in zip(texts, owner, strict=True)])
    print(f"{len(cards)} cards, {len(texts)} asks and titles")
    print("sibling floor margin  loo-right loo-answered  oos-answered  answerable-covered")
    for sibling in SIBLINGS:
        tuning.CARD_SIBLING = sibling
        held = _held_out(cards, vectors, texts, owner)
        oos, answerable = (_messages(bot.encoder, cards, kind) for kind in ("out_of_scope", "answer"))
        for floor in FLOORS:
            for margin in MARGINS:
                taken = [ok for ok, top, gap in held if top >= floor and gap >= margin]
                right = sum(taken) / len(taken) if taken else 0.0
                o = np.mean([top >= floor and gap >= margin for top, gap in oos])
                a = np.mean([top >= floor and gap >= margin for top, gap in answerable])
                print(
                    f"{sibling:7.2f} {floor:5.2f} {margin:6.2f}  {right:9.1%} {len(taken) / len(held):12.1%}  "
                    f"{o:12.1%}  {a:18.1%}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
