"""Screenshots for the README: the outreach page answering, offline, and scrolled, and a printed card page.

    HF_HUB_OFFLINE=1 .venv/bin/hrbot serve --port 8123 &
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8123

Needs Debian's chromium. Writes docs/img/answer-*.png (each question typed as a user would, the page scrolled to
the start of the answer), offline.png (the page reloaded with the network off), callbar.png (scrolled to the end
of a long answer) and cards-print.png (the first printed page of /cards), all on a 360 x 740 phone screen but
the last.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "img"
SHOTS = [
    ("answer-signs-en", "signs of an overdose"),
    ("answer-narcan-en", "how do I use Narcan"),
    ("answer-signs-es", "señales de una sobredosis"),
    ("answer-narcan-es", "cómo uso el Narcan"),
]


def _phone(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)


def offline_and_scrolled(browser: Any, api: str) -> None:
    """The page reloaded with no network, and the call bar after a long answer."""
    context = _phone(browser)
    page = context.new_page()
    page.goto(api + "/")
    # The page's policy forbids string evaluation, so poll with a function until the worker has saved the page.
    for _ in range(150):
        if page.evaluate("async () => !!(await caches.match('/offline.json')) && !!navigator.serviceWorker.controller"):
            break
        page.wait_for_timeout(200)
    context.set_offline(True)
    page.reload()
    page.get_by_role("log").locator(".msg.bot").first.wait_for(timeout=30_000)
    page.screenshot(path=str(OUT / "offline.png"))
    context.close()
    context = _phone(browser)
    page = context.new_page()
    page.goto(api + "/")
    page.get_by_role("button", name="How to use naloxone").click()
    page.get_by_role("log").locator(".msg.bot").first.wait_for(timeout=30_000)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight - 900)")
    page.screenshot(path=str(OUT / "callbar.png"))
    context.close()


def printed(browser: Any, api: str) -> None:
    """The first printed page of the cards, as the print style lays it out on Letter paper."""
    context = browser.new_context(viewport={"width": 740, "height": 980})
    page = context.new_page()
    page.goto(api + "/cards")
    page.emulate_media(media="print")
    page.screenshot(path=str(OUT / "cards-print.png"), clip={"x": 0, "y": 0, "width": 740, "height": 980})
    context.close()


def main(api: str) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        offline_and_scrolled(browser, api)
        printed(browser, api)
        for name, question in SHOTS:
            context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
            page = context.new_page()
            page.goto(api + "/")
            box = page.get_by_role("textbox")
            box.fill(question)
            box.press("Enter")
            reply = page.get_by_role("log").locator(".msg.bot").first
            reply.wait_for(timeout=30_000)
            reply.scroll_into_view_if_needed()
            page.get_by_role("log").locator(".msg.user").first.scroll_into_view_if_needed()
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"{name}: {reply.inner_text()[:120]!r}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
