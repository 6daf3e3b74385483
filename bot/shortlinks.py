"""Short links for SMS citations: `BOT_PUBLIC_URL/s/<code>` redirects to the cited CDC or SAMHSA page.

A code is derived from the URL alone (the start of its SHA-256 in base32), so a document has the same code on
every build and every replica and nothing is stored. A registry holds every page a bot can cite; only https pages
on the allowed hosts are in it, so a short link can never send anyone elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import weakref
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

from bot.channels.sms.gsm import short_link
from bot.corpus.sources import ALLOWED_DOMAINS, url_problem
from bot.service import Bot
from bot.triage.replies import source_urls

logger = logging.getLogger(__name__)

CODE_LENGTH = 6
# The route's prefix; the app serves `GET /s/{code}`.
PREFIX = "/s/"
# The hosts a short link may redirect to, and their subdomains (https only): the corpus's own list, which the
# widget's `ALLOWED` repeats.
ALLOWED_HOSTS: tuple[str, ...] = ALLOWED_DOMAINS


def code_for(url: str) -> str:
    """The short code of a URL: the first 6 characters of the lowercase, unpadded base32 of its SHA-256."""
    digest = hashlib.sha256(url.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()[:CODE_LENGTH]


def is_allowed(url: str) -> bool:
    """Whether a short link may redirect to `url`: https, on an allowed host, nothing a browser reads otherwise."""
    if url_problem(url) is not None:
        return False
    # A user part, a backslash or whitespace can make a browser go to another host than the one parsed here.
    return "@" not in urlsplit(url).netloc and not any(ch == "\\" or ch.isspace() for ch in url)


class ShortLinks:
    """A registry of short codes for cited pages: code -> URL, and the SMS form of each page's link."""

    def __init__(self, urls: Iterable[str]) -> None:
        """Register every allowed URL (each once); a URL whose host is not allowed is skipped and logged.

        Raises:
            ValueError: two different URLs have the same code.
        """
        self._urls: dict[str, str] = {}
        skipped: set[str] = set()
        for url in urls:
            if not is_allowed(url):
                if url not in skipped:
                    skipped.add(url)
                    logger.warning("short link not made: the host is not allowed", extra={"url": url})
                continue
            code = code_for(url)
            known = self._urls.setdefault(code, url)
            if known != url:
                raise ValueError(f"short link code {code!r} is the same for {known} and {url}")

    def __len__(self) -> int:
        return len(self._urls)

    def codes(self) -> dict[str, str]:
        """Every code and the URL it redirects to."""
        return dict(self._urls)

    def url(self, code: str) -> str | None:
        """The URL a code redirects to, or None for a code not in the registry."""
        return self._urls.get(code)

    def link(self, url: str, public_url: str) -> str:
        """The link an SMS carries for `url`: `BOT_PUBLIC_URL/s/<code>`, without `https://` (phones link a bare
        host) but with `http://` when the public URL is plain http. A URL not in the registry gets `short_link`.
        """
        code = code_for(url)
        if self._urls.get(code) != url:
            return short_link(url)
        base = public_url.strip().rstrip("/")
        if base[:8].lower() == "https://":
            base = base[8:]
        return f"{base}{PREFIX}{code}"


@cache
def _fixed_links() -> ShortLinks:
    return ShortLinks(source_urls())


_BY_BOT: weakref.WeakKeyDictionary[Bot, ShortLinks] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def links_for(bot: Bot | None) -> ShortLinks:
    """The registry of every page `bot` can cite: its index's sources and the fixed replies' sources.

    Made once per bot (a reload makes a new bot, and so a new registry). While no bot is loaded (the service is
    starting), only the fixed replies can be sent, so only their sources are in it.
    """
    if bot is None:
        return _fixed_links()
    with _LOCK:
        links = _BY_BOT.get(bot)
        if links is None:
            links = ShortLinks([*(s.url for s in bot.index.sources.values()), *source_urls()])
            _BY_BOT[bot] = links
        return links
