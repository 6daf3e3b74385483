"""Building the classifier into the data folder: staleness, damaged files, skipping, and the training data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.errors import IndexMismatchError, IndexMissingError
from bot.search.encoders.hash import HashEncoder
from bot.triage.build import FORMAT, MODEL_FILE, build_triage, load_triage, triage_problem
from bot.triage.examples import KINDS, TRAIN_DIR, examples_hash, load_examples
from bot.triage.model import TriageModel, read_meta

MODEL = HashEncoder().name
UNCAUGHT = "a damaged zip raises BadZipFile, which triage_problem and load_triage do not catch"


def copy_model(built_data_dir: Path, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(built_data_dir / MODEL_FILE, data_dir / MODEL_FILE))


def test_before_a_build(tmp_path: Path) -> None:
    assert triage_problem(tmp_path, MODEL) == f"no triage model at {tmp_path / MODEL_FILE}"
    with pytest.raises(IndexMissingError, match="hrbot build"):
        load_triage(tmp_path)
    with pytest.raises(IndexMissingError):
        load_triage(tmp_path, MODEL)


def test_after_a_build(built_data_dir: Path) -> None:
    assert triage_problem(built_data_dir, MODEL) is None
    model = load_triage(built_data_dir, MODEL)
    assert model.meta["model"] == MODEL
    assert model.meta["examples_hash"] == examples_hash()
    assert model.meta["format"] == FORMAT
    assert model.meta["examples"] == len(load_examples())


def test_another_encoder_makes_the_model_stale(built_data_dir: Path) -> None:
    assert triage_problem(built_data_dir, "hash-128") == "the triage model was trained with another model"
    with pytest.raises(IndexMismatchError, match="another model: run 'hrbot build'"):
        load_triage(built_data_dir, "hash-128")
    assert load_triage(built_data_dir).meta["model"] == MODEL  # unchecked without a model name


@pytest.mark.parametrize(
    ("meta", "named"),
    [
        ({"examples_hash": "0" * 64}, "examples hash"),
        ({"lexicon_hash": "0" * 64}, "lexicon hash"),
        ({"format": FORMAT + 1}, "format"),
        ({"model": "hash-64"}, "model"),
    ],
)
def test_the_problem_names_what_changed(
    meta: dict[str, object], named: str, classifier: TriageModel, tmp_path: Path
) -> None:
    classifier.save(tmp_path / MODEL_FILE, meta)
    assert triage_problem(tmp_path, MODEL) == f"the triage model was trained with another {named}"
    with pytest.raises(IndexMismatchError, match=named):
        load_triage(tmp_path, MODEL)


def test_a_damaged_file_is_named_and_raises_mismatch(tmp_path: Path) -> None:
    (tmp_path / MODEL_FILE).write_bytes(b"not a model")
    problem = triage_problem(tmp_path, MODEL)
    assert problem is not None and problem.startswith("the triage model is unreadable")
    with pytest.raises(IndexMismatchError):
        load_triage(tmp_path, MODEL)
    with pytest.raises(IndexMismatchError, match="damaged"):
        load_triage(tmp_path)


def test_arrays_that_do_not_fit_raise_mismatch(built_data_dir: Path, tmp_path: Path) -> None:
    path = copy_model(built_data_dir, tmp_path)
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["idf"] = arrays["idf"][:-1]
    with path.open("wb") as f:
        np.savez(f, **arrays)
    assert triage_problem(tmp_path, MODEL) is None  # the description still matches
    with pytest.raises(IndexMismatchError, match="damaged"):
        load_triage(tmp_path, MODEL)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def test_a_truncated_file_is_named(built_data_dir: Path, tmp_path: Path) -> None:
    _truncate(copy_model(built_data_dir, tmp_path))
    problem = triage_problem(tmp_path, MODEL)
    assert problem is not None and problem.startswith("the triage model is unreadable")


def test_a_truncated_file_raises_mismatch(built_data_dir: Path, tmp_path: Path) -> None:
    _truncate(copy_model(built_data_dir, tmp_path))
    with pytest.raises(IndexMismatchError):
        load_triage(tmp_path)


def test_an_up_to_date_model_is_not_rebuilt(built_data_dir: Path, tmp_path: Path) -> None:
    path = copy_model(built_data_dir, tmp_path)
    before = path.read_bytes()
    done = build_triage(tmp_path, HashEncoder())
    assert done.skipped
    assert done.report is None and done.seconds == 0.0
    assert done.path == path
    assert done.examples == len(load_examples())
    assert path.read_bytes() == before


def test_a_fresh_build_then_a_skipped_one(tmp_path: Path, classifier: TriageModel) -> None:
    data_dir = tmp_path / "data"  # does not exist yet
    done = build_triage(data_dir, HashEncoder())
    assert not done.skipped and done.report is not None
    assert done.path == data_dir / MODEL_FILE
    assert done.examples == len(load_examples())
    assert triage_problem(data_dir, MODEL) is None
    assert not list(data_dir.glob(".*.tmp.npz"))
    meta = read_meta(done.path)
    assert meta["copies"] > 0 and meta["seconds"] == done.seconds
    assert meta["report"]["support"] == done.report.support
    assert sum(done.report.support.values()) == done.examples  # the report counts the written messages only

    # Same data, same seed: the same model as the session's build.
    model = load_triage(data_dir, MODEL)
    assert model.thresholds == classifier.thresholds
    assert model.vocabulary == classifier.vocabulary
    np.testing.assert_array_equal(model.gram_weights, classifier.gram_weights)
    np.testing.assert_array_equal(model.embed_weights, classifier.embed_weights)
    np.testing.assert_array_equal(model.sigmoid, classifier.sigmoid)

    assert build_triage(data_dir, HashEncoder()).skipped


def test_the_training_data_covers_every_kind_in_both_languages() -> None:
    examples = load_examples()
    assert {(e.kind, e.lang) for e in examples} == {(k, lang) for k in KINDS for lang in ("en", "es")}
    assert all(e.text.strip() for e in examples)


def test_the_examples_hash_follows_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "train"
    shutil.copytree(TRAIN_DIR, folder)
    assert examples_hash(folder) == examples_hash()
    with (folder / "crisis.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"text": "i want to disappear", "kind": "crisis", "lang": "en"}) + "\n")
    assert examples_hash(folder) != examples_hash()
    assert len(load_examples(folder)) == len(load_examples()) + 1


@pytest.mark.parametrize(
    "line",
    [
        '{"text": "hi", "kind": "joke", "lang": "en"}',
        '{"text": "hi", "kind": "answer", "lang": "fr"}',
        '{"text": "", "kind": "answer", "lang": "en"}',
        '{"kind": "answer", "lang": "en"}',
    ],
)
def test_a_bad_training_line_is_refused(line: str, tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_examples(tmp_path)
