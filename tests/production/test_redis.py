"""Several replicas as one: a real redis-server and two `hrbot serve` processes sharing limits, SMS state, dedupe."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from twilio.request_validator import RequestValidator

from bot.cli import cli
from bot.state.redis import RedisStore
from tests.production.servers import free_port, hash_env, start_redis, start_replica, stop

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]
PUBLIC_URL = "https://hrbot.example.org"
TWILIO_TOKEN = "test-twilio-token"
PHONE = "+14155550123"


@dataclass
class Cluster:
    """Two replicas and the Redis they share."""

    redis_url: str
    redis: subprocess.Popen[bytes]
    a: str
    b: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def cluster(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("redis")
    redis_port = free_port()
    redis_proc = start_redis(redis_port, folder)
    url = f"redis://127.0.0.1:{redis_port}/0"
    env = hash_env(
        built_data_dir,
        BOT_REDIS_URL=url,
        BOT_RATE_LIMIT_ENABLED="true",
        BOT_RATE_LIMIT="6/minute",
        BOT_PUBLIC_URL=PUBLIC_URL,
        BOT_LOG_UNANSWERED="true",
        BOT_MIN_CONFIDENCE="0.3",
        BOT_TRUSTED_PROXIES="127.0.0.1",
    )
    ports = [free_port(), free_port()]
    replicas = []
    try:
        for port in ports:
            replicas.append(start_replica(port, env, folder / f"replica-{port}.log"))
        yield Cluster(url, redis_proc, f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}", env)
    finally:
        for proc in replicas:
            stop(proc)
        stop(redis_proc)


def _sms(base: str, body: str, sid: str, sender: str = PHONE) -> httpx.Response:
    params = {"From": sender, "To": "+15005550006", "Body": body, "MessageSid": sid, "AccountSid": "AC" + "0" * 32}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_URL}/v1/sms/twilio", params)
    return httpx.post(f"{base}/v1/sms/twilio", data=params, headers={"X-Twilio-Signature": signature}, timeout=30)


def _has_sms(base: str) -> bool:
    return httpx.post(f"{base}/v1/sms/twilio", data={}, timeout=10).status_code != 404


def test_store_is_shared(cluster: Cluster) -> None:
    one, two = RedisStore(cluster.redis_url), RedisStore(cluster.redis_url)
    one.save_session("k1", {"lang": "es"}, ttl=60)
    assert two.get_session("k1") == {"lang": "es"}
    assert one.claim_message("SM-store-1") == (True, None)
    assert two.claim_message("SM-store-1") == (False, None)
    one.save_message_reply("SM-store-1", "<Response/>")
    assert two.claim_message("SM-store-1") == (False, "<Response/>")
    one.set_opted_out("k2", True)
    assert two.is_opted_out("k2")
    two.set_opted_out("k2", False)
    assert not one.is_opted_out("k2")
    assert 0 < one.client.ttl("hrbot:session:k1") <= 60
    assert 0 < one.client.ttl("hrbot:msg:SM-store-1") <= 24 * 3600


def test_rate_limit_is_shared_across_replicas(cluster: Cluster) -> None:
    ask = {"question": "what is fentanyl"}
    headers = {"x-forwarded-for": "198.51.100.23"}
    codes = [
        httpx.post(f"{base}/v1/ask", json=ask, headers=headers, timeout=30).status_code
        for base in (cluster.a, cluster.b, cluster.a, cluster.b, cluster.a, cluster.b)
    ]
    assert codes == [200] * 6
    refused = [httpx.post(f"{base}/v1/ask", json=ask, headers=headers, timeout=30) for base in (cluster.a, cluster.b)]
    assert [r.status_code for r in refused] == [429, 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)


def test_unanswered_questions_reach_the_curator_report(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "what time does the zorblax museum open, call me at 415-555-0188"
    r = httpx.post(f"{cluster.b}/v1/ask", json={"question": question}, timeout=30)
    if r.status_code == 429:
        pytest.fail("rate limit from an earlier test leaked into this one")
    assert r.json()["kind"] in ("no_answer", "out_of_scope")
    for key, value in cluster.env.items():
        if key.startswith("BOT_"):
            monkeypatch.setenv(key, value)
    result = CliRunner().invoke(cli, ["report", "unanswered"])
    assert result.exit_code == 0, result.output
    assert "zorblax museum" in result.output
    assert "555-0188" not in result.output
    assert "[phone]" in result.output


def test_sms_session_optout_and_dedupe_are_shared(cluster: Cluster) -> None:
    if not _has_sms(cluster.a):
        pytest.skip("the SMS route is not mounted in this build")
    sender = "+14155550142"
    spanish = _sms(cluster.a, "ESPANOL", "SM-lang-1", sender).text
    assert "español" in spanish
    # Replica B knows the language chosen on replica A: its HELP is in Spanish.
    assert "Responda" in _sms(cluster.b, "HELP", "SM-help-1", sender).text
    assert "in English" in _sms(cluster.a, "ENGLISH", "SM-lang-2", sender).text
    # Twilio retries SM-lang-1 on replica B: the saved reply comes back and the message is not acted on again,
    # so the sender stays in English.
    assert _sms(cluster.b, "ESPANOL", "SM-lang-1", sender).text == spanish
    assert "Reply STOP" in _sms(cluster.b, "HELP", "SM-help-2", sender).text
    sender2 = "+14155550143"
    # STOP on B silences A.
    assert "<Message>" not in _sms(cluster.b, "STOP", "SM-stop-1", sender2).text
    assert "<Message>" not in _sms(cluster.a, "what is fentanyl", "SM-after-stop", sender2).text


def test_answers_continue_with_redis_down(cluster: Cluster) -> None:
    stop(cluster.redis)
    statuses: list[int] = []
    for i in range(10):
        for base in (cluster.a, cluster.b):
            headers = {"x-forwarded-for": f"198.51.100.{100 + i}"}
            r = httpx.post(f"{base}/v1/ask", json={"question": "how do i use naloxone"}, headers=headers, timeout=30)
            statuses.append(r.status_code)
            assert r.json()["kind"] == "answer"
    feedback = httpx.post(f"{cluster.a}/v1/feedback", json={"helpful": True, "kind": "answer"}, timeout=30)
    statuses.append(feedback.status_code)
    if _has_sms(cluster.a):
        sms = _sms(cluster.b, "what is fentanyl", "SM-down-1", "+14155550150")
        statuses.append(sms.status_code)
        assert "<Message>" in sms.text
    ready = httpx.get(f"{cluster.a}/readyz", timeout=30)
    assert ready.status_code == 200
    assert ready.json()["store"] == {"backend": "redis", "ok": False}
    assert not [s for s in statuses if s >= 500]
    assert set(statuses) <= {200, 204}
    metrics = httpx.get(f"{cluster.a}/metrics", timeout=30).text
    assert "hrbot_store_errors_total" in metrics
