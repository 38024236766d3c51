"""Shift swaps: offered in Telegram, taken by another mentor, the rota and coordinators follow."""

from __future__ import annotations

from datetime import timedelta

from escalation import rota as rota_logic
from escalation.swaps import Swaps
from escalation.wellbeing import Caps
from storage import mentors, rota
from storage.models import OutboxItem
from tests.conftest import eventually, helpline_settings
from tests.db_queries import rows
from tests.routing_kit import Clock, make_router, make_team


async def swaps_for(sessions, clock, caps=Caps()):
    router = make_router(sessions, clock)
    return Swaps(sessions, router.notifier, router._zone, caps, clock)


async def anne_works_tonight(sessions, clock, team):
    async with sessions() as session, session.begin():
        await rota.add_shift(session, mentor_id=team.anne, weekday=1, starts="22:00", ends="08:00",
                             role="primary", now=clock.now)


async def view(sessions, mentor_id):
    async with sessions() as session:
        return (await mentors.mentors_by_id(session, [mentor_id]))[mentor_id]


async def test_a_swap_offered_and_taken_changes_who_is_on_call_and_tells_the_coordinator(sessions):
    clock = Clock()
    team = await make_team(sessions, shifts=False)
    await anne_works_tonight(sessions, clock, team)
    swaps = await swaps_for(sessions, clock)
    anne, ben = await view(sessions, team.anne), await view(sessions, team.ben)
    [tonight] = (await swaps.upcoming(anne))[:1]

    offered = await swaps.offer(anne, tonight.starts_at, "primary")
    offer_card = [o for o in await rows(sessions, OutboxItem) if o.address == "1002"][0]
    take_data = offer_card.options["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    taken = await swaps.take(ben, int(take_data.split(":")[1]))
    late = await swaps.take(await view(sessions, team.cara), int(take_data.split(":")[1]))

    assert offered.startswith("Offered Tue 24 Nov 22:00-08:00")
    assert "Anne asks someone to take their primary shift" in offer_card.body
    assert taken.startswith("Thanks") and late.startswith("That swap has already been taken")
    async with sessions() as session:
        rules, overrides = await rota.load(session, clock.now, clock.now + timedelta(days=1))
    midnight = tonight.starts_at + timedelta(hours=2)
    assert rota_logic.on_call(rules, overrides, router_zone(), midnight).primary == (team.ben,)
    told = {o.address: o.body for o in await rows(sessions, OutboxItem) if "takes Anne's" in o.body}
    assert set(told) == {"1001", "1003"}, "Anne and the coordinator hear of it"


async def test_a_swap_past_the_takers_caps_is_refused_and_changes_nothing(sessions):
    clock = Clock()
    team = await make_team(sessions, shifts=False)
    await anne_works_tonight(sessions, clock, team)
    async with sessions() as session, session.begin():
        await rota.add_shift(session, mentor_id=team.ben, weekday=1, starts="12:00", ends="22:00",
                             role="primary", now=clock.now)
    swaps = await swaps_for(sessions, clock)
    anne, ben = await view(sessions, team.anne), await view(sessions, team.ben)
    [tonight] = (await swaps.upcoming(anne))[:1]
    await swaps.offer(anne, tonight.starts_at, "primary")

    reply = await swaps.take(ben, 1)

    assert reply.startswith("Not taken: you would have 20 hours on call in the 24 hours")
    async with sessions() as session:
        _, overrides = await rota.load(session, clock.now, clock.now + timedelta(days=1))
    assert overrides == []


def router_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")


async def test_swap_through_telegram(backend, sessions, fake_bot, fake_twilio, start_helpline):
    team = await make_team(sessions, shifts=False)
    async with sessions() as session, session.begin():
        for day in range(7):
            await rota.add_shift(session, mentor_id=team.anne, weekday=day, starts="22:00", ends="23:00",
                                 role="primary", now=Clock().now)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))

    await helpline.telegram(fake_bot.message_update(1001, "/swap"))
    choice = fake_bot.sent()[-1]
    first = choice["reply_markup"]["inline_keyboard"][0][0]
    await helpline.telegram(fake_bot.button_update(1001, first["callback_data"]))
    await eventually(lambda: any("Take it" in str(p.get("reply_markup")) for p in fake_bot.sent() if int(p["chat_id"]) == 1002))
    offer = [p for p in fake_bot.sent() if int(p["chat_id"]) == 1002][-1]
    await helpline.telegram(fake_bot.button_update(1002, offer["reply_markup"]["inline_keyboard"][0][0]["callback_data"]))

    answers = [a["text"] for a in fake_bot.sent("answerCallbackQuery")]
    assert answers[0].startswith("Offered") and answers[1].startswith("Thanks")
    assert choice["text"] == "Which shift would you like someone to take?" and "primary" in first["text"]
