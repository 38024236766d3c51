"""Small request helpers shared by the webhook handlers: bounded reads and plain errors."""

from __future__ import annotations

from aiohttp import web

CHUNK = 16 * 1024


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, or 413 as soon as it is known to be larger than ``limit``.

    Checking Content-Length alone is not enough: a chunked request has none.
    """
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    body = bytearray()
    while chunk := await request.content.read(CHUNK):
        body += chunk
        if len(body) > limit:
            raise too_large(limit)
    return bytes(body)


def too_large(limit: int) -> web.HTTPRequestEntityTooLarge:
    return web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=limit + 1,
                                         text=f"request body over {limit} bytes")


def bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=reason)


def forbidden(reason: str) -> web.HTTPForbidden:
    return web.HTTPForbidden(text=reason)
