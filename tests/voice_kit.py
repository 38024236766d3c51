"""Calls driven as Twilio drives them: signed webhooks to the URLs the helpline's TwiML gave,
the TwiML parsed as XML, and a mentor's leg played out (the whisper, a key or none, the end)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from storage.models import Mentor
from storage.sealing import lookup_key
from tests.fake_twilio import HELPLINE_NUMBER
from tests.night_kit import Line

ANNE_PHONE, BEN_PHONE, CARA_PHONE = "+447700900901", "+447700900902", "+447700900903"
_sids = itertools.count(1)


def call_sid() -> str:
    return f"CA{next(_sids):032d}"


@dataclass
class Twiml:
    root: ET.Element

    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]

    def one(self, path: str) -> ET.Element:
        found = self.root.find(path)
        assert found is not None, f"no {path} in {ET.tostring(self.root).decode()}"
        return found

    def says(self) -> str:
        return " ".join((say.text or "") for say in self.root.iter("Say"))

    def __str__(self) -> str:
        return ET.tostring(self.root).decode()


def parse(body: str) -> Twiml:
    root = ET.fromstring(body)
    assert root.tag == "Response"
    return Twiml(root)


async def give_phones(line: Line, **windows: str) -> None:
    """Anne and Ben get phones (Cara has one); ``windows`` sets when a mentor may be called."""
    async with line.sessions() as session, session.begin():
        for mentor_id, phone in ((line.team.anne, ANNE_PHONE), (line.team.ben, BEN_PHONE)):
            await session.execute(update(Mentor).where(Mentor.id == mentor_id).values(phone=phone, phone_key=lookup_key(phone)))
        for name, window in windows.items():
            await session.execute(update(Mentor).where(Mentor.id == getattr(line.team, name))
                                  .values(call_window=window))


class Caller:
    """One inbound call from ``number``."""

    def __init__(self, line: Line, number: str) -> None:
        self.line = line
        self.number = number
        self.sid = call_sid()

    async def post(self, url: str, status: int = 200, **params: str) -> Twiml:
        form = {"CallSid": self.sid, "AccountSid": self.line.twilio.account_sid, "From": self.number,
                "To": HELPLINE_NUMBER, "Direction": "inbound", "CallStatus": "in-progress", **params}
        response = await self.line.helpline.twilio(url, form)
        body = await response.text()
        assert response.status == status, body
        await self.line.settle()
        return parse(body) if status == 200 else Twiml(ET.Element("Response"))

    async def ring(self) -> Twiml:
        return await self.post("/twilio/voice", CallStatus="ringing")

    async def redirect(self, twiml: Twiml) -> Twiml:
        return await self.post(twiml.one("Redirect").text or "")

    async def press(self, twiml: Twiml, digits: str) -> Twiml:
        return await self.post(twiml.one("Gather").get("action") or "", Digits=digits)

    async def leg(self, dial: Twiml, key: str | None, talk_seconds: int = 0, answered: bool = True) -> Twiml:
        """The mentor's phone on this leg: picked up (hearing the whisper) or not, a key or none,
        then Twilio asks the Dial's action what next."""
        number = dial.one("Dial/Number")
        child = {"CallSid": call_sid(), "ParentCallSid": self.sid, "From": HELPLINE_NUMBER, "To": number.text or "",
                 "Direction": "outbound-dial"}
        taken = False
        if answered:
            whisper = await self.post(number.get("url") or "", **child)
            if key is not None:
                connected = await self.post(whisper.one("Gather").get("action") or "", Digits=key, **child)
                taken = "Hangup" not in connected.verbs()
        status = "completed" if taken else ("no-answer" if not answered else "completed")
        return await self.post(dial.one("Dial").get("action") or "", DialCallStatus=status,
                               DialCallDuration=str(talk_seconds if taken else 0), DialCallSid=child["CallSid"])

    async def hang_up(self, seconds: int = 30) -> None:
        await self.post("/twilio/voice/status", CallStatus="completed", CallDuration=str(seconds))


def placed_calls(line: Line, number: str) -> list[dict[str, Any]]:
    return [c for c in line.twilio.calls if c["to"] == number]


async def answer_wake_call(line: Line, call: dict[str, Any], key: str | None, status: str = "completed") -> Twiml:
    """A mentor's phone rang with an alert: the key they press (or none), then the call's end."""
    twiml = parse(call["twiml"])
    form = {"CallSid": call["sid"], "AccountSid": line.twilio.account_sid, "From": HELPLINE_NUMBER,
            "To": call["to"], "Direction": "outbound-api", "CallStatus": "in-progress"}
    said = twiml
    if key is not None:
        response = await line.helpline.twilio(twiml.one("Gather").get("action") or "", {**form, "Digits": key})
        assert response.status == 200
        said = parse(await response.text())
    response = await line.helpline.twilio(call["status_callback"], {**form, "CallStatus": status,
                                                                     "CallDuration": "20"})
    assert response.status == 200
    await line.settle()
    return said
