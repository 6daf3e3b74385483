"""A tentative crisis or refusal settled against the answer cards: a question that reads a little like a crisis,
or like a request to get or make drugs, but closely paraphrases a question a card answers gets the card; after a
crisis, with the 988 line first (`bot.triage.decide.TENTATIVE_BELOW`, `REFUSAL_TENTATIVE_BELOW`,
`bot.tuning.CARD_PARAPHRASE`)."""

from __future__ import annotations

from dataclasses import replace

from bot.search.cards import CardMatch, clearly_ahead
from bot.triage.decide import Triage
from bot.tuning import CARD_FLOOR, CARD_MARGIN, CARD_PARAPHRASE


def settle_tentative(decision: Triage, match: CardMatch | None, floor: float = CARD_FLOOR) -> Triage:
    """A tentative crisis or refusal whose message closely paraphrases the best card's asks, with that card clearly
    ahead (at `floor`, the service's card gate), becomes an answer from the card, a crisis with the 988 line
    first; any other decision stands."""
    if not decision.tentative or match is None:
        return decision
    if match.closeness < CARD_PARAPHRASE or not clearly_ahead(match, floor, CARD_MARGIN):
        return decision
    reason = f"{decision.reason}, answered: close to card {match.card.id} ({match.closeness:.2f})"
    note = "crisis" if decision.kind == "crisis" else decision.note
    return replace(decision, kind="answer", reason=reason, note=note, tentative=False)
