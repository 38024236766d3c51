"""A person's subject rights on the dashboard, for coordinators: what is held (counts only), the
export for a subject access request, the legal hold and erasure.

The rules are ``storage.subject``'s (the same as ``helpline people export | erase | hold``): these
handlers read forms, check what a person typed, call it and show its refusals. Mentors get 403:
they see only the contacts they handled, and an export holds numbers. Nothing here logs; the
audit entries are the storage's (who, when, counts, a scrubbed reason), never the contents.
"""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.dashboard.common import back, coordinator, form, services, transaction
from storage import subject
from storage.models import Person
from storage.subject_summary import held
from storage.types import row_id

ALIAS = re.compile(r"P-[A-Z2-9]{6}")
REASON_LIMIT = 500  # what ``subject.set_hold`` takes


def _key(request: web.Request) -> str:
    """The person named in the URL: an alias (P-7KQ2MD) or a numeric id; anything else names no one."""
    raw = request.match_info["person"].strip().upper()
    if ALIAS.fullmatch(raw) or row_id(raw) is not None:
        return raw
    raise web.HTTPNotFound(text="No such person: a person is named by their alias (like P-7KQ2MD) or number.")


def _page(person: Person) -> str:
    return f"/dash/people/{person.alias}"


async def _find(session: AsyncSession, key: str) -> Person:
    """The person (followed to the one they were merged into), or 404 in the dashboard's words."""
    try:
        return await subject.find(session, key)
    except LookupError:
        raise web.HTTPNotFound(text=f"No person {key}.") from None


async def _context(session: AsyncSession, request: web.Request, person: Person, error: str | None = None
                   ) -> dict[str, Any]:
    return {"h": await held(session, person), "notice": None if error else request.query.get("notice"),
            "error": error or request.query.get("error"), "reason_limit": REASON_LIMIT}


async def _refused(request: web.Request, key: str, status: int, error: str) -> web.Response:
    """The person page again, with why nothing was done, under a 4xx status (a form's answer)."""
    async with services(request).sessions() as session:
        page = await _context(session, request, await _find(session, key), error)
    return aiohttp_jinja2.render_template("person.html", request, page, status=status)


async def person_page(request: web.Request) -> web.StreamResponse:
    """What is held about the person, in counts, and the export, hold and erase forms."""
    coordinator(request)
    key = _key(request)
    async with services(request).sessions() as session:
        person = await _find(session, key)
        if request.match_info["person"] != person.alias:  # an id, lower case, a merged alias: one address each
            raise web.HTTPSeeOther(_page(person) + (f"?{request.query_string}" if request.query_string else ""))
        page = await _context(session, request, person)
    return aiohttp_jinja2.render_template("person.html", request, page)


async def export_person(request: web.Request) -> web.StreamResponse:
    """The subject access request's JSON, as a download. A POST (with the form's token), so a link
    or a prefetch cannot make one; audited by ``subject.export`` with who and counts."""
    user = coordinator(request)
    key = _key(request)
    now = services(request).clock()
    async with transaction(request) as session:
        person = await _find(session, key)
        data = await subject.export(session, person, now, user.actor)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    name = f"{person.alias}-export-{now:%Y%m%d-%H%M}.json"
    return web.Response(text=body, content_type="application/json", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})


async def place_hold(request: web.Request) -> web.StreamResponse:
    """A legal hold, with its reason (required): nothing about the person is purged or erased."""
    user = coordinator(request)
    key = _key(request)
    reason = " ".join((await form(request)).get("reason", "").split())
    if not reason:
        return await _refused(request, key, 400, "Say why the records must be kept (e.g. a court order's "
                                                 "reference); no hold was placed.")
    if len(reason) > REASON_LIMIT:
        return await _refused(request, key, 400, f"The reason is too long: at most {REASON_LIMIT} characters; "
                                                 "no hold was placed.")
    async with transaction(request) as session:
        person = await _find(session, key)
        changed = await subject.set_hold(session, person, reason, services(request).clock(), user.actor)
    raise back(_page(person), notice=f"Legal hold on {person.alias}: nothing about them is purged or erased "
                                     "until it is lifted." if changed else f"{person.alias} is already under this hold.")


async def release_hold(request: web.Request) -> web.StreamResponse:
    """Lift the legal hold (audited); lifting none changes nothing and says so."""
    user = coordinator(request)
    key = _key(request)
    async with transaction(request) as session:
        person = await _find(session, key)
        changed = await subject.set_hold(session, person, None, services(request).clock(), user.actor)
    raise back(_page(person), notice=f"Legal hold on {person.alias} lifted." if changed
               else f"{person.alias} has no legal hold.")


def _erase_refusal(person: Person, fields: dict[str, str]) -> tuple[int, str] | None:
    """Why an erase form cannot go ahead (status, message), before anything is touched; None if it can."""
    if person.erased_at is not None:
        return 409, f"{person.alias} is already erased."
    if not fields.get("reason", "").strip():
        return 400, "Say why (e.g. the erasure request's reference, no personal details); nothing was erased."
    if fields.get("confirm", "").strip().upper() != person.alias:
        return 400, f"To confirm, type the alias {person.alias} exactly; nothing was erased."
    return None


async def erase_person(request: web.Request) -> web.StreamResponse:
    """Erase the person (``subject.erase``: texts and addresses go, counts stay), once the alias is
    typed to confirm. Refused, with the storage's reason, under a legal hold or while a contact is
    open (409: the request is sound, the person's state forbids it)."""
    user = coordinator(request)
    key = _key(request)
    fields = await form(request)
    try:
        async with transaction(request) as session:
            person = await _find(session, key)
            problem = _erase_refusal(person, fields)
            if problem is None:
                done = await subject.erase(session, person, fields["reason"], services(request).clock(), user.actor)
    except ValueError as refusal:  # a legal hold (``subject.LegalHold``) or an open contact
        return await _refused(request, key, 409, f"Not erased: {refusal}.")
    if problem is not None:
        return await _refused(request, key, *problem)
    c = done.counts
    raise back(_page(person), notice=f"Erased {done.alias}: {done.identities} number(s) or chat id(s), the texts of "
                                     f"{c.contacts} contact(s) ({c.messages} message(s), {c.notes} note(s)), "
                                     f"{c.recordings} recording link(s), {c.referrals} referral(s), "
                                     f"{done.opt_outs} opt-out(s). The counts remain.")

