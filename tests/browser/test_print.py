"""`/cards` printed to PDF by Chromium, on Letter and on A4: two cards a page, no page with only a title, and
no card cut off."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bot.config import ROOT
from bot.corpus.answercards import read_cards
from bot.corpus.cards import PRINTED
from tests.browser.conftest import Servers

pytestmark = pytest.mark.browser


def _titles(lang: str) -> list[str]:
    cards = {card.id: card for card in read_cards(ROOT / "corpus")}
    return [cards[i].title if lang == "en" else cards[cards[i].twin].title for i in PRINTED]


def _norm(text: str) -> str:
    # PDF text comes with ligatures ("ﬁ") and line breaks of its own.
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_cards_print_two_to_a_page(desktop: Any, servers: Servers, artifacts: Path, lang: str, paper: str) -> None:
    desktop.goto(f"{servers.api}/cards?lang={lang}")
    pdf = desktop.pdf(format=paper, print_background=True)
    (artifacts / f"cards-{lang}-{paper}.pdf").write_bytes(pdf)
    pages = [_norm(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    titles = _titles(lang)
    assert len(pages) == len(titles) // 2
    for number, text in enumerate(pages, start=1):
        on_page = [t for t in titles if _norm(t) in text]
        assert 1 <= len(on_page) <= 2, (paper, number, on_page)
        assert "911" in text and "988" in text and "1-800-662-4357" in text
    printed = [t for text in pages for t in titles if _norm(t) in text]
    assert printed == titles


def test_no_printed_card_is_cut_off(desktop: Any, servers: Servers, artifacts: Path) -> None:
    for lang in ("en", "es"):
        desktop.goto(f"{servers.api}/cards?lang={lang}")
        # The content width of a Letter page inside 10 mm margins, at 96 px an inch.
        desktop.set_viewport_size({"width": 740, "height": 1000})
        desktop.emulate_media(media="print")
        cut = desktop.evaluate(
            "() => [...document.querySelectorAll('section.card')].filter(c => c.scrollHeight > c.clientHeight + 1)"
            ".map(c => c.id)"
        )
        assert cut == [], lang
    desktop.screenshot(path=str(artifacts / "cards-print.png"), full_page=True)
