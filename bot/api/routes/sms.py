"""The Twilio SMS webhook: signed requests in, TwiML out (the dialogue itself is `bot.channels.sms`)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from twilio.request_validator import RequestValidator

from bot.api.deps import DialogueDep, MaybeBotDep, SettingsDep
from bot.channels.sms.twiml import FALLBACK_TEXT, twiml

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/sms", tags=["sms"])


async def verified_form(request: Request, settings: SettingsDep) -> dict[str, str]:
    """The posted form, once `X-Twilio-Signature` is proved valid over `BOT_PUBLIC_URL` + path; else 403.

    The URL is rebuilt from `BOT_PUBLIC_URL`, not from the request, so validation holds behind a TLS proxy.
    """
    form = await request.form()
    params = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    signature = request.headers.get("X-Twilio-Signature", "")
    url = settings.public_url.rstrip("/") + request.url.path
    if request.url.query:
        url += f"?{request.url.query}"
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    if not signature or not validator.validate(url, params, signature):
        logger.warning("sms signature rejected", extra={"reason": "missing" if not signature else "invalid"})
        raise HTTPException(status_code=403, detail="invalid or missing X-Twilio-Signature")
    return params


FormDep = Annotated[dict[str, str], Depends(verified_form)]


def _xml(text: str) -> Response:
    return Response(text, media_type="text/xml")


@router.post("/twilio", response_class=Response, responses={200: {"content": {"text/xml": {}}}, 403: {}})
def sms_twilio(form: FormDep, dialogue: DialogueDep, bot: MaybeBotDep) -> Response:
    """Twilio's inbound-message webhook: answers in TwiML within Twilio's 15-second limit."""
    return _xml(dialogue.reply(form, bot))


@router.get("/fallback", response_class=Response, responses={200: {"content": {"text/xml": {}}}})
def sms_fallback_get() -> Response:
    """Fixed emergency guidance for Twilio's Fallback URL; needs no index, model or store."""
    return _xml(twiml(FALLBACK_TEXT))


@router.post("/fallback", response_class=Response, responses={200: {"content": {"text/xml": {}}}})
def sms_fallback() -> Response:
    """Fixed emergency guidance for Twilio's Fallback URL (POST, as Twilio calls it)."""
    return _xml(twiml(FALLBACK_TEXT))
