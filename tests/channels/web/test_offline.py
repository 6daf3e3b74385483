"""The outreach page's offline parts over HTTP: the manifest, the service worker and the saved answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.channels.web.offline import QUICK
from bot.config import ROOT
from bot.corpus.answercards import read_cards
from tests.conftest import make_settings

STATIC = ROOT / "bot" / "channels" / "web" / "static"


@pytest.fixture
def web(built_data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(built_data_dir))) as c:
        yield c


def test_manifest_makes_the_page_installable(web: TestClient) -> None:
    r = web.get("/manifest.webmanifest")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/manifest+json")
    manifest = r.json()
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        png = web.get(icon["src"])
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        side = int.from_bytes(png.content[16:20], "big")
        assert f"{side}x{side}" == icon["sizes"]
    page = web.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


def test_service_worker_is_served_at_the_root_with_a_policy_that_lets_it_fetch(web: TestClient) -> None:
    r = web.get("/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "no-cache"
    assert "connect-src 'self'" in r.headers["content-security-policy"]
    # Everything it keeps exists.
    saved = json.loads(r.text.split("var SAVED = ", 1)[1].split(";", 1)[0].replace("\n", ""))
    for path in saved:
        assert web.get(path).status_code == 200, path
    page_csp = web.get("/").headers["content-security-policy"]
    assert "worker-src 'self'" in page_csp and "manifest-src 'self'" in page_csp


def test_offline_bundle_holds_the_urgent_replies_quick_topics_and_cards(web: TestClient) -> None:
    r = web.get("/offline.json")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-cache"
    bundle = r.json()
    assert len(bundle["version"]) == 12
    cards = read_cards(ROOT / "corpus")
    for lang in ("en", "es"):
        pack = bundle["languages"][lang]
        emergency = pack["emergency"]
        assert emergency["kind"] == "emergency" and emergency["language"] == lang
        assert "911" in emergency["answer"] and "naloxon" in emergency["answer"].lower()
        assert emergency["citations"] and all(c["url"].startswith("https://") for c in emergency["citations"])
        assert pack["crisis"]["kind"] == "crisis" and "988" in pack["crisis"]["answer"]
        assert [(q["question"], q["reply"]["card_id"]) for q in pack["quick"]] == list(QUICK[lang])
        for quick in pack["quick"]:
            assert quick["reply"]["kind"] == "answer" and quick["reply"]["citations"], quick["question"]
        assert {c["id"] for c in pack["cards"]} == {c.id for c in cards if c.language == lang}
        for card in pack["cards"]:
            reply = card["reply"]
            assert reply["card_id"] == card["id"] and reply["citations"] and card["asks"]
    # Small enough for a weak connection: sent gzip-compressed, the whole bundle is well under 400 KB.
    assert r.headers["content-encoding"] == "gzip" and r.headers["vary"] == "Accept-Encoding"
    assert r.num_bytes_downloaded < 400_000
    assert len(r.content) < 2_000_000


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "", "*;q=0", "gzip;q=0, *"])
def test_offline_bundle_is_sent_plain_to_a_client_that_does_not_take_gzip(web: TestClient, accept: str) -> None:
    r = web.get("/offline.json", headers={"Accept-Encoding": accept})
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert r.num_bytes_downloaded == len(r.content)
    assert r.json() == web.get("/offline.json").json()


@pytest.mark.parametrize("accept", ["gzip", "deflate, gzip;q=0.5", "*", "*;q=0, gzip"])
def test_offline_bundle_is_gzipped_for_a_client_that_takes_it(web: TestClient, accept: str) -> None:
    r = web.get("/offline.json", headers={"Accept-Encoding": accept})
    assert r.headers["content-encoding"] == "gzip" and r.num_bytes_downloaded < len(r.content)


def test_offline_bundle_is_made_once_per_bot(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    first = web.get("/offline.json").content
    from bot.channels.web import offline

    def broken(*_: object, **__: object) -> None:
        raise AssertionError("the bundle must be kept")

    monkeypatch.setattr(offline, "bundle", broken)
    assert web.get("/offline.json").content == first


def test_offline_bundle_while_starting_is_503_with_911(web: TestClient) -> None:
    # While the index builds there is no bot yet: the page keeps what it saved before.
    bot = web.app.state.bot  # type: ignore[attr-defined]
    web.app.state.bot = None  # type: ignore[attr-defined]
    try:
        r = web.get("/offline.json")
    finally:
        web.app.state.bot = bot  # type: ignore[attr-defined]
    assert r.status_code == 503
    assert r.headers["retry-after"] == "10"
    assert "911" in r.json()["detail"]


def test_the_icons_are_what_the_script_writes() -> None:
    from scripts.make_icons import icon

    for size in (192, 512):
        assert (STATIC / f"icon-{size}.png").read_bytes() == icon(size)


def test_per_bot_values_are_made_once_and_dropped_with_their_bot() -> None:
    from types import SimpleNamespace

    from bot.channels.web.perbot import PerBot

    made: list[tuple[int, str]] = []

    def make(bot: Any, key: str) -> str:
        made.append((id(bot), key))
        return f"{key}-{len(made)}"

    values: PerBot[str] = PerBot(make)
    old, new = SimpleNamespace(loaded_at=1.0), SimpleNamespace(loaded_at=2.0)
    assert values.get(old, "en") == values.get(old, "en") == "en-1"  # type: ignore[arg-type]
    assert values.get(old, "es") == "es-2"  # type: ignore[arg-type]
    assert values.get(new, "en") == "en-3"  # type: ignore[arg-type]
    # The old bot's values went when the new bot's first one was made.
    assert values.get(old, "en") == "en-4"  # type: ignore[arg-type]
    assert len(made) == 4
