"""Write the index: embed passages and sentences (only what changed), then swap it in atomically.

Each build goes to a new `builds/<stamp>/` folder; the live `index` symlink is replaced in one rename, so a reader
sees the old build or the new one, never half of either. `bot/search/index.py` reads what this writes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot import __version__
from bot.corpus.documents import Corpus, Passage, chunk, source_of
from bot.lexicon import expand, stem_tokens
from bot.search.cache import EmbeddingCache, embed_all
from bot.search.cards import ask_texts, write_cards
from bot.search.encoders import Encoder
from bot.search.index import MANIFEST, Expected, describe_files
from bot.search.progress import BuildProgress
from bot.vocab import LANGUAGES

logger = logging.getLogger(__name__)

_KEEP_OLD_BUILDS = 2


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    path: Path
    documents: int
    passages: int
    sentences: int
    embedded: int
    reused: int
    seconds: float
    skipped: bool = False


def skipped_build(live: Path) -> BuildReport:
    """The report for a build that found the live index up to date."""
    manifest = json.loads((live / MANIFEST).read_text())
    return BuildReport(
        live.resolve(), manifest["documents"], manifest["passages"], manifest["sentences"], 0, 0, 0.0, True
    )


def write_index(
    corpus: Corpus,
    data_dir: Path,
    encoder: Encoder,
    expected: Expected,
    *,
    progress: bool,
) -> BuildReport:
    """Build the index of `corpus` into a new folder and switch `data_dir/index` to it atomically.

    Args:
        corpus: the documents, read once, with their digest.
        data_dir: `BOT_DATA_DIR`: builds, the embedding cache and the live `index` link go here.
        encoder: embeds passages and sentences (full precision).
        expected: what the manifest records the index was built from.
        progress: show a progress bar on standard error.
    """
    started = time.perf_counter()
    passages = [p for doc in corpus.documents for p in chunk(doc)]
    sentences = [s for p in passages for s in p.sentences]
    cache = EmbeddingCache.for_encoder(data_dir, "embeddings", encoder.name)
    texts = [p.embed_text for p in passages] + sentences + _asks(corpus)
    matrix, embedded = _embed(encoder, texts, cache, data_dir, progress)
    n_p, n_s = len(passages), len(sentences)

    builds = data_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    tmp = builds / f".{stamp}.tmp"
    tmp.mkdir()
    _write_vectors(tmp, matrix, passages, n_s)
    _write_bm25(tmp, passages)
    _write_passages(tmp / "passages.json", corpus, passages)
    write_cards(tmp, corpus.cards, matrix[n_p + n_s :], data_dir / "cache")
    manifest = {
        **expected.manifest(),
        "dimension": encoder.dim,
        "documents": len(corpus.documents),
        "passages": n_p,
        "sentences": n_s,
        "cards": len(corpus.cards),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "bot_version": __version__,
        "build_seconds": round(time.perf_counter() - started, 3),
    }
    final = _publish(tmp, builds / stamp, data_dir / "index", manifest)
    seconds = time.perf_counter() - started
    return BuildReport(final, len(corpus.documents), n_p, n_s, embedded, len(texts) - embedded, seconds)


def _embed(
    encoder: Encoder, texts: list[str], cache: EmbeddingCache, data_dir: Path, progress: bool
) -> tuple[np.ndarray, int]:
    reporter = BuildProgress(data_dir, log=not progress)
    try:
        matrix, embedded = embed_all(encoder, texts, cache, progress, reporter)
    finally:
        reporter.done()
    cache.save({cache.key(t) for t in texts})
    return matrix, embedded


def _asks(corpus: Corpus) -> list[str]:
    # Asks are embedded as questions are: with street words expanded (bot/service.py).
    asks, owner = ask_texts(corpus.cards)
    return [expand(ask, corpus.cards[i].language) for ask, i in zip(asks, owner, strict=True)]


def _publish(tmp: Path, final: Path, live: Path, manifest: dict[str, Any]) -> Path:
    # The manifest goes last: a build without one was cut short and is never loaded. It lists every file with
    # its digest (and an array's shape and dtype), so a file damaged later is caught at load.
    manifest = {**manifest, "files": describe_files(tmp)}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2))
    os.replace(tmp, final)
    _swap_link(live, final)
    _prune(final.parent, keep=final)
    return final


def _write_vectors(folder: Path, matrix: np.ndarray, passages: list[Passage], n_sentences: int) -> None:
    # Rows of `matrix`: passages, then their sentences.
    n_p = len(passages)
    np.save(folder / "passage_vectors.npy", matrix[:n_p])
    np.save(folder / "sentence_vectors.npy", matrix[n_p : n_p + n_sentences])
    np.save(folder / "sentence_offsets.npy", np.cumsum([0] + [len(p.sentences) for p in passages]).astype(np.int64))
    _write_faiss(folder / "dense.faiss", matrix[:n_p])


def _write_passages(path: Path, corpus: Corpus, passages: list[Passage]) -> None:
    data: dict[str, Any] = {
        "sources": [vars(s) for s in {doc.id: source_of(doc) for doc in corpus.documents}.values()],
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
    }
    path.write_text(json.dumps(data, ensure_ascii=False))


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
