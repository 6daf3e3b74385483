"""Language detection: English or Spanish, from one word to a paragraph."""

from __future__ import annotations

import pytest

from bot.lang import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "no respira",
        "ayuda",
        "ayuda porfa",
        "mi novio no despierta",
        "labios morados",
        "¿naloxona?",
        "que es fentanilo",
        "donde consigo naloxona",
        "¿Dónde puedo conseguir naloxona gratis cerca de mi casa?",
        "mi amigo tomó unas pastillas y ahora no responde, qué hago",
        "Mi hijo tiene 16 años y creo que está usando pastillas falsificadas. ¿Cómo le hablo del fentanilo?",
        "Hola, quisiera saber si la naloxona funciona con el fentanilo o si se necesitan más dosis.",
        "SE PUSO MORADO Y NO RESPIRA",
        "tengo miedo de la abstinencia",
    ],
)
def test_spanish_messages_are_es(text: str) -> None:
    assert detect_language(text) == "es"


@pytest.mark.parametrize(
    "text",
    [
        "OD rn",
        "narcan?",
        "help",
        "not breathing",
        "he wont wake up",
        "fent strips",
        "what is fentanyl",
        "how do i use narcan",
        "my friend is not breathing and his lips are blue",
        "where can i get narcan for free near me",
        "My son is 16 and I think he is taking fake pills. How do I talk to him about fentanyl?",
        "Hi, I wanted to ask whether naloxone works on fentanyl or if you need more doses of it.",
        "HES NOT BREATHING HELP",
        "is it safe to mix xanax and alcohol",
    ],
)
def test_english_messages_are_en(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "???", "911", "M30"])
def test_messages_without_words_default_to_english(text: str) -> None:
    assert detect_language(text) == "en"
