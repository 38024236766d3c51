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


TEST_KEYRING = install_test_keys()
