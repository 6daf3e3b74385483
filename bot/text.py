"""Text helpers shared by the corpus, retrieval and triage: normalising, sentences and tokens."""

from __future__ import annotations

import re
import unicodedata

_ABBREVIATIONS = ("U.S.", "e.g.", "i.e.", "Dr.", "Mr.", "Ms.", "vs.", "etc.", "EE. UU.", "EE.UU.", "p. ej.")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"'“(¿¡]?[A-ZÁÉÍÓÚÑ0-9])")
_WORD = re.compile(r"[a-z0-9ñ]+(?:[-'][a-z0-9ñ]+)*")


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Naloxóna" and "naloxona" compare equal."""
    if text.isascii():
        # Nothing to decompose (most English text): the per-character pass below dominated answer time.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0303")
    return unicodedata.normalize("NFC", kept).replace("ñ", "n")


def normalize_question(text: str) -> str:
    """Collapse white space and case, the key for the answer cache."""
    return " ".join(fold(text).split())


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations such as "U.S." whole."""
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    parts = _SENTENCE_END.split(" ".join(protected.split()))
    sentences = []
    for part in parts:
        for i, abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbr)
        if part.strip():
            sentences.append(part.strip())
    return sentences


def tokens(text: str) -> list[str]:
    """Accent-folded word tokens."""
    return _WORD.findall(fold(text))


def word_count(text: str) -> int:
    """How many words a text has."""
    return len(text.split())
