"""The thin rule layer: a few unmistakable signs, decided before the classifier, each with its clinical source.

Everything else is the classifier's job (`bot.triage.model`); a rule is added only for wording that means one
thing in any context, never for one message the classifier missed. Patterns run on `prepare`d text: the
normalised message lower-cased, without accents or apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import Pattern

from bot.text import fold


def prepare(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free text with single spaces."""
    return " ".join(re.sub(r"[’'`´]", "", fold(text)).split())


def _any(*patterns: str) -> Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class Rule:
    """One unmistakable sign: the kind it decides and the pattern that finds it."""

    name: str
    kind: str
    pattern: Pattern[str]


# Young children by name or age; a son or daughter may be grown, so they count only with a swallowing verb.
_YOUNG = r"(?:kids?|child|children|toddlers?|bab(?:y|ies)|infants?|\d+ ?(?:yo|year old|yr old|month old|years old|months old))"
_CHILD = rf"(?:{_YOUNG}|sons?|daughters?|grandsons?|granddaughters?|nieces?|nephews?)"
_YOUNG_ES = r"(?:nin[oa]s?|bebes?|\d+ anos|\d+ meses)"
_CHILD_ES = rf"(?:{_YOUNG_ES}|hij[oa]s?|niet[oa]s?|sobrin[oa]s?)"
_MEDICINE = r"(?:pills?|medicine|medication|meds|tablets?|capsules?|patch(?:es)?|gumm(?:y|ies)|edibles?|vitamins?|oxy\w*|fent\w*|xanax|percs?|suboxone|subs|methadone|adderall|tylenol)\b"
_MEDICINE_ES = r"(?:pastillas?|medicinas?|medicamentos?|pildoras?|parches?|gomitas?|tabletas?)\b"
_SWALLOWED = r"(?:swallowed|ate|eaten|chewed|got into|got ahold of)"
_SWALLOWED_ES = r"(?:se trago|se comio|se tomo|trago|comio|mastico|tragar\w*)"
# "Die" in a figure of speech ("I want to die of embarrassment", "me quiero morir de la risa") is no stated wish to
# die; the classifier weighs it. Sorrow, pain and sadness are not among them: said with those, it is a wish.
_NOT_IDIOM = r"(?! (?:of|from) (?:embarrassment|laughter|laughing|boredom|cringe)\b)"
_NOT_IDIOM_ES = (
    r"(?! de (?:la |el )?(?:verguenza|risa|hambre|sueno|calor|frio|aburrimiento|envidia|nervios|ganas|ternura)\b)"
)

# Heights people speak of jumping from, for the plans-to-jump rule.
_HEIGHT = r"(?:bridge|roof|rooftop|ledge|overpass|balcony|building|parking garage)"
_HEIGHT_ES = r"(?:puente|azotea|techo|edificio|balcon|cornisa)"

