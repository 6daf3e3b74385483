"""Production refuses secrets that are missing, short, or any example value shipped in this repository."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

import pytest
from pydantic import ValidationError

from bot.config import MIN_SECRET_CHARS, PLACEHOLDER_SECRETS, ROOT, Settings, settings_problem

NAMES = ("hash_secret", "twilio_auth_token", "admin_token")
# Every `BOT_<SECRET>=value` or `BOT_<SECRET>: "value"` the repository ships as an example.
# (A `${BOT_...}` reference in compose is an interpolation, not an example value.)
EXAMPLE = re.compile(r"(?<!\{)BOT_(HASH_SECRET|TWILIO_AUTH_TOKEN|ADMIN_TOKEN)[\"']?[ \t]*[:=][ \t]*[\"']?([^\"'\s$]*)")
SHIPPED = [".env.example", "deploy", "docs", "README.md", "Dockerfile"]


def _real() -> dict[str, str]:
    return {name: secrets.token_hex(16) for name in NAMES}


def _shipped_examples() -> set[str]:
    found = set()
    for entry in SHIPPED:
        path = ROOT / entry
        for file in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
            found |= {m.group(2) for m in EXAMPLE.finditer(file.read_text(errors="replace"))}
    return found


def test_real_secrets_start() -> None:
    Settings(env="production", **_real())  # type: ignore[arg-type]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", ["x", "a" * (MIN_SECRET_CHARS - 1), "dev-only-hash-secret-but-long-enough-000"])
def test_short_or_development_secrets_are_refused(name: str, value: str) -> None:
    with pytest.raises(ValidationError) as e:
        Settings(env="production", **{**_real(), name: value})  # type: ignore[arg-type]
    assert settings_problem(e.value).startswith(f"bad setting: BOT_{name.upper()} must be a real secret")


def test_every_example_secret_in_the_repository_is_refused() -> None:
    examples = _shipped_examples() - {""}
    assert len(examples) >= 5
    assert examples <= PLACEHOLDER_SECRETS
    for value in examples:
        for name in NAMES:
            with pytest.raises(ValidationError):
                Settings(env="production", **{**_real(), name: value})  # type: ignore[arg-type]


def test_no_admin_token_means_admin_is_off_and_nothing_to_check() -> None:
    values = _real()
    del values["admin_token"]
    assert Settings(env="production", **values).admin_token is None  # type: ignore[arg-type]


def test_development_needs_no_real_secrets() -> None:
    Settings(env="dev", hash_secret="x")  # type: ignore[arg-type]


def test_the_command_line_names_the_variable_without_a_traceback() -> None:
    env = {"BOT_ENV": "production", "BOT_HASH_SECRET": "replace-with-32-random-bytes-hex", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 1
    assert "BOT_HASH_SECRET must be a real secret" in done.stderr
    assert "Traceback" not in done.stderr
