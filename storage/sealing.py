"""Encryption at rest: what people wrote, their numbers and chat ids, names and notes are stored
sealed (AES-256-GCM), so a copied database file or a ``pg_dump`` holds no readable personal data.

The keys are the process's, like its logging: installed once at start-up (``use``) from
``HELPLINE_ENCRYPTION_KEYS`` and ``HELPLINE_LOOKUP_KEY``, then read by the column types below
whenever a value goes in or comes out. New values are sealed with the first key; reading tries
the key the value names first, then every other key, so a rotation can run while the helpline is
up. A number or chat id is found again by its keyed hash (HMAC-SHA256 with a key of its own), never
by its plaintext: the same number always gives the same hash, which a sealed value cannot.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

PREFIX = "s1:"  # version 1: key id (4 bytes), nonce (12), AES-GCM ciphertext and tag
NONCE_BYTES = 12
KEY_ID_BYTES = 4
HOW_TO_MAKE = "make them with `helpline keys new`"


class SealError(ValueError):
    """Keys missing, malformed or not the ones the data was sealed with: one line, naming the setting."""


def new_key() -> str:
    """A fresh 256-bit key in url-safe base64, the form the settings take."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(text: str, setting: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise SealError(f"{setting}: each key must be 32 bytes in url-safe base64 ({HOW_TO_MAKE})")
    return raw


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"helpline key id\x00" + key).digest()[:KEY_ID_BYTES]


@dataclass(frozen=True)
class Keyring:
    """The sealing keys (newest first) and the lookup key."""

    keys: tuple[bytes, ...]
    lookup: bytes
    _ciphers: dict[bytes, AESGCM] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise SealError(f"HELPLINE_ENCRYPTION_KEYS is empty ({HOW_TO_MAKE})")
        for key in self.keys:
            self._ciphers.setdefault(key_id(key), AESGCM(key))

    @classmethod
    def from_text(cls, keys: str, lookup: str) -> "Keyring":
        """From the settings' text: keys separated by commas or spaces, newest first."""
        parts = [part for part in keys.replace(",", " ").split() if part]
        if not parts:
            raise SealError(f"HELPLINE_ENCRYPTION_KEYS is empty ({HOW_TO_MAKE})")
        return cls(tuple(parse_key(part, "HELPLINE_ENCRYPTION_KEYS") for part in parts),
                   parse_key(lookup, "HELPLINE_LOOKUP_KEY"))

    @property
    def current_id(self) -> bytes:
        return key_id(self.keys[0])

    def seal(self, text: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current_id].encrypt(nonce, text.encode(), None)
        return PREFIX + base64.urlsafe_b64encode(self.current_id + nonce + sealed).decode()

    def open(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # written before encryption at rest (0014 seals these); rotation seals any left
        try:
            raw = base64.urlsafe_b64decode(stored[len(PREFIX):].encode())
        except (binascii.Error, ValueError):
            raise SealError("a sealed value in the database is damaged (not base64)") from None
        key_id, nonce, sealed = raw[:KEY_ID_BYTES], raw[KEY_ID_BYTES:KEY_ID_BYTES + NONCE_BYTES], \
            raw[KEY_ID_BYTES + NONCE_BYTES:]
        named = self._ciphers.get(key_id)
        for cipher in ([named] if named else []) + [c for c in self._ciphers.values() if c is not named]:
            try:
                return cipher.decrypt(nonce, sealed, None).decode()
            except InvalidTag:
                continue
        raise SealError("HELPLINE_ENCRYPTION_KEYS: none of the keys opens data in this database "
                        "(it was sealed with a key that is not in the list)")

    def is_current(self, stored: str | None) -> bool:
        """Whether a stored value is already sealed with the newest key (rotation skips it)."""
        if not stored or not stored.startswith(PREFIX):
            return not stored
        try:
            raw = base64.urlsafe_b64decode(stored[len(PREFIX):len(PREFIX) + 8].encode())
        except (binascii.Error, ValueError):
            return False
        return raw[:KEY_ID_BYTES] == self.current_id

    def lookup_key(self, value: str) -> str:
        return hmac.new(self.lookup, value.encode(), hashlib.sha256).hexdigest()


_keyring: Keyring | None = None


def use(keyring: Keyring | None) -> None:
    """Install the process's keys (start-up, a command, a test)."""
    global _keyring
    _keyring = keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise SealError(f"HELPLINE_ENCRYPTION_KEYS and HELPLINE_LOOKUP_KEY are not set ({HOW_TO_MAKE})")
    return _keyring


def use_fresh_keys() -> Keyring:
    """Keys that live as long as this process: benchmarks, which keep nothing."""
    fresh = Keyring.from_text(new_key(), new_key())
    use(fresh)
    return fresh


def lookup_key(value: str | None) -> str | None:
    """The keyed hash a number or chat id is looked up by."""
    return None if value is None else keyring().lookup_key(value)


class _Declared(UserDefinedType[str]):
    """A column type as declared, with no conversion of its own. On SQLite (which stores any text
    in any column) the sealed columns keep the types they were created with, since SQLite cannot
    change a column's type without rebuilding tables that others refer to; PostgreSQL's are TEXT."""

    cache_ok = True

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def get_col_spec(self, **_: Any) -> str:
        return self.spec


class _Sealed(TypeDecorator[Any]):
    impl = Text
    cache_ok = True

    def __init__(self, sqlite_type: str = "TEXT") -> None:
        super().__init__()
        self.sqlite_type = sqlite_type

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # declared, not Text: psycopg's dialect adapts Text to its VARCHAR string type
        return _Declared(self.sqlite_type if dialect.name == "sqlite" else "TEXT")


class SealedText(_Sealed):
    """Text stored sealed. The empty string stays empty: purges compare with it, and it says nothing.

    Equality with a literal does not work on a sealed column (every seal differs): look values up
    by their keyed hash column instead."""

    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return value if value is None or value == "" else keyring().seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return value if value is None or value == "" else keyring().open(value)


class SealedJSON(_Sealed):
    """A JSON value (a triage's matched phrases, a referral's details) stored sealed."""

    cache_ok = True

    def __init__(self, sqlite_type: str = "JSON") -> None:
        super().__init__(sqlite_type)

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring().seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        opened = keyring().open(value)
        return json.loads(opened) if opened else None
