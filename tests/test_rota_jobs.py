"""Reminders before a shift, a handover when it starts, and the daily gap report, each sent once."""

from __future__ import annotations


from escalation.rota_jobs import RotaJobs
from storage import rota
from storage.models import OutboxItem
from tests.db_queries import rows
from tests.routing_kit import Clock, make_intake, make_router, make_team, sms


async def jobs_for(sessions, clock):
    router = make_router(sessions, clock)
    return RotaJobs(sessions, router.notifier, router._zone, clock), router


async def to(sessions, address: str) -> list[str]:
    return [o.body for o in await rows(sessions, OutboxItem) if o.address == address]


async def test_a_mentor_is_reminded_before_a_shift_and_handed_over_at_its_start_once(sessions):
    clock = Clock()  # Tuesday 14:00
    team = await make_team(sessions, shifts=False)
    async with sessions() as session, session.begin():
        await rota.add_shift(session, mentor_id=team.anne, weekday=1, starts="14:20", ends="22:00",
                             role="primary", now=clock.now)
    jobs, router = await jobs_for(sessions, clock)
    intake = make_intake(sessions, clock, router)
    await intake.receive(sms("i want to kill myself"))
    await intake.receive(sms("hello?"))

    await jobs.remind_and_hand_over()
    await jobs.remind_and_hand_over()
    clock.advance(minutes=21)
    await jobs.remind_and_hand_over()
    await jobs.remind_and_hand_over()

    messages = await to(sessions, "1001")
    reminders = [m for m in messages if m.startswith("Reminder")]
    handovers = [m for m in messages if m.startswith("Your primary shift has started")]
    assert reminders == ["Reminder: your primary shift starts at Tue 24 Nov 14:20."]
    assert len(handovers) == 1 and "P-" in handovers[0] and "high" in handovers[0]
    assert "Most urgent (high): “i want to kill myself”" in handovers[0], "the handover keeps the crisis, not 'hello?'"


async def test_coordinators_get_the_gaps_of_the_next_fortnight_once_a_day(sessions):
    clock = Clock()
    team = await make_team(sessions, shifts=False)
    async with sessions() as session, session.begin():
        for day in range(7):
            await rota.add_shift(session, mentor_id=team.anne, weekday=day, starts="08:00", ends="20:00",
                                 role="primary", now=clock.now)
    jobs, _ = await jobs_for(sessions, clock)

    gaps = await jobs.report_gaps()
    await jobs.report_gaps()

    [report] = await to(sessions, "1003")
    assert gaps >= 14 and report.startswith(f"Rota gaps without a primary in the next 14 days ({gaps})")
    assert "20:00 to" in report
    clock.advance(days=1)
    await jobs.report_gaps()
    assert len(await to(sessions, "1003")) == 2, "a new report the next day"


async def test_no_gaps_no_report(sessions):
    clock = Clock()
    await make_team(sessions)
    jobs, _ = await jobs_for(sessions, clock)
    assert await jobs.report_gaps() == 0
    assert await to(sessions, "1003") == []


async def test_at_a_shift_change_the_leaving_mentors_contacts_are_offered_and_taken_over(sessions):
    from escalation.transfer import Transfers
    from storage import mentors
    from storage.models import Contact

    clock = Clock()  # Tuesday 14:00: Anne until 15:00, then Ben
    team = await make_team(sessions, shifts=False)
    async with sessions() as session, session.begin():
        await rota.add_shift(session, mentor_id=team.anne, weekday=1, starts="08:00", ends="15:00",
                             role="primary", now=clock.now)
        await rota.add_shift(session, mentor_id=team.ben, weekday=1, starts="15:00", ends="22:00",
                             role="primary", now=clock.now)
    jobs, router = await jobs_for(sessions, clock)
    held = await make_intake(sessions, clock, router).receive(sms("i want to kill myself"))
    await router.accept(held.contact_id, team.anne)

    clock.advance(hours=1, minutes=2)
    await jobs.remind_and_hand_over()
    offer = [o for o in await rows(sessions, OutboxItem) if o.dedupe_key.startswith(f"orphan:{held.contact_id}")]
    assert len(offer) == 1 and offer[0].address == "1002" and "their mentor is off duty" in offer[0].body
    assert offer[0].options["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"h:{held.contact_id}"

    async with sessions() as session:
        ben = (await mentors.mentors_by_id(session, [team.ben]))[team.ben]
    reply = await Transfers(sessions, router.notifier, router._zone, clock).take_over(ben, held.contact_id)

    assert reply.endswith("what you write here goes to them.")
    [contact] = await rows(sessions, Contact)
    assert contact.assigned_mentor_id == team.ben
    assert any("has taken over" in body for body in await to(sessions, "1001"))
