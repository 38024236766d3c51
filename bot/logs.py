"""Structured logs with ids, never message text, names, numbers or secrets.

Tracebacks are where personal data leaks: a frame's local variables hold the settings (tokens),
the webhook form (a phone number, a message) or a row; an exception's own message often quotes
the value that failed (a database error quotes its parameters, a decode error the bytes). So
every traceback, from our code or a library's, in every format, is written as frames (file,
line, function) and exception type names only, and short: a burst of failures (a database
outage) must not keep the event loop busy writing thousands of lines.

Third-party loggers that print request bodies or URLs (Twilio's client logs the To number and
Body at INFO, httpx logs URLs that contain the bot token) are held at WARNING.
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import queue
import re
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import structlog

# Libraries that log what they are handed at DEBUG: aiosqlite logs every statement with its
# parameters (a phone number, a chat id, a message), sqlalchemy.engine the same when echoing.
NOISY_LOGGERS = ("twilio", "twilio.http_client", "twilio.async_http_client", "httpx", "httpcore",
                 "telegram", "apscheduler", "aiohttp.access", "alembic", "aiosqlite", "sqlalchemy.engine",
                 "aiosmtplib")
MAX_FRAMES = 12  # the innermost ones: where it failed, and how it got there
MAX_CHAIN = 3  # "during handling of the above exception" links
FOREIGN_MESSAGE_CHARS = 200
PHONE = re.compile(r"\+\d[\d ]{7,17}\d")
_listener: logging.handlers.QueueListener | None = None


def configure_logging(level: str = "INFO", fmt: str = "console", secrets: Iterable[str] = ()) -> None:
    """Logs go through a queue to a thread that writes them, so that a slow or blocked stderr
    never holds the event loop. ``secrets`` (tokens, keys, passwords) are blanked wherever
    they would appear, as are phone numbers, whatever a library writes."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_exception,
    ]
    renderer = (structlog.processors.JSONRenderer() if fmt == "json"
                else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=_no_exception))
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = _RedactingFormatter(
        [s for s in secrets if s and len(s) >= 6],
        foreign_pre_chain=[_first_line_of_foreign, *shared],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    root = logging.getLogger()
    root.handlers[:] = [_queued(formatter)]
    root.setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))


class _RedactingFormatter(structlog.stdlib.ProcessorFormatter):
    def __init__(self, secrets: list[str], **options: Any) -> None:
        super().__init__(**options)
        self._secrets = sorted(secrets, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[secret]")
        return PHONE.sub("[phone]", text)


def _queued(formatter: logging.Formatter) -> logging.Handler:
    """A handler that formats on the caller's thread (cheap) and writes on a listener thread."""
    global _listener
    if _listener is not None:
        _listener.stop()
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    writer = logging.StreamHandler(sys.stderr)
    writer.setFormatter(logging.Formatter("%(message)s"))
    _listener = logging.handlers.QueueListener(records, writer)
    _listener.start()
    handler = logging.handlers.QueueHandler(records)
    handler.setFormatter(formatter)
    return handler


@atexit.register
def flush_logs() -> None:
    """Write what is queued before the process ends."""
    if _listener is not None:
        _listener.stop()


def _first_line_of_foreign(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """A library's own message may quote values (a task's exception repr, a URL): keep its
    first line, shortened."""
    message = str(event_dict.get("event", ""))
    event_dict["event"] = message.split("\n", 1)[0][:FOREIGN_MESSAGE_CHARS]
    return event_dict


def redact_exception(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Replace ``exc_info`` (and any ``stack_info``) by a traceback without values."""
    exc_info = event_dict.pop("exc_info", None)
    event_dict.pop("stack_info", None)
    error = _exception_of(exc_info)
    if error is not None:
        event_dict["exception"] = describe(error)
    elif "exception" in event_dict and not isinstance(event_dict["exception"], str):
        event_dict["exception"] = type(event_dict["exception"]).__name__
    return event_dict


def describe(error: BaseException) -> str:
    """Frames and type names of an exception and what caused it; never a message or a value."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(parts) < MAX_CHAIN:
        seen.add(id(current))
        parts.append(_frames(current.__traceback__) + _type_name(current))
        current = current.__cause__ or current.__context__
    return "\nwhich happened while handling:\n".join(parts)


def _frames(tb: TracebackType | None) -> str:
    frames = traceback.extract_tb(tb)
    skipped = len(frames) - MAX_FRAMES
    lines = [f"  ({skipped} outer frames left out)"] if skipped > 0 else []
    lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames[-MAX_FRAMES:]]
    return "Traceback (values left out):\n" + "".join(line + "\n" for line in lines)


def _type_name(error: BaseException) -> str:
    kind = type(error)
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"


def _exception_of(exc_info: Any) -> BaseException | None:
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3 and isinstance(exc_info[1], BaseException):
        return exc_info[1]
    return None


def _no_exception(sio: Any, exc_info: Any) -> None:
    """The console renderer's own formatter is never reached: ``redact_exception`` took the
    traceback out first. Should it be reached, it writes the type name only."""
    error = _exception_of(exc_info)
    if error is not None:
        sio.write("\n" + _type_name(error))
