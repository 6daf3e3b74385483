"""Turn a saved CDC or SAMHSA web page into a corpus document draft: front matter plus the page's main content.

The draft keeps the page's headings and prose and drops its template (government banner, site header, navigation,
breadcrumbs, "On this page" boxes, sidebars, source lists, footers). It is a starting point only: the curation
policy asks curators to restate each page in their own words before it joins the corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlparse

import yaml

from bot.corpus.sources import PUBLISHERS, url_problem
from bot.errors import CorpusError
from bot.text import fold
from bot.vocab import LANGUAGES

# Template parts of the CDC (2024 template) and SAMHSA (Drupal, USWDS) pages, matched on class and id.
_BOILERPLATE = re.compile(
    r"usa-banner|gov-banner|breadcrumb|on-this-page|onthispage|left-nav|sidenav|sidebar|side-nav|footer|"
    r"skippy|skipnav|skip-link|last-reviewed|last-updated|page-source|social|share-|feedback|page-survey|"
    r"usa-alert|region-highlighted|cdc-header|usa-header|usa-identifier",
    re.IGNORECASE,
)
_ALWAYS_DROP = ("script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button", "iframe", "svg")
# Sections that list links or references rather than say something to restate (English and Spanish headings).
_DROP_HEADINGS = frozenset(
    fold(h)
    for h in (
        "Sources",
        "Source",
        "References",
        "Related pages",
        "Related links",
        "Related resources",
        "Resources",
        "On this page",
        "In this section",
        "Keep reading",
        "Fuentes",
        "Fuente",
        "Referencias",
        "Páginas relacionadas",
        "Enlaces relacionados",
        "Recursos",
        "En esta página",
        "En esta sección",
        "Siga leyendo",
    )
)
_INTRO_HEADING = {"en": "Overview", "es": "Información general"}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


@dataclass
class _Section:
    heading: str
    level: int
    lines: list[str]


def page_to_document(html: str, url: str, publisher: str, language: str, *, today: dt.date | None = None) -> str:
    """Draft a corpus document from a saved CDC or SAMHSA page.

    Args:
        html: The saved page's HTML.
        url: The page's address, used when the page names no canonical address of its own.
        publisher: `CDC` or `SAMHSA`.
        language: `en` or `es`; Spanish ids get the `-es` suffix.
        today: The `last_reviewed` date (default: today).

    Returns:
        The Markdown document: front matter, `# title` and one `##` section per heading of the page.

    Raises:
        CorpusError: For a publisher, language or address the corpus does not allow, or a page with no main content.
    """
    if publisher not in PUBLISHERS:
        raise CorpusError(f"publisher must be one of {', '.join(PUBLISHERS)}, got {publisher!r}")
    if language not in LANGUAGES:
        raise CorpusError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    _require_allowed(url, "--url")
    tree = _load(html)
    page_url = _canonical_url(tree, url)
    title = _title(tree) or _title_from_url(page_url)
    _require_publisher_matches(publisher, page_url)
    sections = _sections(_main_markdown(tree), title, language)
    if not sections:
        raise CorpusError("no main content found in the page: save the complete page (HTML) and try again")
    return _render(title, page_url, publisher, language, today or dt.date.today(), sections)


def _require_allowed(url: str, what: str) -> None:
    problem = url_problem(url)
    if problem:
        raise CorpusError(f"{what} {problem}")


def _require_publisher_matches(publisher: str, url: str) -> None:
    host = (urlparse(url).hostname or "").lower()
    expected = "CDC" if host == "cdc.gov" or host.endswith(".cdc.gov") else "SAMHSA"
    if publisher != expected:
        raise CorpusError(
            f"--publisher {publisher} does not match {host}: cdc.gov pages are CDC's; "
            "samhsa.gov, findtreatment.gov and 988lifeline.org pages are SAMHSA's"
        )


def _load(html: str) -> Any:
    from trafilatura.utils import load_html

    tree = load_html(html) if html.strip() else None
    if tree is None or not tree.xpath("//body//*"):
        raise CorpusError("the file is not an HTML page (nothing to read in it)")
    return tree


def _first(tree: Any, xpath: str) -> str:
    for value in tree.xpath(xpath):
        text = " ".join(str(value).split())
        if text:
            return text
    return ""


def _canonical_url(tree: Any, given: str) -> str:
    found = _first(tree, "//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href") or _first(
        tree, "//meta[@property='og:url']/@content"
    )
    if not found:
        return given
    url = urljoin(given, found)
    parsed = urlparse(url)
    if parsed.scheme == "http" and url_problem(parsed._replace(scheme="https").geturl()) is None:
        # Older CDC pages still name http:// canonicals; the same page is served over https.
        url = parsed._replace(scheme="https").geturl()
    _require_allowed(url, "the page's own address (canonical link or og:url)")
    return url


def _title(tree: Any) -> str:
    h1 = tree.xpath("//main//h1 | //*[@role='main']//h1 | //article//h1 | //h1")
    for node in h1:
        text = " ".join(node.text_content().split())
        if text:
            return text
    og = _first(tree, "//meta[@property='og:title']/@content")
    if og:
        return og
    # "<title>Lifesaving Naloxone | Stop Overdose | CDC</title>": the first part names the page.
    return re.split(r"\s+[|–—-]\s+", _first(tree, "//title/text()"))[0].strip()


def _title_from_url(url: str) -> str:
    last = [p for p in urlparse(url).path.split("/") if p]
    stem = re.sub(r"\.\w+$", "", last[-1]) if last else "page"
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Page"


def _is_boilerplate(node: Any) -> bool:
    if node.tag in _ALWAYS_DROP:
        return True
    label = f"{node.get('class', '')} {node.get('id', '')} {node.get('role', '')}"
    if node.get("role") in ("navigation", "banner", "contentinfo", "search", "complementary"):
        return True
    if node.tag == "header" and not node.xpath("ancestor::main | ancestor::article"):
        return True
    if not _BOILERPLATE.search(label):
        return False
    # A wrapper whose classes sound like template ("has-sidebar") but that holds the main content stays.
    return node.tag != "main" and not node.xpath("self::*[@id='content' or @id='main-content'] | .//main | .//h1")


def _main_markdown(tree: Any) -> str:
    import trafilatura

    body = tree.find("body")
    if body is not None:
        doomed = [node for node in body.iter() if isinstance(node.tag, str) and _is_boilerplate(node)]
        for node in doomed:
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    text = trafilatura.extract(
        tree,
        output_format="markdown",
        include_formatting=True,
        include_links=False,
        include_images=False,
        include_tables=False,
        include_comments=False,
        favor_precision=True,
    )
    return str(text or "")


def _clean_inline(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text)
    return " ".join(text.replace("`", "").split())


def _sections(markdown: str, title: str, language: str) -> list[_Section]:
    sections: list[_Section] = [_Section(_INTRO_HEADING[language], 1, [])]
    parents: list[_Section] = []
    dropping: int | None = None
    seen_title = False
    for raw in markdown.splitlines():
        match = _HEADING.match(raw)
        if match:
            level, heading = len(match.group(1)), _clean_inline(match.group(2))
            if level == 1 and not seen_title and fold(heading) == fold(title):
                seen_title = True
                continue
            level = max(level, 2)
            if dropping is not None and level > dropping:
                continue
            dropping = None
            if fold(heading).rstrip(":") in _DROP_HEADINGS:
                dropping = level
                continue
            parents = [p for p in parents if p.level < level]
            # A heading whose section holds only subsections lends its words to each of them.
            last = sections[-1]
            if not last.lines and last.level < level and last.heading != _INTRO_HEADING[language]:
                parents.append(last)
            prefix = ": ".join(p.heading for p in parents)
            sections.append(_Section(f"{prefix}: {heading}" if prefix else heading, level, []))
            continue
        if dropping is not None or raw.lstrip().startswith("|"):
            continue
        line = _clean_inline(raw.lstrip("> "))
        if not line:
            continue
        bullet = _LIST_ITEM.match(raw)
        sections[-1].lines.append(f"- {_clean_inline(raw[bullet.end() :])}" if bullet else line)
    return [s for s in sections if s.lines]


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", fold(title)).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "page"


def _yaml_scalar(value: str) -> str:
    try:
        plain = yaml.safe_load(value) == value and "#" not in value
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def _render(title: str, url: str, publisher: str, language: str, today: dt.date, sections: list[_Section]) -> str:
    doc_id = _slug(title)
    if language == "es" and not doc_id.endswith("-es"):
        doc_id += "-es"
    out = [
        "---",
        f"id: {doc_id}",
        f"title: {_yaml_scalar(title)}",
        f"url: {url}",
        f"publisher: {publisher}",
        f"language: {language}",
        f"last_reviewed: {today.isoformat()}",
        "# DRAFT made from the saved page. Before this joins the corpus, rewrite every sentence in your own words",
        "# (keep the facts, figures and names), make each sentence name its subject, keep each section 40 to 150",
        "# words, fill in topics, delete these comment lines and run 'hrbot corpus check' (see corpus/README.md).",
        "topics: []  # short lowercase tags, e.g. [naloxone, overdose-response]",
        "---",
        "",
        f"# {title}",
    ]
    for section in sections:
        out += ["", f"## {section.heading}", *section.lines]
    return "\n".join(out) + "\n"
