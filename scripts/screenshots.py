"""Screenshots for the README: the widget and the outreach page answering, on a 360 x 740 phone screen.

    HF_HUB_OFFLINE=1 .venv/bin/hrbot serve --port 8123 &
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8123

Needs Debian's chromium. Writes docs/img/answer-*.png. The widget is shown on the outreach page (the same script
renders both); each question is typed as a user would, and the page scrolled to the start of the answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

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


def main(api: str) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
