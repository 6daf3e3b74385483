"""Identifiers without identities: HMACs of phone numbers and addresses, and scrubbing of stored text."""

from __future__ import annotations

import hashlib
import hmac
import re

_PHONE = re.compile(r"(?:\+?\d[\d\s().-]{6,}\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def sender_key(secret: str, identifier: str) -> str:
    """A salted, keyed hash of a phone number or address: stable per sender, useless without the secret."""
    return hmac.new(secret.encode(), identifier.strip().encode(), hashlib.sha256).hexdigest()[:32]


def scrub(text: str) -> str:
    """Remove phone numbers, e-mail addresses and URLs from text before it is kept."""
    text = _URL.sub("[url]", text)
    text = _EMAIL.sub("[email]", text)
    # Helpline and emergency numbers are not personal; keep short codes like 911 and 988.
    return _PHONE.sub(lambda m: m.group(0) if _is_public_number(m.group(0)) else "[phone]", text)


def _is_public_number(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return digits in {"18006624357", "8006624357", "18002221222", "8002221222", "18002738255"}
