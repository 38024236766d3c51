"""Referrals through the real pipeline on a fixed clock: a disclosure at 03:00 taken from the card
through the Dash checklist on Telegram to a MARAC referral a real SMTP server receives and the
agency acknowledges; an emergency told to the safeguarding lead at once; an IOM cohort member's
risk told to their IOM officer by SMS, who acknowledges with a reply code; reminders; refusals."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from escalation.referrals.sharing import LawfulBasis
from escalation.referrals.workflow import Actor, ReferralError
from storage import agencies, audit, people
from storage.models import ContactEvent, OutboxItem, Person, Referral
from storage.sealing import lookup_key
from tests.night_kit import AT_2PM, AT_3AM, ANNE, BEN, CARA, PERSON, Line, buttons, open_line
from tests.smtp_server import SmtpServer

DISCLOSURE = "My partner hit me again last night and I'm scared to go home"
SUICIDAL = "I'm going to kill myself tonight"
THREAT = "I'm going to batter the guy who grassed on me"
IOM_OFFICER = "+447700900555"


async def referral_line(backend: Any, sessions: Any, fake_bot: Any, fake_twilio: Any, start_helpline: Any,
                        smtp: SmtpServer, at: datetime) -> Line:
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, at,
                           smtp_host=smtp.host, smtp_port=smtp.port, smtp_from="helpline@helpline.test",
                           smtp_ca_file=smtp.ca_file, service_name="Merseyside Mentoring Helpline",
                           sharing_agreement="Merseyside IOM information sharing agreement 2026")


async def add_agency(line: Line, name: str, kind: str, channel: str, address: str, area: str = "Merseyside") -> int:
    async with line.sessions() as session, session.begin():
        return (await agencies.add_agency(session, kind=kind, area=area, name=name, channel=channel, address=address,
                                          accepts=[kind], now=line.clock.now)).id


async def disclosed(backend: Any, sessions: Any, fake_bot: Any, fake_twilio: Any, start_helpline: Any,
                    smtp: SmtpServer, at: datetime, address: str = "marac@agency.test") -> tuple[Line, Referral]:
    """A MARAC agency, and a disclosure of domestic abuse that proposes a referral to it."""
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp, at)
    await add_agency(line, "Merseyside MARAC", "marac", "email", address)
    await line.sms(DISCLOSURE)
    return line, await referral_of(line, "marac")


async def referral_of(line: Line, kind: str) -> Referral:
    async with line.sessions() as session:
        [found] = (await session.scalars(select(Referral).where(Referral.kind == kind))).all()
        return found


async def events(line: Line, contact_id: int) -> list[str]:
    async with line.sessions() as session:
        return [e.kind for e in await session.scalars(select(ContactEvent).where(
            ContactEvent.contact_id == contact_id, ContactEvent.kind.like("referral_%")).order_by(ContactEvent.id))]


async def tap_through_checklist(line: Line, chat: int, prompt: dict[str, Any], yes: int) -> dict[str, Any]:
    """Answer the two questions before, then ``yes`` yes answers and the rest no, by the buttons shown."""
    answered = 0
    for _ in range(40):  # 26 questions; a prompt that does not move on fails the test, not hangs it
        choices = dict((data.rsplit(":", 1)[1], data) for _, data in buttons(prompt) if ":a:" in data)
        if not choices:
            return prompt
        if "this_number_no_message" in choices:
            pick = choices["this_number_no_message"]
        elif "yes" in choices and ":a:safe_to_talk:" not in next(iter(choices.values())):
            pick = choices["yes"] if answered < yes else choices["no"]
            answered += 1
        else:
            pick = choices["yes"]
        await line.tap(chat, pick)
        prompt = line.edits_to(chat)[-1]
    raise AssertionError(f"the checklist did not finish: {prompt['text']}")


def attachment(received: Any) -> str:
    [part] = list(received.message.iter_attachments())
    return part.get_content()


def body(received: Any) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


# --- MARAC --------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_disclosure_at_3am_goes_through_the_checklist_to_an_acknowledged_marac_referral(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_3AM)
    await add_agency(line, "Merseyside MARAC", "marac", "email", "marac@agency.test")
    await line.sms(DISCLOSURE)

    [card] = line.cards_to(ANNE)
    assert "MARAC referral proposed" in card["text"]
    [(label, go)] = [(t, d) for t, d in buttons(card) if d.startswith("f:")]
    assert label == "📋 MARAC referral"
    await line.tap(ANNE, f"c:{card['text'].split('#')[1].split()[0]}:accept")
    await line.tap(ANNE, go)
    first = line.sent_to(ANNE)[-1]
    assert "safe" in first["text"].lower() and "1 of 26" in first["text"]

    summary = await tap_through_checklist(line, ANNE, first, yes=15)
    assert "15 of 24 yes: visible high risk" in summary["text"]
    assert "Criteria met: visible high risk" in summary["text"]
    assert not [d for _, d in buttons(summary) if d.endswith(":no")], "visible high risk cannot be declined"
    consent = next(d for t, d in buttons(summary) if d.endswith(":c:said_on_call"))
    await line.tap(ANNE, consent)
    assert "a coordinator approves it" in line.edits_to(ANNE)[-1]["text"]
    assert any("waits for a coordinator's approval" in m["text"] for m in line.sent_to(CARA))
    assert smtp_server.received == [], "nothing leaves before a second person approves"

    referral = await referral_of(line, "marac")
    with pytest.raises(ReferralError, match="only a coordinator"):
        await line.helpline.services.referrals.approve(referral.id, Actor(f"mentor:{line.team.anne}", "Anne", False))
    await line.helpline.services.referrals.approve(referral.id, Actor(f"mentor:{line.team.cara}", "Cara", True))
    await line.settle()

    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["marac@agency.test"] and mail.over_tls
    assert f"HL-{referral.id}" in mail.message["Subject"] and "MARAC referral" in mail.message["Subject"]
    document = attachment(mail)
    alias = (await person_alias(line))
    for expected in (alias, "15 of 24 yes: visible high risk", "Merseyside IOM information sharing agreement 2026",
                     "said yes on a call", "Anne Primary", "Cara Coordinator", "do NOT leave messages"):
        assert expected in document, expected
    assert PERSON in document, "the person said this number is safe to call back"
    assert "scared to go home" not in document and "scared to go home" not in body(mail), "no transcript"
    link = re.search(r"https://\S+/referrals/ack/(\S+)", body(mail))
    assert link is not None

    await line.at(minutes=5)
    assert (await referral_of(line, "marac")).state == "delivered"
    client = line.helpline.client
    asked = await client.get(f"/referrals/ack/{link.group(1)}")  # a mail scanner opening the link
    assert asked.status == 200 and (await referral_of(line, "marac")).state == "delivered"
    confirmed = await client.post(f"/referrals/ack/{link.group(1)}")
    assert confirmed.status == 200 and (await referral_of(line, "marac")).state == "acknowledged"
    assert (await client.post(f"/referrals/ack/{link.group(1)}")).status == 404, "a one-time link"
    assert await events(line, referral.contact_id) == [
        "referral_proposed", "referral_checklist_completed", "referral_edited", "referral_drafted", "referral_approved",
        "referral_sent", "referral_delivered", "referral_acknowledged"]
    async with line.sessions() as session:
        sent = [e for e in await audit.entries(session, "referral_sent")]
    assert sent[0].detail["agency"] == "Merseyside MARAC" and sent[0].detail["basis"] == "consent"
    assert sent[0].actor == f"mentor:{line.team.cara}"


async def person_alias(line: Line) -> str:
    async with line.sessions() as session:
        return (await session.scalars(select(Person.alias))).one()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_nothing_is_sent_without_a_lawful_basis_and_never_approved_by_who_drafted_it(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line, referral = await disclosed(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM,
                                     "marac@agency.test")
    referrals = line.helpline.services.referrals
    cara = Actor(f"mentor:{line.team.cara}", "Cara", True)
    await referrals.draft(referral.id, cara, details={"judgement_reason": "Threats escalating; he has a knife"})

    with pytest.raises(ReferralError, match="second person"):
        await referrals.approve(referral.id, cara)
    user_of_anne = Actor(f"mentor:{line.team.anne}", "anne (dashboard)", True)
    with pytest.raises(ReferralError, match="lawful basis"):
        await referrals.approve(referral.id, user_of_anne)
    with pytest.raises(ReferralError, match="needs a reason"):
        await referrals.draft(referral.id, cara, basis=LawfulBasis("no_consent", cara.key, AT_2PM, "ISA", reason=" ",
                                                                   condition="safeguarding"))
    await line.settle()
    assert smtp_server.received == []
    assert (await referral_of(line, "marac")).state == "drafted"

    await referrals.draft(referral.id, cara, basis=LawfulBasis("no_consent", cara.key, AT_2PM, "ISA",
                                                               reason="serious_harm", condition="safeguarding"))
    await referrals.approve(referral.id, user_of_anne)
    await line.settle()
    [mail] = smtp_server.received
    document = attachment(mail)
    assert "professional judgement" in document and "Threats escalating; he has a knife" in document
    assert "shared without consent" in document and "DPA 2018 Sch. 1 para. 18" in document
    assert PERSON not in document, "no safe number was recorded, so no number is shared"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_unacknowledged_referrals_remind_the_coordinators_after_a_day_and_daily_until_acknowledged(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line, referral = await disclosed(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM,
                                     "marac@agency.test")
    referrals = line.helpline.services.referrals
    anne = Actor(f"mentor:{line.team.anne}", "Anne", False)
    await referrals.draft(referral.id, anne, details={"judgement_reason": "Repeat victim, escalating"},
                          basis=LawfulBasis("consent", anne.key, AT_2PM, "ISA", how="said_in_message", given_at=AT_2PM))
    await referrals.approve(referral.id, Actor(f"mentor:{line.team.cara}", "Cara", True))

    def reminders() -> list[str]:
        return [m["text"] for m in line.sent_to(CARA) if "has not been acknowledged" in m["text"]]

    await line.at(hours=23, minutes=59)
    assert reminders() == []
    await line.at(hours=24)
    assert len(reminders()) == 1 and f"HL-{referral.id}" in reminders()[0] and "Merseyside MARAC" in reminders()[0]
    await line.at(hours=36)
    assert len(reminders()) == 1
    await line.at(hours=48)
    assert len(reminders()) == 2
    await referrals.record_acknowledgement(referral.id, "phoned to confirm", Actor(f"mentor:{line.team.cara}", "Cara", True))
    await line.at(hours=96)
    assert len(reminders()) == 2


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_mentor_who_was_not_alerted_cannot_take_the_referral_and_a_refused_delivery_comes_back(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line, referral = await disclosed(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM,
                                     "nobody@agency.test")
    await line.tap(BEN, f"f:{referral.id}:go")
    assert "not one of your contacts" in line.sent_to(BEN)[-1]["text"]

    smtp_server.refuse_recipients()
    referrals = line.helpline.services.referrals
    anne = Actor(f"mentor:{line.team.anne}", "Anne", False)
    await referrals.draft(referral.id, anne, details={"judgement_reason": "Escalating threats"},
                          basis=LawfulBasis("consent", anne.key, AT_2PM, "ISA", how="said_on_call", given_at=AT_2PM))
    await referrals.approve(referral.id, Actor(f"mentor:{line.team.cara}", "Cara", True))
    await line.settle()
    await line.at(minutes=1)
    assert (await referral_of(line, "marac")).state == "approved"
    assert any("could not be delivered" in m["text"] for m in line.sent_to(CARA))
    smtp_server.accept()
    await referrals.send_again(referral.id, Actor(f"mentor:{line.team.cara}", "Cara", True))
    await line.settle()
    await line.at(minutes=2)
    assert len(smtp_server.received) == 1 and (await referral_of(line, "marac")).state == "delivered"


# --- emergency ----------------------------------------------------------------------------------


@pytest.mark.parametrize("at", [AT_3AM, AT_2PM], ids=["03:00", "14:00"])
async def test_an_emergency_tells_the_safeguarding_lead_at_once_and_the_card_says_what_to_do(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, at):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, at)
    await add_agency(line, "Safeguarding lead on call", "emergency", "email", "lead@agency.test", area="")
    await line.sms(SUICIDAL)

    [mail] = smtp_server.received  # no mentor has done anything yet
    assert mail.rcpt_tos == ["lead@agency.test"] and "EMERGENCY" in mail.message["Subject"]
    document = attachment(mail)
    assert "kill myself" not in document and PERSON not in document
    assert "vital interests" in document and "not needed (emergency)" in document
    [card] = line.cards_to(ANNE)
    assert "call 999" in card["text"] and "The safeguarding lead has been told." in card["text"]
    assert not card.get("disable_notification")
    referral = await referral_of(line, "emergency")
    assert referral.approved_by is None and referral.state == "sent"
    assert await events(line, referral.contact_id) == ["referral_proposed", "referral_sent"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_an_emergency_with_no_safeguarding_lead_configured_asks_the_coordinators_to_call(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_3AM)
    await line.sms(SUICIDAL)
    assert smtp_server.received == []
    [told] = [m for m in line.sent_to(CARA) if "Safeguarding lead NOT told" in m["text"]]
    assert "Call them yourself now" in told["text"]
    [card] = line.cards_to(ANNE)
    assert "could NOT be told" in card["text"] and "call 999" in card["text"]


# --- IOM ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_an_iom_cohort_members_risk_goes_to_their_iom_officer_who_acknowledges_by_text(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM)
    officer = await add_agency(line, "Merseyside IOM team", "iom", "sms", IOM_OFFICER)
    async with line.sessions() as session, session.begin():
        person = await people.create_person(session, "phone", PERSON, AT_2PM)
        person.iom_cohort, person.iom_case_ref, person.iom_agency_id = True, "IOM-4471", officer
    await line.sms(THREAT)

    [card] = line.cards_to(ANNE)
    go = next(d for t, d in buttons(card) if d.startswith("f:"))
    await line.tap(ANNE, go)
    basis = line.sent_to(ANNE)[-1]
    assert "IOM notification" in basis["text"]
    await line.tap(ANNE, next(d for t, d in buttons(basis) if d.endswith(":n:risk_to_others")))
    referral = await referral_of(line, "iom")
    await line.helpline.services.referrals.approve(referral.id, Actor(f"mentor:{line.team.cara}", "Cara", True))
    await line.settle()

    [text] = line.texts_to(IOM_OFFICER)
    assert "IOM-4471" in text and "batter" not in text and "preventing or detecting unlawful acts" in text.lower()
    code = re.search(r"reply ACK (\w{6})", text, re.IGNORECASE)
    assert code is not None
    await line.sms(f"ack {code.group(1)}", sender=IOM_OFFICER)
    assert (await referral_of(line, "iom")).state == "acknowledged"
    assert line.texts_to(IOM_OFFICER) == [text], "the officer's reply is not a new person's contact"
    async with line.sessions() as session:
        assert await people.find_person(session, "phone", IOM_OFFICER) is None
    assert [m for m in line.cards_to(ANNE)] == [card]


async def test_a_reply_code_from_another_number_is_a_persons_message(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM)
    await line.sms("ACK ABC123", sender="+447700900777")
    async with line.sessions() as session:
        assert await people.find_person(session, "phone", "+447700900777") is not None
    async with line.sessions() as session:
        assert (await session.scalars(select(OutboxItem).where(OutboxItem.address_key == lookup_key("+447700900777")))).first()


# --- the rules and the checklist's flags ----------------------------------------------------------


async def answer_all(line: Line, referral_id: int, yes: int) -> Any:
    from escalation.referrals import dash

    referrals, anne = line.helpline.services.referrals, Actor(f"mentor:{line.team.anne}", "Anne", False)
    await referrals.answer(referral_id, "safe_to_talk", "yes", anne)
    step = await referrals.answer(referral_id, "safe_callback", "no_safe_number", anne)
    for i, question in enumerate(dash.questions()):
        step = await referrals.answer(referral_id, question.key, "yes" if i < yes else "no", anne)
    return step


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_three_abuse_contacts_in_a_year_and_an_earlier_marac_referral_are_flagged(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    from storage import contacts, tags

    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM)
    async with line.sessions() as session, session.begin():
        person = await people.create_person(session, "phone", PERSON, AT_2PM - timedelta(days=400))
        for days in (400, 200, 100):  # the first is more than a year ago: it does not count
            earlier = await contacts.open_contact(session, person.id, "sms", AT_2PM - timedelta(days=days))
            await tags.add_tags(session, earlier.id, tags.CATEGORY, ["domestic_abuse"])
            await contacts.close_contact(session, earlier, AT_2PM - timedelta(days=days), reason="closed", actor="test")
    await line.sms(DISCLOSURE)
    referral = await referral_of(line, "marac")
    step = await answer_all(line, referral.id, yes=5)
    assert step.criteria == ("potential_escalation",), "this contact and the two within 12 months make three"
    assert "5 of 24 yes" in (await line.helpline.services.referrals.preview(referral.id))[0]

    async with line.sessions() as session, session.begin():
        earlier_referral = await session.get(Referral, referral.id)
        earlier_referral.state, earlier_referral.sent_at = "acknowledged", AT_2PM - timedelta(days=60)
    await line.sms("He came back and smashed the door, I'm scared", sender=PERSON)
    async with line.sessions() as session:
        assert len((await session.scalars(select(Referral).where(Referral.kind == "marac"))).all()) == 1, \
            "proposed once per contact"
    proposed = await line.helpline.services.referrals.propose(referral.contact_id, "marac",
                                                              Actor(f"mentor:{line.team.anne}", "Anne", False))
    step = await answer_all(line, proposed.id, yes=2)
    assert step.criteria == ("repeat", "potential_escalation")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_what_does_and_does_not_propose_a_referral(backend, sessions, fake_bot, fake_twilio, start_helpline,
                                                        smtp_server):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM)
    await line.sms(THREAT)  # violence at high, but not in the IOM cohort: nothing to propose
    await line.sms("I'm scared he'll hurt the baby", sender="+447700900124")
    async with line.sessions() as session:
        kinds = [r.kind for r in await session.scalars(select(Referral))]
    assert kinds == ["safeguarding_children"]
    [card] = line.cards_to(ANNE)[-1:]
    assert "Children's safeguarding referral proposed" in card["text"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_not_safe_to_talk_stops_the_questions_and_a_mentors_no_is_told_to_the_coordinators(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_3AM)
    await line.sms(DISCLOSURE)
    referral = await referral_of(line, "marac")
    await line.tap(ANNE, f"f:{referral.id}:go")
    await line.tap(ANNE, f"f:{referral.id}:a:safe_to_talk:no")
    stopped = line.edits_to(ANNE)[-1]
    assert "not safe to talk now" in stopped["text"] and buttons(stopped) == [("Carry on", f"f:{referral.id}:go")]
    await line.tap(ANNE, f"f:{referral.id}:go")
    assert "call the person back safely" in line.sent_to(ANNE)[-1]["text"]

    from escalation.referrals import dash

    await line.tap(ANNE, f"f:{referral.id}:a:safe_callback:not_known")
    for question in dash.questions():
        await line.tap(ANNE, f"f:{referral.id}:a:{question.key}:no")
    summary = line.edits_to(ANNE)[-1]
    assert "0 of 24 yes" in summary["text"] and buttons(summary) == [("Don't refer", f"f:{referral.id}:no")]
    await line.tap(ANNE, f"f:{referral.id}:no")
    assert (await referral_of(line, "marac")).state == "declined"
    [told] = [m for m in line.sent_to(CARA) if "decided not to make" in m["text"]]
    assert f"HL-{referral.id}" in told["text"] and "Anne Primary" in told["text"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_mentor_refers_on_their_own_choice_with_a_command(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM)
    await line.sms("I had a row with my girlfriend and I don't know what to do")
    [card] = line.cards_to(ANNE)
    contact = card["text"].split("#")[1].split()[0]
    await line.tap(ANNE, f"c:{contact}:accept")
    await line.telegram(ANNE, f"/refer {contact} marac")
    assert "Is it safe" in line.sent_to(ANNE)[-1]["text"]
    await line.telegram(BEN, f"/refer {contact} marac")
    assert line.sent_to(BEN)[-1]["text"] == "That is not one of your contacts."
    assert not [t for t in line.texts_to(PERSON) if "/refer" in t], "a command is never relayed to the person"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_sharing_report_counts_months_in_the_helplines_time_and_leaves_out_failed_deliveries(sessions):
    from zoneinfo import ZoneInfo

    from escalation.referrals.report import sharing_report
    from storage import contacts

    may_night = datetime(2026, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 1 June in London
    async with sessions() as session, session.begin():
        agency = await agencies.add_agency(session, kind="marac", area="", name="MARAC", channel="email",
                                           address="m@agency.test", accepts=["marac"], now=may_night)
        person = await people.create_person(session, "phone", PERSON, may_night)
        contact = await contacts.open_contact(session, person.id, "sms", may_night)
        for state, acked in (("acknowledged", may_night + timedelta(hours=5)), ("approved", None)):
            session.add(Referral(contact_id=contact.id, person_id=person.id, kind="marac", reason="test",
                                 agency_id=agency.id, state=state, criteria=[], dash={}, details={},
                                 basis={"kind": "consent"}, proposed_at=may_night, proposed_by="test",
                                 sent_at=may_night, acknowledged_at=acked, reminders=0))
    async with sessions() as session:
        report = await sharing_report(session, may_night - timedelta(days=30), may_night + timedelta(days=30),
                                      ZoneInfo("Europe/London"))
    assert report.by_month == (("2026-06", 1),) and report.total == 1 and report.unacknowledged == 0
    [line] = report.lines
    assert (line.agency, line.basis, line.median_hours_to_ack) == ("MARAC", "consent", 5.0)


async def test_two_people_proposing_the_same_referral_at_once_make_one(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    import asyncio

    line = await referral_line(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM)
    await line.sms("I had a row with my girlfriend and I don't know what to do")
    async with line.sessions() as session:
        contact_id = (await session.scalars(select(ContactEvent.contact_id))).first()
    referrals = line.helpline.services.referrals
    made = await asyncio.gather(*[referrals.propose(contact_id, "marac", Actor(f"mentor:{who}", str(who), True))
                                  for who in (line.team.anne, line.team.cara, line.team.ben)])
    assert len({r.id for r in made}) == 1
    async with line.sessions() as session:
        assert len((await session.scalars(select(Referral))).all()) == 1
        assert len(await audit.entries(session, "referral_proposed")) == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_checklist_too_long_for_a_text_is_refused_whole_not_cut(
        backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server):
    line, referral = await disclosed(backend, sessions, fake_bot, fake_twilio, start_helpline, smtp_server, AT_2PM,
                                     "marac@agency.test")
    async with line.sessions() as session, session.begin():
        marac = await agencies.by_name(session, "Merseyside MARAC")
        await agencies.set_active(session, marac.id, False)
        await agencies.add_agency(session, kind="marac", area="Merseyside", name="MARAC by text", channel="sms",
                                  address=IOM_OFFICER, accepts=["marac"], now=AT_2PM)
    await answer_all(line, referral.id, yes=15)
    anne = Actor(f"mentor:{line.team.anne}", "Anne", False)
    await line.helpline.services.referrals.draft(
        referral.id, anne, basis=LawfulBasis("consent", anne.key, AT_2PM, "ISA", how="said_on_call", given_at=AT_2PM))
    with pytest.raises(ReferralError, match="too long for sms: give MARAC by text an e-mail address"):
        await line.helpline.services.referrals.approve(referral.id, Actor(f"mentor:{line.team.cara}", "Cara", True))
    await line.settle()
    assert line.texts_to(IOM_OFFICER) == [] and (await referral_of(line, "marac")).state == "drafted"
