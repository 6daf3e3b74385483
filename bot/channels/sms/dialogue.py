"""The SMS dialogue, framework-free: one inbound message in, TwiML out.

Retried MessageSids get the reply already sent, keywords (`keywords.py`) act before anything else, opted-out
senders get nothing, a sender over the rate limit waits unless the message reads as urgent, and a long answer is
split into parts that MORE sends one by one. Citations are this service's short links (`bot.shortlinks`). Senders
are known only by an HMAC of their number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from bot.channels.sms.gsm import normalize, segment_count, split_parts
from bot.channels.sms.keywords import Action, Keyword, match
from bot.channels.sms.twiml import twiml
from bot.config import Settings
from bot.errors import InputError
from bot.lang import detect_language
from bot.privacy import sender_key
from bot.ratelimit import RateLimiter
from bot.service import Bot, fallback_reply, is_urgent
from bot.shortlinks import links_for
from bot.standby import Standby
from bot.state.store import Store
from bot.vocab import DEFAULT_LANGUAGE, MAX_SMS_BODY

logger = logging.getLogger(__name__)

_TEXTS = {
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


def _text(key: str, lang: str) -> str:
    return normalize(_TEXTS[(key, lang if (key, lang) in _TEXTS else DEFAULT_LANGUAGE)])


def _keyword_text(kw: Keyword, lang: str) -> str:
    return normalize(kw.texts.get(lang) or kw.texts[DEFAULT_LANGUAGE])


def _safe_text(lang: str) -> str:
    return normalize(fallback_reply(lang).answer)


@dataclass
class _Turn:
    """One inbound message and what is known of its sender so far."""

    key: str
    body: str
    sid: str = ""
    session: dict[str, Any] = field(default_factory=dict)
    chosen: str | None = None
    lang: str = DEFAULT_LANGUAGE


class Dialogue:
    """Answers SMS messages for one app: its store, rate limiter and a pool that bounds how long an answer takes."""

    def __init__(
        self, settings: Settings, store: Store, limiter: RateLimiter, pool: Executor, standby: Standby | None = None
    ) -> None:
        self.store = store
        # Answers emergencies, crises and refusals while no bot is loaded.
        self.standby = standby
        self.limiter = limiter
        self.pool = pool
        self._secret = settings.hash_secret.get_secret_value()
        self._ttl = settings.session_ttl
        self._timeout = settings.sms_timeout
        self._public_url = settings.public_url
        self._actions: dict[Action, Callable[[_Turn, Keyword], str]] = {
            Action.REPLY: self._reply,
            Action.OPT_OUT: self._opt_out,
            Action.OPT_IN: self._opt_in,
            Action.LANGUAGE: self._switch_language,
            Action.MORE: self._more,
        }

    def reply(self, form: Mapping[str, str], bot: Bot | None) -> str:
        """The TwiML reply to one inbound message (Twilio's form fields); always safe text, never an error."""
        sid = form.get("MessageSid") or form.get("SmsSid") or ""
        turn = _Turn(sender_key(self._secret, form.get("From", "")), form.get("Body", ""), sid)
        try:
            if sid:
                first, saved = self.store.claim_message(sid)
                if not first:
                    logger.info("sms retry answered from store", extra={"saved": saved is not None})
                    # No saved reply means the first delivery never finished; Twilio discarded it, so send safe text.
                    return saved or twiml(_safe_text(turn.lang))
            xml = self._respond(turn, bot)
            if sid:
                self.store.save_message_reply(sid, xml)
        except Exception:  # noqa: BLE001 - the SMS channel's one catch-all: the sender always gets safe text
            logger.exception("sms reply failed")
            xml = twiml(_safe_text(turn.lang))
        return xml

    def _respond(self, turn: _Turn, bot: Bot | None) -> str:
        turn.session = self.store.get_session(turn.key) or {}
        turn.chosen = turn.session.get("lang")
        # Until the answer names its language, the service's own texts (wait, too long) follow the message's.
        turn.lang = turn.chosen or (
            detect_language(turn.body[:MAX_SMS_BODY]) if turn.body.strip() else DEFAULT_LANGUAGE
        )
        kw = match(turn.body) if len(turn.body) <= MAX_SMS_BODY else None
        if self.store.is_opted_out(turn.key) and (kw is None or kw.action is not Action.OPT_IN):
            logger.info("sms from opted-out sender ignored")
            return twiml(None)
        logger.info("sms received", extra={"keyword": kw.name if kw else None, "chars": len(turn.body)})
        if kw is not None:
            # A keyword says little about its sender's language ("MORE" after a Spanish answer): keep the last
            # answer's language for its text.
            turn.lang = turn.chosen or turn.session.get("last") or turn.lang
            return self._actions[kw.action](turn, kw)
        # Keywords always work; a question over the sender's limit waits, unless it reads as an emergency or crisis.
        if not self.limiter.check_sms(turn.key).allowed and not is_urgent(turn.body, bot):
            logger.info("sms sender over the rate limit")
            return twiml(_text("slow", turn.lang))
        parts = self._answer(turn, bot)
        self.store.save_session(turn.key, {"lang": turn.chosen, "last": turn.lang, "more": parts[1:]}, self._ttl)
        return twiml(parts[0])

    def _reply(self, turn: _Turn, kw: Keyword) -> str:
        return twiml(_keyword_text(kw, kw.language or turn.lang))

    def _replayed(self, turn: _Turn) -> bool:
        # A STOP or START replayed after the dedupe window changes nothing: its MessageSid is kept for good.
        if turn.sid and self.store.keyword_seen(turn.sid):
            logger.warning("sms keyword replayed: ignored")
            return True
        return False

    def _opt_out(self, turn: _Turn, _kw: Keyword) -> str:
        if self._replayed(turn):
            return twiml(None)
        self.store.set_opted_out(turn.key, True)
        self.store.save_session(turn.key, {"lang": turn.chosen}, self._ttl)
        return twiml(None)

    def _opt_in(self, turn: _Turn, kw: Keyword) -> str:
        if self._replayed(turn):
            return twiml(None)
        self.store.set_opted_out(turn.key, False)
        return self._reply(turn, kw)

    def _switch_language(self, turn: _Turn, kw: Keyword) -> str:
        self.store.save_session(turn.key, {"lang": kw.language, "more": []}, self._ttl)
        return self._reply(turn, kw)

    def _more(self, turn: _Turn, kw: Keyword) -> str:
        more: list[str] = list(turn.session.get("more") or [])
        if not more:
            return self._reply(turn, kw)
        self.store.save_session(turn.key, {**turn.session, "more": more[1:]}, self._ttl)
        return twiml(more[0])

    def _answer(self, turn: _Turn, bot: Bot | None) -> list[str]:
        """The reply split into messages of at most three segments; the first is sent, the rest wait for MORE."""
        if len(turn.body) > MAX_SMS_BODY:
            return [_text("too_long", turn.lang)]
        if not turn.body.strip():
            return [_text("empty", turn.lang)]
        responder: Bot | Standby | None = bot if bot is not None else self.standby
        if responder is None:
            logger.warning("sms answered with fallback: the bot is not loaded")
            return [_safe_text(turn.lang)]
        try:
            reply = self.pool.submit(responder.answer, turn.body, turn.chosen, "sms").result(timeout=self._timeout)
        except InputError:
            return [_text("too_long", turn.lang)]
        except FutureTimeout:
            logger.warning("sms answer timed out", extra={"timeout": self._timeout})
            return [_safe_text(turn.lang)]
        turn.lang = reply.language
        registry = links_for(bot)
        links = {c.id: registry.link(c.source.url, self._public_url) for c in reply.citations}
        planned = list(reply.parts) or [reply.answer]
        if reply.safety_note:
            planned[0] = f"{reply.safety_note} {planned[0]}"
        hint = _text("hint", reply.language)
        # A card's short form goes first; each planned part is split further only when it will not fit.
        last = len(planned) - 1
        parts = [m for i, part in enumerate(planned) for m in split_parts(part, links, hint, more_after=i < last)]
        logger.info(
            "sms answered", extra={"kind": reply.kind, "parts": len(parts), "segments": segment_count(parts[0])}
        )
        return parts
