"""A bounded load test against a running server, by hand (not in CI).

    BOT_RATE_LIMIT_ENABLED=false hrbot serve --port 8150 &
    python bench/load.py --url http://127.0.0.1:8150 --seconds 30 --concurrency 32

Each worker thread posts questions from the evaluation set to /v1/ask in a loop and records status and
latency. The report gives requests per second, status counts, errors (anything not 200, plus transport
errors) and latency percentiles, separately for 200s and for 503s (to show that overload refusals are fast).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval.jsonl"


def load_questions(path: Path) -> list[dict[str, object]]:
    """Questions from an evaluation file, as /v1/ask bodies."""
    bodies: list[dict[str, object]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            bodies.append({"question": case["question"], "language": case.get("lang")})
    return bodies


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def run(url: str, seconds: float, concurrency: int, bodies: list[dict[str, object]]) -> dict[str, object]:
    """Hammer /v1/ask for `seconds` with `concurrency` threads; return the figures."""
    statuses: Counter[str] = Counter()
    latency: dict[int, list[float]] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    feed = itertools.cycle(bodies)

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    body = next(feed)
                started = time.perf_counter()
                try:
                    status = client.post("/v1/ask", json=body).status_code
                except httpx.HTTPError as e:
                    with lock:
                        statuses[type(e).__name__] += 1
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    statuses[str(status)] += 1
                    latency.setdefault(status, []).append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    total = sum(statuses.values())
    report: dict[str, object] = {
        "seconds": round(wall, 1),
        "concurrency": concurrency,
        "requests": total,
        "requests_per_second": round(total / wall, 1),
        "statuses": dict(statuses),
        "errors": total - statuses.get("200", 0) - statuses.get("503", 0),
    }
    for status, values in sorted(latency.items()):
        report[f"latency_ms_{status}"] = {
            "p50": round(percentile(values, 50) * 1000, 1),
            "p99": round(percentile(values, 99) * 1000, 1),
            "mean": round(statistics.fmean(values) * 1000, 1),
        }
    return report


def main() -> None:
    """Parse arguments, run, print JSON; exit 1 on errors."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8150")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--questions", type=Path, default=EVAL)
    parser.add_argument("--allow-503", action="store_true", help="Count 503s as expected (overload test).")
    args = parser.parse_args()
    report = run(args.url, args.seconds, args.concurrency, load_questions(args.questions))
    print(json.dumps(report, indent=2))
    statuses = report["statuses"]
    assert isinstance(statuses, dict)
    bad = int(str(report["errors"])) + (0 if args.allow_503 else int(statuses.get("503", 0)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
