"""The thin rule layer: unmistakable signs in English and Spanish, and the wordings a rule must leave alone."""

from __future__ import annotations

import pytest

from bot.triage import rules
from bot.triage.normalise import normalise


def matched(text: str) -> str | None:
    """The name of the rule a raw message triggers, read the way `decide` reads it."""
    rule = rules.match(rules.prepare(normalise(text)))
    return rule.name if rule is not None else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He ISN'T breathing", "he isnt breathing"),
        ("It’s  fine", "its fine"),
        ("¿Qué PASA si Él no Respira?", "¿que pasa si el no respira?"),
        ("niño  añadió\tpastillas", "nino anadio pastillas"),
        ("  he`s  ok  ", "hes ok"),
        ("", ""),
    ],
)
def test_prepare(text: str, expected: str) -> None:
    assert rules.prepare(text) == expected


def test_each_rule_decides_its_kind() -> None:
    assert {rule.name: rule.kind for rule in rules.RULES} == {
        "not breathing": "emergency",
        "overdosing now": "emergency",
        "cannot be woken": "emergency",
        "child swallowed medicine": "emergency",
        "wants to die": "crisis",
        "seeks a way to die": "crisis",
        "plans to jump": "crisis",
    }


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("he isn't breathing", "not breathing"),
        ("She's not breathing!", "not breathing"),
        ("my friend stopped breathing", "not breathing"),
        ("he's barely breathing", "not breathing"),
        ("he can't breathe", "not breathing"),
        ("she cannot breathe", "not breathing"),
        ("he aint breathin", "not breathing"),
        ("my son is not breathing", "not breathing"),
        ("hes not bre\u200bathing", "not breathing"),
        ("No respira", "not breathing"),
        ("mi hermano no respira", "not breathing"),
        ("mi amigo no esta respira", "not breathing"),
        ("dejó de respirar", "not breathing"),
        ("ya no respira", "not breathing"),
        ("my friend is overdosing", "overdosing now"),
        ("whats the quickest way to od", "seeks a way to die"),
        ("im on the bridge and i think im going to jump", "plans to jump"),
        ("my friend says shes gonna jump off the overpass", "plans to jump"),
        ("the voices keep telling me to jump", "plans to jump"),
        ("estoy en el puente y no se si saltar", "plans to jump"),
        ("pienso en tirarme del puente", "plans to jump"),
        ("las voces me dicen q salte", "plans to jump"),
        ("what is the least painful way to die", "seeks a way to die"),
        ("easiest way 2 overdose on my meds", "seeks a way to die"),
        ("cual es la forma mas rapida de morir", "seeks a way to die"),
        ("la manera menos dolorosa de tener una sobredosis", "seeks a way to die"),
        ("i think hes overdosing", "overdosing now"),
        ("hes 0ding rn", "overdosing now"),
        ("she is overdosing right now", "overdosing now"),
        ("está teniendo una sobredosis", "overdosing now"),
        ("mi amigo esta en sobredosis", "overdosing now"),
        ("sobredosis ahorita", "overdosing now"),
        ("mi hermano tiene una sobredosis", "overdosing now"),
        ("creo que tiene una sobredosis ahora mismo", "overdosing now"),
        ("my brother is having an overdose", "overdosing now"),
        ("i cant wake him up", "cannot be woken"),
        ("she wont wake up and her lips look weird", "cannot be woken"),
        ("found my roommate unresponsive on the floor", "cannot be woken"),
        ("he is lying there unconscious", "cannot be woken"),
        ("no lo puedo despertar", "cannot be woken"),
        ("encontre a mi tio inconsciente en el baño", "cannot be woken"),
        ("esta inconsciente y no reacciona", "cannot be woken"),
        ("My son swallowed some pills", "child swallowed medicine"),
        ("my 3 year old ate a gummy", "child swallowed medicine"),
        ("my 2yo ate one of my edibles", "child swallowed medicine"),
        ("my toddler got into my xanax", "child swallowed medicine"),
        ("the baby chewed a fentanyl patch", "child swallowed medicine"),
        ("mi hijo se tragó unas pastillas", "child swallowed medicine"),
        ("mi niña se comió unas gomitas", "child swallowed medicine"),
        ("mi bebé masticó un parche", "child swallowed medicine"),
        ("mi hijo se tomó unas pastillas", "child swallowed medicine"),
        ("I want to kill myself", "wants to die"),
        ("i want to k1ll myself", "wants to die"),
        ("I'm going to end my life", "wants to die"),
        ("i wanna die", "wants to die"),
        ("kms", "wants to die"),
        ("I'm suicidal", "wants to die"),
        ("im feeling suicidal", "wants to die"),
        ("quiero morir", "wants to die"),
        ("quiero morirme", "wants to die"),
        ("me quiero matar", "wants to die"),
        ("quiero quitarme la vida", "wants to die"),
        ("no dejo de pensar en matarme", "wants to die"),
        ("tengo ganas de suicidarme", "wants to die"),
        ("hoy me voy a matar", "wants to die"),
        ("me voy a matar", "wants to die"),
        # Said with sorrow or pain it is a wish, not a figure of speech.
        ("me quiero morir de tristeza", "wants to die"),
        ("me quiero morir de dolor", "wants to die"),
        ("i want to die of sadness", "wants to die"),
        ("me quiero morir de verdad", "wants to die"),
        # Trying is past only when it is an attempt on one's own life.
        ("tried to wake him hes not breathing", "not breathing"),
        ("intente despertarlo y no respira", "not breathing"),
    ],
)
def test_rule_fires_on_a_present_sign(text: str, rule: str) -> None:
    assert matched(text) == rule


