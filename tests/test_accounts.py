"""Dashboard accounts: a deactivated mentor is logged out and kept out, failed log-ins slow an
attacker down without locking the real user out, per account and per client address (behind a
trusted proxy, the address in X-Forwarded-For), and a coordinator can lift a delay at once."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from storage import audit
from tests.conftest import helpline_settings
from tests.dashboard_kit import PASSWORD, add_user, another_browser, csrf_of, log_in, post_form
from tests.routing_kit import Clock, make_team, sms

PROXY = "127.0.0.1"  # the test client's own address: it plays the TLS proxy


async def _start(backend, start_helpline, **settings):
    clock = Clock()
    running = await start_helpline(helpline_settings(backend, None, None, public_url=None, **settings), clock=clock)
    running.team = await make_team(running.services.sessions)  # type: ignore[attr-defined]
    running.clock = clock  # type: ignore[attr-defined]
    for name, role, mentor in (("cora", "coordinator", None), ("carl", "coordinator", None),
                               ("anne", "mentor", "Anne Primary"), ("ben", "mentor", "Ben Backup")):
        await add_user(running.services.sessions, name, role, mentor)
    return running


@pytest.fixture
async def helpline(backend, start_helpline):
    return await _start(backend, start_helpline)


@pytest.fixture
async def behind_proxy(backend, start_helpline):
    return await _start(backend, start_helpline, trusted_proxies=f"10.9.0.0/16, {PROXY}")


async def _audit(helpline) -> list[tuple[str, str, dict]]:
    async with helpline.services.sessions() as session:
        return [(e.actor, e.action, e.detail) for e in await audit.entries(session)]


def _account_row(page: str, username: str) -> str:
    """The row of the mentors page's accounts table for ``username``."""
    rows = [row for row in page.split("<tr") if f"<td>{username}</td>" in row]
    assert len(rows) == 1, f"no account row for {username}"
    return rows[0]


async def _user_id(client, username: str) -> int:
    page = await (await client.get("/dash/mentors")).text()
    return int(re.search(r"/dash/users/(\d+)/", _account_row(page, username)).group(1))


async def test_deactivating_a_mentor_logs_their_open_browser_out_and_keeps_them_out(helpline):
    contact = (await helpline.services.intake.receive(sms("I need to talk to someone"))).contact_id
    await helpline.services.router.accept(contact, helpline.team.anne)
    async with another_browser(helpline.client) as annes:
        assert (await log_in(annes, "anne")).status == 303
        assert (await annes.get(f"/dash/contacts/{contact}")).status == 200

        assert (await log_in(helpline.client, "cora")).status == 303
        done = await post_form(helpline.client, f"/dash/mentors/{helpline.team.anne}/deactivate", {}, "/dash/mentors")
        notice = await (await helpline.client.get(done.headers["Location"])).text()
        assert "Their dashboard log-in (anne) is disabled" in notice

        opened = await annes.get(f"/dash/contacts/{contact}", allow_redirects=False)
        assert opened.status == 303 and opened.headers["Location"].startswith("/dash/login")
        again = await log_in(annes, "anne")
        assert again.status == 401 and "Wrong username or password." in await again.text()
    entries = await _audit(helpline)
    assert ("user:cora", "mentor_deactivated", {"mentor_id": helpline.team.anne}) in entries
    assert ("user:cora", "user_disabled", {"username": "anne", "reason": "mentor deactivated",
                                           "mentor_id": helpline.team.anne}) in entries


async def test_a_coordinator_cannot_deactivate_their_own_mentor_and_lock_themselves_out(helpline):
    await add_user(helpline.services.sessions, "cara", "coordinator", "Cara Coordinator")
    await log_in(helpline.client, "cara")
    refused = await post_form(helpline.client, f"/dash/mentors/{helpline.team.cara}/deactivate", {}, "/dash/mentors")
    page = await (await helpline.client.get(refused.headers["Location"])).text()
    assert "You cannot deactivate yourself" in page
    assert (await helpline.client.get("/dash/mentors")).status == 200, "still logged in"


async def test_disabling_on_the_dashboard_ends_the_users_sessions_and_enabling_lets_them_back(helpline):
    async with another_browser(helpline.client) as bens:
        await log_in(bens, "ben")
        await log_in(helpline.client, "cora")
        ben = await _user_id(helpline.client, "ben")
        await post_form(helpline.client, f"/dash/users/{ben}/disable", {}, "/dash/mentors")
        assert (await bens.get("/dash", allow_redirects=False)).status == 303
        assert (await log_in(bens, "ben")).status == 401

        await post_form(helpline.client, f"/dash/users/{ben}/enable", {}, "/dash/mentors")
        assert (await log_in(bens, "ben")).status == 303
        assert (await bens.get("/dash")).status == 200
    actions = [(actor, action) for actor, action, _ in await _audit(helpline)]
    assert ("user:cora", "user_disabled") in actions and ("user:cora", "user_enabled") in actions


