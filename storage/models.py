"""The tables. Personal data (what people wrote, numbers, chat ids, names, notes, referral
contents) is in ``Sealed*`` columns, encrypted at rest by ``storage.sealing``; a number or chat id is
looked up by its ``*_key`` column, a keyed hash set whenever the value is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from storage.sealing import SealedJSON, SealedText, lookup_key
from storage.types import UTCDateTime

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Person(Base):
    """A service user. Mentors see the alias, never the channel addresses."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alias: Mapped[str] = mapped_column(String(16), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime]
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    named_mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    iom_cohort: Mapped[bool] = mapped_column(default=False)  # in the Integrated Offender Management cohort
    iom_case_ref: Mapped[str | None] = mapped_column(String(40))
    # the IOM contact (an agency of type iom) told of this person's risk; not a foreign key (it
    # was added to a table SQLite cannot rebuild in place): an unknown id means "none"
    iom_agency_id: Mapped[int | None] = mapped_column(Integer)
    # retention and subject rights (0013): a hold's reason blocks erasure and purges; when erased
    legal_hold: Mapped[str | None] = mapped_column(SealedText)
    erased_at: Mapped[datetime | None]


class Identity(Base):
    """One way to reach a person: a Telegram chat or a phone number (SMS and voice share it)."""

    __tablename__ = "identities"
    # the first constraint is vacuous since addresses are sealed (kept: SQLite cannot drop it in place)
    __table_args__ = (UniqueConstraint("kind", "address", name="uq_identity_kind_address"),
                      Index("uq_identity_kind_address_key", "kind", "address_key", unique=True))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(SealedText("VARCHAR(255)"))
    address_key: Mapped[str | None] = mapped_column(String(64))  # set with the address
    created_at: Mapped[datetime]

    @validates("address")
    def _keyed(self, _name: str, address: str) -> str:
        self.address_key = lookup_key(address)
        return address


class Contact(Base):
    """One mentoring conversation; at most one is open per person (partial unique index)."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("uq_contact_open_per_person", "person_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_contacts_status_last_activity", "status", "last_activity_at"),
        Index("ix_contacts_status_urgency", "status", "urgency"),
        Index("ix_contacts_opened", "opened_at", "id"),
        Index("ix_contacts_mentor_opened", "assigned_mentor_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    urgency: Mapped[str | None] = mapped_column(String(16))  # highest level of its messages
    assigned_mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    # the mentoring session, recorded when the mentor closes the contact
    outcome: Mapped[str | None] = mapped_column(String(24))
    pathways: Mapped[list[str] | None] = mapped_column(JSON)
    minutes: Mapped[int | None] = mapped_column(Integer)
    closed_by: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(SealedText)  # the mentor's short note
    opened_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(32))
    # the person's answer to "are you safe right now?": now | can_wait (None: not answered)
    safety_answer: Mapped[str | None] = mapped_column(String(16))
    safety_answer_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]  # its texts erased after the retention period (0013)


class Message(Base):
    """A message of a contact, either way. (channel, provider id) is the de-duplication key."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_message_id", name="uq_message_channel_provider_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))
    sender_kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(SealedText)
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    received_at: Mapped[datetime]
    level: Mapped[str | None] = mapped_column(String(16))
    categories: Mapped[list[str] | None] = mapped_column(JSON)
    triage: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON)  # matched phrases: what they wrote