RULES = (
    # CDC "Stop Overdose: Responding to an overdose": no breathing is the sign to call 911 and give naloxone.
    Rule(
        "not breathing",
        "emergency",
        _any(
            r"\b(?:isnt|not|aint|stopped|barely|cant|cannot) (?:breathing|breathin|breathe)\b",
            r"\bno (?:esta )?respira(?:ndo)?\b|\b(?:deja|dejo) de respirar\b|\bya no respira\b",
        ),
    ),
    # CDC "Stop Overdose": someone overdosing right now needs 911 and naloxone, whatever else the message asks.
    Rule(
        "overdosing now",
        "emergency",
        _any(
            r"\b(?:is|am|im|hes|shes|theyre)\s+(?:(?!not\b|never\b)\w+\s+)?(?:overdosing|oding|odeing)\b",
            r"\b(?:overdosing|oding)\b[^.?!]{0,15}\b(?:rn|right now)\b",
            r"\b(?:is|am|im|hes|shes|theyre|are) having an? (?:overdose|od)\b",
            r"(?<!\bno )\besta(?:n)? (?:teniendo una|en) sobredosis\b|(?<!\bno )\btiene(?:n)? una sobredosis\b",
            r"\bsobredosis\b[^.?!]{0,12}\b(?:ahorita|ya mismo|ahora mismo)\b",
        ),
    ),
    # CDC "Stop Overdose": a person who cannot be woken is a sign of overdose; call 911 and give naloxone.
    Rule(
        "cannot be woken",
        "emergency",
        _any(
            r"\b(?:wont|cant|cannot|couldnt|will not|can not) (?:wake (?:up|him|her|them)|be woken|be woke)\b",
            r"\b(?:is|hes|shes|are|theyre|found|lying|laying)\b[^.?!]{0,30}\b(?:unconscious|unresponsive)\b",
            r"\bno (?:lo |la |le |los |las )?(?:puedo|podemos|pude|pudimos) despertar\b",
            r"\b(?:esta|estan|encontr\w*|tirad[oa]s?)\b[^.?!]{0,40}\binconscientes?\b",
            r"\binconscientes?\b[^.?!]{0,30}\b(?:no reacciona|no responde|no despierta)\b",
        ),
    ),
    # CDC Poison Help guidance: any child who swallowed a medicine is a call to Poison Help or 911, even "fine".
    Rule(
        "child swallowed medicine",
        "emergency",
        _any(
            rf"\b{_CHILD}\b[^.?!]{{0,60}}\b{_SWALLOWED}\b[^.?!]{{0,40}}\b{_MEDICINE}",
            rf"\b{_CHILD_ES}\b[^.?!]{{0,60}}\b{_SWALLOWED_ES}\b[^.?!]{{0,40}}\b{_MEDICINE_ES}",
        ),
    ),
    # SAMHSA 988 Lifeline: a stated wish to kill oneself or die is a crisis whatever surrounds it.
    Rule(
        "wants to die",
        "crisis",
        _any(
            r"\b(?:kill|killing|unalive|unaliving) myself\b|(?<!\d )(?<!\d)\bkms\b|\b(?:end|ending|take|taking) my (?:own )?life\b",
            rf"\bi (?:want|wanna|wish i could|just want) (?:to )?die\b{_NOT_IDIOM}|\bim (?:feeling )?suicidal\b|\bi am (?:feeling )?suicidal\b",
            # "Me voy a morir" (I am going to die) is a fear or a forecast (withdrawal, a racing heart), not a stated
            # wish, as "I'm going to die" is not in English; the classifier weighs it. "Me voy a matar" is a plan.
            rf"\bquiero (?:morir|morirme)\b{_NOT_IDIOM_ES}|\bme quiero (?:morir\b{_NOT_IDIOM_ES}|matar|suicidar)\b",
            r"\bme voy a (?:matar|suicidar)\b|\bquitarme la vida\b",
            # As "kill myself" above, wherever it stands ("pienso en matarme", "ganas de suicidarme").
            r"\b(?:matarme|suicidarme)\b",
        ),
    ),
    # SAMHSA 988 Lifeline warning signs: looking for a way to kill oneself. Asking for the quickest, easiest or
    # least painful way to die or overdose is asking for a means, whatever drug it names.
    Rule(
        "seeks a way to die",
        "crisis",
        _any(
            r"\b(?:fastest|quickest|easiest|surest|simplest|quietest|least painful|most painless|painless)\s+"
            r"(?:ways?|methods?)\s+(?:to|2)\s+(?:die(?! (?:down|out|off)\b)|od|overdose|kill myself|end it)\b",
            r"\b(?:formas?|maneras?|modos?) (?:mas )?(?:rapidas?|faciles?|facil|seguras?|menos dolorosas?|sin dolor) "
            r"(?:de|para|pa) (?:morir\w*|matarme|suicidarme|sobredosis|tener una sobredosis)\b",
        ),
    ),
    # The same warning signs: a plan with a means. Jumping from a height (a bridge, a roof, an overpass), or voices
    # that tell the person to jump or to kill themselves, is a crisis whoever tells it.
    Rule(
        "plans to jump",
        "crisis",
        _any(
            rf"\bjump(?:ing|ed)? (?:off|from)\b[^.?!]{{0,30}}\b{_HEIGHT}\b",
            rf"\b{_HEIGHT}\b[^.?!]{{0,60}}\b(?:going to|gonna|want to|wanna|about to|ready to|thinking (?:about|of)|"
            r"think about|plan(?:ning)? to|should i|might) (?:jump|jumping)\b",
            rf"\b(?:saltar|brincar|tirarme|aventarme|lanzarme) (?:de|del|desde)\b[^.?!]{{0,30}}\b{_HEIGHT_ES}\b",
            rf"\b{_HEIGHT_ES}\b[^.?!]{{0,60}}\b(?:saltar|salte|brincar|brinque|tirarme|aventarme|lanzarme)\b",
            r"\bvoices?\b[^.?!]{0,30}\b(?:tell|telling|told)\w* me to (?:jump|kill|hurt|die|end)\b",
            r"\blas voces\b[^.?!]{0,30}\bme dicen (?:q|que) (?:salte|me mate|me muera|me tire|me aviente)\b",
        ),
    ),
)

