"""No secret, phone number, chat id or message text in the log, whatever fails, in every format.

A real `helpline run` is given planted values (tokens, keys, a person's number, chat id and
words), then made to fail every way an outsider or a bad network can make it fail; its whole
output is then searched for the planted values.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import struct
from urllib.parse import urlencode

import aiohttp
import pytest
from twilio.request_validator import RequestValidator

from tests.fake_telegram import FakeBotApi
from tests.fake_twilio import FakeTwilio
from tests.processes import helpline_process
from tests.servers import free_port

PUBLIC_URL = "https://helpline.test"
BOT_TOKEN = "7000001:PLANTEDbotTOKENxyz0123456789"
AUTH_TOKEN = "PLANTEDtwilioAUTHtoken0123456789"
WEBHOOK_SECRET = "PLANTED-webhook-secret-0123456789"
SESSION_KEY = "UExBTlRFRC1zZXNzaW9uLWtleS0wMTIzNDU2Nzg5YWI="  # 32 bytes, url-safe base64
PHONE = "+447700900456"
CHAT_ID = 987654321
WORDS = "my planted words about the river tonight"
SMTP_PASSWORD = "PLANTED-smtp-password-0123456789"
PLANTED = {"smtp password": SMTP_PASSWORD, "bot token": BOT_TOKEN.split(":")[1], "auth token": AUTH_TOKEN, "webhook secret": WEBHOOK_SECRET,
           "session key": SESSION_KEY, "phone": PHONE[1:], "phone, spaced": "7700 900456", "chat id": str(CHAT_ID),
           "words": "planted words"}


def _sms_form(body: str, sid: str = "9") -> tuple[dict[str, str], str]:
    params = {"MessageSid": "SM" + sid * 32, "AccountSid": "AC" + "0" * 32, "From": PHONE, "To": "+447700900001",
              "Body": body, "NumMedia": "0"}
    return params, RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC_URL}/twilio/sms", params)


def _signed(path: str, params: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    return params, {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC_URL}{path}", params)}


async def _call_and_voicemail(http: aiohttp.ClientSession, base: str, recording: str, recordings: str) -> list[int]:
    """A call from the planted number that nobody takes, and its voicemail in the planted words."""
    call = {"CallSid": "CA" + "9" * 32, "AccountSid": "AC" + "0" * 32, "From": PHONE, "To": "+447700900001"}
    statuses = []
    for path, extra in [("/twilio/voice", {}), ("/twilio/voice/dial", {}),
                        ("/twilio/voice/recording", {"RecordingSid": recording, "RecordingDuration": "9",
                                                     "RecordingUrl": f"{recordings}/{recording}"}),
                        ("/twilio/voice/transcription", {"RecordingSid": recording, "TranscriptionText": WORDS,
                                                         "TranscriptionStatus": "completed"})]:
        data, headers = _signed(path, {**call, **extra})
        async with http.post(base + path, data=data, headers=headers) as response:
            statuses.append(response.status)
    return statuses


def _raw(port: int, request: bytes, reset: bool = False) -> None:
    """Send part of a request and hang up: a truncated body, or a reset connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(request)


