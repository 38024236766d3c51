"""Sends outbox messages as SMS through Twilio's REST client, asynchronously.

``RebasedTwilioHttpClient`` points the unmodified client at ``HELPLINE_TWILIO_API_URL``, which is
how tests reach a local fake and how a regional or proxy endpoint would be used.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot.senders.base import PermanentSendError, TransientSendError
from escalation.channels import SMS

OFFICIAL_API = "https://api.twilio.com"


class RebasedTwilioHttpClient(AsyncTwilioHttpClient):
    def __init__(self, api_url: str, timeout: float = 15.0) -> None:
        super().__init__(timeout=timeout)
        self._api_url = api_url.rstrip("/")

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(OFFICIAL_API):
            url = self._api_url + url[len(OFFICIAL_API):]
        return await super().request(method, url, *args, **kwargs)


def twilio_client(account_sid: str, auth_token: str, api_url: str) -> Client:
    return Client(account_sid, auth_token, http_client=RebasedTwilioHttpClient(api_url))


class SmsSender:
    channel = SMS

    def __init__(self, client: Client, from_number: str) -> None:
        self._client = client
        self._from = from_number

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        try:
            message = await self._client.messages.create_async(to=address, from_=self._from, body=body)
        except TwilioRestException as error:
            reason = f"twilio {error.status} code {error.code}"
            if error.status == 429 or error.status >= 500:
                raise TransientSendError(reason) from None
            raise PermanentSendError(reason) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise TransientSendError(f"twilio unreachable: {type(error).__name__}") from None
        return message.sid

    async def close(self) -> None:
        await self._client.http_client.close()