# A sign told as past, hypothetical or a general question is the classifier's to weigh, not a rule's.
NOT_NOW = _any(
    r"\blast (?:week|month|night|year|time|weekend|summer)\b|\byesterday\b|\b(?:weeks|months|years|days) ago\b",
    # A told attempt or a dated time ("tried to end my life back in 2019", "intente quitarme la vida en 2020").
    r"\b(?:tried|attempted) to (?:kill|end|take|unalive|off)\b|\bintente (?:quitarme|matarme|suicidarme)\b",
    r"\b(?:back |in |since )(?:19|20)\d\d\b|\b(?:en|desde) (?:el )?(?:19|20)\d\d\b",
    r"\b(?:what if|in case|if ever|used to|when i was|what (?:do|should) (?:i|you) do if|what happens if)\b",
    # Asked ahead of time in so many words ("if i ever", "asking for the future"), or told of a named day gone by.
    r"\bif (?:i|we|it|this) ever\b|\b(?:for|in) the future\b|\basking for (?:the )?future\b|\blast nite\b",
    r"\bon (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    # Told as a hypothetical in so many words, or about any one person ("if a child", "if a coworker").
    r"\bhypothetical\w*|\bhipotetic\w*|\b(?:if|when) an? \w+\b",
    r"\b(?:if|when) (?:someone|somebody|anyone|u|you|my|he|she|they|hes|shes|theyre|people|ppl)\b|\bsigns? of\b|\bhow (?:do|can) (?:you|i) tell\b",
    # A general question about the signs: "what are the signs someone is overdosing", "how do you know if".
    r"\b(?:signs?|symptoms?) (?:that )?(?:someone|somebody|a person|people|u|you|he|she|they)\b",
    r"\bhow (?:do|can|would) (?:you|i|u) know\b",
    r"\bsemana pasada\b|\b(?:ano|mes|fin de semana|verano) pasado\b|\bayer\b|\bque pasa si\b|\bsenales de\b",
    r"\bsi algun dia\b|\bpor si algun dia\b|\ben el futuro\b",
    r"\bel (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo) pasado\b",
    # "Which signs does an overdose have": the Spanish general question about the signs.
    r"\b(?:que|q|k|cuales|cual) (?:son las )?(?:senales|sintomas|signos)\b",
    r"\bhace (?:unos |unas |\d+ |un |una |dos |tres |varios |muchos )?(?:dias|semanas|meses|anos|ano|mes|semana)\b",
    r"\b(?:si|cuando) (?:alguien|una persona|mi|mis|tu|su|el|ella|ellos|un|una|uno|usted)\b|\ben caso de\b",
)

# Which fixed reply a decided kind gets: a child's poisoning adds Poison Help; street buprenorphine or
# methadone points at treatment (SAMHSA: buprenorphine can be prescribed in an office).
CHILD_INGESTION = _any(
    next(rule for rule in RULES if rule.name == "child swallowed medicine").pattern.pattern,
    rf"\b{_YOUNG}\b[^.?!]*\b(?:{_MEDICINE}|bottle\b)",
    rf"\b{_YOUNG_ES}\b[^.?!]*\b(?:{_MEDICINE_ES}|frasco\b)",
)
STREET_TREATMENT = _any(
    r"\b(?:subs|suboxone|bupe|buprenorphine|methadone|buprenorfina|metadona)\b[^.?!]{0,40}\b(?:street|plug|dealer|without a (?:script|prescription)|calle)\b",
    r"\b(?:street|calle)\b[^.?!]{0,30}\b(?:subs|suboxone|bupe|methadone|buprenorfina|metadona)\b",
)

