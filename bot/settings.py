"""Settings from the environment (prefix ``HELPLINE_``) and an optional ``.env`` file.

Every setting is validated at start-up so that a typo stops the service with a one-line
message naming the setting, instead of surfacing at 3 a.m. when the first message arrives.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

if TYPE_CHECKING:
    from bot.client_address import Network
    from escalation.impact import Targets
    from escalation.wellbeing import Caps

ENV_PREFIX = "HELPLINE_"


class ConfigError(Exception):
    """A setting is missing or wrong; the message names it and fits on one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: str = "sqlite+aiosqlite:///helpline.db"
    redis_url: str | None = None
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    public_url: str | None = None
    timezone: str = "Europe/London"

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_secret: SecretStr | None = None
    telegram_bot_username: str | None = None  # for mentor invite links; asked of Telegram if unset

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_number: str | None = None
    twilio_api_url: str = "https://api.twilio.com"
    # E-mail, for referrals to agencies (MARAC, IOM, safeguarding); on when the host is set.
    # The CA file is trusted besides the system's (a relay with a self-signed certificate).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_from: str | None = None
    smtp_ca_file: Path | None = None
    # Referrals to agencies: the name they see, the information sharing agreement every share is
    # made under (no agreement, no share), how long before an unacknowledged one is chased, and
    # which agencies' area serves a person, by the country of their number (or language).
    service_name: str = "Helpline"
    sharing_agreement: str = ""
    referral_ack_hours: float = Field(default=24.0, gt=0)
    agency_areas: dict[str, str] = Field(default_factory=lambda: {
        "GB": "Merseyside", "NL": "The Hague", "IT": "Turin"})
    # Calls: the caller's language choice, key 1 first ("en,nl,it": 1 English, 2 Nederlands,
    # 3 Italiano); how long each mentor's phone rings; the voicemail's length; how long a
    # voicemail waits for its transcription before it is routed as a call nobody took.
    voice_languages: str = "en,nl,it"
    voice_ring_seconds: int = Field(default=20, ge=5, le=60)
    voicemail_seconds: int = Field(default=120, ge=10, le=120)  # Twilio transcribes two minutes at most
    transcription_wait_minutes: float = Field(default=5.0, gt=0)

    contact_idle_hours: float = Field(default=12.0, gt=0)
    # A folder of edited triage lexicons (*.lex and rules.txt) in place of the packaged ones.
    triage_data: Path | None = None
    # Free crisis lines by the person's language, given with emergency guidance.
    crisis_lines: dict[str, str] = Field(default_factory=lambda: {
        "en": "Samaritans 116 123", "nl": "113 Zelfmoordpreventie 0800-0113",
        "it": "Telefono Amico 02 2327 2327"})
    max_webhook_bytes: int = Field(default=64 * 1024, ge=1024)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    # Seconds a mentor has to accept, by urgency; low waits for the awake hours first.
    deadline_emergency: int = Field(default=120, ge=1)
    deadline_high: int = Field(default=300, ge=1)
    deadline_medium: int = Field(default=900, ge=1)
    deadline_low: int = Field(default=4 * 3600, ge=1)
    # A low contact at night: its card is quiet until the person has had this long to answer
    # "are you safe right now?"; without "it can wait" it comes again with sound, and the
    # chain climbs after HELPLINE_DEADLINE_LOW_NIGHT seconds (not the day's 4 hours).
    safety_answer_minutes: float = Field(default=10.0, gt=0)
    deadline_low_night: int = Field(default=30 * 60, ge=1)
    chain_repeat: int = Field(default=180, ge=1)  # between rounds of the chain's last, loudest step
    deadline_poll_seconds: float = Field(default=5.0, gt=0)
    awake_hours: str = "08:00-22:00"  # local; low-urgency contacts are alerted within these
    # Volunteer wellbeing caps: hours on call in any 24 h / 7 days; active contact time in 24 h.
    cap_hours_per_day: float = Field(default=12.0, gt=0)
    cap_hours_per_week: float = Field(default=48.0, gt=0)
    cap_contact_hours_per_day: float = Field(default=4.0, gt=0)

    @property
    def caps(self) -> "Caps":
        from escalation.wellbeing import Caps

        return Caps(self.cap_hours_per_day, self.cap_hours_per_week, self.cap_contact_hours_per_day)
    # The outbox retries a message until it is this old (HELPLINE_OUTBOX_MAX_ATTEMPTS is gone:
    # a count of tries said nothing about how long a provider had been down).
    outbox_give_up_hours: float = Field(default=24.0, gt=0)
    # Undelivered this long: shown on the live queue, and the coordinators are told (once).
    outbox_late_minutes: float = Field(default=5.0, gt=0)
    # A mentor's alert not delivered this long (or failed) goes out on their other channel too.
    alert_fallback_minutes: float = Field(default=2.0, gt=0)
    outbox_send_timeout_seconds: float = Field(default=15.0, gt=0)  # every provider call
    outbox_concurrency: int = Field(default=8, ge=1)  # sends in flight at once, per channel
    # Impact targets over the whole programme, pro-rated to a report's period.
    target_sessions: int = Field(default=7000, ge=0)
    target_people: int = Field(default=263, ge=0)
    programme_days: int = Field(default=1096, ge=1)
    rag_amber_from: float = Field(default=0.85, gt=0, le=1)
    # Retention (README: Data protection): months after a contact closes until its texts are
    # erased, and after a referral ended until what it said is (safeguarding records: longer).
    retention_months: int = Field(default=12, ge=1, le=1200)
    referral_retention_months: int = Field(default=72, ge=1, le=1200)
    # The short privacy notice after a new person's first reply (README: Privacy notice); PRIVACY
    # is answered with the full text whatever this says.
    privacy_notice: bool = True
    # Encryption at rest (README: Data protection): the sealing keys, newest first, separated by
    # commas (new values use the first, reading tries them all), and the key numbers and chat ids
    # are looked up by. `helpline keys new` makes both; `helpline run` refuses to start without.
    encryption_keys: SecretStr | None = None
    lookup_key: SecretStr | None = None
    # Abuse limits (README: Rate limits and the block list): a person's messages beyond this many
    # in this many seconds reach their mentor in one batched relay (all are stored; an emergency
    # or a rise in urgency goes through at once); the coordinators' daily digest of what blocked
    # people sent (counts by alias, no text), at this local time.
    rate_limit_messages: int = Field(default=10, ge=1, le=10_000)
    rate_limit_window_seconds: float = Field(default=60.0, ge=1, le=24 * 3600)
    blocked_digest_at: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    # Dashboard: the key of the encrypted session cookie (32 bytes, url-safe base64; see README).
    # Unset, a key is made at start, and everyone is logged out when the service restarts.
    session_key: SecretStr | None = None
    # Proxies (IPs or CIDR networks, comma-separated) whose X-Forwarded-For is believed when
    # counting failed log-ins per client address; unset, the peer address is the client's.
    trusted_proxies: str = ""

    @property
    def targets(self) -> "Targets":
        from escalation.impact import Targets

        return Targets(self.target_sessions, self.target_people, self.programme_days, self.rag_amber_from)

    @field_validator("encryption_keys", "lookup_key")
    @classmethod
    def _sealing_keys(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        from storage.sealing import HOW_TO_MAKE, parse_key

        if value is None:
            return None
        parts = value.get_secret_value().replace(",", " ").split()
        if not parts or (info.field_name == "lookup_key" and len(parts) != 1):
            raise ValueError(f"must be one key or more, each 32 bytes in url-safe base64 ({HOW_TO_MAKE})")
        for part in parts:
            try:
                parse_key(part, "")
            except ValueError:
                raise ValueError(f"each key must be 32 bytes in url-safe base64 ({HOW_TO_MAKE})") from None
        return value

    @field_validator("session_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        import base64
        import binascii

        try:
            if len(base64.urlsafe_b64decode(value.get_secret_value().encode())) == 32:
                return value
        except (binascii.Error, ValueError):
            pass
        raise ValueError("must be 32 bytes in url-safe base64: "
                         "python -c 'import cryptography.fernet as f; print(f.Fernet.generate_key().decode())'")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["console", "json"] = "console"

    @field_validator("telegram_token", "twilio_account_sid", "twilio_auth_token",
                     "twilio_number", "redis_url", "public_url", "telegram_webhook_secret",
                     "triage_data", "session_key", "smtp_host", "smtp_username", "smtp_password",
                     "smtp_from", "smtp_ca_file", "encryption_keys", "lookup_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An empty variable in a compose file or .env means "not set", not "empty string"."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("public_url", "telegram_api_url", "twilio_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value and not value.endswith("/bot") else value

    @field_validator("triage_data")
    @classmethod
    def _triage_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not (value / "rules.txt").is_file():
            raise ValueError(f"{value} is not a folder with rules.txt and *.lex files")
        return value

    @field_validator("smtp_from")
    @classmethod
    def _email_address(cls, value: str | None) -> str | None:
        """A bare address or "Name <address>"; its domain also names the Message-IDs."""
        from email.utils import parseaddr

        if value is not None and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", parseaddr(value)[1]):
            raise ValueError("must be an e-mail address, like helpline@example.org or Helpline <helpline@example.org>")
        return value

    @field_validator("smtp_ca_file")
    @classmethod
    def _ca_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"{value} is not a file (PEM certificates to trust)")
        return value

    @field_validator("awake_hours")
    @classmethod
    def _hours_range(cls, value: str) -> str:
        from escalation.rota import parse_time

        start, sep, end = value.partition("-")
        if not sep:
            raise ValueError("must look like 08:00-22:00")
        if parse_time(start) >= parse_time(end):
            raise ValueError("must start before it ends, like 08:00-22:00")
        return value

    @field_validator("voice_languages")
    @classmethod
    def _voice_languages(cls, value: str) -> str:
        from escalation.i18n import available_languages

        chosen = [v.strip() for v in value.split(",") if v.strip()]
        unknown = [v for v in chosen if v not in available_languages()]
        if not chosen or unknown or len(chosen) > 9:
            raise ValueError(f"must be up to 9 of {','.join(available_languages())}, comma-separated, key 1 first")
        return ",".join(chosen)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name like Europe/London)")
        return value

    @field_validator("twilio_number")
    @classmethod
    def _e164_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        import phonenumbers

        try:
            parsed = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            raise ValueError("must be a phone number in E.164 form, like +447700900123")
        if not phonenumbers.is_possible_number(parsed):
            raise ValueError("must be a phone number in E.164 form, like +447700900123")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    @model_validator(mode="after")
    def _channels_complete(self) -> "Settings":
        twilio = [self.twilio_account_sid, self.twilio_auth_token, self.twilio_number]
        if any(twilio) and not all(twilio):
            missing = [n for n, v in zip(("ACCOUNT_SID", "AUTH_TOKEN", "NUMBER"), twilio) if not v]
            raise ValueError(f"HELPLINE_TWILIO_{missing[0]} is needed with the other Twilio settings")
        if all(twilio) and not self.public_url:
            raise ValueError("HELPLINE_PUBLIC_URL is needed to check Twilio signatures")
        if self.smtp_host and not self.smtp_from:
            raise ValueError("HELPLINE_SMTP_FROM is needed with HELPLINE_SMTP_HOST (the address e-mail is sent from)")
        if bool(self.smtp_username) != bool(self.smtp_password):
            missing = "PASSWORD" if self.smtp_username else "USERNAME"
            raise ValueError(f"HELPLINE_SMTP_{missing} is needed with the other SMTP log-in setting")
        if self.telegram_token and self.telegram_mode == "webhook":
            if not self.telegram_webhook_secret:
                raise ValueError("HELPLINE_TELEGRAM_WEBHOOK_SECRET is needed in webhook mode")
            if not self.public_url:
                raise ValueError("HELPLINE_PUBLIC_URL is needed in Telegram webhook mode")
        return self

    def secret_values(self) -> list[str]:
        """Every secret this process holds, for the logs to blank wherever one would appear."""
        from sqlalchemy.engine import make_url

        found = [s.get_secret_value() for s in (self.telegram_token, self.telegram_webhook_secret,
                                                 self.twilio_auth_token, self.session_key, self.smtp_password,
                                                 self.lookup_key)
                 if s is not None]
        found += self.encryption_keys.get_secret_value().replace(",", " ").split() if self.encryption_keys else []
        for url in (self.database_url, self.redis_url):
            try:
                password = make_url(url).password if url else None
            except Exception:  # an odd URL has no password to hide
                password = None
            found += [str(password)] if password else []
        return found

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_number)

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        from bot.client_address import parse_networks

        parse_networks(value)
        return value

    @property
    def trusted_proxy_networks(self) -> tuple["Network", ...]:
        from bot.client_address import parse_networks

        return parse_networks(self.trusted_proxies)


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one line naming the first bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None
    except SettingsError as exc:  # a value that should be JSON and is not
        field = re.search(r'field "(\w+)"', str(exc))
        name = f"{ENV_PREFIX}{field.group(1).upper()}" if field else "settings"
        raise ConfigError(f"{name}: must be JSON, like {{\"en\": \"Samaritans 116 123\"}}") from None


def unknown_variables(environ: Mapping[str, str], env_file: Path | None = Path(".env")) -> list[str]:
    """One warning per HELPLINE_ variable that is no setting (a typo silently ignored would
    leave a default in place, such as a deadline, without anyone knowing)."""
    names = set(environ)
    if env_file is not None and env_file.is_file():
        from dotenv import dotenv_values

        names |= set(dotenv_values(env_file))
    known = {f"{ENV_PREFIX}{field.upper()}" for field in Settings.model_fields}
    warnings = []
    for name in sorted(n for n in names if n.upper().startswith(ENV_PREFIX) and n.upper() not in known):
        close = difflib.get_close_matches(name.upper(), known, n=1)
        warnings.append(f"{name} is not a setting" + (f" (did you mean {close[0]}?)" if close else ""))
    return warnings


def describe_validation_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    location = [str(part) for part in error.get("loc", ()) if part != "__root__"]
    if not location:
        return message if message.startswith(ENV_PREFIX) else f"settings: {message}"
    return f"{ENV_PREFIX}{location[0].upper()}: {message}"
