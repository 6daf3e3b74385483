"""Settings, read from `BOT_*` environment variables and an optional `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import tuning

ROOT = Path(__file__).resolve().parent.parent
# A checkout keeps corpus/ beside bot/; an installed package looks in the working directory.
DEFAULT_CORPUS = ROOT / "corpus" if (ROOT / "corpus").is_dir() else Path("corpus")
# Example values shipped in this repository (deploy/k8s/secret.yaml, .env.example) and common stand-ins: never a
# real secret. `tests/test_config.py` checks that every example value in the repository is listed here.
PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changethis",
        "change-me",
        "secret",
        "replace-with-the-twilio-auth-token",
        "replace-with-32-random-bytes-hex",
        "replace-with-a-long-random-token",
        "change-me-to-a-long-random-string",
        "your-twilio-auth-token",
    }
)
# Shortest secret production accepts: a Twilio auth token is 32 characters, and `openssl rand -hex 16` gives 32.
MIN_SECRET_CHARS = 32
# Each encoder backend is one module here, named as BOT_ENCODER names it (bot/search/encoders/__init__.py).
ENCODERS_DIR = Path(__file__).resolve().parent / "search" / "encoders"


def encoder_names() -> tuple[str, ...]:
    """The values `BOT_ENCODER` accepts: the backend modules of `bot/search/encoders/`.

    Listed in reverse alphabetical order, which keeps the error message for a bad value as it has always read
    ("'torch', 'onnx' or 'hash'").
    """
    return tuple(sorted((p.stem for p in ENCODERS_DIR.glob("*.py") if not p.name.startswith("_")), reverse=True))


class Settings(BaseSettings):
    """Every setting the service reads; the README's table lists them."""

    model_config = SettingsConfigDict(env_prefix="BOT_", env_file=".env", env_ignore_empty=True, extra="ignore")

    env: Literal["dev", "test", "production"] = "dev"
    host: str = "127.0.0.1"
    port: int = 8000
    corpus_dir: Path = DEFAULT_CORPUS
    data_dir: Path = Path("var")
    model: str = "sentence-transformers/all-MiniLM-L6-v2"
    # onnx: the packaged model exported at build time and run without torch (faster answers and start-up, the same
    # dev-eval pass rate within one case; bench/README.md); torch: sentence-transformers, the reference.
    # hash: a deterministic bag-of-words encoder for tests.
    encoder: str = "onnx"
    auto_build: bool = False
    # Encoder threads per question; builds use every core.
    threads: int = Field(default=1, ge=1, le=64)
    # BOT_ENCODER=onnx: answer queries with the int8-quantized export (faster; corpus vectors stay fp32).
    onnx_quantize: bool = True

    min_confidence: float = Field(default=tuning.MIN_CONFIDENCE, ge=0.0, le=1.0)
    cache_size: int = Field(default=2048, ge=0)

    hash_secret: SecretStr = SecretStr("dev-only-hash-secret")
    twilio_auth_token: SecretStr = SecretStr("dev-only-twilio-token")
    public_url: str = "http://127.0.0.1:8000"
    cors_origins: str = ""
    admin_token: SecretStr | None = None
    session_ttl: int = Field(default=3600, ge=60)
    # Seconds an SMS answer may take before the safe fallback is sent; Twilio gives up after 15.
    sms_timeout: float = Field(default=10.0, gt=0, le=14)

    rate_limit_enabled: bool = True
    rate_limit: str = "30/minute"
    sms_rate_limit: str = "10/minute"
    max_concurrency: int = Field(default=32, ge=1)
    # Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs); anyone else could forge it.
    trusted_proxies: str = ""
    # A question is at most 1000 characters; 32 KiB leaves room for JSON escapes and Twilio's form fields.
    max_body_bytes: int = Field(default=32768, ge=1024)
    # Seconds a client has to send a whole request (head and body) before it gets 408 and is closed.
    request_timeout: float = Field(default=10.0, gt=0, le=300)
    redis_url: str | None = None
    log_unanswered: bool = False
    log_level: str = "INFO"

    @field_validator("encoder")
    @classmethod
    def _known_encoder(cls, value: str) -> str:
        """Accept only the name of a backend module."""
        names = [repr(n) for n in encoder_names()]
        if repr(value) not in names:
            expected = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else "".join(names)
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return value

    @model_validator(mode="after")
    def _check_secrets(self) -> Settings:
        """In production, refuse a missing, short or example secret, naming the variable."""
        if self.env != "production":
            return self
        secrets = {"hash_secret": self.hash_secret, "twilio_auth_token": self.twilio_auth_token}
        if self.admin_token is not None and self.admin_token.get_secret_value():
            # Admin reload is on whenever a token is set.
            secrets["admin_token"] = self.admin_token
        for name, secret in secrets.items():
            value = secret.get_secret_value()
            if value.lower() in PLACEHOLDER_SECRETS or value.startswith("dev-only") or len(value) < MIN_SECRET_CHARS:
                raise ValueError(
                    f"BOT_{name.upper()} must be a real secret of at least {MIN_SECRET_CHARS} characters, not an "
                    "example value, when BOT_ENV=production"
                )
        return self

    @property
    def index_dir(self) -> Path:
        """The live index: a symlink swapped atomically by `hrbot build`."""
        return self.data_dir / "index"

    @property
    def cors_origin_list(self) -> list[str]:
        """`BOT_CORS_ORIGINS` split on commas."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


def settings_problem(error: ValidationError) -> str:
    """One line saying which setting is wrong and why, for a start-up error message."""
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["loc"]:
        return f"bad setting BOT_{str(first['loc'][0]).upper()}: {message}"
    return f"bad setting: {message}"


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as `BOT_*` environment variables, for a child process that must read the same ones."""
    env = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, bool):
            value = "true" if value else "false"
        env[f"BOT_{name.upper()}"] = str(value)
    return env


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, cached; tests override them."""
    return Settings()
