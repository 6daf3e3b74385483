"""Encoders turn text into L2-normalised vectors; one backend per module here, chosen by `BOT_ENCODER`.

A backend is a module `bot/search/encoders/<name>.py` defining `BACKEND` (`_protocol.Backend`); its file name is
the `BOT_ENCODER` value that selects it (`bot.config` lists this folder to validate the setting). Backends
import their heavy libraries inside the code that uses them, so choosing one never loads another.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

from bot.search.encoders._protocol import Backend, Encoder

if TYPE_CHECKING:
    from bot.config import Settings

__all__ = ["Backend", "Encoder", "backend", "corpus_encoder", "load_encoder", "prepare_build"]


def backend(name: str) -> Backend:
    """The backend called `name` (`BOT_ENCODER`).

    Raises:
        ValueError: no module of that name defines a backend.
    """
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ImportError as e:
        raise ValueError(f"no encoder backend {name!r} in {__name__}") from e
    found = getattr(module, "BACKEND", None)
    if not isinstance(found, Backend):
        raise ValueError(f"{module.__name__} defines no BACKEND")
    return found


def load_encoder(settings: Settings, *, corpus: bool = False) -> Encoder:
    """Build the encoder the settings ask for; raises `EncoderUnavailableError`.

    Args:
        settings: the service settings (`BOT_ENCODER`, `BOT_MODEL`, `BOT_THREADS`, `BOT_ONNX_QUANTIZE`).
        corpus: the encoder embeds the corpus at build time, so it is always full precision and uses every core.
    """
    # One short question encodes fastest on one thread and leaves the other cores to concurrent requests
    # (bench/README.md); embedding the whole corpus in batches uses every core.
    threads = max(settings.threads, os.cpu_count() or 1) if corpus else settings.threads
    return backend(settings.encoder).create(settings, threads, corpus)


def corpus_encoder(settings: Settings, question_encoder: Encoder) -> Encoder:
    """The encoder that embeds the corpus: the question encoder itself, unless the backend keeps one of its own."""
    if backend(settings.encoder).own_corpus_encoder:
        return load_encoder(settings, corpus=True)
    return question_encoder


def prepare_build(settings: Settings) -> None:
    """The backend's build-time step (exporting the ONNX model), so serving needs nothing more."""
    backend(settings.encoder).prepare(settings)
