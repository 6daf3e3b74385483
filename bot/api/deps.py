"""FastAPI dependencies: what the lifespan put on `app.state`, as `Annotated` aliases for routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from bot.channels.sms.dialogue import Dialogue
from bot.channels.web.cards import CardPages
from bot.channels.web.offline import OfflineBundles
from bot.config import Settings, get_settings
from bot.service import Bot
from bot.state.store import Store


def get_bot(request: Request) -> Bot:
    """The bot loaded by the lifespan; 503 while it is not ready."""
    bot: Bot | None = getattr(request.app.state, "bot", None)
    if bot is None:
        raise HTTPException(
            status_code=503, detail="the service is starting or the index failed to load", headers={"Retry-After": "5"}
        )
    return bot


def get_bot_if_loaded(request: Request) -> Bot | None:
    """The bot, or None while it is not loaded (for routes that answer safely without one)."""
    bot: Bot | None = getattr(request.app.state, "bot", None)
    return bot


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    return settings


def get_store(request: Request) -> Store | None:
    """The store the lifespan opened, or None before it has run."""
    store: Store | None = getattr(request.app.state, "store", None)
    return store


def get_dialogue(request: Request) -> Dialogue:
    """The SMS dialogue the lifespan set up."""
    dialogue: Dialogue = request.app.state.sms
    return dialogue


def get_cards(request: Request) -> CardPages:
    """The cards pages, rendered once per language."""
    cards: CardPages = request.app.state.cards
    return cards


def get_offline(request: Request) -> OfflineBundles:
    """The outreach page's saved answers, made once per serving bot."""
    bundles: OfflineBundles = request.app.state.offline
    return bundles


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
BotDep = Annotated[Bot, Depends(get_bot)]
MaybeBotDep = Annotated[Bot | None, Depends(get_bot_if_loaded)]
StoreDep = Annotated[Store | None, Depends(get_store)]
DialogueDep = Annotated[Dialogue, Depends(get_dialogue)]
CardsDep = Annotated[CardPages, Depends(get_cards)]
OfflineDep = Annotated[OfflineBundles, Depends(get_offline)]