@pytest.mark.parametrize(
    "text",
    [
        # asked ahead of time, or a named day gone by
        "if i ever found someone who couldnt wake up what do i do",
        "my 4yo ate a gummy on saturday, hes fine now",
        "si algun dia no puedo despertar a mi amigo que hago",
        "mi nino se comio una pastilla el sabado pasado, ya esta bien",
        # past
        "he wasn't breathing last night",
        "my friend stopped breathing yesterday",
        "my son swallowed pills last week",
        "i used to want to die",
        "when i was 15 i wanted to kill myself",
        "ayer no respiraba",
        "hace dias quise morir",
        "hace años pense en matarme",
        "hace 2 años intenté quitarme la vida, hoy estoy bien",
        "el año pasado quise matarme",
        "i tried to kill myself two years ago and im doing better",
        "attempted to end my life back in 2019",
        "intenté quitarme la vida en 2020, ahora voy a terapia",
        "he overdosed in 2021 and we couldnt wake him",
        "he overdosed last year",
        "last night i couldnt wake him up for like a minute",
        "what do i do if someone is unconscious",
        "si alguien esta inconsciente que hago",
        # hypothetical or general
        "what if someone is not breathing",
        "what should I do if he stops breathing",
        "how do i tell if someone is not breathing",
        "if my friend isnt breathing what do i do",
        "signs of not breathing",
        "what are the signs someone is overdosing on opioids",
        "symptoms that a person is overdosing",
        "how would you know someone is overdosing",
        "how do i know if someone is overdosing",
        "what do i do when someone is overdosing",
        "what happens if a child swallowed pills",
        "que pasa si alguien no respira",
        "si alguien no respira que hago",
        "que hago si mi amigo tiene una sobredosis",
        "cuando una persona tiene una sobredosis, que se hace",
        "que señales tiene una sobredosis de heroina",
        "q sintomas tiene una sobredosis",
        "cuales son las señales de que alguien tiene una sobredosis",
        "en caso de que no respire",
        "what do i do if my friend is having an overdose",
        "hypothetically, if my roommate stopped breathing what would i do first",
        "if a guest stops breathing in the lobby what do staff do",
        "pregunta hipotética: si alguien no respira, qué hago primero",
        "why do people snore when theyre overdosing",
        # negated
        "el narcan le hace daño a alguien que no esta en sobredosis?",
        "y si no tiene una sobredosis, le hace daño el narcan?",
        # no sign at all
        "he is breathing fine now",
        "he is breathing",
        "is it normal to breathe slowly on opioids",
        "kill the pain",
        "I killed it at work",
        "i could die of embarrassment",
        "i want to die of embarrassment lol",
        "me quiero morir de la vergüenza jaja",
        "quiero morirme de la risa con este video",
        "me voy a morir de hambre, a que hora comemos",
        # a fear or a forecast, not a stated wish: the classifier weighs it
        "si dejo las benzos de golpe me voy a morir?",
        "my kid ate candy",
        "I'm scared she'll overdose again",
        "what is naloxone",
        "",
    ],
)
def test_rule_leaves_past_hypothetical_and_general_wording_alone(text: str) -> None:
    assert matched(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my 4 year old ate some of my pills",
        "my daughter got into the oxycodone",
        "mi hija se comió unas pastillas",
        "my toddler opened the bottle",
        "mi niño abrió el frasco",
    ],
)
def test_child_ingestion_variant_matches(text: str) -> None:
    assert rules.CHILD_INGESTION.search(rules.prepare(normalise(text)))


