"""POST /twilio/sms: Twilio's messaging webhook, signed, answered with empty TwiML once stored."""

from __future__ import annotations

from urllib.parse import parse_qsl

import structlog
from aiohttp import web
from twilio.twiml.messaging_response import MessagingResponse

from bot.services import SERVICES
from escalation.channels import SMS
from escalation.intake import InboundMessage
from handlers.http import bad_request, forbidden, read_body
from handlers.phone import normalise_phone
from storage.types import row_id

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def verified_params(request: web.Request) -> dict[str, str]:
    """The form fields of a request that Twilio really signed; 413, 400 or 403 otherwise.

    The signature covers the URL Twilio called, which behind a proxy is not the one aiohttp
    sees, so it is rebuilt from HELPLINE_PUBLIC_URL.
    """
    services = request.app[SERVICES]
    body = await read_body(request, services.settings.max_webhook_bytes)
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        raise bad_request("body is not a form") from None
    params = dict(pairs)
    url = f"{services.settings.public_url}{request.path_qs}"
    validator = services.twilio_validator
    if validator is None or not validator.validate(url, params, request.headers.get(SIGNATURE_HEADER, "")):
        log.warning("twilio webhook refused: bad signature", path=request.path, remote=request.remote)
        raise forbidden("bad signature")
    return params


def sms_text(params: dict[str, str]) -> str:
    """The SMS text, with a marker when a picture came with it (the picture itself is not kept)."""
    body, media = params.get("Body", ""), params.get("NumMedia", "0")
    if not row_id(media):
        return body
    return f"{body} [picture message]" if body else "[picture message]"


async def twilio_sms(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    params = await verified_params(request)
    sid, sender = params.get("MessageSid") or params.get("SmsSid"), params.get("From")
    if not sid or not sender:
        raise bad_request("MessageSid and From are required")
    address, region = normalise_phone(sender)
    mentor = await services.desk.mentor_for("sms", address) if services.desk else None
    if mentor is not None:
        reply = MessagingResponse()
        answer = await services.desk.sms_command(mentor, params.get("Body", ""), (SMS, sid))  # type: ignore[union-attr]
        if answer is not None:
            reply.message(answer)
        log.info("mentor sms", mentor_id=mentor.id)
        return web.Response(text=str(reply), content_type="text/xml")
    inbound = InboundMessage(channel=SMS, sender=address, text=sms_text(params),
                             provider_message_id=sid, received_at=services.clock(), region=region)
    result = await services.intake.receive(inbound)
    log.info("sms taken", contact_id=result.contact_id, duplicate=result.duplicate)
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")
