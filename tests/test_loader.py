"""How a bot comes to exist: how often the corpus is read, auto-build, and the errors that name the fix."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot import loader
from bot.errors import EncoderUnavailableError, IndexMismatchError, IndexMissingError
from bot.search.encoders.hash import HashEncoder
from tests.conftest import make_settings, seed_triage


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[Any]:
    calls: list[Any] = []
    original: Callable[..., Any] = getattr(loader, name)

    def counted(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(loader, name, counted)
    return calls


def test_a_normal_start_reads_the_corpus_once(built_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digests, reads = _counting(monkeypatch, "corpus_digest"), _counting(monkeypatch, "read_corpus")
    bot = loader.load_bot(make_settings(built_data_dir), HashEncoder())
    assert bot.index.passages
    assert (len(digests), len(reads)) == (1, 0)


def test_a_start_that_rebuilds_reads_it_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_data_dir: Path
) -> None:
    seed_triage(built_data_dir, tmp_path / "fresh")
    digests, reads = _counting(monkeypatch, "corpus_digest"), _counting(monkeypatch, "read_corpus")
    bot = loader.load_bot(make_settings(tmp_path / "fresh", auto_build=True), HashEncoder())
    assert bot.index.passages
    assert (len(digests), len(reads)) == (1, 1)


def test_no_index_names_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="hrbot build"):
        loader.load_bot(make_settings(tmp_path / "empty"), HashEncoder())


def test_a_stale_index_without_auto_build_names_the_problem(built_data_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(built_data_dir, data_dir, symlinks=True)
    with pytest.raises(IndexMismatchError, match="another model: run 'hrbot build'"):
        loader.load_bot(make_settings(data_dir, model="hash-128"), HashEncoder(128))


def _no_model(*_: object, **__: object) -> Any:
    raise EncoderUnavailableError("cannot load the embedding model")


def test_without_an_encoder_the_last_index_serves_degraded(
    built_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "load_encoder", _no_model)
    bot = loader.load_bot(make_settings(built_data_dir))
    assert bot.degraded
    assert bot.answer("how do i use naloxone").kind == "answer"


def test_require_encoder_refuses_to_degrade(built_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "load_encoder", _no_model)
    with pytest.raises(EncoderUnavailableError):
        loader.load_bot(make_settings(built_data_dir), require_encoder=True)
