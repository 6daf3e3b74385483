"""Undo the text tricks that hide a message's meaning, before anything else reads it.

Zero-width and bidi marks, fullwidth and look-alike letters (Cyrillic "а" for Latin "a"), leetspeak digits
inside words ("k1ll", "0ding"), letters spaced or dotted apart ("k i l l", "o.d."), and letters held down
("heeeelp"). Emoji and ordinary numbers ("M30", "4mg", "1-800-662-4357") are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l", "€": "e"}
)
# A token with a leet character at its start or between letters ("k1ll", "0ding", "su1cidal", "m@ta").
_LEET_TOKEN = re.compile(r"(?<![\w@$!|€])(?=[\w@$!|€]*[^\W\d_])[\w@$!|€]+")
# Only a leading zero or symbol is read as a letter ("0ding", "$uicide"): other leading digits are counts
# ("4bars", "1ra", "7days").
_INNER = re.compile(r"(?:^[0@$€]+(?=[a-zA-Z]))|(?<=[a-zA-Z])[013457@$!|€]+(?=[a-zA-Z])")
# Amounts, times, ordinals and texting words whose digits are meant ("4mg", "3am", "2nd", "4ever").
_MEANT = re.compile(
    r"^\d+(?:mg|mcg|ml|g|gr|kg|lb|lbs|oz|yo|yr|yrs|hr|hrs|h|min|mins|am|pm|x|s|st|nd|rd|th|k)$|^(?:4u|4ever|4eva|4real|2day|2nite|2night|2moro|b4|gr8|l8r|w8|h8)$",
    re.I,
)
# Three or more single letters joined by one separator each ("k i l l", "o.d.", "s-u-i-c-i-d-e").
_SPACED = re.compile(r"(?<![\w])(?:[^\W\d_][ .\-_*·]){2,}[^\W\d_](?![\w])")
_DOTTED = re.compile(r"(?<![\w.])(?:[^\W\d_]\.){2,}(?![\w])")
# Leet digits in two or more runs with letters between ("h1j0", "p4571ll45", "7r4gó"): a disguised word, read
# whole. One run ("M30s", "b12", "covid19") is a name or an amount; a short token ("4x4", "1v1") is left too.
_RUN = re.compile(r"\d+")
_LEET_DIGITS = frozenset("013457")
# Addresses are left exactly as written: their "@", digits and dots are meant.
_ADDRESS = re.compile(r"\S+@\S+\.\S+|https?://\S+|www\.\S+", re.I)
_HELD = re.compile(r"([^\W\d_])\1{2,}")
_LONG_TOKEN = re.compile(r"\S{4,}")
# Letters English and Spanish double ("need", "kill", "carro") keep two when held down; others keep one.
_DOUBLED = frozenset("eolstfrnmpcdgz")


@lru_cache(maxsize=1)
def _homoglyphs() -> dict[int, str]:
    from confusable_homoglyphs import confusables

    table: dict[int, str] = {}
    for char, looks in confusables.confusables_data.items():
        if len(char) != 1 or ord(char) < 0x250:
            continue  # ASCII and Latin letters with accents ("ñ", "á") are real letters, not look-alikes
        latin = [h["c"] for h in looks if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalpha()]
        if latin:
            table[ord(char)] = latin[0]
    return table


def _strip_format(text: str) -> str:
    # Format characters: zero-width spaces and joiners, bidi marks, soft hyphens. A joiner after a symbol is
    # part of an emoji ("👩‍⚕️") and stays. Lone surrogates go too.
    kept: list[str] = []
    for c in text:
        category = unicodedata.category(c)
        if category == "Cs":
            continue  # a lone surrogate is no character at all, and the tokenizer cannot read it
        if category != "Cf" or (c == "\u200d" and kept and not kept[-1].isalnum()):
            kept.append(c)
    return "".join(kept)


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    if _MEANT.match(token):
        return token
    if token.lower() in ("0d", "0ds", "0dd"):
        return "od"
    runs = _RUN.findall(token)
    if len(runs) >= 2 and len(token) >= 4 and all(set(run) <= _LEET_DIGITS for run in runs):
        return token.translate(_LEET)
    digits = sum(c.isdigit() for c in token)
    if digits and digits >= len(token) - digits:
        return token  # mostly digits ("M30s", "b12"): a name or an amount, not a disguise
    return _INNER.sub(lambda m: m.group(0).translate(_LEET), token)


def _held(match: re.Match[str]) -> str:
    letter = match.group(1)
    return letter * 2 if letter.lower() in _DOUBLED else letter


def normalise(text: str) -> str:
    """The message as it was meant to read: tricks undone, case and emoji kept."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = _strip_format(text)
        text = text.translate(_homoglyphs())
    out, last = [], 0
    for address in _ADDRESS.finditer(text):
        out += [_words(text[last : address.start()]), address.group(0)]
        last = address.end()
    return "".join([*out, _words(text[last:])])


def _words(text: str) -> str:
    text = _SPACED.sub(lambda m: re.sub(r"[ .\-_*·]", "", m.group(0)), text)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _LEET_TOKEN.sub(_unleet, text)
    # Only in longer words: "III" (a schedule) and "xxx" stay as written.
    return _LONG_TOKEN.sub(lambda m: _HELD.sub(_held, m.group(0)), text)
