"""Choose the card classifier's weight by five-fold cross-validation over the cards' own asks, no evaluation set.

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/tune_card_model.py [WEIGHT ...]

The asks of each language (not the titles, which stay in every training fold) are cut into five folds, each
card's asks spread over them. For each fold the classifier (`bot.search.cardmodel.fit`) is fitted on the rest,
and each held-out ask is scored as a question: the card scores of the live index without that ask's row
(`bot.search.cards.card_scores`, `skip`) plus WEIGHT times the classifier's probability. An ask counts as right
when its own card, or a sibling of it, comes out on top. Prints the share right per language and weight; the
chosen weight goes in `bot/tuning.py` (CARD_MODEL_WEIGHT). Uses the live index (BOT_DATA_DIR) and no encoder:
the asks' vectors are the index's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.model_selection import StratifiedKFold  # noqa: E402

from bot import tuning  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.lexicon import expand  # noqa: E402
from bot.loader import load_bot  # noqa: E402
from bot.search import cardmodel  # noqa: E402
from bot.search.cards import ask_texts, card_scores  # noqa: E402

WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)


def main(argv: list[str]) -> int:
    weights = tuple(float(w) for w in argv) or WEIGHTS
    cards = load_bot(Settings(), require_encoder=False).index.cards
    cards.models.clear()  # the live classifier saw every ask
    texts, owner = ask_texts(cards.cards)
    for lang in ("en", "es"):
        mine = [r for r, i in enumerate(owner) if cards.cards[i].language == lang]
        asks = np.array([r for r in mine if texts[r] != cards.cards[owner[r]].title])
        titles = [r for r in mine if texts[r] == cards.cards[owner[r]].title]
        labels = np.array([owner[r] for r in asks])
        right = dict.fromkeys(weights, 0)
        folds = StratifiedKFold(5, shuffle=True, random_state=0).split(asks, labels)
        for train, test in folds:
            rows = [*asks[train], *titles]
            model = cardmodel.fit([expand(texts[r], lang) for r in rows], [owner[r] for r in rows])
            for row, card in zip(asks[test], labels[test], strict=True):
                expanded = expand(texts[row], lang)
                base = card_scores(cards, cards.vectors[row], expanded, lang, skip=int(row))
                probs = model.probabilities(expanded, len(cards.cards))
                for w in weights:
                    top = int(np.argmax(base + w * probs))
                    right[w] += top == card or cards.kinship[top, card] >= tuning.CARD_SIBLING
        shares = "  ".join(f"{w:.1f}: {right[w] / len(asks):.1%}" for w in weights)
        print(f"{lang}: {len(asks)} held-out asks, right at weight  {shares}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
