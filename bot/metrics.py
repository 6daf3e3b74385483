"""Prometheus metrics: requests, latency, reply kinds, triage, limits, short links and the loaded index.

Labels never carry message text, phone numbers, addresses or link codes: only routes, channels, kinds, results and
status codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from bot.vocab import TRIAGE_KINDS

REQUESTS = Counter(
    "hrbot_requests", "HTTP requests by route, channel, reply kind and status.", ["route", "channel", "kind", "status"]
)
LATENCY = Histogram(
    "hrbot_request_seconds",
    "HTTP request latency by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REPLIES = Counter(
    "hrbot_replies",
    "Replies by kind, channel and language (no_answer / total = no-answer rate).",
    ["kind", "channel", "language"],
)
TRIAGE = Counter("hrbot_triage", "Questions routed by safety triage instead of retrieval.", ["kind"])
RATE_LIMITED = Counter("hrbot_rate_limited", "Requests refused with 429.", ["scope"])
OVERLOADED = Counter("hrbot_overloaded", "Requests refused with 503 because too many were in flight.")
LIMITER_ERRORS = Counter("hrbot_rate_limiter_errors", "Rate-limit checks that failed open (store unreachable).")
STORE_ERRORS = Counter("hrbot_store_errors", "Store operations that failed and were skipped.", ["operation"])
IN_FLIGHT = Gauge("hrbot_in_flight", "Requests to /v1/ask being answered now.")
RELOADS = Counter("hrbot_index_reloads", "Index reloads by outcome.", ["outcome"])
INDEX_DOCUMENTS = Gauge("hrbot_index_documents", "Documents in the loaded index.")
INDEX_PASSAGES = Gauge("hrbot_index_passages", "Passages in the loaded index.")
INDEX_SENTENCES = Gauge("hrbot_index_sentences", "Sentences in the loaded index.")
INDEX_BUILD_SECONDS = Gauge("hrbot_index_build_seconds", "How long the loaded index took to build.")
INDEX_BUILT = Gauge("hrbot_index_built_timestamp_seconds", "When the loaded index was built (Unix time).")
SHORT_LINK_REDIRECTS = Counter(
    "hrbot_short_link_redirects",
    "Requests for an SMS short link (/s/<code>), by whether the code was known.",
    ["result"],
)
DEGRADED = Gauge("hrbot_degraded", "1 when answers come from keyword search alone (no embedding model).")

_TRIAGE_KINDS = frozenset(TRIAGE_KINDS)
# Both results are exported from the start, at 0.
for _result in ("found", "unknown"):
    SHORT_LINK_REDIRECTS.labels(_result)


def record_reply(kind: str, channel: str, language: str) -> None:
    """Count one reply, and a triage decision when safety triage chose it."""
    REPLIES.labels(kind, channel, language).inc()
    if kind in _TRIAGE_KINDS:
        TRIAGE.labels(kind).inc()


def set_index(manifest: dict[str, Any], degraded: bool) -> None:
    """Publish the loaded index's manifest figures as gauges."""
    INDEX_DOCUMENTS.set(float(manifest.get("documents") or 0))
    INDEX_PASSAGES.set(float(manifest.get("passages") or 0))
    INDEX_SENTENCES.set(float(manifest.get("sentences") or 0))
    INDEX_BUILD_SECONDS.set(float(manifest.get("build_seconds") or 0))
    built = manifest.get("built_at")
    if isinstance(built, str):
        try:
            INDEX_BUILT.set(dt.datetime.fromisoformat(built).timestamp())
        except ValueError:
            INDEX_BUILT.set(0)
    DEGRADED.set(1 if degraded else 0)


def render() -> tuple[bytes, str]:
    """The Prometheus text exposition of every metric, and its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST
