"""Bad input gets a clear 4xx and loses nothing; never a 5xx. Property-based: hypothesis throws
malformed and hostile values at every inbound endpoint and every dashboard page and form,
logged in and not, on SQLite and on PostgreSQL.

Hypothesis runs in a worker thread; each request it makes is run on the test's event loop,
where the helpline and the fakes live.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from escalation.referrals.workflow import Actor
from storage.models import Message
from tests.conftest import PUBLIC_URL, WEBHOOK_SECRET, helpline_settings
from tests.dashboard_kit import CSRF, PASSWORD, add_user
from tests.db_queries import rows
from tests.fake_twilio import AUTH_TOKEN
from tests.routing_kit import make_team

NASTY = ["²", "٣", "9" * 20, "-1", "0", "1e9", "9999-12-31", "0001-01-01", "2026-02-30", "\x00", "a\x00b",
         "😀", "\u202e", "%", "%%", "&", "=", "../../etc/passwd", "<script>", "' OR 1=1 --", " ", "",
         "[" * 2000, "{" * 2000, "x" * 5000, "true", "null", "NaN", "+447700900123"]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=60), st.integers().map(str))
FIELDS = ["address", "button", "channel", "contact", "csrf", "ends", "ends_at", "from", "iom_case_ref", "iom_cohort",
          "kind", "level", "mentor", "mentor_id", "minutes", "name", "next", "note", "outcome", "override_caps",
          "password", "phone", "reason", "role", "starts", "starts_at", "text", "username", "weekday", "lang_en",
          "MessageSid", "From", "Body", "NumMedia", "CallSid", "Digits", "RecordingSid", "RecordingUrl",
          "RecordingDuration", "TranscriptionText", "TranscriptionStatus", "DialCallStatus", "DialCallDuration",
          "CallStatus", "CallDuration", "state", "basis", "consent_at", "agency_id", "safe_to_talk", "confirm", "person"]
forms = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), values, max_size=8)
GETS = ["/healthz", "/dash", "/dash/login", "/dash/queue/rows", "/dash/contacts", "/dash/contacts.csv",
        "/dash/contacts/{id}", "/dash/contacts/1/calls/{id}/recording", "/dash/rota", "/dash/mentors", "/dash/audit", "/dash/reports", "/dash/simulator",
        "/dash/referrals", "/dash/referrals/{id}", "/dash/agencies", "/dash/reports/sharing", "/dash/reports/sharing.csv",
        "/dash/outbox", "/referrals/ack/{id}", "/dash/people/{id}", "/dash/blocks"]
POSTS = ["/dash/login", "/dash/logout", "/dash/contacts/{id}/identity", "/dash/contacts/{id}/iom",
         "/dash/contacts/{id}/level", "/dash/rota/shifts", "/dash/rota/overrides", "/dash/rota/{kind}/{id}/remove",
         "/dash/mentors", "/dash/mentors/{id}/deactivate", "/dash/mentors/{id}/invite", "/dash/users/{id}/disable",
         "/dash/users/{id}/enable", "/dash/simulator/person",
         "/dash/simulator/mentor", "/dash/simulator/close", "/dash/simulator/call", "/dash/simulator/answer",
         "/dash/contacts/{id}/referrals", "/dash/referrals/{id}/checklist", "/dash/referrals/{id}/draft",
         "/dash/referrals/{id}/approve", "/dash/referrals/{id}/end", "/dash/agencies", "/dash/agencies/{id}/disable",
         "/referrals/ack/{id}", "/dash/people/{id}/export", "/dash/people/{id}/hold", "/dash/people/{id}/hold/release",
         "/dash/people/{id}/erase", "/dash/blocks", "/dash/blocks/{id}/lift"]
VOICE = ["", "/language", "/dial", "/dialled", "/whisper", "/whisper/key", "/recorded", "/recording", "/transcription",
         "/status", "/fallback", "/alert", "/alert/status"]
VOICE_QUERY = ["leg", "call", "contact", "mentor", "alert", "step"]
QUERY_KEYS = ["from", "to", "level", "category", "mentor", "channel", "outcome", "pathway", "iom", "before", "week",
              "next", "notice", "error"]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
EXAMPLES = 150
EXAMINED = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


class Prober:
    """Runs hypothesis's requests on the loop, and remembers every answer of 500 or more."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.server_errors: list[tuple[str, str, int]] = []
        self.count = 0

    def send(self, client: TestClient, method: str, path: str, **options: Any) -> int:
        status = asyncio.run_coroutine_threadsafe(self._send(client, method, path, **options), self.loop).result(60)
        self.count += 1
        if status >= 500:
            self.server_errors.append((method, path, status))
        return status

    async def _send(self, client: TestClient, method: str, path: str, **options: Any) -> int:
        async with client.request(method, path, allow_redirects=False, **options) as response:
            await response.read()
            return response.status


def _path(template: str, value: str) -> str:
    return template.replace("{id}", quote(value, safe="")).replace("{kind}", quote(value[:8] or "x", safe=""))


