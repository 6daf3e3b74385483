"""The ONNX encoder: same vectors as sentence-transformers (fp32), close ones (int8), and no torch when serving."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.config import ROOT
from bot.errors import EncoderUnavailableError
from bot.search.encoders.onnx import (
    EXPORT_VERSION,
    INFO_FILE,
    INT8_FILE,
    TOKENIZER_FILE,
    OnnxEncoder,
    export_onnx,
    model_cache_dir,
)

MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DATA = Path(__file__).parents[2] / "data"


def _questions() -> list[str]:
    rows = [json.loads(line) for line in (DATA / "eval.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return list(dict.fromkeys(str(r["question"]) for r in rows))


def test_threads_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="threads must be positive. Currently, threads is 0"):
        OnnxEncoder(MODEL, tmp_path, threads=0)


def test_cache_folder_is_keyed_by_model_name(tmp_path: Path) -> None:
    assert model_cache_dir(tmp_path, MODEL) == tmp_path / "sentence-transformers-all-MiniLM-L6-v2"
    assert model_cache_dir(tmp_path, "other/model") != model_cache_dir(tmp_path, MODEL)


def test_export_of_a_folder_without_tokenizer_fails_clearly(tmp_path: Path) -> None:
    model = tmp_path / "not-a-model"
    model.mkdir()
    with pytest.raises(EncoderUnavailableError, match="has no tokenizer.json"):
        export_onnx(str(model), tmp_path / "onnx")
    assert not model_cache_dir(tmp_path / "onnx", str(model)).exists()


def test_damaged_export_names_the_folder_to_delete(tmp_path: Path) -> None:
    folder = model_cache_dir(tmp_path, MODEL)
    folder.mkdir(parents=True)
    for name in ("model.onnx", INT8_FILE, TOKENIZER_FILE):
        (folder / name).write_bytes(b"not a model")
    (folder / INFO_FILE).write_text(json.dumps({"model": MODEL, "version": EXPORT_VERSION, "int8": True}))
    with pytest.raises(EncoderUnavailableError, match="delete"):
        OnnxEncoder(MODEL, tmp_path)


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged model exported once for this module (fp32 and int8)."""
    cache = tmp_path_factory.mktemp("onnx")
    export_onnx(MODEL, cache, quantize=True)
    return cache


@pytest.fixture(scope="module")
def torch_vectors() -> tuple[np.ndarray, np.ndarray]:
    """Reference vectors from sentence-transformers: the questions and a sample of corpus passages."""
    from bot.corpus.documents import chunk, load_corpus
    from bot.search.encoders.torch import SentenceTransformerEncoder

    encoder = SentenceTransformerEncoder(MODEL)
    passages = [p.embed_text for doc in load_corpus(ROOT / "corpus") for p in chunk(doc)][::3]
    return encoder.encode(_questions()), encoder.encode(passages)


@pytest.mark.integration
def test_fp32_export_matches_torch(export_dir: Path, torch_vectors: tuple[np.ndarray, np.ndarray]) -> None:
    questions, _ = torch_vectors
    encoder = OnnxEncoder(MODEL, export_dir, quantize=False)
    batched = encoder.encode(_questions())
    single = np.stack([encoder.encode([q])[0] for q in _questions()])
    assert encoder.name == MODEL
    assert encoder.dim == questions.shape[1]
    assert batched.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert float((batched * questions).sum(axis=1).min()) >= 0.99
    assert float((single * questions).sum(axis=1).min()) >= 0.99


@pytest.mark.integration
def test_int8_export_stays_close_to_torch(export_dir: Path, torch_vectors: tuple[np.ndarray, np.ndarray]) -> None:
    questions, passages = torch_vectors
    encoder = OnnxEncoder(MODEL, export_dir, quantize=True)
    vectors = np.stack([encoder.encode([q])[0] for q in _questions()])
    cosine = (vectors * questions).sum(axis=1)
    same_top1 = float(np.mean(np.argmax(vectors @ passages.T, axis=1) == np.argmax(questions @ passages.T, axis=1)))
    print(f"int8 vs torch: cosine min {cosine.min():.4f} mean {cosine.mean():.4f}; top-1 passage same {same_top1:.1%}")
    assert float(cosine.mean()) >= 0.98
    assert float(cosine.min()) >= 0.95
    # Quantization moves some near-ties; the dev-eval pass rate (bench/) is the quality gate, this a tripwire.
    assert same_top1 >= 0.75


@pytest.mark.integration
def test_serving_path_does_not_import_torch(export_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from bot.search.encoders.onnx import OnnxEncoder; "
        f"e = OnnxEncoder({MODEL!r}, Path({str(export_dir)!r})); e.encode(['how do i use narcan']); "
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
