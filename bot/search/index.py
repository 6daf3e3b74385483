"""Build, save and load the index: FAISS over passages, BM25 per language, sentence and triage vectors."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot import __version__
from bot.corpus.documents import Passage, Source, chunk, corpus_hash, load_corpus, source_of
from bot.errors import IndexMismatchError, IndexMissingError
from bot.lexicon import expand, stem_tokens
from bot.search.encoders.base import Encoder
from bot.triage.examples import TriageExample, examples_hash, load_examples
from bot.vocab import LANGUAGES

logger = logging.getLogger(__name__)

FORMAT_VERSION = 6
_KEEP_OLD_BUILDS = 2


@dataclass
class Index:
    """Everything retrieval and triage need, loaded into memory."""

    manifest: dict[str, Any]
    passages: list[Passage]
    sources: dict[str, Source]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_offsets: np.ndarray
    triage: list[TriageExample]
    triage_vectors: np.ndarray
    bm25: dict[str, Any] = field(default_factory=dict)
    bm25_rows: dict[str, np.ndarray] = field(default_factory=dict)
    dense: Any = None
    path: Path = Path()

    def sentence_range(self, row: int) -> tuple[int, int]:
        """Rows of `sentence_vectors` that belong to passage `row`."""
        return int(self.sentence_offsets[row]), int(self.sentence_offsets[row + 1])


@dataclass(frozen=True)
class BuildReport:
    """What `build_index` did."""

    path: Path
    documents: int
    passages: int
    sentences: int
    embedded: int
    reused: int
    seconds: float
    skipped: bool = False


def _expected(corpus_dir: Path, model: str) -> dict[str, Any]:
    docs = load_corpus(corpus_dir)
    return {
        "model": model,
        "corpus_hash": corpus_hash(docs),
        "triage_hash": examples_hash(),
        "format": FORMAT_VERSION,
    }


def index_problem(index_dir: Path, corpus_dir: Path, model: str) -> str | None:
    """Why the index at `index_dir` cannot serve this corpus and model, or None when it can."""
    manifest_path = index_dir / "manifest.json"
    if not manifest_path.is_file():
        return f"no index at {index_dir}"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as e:
        return f"the index manifest is unreadable ({e})"
    expected = _expected(corpus_dir, model)
    for key, value in expected.items():
        if manifest.get(key) != value:
            return f"the index was built with another {key.replace('_', ' ')}"
    return None


class _EmbeddingCache:
    """Embeddings keyed by model and text hash, so a rebuild only encodes what changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.is_file():
            try:
                with np.load(path) as data:
                    self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                logger.warning("embedding cache unreadable, starting afresh", extra={"path": str(path)})

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def save(self, keep: set[str]) -> None:
        keys = sorted(k for k in self.vectors if k in keep)
        if not keys:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))
        os.replace(tmp, self.path)


def _embed_all(encoder: Encoder, texts: list[str], cache: _EmbeddingCache, progress: bool) -> tuple[np.ndarray, int]:
    keys = [cache.key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache.vectors}.items())
    if missing:
        from tqdm import tqdm

        batch = 64
        bar = tqdm(total=len(missing), desc="embedding", unit="text", disable=not progress, file=sys.stderr)
        for start in range(0, len(missing), batch):
            part = missing[start : start + batch]
            vectors = encoder.encode([t for _, t in part])
            for (k, _), v in zip(part, vectors, strict=True):
                cache.vectors[k] = v
            bar.update(len(part))
        bar.close()
    matrix = np.stack([cache.vectors[k] for k in keys]) if keys else np.zeros((0, encoder.dim), np.float32)
    return matrix.astype(np.float32), len(missing)


def build_index(
    corpus_dir: Path, data_dir: Path, encoder: Encoder, *, force: bool = False, progress: bool | None = None
) -> BuildReport:
    """Build the index into a new folder and switch `data_dir/index` to it atomically.

    Raises:
        CorpusError: the corpus cannot be read.
    """
    started = time.perf_counter()
    progress = sys.stderr.isatty() if progress is None else progress
    live = data_dir / "index"
    if not force and index_problem(live, corpus_dir, encoder.name) is None:
        manifest = json.loads((live / "manifest.json").read_text())
        return BuildReport(
            live.resolve(), manifest["documents"], manifest["passages"], manifest["sentences"], 0, 0, 0.0, True
        )
    docs = load_corpus(corpus_dir)
    passages = [p for doc in docs for p in chunk(doc)]
    sources = {doc.id: source_of(doc) for doc in docs}
    sentences = [s for p in passages for s in p.sentences]
    offsets = np.cumsum([0] + [len(p.sentences) for p in passages]).astype(np.int64)
    examples = load_examples()

    cache = _EmbeddingCache(data_dir / "cache" / f"embeddings-{_slug(encoder.name)}.npz")
    texts = [p.embed_text for p in passages] + sentences + [expand(e.text, e.lang) for e in examples]
    matrix, embedded = _embed_all(encoder, texts, cache, progress)
    cache.save({cache.key(t) for t in texts})
    n_p, n_s = len(passages), len(sentences)

    builds = data_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    tmp = builds / f".{stamp}.tmp"
    tmp.mkdir()
    np.save(tmp / "passage_vectors.npy", matrix[:n_p])
    np.save(tmp / "sentence_vectors.npy", matrix[n_p : n_p + n_s])
    np.save(tmp / "sentence_offsets.npy", offsets)
    np.save(tmp / "triage_vectors.npy", matrix[n_p + n_s :])
    _write_faiss(tmp / "dense.faiss", matrix[:n_p])
    _write_bm25(tmp, passages)
    (tmp / "passages.json").write_text(
        json.dumps(
            {
                "sources": [vars(s) for s in sources.values()],
                "passages": [
                    {
                        "id": p.id,
                        "doc_id": p.doc_id,
                        "heading": p.heading,
                        "language": p.language,
                        "sentences": list(p.sentences),
                        "topics": list(p.topics),
                    }
                    for p in passages
                ],
                "triage": [{"text": e.text, "kind": e.kind, "lang": e.lang} for e in examples],
            },
            ensure_ascii=False,
        )
    )
    manifest = {
        **_expected(corpus_dir, encoder.name),
        "dimension": encoder.dim,
        "documents": len(docs),
        "passages": n_p,
        "sentences": n_s,
        "triage_examples": len(examples),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "bot_version": __version__,
        "build_seconds": round(time.perf_counter() - started, 3),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
    final = builds / stamp
    os.replace(tmp, final)
    _swap_link(live, final)
    _prune(builds, keep=final)
    return BuildReport(final, len(docs), n_p, n_s, embedded, len(texts) - embedded, time.perf_counter() - started)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-")


def _swap_link(live: Path, target: Path) -> None:
    # A symlink replaced with os.replace is swapped atomically: a reader sees the old or the new build.
    tmp_link = live.with_name(f".index-{os.getpid()}")
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.relative_to(live.parent), target_is_directory=True)
    if live.exists() and not live.is_symlink():
        shutil.rmtree(live)
    os.replace(tmp_link, live)


