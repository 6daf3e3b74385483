"""How a `Bot` comes to exist: the encoder, the index and the triage classifier (built first when allowed), and
the degraded modes.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.config import Settings
from bot.corpus.documents import corpus_digest, read_corpus
from bot.errors import CorpusError, EncoderUnavailableError, IndexMismatchError, IndexMissingError
from bot.search.build import BuildReport, skipped_build, write_index
from bot.search.encoders import Encoder, backend, corpus_encoder, load_encoder, prepare_build
from bot.search.index import MANIFEST, Expected, Index, index_problem, read_index
from bot.service import Bot
from bot.triage.build import TriageBuildReport, build_triage, load_triage, triage_problem
from bot.triage.model import TriageModel

logger = logging.getLogger(__name__)


def expected(corpus_dir: Path, model: str) -> Expected:
    """What an index must have been built from to serve this corpus with this model (reads the corpus once)."""
    return Expected(model, corpus_digest(corpus_dir))


def build_index(
    corpus_dir: Path, data_dir: Path, encoder: Encoder, *, force: bool = False, progress: bool | None = None
) -> BuildReport:
    """Build the index of the corpus, unless the live one is up to date (or `force`).

    Raises:
        CorpusError: the corpus cannot be read.
    """
    live = data_dir / "index"
    if not force and index_problem(live, expected(corpus_dir, encoder.name)) is None:
        return skipped_build(live)
    return _write(corpus_dir, data_dir, encoder, sys.stderr.isatty() if progress is None else progress)


def _write(corpus_dir: Path, data_dir: Path, encoder: Encoder, progress: bool) -> BuildReport:
    corpus = read_corpus(corpus_dir)
    return write_index(corpus, data_dir, encoder, Expected(encoder.name, corpus.digest), progress=progress)


def build(settings: Settings, *, force: bool = False) -> tuple[BuildReport, TriageBuildReport]:
    """What `hrbot build` does: the encoder's build-time step, then the index and the triage classifier, both
    from full-precision vectors."""
    prepare_build(settings)
    encoder = load_encoder(settings, corpus=True)
    index = build_index(settings.corpus_dir, settings.data_dir, encoder, force=force)
    return index, build_triage(settings.data_dir, encoder, force=force, progress=sys.stderr.isatty())


def load_index(index_dir: Path, corpus_dir: Path | None = None, model: str | None = None) -> Index:
    """Load a built index, checking it against the corpus and model when given.

    Raises:
        IndexMissingError: nothing has been built.
        IndexMismatchError: the index is stale, from another model, or damaged.
    """
    check = expected(corpus_dir, model) if corpus_dir is not None and model is not None else None
    return read_index(index_dir, check)


def load_bot(settings: Settings, encoder: Encoder | None = None, *, require_encoder: bool = False) -> Bot:
    """Load the encoder and the index (building it first when `BOT_AUTO_BUILD` is set).

    Without a loadable model the bot still runs on BM25 alone (degraded), unless `require_encoder`.

    Raises:
        IndexMissingError, IndexMismatchError: the index cannot serve and auto-build is off.
        EncoderUnavailableError: no model could be loaded and `require_encoder` is set.
    """
    if not settings.auto_build and not (settings.index_dir / MANIFEST).is_file():
        # Say so before spending seconds loading a model that has nothing to search.
        raise IndexMissingError(f"no index at {settings.index_dir}: run 'hrbot build'")
    if encoder is None:
        encoder = _question_encoder(settings, require_encoder)
    fingerprint = expected(settings.corpus_dir, encoder.name if encoder is not None else settings.model)
    problem = index_problem(settings.index_dir, fingerprint)
    if problem and settings.auto_build and encoder is not None:
        logger.warning("building the index", extra={"reason": problem})
        _rebuild(settings, encoder)
    elif problem and encoder is None and (settings.index_dir / MANIFEST).is_file():
        # Degraded mode: keep serving the last index rather than nothing.
        return Bot(settings, read_index(settings.index_dir), None, last_classifier(settings))
    elif problem:
        # Raises the error that names the problem and the command that fixes it.
        read_index(settings.index_dir, fingerprint)
    index = _read_or_rebuild(settings, encoder)
    if encoder is None:
        return Bot(settings, index, None, last_classifier(settings))
    return Bot(settings, index, encoder, _classifier(settings, encoder))


def corpus_embedder(settings: Settings) -> Callable[[Sequence[str]], np.ndarray]:
    """Texts to unit vectors with the corpus encoder (exported first when needed), for `hrbot corpus check`.

    Raises:
        EncoderUnavailableError: no model can be loaded.
    """
    prepare_build(settings)
    encoder = load_encoder(settings, corpus=True)
    return lambda texts: encoder.encode(list(texts))


def build_needed(settings: Settings) -> str | None:
    """Why the index, the classifier or the model export must be built before this process can serve, when
    `BOT_AUTO_BUILD` lets it build; None when loading can start at once (or must fail without building)."""
    if not settings.auto_build:
        return None
    if not backend(settings.encoder).prepared(settings):
        return "the embedding model has not been exported yet"
    try:
        encoder = load_encoder(settings)
    except EncoderUnavailableError as e:
        return f"the embedding model is not ready ({e})"
    try:
        fingerprint = expected(settings.corpus_dir, encoder.name)
    except CorpusError as e:
        return f"the corpus cannot be read ({e})"
    return index_problem(settings.index_dir, fingerprint) or triage_problem(settings.data_dir, encoder.name)


def _classifier(settings: Settings, encoder: Encoder) -> TriageModel:
    problem = triage_problem(settings.data_dir, encoder.name)
    if problem and settings.auto_build:
        logger.warning("training the triage classifier", extra={"reason": problem})
        build_triage(settings.data_dir, corpus_encoder(settings, encoder), force=True)
    return load_triage(settings.data_dir, encoder.name)


def last_classifier(settings: Settings) -> TriageModel | None:
    """The classifier trained last, whatever encoder it was trained with, or None (triage then runs on its rules).

    Keyword-only mode and the standby responder use it: its n-grams still read every message."""
    try:
        return load_triage(settings.data_dir)
    except (IndexMissingError, IndexMismatchError):
        logger.warning("no usable triage classifier: triage runs on its rules alone")
        return None


def _question_encoder(settings: Settings, require_encoder: bool) -> Encoder | None:
    try:
        return load_encoder(settings)
    except EncoderUnavailableError:
        if require_encoder:
            raise
        logger.exception("embedding model unavailable: answering with keyword search only")
        return None


def _rebuild(settings: Settings, encoder: Encoder) -> None:
    # Corpus vectors are always full precision, whichever encoder answers questions. The caller has just found
    # the live index unfit, so the build does not check it again.
    _write(settings.corpus_dir, settings.data_dir, corpus_encoder(settings, encoder), progress=False)


def _read_or_rebuild(settings: Settings, encoder: Encoder | None) -> Index:
    try:
        return read_index(settings.index_dir)
    except IndexMismatchError:
        # The manifest matched but a data file is damaged: rebuild when allowed, else fail loudly.
        if not (settings.auto_build and encoder is not None):
            raise
        logger.warning("the index is damaged: rebuilding it")
        _rebuild(settings, encoder)
        return read_index(settings.index_dir)