async def _fail_every_way(base: str, port: int, database: str, bot: FakeBotApi, recordings: str) -> list[int]:
    params, signature = _sms_form(WORDS)
    form = urlencode(params).encode()
    head = (f"POST /twilio/sms HTTP/1.1\r\nHost: x\r\nX-Twilio-Signature: {signature}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n").encode()
    _raw(port, head + form[:60])
    _raw(port, head + form[:60], reset=True)
    statuses = []
    with sqlite3.connect(database) as db:  # a safeguarding lead, whose e-mail relay is down
        db.execute("INSERT INTO agencies (kind, area, name, channel, address, active, accepts, created_at) VALUES "
                   "('emergency', '', 'Lead', 'email', 'lead@agency.test', 1, '[\"emergency\"]', '2026-11-27 00:00:00')")
    async with aiohttp.ClientSession() as http:
        emergency, emergency_signature = _sms_form("I'm going to kill myself tonight, " + WORDS, sid="8")
        async with http.post(base + "/twilio/sms", data=emergency,
                             headers={"X-Twilio-Signature": emergency_signature}) as response:
            statuses.append(response.status)
        for path, data, headers in [
            ("/dash/login", b"username=\xff\xfe" + WORDS.encode() + b"&password=\xc3(", {}),
            ("/telegram/webhook", b'{"update_id": 1, "message": {"text": "' + WORDS.encode() + b'"',
             {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}),
            ("/telegram/webhook", b"[" * 5000, {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}),
            ("/twilio/sms", urlencode({**params, "Body": WORDS + "\x00"}).encode(),
             {"X-Twilio-Signature": "forged", "Content-Type": "application/x-www-form-urlencoded"}),
        ]:
            async with http.post(base + path, data=data, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                                  **headers}) as response:
                statuses.append(response.status)
        statuses += await _call_and_voicemail(http, base, "RE" + "1" * 32, recordings)
        with sqlite3.connect(database) as db:  # a database error in the middle of storing a message
            db.execute("DROP TABLE contact_tags")
        statuses += await _call_and_voicemail(http, base, "RE" + "2" * 32, recordings)
        async with http.post(base + "/twilio/sms", data=params, headers={"X-Twilio-Signature": signature}) as response:
            statuses.append(response.status)
        update = bot.message_update(CHAT_ID, WORDS)
        async with http.post(base + "/telegram/webhook", json=update,
                             headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}) as response:
            statuses.append(response.status)
    return statuses


@pytest.mark.parametrize("log_format", ["console", "json"])
async def test_no_planted_value_reaches_the_log_whatever_fails(tmp_path, log_format):
    bot, twilio = FakeBotApi(token=BOT_TOKEN), FakeTwilio(auth_token=AUTH_TOKEN)
    await bot.start()
    await twilio.start()
    database = tmp_path / "helpline.db"
    env = {"HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{database}", "HELPLINE_PUBLIC_URL": PUBLIC_URL,
           "HELPLINE_TELEGRAM_TOKEN": BOT_TOKEN, "HELPLINE_TELEGRAM_API_URL": bot.base_url,
           "HELPLINE_TELEGRAM_MODE": "webhook", "HELPLINE_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "HELPLINE_TWILIO_ACCOUNT_SID": twilio.account_sid, "HELPLINE_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
           "HELPLINE_TWILIO_NUMBER": "+447700900001", "HELPLINE_TWILIO_API_URL": twilio.api_url,
           "HELPLINE_SESSION_KEY": SESSION_KEY, "HELPLINE_SMTP_HOST": "127.0.0.1", "HELPLINE_SMTP_PORT": str(free_port()),
           "HELPLINE_SMTP_FROM": "helpline@helpline.test", "HELPLINE_SMTP_USERNAME": "helpline",
           "HELPLINE_SMTP_PASSWORD": SMTP_PASSWORD, "HELPLINE_LOG_FORMAT": log_format, "HELPLINE_LOG_LEVEL": "DEBUG"}
    try:
        with helpline_process("run", tmp_path, env) as child:
            await asyncio.to_thread(child.wait_for, r"listening http://")  # the fakes answer on this loop
            statuses = await _fail_every_way(child.base, child.port, str(database), bot,
                                             twilio.recording_url("").rstrip("/"))
            await asyncio.sleep(1)  # let the failures be logged
            await asyncio.to_thread(child.stop)
    finally:
        await bot.stop()
        await twilio.stop()

    output = child.text()
    leaked = {name: value for name, value in PLANTED.items() if value in output}
    assert leaked == {}, f"planted values in the log: {sorted(leaked)}"
    assert "Traceback (values left out)" in output, "the failures were logged, as frames"
    assert all(status < 500 or status == 503 for status in statuses), statuses
    if log_format == "json":
        assert all(json.loads(line) for line in output.splitlines() if line.startswith("{"))
