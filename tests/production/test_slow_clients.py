"""Slow and half-sent requests against a real `hrbot serve`: each gets 408 and is closed; nobody else waits."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import share_index
from tests.production.servers import free_port, hash_env, start_replica, stop

# The deadline under test; the socket limit below only keeps a broken server from hanging the suite.
READ_TIMEOUT = 1
SOCKET_LIMIT = 30
EMERGENCY = {"question": "my friend is not breathing and his lips are blue"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("slow")


@pytest.fixture(scope="module")
def server(built_data_dir: Path, folder: Path) -> Iterator[int]:
    share_index(built_data_dir, folder / "data")
    port = free_port()
    env = hash_env(folder / "data", BOT_REQUEST_TIMEOUT=str(READ_TIMEOUT))
    proc = start_replica(port, env, folder / "serve.log")
    yield port
    stop(proc)


def _open(port: int, first: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=SOCKET_LIMIT)
    if first:
        sock.sendall(first)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _status(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/1.1 ") else 0


def _post(port: int, body: bytes) -> bytes:
    return (
        b"POST /v1/ask HTTP/1.1\r\nhost: 127.0.0.1:%d\r\ncontent-type: application/json\r\n"
        b"content-length: %d\r\n\r\n" % (port, len(body))
    ) + body


def test_half_sent_heads_get_408_and_are_closed_while_others_are_answered(server: int) -> None:
    held = [_open(server, b"POST /v1/ask HTTP/1.1\r\nhost: x\r\ncontent-ty") for _ in range(300)]
    try:
        # With 300 clients stalled mid-head, an emergency is still answered.
        r = httpx.post(f"http://127.0.0.1:{server}/v1/ask", json=EMERGENCY, timeout=SOCKET_LIMIT)
        assert r.status_code == 200
        assert r.json()["kind"] == "emergency"
        replies = [_read_all(sock) for sock in held]
    finally:
        for sock in held:
            sock.close()
    assert {_status(raw) for raw in replies} == {408}
    body = json.loads(replies[0].split(b"\r\n\r\n", 1)[1])
    assert "911" in body["detail"]
    assert b"connection: close" in replies[0].lower()


def test_a_connection_that_sends_nothing_is_closed(server: int) -> None:
    with _open(server) as sock:
        assert _status(_read_all(sock)) == 408


def test_a_body_that_stops_half_way_gets_408(server: int) -> None:
    body = json.dumps(EMERGENCY).encode()
    with _open(server, _post(server, body)[: -len(body) // 2]) as sock:
        raw = _read_all(sock)
    assert _status(raw) == 408


def test_a_request_sent_in_pieces_inside_the_deadline_is_answered(server: int) -> None:
    request = _post(server, json.dumps({"question": "what is naloxone"}).encode())
    with _open(server) as sock:
        for start in range(0, len(request), 40):
            sock.sendall(request[start : start + 40])
        raw = sock.recv(65536)
    assert _status(raw) == 200


def test_keep_alive_requests_each_get_their_own_deadline(server: int) -> None:
    request = _post(server, json.dumps({"question": "what is naloxone"}).encode())
    with _open(server) as sock:
        for _ in range(3):
            sock.sendall(request)
            raw = b""
            while b"\r\n\r\n" not in raw:
                raw += sock.recv(65536)
            assert _status(raw) == 200
            head, rest = raw.split(b"\r\n\r\n", 1)
            length = int(
                next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
            )
            while len(rest) < length:
                rest += sock.recv(65536)
        # Idle after an answer, the connection is the keep-alive timer's: the next half request gets 408.
        sock.sendall(b"GET /healthz HTTP/1.1\r\nho")
        assert _status(_read_all(sock)) == 408


@pytest.mark.usefixtures("server")
def test_timeouts_leave_no_traceback_in_the_log(folder: Path) -> None:
    log = (folder / "serve.log").read_text()
    assert "request read timed out" in log
    assert "Traceback" not in log
    assert '"level": "error"' not in log
