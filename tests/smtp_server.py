"""A real SMTP server for tests (aiosmtpd), on a free loopback port in the test's own event loop.

It records every message it accepts, parsed as ``email.message.EmailMessage`` with its envelope,
and can be told to refuse recipients (a 550, say) or to answer the message's data with a 451.
It offers STARTTLS (or speaks TLS from the first byte) with a certificate made at start for
``localhost`` and ``127.0.0.1``, written to ``ca_file`` for the client to trust, as a relay
with a self-signed certificate would be trusted through ``HELPLINE_SMTP_CA_FILE``.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import tempfile
import warnings
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    over_tls: bool
    login: str | None  # who authenticated, if anyone did


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (its own CA, so that it can be
    trusted as given), and its key; as files, which is what ``ssl`` loads."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=False,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class SmtpServer:
    """``tls``: "starttls" offers STARTTLS (and requires it when ``credentials`` are set, as
    aiosmtpd will not take a password in clear), "implicit" is TLS from the start (port 465's
    way), None is plain text. ``credentials`` (login, password) make AUTH required."""

    def __init__(self, tls: Literal["starttls", "implicit"] | None = "starttls",
                 credentials: tuple[str, str] | None = None) -> None:
        self.tls = tls
        self.credentials = credentials
        self.received: list[Received] = []
        # replies in place of acceptance; "{address}" is the refused recipient, as servers echo it
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None
        self.host = "127.0.0.1"
        self.port = 0
        self._folder = tempfile.TemporaryDirectory(prefix="smtp-test-")
        self.ca_file, self._key_file = _certificate(Path(self._folder.name))
        self._server: asyncio.Server | None = None

    def refuse_recipients(self, reply: str = "550 5.1.1 <{address}>: Recipient address rejected") -> None:
        self.rcpt_reply = reply

    def defer_data(self, reply: str = "451 4.3.0 Temporary local problem, try again later") -> None:
        self.data_reply = reply

    def accept(self) -> None:
        self.rcpt_reply = self.data_reply = None

    async def start(self) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.ca_file, self._key_file)
        options: dict[str, Any] = {"hostname": "localhost", "timeout": 30}
        if self.tls == "starttls":
            options.update(tls_context=context, require_starttls=self.credentials is not None)
        if self.credentials is not None:
            # aiosmtpd only counts STARTTLS as TLS: on implicit TLS its check would refuse AUTH
            options.update(auth_required=True, authenticator=self._authenticate,
                           auth_require_tls=self.tls != "implicit")

        def protocol() -> SMTP:
            with warnings.catch_warnings():  # "AUTH without requiring TLS": on implicit TLS it is TLS
                warnings.simplefilter("ignore", UserWarning)
                return SMTP(_Handler(self), **options)

        self._server = await asyncio.get_running_loop().create_server(
            protocol, self.host, 0, ssl=context if self.tls == "implicit" else None)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self._folder.cleanup()

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                      auth_data: Any) -> AuthResult:
        given = (auth_data.login.decode(), auth_data.password.decode()) if isinstance(auth_data, LoginPassword) else None
        if given != self.credentials:
            return AuthResult(success=False, handled=False)  # aiosmtpd then answers 535
        return AuthResult(success=True, auth_data=given[0])


class _Handler:
    def __init__(self, owner: SmtpServer) -> None:
        self._owner = owner

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if self._owner.rcpt_reply:
            return self._owner.rcpt_reply.format(address=address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self._owner.data_reply:
            return self._owner.data_reply
        content = envelope.original_content or b""
        message = BytesParser(policy=default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        login = session.auth_data if session.authenticated else None
        over_tls = server.transport is not None and server.transport.get_extra_info("sslcontext") is not None
        self._owner.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message,
                                             over_tls, login))
        return "250 Message accepted for delivery"
