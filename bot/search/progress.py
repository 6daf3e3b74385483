"""Build progress that another process can read: log lines every few seconds and a small JSON file.

`hrbot build` writes `BOT_DATA_DIR/build-progress.json` while it embeds; a server waiting for that build reports it
on `/readyz`. The file goes when the build ends.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PROGRESS_FILE = "build-progress.json"
LOG_EVERY_SECONDS = 5.0


class BuildProgress:
    """Reports texts embedded out of the total: a log line every `LOG_EVERY_SECONDS` and the progress file."""

    def __init__(self, data_dir: Path, *, log: bool = True) -> None:
        self.path = data_dir / PROGRESS_FILE
        self.log = log
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        """Note that `done` of `total` texts are embedded."""
        now = time.monotonic()
        if done < total and now - self._last < LOG_EVERY_SECONDS and self._last:
            return
        self._last = now
        if self.log:
            logger.info("embedding the corpus", extra={"embedded": done, "total": total})
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            tmp.write_text(json.dumps({"embedded": done, "total": total, "at": time.time()}))
            os.replace(tmp, self.path)
        except OSError:
            pass  # progress is a courtesy; the build goes on

    def done(self) -> None:
        """Remove the progress file."""
        self.path.unlink(missing_ok=True)


def read_progress(data_dir: Path) -> dict[str, Any] | None:
    """The last progress a build wrote, or None."""
    try:
        data = json.loads((data_dir / PROGRESS_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
