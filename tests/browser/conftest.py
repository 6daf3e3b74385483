"""Browser fixtures: a real `hrbot serve`, a second origin serving a partner page, and headless Chromium."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import ROOT
from tests.conftest import share_index
from tests.production.servers import stop

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
HOST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner site</title></head>
<body><h1>Partner clinic</h1><p>Opening hours and services.</p>
<script src="{api}/widget.js" defer></script></body></html>"""


@dataclass(frozen=True)
class Servers:
    """Where the bot and the partner page are, and the bot's data folder."""

    api: str
    host: str
    data_dir: Path


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _partner_server(api: str) -> http.server.ThreadingHTTPServer:
    page = HOST_PAGE.format(api=api).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_: Any) -> None:
            return

    return http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            pytest.fail(f"hrbot serve exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"hrbot serve did not become ready: {log.read_text()[-2000:]}")


@contextmanager
def serving(built_data_dir: Path, data_dir: Path, **extra_env: str) -> Iterator[Servers]:
    """`hrbot serve` on one loopback port, allowing CORS from a partner page served on another."""
    share_index(built_data_dir, data_dir)
    port = _free_port()
    api = f"http://127.0.0.1:{port}"
    partner = _partner_server(api)
    threading.Thread(target=partner.serve_forever, daemon=True).start()
    host = f"http://127.0.0.1:{partner.server_address[1]}"
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "BOT_ENV": "test",
        "BOT_DATA_DIR": str(data_dir),
        "BOT_CORPUS_DIR": str(ROOT / "corpus"),
        "BOT_ENCODER": "hash",
        "BOT_MODEL": "hash-256",
        "BOT_MIN_CONFIDENCE": "0.0",
        "BOT_RATE_LIMIT_ENABLED": "false",
        "BOT_CORS_ORIGINS": host,
        "BOT_PUBLIC_URL": api,
        "BOT_HASH_SECRET": "browser-test-secret",
        "BOT_TWILIO_AUTH_TOKEN": "browser-test-token",
        "BOT_LOG_LEVEL": "WARNING",
        **extra_env,
    }
    hrbot = shutil.which("hrbot", path=str(Path(sys.executable).parent)) or "hrbot"
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [hrbot, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        _wait_ready(api, proc, log)
        yield Servers(api, host, data_dir)
    finally:
        stop(proc)
        partner.shutdown()
        partner.server_close()


@pytest.fixture(scope="session")
def servers(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The bot and a partner page, with rate limits off."""
    _require_chromium()
    with serving(built_data_dir, tmp_path_factory.mktemp("browser-data")) as both:
        yield both


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from the Debian package, driven by Playwright."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A page on a 360 x 740 phone screen."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    """A page on a desktop screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
