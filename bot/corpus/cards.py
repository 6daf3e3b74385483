"""The printable quick-reference cards: each card's title and the questions it answers, in English and Spanish.

The answers are the service's own cited answers to these questions (`bot/channels/web/cards.py` renders them).
Each card sits beside its translation, so the two languages keep the same cards.
"""

from __future__ import annotations

Card = tuple[str, tuple[str, ...]]

_CARDS: tuple[tuple[Card, Card], ...] = (
    (
        (
            "Overdose: the signs and what to do",
            ("What are the signs of an opioid overdose?", "What should I do if someone is overdosing?"),
        ),
        (
            "Sobredosis: las señales y qué hacer",
            ("¿Cuáles son las señales de una sobredosis de opioides?", "¿Qué hago si alguien tiene una sobredosis?"),
        ),
    ),
    (
        ("Naloxone (Narcan)", ("How do I use naloxone nasal spray?", "Is naloxone safe?")),
        ("Naloxona (Narcan)", ("¿Cómo uso la naloxona en atomizador nasal?", "¿Es segura la naloxona?")),
    ),
    (
        ("Fentanyl and fentanyl test strips", ("What is fentanyl?", "How do I use fentanyl test strips?")),
        ("Fentanilo y tiras reactivas", ("¿Qué es el fentanilo?", "¿Cómo uso las tiras reactivas de fentanilo?")),
    ),
    (
        (
            "Finding treatment and helplines",
            ("How can I find treatment near me?", "What is the SAMHSA National Helpline?"),
        ),
        (
            "Tratamiento y líneas de ayuda",
            ("¿Cómo encuentro tratamiento cerca de mí?", "¿Qué es la Línea Nacional de Ayuda de SAMHSA?"),
        ),
    ),
)
# Per language, the cards in order.
CARDS: dict[str, list[Card]] = {"en": [en for en, _ in _CARDS], "es": [es for _, es in _CARDS]}
