"""Real processes for production tests: redis-server and `hrbot serve` replicas on free loopback ports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bot.config import ROOT

HRBOT = str(Path(sys.executable).with_name("hrbot"))


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def hash_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a replica over a prebuilt hash-encoder index, with test secrets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        HF_HUB_OFFLINE="1",
        BOT_ENV="test",
        BOT_CORPUS_DIR=str(ROOT / "corpus"),
        BOT_DATA_DIR=str(data_dir),
        BOT_ENCODER="hash",
        BOT_MODEL="hash-256",
        BOT_MIN_CONFIDENCE="0.0",
        BOT_HASH_SECRET="test-hash-secret",
        BOT_TWILIO_AUTH_TOKEN="test-twilio-token",
        BOT_RATE_LIMIT_ENABLED="false",
    )
    env.update(extra)
    return env


def start_replica(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`hrbot serve` on a loopback port, logging to a file; waits until /readyz answers 200."""
    env = {**env, "BOT_PUBLIC_URL": env.get("BOT_PUBLIC_URL", f"http://127.0.0.1:{port}")}
    with log.open("ab") as out:
        proc = subprocess.Popen([HRBOT, "serve", "--port", str(port)], env=env, stdout=out, stderr=out)
    try:
        wait_until(lambda: _ready(port) or proc.poll() is not None, what=f"replica on {port}")
    except TimeoutError:
        stop(proc)
        raise
    if proc.poll() is not None:
        raise RuntimeError(f"replica on {port} exited: {log.read_text()[-2000:]}")
    return proc


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start_redis(port: int, folder: Path) -> subprocess.Popen[bytes]:
    """A throwaway redis-server on loopback, no persistence."""
    binary = shutil.which("redis-server")
    assert binary is not None
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port, socket_timeout=1)

    def up() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    try:
        wait_until(up, what="redis-server")
    except TimeoutError:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a process and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Poll `condition()` until true; a generous limit only guards against hanging forever."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not come up")
