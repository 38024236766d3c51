"""The contact log (filters, keyset paging, CSV export) and one contact's page."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.web.setup import current_user
from escalation.closing import OUTCOMES, PATHWAYS
from escalation.referrals.sharing import share_label
from escalation.referrals.workflow import reference
from escalation.triage.model import CATEGORIES, LEVELS, Level
from handlers.dashboard.common import (FIRST_YEAR, LAST_YEAR, back, coordinator, day_of, form, record, services,
                                       transaction)
from handlers.phone import normalise_phone
from storage.types import row_id
from storage import agencies, contact_log, people
from storage import referrals as referral_store
from storage.contact_view import contact_detail, person_of
from storage.contact_log import LogFilter
from storage.mentors import all_mentors

PAGE_SIZE = 50
CHANNELS = ("telegram", "sms", "voice")


def _day(text: str | None) -> date | None:
    return day_of(text, "from and to")


def _choice(value: str | None, allowed: tuple[str, ...] | list[str]) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise web.HTTPBadRequest(text=f"unknown filter value {value!r}")
    return value


def log_filter(request: web.Request) -> LogFilter:
    """The filters of the query string; a mentor's own view is forced to their contacts."""
    q, zone, user = request.query, services(request).settings.zone, current_user(request)
    first, last = _day(q.get("from")), _day(q.get("to"))
    mentor = q.get("mentor")
    iom = {"yes": True, "no": False}.get(q.get("iom", ""))
    return LogFilter(
        opened_from=datetime.combine(first, time(0), zone) if first else None,
        opened_to=datetime.combine(last + timedelta(days=1), time(0), zone) if last else None,
        level=_choice(q.get("level"), LEVELS), category=_choice(q.get("category"), CATEGORIES),
        mentor_id=row_id(mentor),
        channel=_choice(q.get("channel"), CHANNELS), outcome=_choice(q.get("outcome"), list(OUTCOMES.values())),
        pathway=_choice(q.get("pathway"), list(PATHWAYS.values())), iom=iom,
        handled_by=None if user.sees_everything else (user.mentor_id or -1),
    )


def _cursor(text: str | None) -> contact_log.Cursor | None:
    if not text:
        return None
    at, _, ident = text.rpartition("_")
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or row_id(ident) is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise web.HTTPBadRequest(text="bad page cursor")
    return moment, int(ident)


@aiohttp_jinja2.template("contacts.html")
async def contact_log_page(request: web.Request) -> dict[str, Any]:
    f = log_filter(request)
    async with services(request).sessions() as session:
        rows, following = await contact_log.page(session, f, _cursor(request.query.get("before")), PAGE_SIZE)
        mentors = await all_mentors(session)
    query = {k: v for k, v in request.query.items() if k != "before" and v}
    return {"rows": rows, "next_cursor": f"{following[0].isoformat()}_{following[1]}" if following else None,
            "query": query, "levels": LEVELS, "categories": CATEGORIES, "channels": CHANNELS,
            "outcomes": list(OUTCOMES.values()), "pathways": list(PATHWAYS.values()), "mentors": mentors,
            "first_page": "before" not in request.query}


CSV_COLUMNS = ("contact", "person", "opened", "channel", "urgency", "status", "mentor", "outcome",
               "pathways", "minutes", "iom_cohort", "iom_case_ref")