def _prune(builds: Path, keep: Path) -> None:
    old = sorted((p for p in builds.iterdir() if p != keep and not p.name.startswith(".")), reverse=True)
    for path in old[_KEEP_OLD_BUILDS:]:
        shutil.rmtree(path, ignore_errors=True)
    for path in builds.glob(".*.tmp"):
        if time.time() - path.stat().st_mtime > 3600:
            shutil.rmtree(path, ignore_errors=True)


def _write_faiss(path: Path, vectors: np.ndarray) -> None:
    import faiss

    # Unit vectors: inner product is cosine, and exact search suits a corpus of a few thousand passages.
    index = faiss.IndexIDMap(faiss.IndexFlatIP(vectors.shape[1]))
    index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    faiss.write_index(index, str(path))


def _write_bm25(folder: Path, passages: list[Passage]) -> None:
    import bm25s

    for lang in LANGUAGES:
        rows = [i for i, p in enumerate(passages) if p.language == lang]
        np.save(folder / f"bm25_rows_{lang}.npy", np.array(rows, dtype=np.int64))
        if not rows:
            continue
        corpus_tokens = [stem_tokens(f"{passages[i].heading} {passages[i].text}", lang) for i in rows]
        retriever = bm25s.BM25()
        retriever.index(corpus_tokens, show_progress=False)
        retriever.save(str(folder / f"bm25_{lang}"))


def load_index(index_dir: Path, corpus_dir: Path | None = None, model: str | None = None) -> Index:
    """Load a built index, checking it against the corpus and model when given.

    Raises:
        IndexMissingError: nothing has been built.
        IndexMismatchError: the index is stale, from another model, or damaged.
    """
    if not (index_dir / "manifest.json").is_file():
        raise IndexMissingError(f"no index at {index_dir}: run 'hrbot build'")
    if corpus_dir is not None and model is not None:
        problem = index_problem(index_dir, corpus_dir, model)
        if problem:
            raise IndexMismatchError(f"{problem}: run 'hrbot build' to rebuild it")
    try:
        return _read(index_dir.resolve())
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise IndexMismatchError(f"the index at {index_dir} is damaged ({e}): run 'hrbot build --force'") from e


def _read(path: Path) -> Index:
    import bm25s
    import faiss

    # A few hundred passages: one thread searches them in microseconds; an OpenMP team per call costs ms.
    faiss.omp_set_num_threads(1)

    manifest = json.loads((path / "manifest.json").read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise ValueError(f"index format {manifest.get('format')} is not {FORMAT_VERSION}")
    data = json.loads((path / "passages.json").read_text())
    sources = {s["doc_id"]: Source(**s) for s in data["sources"]}
    passages = [
        Passage(p["id"], p["doc_id"], p["heading"], p["language"], tuple(p["sentences"]), tuple(p["topics"]))
        for p in data["passages"]
    ]
    triage = [TriageExample(t["text"], t["kind"], t["lang"]) for t in data["triage"]]
    index = Index(
        manifest=manifest,
        passages=passages,
        sources=sources,
        passage_vectors=np.load(path / "passage_vectors.npy"),
        sentence_vectors=np.load(path / "sentence_vectors.npy"),
        sentence_offsets=np.load(path / "sentence_offsets.npy"),
        triage=triage,
        triage_vectors=np.load(path / "triage_vectors.npy"),
        dense=faiss.read_index(str(path / "dense.faiss")),
        path=path,
    )
    if index.dense.ntotal != len(passages) or len(index.sentence_offsets) != len(passages) + 1:
        raise ValueError("vector counts do not match the passages")
    for lang in LANGUAGES:
        rows = np.load(path / f"bm25_rows_{lang}.npy")
        index.bm25_rows[lang] = rows
        if len(rows):
            index.bm25[lang] = bm25s.BM25.load(str(path / f"bm25_{lang}"))
    return index
