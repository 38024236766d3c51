"""E-mail referrals through a real SMTP server: every part arrives, TLS is checked against the
trusted certificate, refusals and outages are told apart, and no error names the recipient."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from bot.outbox_worker import OutboxWorker
from bot.senders.base import PermanentSendError, TransientSendError
from bot.senders.email import EmailSender
from bot.settings import ConfigError, Settings, load_settings
from storage import outbox
from storage.models import OutboxItem
from storage.types import utcnow
from tests.db_queries import rows
from tests.servers import free_port
from tests.smtp_server import SmtpServer

FROM = "Helpline <referrals@helpline.example.org>"
AGENCY = "marac.coordinator@agency.example.gov.uk"
PDF = b"%PDF-1.4\n% a referral form\n%%EOF\n"


def sender_for(server: SmtpServer, **options: Any) -> EmailSender:
    values: dict[str, Any] = dict(port=server.port, security="starttls", ca_file=server.ca_file, timeout=5.0)
    values.update(options)
    return EmailSender(server.host, FROM, **values)


def referral_options() -> dict[str, Any]:
    return {"subject": "MARAC referral\n(high risk)", "html": "<p>Referral for <b>case 12</b></p>",
            "reply_to": "coordinator@helpline.example.org",
            "attachments": [{"filename": "referral.html", "content_type": "text/html",
                             "content": "<h1>Referral form</h1>"},
                            {"filename": "risk-checklist.pdf", "content_type": "application/pdf",
                             "content": base64.b64encode(PDF).decode()}]}


async def test_a_referral_arrives_with_text_html_and_attachments_over_starttls(smtp_server):
    message_id = await sender_for(smtp_server).send(AGENCY, "Referral for case 12.", referral_options())

    [received] = smtp_server.received
    mail = received.message
    assert received.over_tls, "STARTTLS was used, trusting the CA file"
    assert received.mail_from == "referrals@helpline.example.org" and received.rcpt_tos == [AGENCY]
    assert mail["From"] == FROM and mail["To"] == AGENCY and mail["Reply-To"] == "coordinator@helpline.example.org"
    assert mail["Subject"] == "MARAC referral (high risk)", "a line break cannot go into a header"
    assert mail["Message-ID"] == message_id and message_id.endswith("@helpline.example.org>")
    assert mail["Date"] is not None
    assert mail.get_body(("plain",)).get_content().strip() == "Referral for case 12."
    assert mail.get_body(("html",)).get_content().strip() == "<p>Referral for <b>case 12</b></p>"
    html, pdf = list(mail.iter_attachments())
    assert (html.get_filename(), html.get_content_type()) == ("referral.html", "text/html")
    assert html.get_content().strip() == "<h1>Referral form</h1>"
    assert (pdf.get_filename(), pdf.get_content_type()) == ("risk-checklist.pdf", "application/pdf")
    assert pdf.get_content() == PDF


async def test_starttls_without_trusting_the_certificate_is_a_passing_failure(smtp_server):
    with pytest.raises(TransientSendError) as failed:
        await sender_for(smtp_server, ca_file=None).send(AGENCY, "Referral.", {})
    assert str(failed.value).startswith("smtp: TLS failed: ") and "self" in str(failed.value)  # self-signed
    assert smtp_server.received == []


async def test_implicit_tls_with_a_log_in():
    server = SmtpServer(tls="implicit", credentials=("helpline", "relay-password"))
    await server.start()
    try:
        await sender_for(server, security="tls", username="helpline", password="relay-password").send(
            AGENCY, "Referral.", {"subject": "IOM referral"})
        [received] = server.received
        assert received.over_tls and received.login == "helpline"

        with pytest.raises(TransientSendError) as refused:  # the settings are wrong, not the message
            await sender_for(server, security="tls", username="helpline", password="wrong").send(AGENCY, "x", {})
        assert str(refused.value).startswith("smtp 535") and "HELPLINE_SMTP_" in str(refused.value)
        assert "wrong" not in str(refused.value)
    finally:
        await server.stop()


async def test_a_refused_recipient_is_permanent_and_the_error_does_not_name_them(smtp_server):
    smtp_server.refuse_recipients()  # "550 5.1.1 <address>: Recipient address rejected"
    with pytest.raises(PermanentSendError) as refused:
        await sender_for(smtp_server).send(AGENCY, "Referral for case 12.", {"subject": "MARAC referral"})
    text = str(refused.value)
    assert text == "smtp 550 5.1.1: recipient refused"
    assert "agency" not in text and "MARAC" not in text and "case 12" not in text


async def test_a_451_is_a_passing_failure(smtp_server):
    smtp_server.defer_data()
    with pytest.raises(TransientSendError) as deferred:
        await sender_for(smtp_server).send(AGENCY, "Referral for case 12.", {"subject": "MARAC referral"})
    assert str(deferred.value) == "smtp 451 4.3.0: message deferred"

    smtp_server.refuse_recipients("451 4.7.1 <{address}>: greylisted, try again later")
    with pytest.raises(TransientSendError) as greylisted:
        await sender_for(smtp_server).send(AGENCY, "Referral.", {})
    assert str(greylisted.value) == "smtp 451 4.7.1: recipient deferred" and "agency" not in str(greylisted.value)


async def test_a_closed_port_is_a_passing_failure():
    sender = EmailSender("127.0.0.1", FROM, port=free_port(), security="none", timeout=5.0)
    with pytest.raises(TransientSendError) as unreachable:
        await sender.send(AGENCY, "Referral.", {})
    assert str(unreachable.value).startswith("smtp unreachable") and "agency" not in str(unreachable.value)


@pytest.mark.parametrize("address, options", [
    ("not an address", {}),
    (AGENCY, {"attachments": [{"filename": "form.pdf", "content_type": "application/pdf", "content": "%%%"}]}),
    (AGENCY, {"attachments": [{"filename": "form.pdf", "content": "x"}]}),
    (AGENCY, {"subject": ["not", "text"]}),
    (AGENCY, {"reply_to": "x@y\nBcc: everyone@example.org"}),
])
async def test_a_message_that_cannot_be_made_fails_at_once(smtp_server, address, options):
    with pytest.raises(PermanentSendError) as failed:
        await sender_for(smtp_server).send(address, "Referral.", options)
    assert "form.pdf" not in str(failed.value) and "agency" not in str(failed.value)
    assert smtp_server.received == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_outbox_worker_delivers_an_email_and_marks_it_sent(sessions, smtp_server):
    now = utcnow()
    async with sessions() as session, session.begin():
        await outbox.enqueue(session, dedupe_key="referral-1", channel="email", address=AGENCY,
                             body="Referral for case 12.", options=referral_options(), now=now)
        await outbox.enqueue(session, dedupe_key="referral-2", channel="email", address="nobody@agency.example",
                             body="Referral for case 13.", options={"subject": "IOM referral"}, now=now)
    smtp_server.refuse_recipients("550 5.1.1 <{address}>: no such user")
    worker = OutboxWorker(sessions, {}, clock=utcnow, send_timeout=5.0)
    worker.add_sender(sender_for(smtp_server))

    await worker.deliver_due()  # both refused: the first row's recipient is the one "no such user" hit
    statuses = {item.dedupe_key: (item.status, item.last_error) for item in await rows(sessions, OutboxItem)}
    assert statuses == {"referral-1": ("failed", "smtp 550 5.1.1: recipient refused"),
                        "referral-2": ("failed", "smtp 550 5.1.1: recipient refused")}

    smtp_server.accept()
    async with sessions() as session, session.begin():
        await outbox.enqueue(session, dedupe_key="referral-3", channel="email", address=AGENCY,
                             body="Referral for case 12.", options=referral_options(), now=utcnow())
    assert await worker.deliver_due() == 1
    [item] = [i for i in await rows(sessions, OutboxItem) if i.dedupe_key == "referral-3"]
    [received] = smtp_server.received
    assert item.status == "sent" and item.provider_message_id == received.message["Message-ID"]


def test_an_smtp_host_without_a_from_address_is_one_line_naming_it(monkeypatch):
    monkeypatch.setenv("HELPLINE_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("HELPLINE_SMTP_FROM", "")  # empty is unset, as in a compose file
    with pytest.raises(ConfigError) as refused:
        load_settings(_env_file=None)
    message = str(refused.value)
    assert "\n" not in message and message.startswith("HELPLINE_SMTP_FROM"), message


@pytest.mark.parametrize("variable, value", [("HELPLINE_SMTP_FROM", "helpline at example.org"),
                                             ("HELPLINE_SMTP_CA_FILE", "/no/such/ca.pem"),
                                             ("HELPLINE_SMTP_PORT", "0"),
                                             ("HELPLINE_SMTP_SECURITY", "ssl"),
                                             ("HELPLINE_SMTP_USERNAME", "helpline")])
def test_a_bad_smtp_setting_is_one_line_naming_it(monkeypatch, variable, value):
    monkeypatch.setenv("HELPLINE_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("HELPLINE_SMTP_FROM", "helpline@example.org")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as refused:
        load_settings(_env_file=None)
    message = str(refused.value)
    named = "HELPLINE_SMTP_PASSWORD" if variable == "HELPLINE_SMTP_USERNAME" else variable
    assert "\n" not in message and message.startswith(named), message


def test_email_settings_switch_the_channel_on_and_keep_the_password_secret(tmp_path):
    from bot.cli import _channel_lines

    off = Settings(_env_file=None, smtp_host="")
    assert not off.email_enabled and "  email     off: HELPLINE_SMTP_HOST is not set" in _channel_lines(off, False)
    on = Settings(_env_file=None, smtp_host="smtp.example.org", smtp_from="helpline@example.org",
                  smtp_username="helpline", smtp_password="relay-secret-123", smtp_port=465, smtp_security="tls")
    assert on.email_enabled and "relay-secret-123" in on.secret_values()
    assert "  email     on: smtp.example.org:465 tls" in _channel_lines(on, False)
    assert "relay-secret-123" not in repr(on)
