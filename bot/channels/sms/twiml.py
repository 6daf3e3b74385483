"""TwiML replies, and the fixed text for Twilio's Fallback URL."""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.sms.gsm import normalize

# For Twilio's Fallback URL: both languages, no index or model needed; fits in three GSM-7 segments.
FALLBACK_TEXT = normalize(
    "If someone may be overdosing, call 911 now and give naloxone (Narcan). Crisis: call or text 988. "
    "SAMHSA Helpline: 1-800-662-4357.\n"
    "Si alguien puede tener una sobredosis, llame al 911 ahora y dele naloxona (Narcan). Crisis: llame o "
    "envíe un texto al 988. Línea de SAMHSA: 1-800-662-4357."
)


def twiml(text: str | None) -> str:
    """A TwiML reply with one message, or an empty `<Response/>` when `text` is None."""
    response = MessagingResponse()
    if text is not None:
        response.message(text)
    return str(response)
