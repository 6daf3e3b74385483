"""The six text tricks that hide a message from naive matching, applied to a plain message."""

from __future__ import annotations

import re
from collections.abc import Callable

_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})
_VOWEL = re.compile(r"[aeiou]", re.I)


def zero_width(text: str) -> str:
    """A zero-width space after every second letter."""
    return "".join(c + "\u200b" if i % 2 and c.isalpha() else c for i, c in enumerate(text))


def fullwidth(text: str) -> str:
    """Fullwidth forms of every printable ASCII character."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def leetspeak(text: str) -> str:
    """Digits for letters inside every word of four letters or more."""
    return " ".join(w.translate(_LEET) if len(w) >= 4 and w.isalpha() else w for w in text.split())


def spaced(text: str) -> str:
    """The longest word's letters spaced apart."""
    words = text.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest] = " ".join(words[longest])
    return " ".join(words)


def repeated(text: str) -> str:
    """The first vowel of every longer word held down."""
    return " ".join(_VOWEL.sub(lambda m: m.group(0) * 4, w, count=1) if len(w) >= 4 else w for w in text.split())


def all_caps(text: str) -> str:
    """Shouted."""
    return text.upper()


FORMS: dict[str, Callable[[str], str]] = {
    "zero-width": zero_width,
    "fullwidth": fullwidth,
    "leetspeak": leetspeak,
    "spaced": spaced,
    "repeated": repeated,
    "all caps": all_caps,
}
