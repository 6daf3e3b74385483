"""Train the triage classifier into the data folder, and load it: `hrbot build` and auto-build call this.

The model is one file, `triage.npz`, replaced atomically. It records the encoder, the digest of the training
files and the training recipe, so a changed training set, recipe or encoder makes it stale.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from bot.errors import BotError, IndexMismatchError, IndexMissingError
from bot.lexicon import expand, lexicon_digest
from bot.search.cache import EmbeddingCache, embed_all
from bot.search.encoders import Encoder
from bot.triage.augment import SHARE, augment
from bot.triage.examples import examples_hash, load_examples
from bot.triage.model import TriageModel, load_model, read_meta
from bot.triage.normalise import normalise
from bot.triage.train import SEED, Report, recipe, train

logger = logging.getLogger(__name__)

MODEL_FILE = "triage.npz"
FORMAT = 2


@dataclass(frozen=True)
class TriageBuildReport:
    """What `build_triage` did."""

    path: Path
    examples: int
    seconds: float
    report: Report | None
    skipped: bool = False


def _expected(model: str) -> dict[str, object]:
    return {
        "model": model,
        "examples_hash": examples_hash(),
        "lexicon_hash": lexicon_digest(),
        "format": FORMAT,
        "recipe": {**recipe(), "augment_share": SHARE},
    }


def triage_problem(data_dir: Path, model: str) -> str | None:
    """Why the saved classifier cannot serve with this encoder and training set, or None when it can."""
    path = data_dir / MODEL_FILE
    if not path.is_file():
        return f"no triage model at {path}"
    try:
        meta = read_meta(path)
    except (OSError, ValueError, KeyError) as e:
        return f"the triage model is unreadable ({e})"
    for key, value in _expected(model).items():
        if meta.get(key) != value:
            return f"the triage model was trained with another {key.replace('_', ' ')}"
    return None


# Modules that training imports, and the packages that bring them.
_TRAINING = {"sklearn": "scikit-learn", "scipy": "scipy"}


def _require_training_libraries() -> None:
    # Checked before the messages are embedded: a serving-only install (`pip install .`) has no scikit-learn.
    missing = [name for module, name in _TRAINING.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise BotError(
            f"training the triage classifier needs {' and '.join(missing)}, which the build extra installs: "
            "pip install '.[build]'"
        )


def build_triage(data_dir: Path, encoder: Encoder, *, force: bool = False, progress: bool = False) -> TriageBuildReport:
    """Embed the training messages (cached by text) and fit the classifier, unless it is up to date."""
    started = time.perf_counter()
    path = data_dir / MODEL_FILE
    if not force and triage_problem(data_dir, encoder.name) is None:
        return TriageBuildReport(path, int(read_meta(path).get("examples", 0)), 0.0, None, True)
    _require_training_libraries()
    examples = load_examples()
    texts = [normalise(e.text) for e in examples]
    langs = [e.lang for e in examples]
    copies = augment(texts, SEED)
    groups = list(range(len(texts))) + [i for i, _ in copies]
    all_texts = texts + [c for _, c in copies]
    labels = [e.kind for e in examples] + [examples[i].kind for i, _ in copies]
    cache = EmbeddingCache.for_encoder(data_dir, "triage", encoder.name)
    embed_texts = [expand(t, langs[g]) for t, g in zip(all_texts, groups, strict=True)]
    vectors, _ = embed_all(encoder, embed_texts, cache, progress)
    cache.save({cache.key(t) for t in embed_texts})
    model, report = train(all_texts, labels, vectors, groups, len(texts))
    data_dir.mkdir(parents=True, exist_ok=True)
    seconds = round(time.perf_counter() - started, 3)
    model.save(path, {**_expected(encoder.name), "examples": len(examples), "copies": len(copies), "seconds": seconds})
    logger.info("trained the triage classifier", extra={"examples": len(examples), "seconds": seconds})
    return TriageBuildReport(path, len(examples), seconds, report)


def load_triage(data_dir: Path, model: str | None = None) -> TriageModel:
    """Load the saved classifier, checking it against the encoder when `model` is given.

    Raises:
        IndexMissingError: no classifier has been trained.
        IndexMismatchError: it is stale or damaged.
    """
    path = data_dir / MODEL_FILE
    problem = triage_problem(data_dir, model) if model is not None else None
    if not path.is_file() or problem:
        error = IndexMismatchError if path.is_file() else IndexMissingError
        raise error(f"{problem or f'no triage model at {path}'}: run 'hrbot build' to train it")
    try:
        return load_model(path)
    except (OSError, ValueError, KeyError) as e:
        raise IndexMismatchError(f"the triage model at {path} is damaged ({e}): run 'hrbot build --force'") from e
