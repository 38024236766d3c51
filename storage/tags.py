"""Contact tags: the risk categories triage found and the pathways a mentor chose, as rows."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ContactTag

CATEGORY = "category"
PATHWAY = "pathway"


async def add_tags(session: AsyncSession, contact_id: int, kind: str, values: Iterable[str]) -> None:
    wanted = set(values)
    if not wanted:
        return
    have = set(await session.scalars(select(ContactTag.value).where(
        ContactTag.contact_id == contact_id, ContactTag.kind == kind)))
    for value in sorted(wanted - have):
        session.add(ContactTag(contact_id=contact_id, kind=kind, value=value))
    await session.flush()


async def set_tags(session: AsyncSession, contact_id: int, kind: str, values: Iterable[str]) -> None:
    """Replace a contact's tags of one kind (pathways are chosen, and can be unchosen)."""
    await session.execute(delete(ContactTag).where(ContactTag.contact_id == contact_id, ContactTag.kind == kind))
    await add_tags(session, contact_id, kind, values)


async def of_contact(session: AsyncSession, contact_id: int, kind: str) -> list[str]:
    return sorted(await session.scalars(select(ContactTag.value).where(
        ContactTag.contact_id == contact_id, ContactTag.kind == kind)))
