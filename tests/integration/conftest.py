"""Integration fixtures: the real embedding model and a real index of the real corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import ROOT, Settings
from bot.loader import build, load_bot
from bot.service import Bot

SHARED_DEV = ROOT.parent / "shared" / "dev-eval.jsonl"


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    """Settings over the project's own data folder, so a built index is reused between runs."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    data_dir = Path(os.environ.get("BOT_DATA_DIR", ROOT / "var"))
    # The default encoder, as `make serve` runs it; BOT_ENCODER=torch in the environment tests the other path.
    return Settings(env="test", corpus_dir=ROOT / "corpus", data_dir=data_dir, rate_limit_enabled=False)


@pytest.fixture(scope="session")
def real_bot(real_settings: Settings) -> Bot:
    """A bot with the real model; builds the index and trains the triage classifier first when either is stale."""
    build(real_settings)
    return load_bot(real_settings, require_encoder=True)
