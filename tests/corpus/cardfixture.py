"""A tiny corpus with one document per language and one card pair, for the card tests."""

from __future__ import annotations

from pathlib import Path

EN_DOC = """---
id: spray
title: Lifesaving Naloxone
url: https://www.cdc.gov/stop-overdose/caring/naloxone.html
publisher: CDC
language: en
last_reviewed: 2026-12-01
topics: [naloxone]
---

# Lifesaving Naloxone

## How to use naloxone nasal spray
Spray one dose of naloxone nasal spray into the nose of the person. Wait 2 to 3 minutes and watch whether the
person starts breathing normally. Give a second dose of naloxone if normal breathing does not come back.

## Calling 911
Call 911 right away when someone may be overdosing. Stay with the person until emergency responders arrive.
"""

ES_DOC = """---
id: spray-es
title: La naloxona salva vidas
url: https://www.cdc.gov/stop-overdose/es/caring/naloxone.html
publisher: CDC
language: es
last_reviewed: 2026-12-01
topics: [naloxone]
---

# La naloxona salva vidas

## Cómo usar la naloxona en atomizador nasal
Rocía una dosis de naloxona en atomizador nasal en la nariz de la persona. Espera de 2 a 3 minutos y mira si la
persona respira normalmente. Da una segunda dosis de naloxona si la respiración normal no vuelve.
"""

EN_CARD = """- id: spray-steps
  lang: en
  twin: spray-steps-es
  topic: naloxone-use
  title: How to use naloxone nasal spray
  checked: 2026-12-01
  asks:
    - how do i use narcan
    - how do you give naloxone spray
    - narcan how to use
    - how 2 use narcan spray
    - whats the right way to spray narcan
    - steps for naloxone nasal spray
  lead: "To give naloxone nasal spray:"
  list: true
  sms: 1
  answer:
    - say: Spray one dose of naloxone into the person's nose.
      cite: spray#How to use naloxone nasal spray
    - say: Wait 2 to 3 minutes to see if the person starts breathing normally.
      cite: spray#How to use naloxone nasal spray
    - say: Call 911 right away when someone may be overdosing.
      cite: spray#Calling 911
"""

ES_CARD = """- id: spray-steps-es
  lang: es
  twin: spray-steps
  topic: naloxone-use
  title: Cómo usar la naloxona en atomizador nasal
  checked: 2026-12-01
  asks:
    - como uso el narcan
    - cómo se da la naloxona
    - narcan como se usa
    - como usar naloxona nasal
    - pasos para el narcan
    - que hago con el narcan
  answer:
    - say: Rocía una dosis de naloxona en la nariz de la persona.
      cite: spray-es#Cómo usar la naloxona en atomizador nasal
    - say: Espera de 2 a 3 minutos y mira si la persona respira.
      cite: spray-es#Cómo usar la naloxona en atomizador nasal
"""


def write_corpus(root: Path, en_card: str = EN_CARD, es_card: str = ES_CARD) -> Path:
    """Write the corpus under `root` and return it."""
    for lang, name, text in (("en", "spray.md", EN_DOC), ("es", "spray-es.md", ES_DOC)):
        (root / lang).mkdir(parents=True, exist_ok=True)
        (root / lang / name).write_text(text, encoding="utf-8")
    for lang, text in (("en", en_card), ("es", es_card)):
        (root / "cards" / lang).mkdir(parents=True, exist_ok=True)
        (root / "cards" / lang / "naloxone.yaml").write_text(text, encoding="utf-8")
    return root
