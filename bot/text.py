"""Text helpers shared by the corpus, retrieval and triage: normalising, sentences and tokens."""

from __future__ import annotations

import re
import unicodedata

_ABBREVIATIONS = (
    "U.S.",
    "e.g.",
    "i.e.",
    "Dr.",
    "Dra.",
    "Mr.",
    "Ms.",
    "Mrs.",
    "St.",
    "Sr.",
    "Sra.",
    "vs.",
    "etc.",
    "EE. UU.",
    "EE.UU.",
    "p. ej.",
    "Núm.",
)
# "No. 522" (a number) is an abbreviation; "No." ending a sentence is not.
_NUMBER_ABBREVIATION = re.compile(r"\b(No|no|Nos|Vol|vol|pp?)\.(?=\s+\d)")
# A sentence that opens a quotation runs on until the quotation closes: a quoted title with full stops in it
# ("Talk. They Hear You.") is part of one sentence, not three.
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
    """Split prose into sentences, keeping abbreviations such as "U.S." and "No. 5" and quoted titles whole."""
    protected = _NUMBER_ABBREVIATION.sub(lambda m: f"{m.group(1)}\x01", text)
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    parts = _SENTENCE_END.split(" ".join(protected.split()))
    sentences: list[str] = []
    open_quote = ""
    for part in parts:
        for i, abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbr)
        part = f"{open_quote} {part.replace(chr(1), '.')}".strip()
        if not part:
            continue
        open_quote = part if _quote_open(part) else ""
        if not open_quote:
            sentences.append(part)
    if open_quote:
        sentences.append(open_quote)
    return sentences


def _quote_open(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def tokens(text: str) -> list[str]:
    """Accent-folded word tokens."""
    return _WORD.findall(fold(text))


def word_count(text: str) -> int:
    """How many words a text has."""
    return len(text.split())
