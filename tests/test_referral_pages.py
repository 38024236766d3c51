"""Referrals on the dashboard, as the people who make them use it: an agency added to the
directory, a MARAC referral proposed from a contact's page, the Dash checklist filled in on the
page, the details and lawful basis saved, approval by a second person only, the share in the
outbox, the agency's acknowledgement link (a GET only asks), the information sharing report, the
demo's outbox of e-mails, and bad ids answered 400 or 404, never 500."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import unquote_plus

import pytest
from sqlalchemy import select

from escalation.referrals import dash
from escalation.referrals.workflow import Actor
from storage.models import OutboxItem, Person, Referral
from tests.conftest import eventually, helpline_settings
from tests.dashboard_kit import add_user, another_browser, log_in, post_form
from tests.routing_kit import make_team, sms

AGREEMENT = "Merseyside information sharing agreement 2024"
HELPLINE = "Merseyside Mentoring Helpline"
MARAC_ADDRESS = "marac@merseyside.example"
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # page rendering only


def _settings(backend: Any) -> Any:
    # an http public URL: the acknowledgement link is in the e-mail, and the test browser keeps
    # the session cookie (it would not keep a Secure one over plain http)
    return helpline_settings(backend, None, None, public_url="http://helpline.test", sharing_agreement=AGREEMENT,
                             service_name=HELPLINE)


@pytest.fixture
async def helpline(backend, start_helpline):
    running = await start_helpline(_settings(backend))
    running.team = await make_team(running.services.sessions)  # type: ignore[attr-defined]
    sessions = running.services.sessions
    await add_user(sessions, "cora", "coordinator")
    await add_user(sessions, "anne", "mentor", mentor="Anne Primary")
    await add_user(sessions, "anne-lead", "coordinator", mentor="Anne Primary")  # Anne's own coordinator log-in
    await add_user(sessions, "ben", "mentor", mentor="Ben Backup")
    await log_in(running.client, "cora")
    return running


def _said(response: Any) -> str:
    """The notice or error a post/redirect/get carries to the next page."""
    assert response.status == 303, response.status
    return unquote_plus(response.headers["Location"])


async def _page(client: Any, path: str) -> str:
    response = await client.get(path)
    assert response.status == 200, (path, response.status)
    return unescape(await response.text())


async def _annes_contact(helpline: Any, sender: str = "+447700900111") -> int:
    result = await helpline.services.intake.receive(sms("I need to talk to someone", sender=sender))
    assert (await helpline.services.router.accept(result.contact_id, helpline.team.anne)).outcome == "accepted"
    return result.contact_id


async def _add_marac(client: Any, name: str = "Merseyside MARAC") -> str:
    added = await post_form(client, "/dash/agencies", {"kind": "marac", "area": "", "name": name, "channel": "email",
                                                       "address": MARAC_ADDRESS}, "/dash/agencies")
    return _said(added)


def _fourteen_yes() -> dict[str, str]:
    keys = [q.key for q in dash.questions()]
    return {"safe_to_talk": "yes", "safe_callback": "no_safe_number",
            **{key: "yes" if i < 14 else "no" for i, key in enumerate(keys)}}


async def _proposed(helpline: Any, browser: Any, contact: int) -> int:
    """Proposed from the contact's page; the redirect lands on the referral's page."""
    proposed = await post_form(browser, f"/dash/contacts/{contact}/referrals", {"kind": "marac"},
                               f"/dash/contacts/{contact}")
    found = re.match(r"/dash/referrals/(\d+)\?notice=", _said(proposed))
    assert found, _said(proposed)
    return int(found.group(1))


async def _drafted_by_anne(helpline: Any) -> tuple[int, int, Any]:
    """Anne, the contact's mentor, proposes, fills in the checklist and drafts it on the pages."""
    await _add_marac(helpline.client)
    contact = await _annes_contact(helpline)
    async with another_browser(helpline.client) as anne:
        await log_in(anne, "anne")
        referral = await _proposed(helpline, anne, contact)
        page = f"/dash/referrals/{referral}"
        await post_form(anne, f"{page}/checklist", _fourteen_yes(), page)
        drafted = await post_form(anne, f"{page}/draft", {
            "person_name": "Jo", "role": "victim", "what_happened": "He threatened her with a <b>knife</b> on Friday.",
            "ask": "Please list at the next MARAC.", "basis": "no_consent", "reason": "visible_high_risk"}, page)
    return contact, referral, drafted


async def _state(helpline: Any, referral_id: int) -> str:
    async with helpline.services.sessions() as session:
        return (await session.get(Referral, referral_id)).state


