"""Shared fixtures: settings under a temporary folder, an index built with the deterministic hash encoder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.config import ROOT, Settings
from bot.loader import build_index, load_bot
from bot.search.encoders.hash import HashEncoder
from bot.service import Bot
from bot.triage.build import build_triage, load_triage
from bot.triage.model import TriageModel

DATA = Path(__file__).parent / "data"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for tests: the real corpus, a private data folder, the hash encoder, no rate limits."""
    values: dict[str, object] = {
        "env": "test",
        "corpus_dir": ROOT / "corpus",
        "data_dir": data_dir,
        "encoder": "hash",
        "model": "hash-256",
        "rate_limit_enabled": False,
        "hash_secret": "test-hash-secret",
        "twilio_auth_token": "test-twilio-token",
        "public_url": "https://hrbot.example.org",
        "min_confidence": 0.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def built_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding an index of the real corpus, built once per test session."""
    data_dir = tmp_path_factory.mktemp("data")
    build_index(ROOT / "corpus", data_dir, HashEncoder(), progress=False)
    build_triage(data_dir, HashEncoder())
    return data_dir


def share_index(built_data_dir: Path, data_dir: Path) -> None:
    """Point `data_dir` at the session's prebuilt index and triage classifier."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "index").symlink_to((built_data_dir / "index").resolve(), target_is_directory=True)
    (data_dir / "triage.npz").symlink_to((built_data_dir / "triage.npz").resolve())


def seed_triage(built_data_dir: Path, data_dir: Path) -> None:
    """Copy the session's trained classifier and its fitted card classifiers (the build cache) into `data_dir`, as
    after any earlier build: a build there then builds the index alone, without fitting either again
    (tests/triage/test_build.py covers training, tests/search/test_cardmodel.py the card classifier's cache)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "triage.npz").write_bytes((built_data_dir / "triage.npz").read_bytes())
    cache = data_dir / "cache"
    cache.mkdir(exist_ok=True)
    for fitted in (built_data_dir / "cache").glob("card-model-*.npz"):
        (cache / fitted.name).write_bytes(fitted.read_bytes())


@pytest.fixture(scope="session")
def classifier(built_data_dir: Path) -> TriageModel:
    """The triage classifier trained on the hash encoder's vectors, loaded once."""
    return load_triage(built_data_dir)


@pytest.fixture
def fake_encoder() -> HashEncoder:
    """Deterministic unit vectors from hashed tokens, the same in every process."""
    return HashEncoder()


@pytest.fixture
def settings(built_data_dir: Path) -> Settings:
    """Settings pointing at the session's prebuilt index."""
    return make_settings(built_data_dir)


@pytest.fixture
def bot(settings: Settings, fake_encoder: HashEncoder) -> Bot:
    """A bot over the real corpus with the fake encoder."""
    return load_bot(settings, fake_encoder)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app with its lifespan run, over the prebuilt index."""
    with TestClient(create_app(settings)) as c:
        yield c


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Under `pytest -n`: each module runs in one worker (its module fixtures are built once), and every test of
    the real model in the same worker, so one build fills the shared data folder instead of two racing."""
    from xdist.scheduler import LoadScopeScheduling

    class _Scheduler(LoadScopeScheduling):  # type: ignore[misc]  # xdist ships no types
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/integration/"):
                return "tests/integration"
            return str(super()._split_scope(nodeid))

    return _Scheduler(config, log)
