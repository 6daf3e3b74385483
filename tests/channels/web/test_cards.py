"""The web channel over HTTP: widget.js, the outreach page, the cards, static assets and CORS."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.channels.web.offline import QUICK
from bot.config import ROOT
from bot.corpus.answercards import read_cards
from bot.corpus.cards import PER_PAGE, PRINTED
from tests.conftest import make_settings

PARTNER = "https://partner.example.org"
ALLOWED_HOSTS = ("cdc.gov", "samhsa.gov", "findtreatment.gov", "988lifeline.org")


@pytest.fixture
def web(built_data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(built_data_dir, cors_origins=f"{PARTNER}, https://other.example"))) as c:
        yield c


class _Tags(HTMLParser):
    """Collects tags and their attributes, and whether any inline script or style is present."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag
        if tag == "style" or any(name == "style" or name.startswith("on") for name, _ in attrs):
            self.inline.append(tag)

    def handle_data(self, data: str) -> None:
        if self._open == "script" and data.strip():
            self.inline.append("script")

    def handle_endtag(self, _tag: str) -> None:
        self._open = None


def _parse(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    return parser


def test_widget_js_is_small_cacheable_javascript(web: TestClient) -> None:
    r = web.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert "max-age=" in r.headers["cache-control"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert len(r.content) < 25 * 1024


def test_widget_js_never_renders_html() -> None:
    source = (Path(__file__).parents[3] / "bot/channels/web/static/widget.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source
    assert "attachShadow" in source
    assert 'role: "log"' in source and '"aria-live": "polite"' in source
    assert "http://" not in source.replace("http://www.w3.org/2000/svg", "")


def test_outreach_page_has_strict_headers_and_no_inline_code(web: TestClient) -> None:
    r = web.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert "max-age=" in r.headers["cache-control"]
    page = _parse(r.text)
    assert page.inline == []
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [{"src": "/widget.js", "data-mode": "page", "data-target": "hrbot-page", "defer": None}]
    hrefs = {attrs.get("href") for tag, attrs in page.tags if tag == "a"}
    assert {"tel:911", "tel:988", "tel:18006624357", "/cards"} <= hrefs
    assert len(r.content) < 4096


def test_static_assets_are_cached(web: TestClient) -> None:
    for name in ("page.css", "cards.css"):
        r = web.get(f"/static/{name}")
        assert r.status_code == 200
        assert r.headers["cache-control"] == "public, max-age=86400"
    assert web.get("/static/nothing.css").status_code == 404


@pytest.mark.parametrize("lang", ["en", "es"])
def test_cards_are_the_answer_cards_two_to_a_sheet(web: TestClient, lang: str) -> None:
    r = web.get("/cards", params={"lang": lang})
    assert r.status_code == 200
    assert "max-age=" in r.headers["cache-control"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    page = _parse(r.text)
    assert page.inline == []
    assert ("link", {"rel": "stylesheet", "href": "/static/cards.css"}) in page.tags
    cards = {card.id: card for card in read_cards(ROOT / "corpus")}
    wanted = [card_id if lang == "en" else cards[card_id].twin for card_id in PRINTED]
    sheets = r.text.split('<div class="sheet">')[1:]
    assert len(sheets) == -(-len(PRINTED) // PER_PAGE)
    sections = [section for sheet in sheets for section in sheet.split('<section class="card"')[1:]]
    assert [re.search(r'id="card-([^"]+)"', s).group(1) for s in sections] == wanted  # type: ignore[union-attr]
    assert all(sheet.count('<section class="card"') <= PER_PAGE for sheet in sheets)
    for card_id, section in zip(wanted, sections, strict=True):
        card = cards[card_id]
        assert html.escape(card.title) in section
        # Every item of the card, with its citation number before the final stop.
        for item in card.items:
            assert html.escape(item.say.rstrip(".")) + " [" in section, (card_id, item.say)
        sources = section.split('<ol class="sources">', 1)[1].split("</ol>", 1)[0]
        links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', sources)
        assert links, f"card {card_id!r} has no sources"
        for href, shown in links:
            assert href == f"http://testserver/s/{shown.rsplit('/', 1)[1]}" or href.endswith(shown)
            target = web.get(urlsplit(href).path, follow_redirects=False)
            assert target.status_code == 302
            host = urlsplit(target.headers["location"]).hostname or ""
            assert any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS)
        for n in re.findall(r"\[(\d+)\]", section):
            assert 1 <= int(n) <= len(links)
        assert "911" in section and "988" in section and "1-800-662-4357" in section
        assert 'class="qr-code"' in section and "viewBox" in section


def test_the_naloxone_card_has_the_second_dose_and_the_strip_card_says_what_the_lines_mean(web: TestClient) -> None:
    text = web.get("/cards").text.lower()
    naloxone = text.split('id="card-naloxone-spray-steps"')[1].split("</section>")[0]
    assert "second dose" in naloxone
    strips = text.split('id="card-fentanyl-test-strips-results"')[1].split("</section>")[0]
    assert "one pink line" in strips and "two pink lines" in strips


def test_the_qr_code_opens_the_outreach_page() -> None:
    import segno

    from bot.channels.web.cards import _qr

    svg = _qr("https://hr.example.org/", "More answers:")
    assert svg.startswith("<svg") and "More answers: https://hr.example.org/" in svg
    assert svg == segno.make_qr("https://hr.example.org/", error="m").svg_inline(
        scale=2, border=2, svgclass="qr-code", title="More answers: https://hr.example.org/", omitsize=True
    )


def test_cards_are_cached_after_the_first_request(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    first = web.get("/cards").text
    from bot.channels.web import cards

    def broken(*_: object, **__: object) -> None:
        raise AssertionError("cards must come from the cache")

    monkeypatch.setattr(cards, "render_cards", broken)
    assert web.get("/cards").text == first


def test_cards_unknown_language_is_422(web: TestClient) -> None:
    r = web.get("/cards", params={"lang": "fr"})
    assert r.status_code == 422
    assert "lang" in r.text


def test_cards_print_css_puts_two_cards_to_a_page() -> None:
    css = (Path(__file__).parents[3] / "bot/channels/web/static/cards.css").read_text().replace(" ", "")
    assert "@mediaprint" in css
    assert ".sheet{break-after:page;page-break-after:always}" in css
    assert PER_PAGE == 2


def test_every_printed_card_exists_in_both_languages() -> None:
    cards = {card.id: card for card in read_cards(ROOT / "corpus")}
    for card_id in PRINTED:
        assert cards[card_id].language == "en"
        assert cards[cards[card_id].twin].language == "es"


def test_the_quick_topics_are_the_widgets() -> None:
    source = (Path(__file__).parents[3] / "bot/channels/web/static/widget.js").read_text()
    quick = source.split("quick: [", 1)[1].split("\n    ]\n", 1)[0]
    shown = re.findall(r'\["[^"]+", "([^"]+)"\]', quick)
    assert shown == [q for lang in ("en", "es") for q, _ in QUICK[lang]]


def test_cors_preflight_allows_listed_origin(web: TestClient) -> None:
    for path in ("/v1/ask", "/v1/feedback"):
        r = web.options(
            path,
            headers={
                "Origin": PARTNER,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == PARTNER
    r = web.post("/v1/ask", json={"question": "what is naloxone", "channel": "web"}, headers={"Origin": PARTNER})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == PARTNER


def test_cors_refuses_other_origins(web: TestClient) -> None:
    r = web.options("/v1/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 400
    assert "access-control-allow-origin" not in r.headers
    r = web.post("/v1/ask", json={"question": "what is naloxone"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_only_on_browser_endpoints(web: TestClient) -> None:
    r = web.get("/readyz", headers={"Origin": PARTNER})
    assert "access-control-allow-origin" not in r.headers
    r = web.options("/v1/sms/twilio", headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers


def test_no_cors_origins_means_no_cross_origin_use(client: TestClient) -> None:
    r = client.options("/v1/ask", headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers


def test_feedback_is_stored_without_identifiers(web: TestClient) -> None:
    r = web.post(
        "/v1/feedback", json={"helpful": True, "kind": "answer", "language": "en"}, headers={"Origin": PARTNER}
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == PARTNER
