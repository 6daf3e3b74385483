"""Check the answer cards against the documents they cite: form, twins, numbers, grounding, reading level, danger.

`check_cards` returns problems in the corpus check's `Problem` form, so `hrbot corpus check` lists both together.
Grounding needs sentence vectors: pass `embed` (texts to unit vectors); without it that one check is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.corpus.answercards import AnswerCard
from bot.corpus.danger import danger
from bot.corpus.documents import Document
from bot.corpus.problems import Problem
from bot.corpus.readability import MEASURES, reading_level
from bot.lexicon import stem_tokens
from bot.text import fold, split_sentences, word_count
from bot.vocab import LANGUAGES

Embed = Callable[[Sequence[str]], np.ndarray]

MIN_ASKS = 6
ITEMS = (2, 6)
MIN_WORDS = 4
MAX_LEAD_WORDS = 8
# A card sentence is supported when its cosine to the best-matching sentence of the cited section reaches
# GROUNDING_FLOOR, or, for a short restatement that the model scores lower because it drops the subject ("The
# shot goes into a muscle"), when it reaches LEXICAL_FLOOR and that sentence holds LEXICAL_SHARE of its stems.
# A sentence the section does not say stays below both.
GROUNDING_FLOOR = 0.6
LEXICAL_FLOOR = 0.4
LEXICAL_SHARE = 0.75
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class _Claim:
    card: AnswerCard
    sentence: str
    section_sentences: tuple[str, ...]
    cite: str


def check_cards(cards: list[AnswerCard], documents: list[Document], embed: Embed | None = None) -> list[Problem]:
    """Every problem in the cards; an empty list means they are clean."""
    sections = {(d.id, s.heading): s.text for d in documents for s in d.sections}
    languages = {d.id: d.language for d in documents}
    problems: list[Problem] = []
    claims: list[_Claim] = []
    by_id: dict[str, AnswerCard] = {}
    asked: dict[tuple[str, str], str] = {}
    for card in cards:
        problems += _identity(card, by_id)
        problems += _asks(card, asked)
        problems += _answer(card)
        for item in card.items:
            text = sections.get((item.doc_id, item.section))
            if text is None:
                problems.append(_at(card, _missing_target(item.doc_id, item.section, languages, sections)))
                continue
            if languages.get(item.doc_id) != card.language:
                problems.append(
                    _at(card, f"cites {item.doc_id} ({languages.get(item.doc_id)}) from a {card.language} card")
                )
            problems += _numbers(card, item.say, text, item.cite)
            claims += [_Claim(card, s, tuple(split_sentences(text)), item.cite) for s in split_sentences(item.say)]
    problems += _twins(cards, by_id)
    if embed is not None and claims:
        problems += _grounding(claims, embed)
    return problems


def _at(card: AnswerCard, reason: str) -> Problem:
    return Problem(card.path, card.line, f"card {card.id}: {reason}")


def _identity(card: AnswerCard, by_id: dict[str, AnswerCard]) -> list[Problem]:
    problems = []
    if not _ID.match(card.id):
        problems.append(_at(card, "id must be lowercase letters, digits and dashes"))
    if card.id in by_id:
        problems.append(_at(card, f"duplicate id (also in {by_id[card.id].path})"))
    by_id.setdefault(card.id, card)
    if card.language not in LANGUAGES:
        problems.append(_at(card, f"lang must be en or es, got {card.language!r}"))
    if card.path.parent.name in LANGUAGES and card.path.parent.name != card.language:
        problems.append(_at(card, f"a {card.language} card in the {card.path.parent.name} folder"))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", card.checked):
        problems.append(_at(card, f"checked must be a date YYYY-MM-DD, got {card.checked!r}"))
    return problems


def _asks(card: AnswerCard, asked: dict[tuple[str, str], str]) -> list[Problem]:
    problems = []
    if len(card.asks) < MIN_ASKS:
        problems.append(_at(card, f"needs at least {MIN_ASKS} asks, has {len(card.asks)}"))
    for ask in card.asks:
        key = (card.language, " ".join(fold(ask).split()))
        if key in asked and asked[key] != card.id:
            problems.append(_at(card, f"ask {ask!r} also belongs to card {asked[key]}"))
        asked.setdefault(key, card.id)
    return problems


def _answer(card: AnswerCard) -> list[Problem]:
    problems = []
    if not ITEMS[0] <= len(card.items) <= ITEMS[1]:
        problems.append(_at(card, f"an answer has {ITEMS[0]} to {ITEMS[1]} items, this one {len(card.items)}"))
    if card.lead and (
        not card.lead.endswith(":")
        or not MIN_WORDS <= word_count(card.lead) <= MAX_LEAD_WORDS
        or _NUMBER.search(card.lead)
    ):
        # A reader sees the lead as a line of its own, so it is held to the same 4-word floor as a sentence.
        problems.append(
            _at(card, f"lead must be {MIN_WORDS} to {MAX_LEAD_WORDS} words, state no number and end with ':'")
        )
    for item in card.items:
        for sentence in split_sentences(item.say):
            if word_count(sentence) < MIN_WORDS:
                problems.append(_at(card, f"sentence under {MIN_WORDS} words: {sentence!r}"))
            reason = danger(sentence)
            if reason:
                problems.append(_at(card, f"dangerous phrasing {sentence!r}: {reason}"))
    if card.language in MEASURES:
        measure = MEASURES[card.language]
        value = reading_level("\n".join(item.say for item in card.items), card.language)
        if not measure.passes(value):
            side = "at most" if not measure.higher_is_easier else "at least"
            problems.append(_at(card, f"{measure.name} {value:.1f}; needs {side} {measure.target:g}"))
    return problems


def _numbers(card: AnswerCard, say: str, section: str, cite: str) -> list[Problem]:
    present = set(_NUMBER.findall(section))
    missing = [n for n in _NUMBER.findall(say) if n not in present]
    if missing:
        return [_at(card, f"number(s) {', '.join(missing)} not in the cited section {cite}")]
    return []


def _missing_target(doc_id: str, section: str, languages: dict[str, str], sections: dict[tuple[str, str], str]) -> str:
    if doc_id not in languages:
        return f"cites unknown document {doc_id!r}"
    headings = [h for d, h in sections if d == doc_id]
    return f"no section {section!r} in {doc_id} (its sections: {'; '.join(headings)})"


def _twins(cards: list[AnswerCard], by_id: dict[str, AnswerCard]) -> list[Problem]:
    problems = []
    for card in cards:
        twin = by_id.get(card.twin)
        if twin is None:
            problems.append(_at(card, f"twin {card.twin!r} does not exist"))
        elif twin.language == card.language or twin.twin != card.id or twin.topic != card.topic:
            problems.append(_at(card, f"twin {twin.id} must be in the other language, point back and share the topic"))
    return problems


def _grounding(claims: list[_Claim], embed: Embed) -> list[Problem]:
    pool = sorted({s for c in claims for s in c.section_sentences} | {c.sentence for c in claims})
    vectors = dict(zip(pool, embed(pool), strict=True))
    problems = []
    for claim in claims:
        mine = vectors[claim.sentence]
        scores = [float(mine @ vectors[s]) for s in claim.section_sentences]
        best = int(np.argmax(scores))
        if not _supported(claim, scores):
            problems.append(
                _at(
                    claim.card,
                    f"{claim.sentence!r} is not supported by {claim.cite} (similarity {scores[best]:.2f} < "
                    f"{GROUNDING_FLOOR}; closest: {claim.section_sentences[best]!r})",
                )
            )
    return problems


def _supported(claim: _Claim, scores: list[float]) -> bool:
    if max(scores) >= GROUNDING_FLOOR:
        return True
    lang = claim.card.language
    stems = set(stem_tokens(claim.sentence, lang))
    if not stems:
        return False
    for sentence, score in zip(claim.section_sentences, scores, strict=True):
        share = len(stems & set(stem_tokens(sentence, lang))) / len(stems)
        if score >= LEXICAL_FLOOR and share >= LEXICAL_SHARE:
            return True
    return False
