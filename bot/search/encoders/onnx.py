"""`BOT_ENCODER=onnx`: the sentence model on ONNX Runtime, the same vectors as sentence-transformers without torch.

The model is exported once at build time (`export_onnx`, which alone imports torch) into a folder keyed by model name:
`model.onnx` (fp32: mean pooling and normalisation inside the graph), `model_int8.onnx` (dynamically quantized
weights) and the model's `tokenizer.json`. Serving then needs only `onnxruntime` and `tokenizers`.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.errors import EncoderUnavailableError
from bot.search.encoders._protocol import Backend, Encoder, hub_offline, resolve_model_path, unit_rows

if TYPE_CHECKING:
    from bot.config import Settings

logger = logging.getLogger(__name__)

FP32_FILE = "model.onnx"
INT8_FILE = "model_int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "export.json"
# The model was trained on at most 256 word pieces (sentence_bert_config.json); longer input is truncated there too.
MAX_TOKENS = 256
# Bumped when the exported graph changes, so an older cached export is rebuilt rather than trusted.
EXPORT_VERSION = 1


def model_cache_dir(cache_dir: Path, model: str) -> Path:
    """The folder under `cache_dir` that holds one model's export."""
    return cache_dir / "".join(c if c.isalnum() else "-" for c in model).strip("-")


def _is_current(folder: Path, quantize: bool) -> bool:
    try:
        info = json.loads((folder / INFO_FILE).read_text())
    except (OSError, ValueError):
        return False
    needed = [FP32_FILE, TOKENIZER_FILE] + ([INT8_FILE] if quantize else [])
    return info.get("version") == EXPORT_VERSION and all((folder / name).is_file() for name in needed)


def export_onnx(model: str, cache_dir: Path, *, quantize: bool = True) -> Path:
    """Export `model` to ONNX (and an int8 copy) under `cache_dir`, unless a current export is there.

    This is the only place that imports torch; it runs at build time.

    Returns:
        The model's export folder.

    Raises:
        EncoderUnavailableError: torch, transformers or the model cannot be loaded, or the export fails.
    """
    folder = model_cache_dir(cache_dir, model)
    if _is_current(folder, quantize):
        return folder
    started = time.perf_counter()
    path = Path(resolve_model_path(model))
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _export_fp32(path, tmp / FP32_FILE)
        shutil.copyfile(path / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
        if quantize:
            _quantize(tmp / FP32_FILE, tmp / INT8_FILE)
        (tmp / INFO_FILE).write_text(json.dumps({"model": model, "version": EXPORT_VERSION, "int8": quantize}))
    except EncoderUnavailableError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except Exception as e:  # noqa: BLE001 - torch's exporter raises many types; all mean "no ONNX model"
        shutil.rmtree(tmp, ignore_errors=True)
        raise EncoderUnavailableError(f"cannot export {model!r} to ONNX: {e}") from e
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    logger.info(
        "exported the model to ONNX", extra={"model": model, "seconds": round(time.perf_counter() - started, 1)}
    )
    return folder


def _export_fp32(model_path: Path, out: Path) -> None:
    if not (model_path / TOKENIZER_FILE).is_file():
        raise EncoderUnavailableError(f"{model_path} has no {TOKENIZER_FILE}; only local model folders can be exported")
    try:
        import torch
        from transformers import AutoModel
    except ImportError as e:
        raise EncoderUnavailableError(f"exporting to ONNX needs torch and transformers: {e}") from e

    bert = AutoModel.from_pretrained(str(model_path), local_files_only=hub_offline())
    bert.eval()

    class _Pooled(torch.nn.Module):
        """BERT, then mean pooling over real tokens and L2 normalisation, as the sentence-transformers modules do."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1)
            mean = summed / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    sample = torch.ones((2, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    # The tracer warns that shape checks inside transformers become constants; the graph is still checked against
    # sentence-transformers at other batch sizes and lengths (tests/search/encoders/test_onnx.py), so the warnings are noise.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Pooled(),
            (sample, sample, torch.zeros_like(sample)),
            str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "embedding": {0: "batch"}},
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )


def _quantize(fp32: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Dynamic quantization: int8 weights, activations quantized per call; no calibration data needed. The
    # quantizer reports every tensor on the root logger at INFO, which `bot.logging` keeps out of the service's log.
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)


class OnnxEncoder:
    """Sentence embeddings from an ONNX export of the model, with `onnxruntime` and `tokenizers` only."""

    def __init__(self, model: str, cache_dir: Path, threads: int = 2, *, quantize: bool = True) -> None:
        if threads <= 0:
            raise ValueError(f"threads must be positive. Currently, threads is {threads}")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise EncoderUnavailableError(f"the onnx encoder needs onnxruntime and tokenizers: {e}") from e
        folder = model_cache_dir(cache_dir, model)
        if not _is_current(folder, quantize):
            logger.warning("no ONNX export of the model yet: exporting it now (imports torch once)")
            folder = export_onnx(model, cache_dir, quantize=quantize)
        self.name = model
        self.quantized = quantize
        self.path = folder / (INT8_FILE if quantize else FP32_FILE)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Spinning worker threads burn the cores between calls; on a small shared machine that starves the
        # request threads and the other intra-op thread, so idle workers sleep instead.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
            tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        except Exception as e:  # noqa: BLE001 - onnxruntime raises its own untyped errors for a bad file
            raise EncoderUnavailableError(f"cannot load the ONNX model at {self.path}: {e}; delete {folder}") from e
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.dim = int(self._session.get_outputs()[0].shape[1] or 0) or int(self.encode(["dimension"]).shape[1])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as unit float32 rows, in batches of similar length so padding stays small."""
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out: np.ndarray | None = None
        batch = 32
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            vectors = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
        assert out is not None
        # Quantized weights leave rows a hair off unit length; renormalise so inner product stays cosine.
        return unit_rows(out)


def _create(settings: Settings, threads: int, corpus: bool) -> Encoder:
    # The int8 model only encodes questions, against full-precision corpus vectors.
    quantize = settings.onnx_quantize and not corpus
    return OnnxEncoder(settings.model, settings.data_dir / "onnx", threads=threads, quantize=quantize)


def _export(settings: Settings) -> None:
    # At build time, so serving never imports torch.
    export_onnx(settings.model, settings.data_dir / "onnx", quantize=settings.onnx_quantize)


def _exported(settings: Settings) -> bool:
    return _is_current(model_cache_dir(settings.data_dir / "onnx", settings.model), settings.onnx_quantize)


BACKEND = Backend(create=_create, prepare=_export, own_corpus_encoder=True, prepared=_exported)
