"""The start-up check that the keys given are the ones this database was sealed with.

Without it a wrong ``HELPLINE_ENCRYPTION_KEYS`` would start a helpline that fails at the first
message it reads, and a changed ``HELPLINE_LOOKUP_KEY`` one that no longer recognises anyone who
wrote before (each would become a new person). Both stop start-up here with one line instead.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import sealing
from storage.models import SealingCheck

WORD = "helpline"


def verify_keys(connection: Connection) -> None:
    keyring = sealing.keyring()
    check = connection.execute(select(SealingCheck.sealed, SealingCheck.lookup).where(SealingCheck.id == 1)).first()
    if check is None:
        connection.execute(insert(SealingCheck).values(id=1, sealed=WORD, lookup=keyring.lookup_key(WORD)))
        return
    if check.sealed != WORD:
        raise sealing.SealError("HELPLINE_ENCRYPTION_KEYS: the check value opened to something else")
    if check.lookup != keyring.lookup_key(WORD):
        raise sealing.SealError("HELPLINE_LOOKUP_KEY is not the key this database's lookups were made with "
                                "(put the old one back; numbers would no longer be recognised)")


async def verify(connection: AsyncConnection) -> None:
    await connection.run_sync(verify_keys)


def key_ids(keyring: sealing.Keyring) -> list[str]:
    return [sealing.key_id(key).hex() for key in keyring.keys]


async def record_serving(connection: AsyncConnection) -> None:
    """Say which keys the helpline now serving this database holds: a rotation to a key it does
    not hold would leave it unable to read what people wrote, so ``helpline keys rotate`` asks."""
    await connection.execute(update(SealingCheck).where(SealingCheck.id == 1)
                             .values(serving=",".join(key_ids(sealing.keyring()))))


async def serving_key_ids(connection: AsyncConnection) -> set[str] | None:
    """The key ids of the helpline last started on this database; None if none was."""
    serving = await connection.scalar(select(SealingCheck.serving).where(SealingCheck.id == 1))
    return set(serving.split(",")) if serving else None
