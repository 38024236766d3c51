"""What a running helpline holds, shared by the web handlers through the aiohttp app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from escalation.intake import Intake
from storage.db import SessionFactory
from storage.kv import KeyValueStore

if TYPE_CHECKING:
    from telegram.ext import Application
    from twilio.request_validator import RequestValidator

    from bot.accounts import Accounts
    from bot.outbox_worker import OutboxWorker
    from escalation.calls import CallDesk
    from escalation.delivery_watch import DeliveryWatch
    from escalation.mentor_desk import MentorDesk
    from escalation.blocked_digest import BlockedDigest
    from escalation.referrals.workflow import Referrals
    from escalation.relay_batches import RelayBatches
    from escalation.routing import Router
    from escalation.wake_calls import WakeCalls


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    kv: KeyValueStore
    intake: Intake
    clock: Callable[[], datetime]
    schema_revision: str | None = None
    outbox_worker: "OutboxWorker | None" = None
    telegram: "Application | None" = None
    twilio_validator: "RequestValidator | None" = None
    router: "Router | None" = None
    desk: "MentorDesk | None" = None
    accounts: "Accounts | None" = None
    simulated: bool = False  # demo: the outbox "delivers" to the phone simulator instead of real channels
    delivery_watch: "DeliveryWatch | None" = None  # mentors' alerts on their other channel; late messages
    calls: "CallDesk | None" = None  # a person's phone calls
    wake_calls: "WakeCalls | None" = None  # the keys and ends of calls that wake mentors
    referrals: "Referrals | None" = None  # shares with MARAC, IOM and safeguarding contacts
    relay_batches: "RelayBatches | None" = None  # a flood's messages, held for one relay to the mentor
    blocked_digest: "BlockedDigest | None" = None  # the coordinators' daily count of blocked messages


SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
