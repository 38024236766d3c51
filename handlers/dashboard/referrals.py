"""Referrals on the dashboard: the list, one referral's page (the Dash checklist, the details,
the lawful basis, the agency, approval and the rest of its life), proposing one from a contact,
the information sharing report, and the demo's outbox of e-mails.

Every rule is the workflow's (``escalation.referrals.workflow``): these handlers read forms, call
it, and show its refusals (``ReferralError``) as the page's error."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.web.charts import bar_chart
from bot.web.setup import current_user
from escalation.referrals import dash
from escalation.referrals.report import sharing_report
from escalation.referrals.sharing import (CONSENT, NO_CONSENT, LawfulBasis, condition_for, conditions,
                                          consent_ways, describe, reasons, share_kinds, share_label)
from escalation.referrals.workflow import ReferralError, Referrals, reference
from handlers.dashboard.common import (back, coordinator, form, moment_of, record, referral_actor,
                                       services, transaction)
from handlers.dashboard.reports import report_period
from handlers.dashboard.contacts import _cell, _contact_id, _visible
from storage import agencies, outbox
from storage import referrals as store
from storage.contact_view import contact_detail
from storage.mentors import all_mentors
from storage.models import Referral
from storage.types import row_id

STATE_WORDS = {"proposed": "proposed: to be completed", "drafted": "waiting for approval",
               "approved": "approved, not delivered: send again", "sent": "waiting for acknowledgement",
               "delivered": "waiting for acknowledgement", "acknowledged": "acknowledged",
               "declined": "declined", "withdrawn": "withdrawn"}
DETAIL_FIELDS = ("person_name", "role", "interpreter", "other_party", "relationship", "children", "what_happened",
                 "ask", "person_knows", "judgement_reason")
ROLES = ("victim", "perpetrator")
DETAIL_LIMIT = 4000
PROPOSABLE = tuple(kind for kind in share_kinds() if kind != "emergency")  # the emergency rule is triage's


def _referrals(request: web.Request) -> Referrals:
    found = services(request).referrals
    if found is None:
        raise web.HTTPServiceUnavailable(text="The helpline is starting; try again in a moment.")
    return found


def _referral_id(request: web.Request) -> int:
    """A malformed number is a 400; a number that cannot be a referral's, or is none, a 404."""
    raw = request.match_info["referral_id"]
    if not (raw.isascii() and raw.isdigit()):
        raise web.HTTPBadRequest(text="a referral is named by its number")
    found = row_id(raw)
    if found is None:
        raise web.HTTPNotFound(text="no such referral")
    return found


async def _load(session: AsyncSession, request: web.Request, referral_id: int) -> Referral:
    """The referral, if this user may see it: a coordinator, or a mentor who handled its contact."""
    referral = await store.get(session, referral_id)
    if referral is None:
        raise web.HTTPNotFound(text=f"no referral {reference(referral_id)}")
    await _visible(session, request, referral.contact_id)
    return referral


def _page(referral_id: int) -> str:
    return f"/dash/referrals/{referral_id}"


def _checklist_answers(answers: dict[str, str]) -> dict[str, str]:
    keys = {q.key for q in dash.questions()}
    return {k: v for k, v in answers.items() if k in keys}


# --- the list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    reference: str
    kind: str
    contact_id: int
    agency: str
    state: str
    state_words: str
    pending: bool
    criteria: tuple[str, ...]
    basis: str
    proposed_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    hours_since_sent: int | None
    reminders: int