@pytest.mark.parametrize("text", ["he swallowed some pills", "my son is not breathing", "my kid ate candy"])
def test_child_ingestion_variant_needs_a_child_and_a_medicine(text: str) -> None:
    assert not rules.CHILD_INGESTION.search(rules.prepare(text))


@pytest.mark.parametrize(
    "text",
    [
        "where can i buy subs on the street",
        "can i get suboxone from a dealer",
        "buying bupe without a prescription",
        "is street methadone safe",
        "comprar suboxone en la calle",
        "metadona de la calle",
    ],
)
def test_street_treatment_variant_matches(text: str) -> None:
    assert rules.STREET_TREATMENT.search(rules.prepare(text))


@pytest.mark.parametrize(
    "text", ["how do i get suboxone from a doctor", "methadone clinic near me", "where can i buy heroin on the street"]
)
def test_street_treatment_variant_needs_a_treatment_drug_off_prescription(text: str) -> None:
    assert not rules.STREET_TREATMENT.search(rules.prepare(text))


@pytest.mark.parametrize(
    "text",
    [
        "what is naloxone",
        "how do fentanyl test strips work",
        "is it safe to mix xanax and alcohol",
        "where is the nearest rehab",
        "¿qué es la naloxona?",
        "¿cuánto dura la abstinencia de heroína?",
        "signos de sobredosis",
    ],
)
def test_domain_words(text: str) -> None:
    assert rules.DOMAIN.search(rules.prepare(text))


@pytest.mark.parametrize(
    "text", ["what's the weather tomorrow", "recommend a good movie", "¿quién ganó el partido?", "write me a poem"]
)
def test_outside_the_domain(text: str) -> None:
    assert not rules.DOMAIN.search(rules.prepare(text))


@pytest.mark.parametrize(
    "text",
    [
        "I have a migraine",
        "is ibuprofen ok for a headache",
        "how do i treat a bee sting",
        "tengo fiebre",
        "how do i give rescue breaths",
        "what is the recovery position",
        "¿Cómo doy respiración de rescate?",
        "posición de recuperación",
        "curso de primeros auxilios",
    ],
)
def test_health_words(text: str) -> None:
    assert rules.HEALTH.search(rules.prepare(text))


@pytest.mark.parametrize(
    "text", ["what's the weather tomorrow", "recommend a good movie", "¿quién ganó el partido?", "rescate de perritos"]
)
def test_not_health(text: str) -> None:
    assert not rules.HEALTH.search(rules.prepare(text))


# Wording that once fooled the rules.
@pytest.mark.parametrize(
    "text",
    [
        "we walked 20 kms to get narcan",
        "la farmacia esta a 5 kms, tienen naloxona?",
        "why are so many people overdosing now",
        "¿Por qué hay más sobredosis ahora que antes?",
        "he is not overdosing, just nodding off",
        "whats the fastest way to reverse an overdose",
        "how do i jump start my car in the building garage",
        "the kids jump rope behind the building every day",
        "hay que saltar la cuerda en el patio",
        "the easiest way to get naloxone",
        "la forma mas rapida de conseguir naloxona",
        "quickest way to die down the swelling",
        "my son ate a pillow",
    ],
)
def test_no_false_alarm(text: str) -> None:
    assert matched(text) is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my kids got into my edibles", "child swallowed medicine"),
        ("the children ate some pills", "child swallowed medicine"),
        ("mi amigo no está respirando", "not breathing"),
    ],
)
def test_sign_is_found(text: str, rule: str) -> None:
    assert matched(text) == rule
