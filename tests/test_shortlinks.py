"""Short-link codes and the registry: stable codes, allowed hosts only, collisions refused, one registry per bot."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from urllib.parse import urlsplit

import pytest

from bot.channels.sms.gsm import short_link
from bot.channels.web import STATIC_DIR
from bot.config import Settings
from bot.loader import load_bot
from bot.search.encoders.hash import HashEncoder
from bot.service import Bot
from bot.shortlinks import ALLOWED_HOSTS, ShortLinks, code_for, is_allowed, links_for
from bot.triage.replies import source_urls

NALOXONE = "https://www.cdc.gov/stop-overdose/caring/naloxone.html"
HELPLINE = "https://www.samhsa.gov/find-help/national-helpline"
# Two allowed URLs whose codes are the same (found by search; 6 base32 characters hold 30 bits).
TWINS = ("https://www.cdc.gov/page-18055.html", "https://www.cdc.gov/page-23801.html")
CODE = re.compile(r"^[a-z2-7]{6}$")


def test_a_code_is_the_start_of_the_urls_sha256_in_base32() -> None:
    digest = hashlib.sha256(NALOXONE.encode()).digest()
    assert code_for(NALOXONE) == base64.b32encode(digest).decode().lower()[:6]
    # The same on every build and replica: it depends on the URL alone.
    assert code_for(NALOXONE) == "dxtfco"
    assert code_for(HELPLINE) == "qjfvjr"
    assert code_for(NALOXONE) != code_for(NALOXONE + "?x=1")


@pytest.mark.parametrize("url", [NALOXONE, HELPLINE, "https://findtreatment.gov/", "https://988lifeline.org/"])
def test_a_code_is_six_base32_letters(url: str) -> None:
    assert CODE.match(code_for(url))


def test_the_registry_maps_each_code_to_its_url() -> None:
    links = ShortLinks([NALOXONE, HELPLINE, NALOXONE])
    assert len(links) == 2
    assert links.url(code_for(NALOXONE)) == NALOXONE
    assert links.url(code_for(HELPLINE)) == HELPLINE
    assert links.url("aaaaaa") is None


def test_a_code_collision_is_refused_naming_both_urls() -> None:
    assert code_for(TWINS[0]) == code_for(TWINS[1])
    with pytest.raises(ValueError, match="page-18055.*page-23801"):
        ShortLinks(TWINS)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/naloxone",
        "http://www.cdc.gov/stop-overdose/caring/naloxone.html",
        "https://notcdc.gov/naloxone",
        "https://cdc.gov.evil.example/naloxone",
        "https://evil.example\\@www.cdc.gov/naloxone",
        "https://someone@www.cdc.gov/naloxone",
        "javascript:alert(1)//cdc.gov",
        "https://www.cdc.gov/na loxone",
    ],
)
def test_a_url_off_the_allowed_hosts_is_skipped_and_logged_once(url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.shortlinks")
    links = ShortLinks([url, NALOXONE, url])
    assert not is_allowed(url)
    assert links.url(code_for(url)) is None
    assert len(links) == 1
    assert len([r for r in caplog.records if r.name == "bot.shortlinks"]) == 1
    assert links.link(url, "https://hr.example.org") == short_link(url)


@pytest.mark.parametrize(
    "url",
    [NALOXONE, "https://cdc.gov/x", "https://stacks.cdc.gov/view/cdc/1", "https://store.samhsa.gov/p", HELPLINE],
)
def test_allowed_hosts_and_their_subdomains(url: str) -> None:
    assert is_allowed(url)


def test_the_allowed_hosts_are_the_widgets() -> None:
    found = re.search(r"var ALLOWED = \[([^\]]*)\];", (STATIC_DIR / "widget.js").read_text(encoding="utf-8"))
    assert found is not None
    assert tuple(re.findall(r'"([^"]+)"', found.group(1))) == ALLOWED_HOSTS


@pytest.mark.parametrize(
    ("public", "expected"),
    [
        ("https://hr.example.org", "hr.example.org/s/dxtfco"),
        ("https://hr.example.org/", "hr.example.org/s/dxtfco"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/s/dxtfco"),
    ],
)
def test_the_sms_link_is_the_public_url_and_the_code(public: str, expected: str) -> None:
    assert ShortLinks([NALOXONE]).link(NALOXONE, public) == expected


def test_a_url_not_in_the_registry_keeps_the_old_short_form() -> None:
    assert (
        ShortLinks([HELPLINE]).link(NALOXONE, "https://hr.example.org") == "cdc.gov/stop-overdose/caring/naloxone.html"
    )


def test_before_the_bot_is_loaded_the_fixed_replies_sources_are_known() -> None:
    links = links_for(None)
    assert links is links_for(None)
    assert set(links.codes().values()) == set(source_urls())


def test_a_bots_registry_holds_every_source_it_can_cite(bot: Bot) -> None:
    links = links_for(bot)
    assert links is links_for(bot)
    urls = set(links.codes().values())
    assert {s.url for s in bot.index.sources.values()} <= urls
    assert set(source_urls()) <= urls
    for code, url in links.codes().items():
        assert CODE.match(code) and code == code_for(url)
        link = links.link(url, "https://hr.example.org")
        assert len(link) <= 40
        assert len(link.removeprefix("hr.example.org")) <= 30


def test_a_reloaded_bot_gets_its_own_registry(bot: Bot, settings: Settings) -> None:
    again = load_bot(settings, HashEncoder())
    assert links_for(again) is not links_for(bot)
    assert links_for(again).codes() == links_for(bot).codes()


def test_every_registered_url_is_https_on_an_allowed_host(bot: Bot) -> None:
    for url in links_for(bot).codes().values():
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        assert parts.scheme == "https"
        assert any(host == d or host.endswith("." + d) for d in ALLOWED_HOSTS), url
