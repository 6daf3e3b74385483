"""The outreach page with no network, in Chromium on a 360 x 740 phone: once visited, it opens offline and shows
the emergency steps, answers every quick topic from what it saved, and keeps the call bar in view."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Servers, serving
from tests.browser.test_widget import ALLOWED, TIMEOUT

pytestmark = pytest.mark.browser

QUICK_EN = [
    "Signs of an overdose",
    "How to use naloxone",
    "Rescue breathing",
    "Recovery position",
    "Fentanyl test strips",
    "Find treatment",
]
SAVED_JS = """async () => {
  if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return false;
  const cache = await caches.open('hrbot-offline-v1');
  const keys = await cache.keys();
  return keys.map(k => new URL(k.url).pathname).sort().join(' ');
}"""


def _wait_saved(page: Any) -> str:
    # Polls until the service worker controls the page and has kept everything; the limit only stops a hang.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        saved = page.evaluate(SAVED_JS)
        if saved and "/offline.json" in saved and "/widget.js" in saved:
            return str(saved)
        page.wait_for_timeout(200)
    raise AssertionError("the service worker did not save the page")


def _in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_outreach_page_opens_and_answers_offline(
    phone: Any, built_data_dir: Path, tmp_path: Path, artifacts: Path
) -> None:
    errors: list[str] = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    with serving(built_data_dir, tmp_path / "data") as servers:
        phone.goto(servers.api + "/")
        assert "/" in _wait_saved(phone).split()
    # The server is gone and the phone has no signal.
    phone.context.set_offline(True)
    phone.reload()
    log = phone.get_by_role("log")
    first = log.locator(".msg.bot").first
    first.wait_for(timeout=TIMEOUT)
    assert phone.get_by_role("status").is_visible()
    steps = first.inner_text()
    for words in ("911", "naloxone", "rescue breaths", "side", "Stay with the person"):
        assert words in steps, words
    assert first.get_by_role("link", name="Call 911 now").get_attribute("href") == "tel:911"
    assert ALLOWED.match(first.locator("ol.sources a").first.get_attribute("href") or "")
    phone.screenshot(path=str(artifacts / "offline-360.png"))
    for n, name in enumerate(QUICK_EN, start=1):
        phone.get_by_role("button", name=name).click()
        reply = log.locator(".msg.bot").nth(n)
        reply.wait_for(timeout=TIMEOUT)
        text = reply.inner_text()
        assert "You are offline: this answer was saved" in text, name
        assert reply.locator("ol.sources li").count() >= 1, name
        assert reply.locator(".fb").count() == 0  # no feedback to send offline
    # A typed question is matched against the saved answer cards...
    box = phone.get_by_role("textbox")
    box.fill("how do i use narcan spray")
    box.press("Enter")
    typed = log.locator(".msg.bot").nth(len(QUICK_EN) + 1)
    typed.wait_for(timeout=TIMEOUT)
    assert "second dose" in typed.inner_text()
    # ...and one with no saved answer says so and shows the emergency steps.
    box.fill("what time does the library open")
    box.press("Enter")
    none = log.locator(".msg.bot").nth(len(QUICK_EN) + 2)
    none.wait_for(timeout=TIMEOUT)
    assert "no saved answer matches" in none.inner_text() and "911" in none.inner_text()
    # Whatever is scrolled, the call bar is in view.
    phone.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert _in_view(phone, ".callbar a[href='tel:911']")
    assert _in_view(phone, ".callbar a[href='tel:988']")
    assert errors == []


def test_the_call_bar_stays_in_view_after_an_answer(phone: Any, servers: Servers, artifacts: Path) -> None:
    phone.goto(servers.api + "/")
    phone.get_by_role("button", name="Fentanyl test strips").click()
    phone.get_by_role("log").locator(".msg.bot").first.wait_for(timeout=TIMEOUT)
    for _ in range(2):
        phone.get_by_role("button", name="How to use naloxone").click()
    phone.get_by_role("log").locator(".msg.bot").nth(1).wait_for(timeout=TIMEOUT)
    phone.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert phone.evaluate("() => window.scrollY") > 300
    assert _in_view(phone, ".callbar a[href='tel:911']") and _in_view(phone, ".callbar a[href='tel:988']")
    phone.screenshot(path=str(artifacts / "callbar-360.png"))


def test_the_widget_keeps_its_call_row_in_view(phone: Any, servers: Servers) -> None:
    phone.goto(servers.host + "/")
    phone.get_by_role("button", name="Chat about drug safety").click()
    box = phone.get_by_role("textbox", name="Your question")
    for question in ("how do i use fentanyl test strips", "how do i use naloxone nasal spray"):
        box.fill(question)
        box.press("Enter")
        phone.get_by_role("log").locator(".msg.bot").last.wait_for(timeout=TIMEOUT)
    phone.get_by_role("log").evaluate("log => { log.scrollTop = log.scrollHeight; }")
    calls = phone.get_by_role("navigation", name="Emergency numbers")
    assert calls.get_by_role("link", name="Overdose: call 911").get_attribute("href") == "tel:911"
    host_box = calls.bounding_box()
    assert host_box is not None and 0 <= host_box["y"] and host_box["y"] + host_box["height"] <= 740
