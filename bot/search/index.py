"""Read a built index: FAISS over passages, BM25 per language, sentence vectors.

`bot/search/build.py` writes what this module reads. A manifest names what an index was built from; an index
serves only the corpus and model its manifest matches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.corpus.documents import Passage, Source
from bot.errors import IndexMismatchError, IndexMissingError
from bot.search.cards import CardIndex, read_cards_index
from bot.vocab import LANGUAGES

FORMAT_VERSION = 8
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Expected:
    """What an index must have been built from to serve: the model and the corpus."""

    model: str
    corpus_hash: str

    def manifest(self) -> dict[str, Any]:
        """The manifest fields that must match."""
        return {
            "model": self.model,
            "corpus_hash": self.corpus_hash,
            "format": FORMAT_VERSION,
        }


@dataclass
class Index:
    """Everything retrieval and composition need, loaded into memory."""

    manifest: dict[str, Any]
    passages: list[Passage]
    sources: dict[str, Source]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_offsets: np.ndarray
    bm25: dict[str, Any] = field(default_factory=dict)
    bm25_rows: dict[str, np.ndarray] = field(default_factory=dict)
    dense: Any = None
    path: Path = Path()
    cards: CardIndex = field(default_factory=CardIndex)

    def sentence_range(self, row: int) -> tuple[int, int]:
        """Rows of `sentence_vectors` that belong to passage `row`."""
        return int(self.sentence_offsets[row]), int(self.sentence_offsets[row + 1])


def index_problem(index_dir: Path, expected: Expected) -> str | None:
    """Why the index at `index_dir` cannot serve what `expected` names, or None when it can."""
    manifest_path = index_dir / MANIFEST
    if not manifest_path.is_file():
        return f"no index at {index_dir}"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as e:
        return f"the index manifest is unreadable ({e})"
    for key, value in expected.manifest().items():
        if manifest.get(key) != value:
            return f"the index was built with another {key.replace('_', ' ')}"
    return None


def read_index(index_dir: Path, expected: Expected | None = None) -> Index:
    """Load a built index, checked against `expected` when given.

    Raises:
        IndexMissingError: nothing has been built.
        IndexMismatchError: the index is stale, from another model, or damaged.
    """
    if not (index_dir / MANIFEST).is_file():
        raise IndexMissingError(f"no index at {index_dir}: run 'hrbot build'")
    if expected is not None:
        problem = index_problem(index_dir, expected)
        if problem:
            raise IndexMismatchError(f"{problem}: run 'hrbot build' to rebuild it")
    try:
        return _read(index_dir.resolve())
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise IndexMismatchError(f"the index at {index_dir} is damaged ({e}): run 'hrbot build --force'") from e


def limit_search_threads(threads: int = 1) -> None:
    """Set FAISS's OpenMP team for the whole process; the entry points call this once.

    A few hundred passages: one thread searches them in microseconds, while an OpenMP team per call cost ~12 ms
    on busy cores against ~0.04 ms alone.
    """
    import faiss

    faiss.omp_set_num_threads(threads)


def _read(path: Path) -> Index:
    import bm25s
    import faiss

    manifest = json.loads((path / MANIFEST).read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise ValueError(f"index format {manifest.get('format')} is not {FORMAT_VERSION}")
    data = json.loads((path / "passages.json").read_text())
    index = Index(
        manifest=manifest,
        passages=[
            Passage(p["id"], p["doc_id"], p["heading"], p["language"], tuple(p["sentences"]), tuple(p["topics"]))
            for p in data["passages"]
        ],
        sources={s["doc_id"]: Source(**s) for s in data["sources"]},
        passage_vectors=np.load(path / "passage_vectors.npy"),
        sentence_vectors=np.load(path / "sentence_vectors.npy"),
        sentence_offsets=np.load(path / "sentence_offsets.npy"),
        dense=faiss.read_index(str(path / "dense.faiss")),
        path=path,
        cards=read_cards_index(path),
    )
    if index.dense.ntotal != len(index.passages) or len(index.sentence_offsets) != len(index.passages) + 1:
        raise ValueError("vector counts do not match the passages")
    for lang in LANGUAGES:
        rows = np.load(path / f"bm25_rows_{lang}.npy")
        index.bm25_rows[lang] = rows
        if len(rows):
            index.bm25[lang] = bm25s.BM25.load(str(path / f"bm25_{lang}"))
    return index
