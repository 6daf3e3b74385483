"""Normalisation: text tricks are undone, and what was meant (numbers, addresses, accents, emoji) is kept."""

from __future__ import annotations

import pytest

from bot.triage.normalise import normalise

UNDONE = [
    # zero-width and bidi marks
    ("hes not bre\u200bathing", "hes not breathing"),
    ("i want to k\u200d1ll myself", "i want to kill myself"),
    ("\u202ekill\u202c myself", "kill myself"),
    ("over\u00addose", "overdose"),
    ("\ufeffnaloxone", "naloxone"),
    # fullwidth
    ("ｋｉｌｌ ｍｙｓｅｌｆ", "kill myself"),
    ("ｏｖｅｒｄｏｓｅ", "overdose"),
    # Cyrillic and Greek look-alikes
    ("k\u0456ll myself", "kill myself"),
    ("\u043everdose", "overdose"),
    ("n\u03bft breathing", "not breathing"),
    ("\u0391\u0392\u0395", "ABE"),
    # leetspeak inside words
    ("k1ll", "kill"),
    ("0ding", "oding"),
    ("su1cidal", "suicidal"),
    ("m0rir", "morir"),
    ("qu1ero m0rir", "quiero morir"),
    ("k1ll my5elf", "kill myself"),
    ("f3nt4nyl", "fentanyl"),
    ("$uicide", "suicide"),
    ("su!c!de", "suicide"),
    ("m@tarme", "matarme"),
    ("@ll my p1lls", "all my pills"),
    ("he 0d'd", "he od'd"),
    ("0d", "od"),
    ("p0pped 3 xanax", "popped 3 xanax"),
    # letters spaced or dotted apart
    ("k i l l myself", "kill myself"),
    ("s-u-i-c-i-d-e", "suicide"),
    ("k.i.l.l", "kill"),
    ("o.d.", "od"),
    ("i need h e l p now", "i need help now"),
    ("h e i s n o t b r e a t h i n g", "heisnotbreathing"),
    # held-down letters: two kept where the language doubles the letter, one otherwise
    ("kiiiill", "kill"),
    ("heeeelp", "heelp"),
    ("carrrro", "carro"),
    ("ayudaaaa", "ayuda"),
    ("que paaasa", "que pasa"),
    ("I haaate this", "I hate this"),
    # Leet digits in two or more runs are a disguised word, read whole, digits at the ends too.
    ("mi h1j0 se 7r4gó unas p4571ll45", "mi hijo se tragó unas pastillas"),
    ("de dos 4ñ05", "de dos años"),
    ("no d35p13r74", "no despierta"),
]

KEPT = [
    "M30s",
    "two m30 blues",
    "4mg",
    "I took 4mg at 3am",
    "0.5mg",
    "10mg of oxy",
    "my 3yo ate a pill",
    "2nd dose",
    "b12",
    "24/7",
    "my 4x4 truck",
    "covid19 and M30s",
    "call 1-800-662-4357",
    "call 911",
    "COVID-19",
    "help@samhsa.hhs.gov",
    "j0hn.d03@example.org",
    "https://www.cdc.gov/stop-overdose/index.html?x=10",
    "www.samhsa.gov/find-help",
    "niño añadió pastillas",
    "¿Qué es la naloxona?",
    "¿Cuánto dura la abstinencia?",
    "pingüino",
    "💊 pills",
    "💊🚑❤️",
    "ok!!!",
    "what???",
    "Is it safe to mix alcohol and xanax?",
    "How do fentanyl test strips work?",
    "Mi amigo usó heroína, ¿qué hago?",
    "Ya no respira",
    "I need, well, a lot of help.",
]


@pytest.mark.parametrize(("text", "expected"), UNDONE)
def test_tricks_are_undone(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_meant_text_is_unchanged(text: str) -> None:
    assert normalise(text) == text


@pytest.mark.parametrize("text", [t for t, _ in UNDONE] + KEPT)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


def test_case_is_kept() -> None:
    assert normalise("Is He BREATHING?") == "Is He BREATHING?"


def test_empty_text() -> None:
    assert normalise("") == ""


# Digits, numerals and joiners that are meant: each once changed what the message said.
MEANING_KEPT = [
    ("buprenorphine is schedule III", "held-down-letter collapse turns Roman numeral III into I"),
    ("I took 30mgs", "plural units are not in _MEANT, so the digits are read as leetspeak ('eomgs')"),
    ("he took 4bars", "'4bars' (four Xanax bars) becomes 'abars'"),
    ("1ra vez que uso", "Spanish ordinals (1ra, 1er, 3er) are read as leetspeak ('ira vez')"),
    ("👩\u200d⚕️ nurse", "the zero-width joiner inside an emoji sequence is removed, splitting the emoji"),
]


@pytest.mark.parametrize(
    "text",
    [pytest.param(t, id=t) for t, _ in MEANING_KEPT],
)
def test_meant_characters_are_kept(text: str) -> None:
    assert normalise(text) == text


def test_a_lone_surrogate_is_dropped() -> None:
    assert normalise("\ud800 narcan") == " narcan"