async def test_a_mentor_cannot_disable_or_enable_accounts(helpline):
    await log_in(helpline.client, "cora")
    ben = await _user_id(helpline.client, "ben")
    async with another_browser(helpline.client) as annes:
        await log_in(annes, "anne")
        refused = await post_form(annes, f"/dash/users/{ben}/disable", {}, "/dash/contacts")
        assert refused.status == 403
    async with another_browser(helpline.client) as bens:
        assert (await log_in(bens, "ben")).status == 303


async def _retry_after(response) -> int:
    assert response.status == 429, response.status
    return int(response.headers["Retry-After"])


async def test_failed_log_ins_cost_a_growing_wait_capped_at_15_minutes_then_the_right_password_works(helpline):
    for _ in range(5):
        assert (await log_in(helpline.client, "cora", "guessing wrong")).status == 401
    waiting = await log_in(helpline.client, "cora", PASSWORD)
    assert await _retry_after(waiting) == 1
    assert "Too many failed log-ins for this username. Try again in 1 second" in await waiting.text()

    waits = [await _retry_after(waiting)]
    for _ in range(12):
        helpline.clock.advance(seconds=waits[-1])
        assert (await log_in(helpline.client, "cora", "guessing wrong")).status == 401
        waits.append(await _retry_after(await log_in(helpline.client, "cora", PASSWORD)))
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    assert "Try again in 15 minutes" in await (await log_in(helpline.client, "cora", PASSWORD)).text()

    helpline.clock.advance(seconds=900)
    assert (await log_in(helpline.client, "cora", PASSWORD)).status == 303
    await post_form(helpline.client, "/dash/logout", {})
    assert (await log_in(helpline.client, "cora", "one typo")).status == 401, "a success starts the count again"
    assert (await log_in(helpline.client, "cora", PASSWORD)).status == 303


async def test_failures_are_forgotten_after_a_quiet_day(helpline):
    await _fail(helpline, "cora", 5)
    helpline.clock.advance(hours=25)
    statuses = [(await log_in(helpline.client, "cora", "a typo")).status for _ in range(5)]
    assert statuses == [401] * 5, "five free tries again, not a wait after the first"


async def test_the_wait_does_not_tell_whether_a_username_exists(helpline):
    seen = {}
    for name in ("cora", "nobody"):
        statuses = [(await log_in(helpline.client, name, "guessing wrong")).status for _ in range(6)]
        refusal = await log_in(helpline.client, name, PASSWORD)
        seen[name] = statuses, refusal.status, refusal.headers.get("Retry-After"), await refusal.text()
    assert seen["cora"] == seen["nobody"]
    assert seen["cora"][0] == [401] * 5 + [429]


async def test_guesses_sent_all_at_once_meet_the_wait_too(helpline):
    await csrf_of(helpline.client)  # one session for all of them, as one browser's tabs would share
    answers = await asyncio.gather(*(log_in(helpline.client, "cora", f"guess {n}") for n in range(10)))
    assert sorted(a.status for a in answers) == [401] * 5 + [429] * 5
    assert (await log_in(helpline.client, "cora", PASSWORD)).status == 429


async def _fail(helpline, username: str, times: int) -> None:
    """``times`` wrong passwords, each as soon as the account may try again."""
    for _ in range(times):
        answer = await log_in(helpline.client, username, "guessing wrong")
        if answer.status == 429:
            helpline.clock.advance(seconds=await _retry_after(answer))
            answer = await log_in(helpline.client, username, "guessing wrong")
        assert answer.status == 401


async def test_one_accounts_wait_holds_up_no_other_and_a_coordinator_lets_them_in_now(helpline):
    await _fail(helpline, "cora", 15)
    assert await _retry_after(await log_in(helpline.client, "cora", PASSWORD)) == 900
    until = (helpline.clock.now + timedelta(seconds=900)).strftime("%H:%M:%S")  # London is on UTC in November

    async with another_browser(helpline.client) as carls:
        assert (await log_in(carls, "carl")).status == 303, "another account, same address: not held up"
        accounts = await (await carls.get("/dash/mentors")).text()
        coras = _account_row(accounts, "cora")
        assert f"until {until}" in coras and "Let in now" in coras
        await post_form(carls, f"/dash/users/{await _user_id(carls, 'cora')}/enable", {}, "/dash/mentors")

    assert (await log_in(helpline.client, "cora", PASSWORD)).status == 303, "no wait once a coordinator lifts it"
    assert ("user:carl", "user_enabled", {"username": "cora", "was_active": True, "delay_lifted": True}) \
        in await _audit(helpline)


async def _spray(client, headers: list[dict[str, str]]) -> list[int]:
    """One wrong password for a different made-up username each time (no account's own wait)."""
    return [(await log_in(client, f"user{n}", "guessing wrong", headers=h)).status for n, h in enumerate(headers)]


