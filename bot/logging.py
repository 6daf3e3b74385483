"""JSON logs on standard error; called only by entry points (the CLI and the app factory)."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render a record as JSON."""
        data: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


# Libraries whose info and debug records stay out of the service's log. Levels set on their loggers are not
# enough: bm25s sets its own logger to DEBUG when it is imported, which is after logging is configured.
_NOISY = ("sentence_transformers", "transformers", "httpx", "bm25s", "faiss")


def _not_root_chatter(record: logging.LogRecord) -> bool:
    # Libraries that log on the root logger itself (the ONNX quantizer reports every tensor at INFO while
    # `hrbot build` exports the model) would fill the service's log; their warnings and errors still pass.
    if record.levelno >= logging.WARNING:
        return True
    return record.name != "root" and record.name.split(".")[0] not in _NOISY


def configure_logging(level: str = "INFO") -> None:
    """Send JSON logs to standard error; silence uvicorn's access log, which records client addresses."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_not_root_chatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers[:] = []
    access.propagate = False
    access.disabled = True
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
