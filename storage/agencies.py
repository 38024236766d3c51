"""The directory of agency contacts. Their addresses are read only here, like mentors' and people's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Agency
from storage.sealing import lookup_key

AGENCY_KINDS = ("marac", "iom", "mappa", "safeguarding_adults", "safeguarding_children", "emergency")
AGENCY_CHANNELS = ("email", "sms", "telegram")


@dataclass(frozen=True)
class AgencyView:
    """What the domain and the pages need of an agency; ``address`` only where it is shown to
    coordinators (the directory) or used to send."""

    id: int
    kind: str
    area: str
    name: str
    channel: str
    address: str
    active: bool
    accepts: tuple[str, ...]


def _view(agency: Agency) -> AgencyView:
    return AgencyView(agency.id, agency.kind, agency.area or "", agency.name, agency.channel, agency.address,
                      agency.active, tuple(agency.accepts or ()))


async def add_agency(session: AsyncSession, *, kind: str, area: str, name: str, channel: str, address: str,
                     accepts: list[str], now: datetime) -> AgencyView:
    if kind not in AGENCY_KINDS:
        raise ValueError(f"agency type must be one of {', '.join(AGENCY_KINDS)}")
    if channel not in AGENCY_CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(AGENCY_CHANNELS)}")
    if not name.strip() or not address.strip():
        raise ValueError("an agency needs a name and an address")
    if await session.scalar(select(Agency.id).where(Agency.name == name.strip())):
        raise ValueError(f"there is already an agency called {name.strip()!r}")
    agency = Agency(kind=kind, area=area.strip(), name=name.strip(), channel=channel, address=address.strip(),
                    active=True, accepts=list(dict.fromkeys(accepts or [kind])), created_at=now)
    session.add(agency)
    await session.flush()
    return _view(agency)


async def all_agencies(session: AsyncSession, active_only: bool = False) -> list[AgencyView]:
    query = select(Agency).order_by(Agency.kind, Agency.area, Agency.name)
    if active_only:
        query = query.where(Agency.active.is_(True))
    return [_view(a) for a in await session.scalars(query)]


async def agency(session: AsyncSession, agency_id: int) -> AgencyView | None:
    found = await session.get(Agency, agency_id)
    return None if found is None else _view(found)


async def by_name(session: AsyncSession, name: str) -> AgencyView:
    found = await session.scalar(select(Agency).where(Agency.name == name))
    if found is None:
        raise LookupError(f"no agency called {name!r} (see: helpline agencies list)")
    return _view(found)


async def set_active(session: AsyncSession, agency_id: int, active: bool) -> AgencyView:
    found = await session.get(Agency, agency_id)
    if found is None:
        raise LookupError(f"no agency {agency_id}")
    found.active = active
    await session.flush()
    return _view(found)


async def accepting(session: AsyncSession, share: str, area: str | None) -> list[AgencyView]:
    """Active agencies that take this kind of share: those of the person's area first, then
    those serving every area. Another area's agency is never chosen for them."""
    found = [a for a in await all_agencies(session, active_only=True) if share in a.accepts]
    local = [a for a in found if area and a.area.casefold() == area.casefold()]
    return local + [a for a in found if not a.area]


async def by_address(session: AsyncSession, channel: str, address: str) -> list[AgencyView]:
    """The active agencies writing from this address (an SMS number or Telegram chat)."""
    rows = await session.scalars(select(Agency).where(Agency.channel == channel, Agency.address_key == lookup_key(address),
                                                      Agency.active.is_(True)))
    return [_view(a) for a in rows]
