"""Turn an answer card into an answer for a channel: its items with `[n]` citations, as a list where it is one.

The card's short form (its first `sms` items) is the first SMS part; MORE sends the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.compose import Citation, mark_cited
from bot.corpus.answercards import AnswerCard
from bot.corpus.documents import Source


@dataclass(frozen=True)
class CardAnswer:
    """A card rendered for one channel."""

    text: str
    citations: tuple[Citation, ...]
    # The answer planned as SMS parts: the short form, then the rest (one part when nothing is left).
    parts: tuple[str, ...]


def render_card(card: AnswerCard, sources: dict[str, Source], channel: str) -> CardAnswer:
    """The card's answer text with a citation number per document, in order of first use.

    Raises:
        KeyError: the card cites a document the index does not hold (the corpus check prevents this).
    """
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    for item in card.items:
        if item.doc_id not in numbers:
            numbers[item.doc_id] = len(numbers) + 1
            citations.append(Citation(numbers[item.doc_id], sources[item.doc_id], item.say))
        lines.append(mark_cited(item.say, numbers[item.doc_id]))
    short = max(1, min(card.sms_items, len(lines)))
    if channel == "sms":
        parts = (_join(card, lines[:short]), _join(card, lines[short:], lead=False))
        return CardAnswer("\n".join(p for p in parts if p), tuple(citations), tuple(p for p in parts if p))
    text = _join(card, lines)
    return CardAnswer(text, tuple(citations), (text,))


def _join(card: AnswerCard, lines: list[str], *, lead: bool = True) -> str:
    if not lines:
        return ""
    if card.as_list:
        head = [card.lead] if card.lead and lead else []
        return "\n".join([*head, *(f"- {line}" for line in lines)])
    body = " ".join(lines)
    return f"{card.lead} {body}" if card.lead and lead else body
