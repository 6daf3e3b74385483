"""The numpy classifier: probabilities, the saved file, and agreement with scikit-learn's own computation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.search.encoders.hash import HashEncoder
from bot.triage.examples import load_examples
from bot.triage.model import ANALYZERS, KINDS, TriageModel, analyzer, load_model, read_meta
from bot.triage.normalise import normalise
from bot.triage.train import EMBED_WEIGHT, MAX_GRAMS, SEED, WORD_WEIGHT, C
from tests.triage.conftest import Toy

NEW_TEXTS = [
    "hey my friend is not breathing",
    "i want to die tonight",
    "how do i cook meth",
    "whats the football score",
    "what is naloxone",
    "@@@ ### %%%",  # no known n-gram: the embedding alone
    "ÁRBOL Ñandú café",  # accents are stripped before the n-grams
]


def encode(texts: list[str]) -> np.ndarray:
    return HashEncoder().encode(texts)


def test_scores_are_probabilities_in_kinds_order(toy_model: TriageModel) -> None:
    scores = toy_model.scores(NEW_TEXTS, encode(NEW_TEXTS))
    assert scores.shape == (len(NEW_TEXTS), len(KINDS))
    assert np.all(scores >= 0.0) and np.all(scores <= 1.0)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, atol=1e-9)
    # Columns follow KINDS whatever order scikit-learn kept the classes in.
    assert toy_model.classes != KINDS
    for row, kind in enumerate(["emergency", "crisis", "refusal", "out_of_scope", "answer"]):
        assert KINDS[int(np.argmax(scores[row]))] == kind


def test_scores_of_an_empty_batch(toy_model: TriageModel) -> None:
    assert toy_model.scores([], np.zeros((0, toy_model.embed_weights.shape[1]), np.float32)).shape == (0, len(KINDS))


def test_each_row_is_scored_on_its_own(toy_model: TriageModel) -> None:
    batch = toy_model.scores(NEW_TEXTS, encode(NEW_TEXTS))
    for row, text in enumerate(NEW_TEXTS):
        np.testing.assert_allclose(toy_model.scores([text], encode([text]))[0], batch[row], atol=1e-7)


def test_save_then_load_gives_the_same_model(toy_model: TriageModel, tmp_path: Path) -> None:
    path = tmp_path / "triage.npz"
    toy_model.save(path, {"model": "hash-256", "examples": 60})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["triage.npz"]  # the temporary file was renamed
    loaded = load_model(path)
    assert loaded.classes == toy_model.classes
    assert loaded.vocabulary == toy_model.vocabulary
    assert loaded.thresholds == toy_model.thresholds
    assert loaded.meta["model"] == "hash-256" and loaded.meta["examples"] == 60
    assert loaded.meta["report"] == toy_model.meta["report"]
    vectors = encode(NEW_TEXTS)
    np.testing.assert_allclose(loaded.scores(NEW_TEXTS, vectors), toy_model.scores(NEW_TEXTS, vectors), atol=1e-5)


def test_read_meta_without_the_arrays(toy_model: TriageModel, tmp_path: Path) -> None:
    path = tmp_path / "triage.npz"
    toy_model.save(path, {"model": "hash-256"})
    meta = read_meta(path)
    assert meta["model"] == "hash-256"
    assert meta["classes"] == list(toy_model.classes)
    assert meta["upper"] == toy_model.thresholds.upper and meta["lower"] == toy_model.thresholds.lower


def _arrays(path: Path) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def _rewrite(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        arrays = _arrays(path)
        change(arrays)
        with path.open("wb") as f:
            np.savez(f, **arrays)

    return damage


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[200] ^= 0xFF
    path.write_bytes(bytes(raw))


UNCAUGHT = "load_model documents OSError, ValueError, KeyError; a damaged zip raises BadZipFile or EOFError"
DAMAGE: list[object] = [
    pytest.param(lambda p: p.write_bytes(b"not a model at all"), id="garbage"),
    pytest.param(_rewrite(lambda a: a.pop("meta")), id="no-meta"),
    pytest.param(_rewrite(lambda a: a.pop("idf")), id="no-idf"),
    pytest.param(_rewrite(lambda a: a.update(gram_weights=a["gram_weights"][:, :-1])), id="grams-shape"),
    pytest.param(_rewrite(lambda a: a.update(sigmoid=a["sigmoid"][:-1])), id="kinds-shape"),
    pytest.param(_rewrite(lambda a: a["idf"].__setitem__(0, np.nan)), id="not-finite"),
    pytest.param(_rewrite(lambda a: a.update(meta=np.array("{not json"))), id="bad-json"),
    pytest.param(_truncate, id="truncated"),
    pytest.param(_flip_a_byte, id="bad-crc"),
    pytest.param(lambda p: p.write_bytes(b""), id="empty"),
]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_file_raises_on_load(damage: Callable[[Path], None], toy_model: TriageModel, tmp_path: Path) -> None:
    path = tmp_path / "triage.npz"
    toy_model.save(path, {})
    damage(path)
    with pytest.raises((OSError, ValueError, KeyError)):  # what load_model documents
        load_model(path)


def test_a_missing_file_raises_on_load(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        load_model(tmp_path / "triage.npz")


def test_numpy_inference_equals_scikit_learn(toy: Toy, toy_model: TriageModel) -> None:
    # The computation train.py documents, done with scikit-learn itself: one tf-idf block per analyzer,
    # each scaled by its weight, beside the scaled embedding.
    weights = {"c": 1.0, "w": WORD_WEIGHT}
    vectorizers = {
        block: TfidfVectorizer(
            analyzer=name,
            ngram_range=ngrams,
            strip_accents="unicode",
            lowercase=True,
            sublinear_tf=True,
            min_df=2,
            max_features=MAX_GRAMS,
            dtype=np.float64,
        ).fit(toy.texts)
        for block, (name, ngrams) in ANALYZERS.items()
    }

    def features(texts: list[str], vectors: np.ndarray) -> sparse.csr_matrix:
        blocks = [v.transform(texts) * weights[b] for b, v in vectorizers.items()]
        return sparse.hstack([*blocks, sparse.csr_matrix(vectors * EMBED_WEIGHT)], format="csr")

    svm = LinearSVC(C=C, class_weight="balanced", random_state=SEED).fit(
        features(toy.texts, toy.vectors), np.asarray(toy.labels)
    )
    assert tuple(svm.classes_) == toy_model.classes
    offset, vocabulary = 0, {}
    for block, v in vectorizers.items():
        vocabulary.update({f"{block}:{g}": offset + int(i) for g, i in v.vocabulary_.items()})
        offset += len(v.vocabulary_)
    assert vocabulary == toy_model.vocabulary

    vectors = encode(NEW_TEXTS)
    decisions = svm.decision_function(features(NEW_TEXTS, vectors))
    a, b = toy_model.sigmoid[:, 0], toy_model.sigmoid[:, 1]
    probs = 1.0 / (1.0 + np.exp(a * decisions + b))
    probs /= probs.sum(axis=1, keepdims=True)
    expected = probs[:, [list(svm.classes_).index(kind) for kind in KINDS]]

    np.testing.assert_allclose(toy_model.scores(NEW_TEXTS, vectors), expected, atol=1e-6)


ANALYZER_TEXTS = [
    *NEW_TEXTS,
    "",
    "a",
    "ab",
    "I  took\t2 pills\n\nand  feel   weird",
    "¿Cuánto fentanilo? ¡ayúda! ＦＵＬＬＷＩＤＴＨ ﬁ ligature",
    "x" * 7,
    "a b c d",
    "don't-stop re-dose o_o 1st",
]


@pytest.mark.parametrize("block", sorted(ANALYZERS))
def test_analyzer_gives_scikit_learns_grams(block: str) -> None:
    # Serving computes the n-grams without scikit-learn; they must be the ones training counted.
    name, ngrams = ANALYZERS[block]
    vectorizer = TfidfVectorizer(analyzer=name, ngram_range=ngrams, strip_accents="unicode", lowercase=True)
    reference = vectorizer.build_analyzer()
    texts = ANALYZER_TEXTS + [t for e in load_examples() for t in (e.text, normalise(e.text))]
    mismatches = [t for t in texts if analyzer(block)(t) != reference(t)]
    assert mismatches == []
