"""Fixed replies for triaged messages: emergency steps, crisis line, refusals, redirects and the safe fallback.

Each sentence of a cited reply names the corpus document it restates (`{doc_id}` markers), so the reply is
grounded like any retrieved answer. The sources are written out here as well, because the fallback must work
with no index and no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.documents import Source

# The pages the fixed replies restate. `last_reviewed` is replaced by the corpus document's when it is loaded.
_SOURCES = {
    "overdose-response": (
        "What to Do if You Think Someone is Overdosing",
        "CDC",
        "https://www.cdc.gov/stop-overdose/response/index.html",
    ),
    "naloxone-basics": ("Lifesaving Naloxone", "CDC", "https://www.cdc.gov/stop-overdose/caring/naloxone.html"),
    "samhsa-opioid-overdose-toolkit-2018": (
        "SAMHSA Opioid Overdose Prevention Toolkit (2018)",
        "SAMHSA",
        "https://store.samhsa.gov/sites/default/files/d7/priv/sma18-4742.pdf",
    ),
    "rescue-breathing-es": (
        "Kit de herramientas de SAMHSA para prevenir la sobredosis de opioides (2018)",
        "SAMHSA",
        "https://store.samhsa.gov/sites/default/files/d7/priv/sma18-4742.pdf",
    ),
    "poison-help": (
        "Tips to Prevent Poisonings",
        "CDC",
        "https://www.cdc.gov/HomeandRecreationalSafety/Poisoning/preventiontips.htm",
    ),
    "samhsa-988": ("988 Frequently Asked Questions", "SAMHSA", "https://www.samhsa.gov/mental-health/988/faqs"),
    "samhsa-national-helpline": (
        "SAMHSA's National Helpline",
        "SAMHSA",
        "https://www.samhsa.gov/find-help/national-helpline",
    ),
    "findtreatment": ("FindTreatment.gov", "SAMHSA", "https://findtreatment.gov/"),
    "overdose-response-es": (
        "Qué hacer si cree que alguien tiene una sobredosis",
        "CDC",
        "https://www.cdc.gov/stop-overdose/es/response/que-hacer-si-cree-que-alguien-tiene-una-sobredosis.html",
    ),
    "naloxone-basics-es": (
        "La naloxona y su poder de salvar vidas",
        "CDC",
        "https://www.cdc.gov/stop-overdose/es/caring/la-naloxona-y-su-poder-de-salvar-vidas.html",
    ),
    "poison-help-es": (
        "Muchos niños pequeños sufren sobredosis con medicamentos en casa",
        "CDC",
        "https://www.cdc.gov/media/releases/2011/p1213_Medicine_overdose.html",
    ),
    "samhsa-988-es": ("Preguntas frecuentes sobre el 988", "SAMHSA", "https://www.samhsa.gov/mental-health/988/faqs"),
    "samhsa-national-helpline-es": (
        "Línea Nacional de Ayuda de SAMHSA",
        "SAMHSA",
        "https://www.samhsa.gov/find-help/national-helpline",
    ),
    "findtreatment-es": (
        "FindTreatment.gov, el buscador de tratamiento de SAMHSA",
        "SAMHSA",
        "https://findtreatment.gov/",
    ),
}
_SOURCE_DATE = "2026-11-28"

# Order follows CDC's steps (call 911 and give naloxone; keep the person breathing; on their side; stay) with the
# second-dose timing from CDC "Lifesaving Naloxone" and rescue breathing from the SAMHSA toolkit. "911" comes
# first so that it is inside the first SMS segment.
_TEXTS: dict[tuple[str, str], str] = {
    ("emergency", "en"): (
        "Call 911 now {overdose-response}. Give naloxone (Narcan) if you have it {overdose-response}. "
        "If the person does not respond in 2 to 3 minutes, give a second dose {naloxone-basics}. "
        "If the person is not breathing, give rescue breaths: tilt the head back, pinch the nose, and give "
        "1 breath every 5 seconds {samhsa-opioid-overdose-toolkit-2018}. "
        "Lay the person on their side so they do not choke {overdose-response}. "
        "Stay with the person until help arrives {overdose-response}. "
        "Good Samaritan laws in most states may protect the person who calls 911 {overdose-response}."
    ),
    ("emergency", "es"): (
        "Llame al 911 ahora {overdose-response-es}. Si tiene naloxona (Narcan), désela {overdose-response-es}. "
        "Si la persona no responde en 2 a 3 minutos, dele una segunda dosis {naloxone-basics-es}. "
        "Trate de mantener a la persona despierta y respirando {overdose-response-es}. "
        "Si la persona no respira, dele respiración de rescate: incline su cabeza hacia atrás, tápele la nariz y "
        "dele 1 respiración cada 5 segundos {rescue-breathing-es}. "
        "Acueste a la persona de lado para que no se ahogue {overdose-response-es}. "
        "Quédese con la persona hasta que llegue la ayuda {overdose-response-es}. "
        "En la mayoría de los estados, las leyes del Buen Samaritano pueden proteger a quien llama al 911 "
        "{overdose-response-es}."
    ),
    ("emergency_child", "en"): (
        "Call 911 now if the child is hard to wake, not breathing, or has a seizure {poison-help}. "
        "Then call Poison Help at 1-800-222-1222, open 24/7 {poison-help}. "
        "If the medicine was an opioid and the child is not breathing normally, give naloxone (Narcan) if you "
        "have it {overdose-response}. "
        "Stay with the child until help arrives {overdose-response}."
    ),
    ("emergency_child", "es"): (
        "Llame al 911 ahora si el niño no despierta bien, no respira o tiene convulsiones {poison-help-es}. "
        "Luego llame a la línea de Poison Help al 1-800-222-1222, abierta las 24 horas {poison-help-es}. "
        "Si fue un opioide y el niño no respira bien, dele naloxona (Narcan) si la tiene {overdose-response-es}. "
        "Quédese con el niño hasta que llegue la ayuda {overdose-response-es}."
    ),
    ("crisis", "en"): (
        "You matter, and you do not have to face this alone. "
        "Call or text 988 now to reach the 988 Suicide & Crisis Lifeline, open 24 hours a day {samhsa-988}. "
        "The 988 Lifeline is free and confidential, and a caring counselor answers {samhsa-988}. "
        "The 988 Lifeline offers calls, texts and chats in English and in Spanish {samhsa-988}. "
        "If you have already taken something or are in danger right now, call 911."
    ),
    ("crisis", "es"): (
        "Usted importa y no tiene que pasar por esto solo. "
        "Llame o envíe un mensaje de texto al 988 ahora para hablar con la Línea 988 de Prevención del Suicidio y "
        "Crisis, abierta las 24 horas {samhsa-988-es}. "
        "La Línea 988 es gratuita y confidencial, y ofrece ayuda en español {samhsa-988-es}. "
        "Si ya tomó algo o está en peligro ahora mismo, llame al 911."
    ),
    ("refusal", "en"): (
        "I can't help with making, getting, selling or strengthening drugs. "
        "I can help you stay safer: overdose signs, naloxone, fentanyl test strips, and finding treatment. "
        "SAMHSA's National Helpline, 1-800-662-4357, is free, confidential and open 24/7 "
        "{samhsa-national-helpline}. If someone may be overdosing, call 911. In a suicide crisis, call or text 988."
    ),
    ("refusal", "es"): (
        "No puedo ayudar a hacer, conseguir, vender o hacer más fuertes las drogas. "
        "Sí puedo ayudarle a estar más seguro: señales de sobredosis, naloxona, tiras reactivas y tratamiento. "
        "La Línea Nacional de Ayuda de SAMHSA, 1-800-662-4357, es gratuita, confidencial y atiende 24/7 "
        "{samhsa-national-helpline-es}. Si alguien puede tener una sobredosis, llame al 911. En una crisis de suicidio, llame o envíe un texto al 988."
    ),
    ("refusal_treatment", "en"): (
        "I can't help with buying medicine on the street, but treatment can be easier to start than it looks. "
        "Buprenorphine can be prescribed by a doctor in an office, not only at a clinic, and FindTreatment.gov "
        "lists places near you {findtreatment}. "
        "SAMHSA's National Helpline, 1-800-662-4357, is free, confidential and open 24/7 "
        "{samhsa-national-helpline}. If someone may be overdosing, call 911. In a suicide crisis, call or text 988."
    ),
    ("refusal_treatment", "es"): (
        "No puedo ayudar a comprar medicinas en la calle, pero empezar un tratamiento puede ser más fácil de lo "
        "que parece. FindTreatment.gov muestra lugares de tratamiento cerca de usted {findtreatment-es}. "
        "La Línea Nacional de Ayuda de SAMHSA, 1-800-662-4357, es gratuita, confidencial y atiende 24/7 "
        "{samhsa-national-helpline-es}. Si alguien puede tener una sobredosis, llame al 911. En una crisis de suicidio, llame o envíe un texto al 988."
    ),
    ("out_of_scope", "en"): (
        "I only answer questions about drug use and health: overdose signs, naloxone (Narcan), fentanyl, "
        "test strips, mixing drugs and finding treatment. Try asking one of those. If someone may be overdosing, call 911. In a suicide crisis, call or text 988."
    ),
    ("out_of_scope", "es"): (
        "Solo respondo preguntas sobre el consumo de drogas y la salud: señales de sobredosis, naloxona (Narcan), "
        "fentanilo, tiras reactivas, mezclar drogas y cómo encontrar tratamiento. Pregunte sobre uno de esos temas. Si alguien puede tener una sobredosis, llame al 911. En una crisis de suicidio, llame o envíe un texto al 988."
    ),
    ("no_answer", "en"): (
        "I don't have a confident answer to that from CDC or SAMHSA. "
        "SAMHSA's National Helpline, 1-800-662-4357, is free, confidential and open 24/7 "
        "{samhsa-national-helpline}. FindTreatment.gov helps you find treatment near you {findtreatment}. If someone may be overdosing, call 911. In a suicide crisis, call or text 988."
    ),
    ("no_answer", "es"): (
        "No tengo una respuesta segura a eso de los CDC o SAMHSA. "
        "La Línea Nacional de Ayuda de SAMHSA, 1-800-662-4357, es gratuita, confidencial y atiende 24/7 "
        "{samhsa-national-helpline-es}. FindTreatment.gov le ayuda a encontrar tratamiento {findtreatment-es}. Si alguien puede tener una sobredosis, llame al 911. En una crisis de suicidio, llame o envíe un texto al 988."
    ),
}

# One line put first in an answer when the classifier saw a possible emergency or crisis it was not sure of
# (CDC overdose response; SAMHSA 988): short enough to fit the first SMS segment with room to spare.
SAFETY_NOTES = {
    ("emergency", "en"): "If someone can't be woken or isn't breathing, call 911 and give naloxone now.",
    ("emergency", "es"): "Si alguien no despierta o no respira, llame al 911 y dele naloxona ahora.",
    ("crisis", "en"): "If you are thinking about ending your life, call or text 988.",
    ("crisis", "es"): "Si está pensando en quitarse la vida, llame o envíe un texto al 988.",
}


def safety_note(kind: str, language: str) -> str:
    """The safety note for a kind ("" for none), in the language."""
    if not kind:
        return ""
    return SAFETY_NOTES.get((kind, language), SAFETY_NOTES[(kind, "en")])


# Shown when anything fails inside: needs no index, model or corpus.
FALLBACK = {
    "en": (
        "Sorry, something went wrong. If someone may be overdosing, call 911 and give naloxone (Narcan). "
        "For a suicide or mental health crisis, call or text 988. "
        "For treatment and support, call SAMHSA's National Helpline: 1-800-662-4357."
    ),
    "es": (
        "Lo sentimos, algo falló. Si alguien puede tener una sobredosis, llame al 911 y dele naloxona (Narcan). "
        "Para una crisis de suicidio o salud mental, llame o envíe un texto al 988. "
        "Para tratamiento y apoyo, llame a la Línea de Ayuda de SAMHSA: 1-800-662-4357."
    ),
}

# Sent by the standby responder while the index is still being built or loaded: no index, model or corpus.
STARTING = {
    "en": (
        "The service is starting and cannot answer this yet; please try again in a few minutes. "
        "If someone may be overdosing, call 911 and give naloxone (Narcan). "
        "For a suicide or mental health crisis, call or text 988. "
        "For treatment and support, call SAMHSA's National Helpline: 1-800-662-4357."
    ),
    "es": (
        "El servicio se está iniciando y todavía no puede responder; inténtelo de nuevo en unos minutos. "
        "Si alguien puede tener una sobredosis, llame al 911 y dele naloxona (Narcan). "
        "Para una crisis de suicidio o salud mental, llame o envíe un texto al 988. "
        "Para tratamiento y apoyo, llame a la Línea de Ayuda de SAMHSA: 1-800-662-4357."
    ),
}

# The last line of an emergency reply when the message reads as a suicide crisis too, cited to SAMHSA's 988 page
# in its language. Most emergencies are written about someone else, so the line names the person at risk, whoever
# that is, not only the one writing.
_CRISIS_LINE = {
    "en": "If this may be a suicide attempt, or someone is thinking about ending their life, call or text 988 too "
    "{samhsa-988}.",
    "es": "Si puede ser un intento de suicidio, o alguien piensa en quitarse la vida, llame o envíe un texto al 988 "
    "también {samhsa-988-es}.",
}

_MARKER = re.compile(r"\s?\{([a-z0-9-]+)\}")


@dataclass(frozen=True)
class FixedReply:
    """A fixed reply with `[n]` markers and the sources they point at, in order."""

    text: str
    sources: tuple[Source, ...]


def fixed_reply(
    key: str, language: str, known: dict[str, Source] | None = None, *, crisis_line: bool = False
) -> FixedReply:
    """Render a fixed reply, numbering its sources; `known` supplies the corpus's own source records.

    `crisis_line` ends the reply with the 988 line, for an emergency that reads as a crisis too.
    """
    template = _TEXTS[(key, language if (key, language) in _TEXTS else "en")]
    if crisis_line:
        template = f"{template} {_CRISIS_LINE.get(language, _CRISIS_LINE['en'])}"
    numbers: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        doc_id = match.group(1)
        numbers.setdefault(doc_id, len(numbers) + 1)
        return f" [{numbers[doc_id]}]"

    text = _MARKER.sub(number, template)
    sources = []
    for doc_id in numbers:
        if known and doc_id in known:
            sources.append(known[doc_id])
        else:
            title, publisher, url = _SOURCES[doc_id]
            sources.append(
                Source(doc_id, title, publisher, url, _SOURCE_DATE, "es" if doc_id.endswith("-es") else "en")
            )
    return FixedReply(text, tuple(sources))


def source_urls() -> tuple[str, ...]:
    """The URL of every page a fixed reply can cite when no corpus record replaces it."""
    return tuple(url for _title, _publisher, url in _SOURCES.values())


def cited_doc_ids() -> set[str]:
    """Every document id a fixed reply cites; the corpus must hold each of them."""
    templates = [*_TEXTS.values(), *_CRISIS_LINE.values()]
    return {m.group(1) for template in templates for m in _MARKER.finditer(template)}
