"""Who can see what: log-in, sessions, CSRF, and a mentor seeing only their contacts (throttling and
disabled accounts: test_accounts.py)."""

from __future__ import annotations

import pytest

from storage import audit
from tests.conftest import helpline_settings
from tests.dashboard_kit import PASSWORD, csrf_of, log_in, post_form, staffed_dashboard
from tests.routing_kit import sms

PAGES = ["/dash", "/dash/contacts", "/dash/contacts/1", "/dash/rota", "/dash/mentors", "/dash/audit",
         "/dash/reports"]


@pytest.fixture
async def helpline(backend, start_helpline):
    return await staffed_dashboard(backend, start_helpline, {"anne": "Anne Primary", "ben": "Ben Backup"})


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_needs_a_login(helpline, path):
    response = await helpline.client.get(path, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/dash/login")


async def test_the_queue_refresh_and_export_answer_401_not_a_page_without_login(helpline):
    assert (await helpline.client.get("/dash/queue/rows")).status == 401
    assert (await helpline.client.get("/dash/contacts.csv")).status == 401


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(helpline):
    wrong = await log_in(helpline.client, "cora", "not the password")
    unknown = await log_in(helpline.client, "nobody", "not the password")
    assert wrong.status == unknown.status == 401
    assert "Wrong username or password." in await wrong.text()
    assert "Wrong username or password." in await unknown.text()


async def test_logging_in_and_out(helpline):
    response = await log_in(helpline.client, "cora")
    assert response.status == 303 and response.headers["Location"] == "/dash"
    assert (await helpline.client.get("/dash")).status == 200
    cookie = helpline.client.session.cookie_jar.filter_cookies(helpline.client.make_url("/"))["helpline_session"]
    await post_form(helpline.client, "/dash/logout", {})
    assert (await helpline.client.get("/dash", allow_redirects=False)).status == 303
    helpline.client.session.cookie_jar.update_cookies({"helpline_session": cookie.value})
    replayed = await helpline.client.get("/dash", allow_redirects=False)
    assert replayed.status == 303, "a cookie copied before log-out no longer opens the dashboard"


async def test_a_form_posted_without_the_csrf_token_is_refused_and_changes_nothing(helpline):
    await log_in(helpline.client, "cora")
    refused = await helpline.client.post("/dash/mentors", data={"name": "Mallory", "role": "mentor"})
    forged = await helpline.client.post("/dash/mentors", data={"name": "Mallory", "role": "mentor", "csrf": "guess"})
    assert refused.status == forged.status == 403
    page = await (await helpline.client.get("/dash/mentors")).text()
    assert "Mallory" not in page
    added = await post_form(helpline.client, "/dash/mentors", {"name": "Mallory", "role": "mentor", "lang_en": "on"})
    assert added.status == 303
    assert "Mallory" in await (await helpline.client.get("/dash/mentors")).text()


async def test_the_login_form_itself_needs_its_token(helpline):
    response = await helpline.client.post("/dash/login", data={"username": "cora", "password": PASSWORD})
    assert response.status == 403


async def test_the_next_parameter_cannot_send_a_user_to_another_site(helpline):
    token = await csrf_of(helpline.client)
    response = await helpline.client.post("/dash/login", allow_redirects=False, data={
        "csrf": token, "username": "cora", "password": PASSWORD, "next": "https://evil.example/"})
    assert response.headers["Location"] == "/dash"


async def _contact_handled_by(helpline, mentor_id: int, sender: str) -> int:
    result = await helpline.services.intake.receive(sms("I need to talk to someone", sender=sender))
    decision = await helpline.services.router.accept(result.contact_id, mentor_id)
    assert decision.outcome == "accepted"
    return result.contact_id


async def test_a_mentor_sees_only_the_contacts_they_handled(helpline):
    team = helpline.team
    annes = await _contact_handled_by(helpline, team.anne, "+447700900111")
    bens = await _contact_handled_by(helpline, team.ben, "+447700900222")
    await log_in(helpline.client, "anne")
    assert (await helpline.client.get(f"/dash/contacts/{annes}")).status == 200
    assert (await helpline.client.get(f"/dash/contacts/{bens}")).status == 403
    log = await (await helpline.client.get("/dash/contacts")).text()
    assert f'href="/dash/contacts/{annes}"' in log and f'href="/dash/contacts/{bens}"' not in log
    queue = await (await helpline.client.get("/dash/queue/rows")).text()
    assert f"#{annes}" in queue and f"#{bens}" not in queue
    exported = await (await helpline.client.get("/dash/contacts.csv")).text()
    assert exported.splitlines()[1].startswith(f"{annes},") and len(exported.splitlines()) == 2
    for coordinator_only in ("/dash/mentors", "/dash/audit", "/dash/reports"):
        assert (await helpline.client.get(coordinator_only)).status == 403


async def test_every_view_of_a_contact_and_every_export_is_in_the_audit_log(helpline):
    contact = await _contact_handled_by(helpline, helpline.team.anne, "+447700900111")
    await log_in(helpline.client, "cora")
    await helpline.client.get(f"/dash/contacts/{contact}")
    exported = await (await helpline.client.get("/dash/contacts.csv?level=low")).text()
    assert len(exported.splitlines()) == 2
    async with helpline.services.sessions() as session:
        entries = [(e.actor, e.action, e.detail) for e in await audit.entries(session)]
    assert ("user:cora", "contact_viewed", {"contact_id": contact}) in entries
    assert ("user:cora", "contacts_exported", {"rows": 1, "filters": {"level": "low"}}) in entries
    assert "contact_viewed" in await (await helpline.client.get("/dash/audit")).text()


async def test_pages_forbid_framing_and_inline_scripts(helpline):
    await log_in(helpline.client, "cora")
    response = await helpline.client.get("/dash")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["Cache-Control"] == "no-store"


async def test_the_session_cookie_is_encrypted_http_only_and_secure_behind_https(backend, start_helpline):
    running = await start_helpline(helpline_settings(backend, None, None))  # public URL is https
    response = await running.client.get("/dash/login")
    cookie = response.cookies["helpline_session"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert "csrf" not in cookie.value, "the cookie's content is encrypted"
