"""Match a question against the answer cards' asks: cosine to the closest ask of each card, BM25 over the asks and
over the answers, and a classifier fitted on the asks (`bot.search.cardmodel`).

The index holds one vector per ask (`card_vectors.npy`, written by `bot/search/build.py`). A card answers only
when it is clearly ahead: its score reaches `CARD_FLOOR` and beats the next card by `CARD_MARGIN`
(`bot/tuning.py`; chosen by leave-one-out over the asks themselves, `scripts/tune_cards.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.corpus.answercards import AnswerCard, Item
from bot.lexicon import expand, stem_tokens
from bot.search import cardmodel
from bot.search.cardmodel import CardModel
from bot.search.substances import named_by_all, substances, unrelated
from bot.vocab import LANGUAGES

CARDS_FILE = "cards.json"
VECTORS_FILE = "card_vectors.npy"


@dataclass(frozen=True)
class CardMatch:
    """The best card for a question, its score and the runner-up's."""

    card: AnswerCard
    score: float
    runner_up: float
    # The cosine between the question and the card's closest ask, without BM25: how nearly the question
    # paraphrases one of the ways people ask the card (0 without a question vector).
    closeness: float = 0.0


@dataclass
class CardIndex:
    """The cards of one index and the vectors of their asks."""

    cards: list[AnswerCard] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), np.float32))
    # Row of `vectors` -> position of its card in `cards`.
    owner: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    bm25: dict[str, Any] = field(default_factory=dict)
    bm25_rows: dict[str, np.ndarray] = field(default_factory=dict)
    # Card-to-card cosine of the mean ask vectors: cards that answer nearly the same question are siblings.
    kinship: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    # The substances each card's title and topic name (`bot.search.substances`).
    substances: list[frozenset[str]] = field(default_factory=list)
    # Per language: BM25 over each card's title and answer, and the positions in `cards` of its documents.
    answer_bm25: dict[str, Any] = field(default_factory=dict)
    answer_cards: dict[str, np.ndarray] = field(default_factory=dict)
    # Per language: the classifier fitted on the asks (`bot.search.cardmodel`).
    models: dict[str, CardModel] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cards)

    def compute_kinship(self) -> None:
        """Fill `kinship` from the ask vectors."""
        n = len(self.cards)
        if not n:
            return
        sums = np.zeros((n, self.vectors.shape[1]), dtype=np.float32)
        np.add.at(sums, self.owner, self.vectors)
        sums /= np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
        self.kinship = sums @ sums.T


def ask_texts(cards: list[AnswerCard]) -> tuple[list[str], list[int]]:
    """What is embedded for the cards: each ask, and the title as one more ask; with the card of each row."""
    texts: list[str] = []
    owner: list[int] = []
    for i, card in enumerate(cards):
        for ask in (card.title, *card.asks):
            texts.append(ask)
            owner.append(i)
    return texts, owner


def write_cards(folder: Path, cards: list[AnswerCard], vectors: np.ndarray, cache_dir: Path | None = None) -> None:
    """Write the cards, their ask vectors, per-language BM25 over the asks and the per-language card classifiers
    (fitted, or taken from `cache_dir` when fitted on the same asks before) into an index folder."""
    import bm25s

    texts, owner = ask_texts(cards)
    if len(texts) != len(vectors):
        raise ValueError(f"{len(vectors)} vectors for {len(texts)} asks")
    data = [
        {
            "id": c.id,
            "language": c.language,
            "twin": c.twin,
            "topic": c.topic,
            "title": c.title,
            "checked": c.checked,
            "asks": list(c.asks),
            "items": [{"say": i.say, "doc_id": i.doc_id, "section": i.section} for i in c.items],
            "lead": c.lead,
            "list": c.as_list,
            "sms": c.sms_items,
        }
        for c in cards
    ]
    (folder / CARDS_FILE).write_text(json.dumps({"cards": data, "owner": owner}, ensure_ascii=False))
    np.save(folder / VECTORS_FILE, vectors.astype(np.float32))
    for lang in LANGUAGES:
        rows = [r for r, i in enumerate(owner) if cards[i].language == lang]
        np.save(folder / f"card_bm25_rows_{lang}.npy", np.array(rows, dtype=np.int64))
        if rows:
            retriever = bm25s.BM25()
            retriever.index([stem_tokens(texts[r], lang) for r in rows], show_progress=False)
            retriever.save(str(folder / f"card_bm25_{lang}"))
            model = cardmodel.fitted([expand(texts[r], lang) for r in rows], [owner[r] for r in rows], lang, cache_dir)
            if model is not None:
                cardmodel.save(model, folder / cardmodel.MODEL_FILE.format(lang))


