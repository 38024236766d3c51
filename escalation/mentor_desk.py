"""What mentors do outside the alert cards: link their Telegram account, accept or pass by SMS.

A chat or phone that belongs to a mentor is never taken as a person's: the handlers ask here
first.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Callable

from escalation.closing import Closing
from escalation.corrections import Corrections
from escalation.referrals.desk import ReferralDesk
from escalation.relay import Relay
from escalation.routing import Decision, Receipt, Router
from escalation.swaps import Swaps
from escalation.transfer import Transfers
from escalation.triage.model import Level
from storage import mentors as mentor_store
from storage.db import SessionFactory
from storage.mentors import MentorView
from storage.types import row_id, storable

__all__ = ["HELP", "MentorDesk", "MentorView", "describe"]

SMS_COMMAND = re.compile(r"^\s*(accept|pass)\s+#?([0-9]{1,9})\s*$", re.IGNORECASE)
SMS_LEVEL = re.compile(r"^\s*(emergency|high|medium|low)\s+#?([0-9]{1,9})\s*$", re.IGNORECASE)

HELP = ("You are registered as a helpline mentor. Use the Accept and Pass buttons on alerts"
        " (by SMS: ACCEPT 12 or PASS 12, with the contact number). Once you have a contact, what"
        " you write here goes to them: reply to one of their messages, or pick one with /use 12;"
        " /contacts lists yours. /calls says when your phone may be rung to wake you. /swap offers one of your shifts to the other mentors. /refer 12 marac starts a referral (MARAC, iom, children, adults). If the"
        " triage got a contact's urgency wrong, tap the right level on its card (by SMS: HIGH 12;"
        " /why adds a reason).")


class MentorDesk:
    def __init__(self, sessions: SessionFactory, router: Router, clock: Callable[[], datetime],
                 swaps: Swaps | None = None, relay: Relay | None = None,
                 closing: Closing | None = None, transfers: Transfers | None = None,
                 corrections: Corrections | None = None, referrals: ReferralDesk | None = None) -> None:
        self._sessions = sessions
        self._router = router
        self._clock = clock
        self.swaps = swaps
        self.relay = relay
        self.closing = closing
        self.transfers = transfers
        self.corrections = corrections or Corrections(sessions, router, clock)
        self.referrals = referrals

    async def mentor_for(self, channel: str, address: str) -> MentorView | None:
        async with self._sessions() as session:
            if channel == "telegram":
                return await mentor_store.by_telegram_chat(session, address)
            return await mentor_store.by_phone(session, address)

    async def link_telegram(self, code: str, chat_id: str) -> MentorView | None:
        async with self._sessions() as session, session.begin():
            return await mentor_store.redeem_invite(session, code, chat_id, self._clock())

    async def decide(self, mentor: MentorView, contact_id: int, action: str, receipt: Receipt = None) -> Decision:
        """Accept is idempotent; Pass is not (it runs the next step), so a redelivered Pass is
        recognised by its receipt and does nothing."""
        if action == "accept":
            return await self._router.accept(contact_id, mentor.id)
        return await self._router.pass_(contact_id, mentor.id, receipt)

    async def correct(self, mentor: MentorView, contact_id: int, level: str) -> str:
        """One tap on a level button of a card: the triage was wrong."""
        try:
            chosen = Level.parse(level)
        except ValueError:
            return "That is not a level."
        corrected = await self.corrections.correct(contact_id, chosen, actor=f"mentor:{mentor.id}", mentor_id=mentor.id)
        return corrected.describe(contact_id)

    async def mentor_text(self, mentor: MentorView, text: str, replying_to: str | None = None,
                          receipt: Receipt = None) -> str | None:
        """A mentor's message that is not a button: a command, or words for one of their
        contacts. Returns what to tell the mentor, or None when it was simply relayed."""
        text = storable(text)
        command = text.strip().split()
        if command and command[0].lower() in ("/contacts", "contacts"):
            return _listing(await self.relay.contacts_of(mentor)) if self.relay else HELP
        if len(command) == 2 and command[0].lower() in ("/use", "use") and row_id(command[1].lstrip("#")):
            if self.relay is None:
                return HELP
            chosen = await self.relay.use(mentor, row_id(command[1].lstrip("#")) or 0)
            return (f"Your messages now go to {chosen.alias}." if chosen.outcome == "sent"
                    else "That is not one of your open contacts.\n" + _listing(list(chosen.contacts)))
        if command and command[0].lower() == "/calls":
            return await self._call_window(mentor, " ".join(command[1:]))
        if command and command[0].lower() in ("/why", "why"):
            words = text.strip()[len(command[0]):].strip()
            return await self.corrections.why(mentor.id, words) if words else "Write the reason after /why."
        if command and command[0].lower() == "/note" and self.relay is not None:
            words = text.strip()[len(command[0]):].strip()
            return await self.relay.note(mentor, words, replying_to) if words else "Write the note after /note."
        if text.startswith("/") or self.relay is None:
            return HELP
        relayed = await self.relay.from_mentor(mentor, text, replying_to, receipt)
        if relayed.outcome == "sent":
            return None
        if relayed.outcome == "not_yours":
            return "Not sent: that contact is closed or held by another mentor."
        return "Not sent: which contact is this for? Reply to one of their messages, or choose with /use.\n" + \
            _listing(list(relayed.contacts))

    async def _call_window(self, mentor: MentorView, window: str) -> str:
        if not window:
            return (f"You may be called: {mentor.call_window}. Change it with /calls always, /calls never or "
                    "/calls 22:00-08:00 (the chain's last step rings everyone on call whatever it says).")
        try:
            async with self._sessions() as session, session.begin():
                chosen = await mentor_store.set_call_window(session, mentor.id, window)
        except ValueError as error:
            return str(error)
        return f"The helpline may ring your phone to wake you: {chosen}."

    async def sms_command(self, mentor: MentorView, text: str, receipt: Receipt = None) -> str | None:
        """The reply to a mentor's SMS (ACCEPT 12 / PASS 12, a command), or None when the
        words were relayed to their contact and need no answer."""
        level = SMS_LEVEL.match(text)
        if level:
            return await self.correct(mentor, int(level.group(2)), level.group(1).lower())
        match = SMS_COMMAND.match(text)
        if not match:
            return await self.mentor_text(mentor, text, receipt=receipt)
        decision = await self.decide(mentor, int(match.group(2)), match.group(1).lower(), receipt)
        return describe(decision, int(match.group(2)))


def _listing(open_contacts: list[tuple[int, str, str | None]]) -> str:
    if not open_contacts:
        return "You have no open contacts."
    return "\n".join(f"/use {cid}  {alias} ({urgency or 'low'})" for cid, alias, urgency in open_contacts)


def describe(decision: Decision, contact_id: int) -> str:
    """One line for the mentor, whatever the channel."""
    who = decision.alias or f"#{contact_id}"
    return {
        "accepted": f"You have {who}. Their messages will come to you.",
        "yours": f"{who} is already yours.",
        "reply_due": f"{who} is yours and waiting for your answer: write to them here.",
        "taken": f"{who} was already taken by {decision.by or 'another mentor'}.",
        "closed": f"{who} is closed.",
        "passed": f"Passed {who} on to the next mentor.",
        "duplicate": "Done already.",
    }.get(decision.outcome, f"There is no open alert for #{contact_id}.")
