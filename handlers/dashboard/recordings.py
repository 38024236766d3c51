"""A voicemail played on the dashboard: fetched from Twilio through the server with the
account's credentials, never as a public link, for someone allowed to see the contact, audited."""

from __future__ import annotations

import aiohttp
import structlog
from aiohttp import web

from handlers.dashboard.common import record, services, transaction
from handlers.dashboard.contacts import _contact_id, _visible
from storage.models import Call
from storage.types import row_id

log = structlog.get_logger(__name__)

FETCH_SECONDS = 20.0


async def play_recording(request: web.Request) -> web.StreamResponse:
    contact_id, call_id = _contact_id(request), row_id(request.match_info["call_id"])
    settings = services(request).settings
    async with transaction(request) as session:
        await _visible(session, request, contact_id)
        call = await session.get(Call, call_id or 0)
        if call is None or call.contact_id != contact_id or not call.recording_url:
            raise web.HTTPNotFound(text="no recording")
        url = call.recording_url
        await record(session, request, "recording_played", contact_id=contact_id, call_id=call.id)
    if not (settings.twilio_enabled and url.startswith(settings.twilio_api_url.rstrip("/") + "/")):
        raise web.HTTPNotFound(text="the recording is not at the configured Twilio API")  # never fetch elsewhere
    assert settings.twilio_account_sid and settings.twilio_auth_token
    auth = aiohttp.BasicAuth(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value())
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=FETCH_SECONDS)) as client:
            async with client.get(f"{url}.mp3", auth=auth) as upstream:
                if upstream.status != 200:
                    log.warning("recording fetch refused", status=upstream.status, call_id=call_id)
                    raise web.HTTPBadGateway(text="Twilio did not give the recording")
                audio = await upstream.read()
    except (aiohttp.ClientError, TimeoutError):
        raise web.HTTPBadGateway(text="Twilio could not be reached for the recording") from None
    return web.Response(body=audio, content_type="audio/mpeg",
                        headers={"Cache-Control": "no-store", "Content-Disposition": "inline"})
