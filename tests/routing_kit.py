"""A helpline team and rota in a database, a controllable clock, and the pieces of routing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.notifier import OutboxNotifier
from bot.server import build_router
from bot.settings import Settings
from escalation.intake import InboundMessage, Intake
from escalation.mentor_desk import MentorDesk
from escalation.relay import Relay
from escalation.routing import Router
from escalation.triage.classifier import default_triage
from storage import mentors, rota
from storage.kv import MemoryStore
from storage.models import Mentor

# Tuesday 24 November 2026, 14:00 London (= UTC in winter)
T0 = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Team:
    anne: int  # primary, Telegram
    ben: int  # backup, Telegram
    cara: int  # coordinator, Telegram and phone
    dev: int  # primary, SMS only, Dutch


async def make_team(sessions: Any, *, shifts: bool = True) -> Team:
    async with sessions() as session, session.begin():
        ids = []
        for name, role, chat, phone, langs in [
            ("Anne Primary", "mentor", "1001", None, ["en"]),
            ("Ben Backup", "mentor", "1002", None, ["en"]),
            ("Cara Coordinator", "coordinator", "1003", "+447700900903", ["en"]),
            ("Dev Sms", "mentor", None, "+447700900904", ["nl", "en"]),
        ]:
            added = await mentors.add_mentor(session, name=name, role=role, languages=langs, phone=phone, now=T0)
            mentor = await session.get(Mentor, added.id)
            mentor.telegram_chat_id = chat
            if chat is None:
                mentor.alert_channel = "sms"
            ids.append(added.id)
        team = Team(*ids)
        if shifts:
            for day in range(7):  # round the clock: Anne primary, Ben backup
                await rota.add_shift(session, mentor_id=team.anne, weekday=day, starts="00:00", ends="00:00",
                                     role="primary", now=T0)
                await rota.add_shift(session, mentor_id=team.ben, weekday=day, starts="00:00", ends="00:00",
                                     role="backup", now=T0)
    return team


def routing_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = dict(_env_file=None, telegram_token="1:x", telegram_mode="polling",
                                  twilio_account_sid="AC1", twilio_auth_token="t", twilio_number="+447700900001",
                                  public_url="https://helpline.test")
    values.update(overrides)
    return Settings(**values)


def make_router(sessions: Any, clock: Clock, **settings: Any) -> Router:
    return build_router(routing_settings(**settings), sessions, clock)


def make_intake(sessions: Any, clock: Clock, router: Router) -> Intake:
    return Intake(sessions, MemoryStore(), triage=default_triage(), idle_after=timedelta(hours=12),
                  clock=clock, router=router, relay=Relay(sessions, router.notifier, clock, router),
                  privacy_notice=False)  # counted replies: tests/test_privacy_notice.py has the notice


def make_desk(sessions: Any, clock: Clock, router: Router) -> MentorDesk:
    return MentorDesk(sessions, router, clock, relay=Relay(sessions, router.notifier, clock, router))


_numbers = iter(range(1, 10**9))


def sms(text: str, sender: str = "+447700900123", at: datetime = T0) -> InboundMessage:
    return InboundMessage(channel="sms", sender=sender, text=text, provider_message_id=f"SM{next(_numbers)}",
                          received_at=at, region="GB")


__all__ = ["Clock", "OutboxNotifier", "T0", "Team", "make_intake", "make_router", "make_team", "sms"]