class OutboxItem(Base):
    """Outbound work, written in the same transaction as what caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"), Index("ix_outbox_address_key", "address_key"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(SealedText("VARCHAR(255)"))
    address_key: Mapped[str | None] = mapped_column(String(64))  # set with the address
    body: Mapped[str] = mapped_column(SealedText)
    options: Mapped[dict[str, Any]] = mapped_column(SealedJSON, default=dict)  # buttons, subjects, attachments
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # tries that count for back-off; a provider's "retry after" wait is not a failed try
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]

    @validates("address")
    def _keyed(self, _name: str, address: str) -> str:
        self.address_key = lookup_key(address)
        return address


class OptOut(Base):
    """A person's "send me nothing" on one channel address: an SMS STOP, or a Telegram bot they
    blocked. ``wrote_at``: their latest message since (they are answered for a while after it).
    The address is personal: read and written through ``storage.opt_outs`` only."""

    __tablename__ = "opt_outs"
    __table_args__ = (UniqueConstraint("channel", "address", name="uq_opt_out_channel_address"),  # vacuous, as above
                      Index("uq_opt_out_channel_address_key", "channel", "address_key", unique=True))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(SealedText("VARCHAR(255)"))
    address_key: Mapped[str | None] = mapped_column(String(64))  # set with the address
    how: Mapped[str] = mapped_column(String(16))  # word | blocked (the provider said so)
    stopped_at: Mapped[datetime]
    wrote_at: Mapped[datetime | None]

    @validates("address")
    def _keyed(self, _name: str, address: str) -> str:
        self.address_key = lookup_key(address)
        return address


class DeliveryIncident(Base):
    """A stretch of time during which outbound messages stayed undelivered past the late mark.

    The coordinators are told once per incident, so at most one is open (partial unique index):
    a second process that sees the same late messages finds it open and says nothing."""

    __tablename__ = "delivery_incidents"
    __table_args__ = (
        Index("uq_delivery_incident_open", "state", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(String(500))  # what the coordinators were told: counts and reasons


class ContactEvent(Base):
    """Append-only review trail of a contact; database triggers refuse updates and deletes (but
    for a key rotation re-sealing ``data``, see migration 0014). ``data`` may hold a mentor's reason."""

    __tablename__ = "contact_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(48))
    actor: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(SealedJSON, default=dict)