async def test_behind_a_trusted_proxy_each_client_address_waits_alone(behind_proxy):
    attacker = {"X-Forwarded-For": "203.0.113.9"}
    assert await _spray(behind_proxy.client, [attacker] * 21) == [401] * 20 + [429]
    refused = await log_in(behind_proxy.client, "cora", headers=attacker)
    assert await _retry_after(refused) == 1 and "from your network" in await refused.text()

    coordinator = {"X-Forwarded-For": "198.51.100.7, 10.9.0.4"}  # through a second trusted proxy
    assert (await log_in(behind_proxy.client, "cora", headers=coordinator)).status == 303


async def test_a_client_cannot_escape_its_wait_by_writing_its_own_x_forwarded_for(behind_proxy):
    forged = [{"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.9"} for n in range(21)]
    assert await _spray(behind_proxy.client, forged) == [401] * 20 + [429]


async def test_without_trusted_proxies_x_forwarded_for_is_not_believed(helpline):
    forged = [{"X-Forwarded-For": f"192.0.2.{n}"} for n in range(21)]
    assert await _spray(helpline.client, forged) == [401] * 20 + [429]


async def test_a_successful_log_in_does_not_count_against_the_address(behind_proxy):
    office = {"X-Forwarded-For": "198.51.100.7"}
    await _spray(behind_proxy.client, [office] * 19)
    for name in ("cora", "carl", "anne", "ben"):
        async with another_browser(behind_proxy.client) as browser:
            assert (await log_in(browser, name, headers=office)).status == 303
    assert await _spray(behind_proxy.client, [office] * 2) == [401, 429]


async def _migrate(engine, step: str, revision: str) -> None:
    from alembic import command

    from storage.migrate import alembic_config

    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: getattr(command, step)(alembic_config(sync), revision))


async def test_upgrading_disables_the_log_in_of_mentors_deactivated_before_it(backend):
    import sqlalchemy as sa

    from storage.db import create_engine
    from storage.models import User, WebSession
    from storage.types import UTCDateTime
    from tests.routing_kit import T0

    old_users = sa.table("users", *(sa.column(c) for c in ("id", "username", "password_hash", "role", "mentor_id",
                                                           "active", "failed_logins")),
                         sa.column("created_at", UTCDateTime()))
    old_mentors = sa.table("mentors", *(sa.column(c) for c in ("id", "name", "role", "active", "alert_channel",
                                                               "fallback_channel")),
                           sa.column("languages", sa.JSON()), sa.column("created_at", UTCDateTime()))
    engine = create_engine(backend.database_url)
    try:
        await _migrate(engine, "downgrade", "0009_receipts")
        async with engine.begin() as c:
            await c.execute(sa.insert(old_mentors), [
                {"id": 1, "name": "Gone", "role": "mentor", "languages": ["en"], "active": False,
                 "alert_channel": "telegram", "fallback_channel": "sms", "created_at": T0},
                {"id": 2, "name": "Here", "role": "mentor", "languages": ["en"], "active": True,
                 "alert_channel": "telegram", "fallback_channel": "sms", "created_at": T0}])
            await c.execute(sa.insert(old_users), [
                {"id": n, "username": name, "password_hash": "x", "role": "mentor", "mentor_id": n, "active": True,
                 "failed_logins": 0, "created_at": T0} for n, name in ((1, "gone"), (2, "here"))])
            await c.execute(sa.insert(WebSession), [
                {"token_hash": str(n) * 64, "user_id": n, "created_at": T0, "last_seen_at": T0} for n in (1, 2)])
        await _migrate(engine, "upgrade", "head")
        async with engine.connect() as c:
            active = dict((await c.execute(sa.select(User.username, User.active))).all())
            open_sessions = set(await c.scalars(sa.select(WebSession.user_id).where(WebSession.revoked_at.is_(None))))
    finally:
        await engine.dispose()
    assert active == {"gone": False, "here": True}
    assert open_sessions == {2}


@pytest.mark.parametrize("peer, forwarded, client", [
    ("203.0.113.9", [], "203.0.113.9"),
    ("203.0.113.9", ["198.51.100.7"], "203.0.113.9"),  # not a trusted proxy: its header is not believed
    (PROXY, [], PROXY),
    (PROXY, ["198.51.100.7"], "198.51.100.7"),
    (PROXY, ["192.0.2.1, 198.51.100.7"], "198.51.100.7"),  # the client wrote the first one itself
    (PROXY, ["192.0.2.1", "198.51.100.7, 10.9.3.3"], "198.51.100.7"),  # two headers, two trusted proxies
    (PROXY, ["10.9.3.3"], "10.9.3.3"),  # nothing but proxies: the farthest one
    (PROXY, ["192.0.2.1, not-an-address"], PROXY),  # a hop we cannot read: nothing left of it is believed
    (PROXY, ["2001:db8:1:2:3:4:5:6"], "2001:db8:1:2::/64"),  # one IPv6 client holds a whole /64
    ("::ffff:203.0.113.9", [], "203.0.113.9"),
])
def test_the_client_address_behind_trusted_proxies(peer, forwarded, client):
    from bot.client_address import client_address, parse_networks

    assert client_address(peer, forwarded, parse_networks(f"10.9.0.0/16, {PROXY}")) == client
