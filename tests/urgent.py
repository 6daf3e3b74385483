"""Urgent messages for the burst tests: five emergencies and five crises in each language, plainly worded."""

from __future__ import annotations

URGENT = {
    ("emergency", "en"): [
        "my friend is not breathing and his lips are blue",
        "he overdosed and wont wake up",
        "she is overdosing right now what do i do",
        "my son took fentanyl and stopped breathing",
        "someone collapsed after using and is not breathing",
    ],
    ("emergency", "es"): [
        "mi amigo no respira y tiene los labios azules",
        "mi hermano tiene una sobredosis ahora mismo",
        "no despierta despues de usar fentanilo",
        "mi hija se tomó las pastillas y no respira",
        "se desmayó y no está respirando",
    ],
    ("crisis", "en"): [
        "i want to kill myself",
        "i want to die tonight",
        "im going to end my life",
        "i am thinking about suicide",
        "i dont want to be alive anymore",
    ],
    ("crisis", "es"): [
        "quiero morir",
        "me quiero matar",
        "voy a quitarme la vida esta noche",
        "estoy pensando en suicidarme",
        "ya no quiero vivir",
    ],
}
