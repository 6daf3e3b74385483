"""Building, skipping, incremental re-embedding, atomic swap and loading of the index."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot import __version__
from bot.config import ROOT
from bot.corpus.documents import chunk, corpus_digest, load_corpus
from bot.errors import IndexMismatchError, IndexMissingError
from bot.loader import build_index, expected, load_index
from bot.search.encoders.hash import HashEncoder
from bot.search.index import FORMAT_VERSION, index_problem

SMALL_CORPUS = (
    "en/naloxone-basics.md",
    "en/fentanyl-test-strips.md",
    "es/naloxone-basics-es.md",
    "es/fentanyl-facts-es.md",
)


class CountingEncoder:
    """The hash encoder, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        self._inner = HashEncoder()
        self.name = self._inner.name
        self.dim = self._inner.dim
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self._inner.encode(texts)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A copy of four real corpus documents (two English, two Spanish)."""
    folder = tmp_path / "corpus"
    for name in SMALL_CORPUS:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "corpus" / name, target)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _doc_texts(path: Path) -> set[str]:
    """Every text the index embeds for one document: passage texts and sentences."""
    (doc,) = [d for d in load_corpus(path.parent.parent) if d.path == path]
    passages = chunk(doc)
    return {p.embed_text for p in passages} | {s for p in passages for s in p.sentences}


def _builds(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "builds").iterdir() if not p.name.startswith("."))


def test_build_writes_manifest(corpus_dir: Path, data_dir: Path) -> None:
    encoder = HashEncoder()
    report = build_index(corpus_dir, data_dir, encoder, progress=False)
    manifest = json.loads((data_dir / "index" / "manifest.json").read_text())
    docs = load_corpus(corpus_dir)
    passages = [p for d in docs for p in chunk(d)]
    assert manifest["model"] == encoder.name == "hash-256"
    assert manifest["dimension"] == 256
    assert manifest["corpus_hash"] == corpus_digest(corpus_dir)
    assert manifest["format"] == FORMAT_VERSION
    assert manifest["bot_version"] == __version__
    assert manifest["documents"] == report.documents == len(SMALL_CORPUS)
    assert manifest["passages"] == report.passages == len(passages)
    assert manifest["sentences"] == report.sentences == sum(len(p.sentences) for p in passages)
    assert not report.skipped
    assert report.embedded > 0


def test_built_index_loads_with_every_part(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    index = load_index(data_dir / "index", corpus_dir, "hash-256")
    assert len(index.passages) == index.manifest["passages"] == index.dense.ntotal
    assert index.passage_vectors.shape == (len(index.passages), 256)
    assert index.sentence_vectors.shape == (index.manifest["sentences"], 256)
    assert set(index.bm25) == {"en", "es"}
    assert {s.doc_id for s in index.sources.values()} == {d.id for d in load_corpus(corpus_dir)}
    first, last = index.sentence_range(0)
    assert last - first == len(index.passages[0].sentences)
    np.testing.assert_allclose(np.linalg.norm(index.passage_vectors, axis=1), 1.0, rtol=1e-5)


def test_second_build_with_nothing_changed_is_skipped(corpus_dir: Path, data_dir: Path) -> None:
    first = build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    encoder = CountingEncoder()
    second = build_index(corpus_dir, data_dir, encoder, progress=False)
    assert second.skipped
    assert second.embedded == 0
    assert encoder.texts == []
    assert second.path == first.path
    assert (second.documents, second.passages) == (first.documents, first.passages)
    assert len(_builds(data_dir)) == 1


def test_forced_rebuild_reuses_every_cached_embedding(corpus_dir: Path, data_dir: Path) -> None:
    first = build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    encoder = CountingEncoder()
    second = build_index(corpus_dir, data_dir, encoder, force=True, progress=False)
    assert not second.skipped
    assert encoder.texts == []
    assert second.embedded == 0
    assert second.reused == first.embedded + first.reused
    assert second.path != first.path


def test_changing_one_document_re_embeds_only_its_texts(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    changed = corpus_dir / "en" / "fentanyl-test-strips.md"
    old_texts = _doc_texts(changed)
    body = changed.read_text(encoding="utf-8")
    marker = "\n## "
    at = body.index(marker) + len(marker)
    heading_end = body.index("\n", at)
    changed.write_text(
        body[: heading_end + 1] + "Strips are sold in packs of ten at some pharmacies.\n" + body[heading_end + 1 :],
        encoding="utf-8",
    )
    new_texts = _doc_texts(changed)

    encoder = CountingEncoder()
    report = build_index(corpus_dir, data_dir, encoder, progress=False)
    assert not report.skipped
    assert encoder.texts, "the changed document must be embedded again"
    assert set(encoder.texts) <= new_texts
    assert set(encoder.texts) == new_texts - old_texts
    assert report.embedded == len(set(encoder.texts))
    assert report.reused > report.embedded
    index = load_index(data_dir / "index", corpus_dir, "hash-256")
    assert any("packs of ten" in p.text for p in index.passages)


def test_live_index_is_a_symlink_swapped_to_each_new_build(corpus_dir: Path, data_dir: Path) -> None:
    reports = [build_index(corpus_dir, data_dir, HashEncoder(), force=True, progress=False) for _ in range(4)]
    live = data_dir / "index"
    assert live.is_symlink()
    assert not Path(os.readlink(live)).is_absolute(), "a relative link survives moving the data folder"
    assert live.resolve() == reports[-1].path.resolve()
    # The live build plus the two before it are kept; older ones are pruned.
    assert _builds(data_dir) == sorted(r.path for r in reports[-3:])
    assert not reports[0].path.exists()
    assert not list(data_dir.glob(".index-*")), "the temporary link is renamed over the live one"
    assert not list((data_dir / "builds").glob(".*.tmp"))


def test_build_replaces_a_plain_index_folder(corpus_dir: Path, data_dir: Path) -> None:
    (data_dir / "index").mkdir(parents=True)
    (data_dir / "index" / "stray.txt").write_text("left from an old layout")
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    assert (data_dir / "index").is_symlink()
    assert load_index(data_dir / "index", corpus_dir, "hash-256").passages


def test_load_missing_index_names_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="hrbot build"):
        load_index(tmp_path / "nothing-here" / "index")


def test_load_after_corpus_change_raises_mismatch_naming_the_fix(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    doc = corpus_dir / "es" / "fentanyl-facts-es.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nLa naloxona salva vidas.\n", encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="hrbot build") as excinfo:
        load_index(data_dir / "index", corpus_dir, "hash-256")
    assert "corpus" in str(excinfo.value)


def test_load_with_another_model_raises_mismatch(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    assert index_problem(data_dir / "index", expected(corpus_dir, "hash-256")) is None
    with pytest.raises(IndexMismatchError, match="model"):
        load_index(data_dir / "index", corpus_dir, "sentence-transformers/all-MiniLM-L6-v2")


def test_an_index_built_under_another_lexicon_is_stale(corpus_dir: Path, data_dir: Path) -> None:
    # Asks are embedded after street words are expanded, so a changed lexicon changes the vectors.
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    manifest_path = data_dir / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["lexicon_hash"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    assert index_problem(data_dir / "index", expected(corpus_dir, "hash-256")) == (
        "the index was built with another lexicon hash"
    )
    assert not build_index(corpus_dir, data_dir, HashEncoder(), progress=False).skipped


def test_load_with_truncated_passages_raises_mismatch(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    passages = data_dir / "index" / "passages.json"
    raw = passages.read_bytes()
    passages.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(IndexMismatchError, match="damaged"):
        load_index(data_dir / "index", corpus_dir, "hash-256")


def test_load_with_deleted_faiss_file_raises_mismatch(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    (data_dir / "index" / "dense.faiss").unlink()
    with pytest.raises(IndexMismatchError, match="hrbot build"):
        load_index(data_dir / "index", corpus_dir, "hash-256")


def test_load_with_unreadable_manifest_raises_mismatch(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    (data_dir / "index" / "manifest.json").write_text("{not json")
    with pytest.raises(IndexMismatchError, match="manifest"):
        load_index(data_dir / "index", corpus_dir, "hash-256")


def test_damaged_index_is_rebuilt_by_the_next_build(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    (data_dir / "index" / "dense.faiss").unlink()
    report = build_index(corpus_dir, data_dir, HashEncoder(), force=True, progress=False)
    assert not report.skipped
    assert load_index(data_dir / "index", corpus_dir, "hash-256").dense.ntotal == report.passages


def test_leftover_tmp_build_from_a_crash_does_not_break_loading(corpus_dir: Path, data_dir: Path) -> None:
    build_index(corpus_dir, data_dir, HashEncoder(), progress=False)
    crashed = data_dir / "builds" / ".20260101T000000000000.tmp"
    crashed.mkdir()
    (crashed / "passage_vectors.npy").write_bytes(b"\x93NUMPY half written")
    index = load_index(data_dir / "index", corpus_dir, "hash-256")
    assert index.passages
    # A later build still succeeds and keeps serving the finished build, never the crashed folder.
    report = build_index(corpus_dir, data_dir, HashEncoder(), force=True, progress=False)
    assert (data_dir / "index").resolve() == report.path.resolve()
    assert crashed not in _builds(data_dir)
    assert load_index(data_dir / "index", corpus_dir, "hash-256").passages