async def test_a_coordinator_adds_an_agency_and_disables_it(helpline):
    assert "Added Merseyside MARAC" in await _add_marac(helpline.client)
    html = await _page(helpline.client, "/dash/agencies")
    row = html[html.index("<td>Merseyside MARAC</td>") - 200:]
    assert MARAC_ADDRESS in row and "every area" in row and "MARAC referral" in row, "type, area, address, accepts"
    again = await _add_marac(helpline.client)
    assert "error=there is already an agency" in again
    agency = re.search(r"/dash/agencies/(\d+)/disable", html).group(1)
    await post_form(helpline.client, f"/dash/agencies/{agency}/disable", {}, "/dash/agencies")
    html = await _page(helpline.client, "/dash/agencies")
    assert f"/dash/agencies/{agency}/enable" in html and f"/dash/agencies/{agency}/disable" not in html
    assert "agency_added" in await _page(helpline.client, "/dash/audit")
    assert "agency_disabled" in await _page(helpline.client, "/dash/audit")


async def test_the_checklist_on_the_page_shows_visible_high_risk_and_a_decline_is_refused(helpline):
    contact = await _annes_contact(helpline)
    referral = await _proposed(helpline, helpline.client, contact)
    page = f"/dash/referrals/{referral}"
    html = await _page(helpline.client, page)
    red = [q for q in dash.questions() if q.red_flag]
    assert html.index(red[-1].text) < html.index(next(q for q in dash.questions() if not q.red_flag).text), \
        "the red-flag questions come first"
    checklist = html[html.index('id="checklist"'):]
    checklist = checklist[:checklist.index("</form>")]
    assert "red flag: strangulation" in checklist and checklist.count('type="radio"') == 3 + 4 + 3 * 24
    saved = await post_form(helpline.client, f"{page}/checklist", _fourteen_yes(), page)
    assert "Saved 26 answers" in _said(saved) and "visible high risk" in _said(saved)
    html = await _page(helpline.client, page)
    assert "14 of 24 yes: visible high risk (MARAC threshold 14)" in html
    first = dash.questions()[0].key
    assert re.search(rf'name="{first}" value="yes" aria-label="yes" checked', html), "recorded answers are ticked"
    refused = await post_form(helpline.client, f"{page}/end", {"state": "declined", "reason": "not needed"}, page)
    assert "visible high risk cannot be downgraded" in _said(refused)
    assert await _state(helpline, referral) == "proposed"
    assert f'href="/dash/referrals/{referral}"' in await _page(helpline.client, f"/dash/contacts/{contact}")


async def test_the_drafter_cannot_approve_and_a_second_coordinator_sends_it(helpline):
    _, referral, drafted = await _drafted_by_anne(helpline)
    assert "waits for a coordinator's approval" in _said(drafted)
    page = f"/dash/referrals/{referral}"
    html = await _page(helpline.client, page)
    assert "shared without consent: Visible high risk of domestic abuse" in html
    assert "He threatened her with a <b>knife</b> on Friday." in html and "waiting for approval" in html
    raw = await (await helpline.client.get(page)).text()
    assert '<iframe class="document" sandbox="" ' in raw and 'srcdoc="&lt;!doctype html&gt;' in raw
    assert "<b>knife" not in raw, "the document preview is escaped into the sandboxed frame, never the page's HTML"
    async with another_browser(helpline.client) as anne:
        await log_in(anne, "anne")
        assert (await post_form(anne, f"{page}/approve", {}, page)).status == 403, "a mentor drafts, never approves"
    async with another_browser(helpline.client) as lead:
        await log_in(lead, "anne-lead")  # a coordinator's log-in, but Anne's: the same person
        refused = await post_form(lead, f"{page}/approve", {}, page)
        assert "a second person must approve" in _said(refused)
    assert await _state(helpline, referral) == "drafted"
    approved = await post_form(helpline.client, f"{page}/approve", {}, page)
    assert "approved: waiting for acknowledgement" in _said(approved)
    async with helpline.services.sessions() as session:
        row = await session.scalar(select(OutboxItem).join(Referral, Referral.outbox_id == OutboxItem.id)
                                   .where(Referral.id == referral))
    assert (row.channel, row.address) == ("email", MARAC_ADDRESS)
    assert row.options["subject"].startswith(f"[HL-{referral}] MARAC referral from {HELPLINE}")
    assert "He threatened her" in row.options["attachments"][0]["content"]
    assert await _state(helpline, referral) == "sent"
    listing = await _page(helpline.client, "/dash/referrals")
    pending = listing[listing.index('id="pending"'):listing.index('id="done"')]
    assert f"HL-{referral}" in pending and "waiting for acknowledgement · 0 h since sent" in pending


