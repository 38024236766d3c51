"""A referral taken forward from a mentor's phone: the checklist one question at a time with
buttons, then the lawful basis, then the draft goes to a coordinator for approval.

Channel-free: it returns a prompt (text and buttons); ``handlers.telegram`` shows it. Button data
is ``f:<referral>:<step>`` and fits Telegram's 64 bytes. Nothing here is typed by the mentor:
a typed word would be relayed to the person, so every choice is a button."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from escalation.referrals import dash
from escalation.referrals.sharing import (CONSENT, NO_CONSENT, LawfulBasis, condition_for, consent_ways,
                                          needs_approval, reasons, share_label)
from escalation.referrals.workflow import Actor, ReferralError, Referrals, Step, reference
from storage import referrals as store
from storage.db import SessionFactory
from storage.mentors import MentorView

Buttons = list[list[tuple[str, str]]]
REFER = re.compile(r"^/refer\s+#?([0-9]{1,9})\s+([a-z_]{3,30})\s*$", re.IGNORECASE)
REFER_KINDS = {"marac": "marac", "iom": "iom", "mappa": "mappa", "children": "safeguarding_children",
               "adults": "safeguarding_adults"}
ANSWER_WORDS = {"yes": "Yes", "no": "No", "not_known": "Not known"}


@dataclass(frozen=True)
class Prompt:
    text: str
    buttons: Buttons = field(default_factory=list)


def actor_of(mentor: MentorView) -> Actor:
    return Actor(f"mentor:{mentor.id}", mentor.name, mentor.role == "coordinator")


class ReferralDesk:
    def __init__(self, sessions: SessionFactory, referrals: Referrals, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._referrals = referrals
        self._clock = clock

    async def tap(self, mentor: MentorView, referral_id: int, step: str) -> Prompt:
        """One button: ``go`` (start or go on), ``a:<key>:<answer>``, ``c:<how>`` (consent),
        ``n:<reason>`` (without consent), ``no`` (do not refer)."""
        if not await self._may(mentor, referral_id):
            return Prompt("That referral is not one of your contacts'.")
        try:
            return await self._tap(mentor, referral_id, step)
        except ReferralError as error:
            return Prompt(f"{reference(referral_id)}: {error}")

    async def refer(self, mentor: MentorView, text: str) -> Prompt:
        """``/refer 12 marac``: a mentor's own choice to share, for a contact they hold or were
        alerted to; then the same steps as a proposal on a card."""
        match = REFER.match(text)
        if match is None or match.group(2).lower() not in REFER_KINDS:
            return Prompt("Say which contact and what: /refer 12 marac (or iom, children, adults, mappa).")
        contact_id, kind = int(match.group(1)), REFER_KINDS[match.group(2).lower()]
        async with self._sessions() as session:
            allowed = mentor.role == "coordinator" or await store.involved(session, contact_id, mentor.id)
        if not allowed:
            return Prompt("That is not one of your contacts.")
        try:
            referral = await self._referrals.propose(contact_id, kind, actor_of(mentor))
        except ReferralError as error:
            return Prompt(str(error))
        return await self._tap(mentor, referral.id, "go")

    async def _tap(self, mentor: MentorView, referral_id: int, step: str) -> Prompt:
        actor = actor_of(mentor)
        kind, _, rest = step.partition(":")
        if kind == "a":
            key, _, value = rest.rpartition(":")
            step = await self._referrals.answer(referral_id, key, value, actor)
            if key == "safe_to_talk" and value != "yes":
                return Prompt(f"📋 {reference(referral_id)}: not safe to talk now. Stop the questions and keep the "
                              "person safe; do not call or text back unless they said a way is safe. "
                              "Carry on when it is safe.", [[("Carry on", f"f:{referral_id}:go")]])
            return await self._checklist(referral_id, step)
        if kind in ("c", "n"):
            return await self._decide(referral_id, kind, rest, actor)
        if kind == "no":
            await self._referrals.end(referral_id, "declined", f"{mentor.name} decided not to refer", actor)
            return Prompt(f"{reference(referral_id)}: not referred. This is on the contact's record, "
                          "and the coordinators are told.")
        kind_of = await self._kind(referral_id)
        if kind_of == "marac":
            return await self._checklist(referral_id, await self._referrals.next_step(referral_id))
        prompt = self._basis(referral_id, f"{share_label(kind_of)} {reference(referral_id)}.")
        prompt.buttons.append([("Don't refer", f"f:{referral_id}:no")])
        return prompt

    async def _checklist(self, referral_id: int, step: Step) -> Prompt:
        head = f"📋 MARAC {reference(referral_id)} · {step.position} of {step.total}"
        if step.key is not None:
            return Prompt(f"{head}\n{step.text}", [[(label.capitalize() if step.assessment is None
                                                     else ANSWER_WORDS.get(value, label),
                                                     f"f:{referral_id}:a:{step.key}:{value}")
                                                    for value, label in step.choices]])
        assert step.assessment is not None
        lines = [f"📋 MARAC {reference(referral_id)}: {dash.summary(step.assessment)}"]
        if step.criteria:
            lines.append("Criteria met: " + ", ".join(c.replace("_", " ") for c in step.criteria))
        else:
            lines.append("No criterion met yet: a coordinator can still refer on professional judgement "
                         "(dashboard: Referrals).")
            return Prompt("\n".join(lines), [[("Don't refer", f"f:{referral_id}:no")]])
        prompt = self._basis(referral_id, "\n".join(lines))
        if dash.may_downgrade(step.assessment):
            prompt.buttons.append([("Don't refer", f"f:{referral_id}:no")])
        return prompt

    def _basis(self, referral_id: int, head: str) -> Prompt:
        rows: Buttons = [[(f"✅ Consent: {text}", f"f:{referral_id}:c:{how}")] for how, text in consent_ways().items()
                         if how != "signed_form"]
        rows += [[(f"Without consent: {text[:40]}", f"f:{referral_id}:n:{key}")] for key, text in reasons().items()]
        return Prompt(f"{head}\nDoes the person know and agree to this referral? If not, why share anyway?", rows)

    async def _decide(self, referral_id: int, kind: str, value: str, actor: Actor) -> Prompt:
        now = self._clock()
        agreement = self._referrals.policy.agreement
        if kind == "c":
            basis = LawfulBasis(CONSENT, actor.key, now, agreement, how=value, given_at=now)
        else:
            basis = LawfulBasis(NO_CONSENT, actor.key, now, agreement, reason=value, condition=condition_for(value))
        referral = await self._referrals.draft(referral_id, actor, basis=basis)
        if referral.state == "sent":
            return Prompt(f"{reference(referral_id)}: sent to the agency.")
        then = ("a coordinator approves it (dashboard: Referrals), then it is sent"
                if needs_approval(referral.kind) else "it is sent")
        return Prompt(f"{reference(referral_id)} drafted: {then}. A coordinator can add what happened, "
                      "the other party and children on the dashboard.")

    async def _kind(self, referral_id: int) -> str:
        async with self._sessions() as session:
            referral = await store.get(session, referral_id)
            if referral is None:
                raise ReferralError("no such referral")
            return referral.kind

    async def _may(self, mentor: MentorView, referral_id: int) -> bool:
        async with self._sessions() as session:
            referral = await store.get(session, referral_id)
            if referral is None:
                return False
            return mentor.role == "coordinator" or await store.involved(session, referral.contact_id, mentor.id)
