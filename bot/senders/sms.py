"""Sends outbox messages as SMS through Twilio's REST client, asynchronously.

``RebasedTwilioHttpClient`` points the unmodified client at ``HELPLINE_TWILIO_API_URL``, which is
how tests reach a local fake and how a regional or proxy endpoint would be used. It also makes
the client's timeout real: twilio's ``AsyncTwilioHttpClient`` keeps the ``timeout`` it is given
but passes each request's own ``timeout`` (None from ``create_async``) to aiohttp, and aiohttp
reads None as "no timeout at all", not even its default, so one hung request hung forever.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Awaitable

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot.senders.base import PermanentSendError, RecipientOptedOut, TransientSendError
from escalation.channels import SMS

OFFICIAL_API = "https://api.twilio.com"
UNSUBSCRIBED = 21610  # Twilio: "Attempt to send to unsubscribed recipient" (STOP answered by Twilio)


class RebasedTwilioHttpClient(AsyncTwilioHttpClient):
    def __init__(self, api_url: str, timeout: float = 15.0) -> None:
        super().__init__(timeout=timeout)
        self._api_url = api_url.rstrip("/")

    async def request(self, method: str, url: str, params: dict[str, object] | None = None,
                      data: dict[str, object] | None = None, headers: dict[str, str] | None = None,
                      auth: tuple[str, str] | None = None, timeout: float | None = None,
                      allow_redirects: bool = False) -> Response:
        """As twilio's, bounded by the client's timeout; a 429 raises with Twilio's Retry-After,
        which the library's own exception would drop."""
        if url.startswith(OFFICIAL_API):
            url = self._api_url + url[len(OFFICIAL_API):]
        response = await super().request(method, url, params=params, data=data, headers=headers, auth=auth,
                                         timeout=timeout if timeout is not None else self.timeout,
                                         allow_redirects=allow_redirects)
        if response.status_code == 429:
            raise TransientSendError("twilio 429 too many requests", retry_after_header(response.headers))
        return response


def retry_after_header(headers: Any) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date); None if absent or unreadable."""
    value = (headers or {}).get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


def twilio_client(account_sid: str, auth_token: str, api_url: str, timeout: float = 15.0) -> Client:
    return Client(account_sid, auth_token, http_client=RebasedTwilioHttpClient(api_url, timeout))


async def twilio_sid(request: Awaitable[Any]) -> str:
    """The sid of what a Twilio REST request created; its failure as transient or permanent."""
    try:
        created = await request
    except TwilioRestException as error:
        reason = f"twilio {error.status} code {error.code}"
        if error.status == 429 or error.status >= 500:
            raise TransientSendError(reason) from None
        if error.code == UNSUBSCRIBED:
            raise RecipientOptedOut(reason) from None
        raise PermanentSendError(reason) from None
    except (aiohttp.ClientError, TimeoutError) as error:
        raise TransientSendError(f"twilio unreachable: {type(error).__name__}") from None
    return str(created.sid)


class SmsSender:
    channel = SMS

    def __init__(self, client: Client, from_number: str) -> None:
        self._client = client
        self._from = from_number

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        return await twilio_sid(self._client.messages.create_async(to=address, from_=self._from, body=body))

    async def close(self) -> None:
        await self._client.http_client.close()
