"""What the bot does with Telegram updates: turn a person's message into one intake call.

Transport (webhook route, polling) lives in ``handlers.telegram_webhook`` and
``bot.telegram_app``; this module only knows updates and the intake.
"""

from __future__ import annotations

import asyncio
import re
from contextvars import ContextVar
from datetime import datetime, timezone

import structlog
from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.notifier import level_buttons
from escalation import privacy
from escalation.channels import TELEGRAM
from escalation.closing import Closing, Prompt
from escalation.intake import InboundMessage, Intake
from escalation.mentor_desk import HELP, MentorDesk, MentorView, describe
from escalation.safety_words import PRESSED, Ask
from escalation.swaps import Swaps
from storage.provider_ids import telegram_message_id

log = structlog.get_logger(__name__)

POLLING_RETRIES = 60
CALLBACK = re.compile(r"^c:([0-9]{1,9}):(accept|pass)$")
REPLY = re.compile(r"^r:([0-9]{1,9})$")
TRANSFER = re.compile(r"^(?:t:([0-9]{1,9})(?::([0-9]{1,9}))?|h:([0-9]{1,9}))$")
CLOSE = re.compile(r"^x:([0-9]{1,9}):(close|o:\w+|p:\w+|pd|m:[0-9]{1,9})$")
CHECKIN = re.compile(r"^d:([0-9]{1,9}):(fine|debrief)$")
SWAP_OFFER = re.compile(r"^so:([0-9]{1,10}):([pb])$")
SWAP_TAKE = re.compile(r"^st:([0-9]{1,9})$")
LEVEL = re.compile(r"^l:([0-9]{1,9}):(emergency|high|medium|low)$")
REFERRAL = re.compile(r"^f:([0-9]{1,9}):(go|no|a:\w{1,40}:\w{1,30}|[cn]:\w{1,30})$")
PERSON_BUTTON = re.compile(r"^p:(now|wait|privacy)$")
START = re.compile(r"^/start\s+([A-Za-z0-9_-]{8,64})\s*$")

_failures: ContextVar[list[BaseException] | None] = ContextVar("telegram_failures", default=None)

MEDIA_MARKERS = (
    ("voice", "[voice message]"), ("audio", "[audio]"), ("photo", "[photo]"),
    ("video", "[video]"), ("video_note", "[video message]"), ("document", "[file]"),
    ("sticker", "[sticker]"), ("location", "[location]"), ("contact", "[contact card]"),
)


class UpdateFailed(Exception):
    """A handler raised while processing an update; the webhook answers 500 so Telegram retries."""


def message_text(message: Message) -> str:
    """Text, caption, or a marker for media, so that no message is stored empty or dropped."""
    if message.text:
        return message.text
    marker = next((label for attr, label in MEDIA_MARKERS if getattr(message, attr, None)), "[message]")
    if message.sticker and message.sticker.emoji:
        marker = f"[sticker {message.sticker.emoji}]"
    return f"{marker} {message.caption}" if message.caption else marker


def inbound_from_update(update: Update) -> InboundMessage | None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or chat.type != chat.PRIVATE:
        return None
    provider_id = telegram_message_id(chat.id, message.message_id)
    if update.edited_message is not None and message.edit_date is not None:
        provider_id += f":edit:{int(message.edit_date.timestamp())}"
    received = message.date if message.date.tzinfo else message.date.replace(tzinfo=timezone.utc)
    return InboundMessage(channel=TELEGRAM, sender=str(chat.id), text=message_text(message),
                          provider_message_id=provider_id, received_at=received)


