"""Mentors (add, deactivate, invite link, languages, hours on call), their dashboard accounts, and
the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot import account_admin
from escalation import rota
from escalation.wellbeing import hours_on_call
from handlers.dashboard.common import back, coordinator, form, record, services, transaction
from handlers.phone import normalise_phone
from storage.types import row_id
from storage import audit
from storage import mentors as mentor_store
from storage import rota as rota_store

INVITE_VALID = timedelta(days=7)
LANGUAGES = ("en", "nl", "it")


@aiohttp_jinja2.template("mentors.html")
async def mentors_page(request: web.Request) -> dict[str, Any]:
    coordinator(request)
    start = services(request).clock()
    end = start + timedelta(days=7)
    async with services(request).sessions() as session:
        mentors = await mentor_store.all_mentors(session)
        rules, overrides = await rota_store.load(session, start, end)
        accounts = await account_admin.list_accounts(session, start)
    covers = rota.covers(rules, overrides, services(request).settings.zone, start, end)
    return {"mentors": mentors, "hours": hours_on_call(covers, start, end), "languages": LANGUAGES,
            "accounts": accounts,
            "invite": request.query.get("invite"), "notice": request.query.get("notice"),
            "error": request.query.get("error")}


async def add_mentor(request: web.Request) -> web.Response:
    coordinator(request)
    fields = await form(request)
    name, role = fields.get("name", "").strip(), fields.get("role", "mentor")
    phone = fields.get("phone", "").strip()
    languages = [code for code in LANGUAGES if fields.get(f"lang_{code}") == "on"] or ["en"]
    number = normalise_phone(phone)[0] if phone else None
    if not name or role not in ("mentor", "coordinator"):
        raise back("/dash/mentors", error="Give a name and choose mentor or coordinator.")
    if phone and not (number or "").startswith("+"):
        raise back("/dash/mentors", error="That phone number is not valid (use +44…, +31…, +39…).")
    async with transaction(request) as session:
        try:
            added = await mentor_store.add_mentor(session, name=name, role=role, languages=languages,
                                                  phone=number, now=services(request).clock())
        except ValueError as error:
            raise back("/dash/mentors", error=str(error)) from None
        await record(session, request, "mentor_added", mentor_id=added.id, role=role)
    raise back("/dash/mentors", notice=f"Added {added.name}. Send them an invite link to connect Telegram.")


def _mentor_id(request: web.Request) -> int:
    raw = request.match_info["mentor_id"]
    if row_id(raw) is None:
        raise web.HTTPNotFound()
    return int(raw)


async def deactivate_mentor(request: web.Request) -> web.Response:
    user = coordinator(request)
    mentor_id = _mentor_id(request)
    if mentor_id == user.mentor_id:
        raise back("/dash/mentors", error="You cannot deactivate yourself: it would end your own log-in. "
                                          "Ask another coordinator.")
    async with transaction(request) as session:
        mentor = await mentor_store.by_id(session, mentor_id)
        accounts = await account_admin.deactivate_mentor(session, mentor, user.actor, services(request).clock())
    logged_out = f" Their dashboard log-in ({', '.join(accounts)}) is disabled." if accounts else ""
    raise back("/dash/mentors", notice=f"{mentor.name} will no longer be alerted.{logged_out}")


async def invite_mentor(request: web.Request) -> web.Response:
    coordinator(request)
    mentor_id = _mentor_id(request)
    settings = services(request).settings
    async with transaction(request) as session:
        mentor = await mentor_store.by_id(session, mentor_id)
        code = await mentor_store.create_invite(session, mentor.id, services(request).clock(), INVITE_VALID)
        await record(session, request, "mentor_invited", mentor_id=mentor_id)
    link = (f"https://t.me/{settings.telegram_bot_username}?start={code}" if settings.telegram_bot_username
            else f"/start {code}  (send this to the helpline bot; set HELPLINE_TELEGRAM_BOT_USERNAME for a link)")
    raise back("/dash/mentors", notice=f"Invite for {mentor.name}, valid 7 days, shown once: {link}")


@aiohttp_jinja2.template("audit.html")
async def audit_page(request: web.Request) -> dict[str, Any]:
    coordinator(request)
    before = request.query.get("before", "")
    async with services(request).sessions() as session:
        entries = await audit.recent(session, row_id(before), 100)
    return {"entries": entries, "next": entries[-1].id if len(entries) == 100 else None}
