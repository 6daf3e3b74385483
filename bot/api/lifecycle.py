"""The app's life: the lifespan fills `app.state` once, and a reload swaps the bot without downtime.

`app.state` holds the settings, the bot (None until loaded, with `load_error` saying why), the store, the rate
limiter, the SMS dialogue and its answer pool, the cards pages and what a reload needs. Nothing else writes it;
a reload replaces `app.state.bot` in one assignment, so requests already running finish on the bot they started.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from bot import metrics
from bot.api.schemas import reply_body
from bot.channels.sms.dialogue import Dialogue
from bot.channels.web.cards import CardPages, Linker
from bot.channels.web.offline import OfflineBundles
from bot.config import Settings, settings_env
from bot.errors import BotError
from bot.loader import build_needed, last_classifier, load_bot
from bot.ratelimit import RateLimiter
from bot.search.index import limit_search_threads
from bot.service import Bot
from bot.shortlinks import links_for
from bot.standby import Standby
from bot.state import open_store
from bot.state.store import Store

logger = logging.getLogger(__name__)

# SMS answers waiting on the model at once; more wait in line, and each gets the safe text at BOT_SMS_TIMEOUT.
SMS_WORKERS = 8


def lifespan(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan for these settings."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        state = app.state
        state.settings = settings
        state.bot = None
        state.load_error = None
        # While no bot is loaded, emergencies, crises and refusals are answered by the standby responder.
        state.standby = Standby(last_classifier(settings))
        state.building = None
        state.build_tasks = set()
        state.reload_lock = asyncio.Lock()
        state.reload_tasks = set()
        state.limiter = RateLimiter(settings)
        # The channels read the store from here (SMS sessions, opt-outs, dedupe); feedback and analytics too.
        state.store = await run_in_threadpool(open_store, settings)
        state.sms_pool = ThreadPoolExecutor(max_workers=SMS_WORKERS, thread_name_prefix="sms-answer")
        state.sms = Dialogue(settings, state.store, state.limiter, state.sms_pool, state.standby)
        state.cards = CardPages(settings.public_url, lambda bot: _linker(bot, settings.public_url))
        state.offline = OfflineBundles(reply_body)
        try:
            reason = await run_in_threadpool(build_needed, settings)
            if reason is None:
                await run_in_threadpool(_load, app, settings)
            else:
                # Serve at once: the build runs in a child process (the serving process never loads torch) and
                # the bot is loaded when it ends; until then /readyz says so and the standby answers.
                task = asyncio.create_task(_build_then_load(app, settings, reason))
                state.build_tasks.add(task)
                task.add_done_callback(state.build_tasks.discard)
            install_sighup(app)
            yield
        finally:
            for task in list(state.build_tasks):
                task.cancel()
            # A stuck answer must not hold up shutdown; its sender already got the safe text.
            state.sms_pool.shutdown(wait=False, cancel_futures=True)

    return run


def _load(app: FastAPI, settings: Settings) -> None:
    limit_search_threads()
    try:
        attach(app, load_bot(settings))
    except BotError as e:
        app.state.load_error = str(e)
        logger.error("index not loaded", extra={"error": str(e)})
        raise
    # Loading leaves many long-lived objects; freezing them keeps full collections from pausing requests.
    gc.collect()
    gc.freeze()


async def _build_then_load(app: FastAPI, settings: Settings, reason: str) -> None:
    state = app.state
    state.building = {"reason": reason, "started": time.time()}
    logger.warning("building the index before loading it", extra={"reason": reason})
    env = {**os.environ, **settings_env(settings)}
    try:
        child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "build", env=env)
        code = await child.wait()
    except asyncio.CancelledError:
        if "child" in locals() and child.returncode is None:
            child.terminate()
        raise
    except OSError as e:
        code = -1
        logger.error("could not start the index build", extra={"error": str(e)})
    state.building = None
    if code != 0:
        state.load_error = f"the index build failed (exit code {code}); see the log, then run 'hrbot build'"
        logger.error("index build failed", extra={"exit_code": code})
        return
    try:
        await run_in_threadpool(_load, app, settings.model_copy(update={"auto_build": False}))
    except BotError:
        return


def attach(app: FastAPI, bot: Bot) -> None:
    """Make `bot` the one serving: hook the unanswered-question log to the store and publish its gauges."""
    store: Store | None = getattr(app.state, "store", None)
    if store is not None:
        bot.unanswered_sink = store.record_unanswered
    metrics.set_index(bot.index.manifest, bot.degraded)
    app.state.bot = bot


async def reload_bot(app: FastAPI) -> Bot:
    """Load the live index again and swap it in; the old bot serves until the new one is ready.

    Raises:
        BotError: the new index or model cannot be loaded; the old bot keeps serving.
    """
    lock: asyncio.Lock = app.state.reload_lock
    async with lock:
        old: Bot | None = app.state.bot
        # Reuse the loaded model: a reload is about a new index, and loading the model twice doubles memory.
        encoder = old.encoder if old is not None else None
        try:
            bot = await run_in_threadpool(load_bot, app.state.settings, encoder)
        except BotError:
            metrics.RELOADS.labels("failed").inc()
            raise
        attach(app, bot)
        metrics.RELOADS.labels("ok").inc()
        logger.info("index reloaded", extra={"built_at": bot.index.manifest.get("built_at")})
        return bot


def install_sighup(app: FastAPI) -> bool:
    """Reload on SIGHUP; False where signals cannot be handled here (not the main thread, or no SIGHUP)."""
    loop = asyncio.get_running_loop()
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:
        return False

    def on_hup() -> None:
        task = loop.create_task(_reload_logged(app))
        app.state.reload_tasks.add(task)
        task.add_done_callback(app.state.reload_tasks.discard)

    try:
        loop.add_signal_handler(sighup, on_hup)
    except (RuntimeError, ValueError, NotImplementedError):
        return False
    return True


async def _reload_logged(app: FastAPI) -> None:
    try:
        await reload_bot(app)
    except BotError as e:
        logger.error("reload failed; the previous index keeps serving", extra={"error": str(e)})


def _linker(bot: Bot, public_url: str) -> Linker:
    links = links_for(bot)
    return lambda url: links.link(url, public_url)
