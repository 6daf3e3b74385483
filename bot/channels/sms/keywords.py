"""The SMS keyword table: one-word messages that are not questions, what each does and what it replies.

A keyword that only replies is one more `Keyword` with its texts; the dialogue needs no change. Matching ignores
case, accents and punctuation, and a message of more than one word is always a question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from bot.vocab import Language


class Action(Enum):
    """What the dialogue does for a keyword, besides sending its text."""

    REPLY = "reply"
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    LANGUAGE = "language"
    MORE = "more"


@dataclass(frozen=True)
class Keyword:
    """One row of the table.

    Attributes:
        name: what the log records as `keyword`.
        words: the words that trigger it, as a sender types them (docs/channels.md lists the same).
        does: what it does, for the docs.
        action: besides replying; `MORE` sends its texts only when nothing of the last answer is left.
        texts: the reply in each language (the sender's language is used, English when it is missing).
        language: the reply's language whatever the sender's, and for `LANGUAGE` the one answers switch to.
    """

    name: str
    words: tuple[str, ...]
    does: str
    action: Action = Action.REPLY
    texts: Mapping[str, str] = field(default_factory=dict)
    language: Language | None = None


_HELP = {
    "en": "Harm-reduction answers from CDC and SAMHSA pages. Not an emergency service: call 911. "
    "Crisis: call or text 988. Treatment and support: SAMHSA Helpline 1-800-662-4357 (free, 24/7). "
    "Reply STOP to opt out, MORE for more of an answer, ESPANOL for Spanish.",
    "es": "Respuestas de reducción de daños de páginas de los CDC y SAMHSA. No es un servicio de "
    "emergencia: llame al 911. Crisis: llame o envíe un texto al 988. Tratamiento y apoyo: Línea de Ayuda de "
    "SAMHSA 1-800-662-4357 (gratis, 24/7). Responda STOP para no recibir más, MAS para seguir, ENGLISH para inglés.",
}
_SWITCHED = {
    "en": "OK, I will answer in English. Send your question. Emergency: call 911.",
    "es": "De acuerdo, responderé en español. Envíe su pregunta. Emergencia: llame al 911.",
}

KEYWORDS: tuple[Keyword, ...] = (
    Keyword(
        "stop",
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"),
        "opt out: recorded, nothing more is sent (Twilio sends the carrier confirmation)",
        Action.OPT_OUT,
    ),
    Keyword(
        "start",
        ("START", "UNSTOP", "YES"),
        "opt back in, with a short confirmation",
        Action.OPT_IN,
        {
            "en": "You will get replies again. Send a question any time. Reply HELP for info, STOP to opt out. "
            "Emergency: call 911.",
            "es": "Volverá a recibir respuestas. Envíe una pregunta cuando quiera. Responda AYUDA para "
            "información, STOP para no recibir más. Emergencia: llame al 911.",
        },
    ),
    Keyword(
        "help",
        ("HELP", "INFO"),
        "what the service is, that it is not an emergency service (911), 988 and the SAMHSA helpline",
        texts=_HELP,
    ),
    Keyword("ayuda", ("AYUDA",), "the same, in Spanish", texts=_HELP, language="es"),
    Keyword(
        "more",
        ("MORE", "MÁS", "MAS"),
        "the next part of the last answer",
        Action.MORE,
        {
            "en": "That was the whole answer. Send a new question any time. Emergency: call 911.",
            "es": "Esa fue toda la respuesta. Envíe otra pregunta cuando quiera. Emergencia: llame al 911.",
        },
    ),
    Keyword("es", ("ESPAÑOL", "ESPANOL"), "answer in Spanish from now on", Action.LANGUAGE, _SWITCHED, "es"),
    Keyword("en", ("ENGLISH",), "answer in English from now on", Action.LANGUAGE, _SWITCHED, "en"),
)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).upper()


_BY_WORD = {_plain(word): kw for kw in KEYWORDS for word in kw.words}


def match(body: str) -> Keyword | None:
    """The keyword a single-word message stands for (any case, accents and punctuation ignored), else None."""
    words = re.sub(r"[\W_]+", " ", body).split()
    if len(words) != 1:
        return None
    return _BY_WORD.get(_plain(words[0]))
