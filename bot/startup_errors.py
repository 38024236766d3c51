"""What an operator reads when the helpline cannot start: one line naming the setting or the
address and what to do, never a traceback of hundreds of lines (nor the values in it)."""

from __future__ import annotations

import errno
import os

from bot.logs import describe
from bot.settings import Settings
from storage.db import redact_url, unavailable
from storage.sealing import SealError


def explain(error: BaseException, settings: Settings | None) -> str:
    """One line for a failure at start-up."""
    if isinstance(error, OSError) and error.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
        return _address(error, settings)
    if isinstance(error, SealError):
        return str(error)
    if unavailable(error):
        where = redact_url(settings.database_url) if settings else "the database"
        return (f"HELPLINE_DATABASE_URL: cannot reach {where} ({type(error).__name__}); "
                "is the database server running and the URL right?")
    return f"could not start: {type(error).__name__} (where it failed is below; values are left out)"


def details(error: BaseException) -> str | None:
    """The frames of an error not named by ``explain``, for a bug report."""
    if isinstance(error, (OSError, SealError)) or unavailable(error):
        return None
    return describe(error)


def _address(error: OSError, settings: Settings | None) -> str:
    host = settings.http_host if settings else "127.0.0.1"
    port = settings.http_port if settings else "?"
    if error.errno == errno.EADDRINUSE:
        return (f"HELPLINE_HTTP_PORT: {host}:{port} is already in use (another helpline?); stop it or "
                "choose another port")
    if error.errno == errno.EACCES:
        return f"HELPLINE_HTTP_PORT: not allowed to listen on {host}:{port} (ports below 1024 need privileges)"
    return f"HELPLINE_HTTP_HOST: {host} is not an address of this machine ({os.strerror(error.errno or 0)})"
