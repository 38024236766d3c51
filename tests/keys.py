"""The test run's encryption keys: made fresh for each run (never a key in the repository), put in
the environment so that the helplines and the ``helpline`` commands the tests start use them too."""

from __future__ import annotations

import os

from storage import sealing

ENCRYPTION_KEYS = "HELPLINE_ENCRYPTION_KEYS"
LOOKUP_KEY = "HELPLINE_LOOKUP_KEY"
TEST_KEY_SETTINGS = (ENCRYPTION_KEYS, LOOKUP_KEY)  # what a child process needs to read the test databases


def install_test_keys() -> sealing.Keyring:
    os.environ.setdefault(ENCRYPTION_KEYS, sealing.new_key())
    os.environ.setdefault(LOOKUP_KEY, sealing.new_key())
    keyring = sealing.Keyring.from_text(os.environ[ENCRYPTION_KEYS], os.environ[LOOKUP_KEY])
    sealing.use(keyring)
    return keyring


def child_env(with_keys: bool = True) -> dict[str, str]:
    """The environment of a ``helpline`` child process: none of this run's HELPLINE_ settings
    (a test gives the ones it means), but the run's keys unless ``with_keys`` is False (the demo
    makes its own; ``run`` refuses to start without)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    if with_keys:
        env.update({name: os.environ[name] for name in TEST_KEY_SETTINGS})
    return env


TEST_KEYRING = install_test_keys()