@aiohttp_jinja2.template("referrals.html")
async def referrals_page(request: web.Request) -> dict[str, Any]:
    coordinator(request)
    now = services(request).clock()
    async with services(request).sessions() as session:
        found = await store.listing(session)
        names = {a.id: a.name for a in await agencies.all_agencies(session)}
    rows = [Row(r.id, reference(r.id), share_label(r.kind), r.contact_id, names.get(r.agency_id or 0, "—"), r.state,
                STATE_WORDS.get(r.state, r.state), r.state in store.PENDING_STATES, tuple(r.criteria or ()),
                describe(r.basis), r.proposed_at, r.sent_at, r.acknowledged_at,
                int((now - r.sent_at).total_seconds() // 3600) if r.sent_at and r.state in ("sent", "delivered")
                else None, r.reminders or 0)
            for r in found]
    return {"pending": [r for r in rows if r.pending], "rest": [r for r in rows if not r.pending],
            "notice": request.query.get("notice"), "error": request.query.get("error")}


# --- one referral ---------------------------------------------------------------------------


@aiohttp_jinja2.template("referral.html")
async def referral_page(request: web.Request) -> dict[str, Any]:
    referral_id = _referral_id(request)
    async with transaction(request) as session:
        referral = await _load(session, request, referral_id)
        detail = await contact_detail(session, referral.contact_id)
        offered = [a for a in await agencies.all_agencies(session, active_only=True) if referral.kind in a.accepts]
        chosen = await agencies.agency(session, referral.agency_id) if referral.agency_id else None
        mentors = {f"mentor:{m.id}": m.name for m in await all_mentors(session)}
        await record(session, request, "referral_viewed", referral=referral_id, contact_id=referral.contact_id)
    preview, preview_error = None, "the document is shown to coordinators: it can hold the person's phone number"
    if current_user(request).sees_everything:
        try:
            _, preview = await _referrals(request).preview(referral_id)
            preview_error = None
        except ReferralError as error:
            preview_error = str(error)
    answers = store.dash_of(referral)
    assessment = dash.score(_checklist_answers(answers))
    basis = referral.basis or {}
    zone = services(request).settings.zone
    given_at = basis.get("given_at")
    events = [e for e in (detail.timeline if detail else ()) if e.data.get("referral") == referral_id]
    return {
        "r": referral, "ref": reference(referral_id), "kind": share_label(referral.kind),
        "state_words": STATE_WORDS.get(referral.state, referral.state), "editable": referral.state in ("proposed", "drafted"),
        "answers": answers, "before": dash.before_questions(), "questions": dash.questions(),
        "marac": referral.kind == "marac", "summary": dash.summary(assessment), "assessment": assessment,
        "details": store.details_of(referral), "roles": ROLES, "basis": basis, "basis_line": describe(referral.basis),
        "given_at": datetime.fromisoformat(given_at).astimezone(zone).strftime("%Y-%m-%dT%H:%M") if given_at else "",
        "consent_ways": consent_ways(), "reasons": reasons(), "conditions": conditions(),
        "own_reason": basis.get("kind") == NO_CONSENT and basis.get("reason") not in reasons(),
        "offered": offered, "chosen": chosen, "preview": preview, "preview_error": preview_error,
        "who": {key: mentors.get(key, key.removeprefix("user:")) for key in
                (referral.proposed_by, referral.drafted_by, referral.approved_by) if key},
        "events": events, "alias": detail.person.alias if detail else "",
        "notice": request.query.get("notice"), "error": request.query.get("error"),
    }


async def _visible_referral(request: web.Request) -> int:
    referral_id = _referral_id(request)
    async with services(request).sessions() as session:
        await _load(session, request, referral_id)
    return referral_id


async def save_checklist(request: web.Request) -> web.Response:
    """Every answer that changed, one by one through the workflow: the safety questions first,
    then the checklist in its asking order."""
    referral_id = _referral_id(request)
    async with services(request).sessions() as session:
        answers = store.dash_of(await _load(session, request, referral_id))
    fields, actor = await form(request), referral_actor(request)
    keys = [q.key for q in dash.before_questions()] + [q.key for q in dash.questions()]
    changed, step = 0, None
    for key in keys:
        value = fields.get(key, "")
        if value and value != answers.get(key):
            try:
                step = await _referrals(request).answer(referral_id, key, value, actor)
            except ReferralError as error:
                saved = f" ({changed} answers were saved first)" if changed else ""
                raise back(_page(referral_id), error=f"{error}{saved}") from None
            changed += 1
    if not changed:
        raise back(_page(referral_id), notice="No answer changed.")
    summary = f" {dash.summary(step.assessment)}." if step is not None and step.assessment is not None else ""
    raise back(_page(referral_id), notice=f"Saved {changed} answer{'s' if changed != 1 else ''}.{summary}")


def _basis(fields: dict[str, str], request: web.Request, decided_by: str) -> LawfulBasis | None:
    """The lawful basis of the form, or None to keep what is recorded. The workflow checks it."""
    kind, now = fields.get("basis", ""), services(request).clock()
    agreement = _referrals(request).policy.agreement
    if kind == CONSENT:
        return LawfulBasis(CONSENT, decided_by, now, agreement, how=fields.get("consent_how") or None,
                           given_at=moment_of(fields.get("consent_at"), services(request).settings.zone))
    if kind == NO_CONSENT:
        chosen = fields.get("reason", "")
        if chosen == "own":
            reason = fields.get("reason_text", "").strip()[:500]
            condition = fields.get("condition") or None
        else:
            reason = chosen if chosen in reasons() else ""
            condition = fields.get("condition") or condition_for(chosen)
        return LawfulBasis(NO_CONSENT, decided_by, now, agreement, reason=reason, condition=condition)
    return None


async def save_draft(request: web.Request) -> web.Response:
    referral_id = await _visible_referral(request)
    fields, actor = await form(request), referral_actor(request)
    page = _page(referral_id)
    details = {key: fields[key][:DETAIL_LIMIT] for key in DETAIL_FIELDS if key in fields}
    if details.get("role", "") not in ("", *ROLES):
        raise back(page, error="The person's role is victim or perpetrator.")
    if fields.get("basis", "") not in ("", CONSENT, NO_CONSENT):
        raise back(page, error="Choose consent given, or shared without consent.")
    agency_id = None
    if fields.get("agency_id"):
        agency_id = row_id(fields["agency_id"])
        if agency_id is None:
            raise back(page, error="Choose an agency from the list.")
    try:
        referral = await _referrals(request).draft(referral_id, actor, details=details,
                                                   basis=_basis(fields, request, actor.key), agency_id=agency_id)
    except ReferralError as error:
        raise back(page, error=str(error)) from None
    if referral.state == "sent":
        raise back(page, notice=f"{reference(referral_id)} was sent to the agency.")
    waiting = " Add the lawful basis before it can be approved." if not referral.basis else ""
    raise back(page, notice=f"{reference(referral_id)} saved: it waits for a coordinator's approval "
                            f"(not the person who drafted it).{waiting}")


async def _coordinator_acts(request: web.Request,
                            act: Callable[[Referrals, int, dict[str, str]], Awaitable[Referral]],
                            done: Callable[[Referral], str]) -> web.Response:
    """A coordinator's action on a referral, then back to its page with what happened, or with
    the workflow's refusal (never a 500)."""
    coordinator(request)
    referral_id = await _visible_referral(request)
    fields = await form(request)
    try:
        referral = await act(_referrals(request), referral_id, fields)
    except ReferralError as error:
        raise back(_page(referral_id), error=str(error)) from None
    raise back(_page(referral_id), notice=f"{reference(referral_id)} {done(referral)}.")


async def approve(request: web.Request) -> web.Response:
    actor = referral_actor(request)
    return await _coordinator_acts(request, lambda r, rid, _: r.approve(rid, actor),
                                   lambda referral: f"approved: {STATE_WORDS[referral.state]}")


async def end(request: web.Request) -> web.Response:
    """Declined or withdrawn, with the reason."""
    actor = referral_actor(request)
    return await _coordinator_acts(
        request, lambda r, rid, fields: r.end(rid, fields.get("state", ""), fields.get("reason", "")[:DETAIL_LIMIT], actor),
        lambda referral: referral.state)


async def acknowledge(request: web.Request) -> web.Response:
    """The agency acknowledged some other way (a phone call)."""
    actor = referral_actor(request)
    return await _coordinator_acts(
        request, lambda r, rid, fields: r.record_acknowledgement(rid, fields.get("how", "")[:100], actor),
        lambda _: "marked acknowledged")


async def send_again(request: web.Request) -> web.Response:
    actor = referral_actor(request)
    return await _coordinator_acts(request, lambda r, rid, _: r.send_again(rid, actor), lambda _: "sent again")


async def propose(request: web.Request) -> web.Response:
    """From a contact's page: a mentor's or coordinator's own choice to share."""
    contact_id = _contact_id(request)
    async with services(request).sessions() as session:
        await _visible(session, request, contact_id)
    kind = (await form(request)).get("kind", "")
    if kind not in PROPOSABLE:
        raise back(f"/dash/contacts/{contact_id}", error="Choose the kind of referral.")
    try:
        referral = await _referrals(request).propose(contact_id, kind, referral_actor(request))
    except ReferralError as error:
        raise back(f"/dash/contacts/{contact_id}", error=str(error)) from None
    raise back(_page(referral.id), notice=f"{share_label(kind)} {reference(referral.id)}: complete it below.")


# --- the information sharing report ---------------------------------------------------------


def _report_period(request: web.Request) -> tuple[date, date]:
    return report_period(request, days=365)


async def _report(request: web.Request) -> tuple[date, date, Any]:
    coordinator(request)
    start_day, end_day = _report_period(request)
    zone = services(request).settings.zone
    async with services(request).sessions() as session:
        report = await sharing_report(session, datetime.combine(start_day, time(0), zone),
                                      datetime.combine(end_day + timedelta(days=1), time(0), zone), zone)
    return start_day, end_day, report


def _months(start_day: date, end_day: date, counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every month of the period, those without a share too: growth is read from the gaps as well."""
    found, year, month = [], start_day.year, start_day.month
    while (year, month) <= (end_day.year, end_day.month):
        key = f"{year:04d}-{month:02d}"
        found.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


@aiohttp_jinja2.template("sharing.html")
async def sharing_page(request: web.Request) -> dict[str, Any]:
    start_day, end_day, report = await _report(request)
    chart = bar_chart(_months(start_day, end_day, dict(report.by_month)), "Shares per month")
    return {"r": report, "chart": chart, "start": start_day, "end": end_day}


SHARING_COLUMNS = ("month", "agency", "kind", "basis", "shared", "acknowledged", "median_hours_to_ack")


async def sharing_csv(request: web.Request) -> web.Response:
    start_day, end_day, report = await _report(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SHARING_COLUMNS)
    for line in report.lines:
        writer.writerow([line.month, _cell(line.agency), line.kind, line.basis, line.shared, line.acknowledged,
                         "" if line.median_hours_to_ack is None else line.median_hours_to_ack])
    async with transaction(request) as session:
        await record(session, request, "sharing_report_exported", start=start_day.isoformat(), end=end_day.isoformat(),
                     rows=len(report.lines))
    return web.Response(body=buffer.getvalue().encode(), headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="sharing-{start_day}-{end_day}.csv"'})


# --- the demo's outbox ----------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    at: datetime
    state: str
    body: str
    attachments: tuple[tuple[str, str, str], ...]  # file name, content type, content


@aiohttp_jinja2.template("outbox.html")
async def outbox_page(request: web.Request) -> dict[str, Any]:
    """The demo's e-mails: what would have gone to the agencies, nothing leaves the machine."""
    coordinator(request)
    if not services(request).simulated:
        raise web.HTTPNotFound(text="The outbox page exists only in `helpline demo`.")
    async with transaction(request) as session:
        rows = await outbox.recent(session, "email", 50)
        await record(session, request, "outbox_viewed", rows=len(rows))
    mails = []
    for row in rows:
        options = row.options if isinstance(row.options, dict) else {}
        files = options.get("attachments") if isinstance(options.get("attachments"), list) else []
        mails.append(Mail(row.address, str(options.get("subject") or "(no subject)"), row.created_at, row.status,
                          row.body, tuple((str(f.get("filename", "")), str(f.get("content_type", "")),
                                           str(f.get("content", ""))) for f in files if isinstance(f, dict))))
    return {"mails": mails}