# Words that make a message a harm-reduction question; with none, a weak match is out of scope, not "no answer".
# Health questions outside the corpus get "no answer" plus the helpline rather than a redirect.
HEALTH = _any(
    r"\b(?:health|medical|medicine|symptoms?|treat|cure|sick|pain|doctor|nurse|sting|bite|burn|rash|fever|flu|cold|infection|uti|diet|diabetes|migraine|headache|ibuprofen|tylenol|vitamin|pregnan\w*|baby)\b",
    r"\b(?:salud|medico|sintomas?|curar|cura|dolor|quemadura|picadura|fiebre|gripa|gripe|infeccion|dieta|diabetes|embaraz\w*|bebe)\b",
    # First aid is health: how to give rescue breaths or place someone on their side goes to retrieval.
    r"\b(?:first aid|cpr|rescue breath\w*|recovery position|mouth to mouth)\b",
    r"\b(?:primeros auxilios|rcp|respiracion(?:es)? de rescate|boca a boca|posicion de recuperacion)\b",
)
DOMAIN = _any(
    r"\b(?:overdos\w*|od|ods|oding|oded|odd|odeing|naloxon\w*|narcan|opioid\w*|opiate\w*|fent\w*|heroin|dope|pills?|percs?|oxy\w*|xanax|bars|benzo\w*|meth\w*|cocaine|coke|crack|stimulant\w*|xylazine|tranq|nitazene\w*|carfentanil|drugs?|alcohol|drunk|drinking|high|nod\w*|inject\w*|needles?|syringes?|snort\w*|smok\w*|withdraw\w*|dopesick|tolerance|rehab|detox|treatment|recovery|suboxone|subs|bupe|buprenorphine|methadone|naltrexone|vivitrol|addict\w*|substance|sober|relapse|988|helpline|hotline|samhsa|cdc|strips?|test|medicines?|medications?|prescri\w*|script|pharmac\w*|dose|doses|dosing|poison\w*|m30s?|blues|adderall|counterfeit|fake|pressed|laced|using|use|used|breath\w*|wake|unresponsive|good samaritan|911|mixing|mix|safe storage|disposal|take ?back|dealer|plug|batch|supply|doctor|er|hospital|blue|lips|pupils|passed out|unconscious|suicid\w*|die|dying|lethal|deadly|uses|user|users|dangerous|safer|safe|risk|risky|clean|relapse\w*|shoot\w*|beers?|drinks?|pregnan\w*)\b",
    r"\b(?:sobredosis|naloxona|fentanilo|opioides?|drogas?|pastillas?|heroina|cocaina|metanfetamina|cristal|xilacina|consum\w*|inyect\w*|jeringas?|abstinencia|tolerancia|tratamiento|recuperacion|metadona|buprenorfina|naltrexona|adiccion|receta|farmacia|medicamentos?|medicinas?|dosis|tiras|prueba|respira\w*|despierta|alcohol|linea de ayuda|988|911|tira|negativ\w*|positiv\w*|azul|morad[oa]|dealer|doctor|medico|hospital|morir|mortal)\b",
)


_CLAUSE = re.compile(r"[.!?;,]")


def match(text: str) -> Rule | None:
    """The first rule whose sign is in `text` (already `prepare`d), unless its clause tells it as past or
    hypothetical."""
    for rule in RULES:
        found = rule.pattern.search(text)
        if found is None:
            continue
        starts = [0] + [m.end() for m in _CLAUSE.finditer(text, 0, found.start())]
        end = _CLAUSE.search(text, found.end())
        clause = text[starts[-1] : end.start() if end else len(text)]
        return None if NOT_NOW.search(clause) else rule
    return None
