"""`hrbot`: build the index, ask questions, check the corpus, run evaluations and serve HTTP.

Heavy libraries are imported inside each command, so `hrbot --help` stays fast.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.config import Settings, settings_problem

if TYPE_CHECKING:
    from bot.service import Bot
from bot.vocab import CHANNELS, DEFAULT_CHANNEL, DEFAULT_LANGUAGE, LANGUAGES


def _settings() -> Settings:
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as e:
        raise click.ClickException(settings_problem(e)) from e


def _setup_logging(settings: Settings) -> None:
    from bot.logging import configure_logging

    configure_logging(settings.log_level)


def _load_bot(settings: Settings) -> Bot:
    from bot.loader import load_bot
    from bot.search.index import limit_search_threads

    limit_search_threads()
    return load_bot(settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hrbot")
def cli() -> None:
    """Harm-reduction answers from CDC and SAMHSA pages, each sentence cited."""


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild even if the index is up to date.")
def build(force: bool) -> None:
    """Build the index from corpus/ and print what was built."""
    from bot import loader
    from bot.errors import BotError

    settings = _settings()
    _setup_logging(settings)
    try:
        report, trained = loader.build(settings, force=force)
    except BotError as e:
        raise click.ClickException(str(e)) from e
    if report.skipped:
        click.echo(f"index is up to date: {report.documents} documents, {report.passages} passages ({report.path})")
    else:
        click.echo(
            f"built {report.documents} documents, {report.passages} passages, {report.sentences} sentences "
            f"in {report.seconds:.1f}s ({report.embedded} texts embedded, {report.reused} reused) -> {report.path}"
        )
    if trained.report is None:
        click.echo(f"triage classifier is up to date: {trained.examples} training messages ({trained.path})")
        return
    recall = ", ".join(f"{kind} {share:.0%}" for kind, share in trained.report.recall.items())
    click.echo(
        f"trained the triage classifier on {trained.examples} messages in {trained.seconds:.1f}s "
        f"(5-fold recall: {recall}) -> {trained.path}"
    )


@cli.command()
@click.argument("question")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default=None, help="Answer language.")
@click.option("--channel", type=click.Choice(CHANNELS), default=DEFAULT_CHANNEL, help="Length budget.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON reply.")
def ask(question: str, language: str | None, channel: str, as_json: bool) -> None:
    """Answer one QUESTION, as the API would."""
    from bot.errors import BotError

    settings = _settings()
    _setup_logging(settings)
    try:
        bot = _load_bot(settings)
        reply = bot.answer(question, language, channel)
    except BotError as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        from bot.api.schemas import reply_body

        click.echo(json.dumps(reply_body(reply), ensure_ascii=False, indent=2))
        return
    click.echo(f"[{reply.kind}]")
    # Each line of the answer (a card's list items) wraps on its own.
    for line in reply.answer.splitlines():
        indent = "  " if line.startswith("- ") else ""
        click.echo(textwrap.fill(line, width=100, subsequent_indent=indent))
    for c in reply.citations:
        click.echo(f"  [{c.id}] {c.source.title} ({c.source.publisher}, reviewed {c.source.last_reviewed})")
        click.echo(f"      {c.source.url}")


@cli.command()
@click.argument("message")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default=None, help="Message language.")
def triage(message: str, language: str | None) -> None:
    """Show how MESSAGE is triaged: the kind, the layer that decided, and the scores of each piece."""
    from bot.errors import BotError
    from bot.lang import detect_language
    from bot.lexicon import expand
    from bot.triage.decide import decide
    from bot.triage.explain import explain
    from bot.triage.normalise import normalise

    settings = _settings()
    _setup_logging(settings)
    text = normalise(message.strip())
    if not text:
        raise click.ClickException("message must not be empty")
    try:
        bot = _load_bot(settings)
        lang = language or detect_language(text)
        vector = bot.vector(expand(text, lang))
        texts, scores = bot.triage_scores(text, lang, vector)
        thresholds = bot.classifier.thresholds if bot.classifier is not None else None
        decision = bot.settled(text, lang, decide(text, scores, thresholds), vector)
    except BotError as e:
        raise click.ClickException(str(e)) from e
    click.echo(explain(decision, texts, scores, thresholds, text != message.strip()))


@cli.group()
def corpus() -> None:
    """Check and describe the corpus."""


@corpus.command("check")
@click.option(
    "--no-grounding", is_flag=True, help="Skip the check that each card sentence is supported (needs no model)."
)
def corpus_check(no_grounding: bool) -> None:
    """Validate every document and answer card; exit 1 with file:line: reason per problem."""
    from bot.corpus.check import check_corpus

    settings = _settings()
    embed = None
    if not no_grounding:
        from bot.errors import EncoderUnavailableError
        from bot.loader import corpus_embedder

        try:
            embed = corpus_embedder(settings)
        except EncoderUnavailableError as e:
            click.echo(f"error: cannot check that card sentences are supported: {e} (or pass --no-grounding)", err=True)
            sys.exit(2)
    problems = check_corpus(settings.corpus_dir, embed)
    for p in problems:
        click.echo(str(p))
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo("corpus OK" if embed is not None else "corpus OK (card grounding not checked)")


@corpus.command("stats")
@click.option("--stale-days", default=365, show_default=True, help="Review age that counts as due.")
def corpus_stats(stale_days: int) -> None:
    """Documents by publisher, language and topic; sentences; reading grade; documents due for review."""
    from bot.corpus.stats import format_stats, gather_stats

    settings = _settings()
    click.echo(format_stats(gather_stats(settings.corpus_dir, stale_days)))


@cli.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--show", default=30, show_default=True, help="How many failures to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--sample", default=10, show_default=True, help="How many answers to print in full for reading.")
def eval_cmd(path: Path, show: int, as_json: bool, sample: int) -> None:
    """Run an evaluation set (JSON Lines) and print pass rates by kind and language, then failures."""
    from bot.errors import BotError
    from bot.evaluate import format_report, load_cases, run_cases

    settings = _settings()
    _setup_logging(settings)
    try:
        cases = load_cases(path)
        bot = _load_bot(settings)
        results = run_cases(bot, cases)
    except (BotError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1))
    else:
        click.echo(format_report(results, show, sample))


@cli.command()
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The page's canonical URL (used if the page names none).")
@click.option("--publisher", required=True, type=click.Choice(["CDC", "SAMHSA"]))
@click.option("--language", type=click.Choice(LANGUAGES), default=DEFAULT_LANGUAGE, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here.")
def ingest(page: Path, url: str, publisher: str, language: str, out: Path | None) -> None:
    """Turn a saved CDC or SAMHSA web PAGE into a corpus document draft."""
    from bot.errors import BotError

    try:
        from bot.corpus.ingest import page_to_document
    except ImportError as e:
        # trafilatura is in the build extra: a serving-only install has no need of it.
        raise click.ClickException(f"hrbot ingest needs the build extra ({e.name}): pip install '.[build]'") from e

    try:
        document = page_to_document(page.read_text(encoding="utf-8", errors="replace"), url, publisher, language)
    except BotError as e:
        raise click.ClickException(str(e)) from e
    if out is None:
        click.echo(document, nl=False)
    else:
        out.write_text(document, encoding="utf-8")
        click.echo(f"wrote {out}; rewrite it in your own words, then run 'hrbot corpus check'", err=True)


@cli.command()
@click.option("--host", default=None, help="Address to bind (default BOT_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default BOT_PORT, 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Serve HTTP; builds the index first if it is missing or stale (BOT_AUTO_BUILD=false turns that off)."""
    import os

    import uvicorn

    from bot.api.protocol import with_read_timeout

    # The app factory reads its settings from the environment; serving from the command line builds a missing
    # or stale index unless the operator said otherwise.
    os.environ.setdefault("BOT_AUTO_BUILD", "true")

    settings = _settings()
    _setup_logging(settings)
    uvicorn.run(
        "bot.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        access_log=False,
        log_config=None,
        timeout_keep_alive=30,
        # A request must arrive whole within BOT_REQUEST_TIMEOUT seconds (bot/api/protocol.py).
        http=with_read_timeout(settings.request_timeout),
        # Forwarded headers are trusted only as BOT_TRUSTED_PROXIES says (bot/ratelimit.py), not by uvicorn.
        proxy_headers=False,
    )


@cli.group()
def report() -> None:
    """Reports for corpus curators."""


@report.command("unanswered")
@click.option("--days", default=30, show_default=True, help="How far back to look.")
def report_unanswered(days: int) -> None:
    """Questions the service could not answer (only with BOT_LOG_UNANSWERED=true), grouped."""
    from bot.state import open_store

    settings = _settings()
    rows: list[dict[str, Any]] = open_store(settings).unanswered(days)
    if not rows:
        click.echo("no unanswered questions recorded")
        return
    for row in rows:
        click.echo(f"{row['count']:4d}  {row['kind']:<12} {row['language']}  {row['question']}")


def main() -> None:
    """Entry point for the `hrbot` console script."""
    cli(prog_name="hrbot")