def build_handlers(intake: Intake, desk: MentorDesk) -> list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]]:
    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inbound = inbound_from_update(update)
        if inbound is None:
            log.info("telegram update ignored", update_id=update.update_id)
            return
        if await _mentor_message(update, inbound, desk):
            return
        result = await intake.receive(inbound)
        log.info("telegram message taken", update_id=update.update_id, contact_id=result.contact_id,
                 duplicate=result.duplicate)

    async def on_person_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """"I need someone now" / "I'm safe, it can wait" / "Your privacy": a message of the
        person's, like any."""
        query, chat = update.callback_query, update.effective_chat
        match = PERSON_BUTTON.match(query.data or "") if query is not None else None
        if query is None or chat is None or match is None or chat.type != chat.PRIVATE:
            return
        if await desk.mentor_for("telegram", str(chat.id)) is not None:
            await query.answer("These buttons are for the people who write to the helpline.")
            return
        asked_privacy = match.group(1) == "privacy"
        pressed = None if asked_privacy else Ask(match.group(1))
        result = await intake.receive(InboundMessage(
            channel=TELEGRAM, sender=str(chat.id), text=privacy.PRESSED if pressed is None else PRESSED[pressed],
            provider_message_id=f"cb:{query.id}", received_at=intake.now(), pressed=pressed,
            privacy=asked_privacy))
        await query.answer()
        log.info("telegram button taken", update_id=update.update_id, contact_id=result.contact_id,
                 duplicate=result.duplicate)

    async def on_level_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tapped = await _mentor_tap(update, desk, LEVEL)
        if tapped is None:
            return
        query, mentor, match = tapped
        answer = await desk.correct(mentor, int(match.group(1)), match.group(2))
        await query.answer(answer, show_alert=True)
        log.info("triage corrected", mentor_id=mentor.id, contact_id=int(match.group(1)))

    async def on_swap_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tapped = await _tapping_mentor(update, desk) if desk.swaps is not None else None
        if tapped is None or desk.swaps is None:
            return
        query, mentor = tapped
        offer, take = SWAP_OFFER.match(query.data or ""), SWAP_TAKE.match(query.data or "")
        if offer:
            starts = datetime.fromtimestamp(int(offer.group(1)), tz=timezone.utc)
            reply = await desk.swaps.offer(mentor, starts, "primary" if offer.group(2) == "p" else "backup")
        elif take:
            reply = await desk.swaps.take(mentor, int(take.group(1)))
        else:
            return
        await query.answer(reply, show_alert=True)
        if query.message is not None:
            await _mark_card(query, reply)

    async def on_close_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tapped = await _tapping_mentor(update, desk) if desk.closing is not None else None
        if tapped is None or desk.closing is None:
            return
        query, mentor = tapped
        step = CLOSE.match(query.data or "")
        if step is not None:
            prompt = await _closing_step(desk.closing, mentor, int(step.group(1)), step.group(2))
            await query.answer()
            await _show(query, prompt.text, prompt.buttons)
            return
        checkin = CHECKIN.match(query.data or "")
        if checkin is not None:
            reply = await desk.closing.debrief(mentor, int(checkin.group(1)), checkin.group(2))
            await query.answer(reply, show_alert=True)
            await _show(query, reply, [])

    async def on_reply_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tapped = await _mentor_tap(update, desk, REPLY) if desk.relay is not None else None
        if tapped is None or desk.relay is None:
            return
        query, mentor, match = tapped
        chosen = await desk.relay.use(mentor, int(match.group(1)))
        await query.answer(f"Write now: your messages go to {chosen.alias}." if chosen.outcome == "sent"
                           else "That is not one of your open contacts.", show_alert=True)

    async def on_transfer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tapped = await _mentor_tap(update, desk, TRANSFER) if desk.transfers is not None else None
        if tapped is None or desk.transfers is None:
            return
        query, mentor, match = tapped
        contact_id = int(match.group(1) or match.group(3))
        if match.group(3) is not None:
            reply = await desk.transfers.take_over(mentor, contact_id)
            await query.answer(reply)
            await _show(query, reply, [[("Close", f"x:{contact_id}:close")]] if reply.endswith("to them.") else [])
            return
        if match.group(2) is None:
            others = await desk.transfers.candidates(mentor, contact_id)
            await query.answer()
            if not others:
                await _show(query, "Nobody else is on call to take it now." if others is not None
                            else "That contact is not yours to transfer.", [])
                return
            await _show(query, "Transfer to whom?", [[(m.name, f"t:{contact_id}:{m.id}")] for m in others])
            return
        reply = await desk.transfers.transfer(mentor, contact_id, int(match.group(2)))
        await query.answer(reply)
        await _show(query, reply, [])

    async def on_referral_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The checklist and the lawful basis, one button at a time. From a card, the first
        question comes as a new message: the card stays as it was."""
        tapped = await _mentor_tap(update, desk, REFERRAL) if desk.referrals is not None else None
        if tapped is None or desk.referrals is None:
            return
        query, mentor, match = tapped
        prompt = await desk.referrals.tap(mentor, int(match.group(1)), match.group(2))
        await query.answer()
        if match.group(2) == "go" and query.message is not None:
            await query.message.reply_text(prompt.text, reply_markup=_keyboard(prompt.buttons))  # type: ignore[union-attr]
        else:
            await _show(query, prompt.text, prompt.buttons)
        log.info("referral button", mentor_id=mentor.id, referral_id=int(match.group(1)))

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tapped = await _mentor_tap(update, desk, CALLBACK)
        if tapped is None:
            return
        query, mentor, match = tapped
        contact_id, action = int(match.group(1)), match.group(2)
        decision = await desk.decide(mentor, contact_id, action, (TELEGRAM, f"cb:{query.id}"))
        await query.answer(describe(decision, contact_id), show_alert=decision.outcome == "taken")
        log.info("alert button", mentor_id=mentor.id, contact_id=contact_id, action=action,
                 outcome=decision.outcome)
        if decision.outcome == "accepted" and query.message is not None:
            actions = [[("Reply", f"r:{contact_id}"), ("Close", f"x:{contact_id}:close"), ("Transfer", f"t:{contact_id}")],
                       [(b["text"], b["callback_data"]) for b in level_buttons(contact_id, "")]]
            await _show(query, f"{query.message.text}\n{describe(decision, contact_id)}", actions)  # type: ignore[union-attr]
        elif decision.outcome in ("taken", "passed", "closed") and query.message is not None:
            await _mark_card(query, describe(decision, contact_id))

    return [CallbackQueryHandler(on_button, pattern=CALLBACK.pattern),
            CallbackQueryHandler(on_person_button, pattern=PERSON_BUTTON.pattern),
            CallbackQueryHandler(on_level_button, pattern=LEVEL.pattern),
            CallbackQueryHandler(on_close_button, pattern=r"^[xd]:\d+:"),
            CallbackQueryHandler(on_transfer_button, pattern=TRANSFER.pattern),
            CallbackQueryHandler(on_reply_button, pattern=REPLY.pattern),
            CallbackQueryHandler(on_swap_button, pattern=r"^s[ot]:"),
            CallbackQueryHandler(on_referral_button, pattern=r"^f:\d+:"),
            MessageHandler(filters.ALL, on_message)]


async def _mentor_tap(update: Update, desk: MentorDesk,
                      pattern: re.Pattern[str]) -> tuple[CallbackQuery, MentorView, re.Match[str]] | None:
    """A mentor's tap on a button whose data matches ``pattern``; None for anything else."""
    tapped = await _tapping_mentor(update, desk)
    match = pattern.match(tapped[0].data or "") if tapped else None
    if tapped is None or match is None:
        return None
    return tapped[0], tapped[1], match


