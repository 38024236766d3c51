"""Sends outbox messages as e-mail over SMTP (aiosmtplib): referrals to agencies (MARAC, IOM,
safeguarding teams), which take them by e-mail.

An outbox row on this channel has the recipient's address, the plain-text body and, all
optional, these ``options`` (JSON, as the outbox stores them):

- ``subject``: text; line breaks become spaces (a header cannot carry them);
- ``html``: an HTML alternative to the plain-text body;
- ``attachments``: a list of ``{"filename", "content_type", "content"}``; a ``text/*`` content is
  the text itself, any other (``application/pdf``) is base64;
- ``reply_to``: where the agency's answer should go (the coordinator's address, say).

Options that cannot make an e-mail fail the row at once: sending it again cannot help.

Error texts are logged, kept on the row and shown to coordinators, so they never carry the
server's own words, which echo the recipient ("550 <x@y>: rejected") and sometimes the content:
only the reply code and enhanced status code are kept, which is what a relay's admin asks for.
A 5xx about this message (its sender, recipient or content) is permanent; a 5xx at greeting or
log-in is this service's configuration, not the message's fault, so it is retried (and shows as
late on the dashboard) rather than failing every referral until someone notices.
"""

from __future__ import annotations

import base64
import binascii
import re
import ssl
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import aiosmtplib

from bot.senders.base import PermanentSendError, TransientSendError, redacted

if TYPE_CHECKING:
    from bot.settings import Settings

EMAIL = "email"
Security = Literal["starttls", "tls", "none"]

_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+")
_ANY_ADDRESS = re.compile(r"\S+@\S+")
_ENHANCED = re.compile(r"\s*([245]\.\d{1,3}\.\d{1,3})\b")
_CONTENT_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+")
# reply codes that mean "log in (or start TLS) first" or "log-in refused": the settings, not the message
_AUTH_CODES = {530, 534, 535, 538}
# a 5xx at these steps is about this message: its sender, its recipient, its content or size
_MESSAGE_STAGES: dict[type[aiosmtplib.SMTPResponseException], str] = {
    aiosmtplib.SMTPSenderRefused: "sender", aiosmtplib.SMTPRecipientRefused: "recipient",
    aiosmtplib.SMTPDataError: "message"}


def mailbox(value: str) -> str | None:
    """The bare address of ``a@b`` or ``Name <a@b>``; None if it is no single address."""
    if "\r" in value or "\n" in value:
        return None
    address = parseaddr(value)[1]
    return address if _ADDRESS.fullmatch(address) else None


