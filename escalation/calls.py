"""A person's phone call, from ring to a taken call, a voicemail or a missed call.

Channel-free: the Twilio handler asks here what to do next and turns the answer into TwiML.
The call joins the person's one thread (a caller who texted before is the same person), and
every step is an event on the contact. Who is dialled follows the chain: the on-call primary,
then the backup, then a coordinator on call; each leg rings until a timeout, and only a
mentor who presses 1 is connected, so a voicemail never swallows the call. When nobody takes
it, the voicemail's transcription goes through the same intake as a text (triage, the safety
question by SMS, routing); a call that ends without one (the caller hung up, the transcription
never came) is routed as at least ``high``: someone rang and could not get through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from escalation import chain, rota
from escalation.channels import VOICE
from escalation.emergency import LANGUAGE_REGION, emergency_number
from escalation.intake import InboundMessage, Intake
from escalation.notify import tell
from escalation.routing import Router
from escalation.triage.model import Level
from storage import calls, contacts, people
from storage import mentors as mentor_store
from storage import rota as rota_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.models import Call, Contact, Person

log = structlog.get_logger(__name__)

MISSED = "[missed call: rang the helpline and could not get through; no voicemail]"
UNTRANSCRIBED = "[voicemail: no transcription came; listen to it on the dashboard]"
UNTRANSCRIBABLE = "[voicemail in {language}: not transcribed; listen to it on the dashboard]"
# Twilio's <Record> transcription cannot be told a language: it is asked for English only, and a
# Dutch or Italian voicemail is routed as soon as it is recorded, for a mentor to listen to.
TRANSCRIBED = ("en",)
LANGUAGE_NAMES = {"nl": "Dutch", "it": "Italian"}
REGION_LANGUAGE = {region: language for language, region in LANGUAGE_REGION.items()}


@dataclass(frozen=True)
class Greeting:
    """What the caller hears first: their language if known, else a choice of languages."""

    language: str | None
    emergency_number: str
    mentor: bool = False  # a mentor's own phone rang the helpline


@dataclass(frozen=True)
class Spoken:
    """The language a call is held in, and the emergency number to give in it."""

    language: str
    emergency_number: str


@dataclass(frozen=True)
class Leg:
    """The next mentor to ring; ``phone`` goes only into the dial instruction, never to a log."""

    index: int
    mentor_id: int
    phone: str


@dataclass(frozen=True)
class Whisper:
    alias: str
    earlier_contacts: int
    last_urgency: str | None


class CallDesk:
    def __init__(self, sessions: SessionFactory, intake: Intake, router: Router, clock: Callable[[], datetime],
                 zone: ZoneInfo, languages: tuple[str, ...], transcription_wait: timedelta,
                 voicemail_seconds: int) -> None:
        self._sessions = sessions
        self._intake = intake
        self._router = router
        self._clock = clock
        self._zone = zone
        self.languages = languages
        self._transcription_wait = transcription_wait
        self.voicemail_seconds = voicemail_seconds
        self.fallback_phone: str | None = None  # the on-call primary's, for when the database fails

    async def refresh_fallback(self) -> int:
        """Remember whom the fallback handler should ring, while the database can still say."""
        now = self._clock()
        async with self._sessions() as session:
            rules, overrides = await rota_store.load(session, now, now + timedelta(minutes=1))
            on_call = rota.on_call(rules, overrides, self._zone, now)
            for mentor_id in [*on_call.primary, *on_call.backup]:
                phone = await mentor_store.address(session, mentor_id, VOICE)
                if phone:
                    self.fallback_phone = phone
                    break
        return 0

    async def start(self, call_sid: str, phone: str, region: str | None) -> Greeting:
        """A call rings: find the person (or a new one) and their thread; safe to repeat."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if await mentor_store.by_phone(session, phone) is not None:
                return Greeting("en", emergency_number(region), mentor=True)
            call = await calls.by_sid(session, call_sid)
            if call is None:
                call = await self._new_call(session, call_sid, phone, region, now)
            return Greeting(call.language, emergency_number(call.region, call.language))

    async def _new_call(self, session: AsyncSession, call_sid: str, phone: str, region: str | None,
                        now: datetime) -> Call:
        person = await people.find_person(session, "phone", phone)
        known = person is not None
        if person is None:
            person = await people.create_person(session, "phone", phone, now,
                                                language=REGION_LANGUAGE.get(region or "", "en"))
        contact = await self._intake.contact_for_call(session, person, VOICE, now)
        call = await calls.create(session, call_sid, contact.id, person.id, person.language if known else None,
                                  region, now)
        await append_event(session, contact.id, "call_started", "person", now, call_id=call.id, known=known)
        return call

    async def choose_language(self, call_sid: str, key: str) -> Spoken:
        """The caller's key picks a language (1 English, 2 Nederlands, 3 Italiano by default);
        no key or another key keeps the language their number suggests."""
        async with self._sessions() as session, session.begin():
            call = await calls.by_sid(session, call_sid, lock=True)
            if call is None:
                return self._spoken(None)
            person = await session.get(Person, call.person_id)
            index = int(key) - 1 if key.isdigit() else -1
            chosen = self.languages[index] if 0 <= index < len(self.languages) else (
                person.language if person else self.languages[0])
            call.language = chosen
            if person is not None:
                person.language = chosen
            await append_event(session, call.contact_id, "call_language", "person", self._clock(), call_id=call.id,
                               language=chosen)
            return self._spoken(call)

    def _spoken(self, call: Call | None) -> Spoken:
        language = (call.language if call else None) or self.languages[0]
        return Spoken(language, emergency_number(call.region if call else None, language))

    async def next_leg(self, call_sid: str, after: int = -1) -> tuple[Leg | None, Spoken]:
        """The mentor to ring after leg ``after`` (None when everyone in the chain has been
        tried), and how to speak to the caller meanwhile. A request Twilio makes again gets the
        same leg, not the one after it."""
        async with self._sessions() as session, session.begin():
            call = await calls.by_sid(session, call_sid, lock=True)
            return await self._leg_after(session, call, after), self._spoken(call)

    async def _leg_after(self, session: AsyncSession, call: Call | None, after: int) -> Leg | None:
        now = self._clock()
        if call is None or call.state in ("taken", "ended"):
            return None
        if after + 1 < len(call.legs):
            mentor_id = call.legs[after + 1]
            return Leg(after + 1, mentor_id, await mentor_store.address(session, mentor_id, VOICE) or "")
        if call.state != "voicemail":
            for mentor_id in await self._order(session, call, now):
                phone = None if mentor_id in call.legs else await mentor_store.address(session, mentor_id, VOICE)
                if phone:
                    call.legs, call.state = [*call.legs, mentor_id], "ringing"
                    await append_event(session, call.contact_id, "call_leg_ringing", "routing", now, call_id=call.id,
                                       leg=len(call.legs) - 1, mentor_id=mentor_id)
                    return Leg(len(call.legs) - 1, mentor_id, phone)
            call.state = "voicemail"
            call.transcription_due_at = now + timedelta(seconds=self.voicemail_seconds) + self._transcription_wait
            await append_event(session, call.contact_id, "call_to_voicemail", "routing", now, call_id=call.id,
                               legs=list(call.legs))
        return None

    async def _order(self, session: AsyncSession, call: Call, now: datetime) -> list[int]:
        """Primary (the person's own mentor first, if on call), backup, then coordinators."""
        rules, overrides = await rota_store.load(session, now, now + timedelta(minutes=1))
        on_call = rota.on_call(rules, overrides, self._zone, now)
        known = await mentor_store.mentors_by_id(session, list(on_call.everyone))
        coordinators = await mentor_store.coordinators(session)
        contact = await session.get(Contact, call.contact_id)
        person = await session.get(Person, call.person_id)
        own = [m for m in (contact.assigned_mentor_id if contact else None, person.named_mentor_id if person else None)
               if m in known]
        order = own[:1]
        for step in range(chain.LAST_STEP):
            order += chain.targets(step, Level.LOW, on_call, coordinators, known, [])
        return list(dict.fromkeys(order))

    async def whisper(self, call_sid: str) -> Whisper | None:
        """What the mentor hears before taking the call: who, how often before, how urgent."""
        async with self._sessions() as session:
            call = await calls.by_sid(session, call_sid)
            if call is None:
                return None
            person = await session.get(Person, call.person_id)
            earlier = await contacts.count_contacts(session, call.person_id) - 1
            contact = await session.get(Contact, call.contact_id)
            urgency = (contact.urgency if contact is not None else None) or \
                await calls.last_urgency(session, call.person_id, call.contact_id)
        return Whisper(person.alias if person else "unknown", earlier, urgency)

    async def answer_leg(self, call_sid: str, leg: int, key: str) -> bool:
        """The mentor on ``leg`` pressed a key: 1 takes the call (the contact is theirs, whatever
        was chasing it stops, and they get its card to close it later); anything else does not."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            call, mentor_id = await self._leg(session, call_sid, leg)
            if call is None:
                return False
            if call.taken_by is not None:
                return call.taken_by == mentor_id
            if key != "1" or call.state != "ringing" or leg != len(call.legs) - 1:
                return False
            call.state, call.taken_by, call.taken_at = "taken", mentor_id, now
            contact = await session.get(Contact, call.contact_id, with_for_update=True)
            person = await session.get(Person, call.person_id)
            mentor = (await mentor_store.mentors_by_id(session, [mentor_id]))[mentor_id]
            assert contact is not None and person is not None
            contact.assigned_mentor_id, contact.last_activity_at = mentor_id, now
            await append_event(session, contact.id, "call_taken", f"mentor:{mentor_id}", now, call_id=call.id,
                               leg=leg, mentor_id=mentor_id, seconds=int((now - call.started_at).total_seconds()))
            await self._router.answered(session, contact, mentor, now)
            await tell(self._router.notifier, session, mentor,
                       f"📞 You took the call from {person.alias} (#{contact.id}). When it is over, close it "
                       "here as a session: the minutes come from the call's length.",
                       f"call_taken:{call.id}", buttons=[("Close", f"x:{contact.id}:close")], contact_id=contact.id)
            return True

    async def leg_over(self, call_sid: str, leg: int, status: str, seconds: int) -> bool:
        """A dialled leg ended. True if it was the taken one (the call is over); else it rang
        out, was busy or was not taken with 1, and the next leg should ring."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            call, mentor_id = await self._leg(session, call_sid, leg)
            if call is None:
                return False
            if call.taken_by == mentor_id:
                if call.state != "ended":
                    await self._end(session, call, now, seconds)
                elif seconds:
                    call.talk_seconds = seconds  # the leg's own length, when the call's end came first
                return True
            await append_event(session, call.contact_id, "call_leg_not_taken", "routing", now, call_id=call.id,
                               leg=leg, mentor_id=mentor_id, status=status)
            return False

    @staticmethod
    async def _leg(session: AsyncSession, call_sid: str, leg: int) -> tuple[Call | None, int]:
        """The call (locked) and the mentor rung on its ``leg``; no call if there is no such leg."""
        call = await calls.by_sid(session, call_sid, lock=True)
        if call is None or not 0 <= leg < len(call.legs):
            return None, 0
        return call, call.legs[leg]

    async def ended(self, call_sid: str, status: str, seconds: int) -> None:
        """Twilio's status callback at the end of the whole call. A call nobody took and that
        left no voicemail to wait for is a missed call, routed at once."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            call = await calls.by_sid(session, call_sid, lock=True)
            if call is None or call.ended_at is not None:
                return
            if call.taken_by is not None:
                await self._end(session, call, now, call.talk_seconds if call.talk_seconds is not None else seconds)
                return
            call.ended_at = now
            await append_event(session, call.contact_id, "call_ended", "system", now, call_id=call.id, status=status,
                               seconds=seconds, taken=False, voicemail=call.state == "voicemail")
            missed = call.state != "voicemail" and call.message_id is None
            sender = await people.address_of(session, call.person_id, "phone") if missed else None
        if missed and sender is not None:
            await self._route(call_sid, sender, call.region, MISSED, f"{call_sid}:missed", "missed_call")

    async def recorded(self, call_sid: str, recording_sid: str | None, url: str | None, seconds: int) -> Spoken:
        """The voicemail's recording is ready; its transcription is due within a few minutes,
        unless it is in a language that is not transcribed: then it is routed now, as ``high``.
        Returns how to thank the caller."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            call = await calls.by_sid(session, call_sid, lock=True)
            spoken = self._spoken(call)
            if call is None or call.recording_sid is not None or not recording_sid:
                return spoken
            call.recording_sid, call.recording_url, call.recording_seconds = recording_sid, url or None, seconds
            call.state = "voicemail"
            if call.message_id is None:
                call.transcription_due_at = now + self._transcription_wait
            await append_event(session, call.contact_id, "voicemail_recorded", "person", now, call_id=call.id,
                               seconds=seconds)
            sender = await people.address_of(session, call.person_id, "phone")
        if spoken.language not in TRANSCRIBED and sender is not None:
            text = UNTRANSCRIBABLE.format(language=LANGUAGE_NAMES.get(spoken.language, spoken.language))
            await self._route(call_sid, sender, call.region, text, f"{recording_sid}:untranscribed", "voicemail")
        return spoken

    @staticmethod
    def transcribes(language: str) -> bool:
        return language in TRANSCRIBED

    async def transcribed(self, call_sid: str, recording_sid: str, text: str | None) -> None:
        """The voicemail in words: a message of the person's thread, through the same intake as
        a text. It is at least ``medium`` (alerted with sound, never left quiet at night): the
        person rang first, and a machine's transcription can miss the words that matter. A failed
        or empty transcription is routed as a voicemail nobody could read."""
        async with self._sessions() as session:
            call = await calls.by_sid(session, call_sid)
            sender = await people.address_of(session, call.person_id, "phone") if call is not None else None
        if call is None or sender is None:
            return
        words = (text or "").strip()
        if words:
            await self._route(call_sid, sender, call.region, words, recording_sid, "voicemail", floor=Level.MEDIUM)
        else:
            await self._route(call_sid, sender, call.region, UNTRANSCRIBED, f"{recording_sid}:untranscribed",
                              "voicemail")

    async def overdue(self) -> int:
        """Voicemails whose transcription did not come in time, and calls that reached the
        voicemail and left nothing: routed as at least ``high`` now, not when words come."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            due = []
            for call in await calls.transcriptions_overdue(session, now):
                call.transcription_due_at = None
                due.append((call.call_sid, call.region, call.recording_sid,
                            await people.address_of(session, call.person_id, "phone")))
        for call_sid, region, recording_sid, sender in due:
            if sender is None:
                continue
            if recording_sid:
                await self._route(call_sid, sender, region, UNTRANSCRIBED, f"{recording_sid}:untranscribed",
                                  "voicemail")
            else:
                await self._route(call_sid, sender, region, MISSED, f"{call_sid}:missed", "missed_call")
        return len(due)

    async def _route(self, call_sid: str, sender: str, region: str | None, text: str, provider_id: str, via: str,
                     floor: Level | None = Level.HIGH) -> None:
        result = await self._intake.receive(InboundMessage(
            channel=VOICE, sender=sender, text=text, provider_message_id=provider_id, received_at=self._clock(),
            region=region, via=via, floor=floor))
        if result.message_id is None:
            return
        async with self._sessions() as session, session.begin():
            call = await calls.by_sid(session, call_sid, lock=True)
            if call is not None and call.message_id is None:
                call.message_id, call.transcription_due_at = result.message_id, None
        log.info("call routed as a message", via=via, contact_id=result.contact_id, level=result.level.label)

    async def _end(self, session: AsyncSession, call: Call, now: datetime, seconds: int) -> None:
        call.state, call.ended_at, call.talk_seconds = "ended", now, max(0, seconds)
        await append_event(session, call.contact_id, "call_ended", "system", now, call_id=call.id, taken=True,
                           mentor_id=call.taken_by, talk_seconds=call.talk_seconds)
