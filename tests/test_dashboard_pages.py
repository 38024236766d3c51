"""The pages as a coordinator uses them: queue, log filters and paging, CSV, contact timeline,
linking a channel, IOM flag, rota grid and edits with the caps, mentors, reports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from storage import people
from storage.types import utcnow
from storage.sealing import lookup_key
from tests.conftest import helpline_settings
from tests.dashboard_kit import add_user, log_in, post_form
from tests.routing_kit import make_team, sms


@pytest.fixture
async def helpline(backend, start_helpline):
    # simulated phones: alerts are delivered (to nobody real), so the queue shows who was alerted
    running = await start_helpline(helpline_settings(backend, None, None, public_url=None), simulated=True)
    running.team = await make_team(running.services.sessions)  # type: ignore[attr-defined]
    await add_user(running.services.sessions, "cora", "coordinator")
    await log_in(running.client, "cora")
    return running


async def _say(helpline, text: str, sender: str = "+447700900111") -> int:
    result = await helpline.services.intake.receive(sms(text, sender=sender, at=utcnow()))
    return result.contact_id


async def test_the_queue_puts_the_emergency_first_with_who_is_alerted_and_the_deadline(helpline):
    low = await _say(helpline, "what time is my appointment", "+447700900111")
    urgent = await _say(helpline, "i have the pills here and i'm taking them all tonight", "+447700900222")
    rows = await (await helpline.client.get("/dash/queue/rows")).text()
    assert rows.index(f"#{urgent}") < rows.index(f"#{low}")
    first_row = rows[:rows.index(f"#{low}")]
    assert "emergency" in first_row and "Anne Primary" in first_row and "Ben Backup" in first_row
    assert re.search(r"<td>\d\d:\d\d:\d\d</td>", first_row), "the next step's deadline is shown"
    page = await (await helpline.client.get("/dash")).text()
    assert 'src="/static/queue.js"' in page
    script = await helpline.client.get("/static/queue.js")
    assert script.status == 200 and "queue-rows" in await script.text()


async def test_the_log_filters_by_level_category_and_iom_and_pages_without_losing_rows(helpline):
    ids = [await _say(helpline, "can you help me with my cv", f"+4477009001{n:02d}") for n in range(7)]
    risky = await _say(helpline, "i relapsed and used heroin again last night", "+447700900299")
    page = await (await helpline.client.get("/dash/contacts?category=substance_misuse")).text()
    assert f'href="/dash/contacts/{risky}"' in page and f'href="/dash/contacts/{ids[0]}"' not in page
    seen: list[int] = []
    url = "/dash/contacts?level=low&pathway="
    from handlers.dashboard import contacts

    contacts.PAGE_SIZE, saved = 3, contacts.PAGE_SIZE
    try:
        while url:
            html = await (await helpline.client.get(url)).text()
            seen += [int(n) for n in re.findall(r'<td><a href="/dash/contacts/(\d+)">', html)]
            found = re.search(r'<a rel="next" href="([^"]+)"', html)
            url = found.group(1).replace("&amp;", "&") if found else ""
    finally:
        contacts.PAGE_SIZE = saved
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen)), "every low contact once, newest first"
    assert seen == sorted(seen, reverse=True)
    await post_form(helpline.client, f"/dash/contacts/{ids[2]}/iom", {"iom_cohort": "on", "iom_case_ref": "IOM-77"})
    iom_page = await (await helpline.client.get("/dash/contacts?iom=yes")).text()
    assert re.findall(r'<td><a href="/dash/contacts/(\d+)">', iom_page) == [str(ids[2])]


async def test_a_bad_filter_is_a_clear_400(helpline):
    response = await helpline.client.get("/dash/contacts?level=apocalyptic")
    assert response.status == 400 and "apocalyptic" in await response.text()
    assert (await helpline.client.get("/dash/contacts?from=yesterday")).status == 400


async def test_the_csv_export_has_the_filtered_rows_and_defuses_formulas(helpline):
    await _say(helpline, "i relapsed and used again", "+447700900101")
    other = await _say(helpline, "can you help me with my cv", "+447700900102")
    await post_form(helpline.client, f"/dash/contacts/{other}/iom", {"iom_cohort": "on", "iom_case_ref": "=HYPERLINK(1)"})
    response = await helpline.client.get("/dash/contacts.csv?iom=yes")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [int(r["contact"]) for r in rows] == [other]
    assert rows[0]["iom_case_ref"] == "'=HYPERLINK(1)" and rows[0]["channel"] == "sms"


async def test_the_contact_page_shows_the_timeline_with_triage_and_shows_script_as_text(helpline):
    contact = await _say(helpline, "<script>alert('x')</script> i want to kill myself tonight")
    await helpline.services.router.accept(contact, helpline.team.anne)
    html = await (await helpline.client.get(f"/dash/contacts/{contact}")).text()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    for shown in ("message received", "alert opened", "alert accepted", "emergency guidance queued",
                  "suicide_self_harm", "kill myself", "en.lex:"):
        assert shown in html, shown
    assert "+447700900111" not in html and "•••111" in html, "the number is masked"


async def test_a_message_the_model_read_as_urgent_says_why_on_the_contact_page(helpline):
    contact = await _say(helpline, "been scratching my arms with a compass again")
    html = await (await helpline.client.get(f"/dash/contacts/{contact}")).text()
    assert re.search(r"read as (high|emergency) by the triage model", html) and "model p=" in html


async def test_linking_a_telegram_chat_to_the_person_routes_it_to_the_same_history(helpline):
    contact = await _say(helpline, "hello it's me")
    response = await post_form(helpline.client, f"/dash/contacts/{contact}/identity",
                               {"kind": "telegram", "address": "424242"})
    assert response.status == 303 and "notice" in response.headers["Location"]
    async with helpline.services.sessions() as session:
        person = await people.find_person(session, "telegram", "424242")
        by_phone = await people.find_person(session, "phone", "+447700900111")
    assert person is not None and by_phone is not None and person.id == by_phone.id
    bad = await post_form(helpline.client, f"/dash/contacts/{contact}/identity", {"kind": "phone", "address": "call me"})
    assert "error" in bad.headers["Location"]


async def test_the_rota_grid_shows_gaps_in_red_and_refuses_a_shift_past_the_caps(helpline):
    async with helpline.services.sessions() as session, session.begin():
        from storage import rota as rota_store

        for day in range(7):
            await rota_store.remove_shifts(session, mentor_id=helpline.team.anne, weekday=day, role="primary")
    html = await (await helpline.client.get("/dash/rota")).text()
    assert html.count('class="gap"') == 7 * 24, "no primary anywhere: every hour is a gap"
    added = await post_form(helpline.client, "/dash/rota/shifts", {"mentor_id": str(helpline.team.anne),
                            "weekday": "mon", "starts": "08:00", "ends": "20:00", "role": "primary"}, "/dash/rota")
    assert "notice" in added.headers["Location"]
    html = await (await helpline.client.get("/dash/rota")).text()
    assert html.count('class="gap"') == 7 * 24 - 12 and "P Anne Primary" in html
    refused = await post_form(helpline.client, "/dash/rota/shifts", {"mentor_id": str(helpline.team.ben),
                              "weekday": "tue", "starts": "08:00", "ends": "20:00", "role": "primary"}, "/dash/rota")
    assert "Refused" in refused.headers["Location"].replace("+", " ") or "Refused" in _unquote(refused)
    allowed = await post_form(helpline.client, "/dash/rota/shifts", {"mentor_id": str(helpline.team.ben),
                              "weekday": "tue", "starts": "08:00", "ends": "20:00", "role": "primary",
                              "override_caps": "on"}, "/dash/rota")
    assert "past the cap" in _unquote(allowed)
    audit_page = await (await helpline.client.get("/dash/audit")).text()
    assert "wellbeing_cap_override" in audit_page


def _unquote(response) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(response.headers["Location"])


async def test_mentors_page_adds_invites_and_deactivates(helpline):
    await post_form(helpline.client, "/dash/mentors", {"name": "Fay New", "role": "mentor", "lang_nl": "on",
                                                       "phone": "+31612345678"}, "/dash/mentors")
    html = await (await helpline.client.get("/dash/mentors")).text()
    assert "Fay New" in html and "nl" in html
    assert "24.0 h" in html or "168.0 h" in html, "Anne's hours on call over the coming week are shown"
    ids = re.findall(r"/dash/mentors/(\d+)/invite", html)
    invite = await post_form(helpline.client, f"/dash/mentors/{ids[-1]}/invite", {}, "/dash/mentors")
    assert "/start " in _unquote(invite)
    await post_form(helpline.client, f"/dash/mentors/{ids[-1]}/deactivate", {}, "/dash/mentors")
    html = await (await helpline.client.get("/dash/mentors")).text()
    assert f"/dash/mentors/{ids[-1]}/invite" not in html


async def test_reports_page_shows_rag_chart_and_reply_times(helpline):
    contact = await _say(helpline, "i relapsed and used again")
    await helpline.services.router.accept(contact, helpline.team.anne)
    desk = helpline.services.desk
    from storage.mentors import all_mentors

    async with helpline.services.sessions() as session:
        anne = next(m for m in await all_mentors(session) if m.id == helpline.team.anne)
    await desk.mentor_text(anne, "I'm here, what happened?")
    await desk.closing.outcome(anne, contact, "sup")
    await desk.closing.pathway(anne, contact, "dru")
    await desk.closing.finish(anne, contact, 20)
    today = utcnow().date()
    html = await (await helpline.client.get(f"/dash/reports?from={today - timedelta(days=6)}&to={today}")).text()
    assert re.search(r'id="sessions-delivered">1<', html) and re.search(r'id="people-mentored">1<', html)
    assert "<svg" in html and html.count('class="bar"') == 2  # two ISO weeks may touch a 7-day period
    assert "drugs and alcohol" in html and "RED" in html, "1 session against a pro-rated 45 is red"


async def test_a_missing_contact_is_404(helpline):
    assert (await helpline.client.get("/dash/contacts/999999")).status == 404


async def test_the_phone_simulator_runs_the_real_pipeline_both_ways(helpline):
    page = "/dash/simulator?channel=sms&from=%2B447700900777"
    await post_form(helpline.client, "/dash/simulator/person",
                    {"channel": "sms", "from": "+447700900777", "text": "i took all my pills"}, page)
    anne = str(helpline.team.anne)
    html = await (await helpline.client.get(f"{page}&mentor={anne}")).text()
    assert "call 999" in html, "the person got emergency guidance"
    tapped = re.search(r'name="button" value="(c:(\d+):accept)"', html)
    assert tapped, "Anne's phone shows the alert card with its Accept button"
    accepted = await post_form(helpline.client, "/dash/simulator/mentor",
                               {"mentor": anne, "button": tapped.group(1), "channel": "sms", "from": "+447700900777"}, page)
    assert "You have" in _unquote(accepted)
    await post_form(helpline.client, "/dash/simulator/mentor",
                    {"mentor": anne, "text": "I'm here. Are you safe right now?", "channel": "sms", "from": "+447700900777"}, page)
    html = await (await helpline.client.get(page)).text()
    assert "Anne: I&#39;m here. Are you safe right now?" in html


async def test_the_simulator_exists_only_in_the_demo(backend, start_helpline):
    running = await start_helpline(helpline_settings(backend, None, None, public_url=None))
    await add_user(running.services.sessions, "cora", "coordinator")
    await log_in(running.client, "cora")
    assert (await running.client.get("/dash/simulator")).status == 404
    assert "Phone simulator" not in await (await running.client.get("/dash")).text()


async def test_an_override_takes_a_mentor_off_and_removing_it_closes_the_gap_again(helpline):
    today = utcnow().astimezone(helpline.settings.zone).date()
    monday = today - timedelta(days=today.weekday())
    html = await (await helpline.client.get(f"/dash/rota?week={monday}")).text()
    assert 'class="gap"' not in html, "Anne is primary round the clock"
    added = await post_form(helpline.client, "/dash/rota/overrides", {
        "mentor_id": str(helpline.team.anne), "kind": "off", "role": "primary",
        "starts_at": f"{monday + timedelta(days=2)}T10:00", "ends_at": f"{monday + timedelta(days=2)}T13:00"}, "/dash/rota")
    assert "notice" in added.headers["Location"]
    html = await (await helpline.client.get(f"/dash/rota?week={monday}")).text()
    assert html.count('class="gap"') == 3, "three hours on Wednesday without a primary"
    override_id = re.search(r"/dash/rota/overrides/(\d+)/remove", html).group(1)
    await post_form(helpline.client, f"/dash/rota/overrides/{override_id}/remove", {}, "/dash/rota")
    html = await (await helpline.client.get(f"/dash/rota?week={monday}")).text()
    assert 'class="gap"' not in html
    backwards = await post_form(helpline.client, "/dash/rota/overrides", {
        "mentor_id": str(helpline.team.anne), "kind": "off", "role": "primary",
        "starts_at": f"{monday}T13:00", "ends_at": f"{monday}T10:00"}, "/dash/rota")
    assert "error" in backwards.headers["Location"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the demo's database
async def test_the_phone_simulator_calls_rings_the_mentor_and_takes_voicemails(helpline):
    from sqlalchemy import update

    from storage.models import Call, Mentor
    from tests.db_queries import rows

    async with helpline.services.sessions() as session, session.begin():
        await session.execute(update(Mentor).where(Mentor.id == helpline.team.anne).values(phone="+447700900901", phone_key=lookup_key("+447700900901")))
    anne, cara = str(helpline.team.anne), str(helpline.team.cara)
    person = {"channel": "sms", "from": "+447700900777"}
    page = "/dash/simulator?channel=sms&from=%2B447700900777"

    await post_form(helpline.client, "/dash/simulator/call", {**person, "action": "ring"}, page)
    html = await (await helpline.client.get(f"{page}&mentor={anne}")).text()
    assert "Ringing a mentor" in html and "Ringing: a helpline call" in html
    sid = re.search(r'name="call" value="([^"]+)"', html).group(1)
    answered = await post_form(helpline.client, "/dash/simulator/answer", {**person, "mentor": anne, "call": sid,
                                                                           "key": "1"}, page)
    assert "talking with the caller" in _unquote(answered)
    assert "In a call with a mentor" in await (await helpline.client.get(page)).text()
    await post_form(helpline.client, "/dash/simulator/call", {**person, "action": "hang_up"}, page)
    taken = (await rows(helpline.services.sessions, Call))[0]
    assert taken.taken_by == helpline.team.anne and taken.ended_at is not None

    # a second call nobody takes: Anne lets it ring, then Cara (Ben has no phone): the voicemail
    await post_form(helpline.client, "/dash/simulator/call", {**person, "action": "ring"}, page)
    for mentor in (anne, cara):
        html = await (await helpline.client.get(f"{page}&mentor={mentor}")).text()
        sid = re.search(r'name="call" value="([^"]+)"', html).group(1)
        await post_form(helpline.client, "/dash/simulator/answer", {**person, "mentor": mentor, "call": sid,
                                                                    "key": "none"}, page)
    html = await (await helpline.client.get(page)).text()
    assert "leave a voicemail" in html
    await post_form(helpline.client, "/dash/simulator/call",
                    {**person, "action": "voicemail", "text": "its me again i need to talk about my hostel"}, page)
    html = await (await helpline.client.get(page)).text()
    assert "its me again i need to talk about my hostel" in html and "📞 Call the helpline" in html

    # an emergency text rings Anne's phone with the keys of a call that wakes
    await post_form(helpline.client, "/dash/simulator/person",
                    {"channel": "sms", "from": "+447700900778", "text": "i took all my pills"}, page)
    html = await (await helpline.client.get(f"/dash/simulator?channel=sms&from=%2B447700900778&mentor={anne}")).text()
    assert "📞 Ringing: Emergency helpline contact waiting" in html
    assert re.search(r'name="button" value="c:\d+:accept">1 · accept', html)
