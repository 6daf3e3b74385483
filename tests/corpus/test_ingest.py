"""`hrbot ingest`: saved CDC and SAMHSA pages become corpus drafts with the page template stripped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TypedDict

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import cli
from bot.corpus.documents import read_document
from bot.corpus.ingest import page_to_document
from bot.errors import CorpusError

PAGES = Path(__file__).parents[1] / "data" / "pages"
TODAY = dt.date(2026, 3, 2)
CDC_URL = "https://www.cdc.gov/stop-overdose/caring/naloxone.html"
SAMHSA_URL = "https://www.samhsa.gov/substance-use/treatment/overdose-prevention/naloxone"
CDC_ES_URL = "https://www.cdc.gov/stop-overdose/es/caring/naloxone.html"

# Text from each page's template: banner, header, navigation, breadcrumbs, boxes, sources, related pages, footer.
TEMPLATE_TEXT = {
    "cdc_naloxone.html": [
        "An official website of the United States government",
        "Here's how you know",
        "Official websites use .gov",
        "Skip directly to site content",
        "Saving Lives, Protecting People",
        "For Everyone",
        "Caring for others",
        "Partner Resources",
        "Stigma Reduction",
        "On this page",
        "Sources",
        "Dunn KE",
        "Related pages",
        "Reducing Stigma",
        "Last Reviewed",
        "National Center for Injury Prevention",
        "Contact Us",
        "800-232-4636",
        "Email CDC-INFO",
        "Open 24/7",
        "About CDC",
        "No FEAR Act",
        "USA.gov",
        "Follow CDC",
        "Department of Health",
        "CDC.pageLoaded",
    ],
    "samhsa_naloxone.html": [
        "An official website of the United States government",
        "Here's how you know",
        "Skip to main content",
        "Looking for help?",
        "Substance Abuse and Mental Health Services Administration",
        "Grants Dashboard",
        "Newsroom",
        "Treatment Options",
        "In this section",
        "Overdose Prevention",
        "Last Updated",
        "Return to top",
        "About SAMHSA",
        "Careers at SAMHSA",
        "5600 Fishers Lane",
        "1-877-SAMHSA-7",
        "Plain Writing",
        "USA.gov",
    ],
    "cdc_naloxona_es.html": [
        "Un sitio web oficial del gobierno de los Estados Unidos",
        "Así es como usted puede verificarlo",
        "Pase directamente",
        "Centros para el Control",
        "Inicio",
        "Datos sobre el fentanilo",
        "En esta página",
        "Páginas relacionadas",
        "Última revisión",
        "Comuníquese con nosotros",
        "800-232-4636",
        "CDC-INFO",
        "USAGov",
    ],
}


class Expected(TypedDict):
    """What a fixture page should turn into: CLI arguments, front matter, headings and kept lines."""

    args: tuple[str, str, str]
    front: dict[str, str]
    headings: list[str]
    lines: list[str]


EXPECTED: dict[str, Expected] = {
    "cdc_naloxone.html": {
        "args": (CDC_URL, "CDC", "en"),
        "front": {"id": "lifesaving-naloxone", "title": "Lifesaving Naloxone", "url": CDC_URL, "publisher": "CDC"},
        "headings": ["Overview", "What naloxone does", "Signs of an opioid overdose", "Who should carry naloxone"],
        "lines": [
            "Naloxone is a medicine that can quickly reverse an opioid overdose. Naloxone is safe to give to anyone "
            "who might be overdosing, including children and older adults. Anyone can learn to give naloxone in a "
            "few minutes, and giving naloxone can save a life.",
            "Naloxone comes as a nasal spray and as a shot. Naloxone nasal spray is sold without a prescription in "
            "pharmacies and stores across the country.",
            "- A person who is overdosing may have very small pupils.",
            "- A person who is overdosing may have blue or gray lips and fingernails.",
        ],
    },
    "samhsa_naloxone.html": {
        "args": (SAMHSA_URL, "SAMHSA", "en"),
        "front": {"id": "naloxone", "title": "Naloxone", "url": SAMHSA_URL, "publisher": "SAMHSA"},
        "headings": [
            "Overview",
            "How naloxone works",
            "Forms of naloxone: Nasal spray",
            "Forms of naloxone: Injectable naloxone",
            "Getting naloxone",
        ],
        "lines": [
            "Naloxone is a medicine approved by the FDA to reverse an opioid overdose quickly. Naloxone can restore "
            "normal breathing in a person whose breathing has slowed or stopped because of opioids.",
            "Injectable naloxone is given as a shot into a muscle or under the skin. Trained responders and health "
            "care providers often give injectable naloxone.",
        ],
    },
    "cdc_naloxona_es.html": {
        "args": ("https://www.cdc.gov/spanish/placeholder.html", "CDC", "es"),
        "front": {
            "id": "naloxona-un-medicamento-que-salva-vidas-es",
            "title": "Naloxona: un medicamento que salva vidas",
            "url": CDC_ES_URL,
            "publisher": "CDC",
        },
        "headings": ["Qué hace la naloxona", "Cómo se consigue la naloxona"],
        "lines": [
            "La naloxona en atomizador nasal se vende sin receta en farmacias de todo el país. Muchos departamentos "
            "de salud y organizaciones comunitarias regalan naloxona a quien la pida."
        ],
    },
}


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def _split(document: str) -> tuple[dict[str, object], str]:
    assert document.startswith("---\n")
    front, body = document[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta, body


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_becomes_a_draft_with_headings_and_body_only(name: str) -> None:
    expected = EXPECTED[name]
    url, publisher, language = expected["args"]
    document = page_to_document(_page(name), url, publisher, language, today=TODAY)
    meta, body = _split(document)
    for key, value in expected["front"].items():
        assert meta[key] == value, key
    assert meta["language"] == language
    assert meta["last_reviewed"] == TODAY
    assert meta["topics"] == []
    assert "own words" in document.split("\n---\n", 1)[0]
    lines = body.strip().splitlines()
    assert lines[0] == f"# {expected['front']['title']}"
    assert [line[3:] for line in lines if line.startswith("## ")] == expected["headings"]
    for line in expected["lines"]:
        assert line in lines
    for text in TEMPLATE_TEXT[name]:
        assert text not in body, text
    assert "<" not in body and "](" not in body and "**" not in body


def test_draft_parses_as_a_corpus_document(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(page_to_document(_page("samhsa_naloxone.html"), SAMHSA_URL, "SAMHSA", "en", today=TODAY))
    doc = read_document(path)
    assert doc.id == "naloxone"
    assert doc.title_line == "Naloxone"
    assert [s.heading for s in doc.sections] == EXPECTED["samhsa_naloxone.html"]["headings"]
    assert all(s.text for s in doc.sections)


def test_page_without_canonical_uses_the_given_url() -> None:
    html = _page("cdc_naloxone.html").replace('rel="canonical"', 'rel="stylesheet"').replace("og:url", "og:none")
    given = "https://www.cdc.gov/stop-overdose/caring/naloxone-given.html"
    meta, _ = _split(page_to_document(html, given, "CDC", "en", today=TODAY))
    assert meta["url"] == given


def test_relative_and_http_canonicals_become_https_page_addresses() -> None:
    html = _page("cdc_naloxone.html").replace(f'href="{CDC_URL}"', 'href="/stop-overdose/caring/naloxone.html"')
    meta, _ = _split(page_to_document(html, "https://www.cdc.gov/other.html", "CDC", "en", today=TODAY))
    assert meta["url"] == CDC_URL
    old = _page("cdc_naloxone.html").replace(f'href="{CDC_URL}"', 'href="http://www.cdc.gov/naloxone/index.html"')
    meta, _ = _split(page_to_document(old, CDC_URL, "CDC", "en", today=TODAY))
    assert meta["url"] == "https://www.cdc.gov/naloxone/index.html"


def test_title_falls_back_to_og_title_then_title_tag() -> None:
    html = _page("cdc_naloxone.html").replace('<h1 id="page-title">Lifesaving Naloxone</h1>', "")
    meta, body = _split(page_to_document(html, CDC_URL, "CDC", "en", today=TODAY))
    assert meta["title"] == "Lifesaving Naloxone"
    no_og = html.replace('property="og:title"', 'property="og:other"')
    meta, _ = _split(page_to_document(no_og, CDC_URL, "CDC", "en", today=TODAY))
    assert meta["title"] == "Lifesaving Naloxone"
    assert "## What naloxone does" in body


def test_today_is_the_default_review_date() -> None:
    meta, _ = _split(page_to_document(_page("cdc_naloxone.html"), CDC_URL, "CDC", "en"))
    assert meta["last_reviewed"] == dt.date.today()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://example.com/naloxone", "--url host example.com is not one of cdc.gov, samhsa.gov"),
        ("https://cdc.gov.example.com/naloxone", "--url host cdc.gov.example.com is not one of"),
        ("http://www.cdc.gov/naloxone", "--url must be an https:// address"),
        ("naloxone.html", "--url must be an https:// address"),
    ],
)
def test_given_url_outside_the_allowed_domains_is_refused(url: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        page_to_document(_page("cdc_naloxone.html"), url, "CDC", "en")


def test_page_whose_canonical_is_elsewhere_is_refused() -> None:
    html = _page("cdc_naloxone.html").replace(f'href="{CDC_URL}"', 'href="https://mirror.example.org/naloxone"')
    with pytest.raises(CorpusError, match=r"the page's own address .* host mirror.example.org is not one of"):
        page_to_document(html, CDC_URL, "CDC", "en")


@pytest.mark.parametrize(
    ("publisher", "language", "message"),
    [
        ("SAMHSA", "en", "--publisher SAMHSA does not match www.cdc.gov"),
        ("NIH", "en", "publisher must be one of CDC, SAMHSA, got 'NIH'"),
        ("CDC", "fr", "language must be one of en, es, got 'fr'"),
    ],
)
def test_bad_publisher_or_language_is_refused(publisher: str, language: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        page_to_document(_page("cdc_naloxone.html"), CDC_URL, publisher, language)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("", "not an HTML page"),
        ("   \n", "not an HTML page"),
        (
            "<html><body><nav><a href='/'>Home</a></nav><footer>Contact Us</footer></body></html>",
            "no main content found",
        ),
    ],
)
def test_page_without_content_is_refused(html: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        page_to_document(html, CDC_URL, "CDC", "en")


def _invoke(args: list[str], corpus: Path | None = None) -> tuple[int, str, str]:
    env = {"BOT_CORPUS_DIR": str(corpus)} if corpus else {}
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "url", "publisher", "language", "folder"),
    [
        ("cdc_naloxone.html", CDC_URL, "CDC", "en", "en"),
        ("samhsa_naloxone.html", SAMHSA_URL, "SAMHSA", "en", "en"),
        ("cdc_naloxona_es.html", CDC_ES_URL, "CDC", "es", "es"),
    ],
)
def test_cli_writes_a_draft_that_passes_the_check_once_topics_are_filled(
    tmp_path: Path, name: str, url: str, publisher: str, language: str, folder: str
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / folder).mkdir(parents=True)
    out = corpus / folder / "draft.md"
    args = ["ingest", str(PAGES / name), "--url", url, "--publisher", publisher, "--language", language]
    code, stdout, stderr = _invoke([*args, "--out", str(out)])
    assert code == 0, stderr
    assert f"wrote {out}" in stderr
    assert stdout == ""

    code, stdout, _ = _invoke(["corpus", "check"], corpus)
    assert code == 1
    assert stdout.splitlines() == [f"{out}:11: missing required field 'topics'"]

    out.write_text(out.read_text().replace("topics: []", "topics: [naloxone]"))
    code, stdout, _ = _invoke(["corpus", "check"], corpus)
    assert (code, stdout) == (0, "corpus OK\n")


def test_cli_prints_the_draft_without_out() -> None:
    args = ["ingest", str(PAGES / "cdc_naloxone.html"), "--url", CDC_URL, "--publisher", "CDC"]
    code, stdout, _ = _invoke(args)
    assert code == 0
    assert stdout.startswith("---\nid: lifesaving-naloxone\n")
    assert "## What naloxone does" in stdout


def test_cli_reports_a_bad_url_without_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "draft.md"
    args = ["ingest", str(PAGES / "cdc_naloxone.html"), "--url", "https://example.com/x", "--publisher", "CDC"]
    code, _, stderr = _invoke([*args, "--out", str(out)])
    assert code == 1
    assert stderr.startswith("Error: --url host example.com is not one of")
    assert "Traceback" not in stderr
    assert not out.exists()
