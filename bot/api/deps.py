"""FastAPI dependencies: the settings and the loaded bot, as `Annotated` aliases for routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from bot.config import Settings, get_settings
from bot.service import Bot


def get_bot(request: Request) -> Bot:
    """The bot loaded by the lifespan; 503 while it is not ready."""
    bot: Bot | None = getattr(request.app.state, "bot", None)
    if bot is None:
        raise HTTPException(
            status_code=503, detail="the service is starting or the index failed to load", headers={"Retry-After": "5"}
        )
    return bot


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
BotDep = Annotated[Bot, Depends(get_bot)]
