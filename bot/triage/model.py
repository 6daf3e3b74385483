"""The trained triage classifier at serve time: numpy only, loaded from `BOT_DATA_DIR/triage.npz`.

Training (`bot.triage.train`, at build time) fits a scikit-learn linear model over character and word n-grams of
the normalised message and its sentence embedding, Platt-scaled into probabilities; this module keeps the fitted
numbers and computes the same probabilities without scikit-learn's per-call checks, which cost more than the
arithmetic for a single message. N-grams of both kinds share one vocabulary, keyed "c:" or "w:" before the gram.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from bot.ngrams import ngram_analyzer, tfidf_row

# Most severe first: when pieces of a message disagree, the first kind here wins.
KINDS = ("emergency", "crisis", "refusal", "out_of_scope", "answer")
# The n-gram blocks: characters within words (typos, slang, Spanish endings) and words and word pairs.
ANALYZERS = {"c": ("char_wb", (2, 5)), "w": ("word", (1, 2))}


@lru_cache(maxsize=len(ANALYZERS))
def analyzer(block: str) -> Callable[[str], list[str]]:
    """The n-gram analyzer for a block, the one the model was trained with (`bot.ngrams`)."""
    name, (low, high) = ANALYZERS[block]
    return ngram_analyzer(name, low, high)


@dataclass(frozen=True)
class Thresholds:
    """Per kind: at `upper` or above the kind is decided; from `lower` an answer carries a safety note."""

    lower: dict[str, float]
    upper: dict[str, float]


@dataclass
class TriageModel:
    """Calibrated probabilities of each kind for a batch of messages."""

    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_grams,)
    gram_weights: np.ndarray  # (n_classes, n_grams)
    embed_weights: np.ndarray  # (n_classes, dim), already scaled by the embedding weight
    intercept: np.ndarray  # (n_classes,)
    sigmoid: np.ndarray  # (n_classes, 2): Platt scaling a, b per class
    classes: tuple[str, ...]
    thresholds: Thresholds
    meta: dict[str, Any]

    def scores(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """Probabilities, one row per text and one column per kind in `KINDS` order."""
        logits = vectors @ self.embed_weights.T + self.intercept
        for block in ANALYZERS:
            grams = analyzer(block)
            for row, text in enumerate(texts):
                # Each block's tf-idf row is l2-normalised on its own, as its vectorizer did in training.
                cols, weights = tfidf_row([f"{block}:{g}" for g in grams(text)], self.vocabulary, self.idf)
                if len(cols):
                    logits[row] += self.gram_weights[:, cols] @ weights
        # Platt scaling per class (one-vs-rest), then normalised to sum to one.
        probs = 1.0 / (1.0 + np.exp(self.sigmoid[:, 0] * logits + self.sigmoid[:, 1]))
        probs /= np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
        out = np.zeros((len(texts), len(KINDS)))
        for j, kind in enumerate(self.classes):
            out[:, KINDS.index(kind)] = probs[:, j]
        return out

    def save(self, path: Path, meta: dict[str, object]) -> None:
        """Write the arrays, n-grams, thresholds and `meta` to one file, replaced atomically."""
        grams = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        info = {
            **self.meta,
            **meta,
            "classes": list(self.classes),
            "lower": self.thresholds.lower,
            "upper": self.thresholds.upper,
        }
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        np.savez(
            tmp,
            idf=self.idf.astype(np.float32),
            gram_weights=self.gram_weights.astype(np.float32),
            embed_weights=self.embed_weights.astype(np.float32),
            intercept=self.intercept,
            sigmoid=self.sigmoid,
            grams=np.array(grams),
            meta=np.array(json.dumps(info, ensure_ascii=False)),
        )
        os.replace(tmp, path)


def read_meta(path: Path) -> dict[str, Any]:
    """The saved model's description (what it was trained on, thresholds, report) without its arrays.

    Raises:
        OSError, ValueError, KeyError: the file is missing or damaged.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            meta: dict[str, Any] = json.loads(str(data["meta"]))
    except (zipfile.BadZipFile, EOFError) as e:
        raise ValueError(f"not a model file ({e})") from e
    return meta


def load_model(path: Path) -> TriageModel:
    """Read a saved model.

    Raises:
        OSError, ValueError, KeyError: the file is missing or damaged.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in ("idf", "gram_weights", "embed_weights", "intercept", "sigmoid", "grams")}
            meta = json.loads(str(data["meta"]))
    except (zipfile.BadZipFile, EOFError) as e:
        raise ValueError(f"not a model file ({e})") from e
    grams = [str(g) for g in arrays["grams"]]
    classes = tuple(meta["classes"])
    weights = arrays["gram_weights"]
    if weights.shape != (len(classes), len(grams)) or arrays["idf"].shape != (len(grams),):
        raise ValueError("the triage model's arrays do not match its n-grams")
    if arrays["embed_weights"].shape[0] != len(classes) or arrays["sigmoid"].shape != (len(classes), 2):
        raise ValueError("the triage model's arrays do not match its kinds")
    if not all(np.isfinite(a).all() for k, a in arrays.items() if k != "grams"):
        raise ValueError("the triage model holds numbers that are not finite")
    return TriageModel(
        vocabulary={g: i for i, g in enumerate(grams)},
        idf=arrays["idf"].astype(np.float64),
        gram_weights=weights.astype(np.float64),
        embed_weights=arrays["embed_weights"].astype(np.float32),
        intercept=arrays["intercept"].astype(np.float64),
        sigmoid=arrays["sigmoid"].astype(np.float64),
        classes=classes,
        thresholds=Thresholds(meta["lower"], meta["upper"]),
        meta=meta,
    )
