"""Security headers, from one place: which Content-Security-Policy and framing rules each response gets.

The edge middleware applies them to every response; a route never sets its own.
"""

from __future__ import annotations

from collections.abc import Mapping

# JSON, TwiML, scripts, styles and every refusal: nothing to load, nothing may frame them.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The pages the app renders (the outreach page, the cards): scripts, styles and API calls only from this origin,
# so they work with no 'unsafe-inline'; no forms are posted anywhere.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# The outreach page's service worker: its policy governs its own fetches, which keep the page for offline use.
WORKER_CSP = "default-src 'none'; connect-src 'self'; frame-ancestors 'none'"
WORKER_PATHS = frozenset({"/sw.js"})
# Any other HTML (the static copy of the outreach page): its own origin only; nothing may frame it.
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_PATHS = frozenset({"/", "/cards"})
# FastAPI's own /docs and /redoc load Swagger UI from a CDN with inline script; a strict policy would blank them.
NO_CSP_PATHS = ("/docs", "/redoc")

# Sent when BOT_PUBLIC_URL is https (the service sits behind TLS): browsers then refuse plain HTTP for a year.
HSTS = "max-age=31536000"
# Replies no cache may keep: answers, feedback, SMS and health.
NO_STORE_PREFIXES = ("/v1/", "/readyz", "/healthz")

_EVERYWHERE = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}
_PAGES = {
    "content-security-policy": PAGE_CSP,
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def security_headers(path: str, content_type: str) -> Mapping[str, str]:
    """The security headers for a response to `path` with this content type."""
    if path.startswith(NO_CSP_PATHS):
        return _EVERYWHERE
    if path in WORKER_PATHS:
        return {**_EVERYWHERE, "content-security-policy": WORKER_CSP}
    if content_type.startswith("text/html"):
        if path in PAGE_PATHS:
            return {**_EVERYWHERE, **_PAGES}
        return {**_EVERYWHERE, "content-security-policy": HTML_CSP}
    return {**_EVERYWHERE, "content-security-policy": API_CSP}
