"""Twilio Voice webhooks: a person's call in, the mentors' legs, the voicemail, and the calls
that wake mentors. Every request is signed (403 otherwise); each answers with TwiML from what
the call desk decides, in one short transaction. A number's fallback URL points at
``/twilio/voice/fallback``, which needs no database: a crash never leaves a caller with an error.
"""

from __future__ import annotations

from typing import Awaitable, Callable

import structlog
from aiohttp import web

from bot.services import SERVICES, Services
from escalation.calls import CallDesk, Spoken
from escalation.emergency import emergency_number
from escalation.mentor_desk import describe
from escalation.wake_calls import WakeCalls
from handlers import twiml
from handlers.http import bad_request
from handlers.phone import normalise_phone
from handlers.twilio_sms import verified_params
from storage.types import row_id

log = structlog.get_logger(__name__)

BASE = "/twilio/voice"
Params = dict[str, str]


def _xml(body: str) -> web.Response:
    return web.Response(text=body, content_type="text/xml")


def _query_int(request: web.Request, name: str) -> int:
    value = row_id(request.query.get(name, ""))
    if value is None and request.query.get(name) != "0":
        raise bad_request(f"{name} is required")
    return value or 0


def _seconds(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


class VoiceHandlers:
    """The webhooks, bound to a running helpline's services."""

    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def _desk(self) -> CallDesk:
        assert self._services.calls is not None
        return self._services.calls

    def _url(self, path: str, **query: object) -> str:
        return twiml.url(self._services.settings.public_url or "", f"{BASE}{path}", **query)

    async def incoming(self, request: web.Request, params: Params) -> web.Response:
        sid, sender = params.get("CallSid"), params.get("From")
        if not sid or not sender:
            raise bad_request("CallSid and From are required")
        phone, region = normalise_phone(sender)
        greeting = await self._desk.start(sid, phone, region)
        log.info("call ringing", known=greeting.language is not None, mentor=greeting.mentor)
        if greeting.mentor:
            return _xml(twiml.spoken("This is the helpline's own number. Your alerts come by Telegram, "
                                     "text or a call from it. Goodbye."))
        if greeting.language is None:
            return _xml(twiml.language_choice(self._desk.languages, self._url("/language")))
        return _xml(twiml.greeting(greeting.language, greeting.emergency_number, self._url("/dial")))

    async def language(self, request: web.Request, params: Params) -> web.Response:
        spoken = await self._desk.choose_language(_call_sid(params), params.get("Digits", ""))
        return _xml(twiml.greeting(spoken.language, spoken.emergency_number, self._url("/dial"), hello=False))

    async def dial(self, request: web.Request, params: Params) -> web.Response:
        return await self._ring_next(_call_sid(params), after=-1)

    async def dialled(self, request: web.Request, params: Params) -> web.Response:
        """A leg ended: the taken one (the call is over) or one that was not taken (ring the next)."""
        sid, leg = _call_sid(params), _query_int(request, "leg")
        over = await self._desk.leg_over(sid, leg, params.get("DialCallStatus", ""),
                                         _seconds(params.get("DialCallDuration")))
        if over:
            return _xml(twiml.hang_up())
        return await self._ring_next(sid, after=leg)

    async def _ring_next(self, sid: str, after: int) -> web.Response:
        leg, spoken = await self._desk.next_leg(sid, after)
        settings = self._services.settings
        if leg is None:
            transcription = self._url("/transcription") if self._desk.transcribes(spoken.language) else None
            return _xml(twiml.voicemail(spoken.language, spoken.emergency_number, self._desk.voicemail_seconds,
                                        self._url("/recorded"), self._url("/recording"), transcription))
        return _xml(twiml.dial(spoken.language, settings.twilio_number or "", leg.phone, settings.voice_ring_seconds,
                               self._url("/dialled", leg=leg.index),
                               self._url("/whisper", call=sid, leg=leg.index), hold=leg.index > 0))

    async def whisper(self, request: web.Request, params: Params) -> web.Response:
        sid, leg = request.query.get("call", ""), _query_int(request, "leg")
        heard = await self._desk.whisper(sid)
        if heard is None:
            return _xml(twiml.hang_up())
        alias = twiml.spelt(heard.alias)
        earlier = f"{heard.earlier_contacts} earlier contact{'s' if heard.earlier_contacts != 1 else ''}"
        urgency = f", last urgency {heard.last_urgency}" if heard.last_urgency else ""
        text = f"Helpline call from {alias}, {earlier}{urgency}. Press 1 to take it."
        return _xml(twiml.whisper(text, self._url("/whisper/key", call=sid, leg=leg)))

    async def whisper_key(self, request: web.Request, params: Params) -> web.Response:
        taken = await self._desk.answer_leg(request.query.get("call", ""), _query_int(request, "leg"),
                                            params.get("Digits", ""))
        return _xml(twiml.connect("Connecting you now.") if taken else twiml.hang_up())

    async def recorded(self, request: web.Request, params: Params) -> web.Response:
        """The caller finished the voicemail (or hung up, when Twilio does not ask this)."""
        return _xml(twiml.thanks((await self._recording(params)).language))

    async def recording(self, request: web.Request, params: Params) -> web.Response:
        await self._recording(params)
        return _xml(twiml.empty())

    async def _recording(self, params: Params) -> Spoken:
        return await self._desk.recorded(_call_sid(params), params.get("RecordingSid"), params.get("RecordingUrl"),
                                         _seconds(params.get("RecordingDuration")))

    async def transcription(self, request: web.Request, params: Params) -> web.Response:
        recording = params.get("RecordingSid")
        if not recording:
            raise bad_request("RecordingSid is required")
        done = params.get("TranscriptionStatus") == "completed"
        await self._desk.transcribed(_call_sid(params), recording, params.get("TranscriptionText") if done else None)
        return _xml(twiml.empty())

    async def status(self, request: web.Request, params: Params) -> web.Response:
        await self._desk.ended(_call_sid(params), params.get("CallStatus", ""), _seconds(params.get("CallDuration")))
        return _xml(twiml.empty())

    async def fallback(self, request: web.Request, params: Params) -> web.Response:
        """The main handler failed: ring the on-call primary from memory, no database."""
        _, region = normalise_phone(params.get("From", ""))
        number = emergency_number(region)
        phone = self._desk.fallback_phone
        settings = self._services.settings
        log.error("voice fallback used", has_number=phone is not None)
        if phone is None:
            return _xml(twiml.spoken(f"Sorry, the helpline cannot put you through just now. If you are in danger, "
                                     f"call {number}. Otherwise please text this number and a mentor will answer."))
        return _xml(twiml.fallback_dial(number, settings.twilio_number or "", phone, settings.voice_ring_seconds))

    # --- calls that wake a mentor -----------------------------------------------------------

    @property
    def _wake(self) -> WakeCalls:
        assert self._services.wake_calls is not None
        return self._services.wake_calls

    async def wake_key(self, request: web.Request, params: Params) -> web.Response:
        contact, mentor = _query_int(request, "contact"), _query_int(request, "mentor")
        decision = await self._wake.key(_call_sid(params), contact, mentor, params.get("Digits", ""))
        if decision.outcome == "unknown" and params.get("Digits") not in ("1", "2"):
            return _xml(twiml.spoken("No choice made. The alert is still open on your phone. Goodbye."))
        return _xml(twiml.spoken(describe(decision, contact)))

    async def wake_status(self, request: web.Request, params: Params) -> web.Response:
        await self._wake.over(_call_sid(params), _query_int(request, "alert"), _query_int(request, "step"),
                              _query_int(request, "mentor"), params.get("CallStatus", ""))
        return _xml(twiml.empty())


def _call_sid(params: Params) -> str:
    sid = params.get("CallSid")
    if not sid:
        raise bad_request("CallSid is required")
    return sid


Route = Callable[[VoiceHandlers, web.Request, Params], Awaitable[web.Response]]
ROUTES: dict[str, Route] = {
    "": VoiceHandlers.incoming, "/language": VoiceHandlers.language, "/dial": VoiceHandlers.dial,
    "/dialled": VoiceHandlers.dialled, "/whisper": VoiceHandlers.whisper, "/whisper/key": VoiceHandlers.whisper_key,
    "/recorded": VoiceHandlers.recorded, "/recording": VoiceHandlers.recording,
    "/transcription": VoiceHandlers.transcription, "/status": VoiceHandlers.status,
    "/fallback": VoiceHandlers.fallback, "/alert": VoiceHandlers.wake_key, "/alert/status": VoiceHandlers.wake_status,
}


def add_voice_routes(app: web.Application) -> None:
    """Every voice endpoint checks Twilio's signature before anything else."""
    for path, route in ROUTES.items():
        async def handle(request: web.Request, route: Route = route) -> web.Response:
            params = await verified_params(request)
            return await route(VoiceHandlers(request.app[SERVICES]), request, params)

        app.router.add_post(f"{BASE}{path}", handle)
