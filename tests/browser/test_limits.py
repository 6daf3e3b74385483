"""The widget in Chromium from a visitor who has spent the rate limit: ordinary questions get the safe text,
every emergency and crisis, in English and Spanish, still gets its reply and its call button."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Servers, _require_chromium, serving
from tests.browser.test_widget import _ask, _open
from tests.urgent import URGENT

pytestmark = pytest.mark.browser

CALL = {
    "emergency": ("Call 911 now", "Llame al 911 ahora", "tel:911"),
    "crisis": ("Call or text 988", "Llame o envíe un texto al 988", "tel:988"),
}


@pytest.fixture(scope="module")
def limited(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    _require_chromium()
    data_dir = tmp_path_factory.mktemp("browser-limited")
    with serving(built_data_dir, data_dir, BOT_RATE_LIMIT_ENABLED="true", BOT_RATE_LIMIT="3/minute") as both:
        yield both


def test_a_spent_budget_still_gets_every_emergency_and_crisis_in_the_widget(desktop: Any, limited: Servers) -> None:
    _open(desktop, limited)
    # The page load itself costs nothing; three questions spend the budget and the fourth is refused.
    for _ in range(3):
        _ask(desktop, "what is naloxone")
    refused = _ask(desktop, "what is naloxone").inner_text()
    assert "Sorry, something went wrong" in refused and "911" in refused
    for (kind, lang), questions in URGENT.items():
        english, spanish, href = CALL[kind]
        for question in questions:
            reply = _ask(desktop, question)
            call = reply.get_by_role("link", name=spanish if lang == "es" else english)
            assert call.get_attribute("href") == href, question
            assert call.is_visible()
            assert "Sorry" not in reply.inner_text() and "Lo sentimos" not in reply.inner_text()
