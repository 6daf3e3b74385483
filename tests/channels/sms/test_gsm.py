"""SMS text: GSM-7 normalisation, segment counting and splitting answers into parts."""

from __future__ import annotations

import pytest

from bot.channels.sms.gsm import (
    encoding,
    is_gsm7,
    markers,
    normalize,
    segment_count,
    short_link,
    split_parts,
    split_segments,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u201cquoted\u201d and \u2018single\u2019", "\"quoted\" and 'single'"),
        ("2\u20133 minutes \u2014 then", "2-3 minutes - then"),
        ("wait\u2026", "wait..."),
        ("a\u00a0b\u200bc", "a bc"),
        ("sobredosis: llame al 911 ahora y dele naloxona", "sobredosis: llame al 911 ahora y dele naloxona"),
        ("línea, envíe, más, cómo, según", "linea, envie, mas, como, segun"),
        ("ÁÍÓÚ", "AIOU"),
        # Letters GSM-7 has are kept as they are.
        ("é ñ ü à è ù ì ò Ñ É Ü ¿ ¡", "é ñ ü à è ù ì ò Ñ É Ü ¿ ¡"),
        ("ç â ê", "c a e"),
    ],
)
def test_normalize_maps_to_gsm7(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert is_gsm7(normalize(text))


def test_normalize_keeps_characters_without_gsm7_equivalent() -> None:
    text = normalize("stay safe \U0001f600")
    assert "\U0001f600" in text
    assert encoding(text) == "UCS-2"


def test_one_curly_quote_would_switch_a_message_to_ucs2() -> None:
    raw = "Don\u2019t use alone. " + "x" * 120
    assert encoding(raw) == "UCS-2"
    assert segment_count(raw) == 3
    assert encoding(normalize(raw)) == "GSM-7"
    assert segment_count(normalize(raw)) == 1


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        # Extension characters take two septets.
        ("[" * 80, 1),
        ("[" * 81, 2),
        # UCS-2: 70 units in one segment, 67 per segment after that.
        ("ó" * 70, 1),
        ("ó" * 71, 2),
        ("ó" * 134, 2),
        ("ó" * 135, 3),
        # Characters outside the basic plane count as two UTF-16 units.
        ("\U0001f600" * 35, 1),
        ("\U0001f600" * 36, 2),
    ],
)
def test_segment_count_gsm7_and_ucs2(text: str, segments: int) -> None:
    assert segment_count(text) == segments


def test_split_segments_never_splits_an_escape_pair() -> None:
    text = "a" * 152 + "€" + "b" * 10
    parts = split_segments(text)
    assert "".join(parts) == text
    assert parts[0] == "a" * 152
    assert parts[1].startswith("€")


def test_split_segments_never_splits_a_surrogate_pair() -> None:
    text = "ó" * 66 + "\U0001f600" + "ó" * 10
    parts = split_segments(text)
    assert parts[0] == "ó" * 66
    assert parts[1].startswith("\U0001f600")


@pytest.mark.parametrize(
    ("url", "short"),
    [
        ("https://www.cdc.gov/stop-overdose/caring/naloxone.html", "cdc.gov/stop-overdose/caring/naloxone.html"),
        ("https://findtreatment.gov/", "findtreatment.gov"),
        ("https://store.samhsa.gov/product/x?y=1", "store.samhsa.gov/product/x?y=1"),
        ("http://www.samhsa.gov/find-help/", "samhsa.gov/find-help"),
    ],
)
def test_short_link(url: str, short: str) -> None:
    assert short_link(url) == short


def test_markers_in_order_of_first_use() -> None:
    assert markers("a [2]. b [1]. c [2].") == [2, 1]


def test_split_parts_short_answer_is_one_part_with_links() -> None:
    parts = split_parts("Carry naloxone [1].", {1: "cdc.gov/naloxone"}, "(Reply MORE for more)")
    assert parts == ["Carry naloxone [1].\n[1] cdc.gov/naloxone"]


def test_split_parts_long_answer_fits_three_segments_each_with_its_links() -> None:
    sentences = [f"Sentence number {i} says something useful about staying safe [{1 + i % 2}]." for i in range(20)]
    links = {1: "cdc.gov/stop-overdose/caring/naloxone.html", 2: "samhsa.gov/find-help/national-helpline"}
    parts = split_parts(" ".join(sentences), links, "(Reply MORE for more)")
    assert len(parts) > 1
    for i, part in enumerate(parts):
        assert segment_count(part) <= 3
        assert is_gsm7(part)
        for n in markers(part.split("\n")[0]):
            assert f"[{n}] {links[n]}" in part
        assert part.endswith("(Reply MORE for more)") == (i < len(parts) - 1)
    rejoined = " ".join(p.split("\n")[0] for p in parts)
    assert rejoined == " ".join(sentences)


def test_split_parts_splits_an_overlong_sentence_between_words() -> None:
    sentence = " ".join(["word"] * 300) + " [1]."
    parts = split_parts(sentence, {1: "cdc.gov/x"}, "(MORE)")
    assert len(parts) >= 3
    assert all(segment_count(p) <= 3 for p in parts)
    assert " ".join(p.split("\n")[0] for p in parts) == sentence
