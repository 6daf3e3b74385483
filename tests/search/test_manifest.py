"""An index proves itself: the manifest lists every file's digest, shape and dtype, and load checks them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.errors import IndexMismatchError
from bot.loader import build_index, expected, load_index
from bot.search.encoders.hash import HashEncoder
from bot.search.index import MANIFEST, index_problem
from tests.corpus.cardfixture import write_corpus


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = write_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    build_index(corpus, data, HashEncoder(), progress=False)
    # A private copy, so damaging it leaves nothing shared behind.
    live = (data / "index").resolve()
    copy = tmp_path / "copy"
    shutil.copytree(live, copy)
    return corpus, copy


def test_the_manifest_lists_every_file_with_digest_shape_and_dtype(built: tuple[Path, Path]) -> None:
    _, folder = built
    files = json.loads((folder / MANIFEST).read_text())["files"]
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST}
    assert set(files) == on_disk
    vectors = files["passage_vectors.npy"]
    assert vectors["dtype"] == "float32" and vectors["shape"][1] == HashEncoder().dim
    assert len(vectors["sha256"]) == 64


def test_a_vector_file_of_the_wrong_width_is_refused(built: tuple[Path, Path]) -> None:
    corpus, folder = built
    np.save(folder / "sentence_vectors.npy", np.zeros((3, 17), np.float32))
    problem = index_problem(folder, expected(corpus, HashEncoder().name))
    assert problem is not None and "sentence_vectors.npy" in problem
    with pytest.raises(IndexMismatchError, match="sentence_vectors.npy"):
        load_index(folder, corpus, HashEncoder().name)


def test_a_file_zeroed_at_the_right_shape_is_refused(built: tuple[Path, Path]) -> None:
    corpus, folder = built
    vectors = np.load(folder / "card_vectors.npy")
    np.save(folder / "card_vectors.npy", np.zeros_like(vectors))
    with pytest.raises(IndexMismatchError, match="card_vectors.npy does not match its digest"):
        load_index(folder)


def test_a_missing_file_is_refused(built: tuple[Path, Path]) -> None:
    _, folder = built
    (folder / "passages.json").unlink()
    with pytest.raises(IndexMismatchError, match="passages.json is missing"):
        load_index(folder)


def test_an_intact_index_loads(built: tuple[Path, Path]) -> None:
    corpus, folder = built
    assert index_problem(folder, expected(corpus, HashEncoder().name)) is None
    assert len(load_index(folder, corpus, HashEncoder().name).cards) == 2
