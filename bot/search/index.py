"""Read a built index: FAISS over passages, BM25 per language, sentence vectors.

`bot/search/build.py` writes what this module reads. A manifest names what an index was built from; an index
serves only the corpus and model its manifest matches.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.corpus.documents import Passage, Source
from bot.errors import IndexMismatchError, IndexMissingError
from bot.lexicon import lexicon_digest
from bot.search.cards import CardIndex, read_cards_index
from bot.vocab import LANGUAGES

FORMAT_VERSION = 10
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Expected:
    """What an index must have been built from to serve: the model, the corpus and the lexicon that expands
    every ask before it is embedded."""

    model: str
    corpus_hash: str
    lexicon_hash: str = field(default_factory=lexicon_digest)

    def manifest(self) -> dict[str, Any]:
        """The manifest fields that must match."""
        return {
            "model": self.model,
            "corpus_hash": self.corpus_hash,
            "lexicon_hash": self.lexicon_hash,
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
    problem = verify_files(index_dir.resolve(), manifest)
    return f"the index is damaged: {problem}" if problem else None


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
        # `index_problem` has just checked every file's digest; reading does it only when nothing else did.
        return _read(index_dir.resolve(), verify=expected is None)
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise IndexMismatchError(f"the index at {index_dir} is damaged ({e}): run 'hrbot build --force'") from e


def describe_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Every file of an index folder (but the manifest): its sha256 and size, and an array's shape and dtype."""
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        entry: dict[str, Any] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
        if path.suffix == ".npy":
            array = np.load(path, mmap_mode="r")
            entry |= {"shape": list(array.shape), "dtype": str(array.dtype)}
        files[path.relative_to(folder).as_posix()] = entry
    return files


def verify_files(folder: Path, manifest: dict[str, Any]) -> str | None:
    """What is wrong with the index's files against its manifest, or None when every one matches."""
    listed = manifest.get("files")
    if not isinstance(listed, dict) or not listed:
        return "the manifest lists no files"
    for name, want in listed.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != want.get("bytes") or _sha256(path) != want.get("sha256"):
            return f"{name} does not match its digest"
        if path.suffix == ".npy":
            array = np.load(path, mmap_mode="r")
            if list(array.shape) != want.get("shape") or str(array.dtype) != want.get("dtype"):
                return f"{name} has shape {list(array.shape)} {array.dtype}, expected {want.get('shape')} {want.get('dtype')}"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def limit_search_threads(threads: int = 1) -> None:
    """Set FAISS's OpenMP team for the whole process; the entry points call this once.

    A few hundred passages: one thread searches them in microseconds, while an OpenMP team per call cost ~12 ms
    on busy cores against ~0.04 ms alone.
    """
    import faiss

    faiss.omp_set_num_threads(threads)


def _read(path: Path, *, verify: bool) -> Index:
    import bm25s
    import faiss

    manifest = json.loads((path / MANIFEST).read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise ValueError(f"index format {manifest.get('format')} is not {FORMAT_VERSION}")
    problem = verify_files(path, manifest) if verify else None
    if problem:
        raise ValueError(problem)
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
    width = manifest.get("dimension")
    for name, vectors in (("passage", index.passage_vectors), ("sentence", index.sentence_vectors)):
        if vectors.ndim != 2 or vectors.shape[1] != width:
            raise ValueError(f"{name} vectors are {vectors.shape[1:]} wide, the model gives {width}")
    for lang in LANGUAGES:
        rows = np.load(path / f"bm25_rows_{lang}.npy")
        index.bm25_rows[lang] = rows
        if len(rows):
            index.bm25[lang] = bm25s.BM25.load(str(path / f"bm25_{lang}"))
    return index
