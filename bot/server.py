"""Wiring: one aiohttp server holding the stores, the intake, the channels and the outbox worker."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from functools import partial
from typing import Awaitable, Callable

import structlog
from aiohttp import web
from twilio.request_validator import RequestValidator

from bot import telegram_app
from bot.accounts import Accounts
from bot.notifier import OutboxNotifier
from bot.outbox_worker import OutboxWorker
from bot.scheduler import start_scheduler, stop_scheduler
from bot.senders.email import EMAIL, EmailSender
from bot.senders.simulated import SimulatedPhone
from bot.senders.sms import SmsSender, twilio_client
from bot.senders.telegram import TelegramSender
from bot.senders.voice import VoiceSender
from bot.services import SERVICES, SETTINGS, Services
from bot.settings import Settings
from bot.web.setup import setup_dashboard
from escalation.blocked_digest import BlockedDigest
from escalation.calls import CallDesk
from escalation.chain import ChainPolicy
from escalation.channels import SMS, TELEGRAM, VOICE
from escalation.closing import Closing
from escalation.delivery_watch import DeliveryWatch
from escalation.flood import FloodGuard
from escalation.idle import close_idle
from escalation.intake import Intake, IntakeResult
from escalation.mentor_desk import MentorDesk
from escalation.referrals.desk import ReferralDesk
from escalation.referrals.workflow import ReferralPolicy, Referrals
from escalation.relay import Relay
from escalation.relay_batches import RelayBatches
from escalation.rota import parse_time
from escalation.rota_jobs import RotaJobs
from escalation.routing import Router
from escalation.safety_words import default_words
from escalation.swaps import Swaps
from escalation.transfer import Transfers
from escalation.triage.classifier import default_triage
from escalation.triage.model import Level
from escalation.wake_calls import WakeCalls
from handlers.errors import storage_unavailable
from handlers.health import healthz, readyz
from handlers.telegram_webhook import telegram_webhook
from handlers.twilio_sms import twilio_sms
from handlers.twilio_voice import add_voice_routes
from storage import retention
from storage.db import SessionFactory, create_engine, session_factory
from storage.keycheck import record_serving
from storage.kv import create_store
from storage.migrate import upgrade
from storage.rate_limit import create_limiter
from storage.types import utcnow

log = structlog.get_logger(__name__)

MAX_REQUEST_BYTES = 1024 * 1024
SHUTDOWN_SECONDS = 10.0


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    run_outbox: bool = True,
    simulated: bool = False,
    poll_at_start: bool = True,
) -> web.Application:
    """The whole service as an aiohttp application; start-up and shut-down live in its context.

    ``simulated`` (the demo) sends Telegram and SMS to the phone simulator instead of providers.
    ``poll_at_start``: the periodic jobs run once at start (deadlines that fell due while the
    service was down); tests on a fixed clock turn it off to fire deadlines themselves.
    """
    from bot.keys import install

    install(settings)  # keys given (run, demo, tests): sealing at rest uses them from here
    app = web.Application(client_max_size=MAX_REQUEST_BYTES, middlewares=[storage_unavailable])
    app[SETTINGS] = settings
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    setup_dashboard(app, settings)
    if settings.telegram_enabled and settings.telegram_mode == "webhook":
        app.router.add_post(telegram_app.WEBHOOK_PATH, telegram_webhook)
    if settings.twilio_enabled:
        app.router.add_post("/twilio/sms", twilio_sms)
        add_voice_routes(app)
    app.cleanup_ctx.append(lambda app: _lifecycle(app, clock, run_outbox, simulated, poll_at_start))
    return app


async def _lifecycle(
    app: web.Application, clock: Callable[[], datetime], run_outbox: bool, simulated: bool = False,
    poll_at_start: bool = True,
) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    engine = create_engine(settings.database_url)
    revision = await upgrade(engine)
    async with engine.begin() as connection:
        await record_serving(connection)  # the keys a rotation must not leave behind
    sessions = session_factory(engine)
    kv = create_store(settings.redis_url)
    limiter = create_limiter(settings.redis_url)
    worker = OutboxWorker(sessions, {}, clock=clock, poll_seconds=settings.outbox_poll_seconds,
                          give_up_after=timedelta(hours=settings.outbox_give_up_hours),
                          send_timeout=settings.outbox_send_timeout_seconds,
                          lanes_per_channel=settings.outbox_concurrency)

    def after_commit(result: IntakeResult) -> None:
        worker.wake()  # replies and alerts are in the outbox

    router = build_router(settings, sessions, clock, simulated)
    watch = DeliveryWatch(sessions, router.notifier, clock, late_after=timedelta(minutes=settings.outbox_late_minutes),
                          fallback_after=timedelta(minutes=settings.alert_fallback_minutes), climb=router.unreachable)
    flood_window = timedelta(seconds=settings.rate_limit_window_seconds)
    batches = RelayBatches(sessions, router.notifier, clock, flood_window)
    digest = BlockedDigest(sessions, router.notifier, settings.zone, clock)
    relay = Relay(sessions, router.notifier, clock, router, batches)
    referrals = build_referrals(settings, sessions, router, clock)
    intake = Intake(sessions, kv, triage=default_triage(settings.triage_data),
                    idle_after=timedelta(hours=settings.contact_idle_hours), clock=clock,
                    crisis_lines=settings.crisis_lines, zone=settings.zone, router=router, relay=relay,
                    on_committed=after_commit, safety_words=default_words(settings.triage_data),
                    referrals=referrals, privacy_months=settings.retention_months,
                    privacy_notice=settings.privacy_notice,
                    flood=FloodGuard(limiter, settings.rate_limit_messages, flood_window))
    services = Services(settings=settings, engine=engine, sessions=sessions, kv=kv, intake=intake,
                        clock=clock, schema_revision=revision, outbox_worker=worker, router=router,
                        desk=MentorDesk(sessions, router, clock,
                                        Swaps(sessions, router.notifier, settings.zone, settings.caps, clock),
                                        relay, Closing(sessions, router.notifier, clock),
                                        Transfers(sessions, router.notifier, settings.zone, clock),
                                        referrals=ReferralDesk(sessions, referrals, clock)),
                        accounts=Accounts(sessions, clock), simulated=simulated, delivery_watch=watch,
                        calls=CallDesk(sessions, intake, router, clock, settings.zone,
                                       tuple(settings.voice_languages.split(",")),
                                       timedelta(minutes=settings.transcription_wait_minutes),
                                       settings.voicemail_seconds),
                        wake_calls=WakeCalls(sessions, router, clock), referrals=referrals,
                        relay_batches=batches,
                        blocked_digest=digest)
    app[SERVICES] = services
    _freeze_what_lives_forever()
    calls = services.calls
    await _bounded("fallback number", calls.refresh_fallback())
    if simulated:
        for channel in (TELEGRAM, SMS, VOICE, EMAIL):
            worker.add_sender(SimulatedPhone(channel))
    twilio = _start_twilio(services)
    for sender in twilio:
        worker.add_sender(sender)
    if settings.telegram_enabled:
        worker.add_sender(await _start_telegram(services))
    if settings.email_enabled:
        worker.add_sender(EmailSender.from_settings(settings))
    scheduler = None
    if run_outbox:
        worker.start()
        jobs = RotaJobs(sessions, router.notifier, settings.zone, clock)
        scheduler = start_scheduler(_and_wake(_all(router.fire_due, watch.check, calls.overdue, referrals.poll,
                                                          batches.flush_due), worker),
                                    settings.deadline_poll_seconds,
                                    rota_minutely=_and_wake(_all(jobs.remind_and_hand_over, partial(
                                        close_idle, sessions, router.notifier, clock,
                                        timedelta(hours=settings.contact_idle_hours)), calls.refresh_fallback),
                                                            worker),
                                    gap_report=_and_wake(jobs.report_gaps, worker), zone=settings.zone, poll_at_start=poll_at_start,
                                    retention=retention.daily_job(sessions, clock, settings.retention_months,
                                                                  settings.referral_retention_months),
                                    blocked_digest=_and_wake(digest.send, worker),
                                    blocked_digest_at=settings.blocked_digest_at)
    try:
        yield
    finally:
        if scheduler is not None:
            await stop_scheduler(scheduler)
        await _bounded("outbox worker", worker.stop())
        if services.telegram is not None:
            await _bounded("telegram", telegram_app.stop(services.telegram))
        if twilio:
            await _bounded("twilio client", twilio[0].close())
        await _bounded("key-value store", kv.close())
        await _bounded("rate limits", limiter.close())
        await _bounded("database", engine.dispose())


def _freeze_what_lives_forever() -> None:
    """Move everything loaded at start-up (the triage's lexicons and model) out of the garbage
    collector's reach: each full collection walked them again, stopping the event loop for about
    50 ms at random moments, during someone's call or webhook. No collection first: it would run
    weakref callbacks, where a Ctrl-C during start-up lands as an "exception ignored". Once per
    process: a later freeze would also keep whatever garbage was waiting then."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True


_frozen = False


async def _bounded(part: str, stopping: Awaitable[object], seconds: float = SHUTDOWN_SECONDS) -> None:
    """Stop one part, but never let shutdown hang on it: a stuck part is logged and left."""
    try:
        await asyncio.wait_for(stopping, timeout=seconds)
    except TimeoutError:
        log.error("part did not stop in time; going on with shutdown", part=part, seconds=seconds)
    except Exception:
        log.exception("part failed to stop cleanly", part=part)


def build_router(settings: Settings, sessions: SessionFactory, clock: Callable[[], datetime],
                 simulated: bool = False) -> Router:
    """The chain with the deadlines from settings, and a notifier for the channels that are on."""
    channels = {name for name, on in (("telegram", settings.telegram_enabled or simulated),
                                      ("sms", settings.twilio_enabled or simulated),
                                      ("voice", settings.twilio_enabled or simulated)) if on}
    policy = ChainPolicy(
        deadlines={Level.EMERGENCY: timedelta(seconds=settings.deadline_emergency),
                   Level.HIGH: timedelta(seconds=settings.deadline_high),
                   Level.MEDIUM: timedelta(seconds=settings.deadline_medium),
                   Level.LOW: timedelta(seconds=settings.deadline_low)},
        repeat=timedelta(seconds=settings.chain_repeat),
        awake_from=parse_time(settings.awake_hours.split("-")[0]),
        awake_to=parse_time(settings.awake_hours.split("-")[1]),
        low_night=timedelta(seconds=settings.deadline_low_night),
        safety_answer=timedelta(minutes=settings.safety_answer_minutes),
    )
    notifier = OutboxNotifier(frozenset(channels), settings.zone, clock)
    return Router(sessions, notifier, policy, settings.zone, clock, settings.cap_contact_hours_per_day)


def build_referrals(settings: Settings, sessions: SessionFactory, router: Router,
                    clock: Callable[[], datetime]) -> Referrals:
    policy = ReferralPolicy(helpline=settings.service_name, agreement=settings.sharing_agreement,
                            ack_after=timedelta(hours=settings.referral_ack_hours),
                            public_url=settings.public_url or "", areas=settings.agency_areas)
    return Referrals(sessions, router.notifier, clock, policy)


def _all(*polls: Callable[[], Awaitable[int]]) -> Callable[[], Awaitable[int]]:
    """One scheduled job running several polls in turn; how many things they did, together."""
    async def run() -> int:
        return sum([await poll() for poll in polls])

    return run


def _and_wake(poll: Callable[[], Awaitable[int]], worker: OutboxWorker) -> Callable[[], Awaitable[int]]:
    async def run() -> int:
        fired = await poll()
        if fired:
            worker.wake()
        return fired

    return run


def _start_twilio(services: Services) -> tuple[SmsSender, VoiceSender] | tuple[()]:
    """SMS and calls share one Twilio client (its connection pool), closed once at stop."""
    settings = services.settings
    if not settings.twilio_enabled:
        return ()
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_number
    token = settings.twilio_auth_token.get_secret_value()
    services.twilio_validator = RequestValidator(token)
    client = twilio_client(settings.twilio_account_sid, token, settings.twilio_api_url,
                           timeout=settings.outbox_send_timeout_seconds)
    return (SmsSender(client, settings.twilio_number),
            VoiceSender(client, settings.twilio_number, settings.public_url or "", settings.voice_ring_seconds))


async def _start_telegram(services: Services) -> TelegramSender:
    settings = services.settings
    assert services.desk is not None
    application = telegram_app.build_application(settings, services.intake, services.desk)
    await telegram_app.start(application, settings)
    services.telegram = application
    return TelegramSender(application.bot)
