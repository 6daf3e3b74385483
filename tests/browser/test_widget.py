"""The widget in real headless Chromium, embedded cross-origin on a partner page, and the outreach page."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Servers

pytestmark = pytest.mark.browser

LAUNCHER = re.compile(r"^chat", re.IGNORECASE)
ALLOWED = re.compile(r"^https://([a-z0-9-]+\.)*(cdc\.gov|samhsa\.gov|findtreatment\.gov|988lifeline\.org)/")
XSS = "<img src=x onerror=window.__pwned=1>"
TIMEOUT = 30_000
# WCAG contrast of each visible text element against the first opaque background behind it, inside the shadow root.
CONTRAST_JS = """() => {
  const root = document.getElementById('hrbot-widget').shadowRoot;
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 :
    Math.pow((v + 0.055) / 1.055, 2.4); }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = el => { for (let e = el; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) {
      const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; }
    return [255, 255, 255]; };
  const out = [];
  for (const el of root.querySelectorAll('button, a, p, label, h2, span:not(.sr), li, input')) {
    if (!el.getClientRects().length || !el.textContent.trim() && el.tagName !== 'INPUT') continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
    out.push([el.tagName + '.' + el.className, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
  }
  return out;
}"""


def _open(page: Any, servers: Servers) -> Any:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(servers.host + "/")
    page.get_by_role("button", name=LAUNCHER).click()
    assert errors == []
    return page.get_by_role("textbox", name="Your question")


def _ask(page: Any, question: str) -> Any:
    log = page.get_by_role("log")
    before = log.locator(".msg.bot").count()
    box = page.get_by_role("textbox")
    box.fill(question)
    box.press("Enter")
    reply = log.locator(".msg.bot").nth(before)
    reply.wait_for(timeout=TIMEOUT)
    return reply


def test_cross_origin_question_gets_cited_answer(desktop: Any, servers: Servers, artifacts: Path) -> None:
    assert servers.host != servers.api
    box = _open(desktop, servers)
    expect(box).to_be_focused()
    reply = _ask(desktop, "how do i use naloxone nasal spray")
    # A card answer: its steps as a list, each cited.
    assert reply.locator("ul.answer-list li").count() >= 3
    assert "[1]" in reply.locator("ul.answer-list li").first.inner_text()
    link = reply.get_by_role("link", name=re.compile(r"^\[1\]"))
    assert ALLOWED.match(link.get_attribute("href") or "")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert desktop.get_by_role("log").get_attribute("aria-live") == "polite"
    desktop.screenshot(path=str(artifacts / "widget-desktop.png"))


def test_markup_is_shown_as_text_and_never_runs(desktop: Any, servers: Servers) -> None:
    _open(desktop, servers)
    _ask(desktop, XSS)
    log = desktop.get_by_role("log")
    assert log.locator(".msg.user").last.inner_text().endswith(XSS)
    assert desktop.evaluate("() => window.__pwned") is None
    assert desktop.locator("img").count() == 0
    assert (
        desktop.evaluate("() => document.getElementById('hrbot-widget').shadowRoot.querySelectorAll('img').length") == 0
    )


def test_emergency_reply_shows_call_911_link(desktop: Any, servers: Servers) -> None:
    _open(desktop, servers)
    reply = _ask(desktop, "my friend is not breathing and his lips are blue")
    call = reply.get_by_role("link", name="Call 911 now")
    assert call.get_attribute("href") == "tel:911"
    assert call.is_visible()
    assert reply.locator('a[href="tel:911"]').count() >= 2  # the button, and 911 in the text
    assert reply.locator("ol.sources a").count() >= 1


def test_crisis_reply_shows_call_988_link(desktop: Any, servers: Servers) -> None:
    _open(desktop, servers)
    reply = _ask(desktop, "I want to kill myself")
    assert reply.get_by_role("link", name="Call or text 988").get_attribute("href") == "tel:988"


@pytest.mark.parametrize("failure", ["abort", 500, 429])
def test_failed_request_shows_safe_text(desktop: Any, servers: Servers, failure: str | int) -> None:
    def handle(route: Any) -> None:
        if failure == "abort":
            route.abort()
        else:
            route.fulfill(
                status=failure,
                body="{}",
                content_type="application/json",
                headers={"Access-Control-Allow-Origin": servers.host},
            )

    desktop.route("**/v1/ask", handle)
    _open(desktop, servers)
    reply = _ask(desktop, "what is fentanyl")
    text = reply.inner_text()
    assert "911" in text and "988" in text and "1-800-662-4357" in text
    assert reply.locator('a[href="tel:18006624357"]').count() == 1


def _fulfil(servers: Servers, status: int, body: dict[str, Any]) -> Any:
    def handle(route: Any) -> None:
        route.fulfill(
            status=status,
            body=json.dumps(body),
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": servers.host},
        )

    return handle


def test_a_list_answer_is_shown_as_a_list_of_text(desktop: Any, servers: Servers) -> None:
    answer = "To give naloxone nasal spray:\n- Call 911 [1].\n- Spray one dose into the nose [1].\n- " + XSS
    reply_body = {
        "kind": "answer",
        "answer": answer,
        "citations": [],
        "language": "en",
        "confidence": 1.0,
        "followups": [],
        "safety_note": None,
        "card_id": "naloxone-spray-steps",
    }
    desktop.route("**/v1/ask", _fulfil(servers, 200, reply_body))
    _open(desktop, servers)
    reply = _ask(desktop, "how do i use narcan")
    assert reply.locator("p").first.inner_text() == "To give naloxone nasal spray:"
    items = reply.locator("ul.answer-list li")
    assert items.count() == 3
    assert items.nth(0).inner_text() == "Call 911 [1]."
    assert items.nth(0).locator('a[href="tel:911"]').count() == 1
    assert items.nth(2).inner_text() == XSS
    assert desktop.evaluate("() => window.__pwned") is None


def test_while_starting_the_503_text_with_911_is_shown(desktop: Any, servers: Servers) -> None:
    detail = "The service is starting. If someone may be overdosing, call 911. Call or text 988."
    desktop.route("**/v1/ask", _fulfil(servers, 503, {"detail": detail}))
    _open(desktop, servers)
    reply = _ask(desktop, "what is fentanyl")
    assert "The service is starting" in reply.inner_text()
    assert reply.locator('a[href="tel:911"]').count() == 1


def test_origin_not_in_allowlist_gets_safe_text(desktop: Any, servers: Servers) -> None:
    # Same page, other origin: localhost is not 127.0.0.1 to the browser, and is not in BOT_CORS_ORIGINS.
    desktop.goto(servers.host.replace("127.0.0.1", "localhost") + "/")
    desktop.get_by_role("button", name=LAUNCHER).click()
    reply = _ask(desktop, "what is naloxone")
    assert "Sorry, something went wrong" in reply.inner_text()


def test_feedback_is_sent_and_stored_without_identifiers(desktop: Any, servers: Servers) -> None:
    _open(desktop, servers)
    reply = _ask(desktop, "what are fentanyl test strips")
    with desktop.expect_response("**/v1/feedback") as response:
        reply.get_by_role("button", name="Yes").click()
    assert response.value.status == 204
    assert "Thanks" in reply.inner_text()
    with sqlite3.connect(servers.data_dir / "state.sqlite3") as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(feedback)")]
        rows = db.execute("SELECT helpful, kind, language FROM feedback").fetchall()
    assert set(columns) == {"day", "helpful", "kind", "language"}
    assert (1, "answer", "en") in rows


def test_keyboard_only(desktop: Any, servers: Servers) -> None:
    desktop.goto(servers.host + "/")
    active = (
        "() => { const r = document.getElementById('hrbot-widget'); "
        "return r && document.activeElement === r ? r.shadowRoot.activeElement.className : null; }"
    )
    for _ in range(5):
        desktop.keyboard.press("Tab")
        if desktop.evaluate(active) == "launcher":
            break
    assert desktop.evaluate(active) == "launcher"
    outline = desktop.evaluate(
        "() => { const b = document.getElementById('hrbot-widget').shadowRoot"
        ".querySelector('.launcher'); const s = getComputedStyle(b); "
        "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] == "solid" and outline[1] >= 2
    desktop.keyboard.press("Enter")
    expect(desktop.get_by_role("textbox", name="Your question")).to_be_focused()
    desktop.keyboard.type("how do i use naloxone nasal spray")
    desktop.keyboard.press("Enter")
    desktop.get_by_role("log").locator(".msg.bot").first.wait_for(timeout=TIMEOUT)
    desktop.keyboard.press("Escape")
    assert desktop.get_by_role("dialog").count() == 0
    assert desktop.evaluate(active) == "launcher"
    assert desktop.get_by_role("button", name=LAUNCHER).get_attribute("aria-expanded") == "false"


def test_phone_layout_has_no_horizontal_scroll(phone: Any, servers: Servers, artifacts: Path) -> None:
    _open(phone, servers)
    _ask(phone, "how do i use fentanyl test strips")
    width = phone.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] == 360
    box = phone.get_by_role("dialog").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    for name, ratio in phone.evaluate(CONTRAST_JS):
        assert ratio >= 4.5, f"{name} contrast {ratio:.2f}"
    phone.screenshot(path=str(artifacts / "widget-360.png"))


def test_outreach_page_quick_buttons_and_spanish(phone: Any, servers: Servers, artifacts: Path) -> None:
    problems: list[str] = []
    phone.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    phone.on("pageerror", lambda e: problems.append(str(e)))
    response = phone.goto(servers.api + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    phone.get_by_role("button", name="How to use naloxone").click()
    reply = phone.get_by_role("log").locator(".msg.bot").first
    reply.wait_for(timeout=TIMEOUT)
    assert ALLOWED.match(reply.locator("ol.sources a").first.get_attribute("href") or "")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    for name, ratio in phone.evaluate(CONTRAST_JS):
        assert ratio >= 4.5, f"{name} contrast {ratio:.2f}"
    phone.screenshot(path=str(artifacts / "outreach-360.png"), full_page=True)
    phone.get_by_role("button", name="Español").click()
    assert phone.get_by_role("textbox", name="Su pregunta").is_visible()
    phone.get_by_role("button", name="Cómo usar la naloxona").click()
    spanish = phone.get_by_role("log").locator(".msg.bot").nth(1)
    spanish.wait_for(timeout=TIMEOUT)
    assert "¿Le fue útil?" in spanish.inner_text()
    assert problems == []