async def test_the_acknowledgement_link_asks_on_get_and_acknowledges_once_on_post(helpline):
    _, referral, _ = await _drafted_by_anne(helpline)
    await post_form(helpline.client, f"/dash/referrals/{referral}/approve", {}, f"/dash/referrals/{referral}")
    async with helpline.services.sessions() as session:
        body = (await session.scalar(select(OutboxItem.body).join(Referral, Referral.outbox_id == OutboxItem.id)
                                     .where(Referral.id == referral)))
        alias = (await session.get(Person, (await session.get(Referral, referral)).person_id)).alias
    link = re.search(r"http://helpline\.test(/referrals/ack/[A-Za-z0-9_-]+)", body).group(1)
    async with another_browser(helpline.client) as agency:  # not logged in: an agency's mail client
        asked = await agency.get(link)
        html = unescape(await asked.text())
        assert asked.status == 200 and f"Referral HL-{referral} from {HELPLINE} — confirm receipt" in html
        assert alias not in html and "knife" not in html, "no personal data on a public page"
        assert asked.headers["Referrer-Policy"] == "no-referrer", "the token does not leak to a linked site"
        assert await _state(helpline, referral) == "sent", "opening the link (a mail scanner) acknowledges nothing"
        done = await agency.post(link)
        assert done.status == 200 and "Thank you, acknowledged" in await done.text()
        assert await _state(helpline, referral) == "acknowledged"
        again = await agency.post(link)
        assert again.status == 404 and "This link is not valid any more" in await again.text()
        assert (await agency.get(link)).status == 404
    html = await _page(helpline.client, f"/dash/referrals/{referral}")
    assert "agency (link)" in html and "referral acknowledged" in html, "the history shows who acknowledged"


async def test_a_mentor_who_did_not_handle_the_contact_cannot_open_its_referral(helpline):
    contact = await _annes_contact(helpline)
    referral = await _proposed(helpline, helpline.client, contact)
    page = f"/dash/referrals/{referral}"
    async with another_browser(helpline.client) as ben:
        await log_in(ben, "ben")
        assert (await ben.get(page)).status == 403
        assert (await post_form(ben, f"{page}/checklist", {"safe_to_talk": "no"}, "/dash")).status == 403
        assert (await ben.get("/dash/referrals")).status == 403
        assert (await post_form(ben, f"/dash/contacts/{contact}/referrals", {"kind": "iom"}, "/dash")).status == 403
    async with another_browser(helpline.client) as anne:
        await log_in(anne, "anne")
        html = await _page(anne, page)
        assert 'action="/dash/referrals/' + str(referral) + '/draft"' in html and "/approve" not in html
        assert "srcdoc=" not in html, "the document (it can hold the person's number) is for coordinators"
        for coordinators_only in ("/dash/referrals", "/dash/agencies", "/dash/reports/sharing"):
            assert (await anne.get(coordinators_only)).status == 403
    async with another_browser(helpline.client) as nobody:
        for path in ("/dash/referrals", page, "/dash/agencies", "/dash/reports/sharing"):
            response = await nobody.get(path, allow_redirects=False)
            assert response.status == 303 and response.headers["Location"].startswith("/dash/login")


async def test_the_sharing_report_shows_the_share_with_its_agency_and_basis(helpline):
    _, referral, _ = await _drafted_by_anne(helpline)
    await post_form(helpline.client, f"/dash/referrals/{referral}/approve", {}, f"/dash/referrals/{referral}")
    assert "/dash/reports/sharing" in await _page(helpline.client, "/dash/reports")
    html = await _page(helpline.client, "/dash/reports/sharing")
    row = re.search(r"<tr><td>\d{4}-\d\d</td><td>Merseyside MARAC</td><td>MARAC referral</td>"
                    r"<td>without consent</td><td>1</td><td>0</td><td>—</td></tr>", html)
    assert row, "one share this month, to the MARAC, without consent, not yet acknowledged"
    assert re.search(r'id="unacknowledged">1<', html) and html.count('class="bar"') >= 12, "twelve months by default"
    exported = await helpline.client.get("/dash/reports/sharing.csv")
    lines = (await exported.text()).splitlines()
    assert exported.headers["Content-Type"].startswith("text/csv") and len(lines) == 2
    assert ",Merseyside MARAC,MARAC referral,without consent,1,0," in lines[1]


