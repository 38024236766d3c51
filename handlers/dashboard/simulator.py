"""The demo's phone simulator: type as a person or as the on-call mentor, and the words go
through the same intake, triage, routing and relay as a real Telegram update or SMS. The person
can also call: the call desk rings the mentors in the chain's order, and the mentor's phone shows
it ringing with the keys a real whisper offers (1 takes it); nobody taking it leads to the
voicemail, whose words go through the intake as a transcription would."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

from escalation import privacy
from escalation.channels import SMS, TELEGRAM
from escalation.closing import OUTCOMES, PATHWAYS
from escalation.intake import InboundMessage
from escalation.mentor_desk import describe
from escalation.safety_words import BUTTONS, PRESSED
from handlers.dashboard.common import coordinator, form, services
from handlers.phone import normalise_phone
from storage import mentors as mentor_store
from storage import simulator
from storage.mentors import MentorView
from storage.types import row_id

HOME = "/dash/simulator"
DEFAULT_PERSON = ("sms", "+447700900555")


def _demo_only(request: web.Request) -> None:
    coordinator(request)
    if not services(request).simulated:
        raise web.HTTPNotFound(text="The phone simulator exists only in `helpline demo`.")


def _person(query: Any) -> tuple[str, str]:
    channel, address = query.get("channel", DEFAULT_PERSON[0]), query.get("from", DEFAULT_PERSON[1]).strip()
    if channel not in (SMS, TELEGRAM) or not address:
        raise web.HTTPBadRequest(text="channel must be sms or telegram, with a sender")
    return channel, address


@aiohttp_jinja2.template("simulator.html")
async def simulator_page(request: web.Request) -> dict[str, Any]:
    _demo_only(request)
    channel, address = _person(request.query)
    kind = "phone" if channel == SMS else "telegram"
    async with services(request).sessions() as session:
        mentors = await mentor_store.all_mentors(session, active_only=True)
        chosen = next((m for m in mentors if str(m.id) == request.query.get("mentor")), mentors[0] if mentors else None)
        addresses = [a for a in [await mentor_store.address(session, chosen.id, c) for c in (TELEGRAM, SMS)] if a] \
            if chosen else []
        return {"channel": channel, "address": address, "mentors": mentors, "mentor": chosen,
                "person_phone": await simulator.person_phone(session, kind, address),
                "mentor_phone": await simulator.mentor_phone(session, addresses),
                "live_call": await simulator.live_call(session, address) if channel == SMS else None,
                "ringing": await simulator.ringing_for(session, chosen.id) if chosen else [],
                "in_call": await simulator.in_call_with(session, chosen.id) if chosen else [],
                "outcomes": OUTCOMES, "pathways": PATHWAYS, "notice": request.query.get("notice")}


def _home(fields: dict[str, str], notice: str | None = None) -> web.HTTPSeeOther:
    """Back to the simulator with the same person and mentor chosen."""
    query = {"channel": fields.get("channel", SMS), "from": fields.get("from", ""), "mentor": fields.get("mentor", ""),
             **({"notice": notice} if notice else {})}
    return web.HTTPSeeOther(f"{HOME}?{urlencode(query)}")


async def _acting_mentor(request: web.Request, fields: dict[str, str]) -> MentorView:
    raw = fields.get("mentor", "")
    mentor_id = row_id(raw)
    if mentor_id is None:
        raise web.HTTPBadRequest(text="choose a mentor")
    async with services(request).sessions() as session:
        return mentor_store.view(await mentor_store.by_id(session, mentor_id))


async def person_says(request: web.Request) -> web.Response:
    _demo_only(request)
    fields = await form(request)
    channel, address = _person(fields)
    text = fields.get("text", "").strip()
    pressed = next((ask for ask, data in BUTTONS.items() if data == fields.get("button")), None)
    region = None
    if channel == SMS:
        address, region = normalise_phone(address)
    asked_privacy = fields.get("button") == privacy.BUTTON
    if pressed is not None:
        text = PRESSED[pressed]
    elif asked_privacy:
        text = privacy.PRESSED
    if text:
        await services(request).intake.receive(InboundMessage(
            channel=channel, sender=address, text=text, provider_message_id=f"sim-{secrets.token_hex(8)}",
            received_at=services(request).clock(), region=region, pressed=pressed,
            privacy=asked_privacy))
        _wake(request)
    raise _home({**fields, "from": address})


async def mentor_says(request: web.Request) -> web.Response:
    """Words, ACCEPT 12 / PASS 12, or a tapped Accept / Pass button."""
    _demo_only(request)
    fields = await form(request)
    desk = services(request).desk
    assert desk is not None
    mentor = await _acting_mentor(request, fields)
    tapped = fields.get("button", "")
    if tapped.startswith("c:") and tapped.count(":") == 2 and row_id(tapped.split(":")[1]) \
            and tapped.split(":")[2] in ("accept", "pass"):
        _, contact_id, action = tapped.split(":")
        answer: str | None = describe(await desk.decide(mentor, int(contact_id), action), int(contact_id))
    elif tapped.startswith("l:") and tapped.count(":") == 2 and row_id(tapped.split(":")[1]):
        _, contact_id, level = tapped.split(":")
        answer = await desk.correct(mentor, int(contact_id), level)
    elif fields.get("text", "").strip():
        answer = await desk.sms_command(mentor, fields["text"].strip())
    else:
        answer = None
    _wake(request)
    raise _home(fields, answer)


async def mentor_closes(request: web.Request) -> web.Response:
    """The closing buttons of Telegram, as one form: outcome, pathways, minutes."""
    _demo_only(request)
    fields = await form(request)
    desk = services(request).desk
    assert desk is not None and desk.closing is not None
    mentor = await _acting_mentor(request, fields)
    contact_id = row_id(fields.get("contact")) or 0
    code = fields.get("outcome", "sup")
    prompt = await desk.closing.outcome(mentor, contact_id, code if code in OUTCOMES else "sup")
    for pathway in PATHWAYS:
        if fields.get(f"p_{pathway}") == "on":
            prompt = await desk.closing.pathway(mentor, contact_id, pathway)
    minutes = fields.get("minutes", "15")
    if not prompt.text.startswith("That contact is not yours"):
        prompt = await desk.closing.finish(mentor, contact_id, min(row_id(minutes) or 15, 24 * 60))
    _wake(request)
    raise _home(fields, prompt.text)


async def person_calls(request: web.Request) -> web.Response:
    """Ring the helpline, hang up, or leave the voicemail, as the person."""
    _demo_only(request)
    fields = await form(request)
    channel, address = _person(fields)
    if channel != SMS:
        raise web.HTTPBadRequest(text="only a phone number can call")
    address, region = normalise_phone(address)
    calls = services(request).calls
    assert calls is not None
    async with services(request).sessions() as session:
        live = await simulator.live_call(session, address)
    action = fields.get("action", "")
    if action == "ring" and live is None:
        sid = f"sim-CA{secrets.token_hex(8)}"
        greeting = await calls.start(sid, address, region)
        if greeting.language is None:
            await calls.choose_language(sid, "")  # no key: the language the number suggests
        await calls.next_leg(sid)
    elif action == "hang_up" and live is not None:
        if live.taken_by is not None:
            await calls.leg_over(live.call_sid, len(live.legs) - 1, "completed", _seconds_since(request, live.taken_at))
        await calls.ended(live.call_sid, "completed", _seconds_since(request, live.started_at))
    elif action == "voicemail" and live is not None and live.state == "voicemail":
        recording = f"sim-RE{secrets.token_hex(8)}"
        await calls.recorded(live.call_sid, recording, "", 20)
        await calls.ended(live.call_sid, "completed", _seconds_since(request, live.started_at))
        await calls.transcribed(live.call_sid, recording, fields.get("text", ""))
    _wake(request)
    raise _home({**fields, "from": address})


async def mentor_answers(request: web.Request) -> web.Response:
    """The mentor's phone rings with a person's call: 1 takes it, no answer rings the next."""
    _demo_only(request)
    fields = await form(request)
    calls = services(request).calls
    assert calls is not None
    mentor = await _acting_mentor(request, fields)
    sid = fields.get("call", "")
    async with services(request).sessions() as session:
        ringing = {c.call_sid: c for c in await simulator.ringing_for(session, mentor.id)}
    call = ringing.get(sid)
    answer = None
    if call is not None:
        leg = len(call.legs) - 1
        if fields.get("key") == "1" and await calls.answer_leg(sid, leg, "1"):
            answer = "You are talking with the caller now. Hang up on the person's phone to end the call."
        else:
            await calls.leg_over(sid, leg, "no-answer", 0)
            await calls.next_leg(sid, after=leg)
            answer = "Not taken: the next in the chain is ringing (or the caller is at the voicemail)."
    _wake(request)
    raise _home(fields, answer)


def _seconds_since(request: web.Request, then: Any) -> int:
    return max(0, int((services(request).clock() - then).total_seconds())) if then is not None else 0


def _wake(request: web.Request) -> None:
    worker = services(request).outbox_worker
    if worker is not None:
        worker.wake()
