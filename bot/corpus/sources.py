"""Where corpus documents may come from: the publishers and the hosts a citation may point at."""

from __future__ import annotations

from urllib.parse import urlparse

ALLOWED_DOMAINS = ("cdc.gov", "samhsa.gov", "findtreatment.gov", "988lifeline.org")
PUBLISHERS = ("CDC", "SAMHSA")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be cited (not https, or not a CDC/SAMHSA host), or None when it can."""
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return f"must be an https:// address, got {url!r}"
    host = parsed.hostname.lower()
    if not any(host == d or host.endswith("." + d) for d in ALLOWED_DOMAINS):
        return f"host {host} is not one of {', '.join(ALLOWED_DOMAINS)} (the corpus cites CDC and SAMHSA pages only)"
    return None
