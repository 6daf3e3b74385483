"""The service's log: JSON lines on standard error, without libraries' info and debug chatter."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logging import configure_logging


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The service's log at DEBUG, written to a buffer instead of standard error."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("DEBUG")
    out = io.StringIO()
    assert isinstance(root.handlers[0], logging.StreamHandler)
    root.handlers[0].setStream(out)
    yield out
    root.handlers[:], level = saved
    root.setLevel(level)


def test_a_library_that_raises_its_own_level_stays_quiet(debug_log: io.StringIO) -> None:
    # bm25s sets its logger to DEBUG when it is imported, after logging is configured.
    logging.getLogger("bm25s").setLevel(logging.DEBUG)
    logging.getLogger("bm25s").debug("Building index from tokens")
    logging.getLogger("bm25s").warning("an index file is missing")
    logging.getLogger("bot.search").debug("loaded the cards")
    lines = [json.loads(line) for line in debug_log.getvalue().splitlines()]
    assert [(r["logger"], r["message"]) for r in lines] == [
        ("bm25s", "an index file is missing"),
        ("bot.search", "loaded the cards"),
    ]
