"""The process's encryption keys: from the settings, or for the demo from a key file it makes.

The keys never go in the database they protect. The demo's file sits beside its database file
(``helpline-demo.keys``, mode 0600) so that a second start reads what the first one sealed.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from bot.settings import Settings
from storage import sealing

NO_KEYS = ("helpline: HELPLINE_ENCRYPTION_KEYS and HELPLINE_LOOKUP_KEY are not set: the database would hold "
           "what people wrote in plaintext. Make them with `helpline keys new` and set both (keep a copy "
           "somewhere safe: without them nothing stored can be read)")


def has_keys(settings: Settings) -> bool:
    return settings.encryption_keys is not None and settings.lookup_key is not None


def install(settings: Settings) -> bool:
    """Install the settings' keys for this process; False if the settings have none."""
    if not has_keys(settings):
        return False
    assert settings.encryption_keys is not None and settings.lookup_key is not None
    sealing.use(sealing.Keyring.from_text(settings.encryption_keys.get_secret_value(),
                                          settings.lookup_key.get_secret_value()))
    return True


def demo_key_file(database_url: str) -> Path:
    """Beside the demo's SQLite file; in the working folder for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().with_suffix(".keys")
    return Path("helpline-demo.keys")


def demo_keys(settings: Settings) -> Settings:
    """The settings with the demo's own keys, made and kept on first run (unless keys were given)."""
    if has_keys(settings):
        return settings
    path = demo_key_file(settings.database_url)
    if not path.exists():
        _write_private(path, f"{sealing.new_key()}\n{sealing.new_key()}\n")
    lines = path.read_text().split()
    if len(lines) != 2:
        raise sealing.SealError(f"{path}: the demo's key file is damaged (two keys expected)")
    return settings.model_copy(update={"encryption_keys": SecretStr(lines[0]), "lookup_key": SecretStr(lines[1])})


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