async def _tapping_mentor(update: Update, desk: MentorDesk) -> tuple[CallbackQuery, MentorView] | None:
    """The button and the mentor who tapped it; anyone else is told the buttons are not theirs."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return None
    mentor = await desk.mentor_for("telegram", str(chat.id))
    if mentor is None:
        await query.answer("Only helpline mentors can use these buttons.", show_alert=True)
        return None
    return query, mentor


async def _mentor_message(update: Update, inbound: InboundMessage, desk: MentorDesk) -> bool:
    """Invite links and mentors' own messages; True when the message was a mentor's."""
    chat, message, text = update.effective_chat, update.effective_message, inbound.text
    if chat is None or message is None:
        return False
    start = START.match(text)
    if start:
        mentor = await desk.link_telegram(start.group(1), str(chat.id))
        if mentor is not None:
            await message.reply_text(f"Welcome, {mentor.first_name}: this Telegram account now gets "
                                     "helpline alerts. " + HELP)
            log.info("mentor linked telegram", mentor_id=mentor.id)
            return True
    mentor = await desk.mentor_for("telegram", str(chat.id))
    if mentor is None:
        return False
    if text.strip().lower().startswith("/swap") and desk.swaps is not None:
        await _offer_shifts(message, mentor, desk.swaps)
        return True
    if text.strip().lower().startswith("/refer") and desk.referrals is not None:
        prompt = await desk.referrals.refer(mentor, text)
        await message.reply_text(prompt.text, reply_markup=_keyboard(prompt.buttons))
        return True
    replied = message.reply_to_message
    replying_to = telegram_message_id(chat.id, replied.message_id) if replied is not None else None
    if text.strip().lower().startswith("/close") and desk.closing is not None and desk.relay is not None:
        target = await desk.relay.target(mentor, replying_to)
        if target is None:
            await message.reply_text("Which contact? Reply /close to one of their messages, or choose with /use first.")
        else:
            prompt = await desk.closing.start(mentor, target)
            await message.reply_text(prompt.text, reply_markup=_keyboard(prompt.buttons))
        return True
    answer = await desk.mentor_text(mentor, text, replying_to, (TELEGRAM, inbound.provider_message_id))
    if answer is not None:
        await message.reply_text(answer)
    log.info("mentor message", mentor_id=mentor.id, relayed=answer is None)
    return True


async def _offer_shifts(message: Message, mentor: MentorView, swaps: Swaps) -> None:
    upcoming = await swaps.upcoming(mentor)
    if not upcoming:
        await message.reply_text("You have no shifts in the next two weeks.")
        return
    rows = [[InlineKeyboardButton(f"{o.role} {swaps.describe(o)}",
                                  callback_data=f"so:{int(o.starts_at.timestamp())}:{o.role[0]}")]
            for o in upcoming]
    await message.reply_text("Which shift would you like someone to take?", reply_markup=InlineKeyboardMarkup(rows))


async def _closing_step(closing: Closing, mentor: MentorView, contact_id: int, step: str) -> Prompt:
    kind, _, value = step.partition(":")
    if kind == "close":
        return await closing.start(mentor, contact_id)
    if kind == "o":
        return await closing.outcome(mentor, contact_id, value)
    if kind == "p":
        return await closing.pathway(mentor, contact_id, value)
    if kind == "pd":
        return await closing.minutes_prompt(mentor, contact_id)
    return await closing.finish(mentor, contact_id, int(value))


def _keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in rows])


async def _show(query: CallbackQuery, text: str, rows: list[list[tuple[str, str]]]) -> None:
    """Replace the prompt in place (best effort: the decision is already stored)."""
    try:
        await query.edit_message_text(text, reply_markup=_keyboard(rows))
    except TelegramError as error:
        log.warning("could not update a prompt", error=type(error).__name__)


async def _mark_card(query: CallbackQuery, line: str) -> None:
    """Show the decision on the card itself and take the buttons away (best effort)."""
    try:
        await query.edit_message_text(f"{query.message.text}\n{line}")  # type: ignore[union-attr]
    except TelegramError as error:
        log.warning("could not update alert card", error=type(error).__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("telegram update failed", update_id=update_id, error=type(context.error).__name__)
    failures = _failures.get()
    if failures is not None:  # webhook: the route answers 500 and Telegram delivers again
        if context.error is not None:
            failures.append(context.error)
    elif isinstance(update, Update):  # polling: Telegram will not send it again, so we retry
        context.application.create_task(_retry_later(context.application, update))


async def _retry_later(application: Application, update: Update) -> None:  # type: ignore[type-arg]
    """Put a polled update back on the queue with back-off until it is stored.

    Held in memory only: if the process also dies, the update is lost; webhook mode has no
    such gap, which is why production uses it.
    """
    attempts: dict[int, int] = application.bot_data.setdefault("update_retries", {})
    attempt = attempts.get(update.update_id, 0) + 1
    if attempt > POLLING_RETRIES:
        log.critical("telegram update dropped after retries", update_id=update.update_id)
        attempts.pop(update.update_id, None)
        return
    attempts[update.update_id] = attempt
    await asyncio.sleep(min(2 ** attempt, 60) / 4)
    await application.update_queue.put(update)


def install(application: Application, intake: Intake, desk: MentorDesk) -> None:  # type: ignore[type-arg]
    application.add_handlers(build_handlers(intake, desk))
    application.add_error_handler(on_error)


async def process_or_raise(application: Application, update: Update) -> None:  # type: ignore[type-arg]
    """Process an update to the end and raise if any handler failed.

    python-telegram-bot hands handler errors to error handlers and returns normally; the
    webhook must know, to answer 500 and have Telegram deliver the update again.
    """
    failures: list[BaseException] = []
    token = _failures.set(failures)
    try:
        await application.process_update(update)
    finally:
        _failures.reset(token)
    if failures:
        raise UpdateFailed(type(failures[0]).__name__) from failures[0]