async def test_the_iom_contact_is_chosen_on_the_contact_page(helpline):
    await post_form(helpline.client, "/dash/agencies", {"kind": "iom", "area": "Merseyside", "name": "IOM Liverpool",
                                                        "channel": "email", "address": "iom@liverpool.example"},
                    "/dash/agencies")
    contact = await _annes_contact(helpline)
    html = await _page(helpline.client, f"/dash/contacts/{contact}")
    agency = re.search(r'<option value="(\d+)" >IOM Liverpool', html).group(1)
    saved = await post_form(helpline.client, f"/dash/contacts/{contact}/iom",
                            {"iom_cohort": "on", "iom_case_ref": "IOM-12", "iom_agency_id": agency}, "/dash")
    assert "IOM cohort saved" in _said(saved)
    html = await _page(helpline.client, f"/dash/contacts/{contact}")
    assert "IOM contact IOM Liverpool" in html and f'<option value="{agency}" selected>' in html
    refused = await post_form(helpline.client, f"/dash/contacts/{contact}/iom",
                              {"iom_cohort": "on", "iom_agency_id": "999999"}, "/dash")
    assert "Choose an active IOM contact" in _said(refused)


@sqlite_only
async def test_there_is_no_outbox_page_outside_the_demo(helpline):
    assert (await helpline.client.get("/dash/outbox")).status == 404
    assert 'href="/dash/outbox"' not in await _page(helpline.client, "/dash")


@sqlite_only  # the demo's database
async def test_the_demo_outbox_page_shows_the_email_an_agency_would_have_received(backend, start_helpline):
    demo = await start_helpline(_settings(backend), simulated=True)
    await make_team(demo.services.sessions)
    await add_user(demo.services.sessions, "cora", "coordinator")
    await log_in(demo.client, "cora")
    await _add_marac(demo.client)
    result = await demo.services.intake.receive(sms("I need to talk to someone", sender="+447700900333"))
    referrals = demo.services.referrals
    drafter = Actor("mentor:1", "Anne Primary")
    proposed = await referrals.propose(result.contact_id, "marac", drafter)
    await referrals.draft(proposed.id, drafter, details={"what_happened": "<script>alert(1)</script> at home",
                                                         "judgement_reason": "fear for her life"},
                          basis=_consent(demo.services.clock(), referrals.policy.agreement, drafter))
    await post_form(demo.client, f"/dash/referrals/{proposed.id}/approve", {}, f"/dash/referrals/{proposed.id}")

    async def delivered() -> bool:
        async with demo.services.sessions() as session:
            return await session.scalar(select(OutboxItem.status).where(OutboxItem.channel == "email")) == "sent"

    await eventually(delivered)
    response = await demo.client.get("/dash/outbox")
    raw = await response.text()
    html = unescape(raw)
    assert "E-mails that would have been sent" in html and MARAC_ADDRESS in html
    assert f"[HL-{proposed.id}] MARAC referral from {HELPLINE}" in html and "sent" in html
    assert '<iframe class="document" sandbox=""' in raw and "<script>alert(1)" not in raw, \
        "the attachment is shown escaped in a sandboxed frame, never as the page's own HTML"
    assert 'href="/dash/outbox"' in await _page(demo.client, "/dash")


def _consent(now: Any, agreement: str, actor: Actor) -> Any:
    from escalation.referrals.sharing import LawfulBasis

    return LawfulBasis("consent", actor.key, now, agreement, how="said_on_call", given_at=now)


@sqlite_only
async def test_bad_ids_are_400_or_404_never_a_server_error(helpline):
    contact = await _annes_contact(helpline)
    referral = await _proposed(helpline, helpline.client, contact)
    client = helpline.client
    assert (await client.get("/dash/referrals/999999")).status == 404
    assert (await client.get("/dash/referrals/99999999999")).status == 404
    assert (await client.get("/dash/referrals/abc")).status == 400
    assert (await client.get("/dash/referrals/%C2%B2")).status == 400
    assert (await post_form(client, "/dash/referrals/999999/approve", {})).status == 404
    assert (await post_form(client, "/dash/referrals/-1/draft", {})).status == 400
    assert (await post_form(client, "/dash/agencies/abc/disable", {})).status == 400
    assert (await post_form(client, "/dash/agencies/999999/enable", {})).status == 404
    page = f"/dash/referrals/{referral}"
    odd = await post_form(client, f"{page}/checklist", {"safe_to_talk": "perhaps"}, page)
    assert "is not an answer to safe_to_talk" in _said(odd)
    unknown_basis = await post_form(client, f"{page}/draft", {"basis": "because", "judgement_reason": "x"}, page)
    assert "Choose consent given" in _said(unknown_basis)
    no_when = await post_form(client, f"{page}/draft", {"basis": "consent", "consent_how": "said_on_call",
                                                        "judgement_reason": "she is afraid"}, page)
    assert "say when the person gave consent" in _said(no_when)
    for token in ("x" * 65, "not a token", "unknown-token-0123456789"):
        response = await client.get(f"/referrals/ack/{token}")
        assert response.status == 404 and "not valid any more" in await response.text()
    assert (await client.post("/referrals/ack/unknown-token-0123456789")).status == 404
