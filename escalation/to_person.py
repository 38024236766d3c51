"""Writing to a person: on the channel they last wrote from, stored in the transcript, sent
through the outbox. Used by the relay, closing and routing alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from escalation.channels import REPLY_CHANNEL, identity_kind
from storage import contacts, opt_outs, outbox, people
from storage import relay as relay_store
from storage.events import append_event
from storage.models import Contact, Person

SMS_PART = 1500  # characters; Twilio joins up to 1,600, longer texts go as numbered parts


async def send_to_person(session: AsyncSession, contact: Contact, person: Person, body: str,
                         sender_kind: str, event: str, actor: str, now: datetime) -> int:
    """A message to the person on the channel they last wrote from, stored in the transcript;
    its message id. (To a person who opted out, the outbox holds it back: see ``held_back``.)"""
    inbound = await relay_store.latest_inbound_channel(session, contact.id) or contact.channel
    channel = REPLY_CHANNEL[inbound]
    address = await people.address_of(session, person.id, identity_kind(channel))
    if address is None:
        raise LookupError(f"contact {contact.id} has no {channel} address")
    message_id = await contacts.add_message(session, contact, channel=channel, direction="out",
                                            sender_kind=sender_kind, body=body, at=now)
    for number, part in enumerate(split_for(channel, body)):
        await outbox.enqueue(session, dedupe_key=f"{sender_kind}:{message_id}:{number}", channel=channel,
                             address=address, body=part, now=now, contact_id=contact.id,
                             message_id=message_id if number == 0 else None)
    await append_event(session, contact.id, event, actor, now, message_id=message_id, channel=channel)
    return message_id


async def held_back(session: AsyncSession, contact: Contact, person: Person, now: datetime) -> bool:
    """Would a message to the person queued now be held back, because they opted out (SMS STOP,
    a blocked bot) and have not written since?"""
    inbound = await relay_store.latest_inbound_channel(session, contact.id) or contact.channel
    channel = REPLY_CHANNEL[inbound]
    address = await people.address_of(session, person.id, identity_kind(channel))
    return address is not None and await opt_outs.held_back_now(session, channel, address, now)


def split_for(channel: str, body: str) -> list[str]:
    """Telegram takes 4,096 characters; an SMS over 1,500 is sent as numbered parts, split
    between words so that no word is cut."""
    limit = SMS_PART if channel == "sms" else 4000
    if len(body) <= limit:
        return [body]
    parts, current = [], ""
    for word in body.split(" "):
        if current and len(current) + 1 + len(word) > limit - 8:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    parts.append(current)
    return [f"({i}/{len(parts)}) {p}" for i, p in enumerate(parts, start=1)]
