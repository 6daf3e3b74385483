"""Which card a question asks for, learned from the cards' own asks: one classifier per language.

A logistic regression over character n-grams within words (`bot.ngrams`) is fitted at build time on every ask
and title of the language's cards, each labelled with its card, with street words expanded as questions are
(`bot.lexicon.expand`). Character n-grams carry what the sentence encoder reads poorly: misspellings, SMS
spellings and Spanish word endings. Its probability for each card is added to the card's score
(`bot.tuning.CARD_MODEL_WEIGHT`, `bot.search.cards.card_scores`). Serving needs numpy only; the fitted numbers
are kept in `card_model_<lang>.npz` in the index folder; a copy under `BOT_DATA_DIR/cache`, named by what it
was fitted on, saves refitting (about 15 s per language on two cores) when a rebuild changes no ask.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.ngrams import ngram_analyzer, tfidf_row

MODEL_FILE = "card_model_{}.npz"
# Character n-grams inside words, 2 to 5 long (as the triage classifier's "c" block).
NGRAMS = ("char_wb", 2, 5)
# Fitting: grams in at least two asks; the inverse regularisation strength; lbfgs is deterministic, so the same
# asks give the same model. Fitted as `scripts/tune_card_model.py` cross-validates it: at weight 0.5, held-out
# asks right (English / Spanish) were 87.0% / 90.9% at C 3, 87.5% / 91.6% at 10 and 87.7% / 92.0% at 30; 10 is
# within half a point of 30 and fits in fewer iterations.
MIN_DF = 2
C = 10.0
MAX_ITER = 300
_VERSION = 1


@dataclass(frozen=True)
class CardModel:
    """Fitted numbers of one language's card classifier."""

    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_grams,)
    weights: np.ndarray  # (n_labels, n_grams)
    intercept: np.ndarray  # (n_labels,)
    labels: np.ndarray  # (n_labels,): each row's position in the index's card list

    def probabilities(self, expanded: str, n_cards: int) -> np.ndarray:
        """The probability of each card (by position in the index's card list; 0 for other languages) that the
        question, with street words expanded, asks for it."""
        out = np.zeros(n_cards, dtype=np.float32)
        cols, values = tfidf_row(ngram_analyzer(*NGRAMS)(expanded), self.vocabulary, self.idf)
        logits = self.intercept + (self.weights[:, cols] @ values if len(cols) else 0.0)
        logits = logits - logits.max()
        probs = np.exp(logits)
        out[self.labels] = probs / probs.sum()
        return out


def fit(texts: list[str], labels: list[int]) -> CardModel:
    """Fit the classifier: `texts` (asks with street words expanded) labelled by their card's position."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=ngram_analyzer(*NGRAMS), sublinear_tf=True, min_df=MIN_DF)
    matrix = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=C, max_iter=MAX_ITER)
    classifier.fit(matrix, np.asarray(labels))
    weights = classifier.coef_
    intercept = classifier.intercept_
    if len(classifier.classes_) == 2:
        # scikit-learn keeps one row for two classes: the second class's logit against the first's.
        weights = np.vstack([np.zeros_like(weights), weights])
        intercept = np.concatenate([[0.0], intercept])
    return CardModel(
        vocabulary={str(g): int(i) for g, i in vectorizer.vocabulary_.items()},
        idf=vectorizer.idf_.astype(np.float32),
        weights=weights.astype(np.float32),
        intercept=intercept.astype(np.float32),
        labels=classifier.classes_.astype(np.int64),
    )


def fitted(texts: list[str], labels: list[int], language: str, cache_dir: Path | None) -> CardModel | None:
    """The language's model for these asks: from the cache when it was fitted on exactly them, else fitted (and
    cached in place of the language's older one). None with fewer than two cards: nothing to tell apart."""
    if len(set(labels)) < 2:
        return None
    name = f"card-model-{language}-{_digest(texts, labels)[:24]}.npz"
    if cache_dir is not None and (cache_dir / name).is_file():
        try:
            return load(cache_dir / name)
        except (OSError, ValueError, KeyError):
            pass
    model = fit(texts, labels)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob(f"card-model-{language}-*.npz"):
            old.unlink(missing_ok=True)
        save(model, cache_dir / name)
    return model


def save(model: CardModel, path: Path) -> None:
    """Write the model to one file, replaced atomically."""
    grams = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    np.savez(
        tmp,
        grams=np.array(grams),
        idf=model.idf,
        weights=model.weights,
        intercept=model.intercept,
        labels=model.labels,
        meta=np.array(json.dumps({"version": _VERSION, "ngrams": list(NGRAMS)})),
    )
    os.replace(tmp, path)


def load(path: Path) -> CardModel:
    """Read a saved model.

    Raises:
        OSError, ValueError, KeyError: the file is missing, damaged or of another version.
    """
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in ("grams", "idf", "weights", "intercept", "labels")}
        meta = json.loads(str(data["meta"]))
    if meta.get("version") != _VERSION or tuple(meta.get("ngrams", ())) != NGRAMS:
        raise ValueError("the card model is of another version")
    grams = [str(g) for g in arrays["grams"]]
    n_labels = len(arrays["labels"])
    if arrays["weights"].shape != (n_labels, len(grams)) or arrays["idf"].shape != (len(grams),):
        raise ValueError("the card model's arrays do not match its n-grams")
    if arrays["intercept"].shape != (n_labels,):
        raise ValueError("the card model's arrays do not match its cards")
    return CardModel(
        vocabulary={g: i for i, g in enumerate(grams)},
        idf=arrays["idf"],
        weights=arrays["weights"],
        intercept=arrays["intercept"],
        labels=arrays["labels"],
    )


def _digest(texts: list[str], labels: list[int]) -> str:
    what = json.dumps({"v": _VERSION, "ngrams": NGRAMS, "min_df": MIN_DF, "c": C, "texts": texts, "labels": labels})
    return hashlib.sha256(what.encode("utf-8")).hexdigest()
