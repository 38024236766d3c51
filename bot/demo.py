"""The sample helpline that ``helpline demo`` opens: mentors and a coordinator, a rota with a gap,
and three months of contacts at every level with outcomes and pathways. Created once; the demo
login's password is new at every start and printed, never stored in the repository."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import hash_password
from escalation.closing import OUTCOMES, PATHWAYS
from escalation.triage.classifier import Triage
from storage import agencies, people
from storage import rota as rota_store
from storage import users
from storage.models import Agency, Alert, Contact, ContactEvent, ContactTag, Identity, Mentor, Message, Person

DEMO_USER = "coordinator"
SECOND_USER = "coordinator2"  # referrals need a second person's approval: log in as this one to give it
MENTORS = (  # name, role, languages, telegram chat, phone
    ("Anne Rowe", "mentor", ["en"], "900001", "+447700900101"),
    ("Ben Okafor", "mentor", ["en"], "900002", "+447700900102"),
    ("Cara Doyle", "coordinator", ["en"], "900003", "+447700900103"),
    ("Dev Janssen", "mentor", ["nl", "en"], "900004", "+31612345604"),
    ("Elena Russo", "mentor", ["it", "en"], "900005", "+393331234505"),
)
# weekday, from, to, role, mentor index. Sunday night 00:00-08:00 has no primary: the gap.
SHIFTS = [(d, "08:00", "20:00", "primary", 0 if d % 2 == 0 else 1) for d in range(7)] + \
    [(d, "20:00", "08:00", "primary", 1 if d % 2 == 0 else 0) for d in range(6)] + \
    [(d, "08:00", "20:00", "backup", 3 if d < 4 else 4) for d in range(7)] + \
    [(6, "20:00", "00:00", "primary", 3)]
SAMPLES = (
    ("en", "i've got the tablets saved up and i'm doing it tonight"),
    ("en", "my mate says he's going to end it all, he's on the bridge"),
    ("en", "he's kicking the door in and the kids are here"),
    ("en", "i want to hurt him, i've got a knife"),
    ("en", "i relapsed last night and used again, scared i'll get recalled"),
    ("en", "kicked out of the hostel, nowhere to sleep tonight"),
    ("en", "no money for the meter and no food till friday"),
    ("en", "my old crew keep pressuring me to do a job with them"),
    ("en", "feeling really low and on edge today"),
    ("en", "can you help me with my CV for a warehouse job?"),
    ("en", "what time is my probation appointment on tuesday"),
    ("en", "thanks for yesterday, it helped"),
    ("nl", "ik wil er niet meer zijn, ik heb de pillen al klaar"),
    ("nl", "mijn vriend slaat me en ik mag nergens heen"),
    ("nl", "ik heb geen geld meer voor eten"),
    ("nl", "hoe laat is mijn afspraak morgen"),
    ("it", "voglio farla finita stanotte"),
    ("it", "sono stato cacciato di casa, dormo in macchina"),
    ("it", "ho bisogno di aiuto per trovare lavoro"),
    ("it", "grazie per l'aiuto di ieri"),
)
WEIGHTS = (1, 1, 1, 1, 3, 3, 4, 3, 6, 6, 8, 6, 1, 1, 2, 3, 1, 2, 3, 3)
AGENCIES = (  # name, type, area, e-mail: enough to show a referral end to end
    ("Merseyside MARAC", "marac", "Merseyside", "marac@example.org"),
    ("Merseyside IOM team", "iom", "Merseyside", "iom@example.org"),
    ("Safeguarding lead on call", "emergency", "", "safeguarding@example.org"),
)


async def ensure_demo(session: AsyncSession, triage: Triage, now: datetime, days: int = 91) -> str:
    """Seed the sample once, and give the demo login a fresh password; returns that password."""
    if not await session.scalar(select(func.count()).select_from(Mentor)):
        await _seed(session, triage, now, days)
    if (not await session.scalar(select(func.count()).select_from(Agency))
            and await session.scalar(select(Person.id).where(Person.alias == "P-DEMO00"))):
        await _seed_agencies(session, now)  # with the sample, never into a database of real people
    password = "demo-" + secrets.token_urlsafe(9)
    for username in (DEMO_USER, SECOND_USER):  # a second coordinator approves what the first drafted
        if await users.by_username(session, username) is None:
            await users.add_user(session, username=username, password_hash=hash_password(password),
                                 role="coordinator", mentor_name=None, now=now)
        else:
            await users.set_password(session, username, hash_password(password), now)
    return password


async def _seed(session: AsyncSession, triage: Triage, now: datetime, days: int) -> None:
    rng = random.Random(7)
    mentors = []
    for name, role, languages, chat, phone in MENTORS:
        mentor = Mentor(name=name, role=role, languages=languages, telegram_chat_id=chat, phone=phone, active=True,
                        alert_channel="telegram", fallback_channel="sms", created_at=now - timedelta(days=days))
        session.add(mentor)
        mentors.append(mentor)
    await session.flush()
    for weekday, starts, ends, role, index in SHIFTS:
        await rota_store.add_shift(session, mentor_id=mentors[index].id, weekday=weekday, starts=starts, ends=ends,
                                   role=role, now=now)
    results = {text: triage.classify(text, ()) for _, text in SAMPLES}
    people = [await _person(session, rng, i, now - timedelta(days=days)) for i in range(60)]
    for day in range(days, -1, -1):
        for _ in range(rng.randint(4, 9)):
            opened = now - timedelta(days=day, minutes=rng.randint(0, 24 * 60 - 1))
            if opened >= now - timedelta(minutes=5):
                continue
            lang, text = rng.choices(SAMPLES, weights=WEIGHTS)[0]
            person = rng.choice([p for p in people if p.language == lang] or people)
            await _contact(session, rng, person, mentors, text, results[text], opened, now)
    await session.flush()


async def _seed_agencies(session: AsyncSession, now: datetime) -> None:
    """The sample's agencies (also for a demo database seeded before they existed), and one person
    of the IOM cohort with the IOM team as their IOM contact."""
    added = {name: await agencies.add_agency(session, kind=kind, area=area, name=name, channel="email",
                                             address=address, accepts=[kind], now=now)
             for name, kind, area, address in AGENCIES}
    person = await session.scalar(select(Person).where(Person.iom_cohort.is_(True)).order_by(Person.id).limit(1))
    if person is not None:
        await people.set_iom(session, person.id, cohort=True, case_ref=person.iom_case_ref,
                             agency_id=added["Merseyside IOM team"].id)


async def _person(session: AsyncSession, rng: random.Random, index: int, since: datetime) -> Person:
    lang = rng.choices(("en", "nl", "it"), weights=(8, 1, 1))[0]
    person = Person(alias=f"P-DEMO{index:02d}", language=lang, created_at=since, iom_cohort=index % 4 == 0,
                    iom_case_ref=f"IOM-{2400 + index}" if index % 4 == 0 else None)
    session.add(person)
    await session.flush()
    address = f"+4477009{index:05d}"[:13] if index % 2 else f"55{index:05d}"
    session.add(Identity(person_id=person.id, kind="phone" if index % 2 else "telegram", address=address,
                         created_at=since))
    return person


async def _contact(session: AsyncSession, rng: random.Random, person: Person, mentors: list[Mentor], text: str,
                   result: Any, opened: datetime, now: datetime) -> None:
    """One contact with its message, triage, alert, mentor reply and (unless recent) closing."""
    has_open = await session.scalar(select(Contact.id).where(Contact.person_id == person.id, Contact.status == "open"))
    recent = now - opened < timedelta(hours=6)
    channel = "sms" if person.alias[-1] in "13579" else "telegram"
    level = result.level.label
    team = [m for m in mentors if m.role == "mentor"]
    mentor = rng.choice([m for m in team if person.language in m.languages] or team)
    contact = Contact(person_id=person.id, channel=channel, status="open", urgency=level, opened_at=opened,
                      last_activity_at=opened, assigned_mentor_id=mentor.id if not recent or has_open else None)
    session.add(contact)
    await session.flush()
    message = Message(contact_id=contact.id, channel=channel, direction="in", sender_kind="person", body=text,
                      provider_message_id=f"demo-{contact.id}", received_at=opened, level=level,
                      categories=list(result.categories), triage=result.as_dict())
    session.add(message)
    await session.flush()
    events = [("contact_opened", f"person:{person.id}", opened, {}),
              ("message_received", f"person:{person.id}", opened,
               {"message_id": message.id, "channel": channel, "level": level, "categories": list(result.categories)})]
    for value in result.categories:
        session.add(ContactTag(contact_id=contact.id, kind="category", value=value))
    step = 1 if rng.random() < 0.15 else 0
    alert = Alert(contact_id=contact.id, level=level, step=step, state="open", opened_at=opened)
    session.add(alert)
    await session.flush()
    events.append(("alert_opened", "routing", opened, {"alert_id": alert.id, "level": level}))
    if recent and not has_open:  # still in the queue
        session.add_all(ContactEvent(contact_id=contact.id, kind=k, actor=a, at=t, data=d) for k, a, t, d in events)
        return
    accepted = min(now, opened + timedelta(minutes=rng.choice((1, 2, 3, 4, 6, 9, 14, 25)) * (1 + step)))
    alert.state, alert.accepted_by, alert.accepted_at = "accepted", mentor.id, accepted
    reply = Message(contact_id=contact.id, channel=channel, direction="out", sender_kind="mentor",
                    body=f"{mentor.name.split()[0]}: Hi, it's {mentor.name.split()[0]}, I'm here. Tell me more.",
                    received_at=accepted + timedelta(minutes=1))
    session.add(reply)
    await session.flush()
    outcome = rng.choices(list(OUTCOMES.values())[:4], weights=(6, 3, 2, 1))[0]
    pathways = sorted(set(rng.sample(list(PATHWAYS.values()), rng.randint(0, 2))))
    closed = min(now, accepted + timedelta(minutes=rng.randint(10, 90)))
    contact.status, contact.closed_at, contact.close_reason = "closed", closed, "no_reply" if outcome == "no reply" else "session"
    contact.outcome, contact.pathways, contact.minutes, contact.closed_by = outcome, pathways, rng.choice((10, 15, 20, 30, 45, 60)), mentor.id
    contact.last_activity_at = closed
    for value in pathways:
        session.add(ContactTag(contact_id=contact.id, kind="pathway", value=value))
    events += [("alert_accepted", "routing", accepted, {"alert_id": alert.id, "mentor_id": mentor.id}),
               ("mentor_replied", f"mentor:{mentor.id}", reply.received_at, {"message_id": reply.id, "channel": channel}),
               ("session_closed", f"mentor:{mentor.id}", closed,
                {"outcome": outcome, "pathways": pathways, "minutes": contact.minutes})]
    session.add_all(ContactEvent(contact_id=contact.id, kind=k, actor=a, at=t, data=d) for k, a, t, d in events)
