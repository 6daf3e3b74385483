"""The web channel: the printable cards, and the widget and outreach page in `static/`."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
