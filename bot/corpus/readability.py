"""How hard a text reads: Flesch-Kincaid grade in English, Fernández Huerta ease in Spanish.

Both measures count syllables. textstat's English syllable counts need NLTK's cmudict, a download an offline
machine cannot make, so English syllables come from a vowel-group rule here; Spanish syllables come from pyphen's
Spanish hyphenation, which follows Spanish syllable boundaries. Every reading figure in the service (`hrbot corpus
check`, `hrbot corpus stats`, `hrbot eval`) comes from `reading_level`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.text import split_sentences

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?|\d+(?:[-.,]\d+)*")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Measure:
    """A reading measure and the side of its target that passes."""

    name: str
    target: float
    higher_is_easier: bool

    def passes(self, value: float) -> bool:
        """Whether `value` meets the target."""
        return value >= self.target if self.higher_is_easier else value <= self.target


MEASURES = {
    "en": Measure("Flesch-Kincaid grade", 7.0, higher_is_easier=False),
    "es": Measure("Fernández Huerta ease", 75.0, higher_is_easier=True),
}


def english_syllables(word: str) -> int:
    """Syllables in an English word by vowel groups, less a silent final e (at least one)."""
    w = word.lower().strip("'’")
    if not w.isalpha():
        # Numbers are read aloud: "911" and "1-800-662-4357" count as a few syllables each, like a short word.
        return 2
    count = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith(("ed", "es")) and count > 1 and not re.search(r"[td]ed$|[scxz]es$|[cg]hes$|shes$", w):
        count -= 1
    return max(1, count)


@lru_cache(maxsize=1)
def _spanish() -> Any:
    import pyphen  # type: ignore[import-untyped]

    return pyphen.Pyphen(lang="es")


def spanish_syllables(word: str) -> int:
    """Syllables in a Spanish word from pyphen's Spanish hyphenation (at least one)."""
    if not word.isalpha():
        return 3
    return max(1, len(_spanish().inserted(word.lower()).split("-")))


def _counts(text: str, language: str) -> tuple[int, int, int]:
    sentences = [s for line in text.splitlines() for s in split_sentences(line)]
    words = [w for s in sentences for w in _WORD.findall(s)]
    count = english_syllables if language == "en" else spanish_syllables
    return max(1, len(sentences)), max(1, len(words)), sum(count(w) for w in words)


def reading_level(text: str, language: str) -> float:
    """The reading figure of `text`: Flesch-Kincaid grade (`en`, lower is easier) or Fernández Huerta ease (`es`,
    higher is easier). Each line of `text` is read as its own sentence or list item.

    Raises:
        ValueError: no measure for `language`.
    """
    if language not in MEASURES:
        raise ValueError(f"no reading measure for language {language!r}; expected one of {sorted(MEASURES)}")
    sentences, words, syllables = _counts(text, language)
    if language == "en":
        return 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    # Fernández Huerta (1959) in its corrected form: words per sentence, not sentences per hundred words.
    return 206.84 - 60.0 * syllables / words - 1.02 * words / sentences


def reads_easily(text: str, language: str) -> bool:
    """Whether `text` meets its language's target (grade 7 or below; ease 75 or above)."""
    return MEASURES[language].passes(reading_level(text, language))