async def contact_log_csv(request: web.Request) -> web.StreamResponse:
    """The filtered rows, streamed; the export itself is an audit entry."""
    f = log_filter(request)
    response = web.StreamResponse(headers={"Content-Type": "text/csv; charset=utf-8",
                                           "Content-Disposition": 'attachment; filename="contacts.csv"'})
    await response.prepare(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    count = 0
    zone = services(request).settings.zone
    async with transaction(request) as session:
        async for row in contact_log.all_rows(session, f):
            writer.writerow([row.id, row.alias, row.opened_at.astimezone(zone).isoformat(timespec="minutes"),
                             row.channel, row.urgency or "", row.status, row.mentor or "", row.outcome or "",
                             ";".join(row.pathways), row.minutes or "", "yes" if row.iom else "no",
                             _cell(row.iom_case_ref or "")])
            count += 1
            if buffer.tell() > 64 * 1024:
                await response.write(buffer.getvalue().encode())
                buffer.seek(0), buffer.truncate()
        await record(session, request, "contacts_exported", rows=count,
                     filters={k: v for k, v in request.query.items() if v})
    await response.write(buffer.getvalue().encode())
    await response.write_eof()
    return response


def _cell(text: str) -> str:
    """A spreadsheet must not run a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


async def _visible(session: AsyncSession, request: web.Request, contact_id: int) -> None:
    user = current_user(request)
    if not user.sees_everything and (
            user.mentor_id is None or not await contact_log.may_see(session, contact_id, user.mentor_id)):
        raise web.HTTPForbidden(text="This contact was not handled by you.")


def _contact_id(request: web.Request) -> int:
    raw = request.match_info["contact_id"]
    found = row_id(raw)
    if found is None:
        raise web.HTTPNotFound()
    return found


@aiohttp_jinja2.template("contact.html")
async def contact_page(request: web.Request) -> dict[str, Any]:
    contact_id = _contact_id(request)
    async with transaction(request) as session:
        await _visible(session, request, contact_id)
        page = await _contact_context(session, request, contact_id)
        await record(session, request, "contact_viewed", contact_id=contact_id)
    return page


async def _contact_context(session: AsyncSession, request: web.Request, contact_id: int) -> dict[str, Any]:
    """What the contact page shows; the person's channels masked (see ``reveal_number``)."""
    from handlers.dashboard.referrals import PROPOSABLE, STATE_WORDS  # here: that module imports this one

    detail = await contact_detail(session, contact_id)
    if detail is None:
        raise web.HTTPNotFound(text="no such contact")
    found = await referral_store.of_contact(session, contact_id)
    return {"d": detail, "notice": request.query.get("notice"), "error": request.query.get("error"),
            "referrals": [(r.id, reference(r.id), share_label(r.kind), STATE_WORDS.get(r.state, r.state), r.proposed_at)
                          for r in found],
            "proposable": [(kind, share_label(kind)) for kind in PROPOSABLE],
            "iom_agencies": await _iom_agencies(session), "reveal_reasons": REVEAL_REASONS, "revealed": None}


LOOKS_LIKE_A_NUMBER = re.compile(r"\+?\d[\d\s().-]{5,}\d")
# Why a coordinator may see a person's full number (the audit keeps the reason, never the number)
REVEAL_REASONS = {
    "welfare_check": "A welfare check by the police: a person at risk stopped answering",
    "asked_to_be_called": "The person asked to be called",
    "safeguarding_referral": "A safeguarding referral needs it",
    "other": "Other (say why)",
}


async def reveal_number(request: web.Request) -> web.Response:
    """A coordinator sees the person's full number(s), with a reason, audited. The numbers are in
    this response only (not stored in the session, never in a URL or a redirect): reloading the
    contact page shows them masked again."""
    coordinator(request)
    contact_id = _contact_id(request)
    fields = await form(request)
    reason, why = fields.get("reason", ""), " ".join(fields.get("detail", "").split())[:500]
    why = LOOKS_LIKE_A_NUMBER.sub("[number]", why)  # the audit never holds a number, even typed in
    if reason not in REVEAL_REASONS or (reason == "other" and not why):
        raise back(f"/dash/contacts/{contact_id}", error="Say why you need the number: choose a reason "
                                                        "(and write it, for “other”).")
    async with transaction(request) as session:
        page = await _contact_context(session, request, contact_id)
        revealed = await people.addresses_of(session, page["d"].person.id)
        await record(session, request, "number_revealed", contact_id=contact_id, person_id=page["d"].person.id,
                     reason=reason, detail=why or None, kinds=[kind for kind, _ in revealed])
    page.update(revealed=revealed, notice="Shown once, for this page only; the reveal is in the audit log.")
    return aiohttp_jinja2.render_template("contact.html", request, page)


async def _iom_agencies(session: AsyncSession) -> list[agencies.AgencyView]:
    """The IOM contacts a person can be given: active agencies that take IOM notifications."""
    return [a for a in await agencies.all_agencies(session, active_only=True) if "iom" in a.accepts]


async def link_identity(request: web.Request) -> web.Response:
    """Link a second channel (a phone number for SMS, a Telegram chat) to the contact's person."""
    user = coordinator(request)
    contact_id = _contact_id(request)
    fields = await form(request)
    kind, address = fields.get("kind", ""), fields.get("address", "").strip()
    if kind == "phone":
        address, _ = normalise_phone(address)
        if not address.startswith("+"):
            raise back(f"/dash/contacts/{contact_id}", error="That is not a phone number (use +44…, +31…, +39…).")
    elif kind != "telegram" or not re.fullmatch(r"-?[0-9]{1,15}", address):
        raise back(f"/dash/contacts/{contact_id}", error="Choose phone or Telegram and give a number or chat id.")
    async with transaction(request) as session:
        person = await person_of(session, contact_id)
        await people.link_identity(session, person.id, kind, address, services(request).clock(), user.actor)
        await record(session, request, "identity_linked", contact_id=contact_id, person_id=person.id, kind=kind)
    raise back(f"/dash/contacts/{contact_id}", notice=f"Linked a {kind} identity to {person.alias}.")


async def set_iom_flag(request: web.Request) -> web.Response:
    coordinator(request)
    contact_id = _contact_id(request)
    fields = await form(request)
    cohort, ref = fields.get("iom_cohort") == "on", fields.get("iom_case_ref", "").strip()[:40]
    chosen = fields.get("iom_agency_id", "")
    async with transaction(request) as session:
        person = await person_of(session, contact_id)
        agency_id = None
        if chosen:
            agency_id = row_id(chosen)
            if agency_id not in {a.id for a in await _iom_agencies(session)}:
                raise back(f"/dash/contacts/{contact_id}", error="Choose an active IOM contact from the list.")
        await people.set_iom(session, person.id, cohort, ref, agency_id)
        await record(session, request, "iom_flag_set", person_id=person.id, cohort=cohort, iom_agency_id=agency_id)
    raise back(f"/dash/contacts/{contact_id}", notice="IOM cohort saved.")


async def correct_level(request: web.Request) -> web.Response:
    """A mentor or coordinator says the triage was wrong; the contact's level follows."""
    user = current_user(request)
    contact_id = _contact_id(request)
    fields = await form(request)
    try:
        level = Level.parse(fields.get("level", ""))
    except ValueError:
        raise back(f"/dash/contacts/{contact_id}", error="Choose a level.") from None
    desk = services(request).desk
    if desk is None:
        raise web.HTTPServiceUnavailable(text="The helpline is starting; try again in a moment.")
    async with transaction(request) as session:
        await _visible(session, request, contact_id)
        await record(session, request, "triage_corrected", contact_id=contact_id, level=level.label)
    corrected = await desk.corrections.correct(contact_id, level, actor=user.actor, mentor_id=user.mentor_id,
                                               reason=fields.get("reason", "").strip()[:500] or None)
    if corrected.outcome == "unknown":
        raise web.HTTPNotFound(text="no such contact")
    raise back(f"/dash/contacts/{contact_id}", notice=corrected.describe(contact_id).split(" To say why")[0])