def build_message(sender: str, address: str, body: str, options: dict[str, Any]) -> EmailMessage:
    """The e-mail of one outbox row; PermanentSendError for options no retry can mend."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = address
    subject = _text_option(options, "subject")
    if subject is not None:
        message["Subject"] = " ".join(subject.split())
    reply_to = _text_option(options, "reply_to")
    if reply_to is not None:
        if mailbox(reply_to) is None:
            raise PermanentSendError("email: option reply_to is not an e-mail address")
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    # the sender's own domain: a Message-ID naming this machine's host name would leak it
    message["Message-ID"] = make_msgid(domain=str(mailbox(sender)).rsplit("@", 1)[1])
    message.set_content(body)
    html = _text_option(options, "html")
    if html is not None:
        message.add_alternative(html, subtype="html")
    attachments = options.get("attachments") or []
    if not isinstance(attachments, list):
        raise PermanentSendError("email: option attachments must be a list")
    for number, attachment in enumerate(attachments, 1):
        _attach(message, number, attachment)
    return message


def _text_option(options: dict[str, Any], name: str) -> str | None:
    value = options.get(name)
    if value is not None and not isinstance(value, str):
        raise PermanentSendError(f"email: option {name} must be text")
    return value


def _attach(message: EmailMessage, number: int, attachment: Any) -> None:
    """Attachment ``number`` (from 1: the error names it by place, never by its file name,
    which may name the person)."""
    if not isinstance(attachment, dict) or not all(
            isinstance(attachment.get(key), str) for key in ("filename", "content_type", "content")):
        raise PermanentSendError(f"email: attachment {number} needs filename, content_type and content as text")
    content_type = attachment["content_type"].strip().lower()
    if not _CONTENT_TYPE.fullmatch(content_type):
        raise PermanentSendError(f"email: attachment {number} has no content type like application/pdf")
    maintype, subtype = content_type.split("/", 1)
    filename = " ".join(attachment["filename"].split())
    if maintype == "text":
        message.add_attachment(attachment["content"], subtype=subtype, filename=filename)
        return
    try:
        content = base64.b64decode(attachment["content"], validate=True)
    except (binascii.Error, ValueError):
        raise PermanentSendError(f"email: attachment {number} ({content_type}) is not base64") from None
    message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)


def send_error(error: Exception) -> TransientSendError | PermanentSendError:
    """What an SMTP failure means for the row, in words safe to store (see the module's note)."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):  # every recipient refused (we send to one)
        refused = error.recipients[0]
        if all(r.code >= 500 for r in error.recipients) and refused.code not in _AUTH_CODES:
            return PermanentSendError(f"smtp {_reply(refused)}: recipient refused")
        error = refused
    if isinstance(error, aiosmtplib.SMTPAuthenticationError) or (
            isinstance(error, aiosmtplib.SMTPResponseException) and error.code in _AUTH_CODES):
        what = "log-in refused" if error.code == 535 else "log-in or TLS wanted first"
        return TransientSendError(f"smtp {_reply(error)}: {what} (check the HELPLINE_SMTP_ settings)")
    stage = next((name for kind, name in _MESSAGE_STAGES.items() if isinstance(error, kind)), None)
    if stage is not None and isinstance(error, aiosmtplib.SMTPResponseException):
        if 500 <= error.code < 600:
            return PermanentSendError(f"smtp {_reply(error)}: {stage} refused")
        return TransientSendError(f"smtp {_reply(error)}: {stage} deferred")
    if isinstance(error, aiosmtplib.SMTPResponseException):  # greeting, EHLO, STARTTLS: not this message
        return TransientSendError(f"smtp {_reply(error)}: the server refused the session")
    if isinstance(error, TimeoutError):  # aiosmtplib's timeouts are TimeoutErrors too
        return TransientSendError("smtp: no answer in time")
    tls = _tls_failure(error)
    if tls is not None:
        return TransientSendError(f"smtp: TLS failed: {tls}")
    if isinstance(error, (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected, OSError)):
        cause = error.__cause__ if isinstance(error, aiosmtplib.SMTPConnectError) and error.__cause__ else error
        return TransientSendError(f"smtp unreachable: {type(cause).__name__}")
    if isinstance(error, aiosmtplib.SMTPException):  # the library's own words: "no STARTTLS offered"
        return TransientSendError(_ANY_ADDRESS.sub("…", f"smtp: {error.message}"))
    return TransientSendError(f"smtp: {type(error).__name__}")


def _reply(error: aiosmtplib.SMTPResponseException) -> str:
    """The reply code and, when the server gave one, its enhanced status code: "550 5.1.1"."""
    enhanced = _ENHANCED.match(error.message or "")
    return f"{error.code} {enhanced.group(1)}" if enhanced else str(error.code)


def _tls_failure(error: BaseException | None) -> str | None:
    """The certificate's or handshake's complaint, wherever in the chain it was raised."""
    for _ in range(5):
        if error is None:
            return None
        if isinstance(error, ssl.SSLCertVerificationError):
            return str(error.verify_message or "certificate verify failed")
        if isinstance(error, ssl.SSLError):
            return str(error.reason or type(error).__name__)
        error = error.__cause__ or error.__context__
    return None


class EmailSender:
    channel = EMAIL

    def __init__(self, host: str, from_address: str, *, port: int = 587, security: Security = "starttls",
                 username: str | None = None, password: str | None = None, ca_file: Path | None = None,
                 timeout: float = 15.0) -> None:
        if mailbox(from_address) is None:
            raise ValueError("from_address must be an e-mail address")
        self._host, self._port, self._from, self._security = host, port, from_address, security
        self._username, self._password, self._timeout = username, password, timeout
        # built once: reading the system's and the CA file's certificates blocks
        self._tls: ssl.SSLContext | None = None
        if security != "none":
            self._tls = ssl.create_default_context()
            if ca_file is not None:
                self._tls.load_verify_locations(cafile=str(ca_file))

    @classmethod
    def from_settings(cls, settings: "Settings") -> "EmailSender":
        if not settings.smtp_host or not settings.smtp_from:
            raise ValueError("HELPLINE_SMTP_HOST and HELPLINE_SMTP_FROM are needed for e-mail")
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(settings.smtp_host, settings.smtp_from, port=settings.smtp_port, security=settings.smtp_security,
                   username=settings.smtp_username, password=password, ca_file=settings.smtp_ca_file,
                   timeout=settings.outbox_send_timeout_seconds)

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        recipient = mailbox(address)
        if recipient is None:
            raise PermanentSendError("email: the recipient is not an e-mail address")
        try:
            message = build_message(self._from, address, body, options)
        except (ValueError, TypeError) as error:  # e.g. text the e-mail library cannot encode
            raise PermanentSendError(f"email: the message cannot be built: {type(error).__name__}") from None
        try:
            await aiosmtplib.send(
                message, sender=mailbox(self._from), recipients=[recipient], hostname=self._host, port=self._port,
                username=self._username, password=self._password, use_tls=self._security == "tls",
                start_tls=self._security == "starttls", tls_context=self._tls, timeout=self._timeout)
        except (aiosmtplib.SMTPException, OSError) as error:
            failure = send_error(error)
            raise type(failure)(redacted(str(failure))) from None
        return str(message["Message-ID"])
