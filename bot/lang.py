"""Which language a message is in: English or Spanish, the two the corpus speaks."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.text import tokens

# Very short messages ("narcan?", "ayuda") give a statistical detector little to go on; these words decide.
_ES_MARKERS = frozenset(
    "que como donde cuando por para esta estan tiene tengo mi novio novia amigo amiga hijo hija ayuda respira "
    "puedo pastillas sobredosis naloxona fentanilo necesito quiero hay mas muy pero tambien es el la los las "
    "despierta despertar morado morados labios se usted ella ellos eso usa usar uso consigo conseguir gratis "
    "cuanto cuantos cuantas del con sin una uno hace hacer hago le lo su sus yo ya esto".split()
)
_EN_MARKERS = frozenset(
    "the is are what how my friend he she they not breathing can do does i you it help with and of to or if "
    "in on for at be have your that this there why when where who which will would should could get got take "
    "just like u ur im dont cant wont hes shes".split()
)


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()


def detect_language(text: str) -> str:
    """`es` when the message is Spanish, otherwise `en`."""
    words = tokens(text)
    es_hits = sum(w in _ES_MARKERS for w in words)
    en_hits = sum(w in _EN_MARKERS for w in words)
    if len(words) <= 3:
        return "es" if es_hits > en_hits else "en"
    # Spanish punctuation and letters, or several marker words of one language only, settle it; the statistical
    # detector is unsure on short messages full of drug names ("como se usa la naloxona").
    if any(c in text for c in "¿¡ñÑ") or es_hits - en_hits >= 2:
        return "es"
    if en_hits - es_hits >= 2:
        return "en"
    from lingua import Language

    values = {c.language: c.value for c in _detector().compute_language_confidence_values(text)}
    spanish = values.get(Language.SPANISH, 0.0)
    if abs(spanish - 0.5) < 0.2 and es_hits != en_hits:
        return "es" if es_hits > en_hits else "en"
    return "es" if spanish > 0.5 else "en"
