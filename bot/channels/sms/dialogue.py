"""The Twilio SMS webhook: signed requests in, TwiML out; keywords, opt-outs, MORE, retries and sessions."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.api.deps import SettingsDep
from bot.channels.sms.gsm import normalize, segment_count, short_link, split_parts
from bot.config import Settings
from bot.errors import InputError
from bot.privacy import sender_key
from bot.ratelimit import RateLimiter, limiter_from_state
from bot.service import Bot, fallback_reply, is_urgent
from bot.state import open_store
from bot.state.store import Store

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/sms", tags=["sms"])

# Twilio caps an inbound body at 1,600 characters; anything longer is not a real message.
MAX_BODY = 1600
_KEYWORDS = {
    **dict.fromkeys(("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"), "stop"),
    **dict.fromkeys(("START", "UNSTOP", "YES"), "start"),
    **dict.fromkeys(("HELP", "INFO"), "help"),
    "AYUDA": "ayuda",
    **dict.fromkeys(("MORE", "MAS"), "more"),
    "ESPANOL": "es",
    "ENGLISH": "en",
}
_TEXTS = {
    ("help", "en"): "Harm-reduction answers from CDC and SAMHSA pages. Not an emergency service: call 911. "
    "Crisis: call or text 988. Treatment and support: SAMHSA Helpline 1-800-662-4357 (free, 24/7). "
    "Reply STOP to opt out, MORE for more of an answer, ESPANOL for Spanish.",
    ("help", "es"): "Respuestas de reducción de daños de páginas de los CDC y SAMHSA. No es un servicio de "
    "emergencia: llame al 911. Crisis: llame o envíe un texto al 988. Tratamiento y apoyo: Línea de Ayuda de "
    "SAMHSA 1-800-662-4357 (gratis, 24/7). Responda STOP para no recibir más, MAS para seguir, ENGLISH para inglés.",
    ("start", "en"): "You will get replies again. Send a question any time. Reply HELP for info, STOP to opt out. "
    "Emergency: call 911.",
    ("start", "es"): "Volverá a recibir respuestas. Envíe una pregunta cuando quiera. Responda AYUDA para "
    "información, STOP para no recibir más. Emergencia: llame al 911.",
    ("no_more", "en"): "That was the whole answer. Send a new question any time. Emergency: call 911.",
    ("no_more", "es"): "Esa fue toda la respuesta. Envíe otra pregunta cuando quiera. Emergencia: llame al 911.",
    ("lang", "en"): "OK, I will answer in English. Send your question. Emergency: call 911.",
    ("lang", "es"): "De acuerdo, responderé en español. Envíe su pregunta. Emergencia: llame al 911.",
    ("hint", "en"): "(Reply MORE for more)",
    ("hint", "es"): "(Responda MAS para seguir)",
    ("too_long", "en"): "Please send a shorter question (up to 1,000 characters). If someone may be overdosing, "
    "call 911 now. Crisis: call or text 988.",
    ("too_long", "es"): "Envíe una pregunta más corta (hasta 1,000 caracteres). Si alguien puede tener una "
    "sobredosis, llame al 911 ahora. Crisis: llame o envíe un texto al 988.",
    ("slow", "en"): "You have sent many messages in a short time. Please wait a minute and try again. "
    "If someone may be overdosing, call 911 now and give naloxone (Narcan). Crisis: call or text 988.",
    ("slow", "es"): "Envió muchos mensajes en poco tiempo. Espere un minuto y vuelva a intentarlo. Si alguien "
    "puede tener una sobredosis, llame al 911 ahora y dele naloxona (Narcan). Crisis: llame o envíe un texto al 988.",
    ("empty", "en"): "Please send your question as a text message. If someone may be overdosing, call 911 now. "
    "Crisis: call or text 988.",
    ("empty", "es"): "Envíe su pregunta como mensaje de texto. Si alguien puede tener una sobredosis, llame al "
    "911 ahora. Crisis: llame o envíe un texto al 988.",
}
# For Twilio's Fallback URL: both languages, no index or model needed; fits in three GSM-7 segments.
FALLBACK_TEXT = normalize(
    "If someone may be overdosing, call 911 now and give naloxone (Narcan). Crisis: call or text 988. "
    "SAMHSA Helpline: 1-800-662-4357.\n"
    "Si alguien puede tener una sobredosis, llame al 911 ahora y dele naloxona (Narcan). Crisis: llame o "
    "envíe un texto al 988. Línea de SAMHSA: 1-800-662-4357."
)
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="sms-answer")
_STORE_LOCK = threading.Lock()


def get_store(request: Request, settings: SettingsDep) -> Store:
    """The app's store; opened here and kept on `app.state` when the lifespan has not set one."""
    store: Store | None = getattr(request.app.state, "store", None)
    if store is None:
        with _STORE_LOCK:
            store = getattr(request.app.state, "store", None)
            if store is None:
                store = open_store(settings)
                request.app.state.store = store
    return store


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


StoreDep = Annotated[Store, Depends(get_store)]
FormDep = Annotated[dict[str, str], Depends(verified_form)]


def twiml(text: str | None) -> str:
    """A TwiML reply with one message, or an empty `<Response/>` when `text` is None."""
    response = MessagingResponse()
    if text is not None:
        response.message(text)
    return str(response)


