"""The printable quick-reference cards: per language, each card's title and the questions it answers.

The answers are the service's own cited answers to these questions (`bot/channels/web/cards.py` renders them).
"""

from __future__ import annotations

CARDS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "en": [
        (
            "Overdose: the signs and what to do",
            ("What are the signs of an opioid overdose?", "What should I do if someone is overdosing?"),
        ),
        ("Naloxone (Narcan)", ("How do I use naloxone nasal spray?", "Is naloxone safe?")),
        ("Fentanyl and fentanyl test strips", ("What is fentanyl?", "How do I use fentanyl test strips?")),
        (
            "Finding treatment and helplines",
            ("How can I find treatment near me?", "What is the SAMHSA National Helpline?"),
        ),
    ],
    "es": [
        (
            "Sobredosis: las señales y qué hacer",
            ("¿Cuáles son las señales de una sobredosis de opioides?", "¿Qué hago si alguien tiene una sobredosis?"),
        ),
        ("Naloxona (Narcan)", ("¿Cómo uso la naloxona en atomizador nasal?", "¿Es segura la naloxona?")),
        ("Fentanilo y tiras reactivas", ("¿Qué es el fentanilo?", "¿Cómo uso las tiras reactivas de fentanilo?")),
        (
            "Tratamiento y líneas de ayuda",
            ("¿Cómo encuentro tratamiento cerca de mí?", "¿Qué es la Línea Nacional de Ayuda de SAMHSA?"),
        ),
    ],
}
