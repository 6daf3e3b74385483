"""Phrasings known to be dangerous when quoted alone, rejected wherever they appear in the corpus or a card.

Each was once found in the corpus. A bystander who reads one of them could hold back naloxone or skip rescue
breathing. The patterns match accent-folded, lower-case sentences.
"""

from __future__ import annotations

import re

from bot.text import fold

# (pattern, why it is dangerous and what the sources say instead)
DANGEROUS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"pregnan\w*.{0,160}(?:limited dos\w*|under (?:a|the) (?:doctor|provider|physician)'?s? care)"
            r"|(?:limited dos\w*|under (?:a|the) doctor'?s care).{0,160}pregnan\w*"
        ),
        "naloxone in pregnancy is not limited: SAMHSA says pregnant people can be safely given naloxone",
    ),
    (
        re.compile(
            r"embaraz\w*.{0,160}(?:dosis limitadas|bajo (?:el )?cuidado (?:de un |del )?medico)"
            r"|(?:dosis limitadas|bajo (?:el )?cuidado (?:de un |del )?medico).{0,160}embaraz\w*"
        ),
        "la naloxona en el embarazo no es limitada: SAMHSA dice que se puede dar sin peligro",
    ),
    (
        re.compile(
            r"rescue breath\w*,? or (?:\w+ ){0,3}(?:place|put|lay|roll|turn)\w* (?:\w+ ){0,4}recovery position"
            r"|recovery position,? or (?:\w+ ){0,3}(?:give|start|do)\w* (?:\w+ ){0,2}rescue breath"
        ),
        "the recovery position is not an alternative to rescue breathing: it is for a person who is breathing",
    ),
    (
        re.compile(
            r"respiracion(?:es)? de (?:rescate|salvamento),? o (?:\w+ ){0,3}(?:coloc|pon|acuest|gir)\w* "
            r"(?:\w+ ){0,6}posicion de recuperacion"
        ),
        "la posición de recuperación no reemplaza la respiración de rescate: es para quien respira",
    ),
    (
        re.compile(
            r"\bonly\b.{0,60}\bnarcan\b.{0,80}(?:without a prescription|over the counter|otc)"
            r"|\bnarcan\b.{0,40}\bis the only\b.{0,80}(?:without a prescription|over the counter|otc)"
            r"|\b(?:solo|solamente|unicamente)\b.{0,60}\bnarcan\b.{0,80}(?:sin receta|de venta libre)"
        ),
        "Narcan is not the only naloxone sold without a prescription (a generic 4 mg spray and RiVive 3 mg, 2023)",
    ),
    (
        re.compile(
            r"(?:need|needs|must have|require\w*) (?:an? |the )?(?:x-?waiver|waiver)\b"
            r"|(?:necesita\w*|requiere\w*) (?:una |la )?(?:exencion|x-?waiver)"
        ),
        "the X-waiver ended in 2023: any prescriber with a DEA registration covering Schedule III can prescribe",
    ),
    (
        re.compile(r"\b(?:wait|hold off|hold back)\b.{0,40}\bbefore (?:giving|you give|using) (?:naloxone|narcan)"),
        "naloxone should never be held back: give it when an overdose is suspected",
    ),
)


def danger(sentence: str) -> str | None:
    """Why `sentence` is a known-dangerous phrasing, or None."""
    folded = " ".join(fold(sentence).split())
    for pattern, reason in DANGEROUS:
        if pattern.search(folded):
            return reason
    return None
