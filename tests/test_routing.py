"""Routing and the escalation chain, step by step with a controllable clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage.models import Alert, AlertDelivery, Contact, Deadline, OutboxItem
from tests.db_queries import event_kinds, rows
from tests.routing_kit import Clock, make_intake, make_router, make_team, sms


async def alerted(sessions, step: int | None = None) -> list[tuple[int, str]]:
    where = [] if step is None else [AlertDelivery.step == step]
    return [(d.mentor_id, d.channel) for d in await rows(sessions, AlertDelivery, *where)]


async def test_a_high_contact_alerts_the_primary_only_with_buttons_and_a_deadline(sessions):
    clock, team = Clock(), await make_team(sessions)
    router = make_router(sessions, clock)
    result = await make_intake(sessions, clock, router).receive(sms("i want to kill myself"))

    assert await alerted(sessions) == [(team.anne, "telegram")]
    card = [o for o in await rows(sessions, OutboxItem) if o.address == "1001"][0]
    buttons = card.options["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["Accept", "Pass"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    assert buttons[0]["callback_data"] == f"c:{result.contact_id}:accept"
    assert "HIGH" in card.body and "suicide / self-harm" in card.body and "+447700900123" not in card.body
    [deadline] = await rows(sessions, Deadline)
    assert deadline.due_at - clock.now == timedelta(seconds=300) and deadline.step == 1
    assert "chain_step" in await event_kinds(sessions, result.contact_id)


async def test_an_emergency_alerts_primary_and_backup_together_with_two_minutes(sessions):
    clock, team = Clock(), await make_team(sessions)
    await make_intake(sessions, clock, make_router(sessions, clock)).receive(sms("pills lined up for tonight"))

    assert sorted(await alerted(sessions)) == [(team.anne, "telegram"), (team.ben, "telegram")]
    [deadline] = await rows(sessions, Deadline)
    assert deadline.due_at - clock.now == timedelta(seconds=120)


async def test_without_an_accept_the_chain_climbs_and_its_last_step_repeats_louder(sessions):
    clock, team = Clock(), await make_team(sessions)
    router = make_router(sessions, clock)
    result = await make_intake(sessions, clock, router).receive(sms("i want to kill myself"))

    clock.advance(seconds=299)
    assert await router.fire_due() == 0
    clock.advance(seconds=1)
    assert await router.fire_due() == 1
    assert await alerted(sessions, 1) == [(team.ben, "telegram")]
    clock.advance(seconds=300)
    await router.fire_due()
    assert await alerted(sessions, 2) == [(team.cara, "telegram")]
    clock.advance(seconds=300)
    await router.fire_due()
    step3 = set(await alerted(sessions, 3))
    assert {(team.anne, "telegram"), (team.ben, "telegram"), (team.cara, "telegram"), (team.cara, "sms")} <= step3
    first_round = len(await alerted(sessions, 3))
    clock.advance(seconds=180)
    await router.fire_due()
    assert len(await alerted(sessions, 3)) > first_round, "the last step repeats, it never goes silent"
    repeat = (await alerted(sessions, 3))[first_round:]
    assert (team.cara, "sms") in repeat and (team.anne, "telegram") in repeat, \
        "louder: SMS to everyone with a phone, Telegram to those without"
    kinds = await event_kinds(sessions, result.contact_id)
    assert kinds.count("chain_step") == 5
    [pending] = [d for d in await rows(sessions, Deadline) if d.state == "pending"]
    assert pending.step == 3


async def test_accept_stops_the_chain_assigns_the_contact_and_tells_the_others(sessions):
    clock, team = Clock(), await make_team(sessions)
    router = make_router(sessions, clock)
    result = await make_intake(sessions, clock, router).receive(sms("pills lined up for tonight"))

    clock.advance(seconds=30)
    decision = await router.accept(result.contact_id, team.anne)
    late = await router.accept(result.contact_id, team.ben)

    assert decision.outcome == "accepted" and late.outcome == "taken" and late.by == "Anne"
    [contact] = await rows(sessions, Contact)
    assert contact.assigned_mentor_id == team.anne
    assert {d.state for d in await rows(sessions, Deadline)} == {"cancelled"}
    taken = [o for o in await rows(sessions, OutboxItem) if o.dedupe_key.startswith("taken:")]
    assert [o.address for o in taken] == ["1002"] and "Taken by Anne" in taken[0].body
    assert taken[0].options["edit_of"] is not None
    clock.advance(hours=1)
    assert await router.fire_due() == 0
    [alert] = await rows(sessions, Alert)
    assert alert.state == "accepted" and alert.accepted_by == team.anne
    assert "alert_accepted" in await event_kinds(sessions, result.contact_id)


async def test_pass_moves_to_the_next_step_at_once(sessions):
    clock, team = Clock(), await make_team(sessions)
    router = make_router(sessions, clock)
    result = await make_intake(sessions, clock, router).receive(sms("i want to kill myself"))

    clock.advance(seconds=10)
    decision = await router.pass_(result.contact_id, team.anne)

    assert decision.outcome == "passed"
    assert await alerted(sessions, 1) == [(team.ben, "telegram")]
    assert "alert_passed" in await event_kinds(sessions, result.contact_id)


async def test_a_gap_tells_the_person_when_a_mentor_answers_and_alerts_coordinators(sessions):
    clock = Clock()
    team = await make_team(sessions, shifts=False)
    async with sessions() as session, session.begin():
        from storage import rota

        await rota.add_shift(session, mentor_id=team.anne, weekday=2, starts="09:00", ends="17:00",
                             role="primary", now=clock.now)
    result = await make_intake(sessions, clock, make_router(sessions, clock)).receive(sms("i want to kill myself"))

    assert await alerted(sessions) == [(team.cara, "telegram")]
    replies = [o.body for o in await rows(sessions, OutboxItem) if o.address == "+447700900123"]
    assert any("No mentor is on duty right now" in r and "Wednesday 09:00" in r and "999" in r for r in replies)
    assert "rota_gap" in await event_kinds(sessions, result.contact_id)


async def test_low_urgency_at_night_is_alerted_quietly_and_waits_only_when_the_person_says_so(sessions):
    clock = Clock(Clock().now.replace(hour=23))
    team = await make_team(sessions)
    router = make_router(sessions, clock)
    intake = make_intake(sessions, clock, router)
    result = await intake.receive(sms("what time is my appointment thursday"))

    [card] = [o for o in await rows(sessions, OutboxItem) if o.address == "1001"]
    assert card.options.get("quiet") is True, "the primary is told at once, without sound"
    clock.advance(minutes=2)
    await intake.receive(sms("it can wait"))
    clock.advance(minutes=30)
    assert await router.fire_due() == 0
    assert await alerted(sessions) == [(team.anne, "telegram")]
    clock.now = clock.now.replace(hour=7, minute=59) + timedelta(days=1)
    assert await router.fire_due() == 0
    clock.advance(minutes=1)
    assert await router.fire_due() == 1
    assert await alerted(sessions) == [(team.anne, "telegram"), (team.anne, "telegram")]
    kinds = await event_kinds(sessions, result.contact_id)
    assert "safety_answered" in kinds and "alert_waits_for_day" in kinds


async def test_a_rise_in_urgency_routes_again_at_the_new_level(sessions):
    clock, team = Clock(), await make_team(sessions)
    intake = make_intake(sessions, clock, make_router(sessions, clock))
    await intake.receive(sms("can someone ring me when they get this"))
    clock.advance(minutes=1)
    await intake.receive(sms("actually i have the pills here and im taking them tonight"))

    alerts = await rows(sessions, Alert)
    assert [(a.level, a.state) for a in alerts] == [("low", "superseded"), ("emergency", "open")]
    assert (team.ben, "telegram") in await alerted(sessions)


async def test_a_deadline_survives_a_restart_and_one_due_during_downtime_fires(sessions):
    clock, team = Clock(), await make_team(sessions)
    await make_intake(sessions, clock, make_router(sessions, clock)).receive(sms("i want to kill myself"))

    clock.advance(minutes=30)  # the process was down; a new one starts
    restarted = make_router(sessions, clock)
    assert await restarted.fire_due() == 1
    assert await alerted(sessions, 1) == [(team.ben, "telegram")]


async def test_two_processes_never_both_fire_the_same_deadline(sessions):
    clock = Clock()
    await make_team(sessions)
    intake = make_intake(sessions, clock, make_router(sessions, clock))
    for number in range(5):
        await intake.receive(sms("i want to kill myself", sender=f"+44770090050{number}"))
    clock.advance(minutes=6)

    fired = await asyncio.gather(make_router(sessions, clock).fire_due(), make_router(sessions, clock).fire_due())

    assert sum(fired) == 5
    assert len(await alerted(sessions, 1)) == 5, "each deadline ran exactly once"


async def test_a_mentor_on_sms_can_accept_by_reply(sessions):
    from tests.routing_kit import make_desk

    clock, team = Clock(), await make_team(sessions)
    router = make_router(sessions, clock)
    result = await make_intake(sessions, clock, router).receive(sms("i want to kill myself"))
    desk = make_desk(sessions, clock, router)
    cara = await desk.mentor_for("sms", "+447700900903")

    reply = await desk.sms_command(cara, f"accept {result.contact_id}")
    again = await desk.sms_command(cara, "hello?")

    assert reply.startswith("You have P-") and again is None, "words from a mentor with one contact go to it"
    [contact] = await rows(sessions, Contact)
    assert contact.assigned_mentor_id == team.cara


async def test_a_mentor_past_the_contact_time_cap_is_passed_over_while_another_is_on_call(sessions):
    clock, team = Clock(), await make_team(sessions)
    router = make_router(sessions, clock)
    intake = make_intake(sessions, clock, router)
    first = await intake.receive(sms("i want to kill myself", sender="+447700900601"))
    await router.accept(first.contact_id, team.anne)
    clock.advance(hours=4, minutes=5)  # Anne has held that contact for over four hours

    second = await intake.receive(sms("i want to kill myself", sender="+447700900602"))

    deliveries = await rows(sessions, AlertDelivery)
    latest = [d for d in deliveries if d.alert_id != deliveries[0].alert_id]
    assert [(d.mentor_id, d.step) for d in latest] == [(team.ben, 0)], "Ben, the backup on call, is asked instead"
    assert second.contact_id != first.contact_id


async def test_the_persons_named_mentor_is_preferred_when_on_call_and_speaking_their_language(sessions):
    from storage import rota
    from storage.models import Person

    clock, team = Clock(), await make_team(sessions)
    async with sessions() as session, session.begin():
        for day in range(7):  # Dev (Dutch-speaking) is on call too, as a second primary
            await rota.add_shift(session, mentor_id=team.dev, weekday=day, starts="00:00", ends="00:00",
                                 role="primary", now=clock.now)
    intake = make_intake(sessions, clock, make_router(sessions, clock))
    first = await intake.receive(sms("what time is my appointment", sender="+447700900777"))
    async with sessions() as session, session.begin():
        person = await session.get(Person, first.person_id)
        person.named_mentor_id = team.dev
        contact = await session.get(Contact, first.contact_id)
        contact.status = "closed"

    clock.advance(minutes=5)
    second = await intake.receive(sms("i want to die", sender="+447700900777"))

    alerts = await rows(sessions, Alert)
    newest = [d for d in await rows(sessions, AlertDelivery) if d.alert_id == alerts[-1].id]
    assert [(d.mentor_id, d.channel, d.step) for d in newest] == [(team.dev, "sms", 0)], \
        "only Dev, the named mentor, although Anne (also English) is the other primary"
    assert second.contact_id != first.contact_id


async def test_invite_codes_are_single_use_and_expire(sessions):
    from storage import mentors

    clock, team = Clock(), await make_team(sessions)
    async with sessions() as session, session.begin():
        fresh = await mentors.create_invite(session, team.dev, clock.now, timedelta(days=7))
        stale = await mentors.create_invite(session, team.dev, clock.now - timedelta(days=8), timedelta(days=7))
    async with sessions() as session, session.begin():
        assert await mentors.redeem_invite(session, stale, "777", clock.now) is None
        linked = await mentors.redeem_invite(session, fresh, "777", clock.now)
        assert linked is not None and linked.id == team.dev and linked.has_telegram
    async with sessions() as session, session.begin():
        assert await mentors.redeem_invite(session, fresh, "888", clock.now) is None


async def test_idle_contacts_close_as_no_reply_but_never_one_still_being_chased(sessions):
    from escalation.idle import close_idle

    clock, team = Clock(), await make_team(sessions)
    router = make_router(sessions, clock)
    intake = make_intake(sessions, clock, router)
    answered = await intake.receive(sms("i want to kill myself", sender="+447700900801"))
    await router.accept(answered.contact_id, team.anne)
    chased = await intake.receive(sms("i want to kill myself", sender="+447700900802"))

    clock.advance(hours=12, minutes=1)
    closed = await close_idle(sessions, router.notifier, clock, timedelta(hours=12))

    states = {c.id: (c.status, c.close_reason) for c in await rows(sessions, Contact)}
    assert closed == 1
    assert states[answered.contact_id] == ("closed", "no_reply")
    assert states[chased.contact_id] == ("open", None), "an unanswered alert keeps its contact open"
    told = [o.body for o in await rows(sessions, OutboxItem) if o.dedupe_key.startswith("idle:")]
    assert len(told) == 1 and "closed as no reply after 12 hours" in told[0]


async def test_the_card_says_when_the_person_is_in_the_iom_cohort(sessions):
    from storage.models import Person

    clock = Clock()
    await make_team(sessions)
    intake = make_intake(sessions, clock, make_router(sessions, clock))
    first = await intake.receive(sms("what time is group", sender="+447700900991"))
    async with sessions() as session, session.begin():
        (await session.get(Person, first.person_id)).iom_cohort = True
        (await session.get(Contact, first.contact_id)).status = "closed"
    await intake.receive(sms("i want to kill myself", sender="+447700900991"))

    cards = [o.body for o in await rows(sessions, OutboxItem) if o.address == "1001"]
    assert "IOM cohort" in cards[-1] and "IOM cohort" not in cards[0]