async def _dashboard_client(helpline: Any) -> TestClient:
    """A browser logged in as a coordinator. The cookie is Secure (the public URL is https), so the
    test's http origin is treated as secure."""
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[str(helpline.client.make_url("/"))])
    client = TestClient(helpline.client.server, cookie_jar=jar)
    await client.start_server()
    page = await (await client.get("/dash/login")).text()
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    login = await client.post("/dash/login", data={"csrf": token, "username": "cora", "password": PASSWORD,
                                                   "next": "/dash"}, allow_redirects=False)
    assert login.status == 303
    return client


async def _csrf(client: TestClient) -> str:
    found = CSRF.search(await (await client.get("/dash/contacts")).text())
    return found.group(1) if found else ""


def _probe_dashboard(prober: Prober, clients: dict[str, TestClient], csrf: str) -> None:
    @EXAMINED
    @given(who=st.sampled_from(list(clients)), path=st.sampled_from(GETS), value=values,
           query=st.dictionaries(st.sampled_from(QUERY_KEYS), values, max_size=4))
    def pages(who: str, path: str, value: str, query: dict[str, str]) -> None:
        prober.send(clients[who], "GET", _path(path, value), params=query)

    @EXAMINED
    @given(who=st.sampled_from(list(clients)), path=st.sampled_from(POSTS), value=values, fields=forms,
           raw=st.one_of(st.none(), st.binary(max_size=200)))
    def posts(who: str, path: str, value: str, fields: dict[str, str], raw: bytes | None) -> None:
        data = raw if raw is not None else urlencode({"csrf": csrf, **fields}).encode()
        prober.send(clients[who], "POST", _path(path, value), data=data, headers=FORM)

    pages()
    posts()


def _probe_webhooks(prober: Prober, client: TestClient) -> None:
    @EXAMINED
    @given(fields=forms, sign=st.booleans(), raw=st.one_of(st.none(), st.binary(max_size=300)))
    def sms(fields: dict[str, str], sign: bool, raw: bytes | None) -> None:
        headers = {**FORM, "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(
            f"{PUBLIC_URL}/twilio/sms", fields) if sign else "forged"}
        prober.send(client, "POST", "/twilio/sms", data=raw if raw is not None else urlencode(fields).encode(),
                    headers=headers)

    update = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), values),
                          lambda children: st.one_of(st.lists(children, max_size=3),
                                                     st.dictionaries(st.sampled_from(
                                                         ["update_id", "message", "chat", "id", "text", "from",
                                                          "date", "type", "message_id", "callback_query", "data",
                                                          "edited_message", "first_name", "is_bot"]), children,
                                                         max_size=5)), max_leaves=20)

    @EXAMINED
    @given(body=update, update_id=st.integers(), raw=st.one_of(st.none(), st.binary(max_size=300)),
           secret=st.sampled_from([WEBHOOK_SECRET, "wrong", ""]))
    def telegram(body: Any, update_id: int, raw: bytes | None, secret: str) -> None:
        payload = {"update_id": update_id, "message": body} if isinstance(body, dict) else body
        data = raw if raw is not None else json.dumps(payload).encode()
        prober.send(client, "POST", "/telegram/webhook", data=data,
                    headers={"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"})

    @EXAMINED
    @given(path=st.sampled_from(VOICE), query=st.dictionaries(st.sampled_from(VOICE_QUERY), values, max_size=4),
           fields=forms, sign=st.booleans(), raw=st.one_of(st.none(), st.binary(max_size=300)))
    def voice(path: str, query: dict[str, str], fields: dict[str, str], sign: bool, raw: bytes | None) -> None:
        url = f"/twilio/voice{path}" + (f"?{urlencode(query)}" if query else "")
        headers = {**FORM, "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(
            f"{PUBLIC_URL}{url}", fields) if sign else "forged"}
        prober.send(client, "POST", url, data=raw if raw is not None else urlencode(fields).encode(), headers=headers)

    sms()
    telegram()
    voice()


async def test_no_input_gets_a_server_error(backend, sessions, fake_bot, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio))
    await make_team(sessions)
    await add_user(sessions, "cora", "coordinator")
    await helpline.sms("+447700900123", "what time is my appointment", "SM" + "1" * 32)  # contact 1 exists
    await helpline.services.referrals.propose(1, "marac", Actor("user:cora", "cora", True))  # and referral 1
    dashboard = await _dashboard_client(helpline)
    prober = Prober(asyncio.get_running_loop())
    try:
        csrf = await _csrf(dashboard)
        await asyncio.to_thread(_probe_dashboard, prober, {"coordinator": dashboard, "anonymous": helpline.client}, csrf)
        await asyncio.to_thread(_probe_webhooks, prober, helpline.client)
    finally:
        await dashboard.close()
    assert prober.count >= 4 * EXAMPLES
    assert prober.server_errors == [], f"{len(prober.server_errors)} of {prober.count}: {prober.server_errors[:10]}"


async def test_a_message_with_a_nul_character_is_stored_like_any_other(backend, sessions, fake_bot, fake_twilio,
                                                                       start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio))
    answered = await helpline.sms("+447700900123", "i need\x00 help with my rent", "SM" + "2" * 32)
    update = await helpline.telegram(fake_bot.message_update(4242, "hello\x00 there"))

    assert answered.status == 200 and update.status == 200
    stored = sorted(m.body for m in await rows(sessions, Message, Message.direction == "in"))
    assert stored == ["hello\ufffd there", "i need\ufffd help with my rent"]