def keyword(body: str) -> str | None:
    """The keyword a single-word message stands for (any case, accents and punctuation ignored), else None."""
    words = re.sub(r"[\W_]+", " ", body).split()
    if len(words) != 1:
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", words[0]) if not unicodedata.combining(c))
    return _KEYWORDS.get(plain.upper())


def _text(key: str, lang: str) -> str:
    return normalize(_TEXTS[(key, lang if (key, lang) in _TEXTS else "en")])


@dataclass
class _Turn:
    """One inbound message and what is known of its sender so far."""

    key: str
    body: str
    lang: str = "en"


def _xml(text: str | None) -> Response:
    return Response(text if text is not None else twiml(None), media_type="text/xml")


@router.post("/twilio", response_class=Response, responses={200: {"content": {"text/xml": {}}}, 403: {}})
def sms_twilio(form: FormDep, request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """Twilio's inbound-message webhook: answers in TwiML within Twilio's 15-second limit."""
    secret = settings.hash_secret.get_secret_value()
    turn = _Turn(sender_key(secret, form.get("From", "")), form.get("Body", ""))
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    try:
        if sid:
            first, saved = store.claim_message(sid)
            if not first:
                logger.info("sms retry answered from store", extra={"saved": saved is not None})
                # No saved reply means the first delivery never finished; Twilio discarded it, so send safe text.
                return _xml(saved or twiml(normalize(fallback_reply(turn.lang).answer)))
        limiter = limiter_from_state(request.app.state, settings)
        xml = _respond(turn, getattr(request.app.state, "bot", None), store, settings, limiter)
        if sid:
            store.save_message_reply(sid, xml)
    except Exception:  # noqa: BLE001 - the SMS channel's one catch-all: the sender always gets safe text
        logger.exception("sms reply failed")
        xml = twiml(normalize(fallback_reply(turn.lang).answer))
    return _xml(xml)


def _respond(turn: _Turn, bot: Bot | None, store: Store, settings: Settings, limiter: RateLimiter) -> str:
    session: dict[str, Any] = store.get_session(turn.key) or {}
    chosen: str | None = session.get("lang")
    turn.lang = chosen or "en"
    kw = keyword(turn.body) if len(turn.body) <= MAX_BODY else None
    if store.is_opted_out(turn.key) and kw != "start":
        logger.info("sms from opted-out sender ignored")
        return twiml(None)
    logger.info("sms received", extra={"keyword": kw, "chars": len(turn.body)})
    if kw == "stop":
        store.set_opted_out(turn.key, True)
        store.save_session(turn.key, {"lang": chosen}, settings.session_ttl)
        return twiml(None)
    if kw == "start":
        store.set_opted_out(turn.key, False)
        return twiml(_text("start", turn.lang))
    if kw in ("help", "ayuda"):
        return twiml(_text("help", "es" if kw == "ayuda" else turn.lang))
    if kw in ("en", "es"):
        store.save_session(turn.key, {"lang": kw, "more": []}, settings.session_ttl)
        return twiml(_text("lang", kw))
    if kw == "more":
        more: list[str] = list(session.get("more") or [])
        if not more:
            return twiml(_text("no_more", turn.lang))
        store.save_session(turn.key, {**session, "more": more[1:]}, settings.session_ttl)
        return twiml(more[0])
    # Keywords always work; a question over the sender's limit waits, unless it reads as an emergency or crisis.
    if not limiter.check_sms(turn.key).allowed and not is_urgent(turn.body):
        logger.info("sms sender over the rate limit")
        return twiml(_text("slow", turn.lang))
    parts = _answer(turn, bot, chosen, settings)
    store.save_session(turn.key, {"lang": chosen, "more": parts[1:]}, settings.session_ttl)
    return twiml(parts[0])


def _answer(turn: _Turn, bot: Bot | None, chosen: str | None, settings: Settings) -> list[str]:
    """The reply split into messages of at most three segments; the first is sent, the rest wait for MORE."""
    if len(turn.body) > MAX_BODY:
        return [_text("too_long", turn.lang)]
    if not turn.body.strip():
        return [_text("empty", turn.lang)]
    if bot is None:
        logger.warning("sms answered with fallback: the bot is not loaded")
        return [normalize(fallback_reply(turn.lang).answer)]
    try:
        reply = _POOL.submit(bot.answer, turn.body, chosen, "sms").result(timeout=settings.sms_timeout)
    except InputError:
        return [_text("too_long", turn.lang)]
    except FutureTimeout:
        logger.warning("sms answer timed out", extra={"timeout": settings.sms_timeout})
        return [normalize(fallback_reply(turn.lang).answer)]
    turn.lang = reply.language
    links = {c.id: short_link(c.source.url) for c in reply.citations}
    parts = split_parts(reply.answer, links, _text("hint", reply.language))
    logger.info("sms answered", extra={"kind": reply.kind, "parts": len(parts), "segments": segment_count(parts[0])})
    return parts


@router.get("/fallback", response_class=Response, responses={200: {"content": {"text/xml": {}}}})
def sms_fallback_get() -> Response:
    """Fixed emergency guidance for Twilio's Fallback URL; needs no index, model or store."""
    return _xml(twiml(FALLBACK_TEXT))


@router.post("/fallback", response_class=Response, responses={200: {"content": {"text/xml": {}}}})
def sms_fallback() -> Response:
    """Fixed emergency guidance for Twilio's Fallback URL (POST, as Twilio calls it)."""
    return _xml(twiml(FALLBACK_TEXT))