class Mentor(Base):
    """A mentor or coordinator. Their Telegram chat and phone are never shown to people."""

    __tablename__ = "mentors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="mentor")  # mentor | coordinator
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    telegram_chat_id: Mapped[str | None] = mapped_column(SealedText("VARCHAR(32)"), unique=True)  # vacuous since sealed
    telegram_chat_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    phone: Mapped[str | None] = mapped_column(SealedText("VARCHAR(32)"))
    phone_key: Mapped[str | None] = mapped_column(String(64), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    alert_channel: Mapped[str] = mapped_column(String(16), default="telegram")
    fallback_channel: Mapped[str] = mapped_column(String(16), default="sms")
    # when the helpline may ring their phone to wake them: always | never | "22:00-08:00"
    call_window: Mapped[str] = mapped_column(String(16), default="always", server_default="always")
    created_at: Mapped[datetime]
    current_contact_id: Mapped[int | None] = mapped_column(Integer)  # set by /use n

    @validates("telegram_chat_id")
    def _chat_keyed(self, _name: str, chat_id: str | None) -> str | None:
        self.telegram_chat_key = lookup_key(chat_id)
        return chat_id

    @validates("phone")
    def _phone_keyed(self, _name: str, phone: str | None) -> str | None:
        self.phone_key = lookup_key(phone)
        return phone


class MentorInvite(Base):
    """A one-time Telegram deep-link code; only its hash is kept."""

    __tablename__ = "mentor_invites"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Shift(Base):
    """A weekly recurring shift in the helpline's local time; end before start means overnight."""

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    starts: Mapped[str] = mapped_column(String(5))  # "22:00"
    ends: Mapped[str] = mapped_column(String(5))  # "08:00"
    role: Mapped[str] = mapped_column(String(16))  # primary | backup
    created_at: Mapped[datetime]


class RotaOverride(Base):
    """A one-off change: ``cover`` takes a role for a period (replacing whoever has it),
    ``extra`` adds cover, ``off`` takes a mentor off their shifts for the period."""

    __tablename__ = "rota_overrides"
    __table_args__ = (Index("ix_rota_overrides_period", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    kind: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Alert(Base):
    """One routing of a contact and its escalation chain: ``contact`` for a new contact or a
    rise in urgency (Accept / Pass), ``reply`` for a person's message the assigned mentor has
    not answered (a reminder first, then the chain)."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_contact_state", "contact_id", "state"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    kind: Mapped[str] = mapped_column(String(16), default="contact", server_default="contact")
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", name="fk_alerts_message_id"))
    level: Mapped[str] = mapped_column(String(16))
    step: Mapped[int] = mapped_column(Integer, default=0)
    # open | accepted | answered (a mentor replied) | superseded | closed (the contact closed)
    state: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime]
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    accepted_at: Mapped[datetime | None]


class AlertDelivery(Base):
    """Who was told of an alert, by which channel, at which step; the outbox row says when."""

    __tablename__ = "alert_deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    step: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime]


class Deadline(Base):
    """When the next step of an alert's chain runs unless someone accepts first."""

    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    step: Mapped[int] = mapped_column(Integer)  # the step to run when due
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | fired | cancelled
    fired_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who did what that a coordinator should be able to account for (cap overrides, exports)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(48))
    detail: Mapped[dict[str, Any]] = mapped_column(SealedJSON, default=dict)  # may hold a reason given


class SwapOffer(Base):
    """A mentor asking for someone to take one occurrence of their shift."""

    __tablename__ = "swap_offers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    role: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | taken | withdrawn
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    created_at: Mapped[datetime]


class ContactTag(Base):
    """A risk category (from triage) or pathway (from closing) of a contact, kept as rows so that
    the contact log filters through an index rather than by reading JSON."""

    __tablename__ = "contact_tags"
    __table_args__ = (UniqueConstraint("kind", "value", "contact_id", name="uq_contact_tag"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # category | pathway
    value: Mapped[str] = mapped_column(String(48))


class User(Base):
    """A dashboard account. A mentor account is linked to its mentor and sees only their contacts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin | coordinator | mentor
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    active: Mapped[bool] = mapped_column(default=True)  # off: no log-in, every session refused
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed log-ins counted by account name (known or not, so that a delay does not tell which
    names exist) or by client address. The key is a hash: a password typed into the username
    field is not kept readable. A row is forgotten a day after its last failure."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)


class WebSession(Base):
    """A logged-in browser. The cookie holds a random token; only its hash is stored, so logging
    out (or a coordinator deactivating the user) ends the session on the server."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class TriageCorrection(Base):
    """A mentor's "more (or less) urgent than the triage said": the contact's level follows it,
    and the corrected message is kept as a labelled example to train the triage on."""

    __tablename__ = "triage_corrections"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    level_given: Mapped[str] = mapped_column(String(16))
    level_corrected: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(SealedText)  # the mentor's optional word of why
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(index=True)


class InboundReceipt(Base):
    """A mentor's message or tap that was acted on, by provider id: a redelivery acts no more."""

    __tablename__ = "inbound_receipts"
    __table_args__ = (UniqueConstraint("channel", "provider_id", name="uq_inbound_receipt"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[str] = mapped_column(String(160))
    at: Mapped[datetime] = mapped_column(index=True)


class Call(Base):
    """A person's phone call to the helpline, from ring to taken, voicemail or missed.

    The legs are the mentors dialled in order; ``taken_by`` is the one who pressed 1. The
    recording is Twilio's (its URL needs the account's credentials); its transcription becomes
    a message of the contact like a text."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    language: Mapped[str | None] = mapped_column(String(8))
    region: Mapped[str | None] = mapped_column(String(4))
    # greeting | ringing | taken | voicemail | ended
    state: Mapped[str] = mapped_column(String(16), default="greeting")
    legs: Mapped[list[int]] = mapped_column(JSON, default=list)  # mentor ids, in the order dialled
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))
    taken_at: Mapped[datetime | None]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    talk_seconds: Mapped[int | None] = mapped_column(Integer)  # the taken leg, from Twilio's duration
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    recording_seconds: Mapped[int | None] = mapped_column(Integer)
    transcription_due_at: Mapped[datetime | None] = mapped_column(index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", name="fk_calls_message_id"))


class Agency(Base):
    """An agency contact the helpline shares risk with: a MARAC coordinator, an IOM officer, a
    safeguarding lead. ``accepts`` says which kinds of share they take (a MARAC takes ``marac``);
    the address is a work address, not a person's, but it is still read only via storage."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # marac | iom | mappa | safeguarding_adults | ...
    area: Mapped[str] = mapped_column(String(60), default="")  # "" serves every area
    name: Mapped[str] = mapped_column(String(120), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | sms | telegram
    address: Mapped[str] = mapped_column(SealedText("VARCHAR(255)"))
    address_key: Mapped[str | None] = mapped_column(String(64), index=True)  # set with the address
    active: Mapped[bool] = mapped_column(default=True)
    accepts: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]

    @validates("address")
    def _keyed(self, _name: str, address: str) -> str:
        self.address_key = lookup_key(address)
        return address


OPEN_REFERRAL_STATES = ("proposed", "drafted", "approved", "sent", "delivered")


class Referral(Base):
    """One share of information with an agency about a person, from proposal to acknowledgement.

    At most one of a kind is open per contact (partial unique index), so two messages that both
    propose a MARAC referral propose one. ``details`` holds what the referral form says (names,
    what happened): personal, read and written through ``storage.referrals`` only. Only hashes of
    the acknowledgement link's token and of the reply code are kept."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("uq_referral_open_per_contact_kind", "contact_id", "kind", unique=True,
              sqlite_where=text("state IN ('proposed','drafted','approved','sent','delivered')"),
              postgresql_where=text("state IN ('proposed','drafted','approved','sent','delivered')")),
        Index("ix_referrals_state_reminder", "state", "next_reminder_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # marac | iom | emergency | safeguarding_children | ...
    reason: Mapped[str] = mapped_column(String(48))  # the rule, or "mentor": what proposed it
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    state: Mapped[str] = mapped_column(String(16), default="proposed")
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)  # MARAC criteria met
    dash: Mapped[dict[str, Any]] = mapped_column(SealedJSON, default=dict)  # checklist answers, and the two asked before
    dash_yes: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(SealedJSON, default=dict)
    basis: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON)  # the lawful basis; nothing is sent without it
    proposed_at: Mapped[datetime]
    proposed_by: Mapped[str] = mapped_column(String(80))
    drafted_by: Mapped[str | None] = mapped_column(String(80))
    drafted_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(80))
    approved_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    ended_reason: Mapped[str | None] = mapped_column(SealedText)  # why declined or withdrawn
    ack_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ack_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", name="fk_referrals_outbox_id"))
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    next_reminder_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]  # details and checklist erased after their period (0013)


class Block(Base):
    """A coordinator's block on a person (0015): their messages are stored, not routed. The row
    stays when the block is lifted, so that who blocked whom, why and until when is accounted for.
    Keyed by person, never by a number or chat id."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    reason: Mapped[str] = mapped_column(SealedText)  # a coordinator's words: may name someone
    blocked_at: Mapped[datetime]
    blocked_by: Mapped[str] = mapped_column(String(80))
    lifted_at: Mapped[datetime | None]
    lifted_by: Mapped[str | None] = mapped_column(String(80))


class HeldRelay(Base):
    """A person's message that came in a flood (over the rate limit) and was not relayed to their
    mentor on its own (0015): it goes in one batch when the window ends, or before the next
    message that is relayed, and the row is deleted then."""

    __tablename__ = "held_relays"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    held_at: Mapped[datetime]


class SealingCheck(Base):
    """One value sealed with the current key and the lookup key's hash of a fixed word: start-up
    opens it, so a wrong or missing key stops the helpline at once (``storage.keycheck``)."""

    __tablename__ = "sealing_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sealed: Mapped[str] = mapped_column(SealedText)
    lookup: Mapped[str] = mapped_column(String(64))
    serving: Mapped[str | None] = mapped_column(String(200))  # key ids of the helpline last started


class Rekeying(Base):
    """Holds a row only inside a key rotation's transaction: the review trail's triggers then let
    its ``data`` be re-sealed, and nothing else."""

    __tablename__ = "rekeying"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