def read_cards_index(folder: Path) -> CardIndex:
    """Read what `write_cards` wrote; an index without cards reads as no cards."""
    import bm25s

    if not (folder / CARDS_FILE).is_file():
        return CardIndex()
    data = json.loads((folder / CARDS_FILE).read_text())
    cards = [
        AnswerCard(
            id=c["id"],
            language=c["language"],
            twin=c["twin"],
            topic=c["topic"],
            title=c["title"],
            checked=c["checked"],
            asks=tuple(c["asks"]),
            items=tuple(Item(i["say"], i["doc_id"], i["section"]) for i in c["items"]),
            lead=c["lead"],
            as_list=c["list"],
            sms_items=c["sms"],
        )
        for c in data["cards"]
    ]
    index = CardIndex(cards, np.load(folder / VECTORS_FILE), np.array(data["owner"], dtype=np.int64))
    if len(index.owner) != len(index.vectors):
        raise ValueError("card vectors do not match the asks")
    index.compute_kinship()
    index.substances = [named_by_all([c.title, c.topic.replace("-", " ")]) for c in cards]
    for lang in LANGUAGES:
        rows = np.load(folder / f"card_bm25_rows_{lang}.npy")
        index.bm25_rows[lang] = rows
        if len(rows):
            index.bm25[lang] = bm25s.BM25.load(str(folder / f"card_bm25_{lang}"))
        model_path = folder / cardmodel.MODEL_FILE.format(lang)
        if model_path.is_file():
            model = cardmodel.load(model_path)
            if model.labels.size and (model.labels.max() >= len(cards) or model.labels.min() < 0):
                raise ValueError(f"the {lang} card model names cards the index does not hold")
            index.models[lang] = model
        # A few hundred short texts: indexed on loading, in milliseconds, rather than stored.
        mine = [i for i, c in enumerate(cards) if c.language == lang]
        if mine:
            index.answer_cards[lang] = np.array(mine, dtype=np.int64)
            index.answer_bm25[lang] = bm25s.BM25()
            texts = [" ".join([cards[i].title, *(item.say for item in cards[i].items)]) for i in mine]
            index.answer_bm25[lang].index([stem_tokens(t, lang) for t in texts], show_progress=False)
    return index


def card_scores(
    index: CardIndex, vector: np.ndarray | None, expanded: str, language: str, skip: int | None = None
) -> np.ndarray:
    """Each card's score for a question: the cosine to its closest ask plus `CARD_BM25_WEIGHT` times BM25 over the
    asks (scaled to the best ask) plus `CARD_ANSWER_WEIGHT` times BM25 over its title and answer (scaled to the best
    card) plus `CARD_MODEL_WEIGHT` times the card classifier's probability (`bot.search.cardmodel`). Cards in
    another language, and cards about other substances than the question names (`bot.search.substances.unrelated`),
    score 0. `skip` leaves one ask row out of the cosine and BM25 (for leave-one-out tuning; the classifier was
    fitted with it)."""
    from bot.tuning import CARD_ANSWER_WEIGHT, CARD_BM25_WEIGHT, CARD_MODEL_WEIGHT

    n = len(index.cards)
    per_card = np.zeros(n, dtype=np.float32)
    rows = index.bm25_rows.get(language)
    if rows is None or not len(rows):
        return per_card
    per_row = np.zeros(len(index.owner), dtype=np.float32)
    if vector is not None:
        per_row[rows] = index.vectors[rows] @ vector.astype(np.float32)
    stems = stem_tokens(expanded, language)
    lexical = _scaled_bm25(index.bm25.get(language), stems)
    if lexical is not None:
        per_row[rows] += CARD_BM25_WEIGHT * lexical
    if skip is not None:
        per_row[skip] = 0.0
    np.maximum.at(per_card, index.owner[rows], per_row[rows])
    per_card += CARD_ANSWER_WEIGHT * answer_scores(index, stems, language, n)
    model = index.models.get(language)
    if model is not None:
        per_card += CARD_MODEL_WEIGHT * model.probabilities(expanded, n)
    named = substances(expanded)
    if named and index.substances:
        per_card[[unrelated(named, card) for card in index.substances]] = 0.0
    return per_card


def answer_scores(index: CardIndex, stems: list[str], language: str, n: int) -> np.ndarray:
    """BM25 of the question's stems over each card's title and answer, scaled to the best card (0 for other
    languages)."""
    out = np.zeros(n, dtype=np.float32)
    lexical = _scaled_bm25(index.answer_bm25.get(language), stems)
    if lexical is not None:
        out[index.answer_cards[language]] = lexical
    return out


def _scaled_bm25(bm: Any, stems: list[str]) -> np.ndarray | None:
    """BM25 of the stems over one index, scaled so its best document scores 1; None when nothing matches."""
    terms = [t for t in stems if t in bm.vocab_dict] if bm is not None else []
    if not terms:
        return None
    lexical = np.asarray(bm.get_scores(terms), dtype=np.float32)
    top = float(lexical.max())
    return lexical / top if top > 0 else None


def best_card(
    index: CardIndex, vector: np.ndarray | None, expanded: str, language: str, skip: int | None = None
) -> CardMatch | None:
    """The highest-scoring card in the question's language, with the score of the best card that is not its
    sibling (None without cards). Two siblings answer nearly the same question, so either is a fair answer and
    a close race between them is no reason to doubt the match."""
    from bot.tuning import CARD_SIBLING

    scores = card_scores(index, vector, expanded, language, skip)
    if not len(scores) or float(scores.max()) <= 0:
        return None
    top = int(np.argmax(scores))
    others = np.where(index.kinship[top] < CARD_SIBLING, scores, 0.0) if len(index.kinship) else scores
    others[top] = 0.0
    closeness = 0.0
    if vector is not None:
        rows = index.bm25_rows[language]
        mine = rows[(index.owner[rows] == top) & (rows != (-1 if skip is None else skip))]
        if len(mine):
            closeness = float((index.vectors[mine] @ vector.astype(np.float32)).max())
    return CardMatch(index.cards[top], float(scores[top]), float(others.max()) if len(others) else 0.0, closeness)


def clearly_ahead(match: CardMatch | None, floor: float, margin: float) -> bool:
    """Whether the best card is good enough to answer from: at `floor` or above and `margin` ahead of the next."""
    return match is not None and match.score >= floor and match.score - match.runner_up >= margin
