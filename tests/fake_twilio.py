"""A local stand-in for Twilio's REST API (Messages.json, Calls.json and recordings' media),
answering with Twilio's JSON shapes.

The real ``twilio`` client reaches it through ``RebasedTwilioHttpClient``. It checks HTTP basic
auth like Twilio does, records each message, and can fail the next requests with a status, fail
every request while a condition holds (an outage over a test's clock), or hang: requests are
held, unanswered, until the test releases them, and a held request never creates a message.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any, Callable

from aiohttp import web

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
HELPLINE_NUMBER = "+447700900001"


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    messages: list[dict[str, str]] = field(default_factory=list)
    calls: list[dict[str, str]] = field(default_factory=list)  # placed calls: to, from, twiml, status_callback
    recordings: dict[str, bytes] = field(default_factory=dict)  # recording sid -> audio
    requests: int = 0
    _failures: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    _outages: list[tuple[Callable[[], bool], tuple[int, int, str, str | None]]] = field(default_factory=list)
    _release: asyncio.Event | None = None
    held: int = 0  # requests that arrived while hanging
    request_held: asyncio.Event = field(default_factory=asyncio.Event)
    runner: web.AppRunner | None = None
    port: int = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._create_message)
        app.router.add_post("/2010-04-01/Accounts/{sid}/Calls.json", self._create_call)
        app.router.add_get("/2010-04-01/Accounts/{sid}/Recordings/{recording}", self._recording)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", port)
        await site.start()
        self.port = self.runner.addresses[0][1]

    async def stop(self) -> None:
        self.release()  # a held request would keep the server's shutdown waiting
        if self.runner is not None:
            await self.runner.cleanup()

    def fail_next(self, status: int, code: int, message: str, retry_after: str | None = None) -> None:
        """Fail the next request; ``retry_after`` is sent as the Retry-After header (429s)."""
        self._failures.append((status, code, message, retry_after))

    def fail_while(self, holds: Callable[[], bool], status: int = 500, code: int = 20500,
                   message: str = "Internal Server Error") -> None:
        """Answer every request with this error as long as ``holds()`` is true."""
        self._outages.append((holds, (status, code, message, None)))

    def hang(self) -> None:
        """From now on hold every request unanswered until ``release``."""
        self._release = asyncio.Event()

    def release(self) -> None:
        """Stop hanging; held requests are answered 503 (the client gave up on them long ago)."""
        if self._release is not None:
            self._release.set()
            self._release = None

    def _refused(self, request: web.Request) -> web.Response | None:
        """Twilio's answer to a request that is not let through: bad credentials, or a failure
        the test queued with ``fail_next``."""
        self.requests += 1
        if not self._authorised(request) or request.match_info["sid"] != self.account_sid:
            return _error(401, 20003, "Authenticate", None)
        if self._failures and self._release is None:
            return _error(*self._failures.pop(0))
        return None

    async def _create_message(self, request: web.Request) -> web.Response:
        if (refused := self._refused(request)) is not None:
            return refused
        if self._release is not None:
            return await self._hold(self._release)
        for holds, failure in self._outages:
            if holds():
                return _error(*failure)
        form = await request.post()
        to, sender, body = str(form.get("To", "")), str(form.get("From", "")), str(form.get("Body", ""))
        if not to or not body:
            return _error(400, 21604, "A 'To' phone number and a 'Body' are required.", None)
        sid = "SM" + secrets.token_hex(16)
        self.messages.append({"sid": sid, "to": to, "from": sender, "body": body})
        now = formatdate(usegmt=True)
        return web.json_response(status=201, data={
            "account_sid": self.account_sid, "api_version": "2010-04-01", "body": body,
            "date_created": now, "date_sent": None, "date_updated": now,
            "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": sender, "messaging_service_sid": None, "num_media": "0", "num_segments": "1",
            "price": None, "price_unit": "USD", "sid": sid, "status": "queued", "subresource_uris": {},
            "to": to, "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        })

    def recording_url(self, recording_sid: str) -> str:
        """What Twilio sends as RecordingUrl: the recording without an extension."""
        return f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Recordings/{recording_sid}"

    async def _create_call(self, request: web.Request) -> web.Response:
        if (refused := self._refused(request)) is not None:
            return refused
        form = await request.post()
        to, sender = str(form.get("To", "")), str(form.get("From", ""))
        if not to or not (form.get("Twiml") or form.get("Url")):
            return _error(400, 21205, "A 'To' number and 'Twiml' or 'Url' are required.", None)
        sid = "CA" + secrets.token_hex(16)
        self.calls.append({"sid": sid, "to": to, "from": sender, "twiml": str(form.get("Twiml", "")),
                           "status_callback": str(form.get("StatusCallback", "")),
                           "timeout": str(form.get("Timeout", ""))})
        now = formatdate(usegmt=True)
        return web.json_response(status=201, data={
            "account_sid": self.account_sid, "api_version": "2010-04-01", "date_created": now, "date_updated": now,
            "direction": "outbound-api", "from": sender, "to": to, "sid": sid, "status": "queued",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Calls/{sid}.json", "subresource_uris": {},
        })

    async def _recording(self, request: web.Request) -> web.Response:
        if not self._authorised(request) or request.match_info["sid"] != self.account_sid:
            return _error(401, 20003, "Authenticate", None)
        name = request.match_info["recording"]
        audio = self.recordings.get(name.rsplit(".", 1)[0])
        if audio is None:
            return _error(404, 20404, "The requested resource was not found", None)
        return web.Response(body=audio, content_type="audio/mpeg")

    async def _hold(self, release: asyncio.Event) -> web.Response:
        self.held += 1
        self.request_held.set()
        await release.wait()
        return _error(503, 20503, "Service Unavailable", None)

    def _authorised(self, request: web.Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("Authorization", "") == f"Basic {expected}"


def _error(status: int, code: int, message: str, retry_after: str | None) -> web.Response:
    data: dict[str, Any] = {"code": code, "message": message, "status": status,
                            "more_info": f"/docs/errors/{code}"}  # Twilio links its docs here
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return web.json_response(data, status=status, headers=headers)
