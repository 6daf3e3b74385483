"""SMS text: GSM-7 normalisation, honest segment counting (GSM-7 and UCS-2) and splitting answers into parts.

A single character outside the GSM-7 alphabet makes the whole message UCS-2, which cuts a segment from 160 to 70
characters, so answers are normalised to GSM-7 where that loses no meaning (curly quotes, dashes, the Spanish
acute vowels that GSM-7 lacks).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from bot.vocab import CITATION, cite

# 3GPP TS 23.038 default alphabet (the escape character 0x1B excluded) and its extension table, whose characters
# take two septets each.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")

# A single segment holds 160 septets or 70 UCS-2 code units; concatenated segments lose 7 septets / 3 units each
# to the user data header.
GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67
MAX_SEGMENTS = 3

_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u00b7": "-",
    "\u2122": "(TM)",
    "\u00ae": "(R)",
    "\u00a9": "(C)",
    "\u00a0": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\t": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
    # Spanish letters that GSM-7 lacks (é, ñ, ü, ¿, ¡ and É, Ñ, Ü are in it).
    "á": "a",
    "í": "i",
    "ó": "o",
    "ú": "u",
    "Á": "A",
    "Í": "I",
    "Ó": "O",
    "Ú": "U",
}


def normalize(text: str) -> str:
    """Rewrite typographic characters and accents GSM-7 lacks into GSM-7 equivalents; others are kept."""
    text = text.replace("\r\n", "\n")
    out = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
            out.append(ch)
        elif ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
        else:
            out.append(_strip_accent(ch))
    return "".join(out)


def _strip_accent(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and all(c in GSM7_BASIC for c in base):
        return base
    return ch


def is_gsm7(text: str) -> bool:
    """Whether the text can be sent in the GSM-7 alphabet."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def encoding(text: str) -> str:
    """`"GSM-7"` or `"UCS-2"`: what a carrier would send the text as."""
    return "GSM-7" if is_gsm7(text) else "UCS-2"


def _cost(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in GSM7_EXTENDED else 1
    # UCS-2 counts UTF-16 code units: characters outside the basic plane (most emoji) take two.
    return 2 if ord(ch) > 0xFFFF else 1


def split_segments(text: str) -> list[str]:
    """The segments a carrier splits the text into; an escape pair or surrogate pair is never split."""
    if not text:
        return []
    gsm = is_gsm7(text)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if gsm else (UCS2_SINGLE, UCS2_MULTI)
    if sum(_cost(ch, gsm) for ch in text) <= single:
        return [text]
    segments: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        cost = _cost(ch, gsm)
        if used + cost > multi:
            segments.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost
    segments.append("".join(current))
    return segments


def segment_count(text: str) -> int:
    """How many SMS segments the text takes."""
    return len(split_segments(text))


def short_link(url: str) -> str:
    """A citation link made shorter by dropping the scheme and `www.`; the page it opens is the same."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """Split an answer into sentences (a `[n]` marker stays with its sentence)."""
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


def markers(text: str) -> list[int]:
    """The citation numbers a text refers to, in order of first use."""
    seen: list[int] = []
    for m in CITATION.finditer(text):
        n = int(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def render_part(body: str, links: dict[int, str], hint: str = "") -> str:
    """One message: the sentences, then the links its markers refer to, then the MORE hint if any."""
    lines = [body]
    lines += [f"{cite(n)} {links[n]}" for n in markers(body) if n in links]
    if hint:
        lines.append(hint)
    return normalize("\n".join(lines))


def split_parts(
    text: str, links: dict[int, str], hint: str, max_segments: int = MAX_SEGMENTS, *, more_after: bool = False
) -> list[str]:
    """Split an answer into messages of at most `max_segments` segments each, on sentence boundaries.

    Every message but the last ends with `hint` (e.g. "Reply MORE for more"), the last too when `more_after`
    (more of the answer follows in another part); each carries the links of the citations it refers to. A
    sentence too long for one message is split between words.
    """
    whole = render_part(text, links, hint if more_after else "")
    if segment_count(whole) <= max_segments:
        return [whole]
    units: list[str] = []
    for sentence in sentences(text):
        units += _fit_words(sentence, links, hint, max_segments)
    parts = _pack(units, links, hint, max_segments)
    return [render_part(p, links, hint if more_after or i < len(parts) - 1 else "") for i, p in enumerate(parts)]


def _fit_words(sentence: str, links: dict[int, str], hint: str, max_segments: int) -> list[str]:
    if segment_count(render_part(sentence, links, hint)) <= max_segments:
        return [sentence]
    return _pack(sentence.split(), links, hint, max_segments)


def _pack(units: list[str], links: dict[int, str], hint: str, max_segments: int) -> list[str]:
    # Greedy: join units with spaces while the rendered part still fits in `max_segments`.
    parts: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}".strip()
        if current and segment_count(render_part(candidate, links, hint)) > max_segments:
            parts.append(current)
            current = unit
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts
