"""Phone calls that wake a mentor, placed through Twilio's REST API with inline TwiML.

The call says the alert in words and waits for a key; the key (``/twilio/voice/alert``) and the
call's end (``/twilio/voice/alert/status``) come back as signed webhooks that carry which
contact, alert, step and mentor the call was for. The outbox's dedupe key makes it one call per
mentor per step, across processes and restarts.
"""

from __future__ import annotations

from typing import Any

from twilio.rest import Client

from bot.senders.sms import twilio_sid
from escalation.channels import VOICE
from handlers import twiml

CALL_KEYS = ("contact", "alert", "step", "mentor")


class VoiceSender:
    channel = VOICE

    def __init__(self, client: Client, from_number: str, public_url: str, ring_seconds: int) -> None:
        self._client = client
        self._from = from_number
        self._public_url = public_url
        self._ring_seconds = ring_seconds

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        call = options.get("call") or {}
        query = {key: call.get(key, 0) for key in CALL_KEYS}
        answer = twiml.ask_key(body, twiml.url(self._public_url, "/twilio/voice/alert", **query))
        return await twilio_sid(self._client.calls.create_async(
            to=address, from_=self._from, twiml=answer, timeout=self._ring_seconds,
            status_callback=twiml.url(self._public_url, "/twilio/voice/alert/status", **query),
            status_callback_method="POST"))
