"""The encoder registry: one backend per module, selected by `BOT_ENCODER`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import ENCODERS_DIR, Settings, encoder_names
from bot.search.encoders import Backend, backend, corpus_encoder, load_encoder, prepare_build
from bot.search.encoders.hash import HashEncoder
from tests.conftest import make_settings


def test_every_backend_module_defines_a_backend() -> None:
    names = encoder_names()
    assert set(names) >= {"hash", "onnx", "torch"}
    for name in names:
        assert isinstance(backend(name), Backend)
        assert (ENCODERS_DIR / f"{name}.py").is_file()


def test_settings_accept_only_backend_names() -> None:
    assert Settings(encoder="hash").encoder == "hash"
    with pytest.raises(ValidationError, match="Input should be 'torch', 'onnx' or 'hash'"):
        Settings(encoder="word2vec")


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no encoder backend 'word2vec'"):
        backend("word2vec")


def test_hash_backend_builds_and_serves_with_one_encoder(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    encoder = load_encoder(settings)
    assert isinstance(encoder, HashEncoder)
    assert corpus_encoder(settings, encoder) is encoder
    prepare_build(settings)
    assert not (tmp_path / "onnx").exists()


def test_onnx_backend_embeds_the_corpus_with_its_own_encoder() -> None:
    assert backend("onnx").own_corpus_encoder
    assert not backend("torch").own_corpus_encoder
