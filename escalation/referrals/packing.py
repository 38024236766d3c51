"""What leaves, and to whom: the agency a share goes to (the person's area, or their own IOM
contact), the facts the document may state, and the message each channel carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

from escalation.emergency import LANGUAGE_REGION
from escalation.referrals import document
from escalation.referrals.model import ReferralError, ReferralPolicy, reference
from escalation.referrals.sharing import share_label
from storage import agencies, people, tags
from storage import mentors as mentor_store
from storage import referrals as store
from storage.agencies import AgencyView
from storage.models import Contact, Person, Referral

TEXT_LIMITS = {"sms": 1600, "telegram": 4096}  # Twilio's longest SMS; Telegram's longest message


async def choose_agency(session: AsyncSession, referral: Referral, agency_id: int | None,
                        policy: ReferralPolicy) -> AgencyView:
    """The agency chosen, or else the person's own IOM contact (IOM), or else the first active
    one of the person's area that takes this kind of share. Recorded on the referral."""
    if agency_id is not None:
        chosen = await agencies.agency(session, agency_id)
        if chosen is None or not chosen.active or referral.kind not in chosen.accepts:
            raise ReferralError(f"that agency does not take {share_label(referral.kind)}s (or is disabled)")
    else:
        person = await session.get(Person, referral.person_id)
        assert person is not None
        chosen = None
        if referral.kind == "iom" and person.iom_agency_id:
            own = await agencies.agency(session, person.iom_agency_id)
            chosen = own if own is not None and own.active else None
        if chosen is None:
            area = await area_of(session, person, policy)
            found = await agencies.accepting(session, referral.kind, area)
            if not found:
                raise ReferralError(f"no active agency takes {share_label(referral.kind)}s"
                                    + (f" in {area}" if area else "") + ": add one (helpline agencies add)")
            chosen = found[0]
    referral.agency_id = chosen.id
    return chosen


async def area_of(session: AsyncSession, person: Person, policy: ReferralPolicy) -> str | None:
    """The person's area: by their number's country, else by their language."""
    number = await people.address_of(session, person.id, "phone")
    region = None
    if number:
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
        except phonenumbers.NumberParseException:
            region = None
    region = region or LANGUAGE_REGION.get(person.language)
    return policy.areas.get(region or "")


async def facts(session: AsyncSession, referral: Referral, person: Person, agency: AgencyView,
                approved_by: str | None, now: datetime, token: str, code: str,
                policy: ReferralPolicy) -> document.Facts:
    """Everything the document may say. The person's number only when they said it is safe."""
    contact = await session.get(Contact, referral.contact_id)
    assert contact is not None
    answers = store.dash_of(referral)
    safe = answers.get("safe_callback") in document.CALLBACK_SAFE
    safe_number = await people.address_of(session, person.id, "phone") if safe else None
    categories = tuple(await tags.of_contact(session, contact.id, tags.CATEGORY))
    return document.Facts(
        reference(referral.id), referral.kind, policy.helpline, agency.name,
        await name_of(session, referral.drafted_by or referral.proposed_by),
        await name_of(session, approved_by) if approved_by else None, f"{now:%Y-%m-%d %H:%M} UTC",
        person.alias, person.language, contact.urgency or "low", categories, tuple(referral.criteria or ()),
        answers, {k: str(v) for k, v in store.details_of(referral).items()}, referral.basis, safe_number,
        person.iom_case_ref if referral.kind == "iom" else None,
        f"{policy.public_url}/referrals/ack/{token}" if policy.public_url and token else None, code or None)


async def name_of(session: AsyncSession, key: str | None) -> str:
    """A person's name for the document: a mentor by name, a user by username; the rules' own
    shares say they were automatic."""
    if key in ("triage", "system"):
        return "automatic (the helpline's risk rules)"
    if key and key.startswith("mentor:"):
        mentor_id = int(key.split(":")[1])
        found = (await mentor_store.mentors_by_id(session, [mentor_id])).get(mentor_id)
        return found.name if found else key
    return (key or "").removeprefix("user:") or "the helpline"


def message(agency: AgencyView, said: document.Facts) -> tuple[str, dict[str, Any]]:
    """E-mail: a cover note (plain and HTML) with the document attached; SMS and Telegram: the
    document's text itself, refused whole rather than cut (a checklist does not fit a text)."""
    if agency.channel != "email":
        text = document.as_text(said)
        if len(text) > TEXT_LIMITS.get(agency.channel, 1600):
            raise ReferralError(f"this {share_label(said.kind)} is too long for {agency.channel}: "
                                f"give {agency.name} an e-mail address (helpline agencies add)")
        return text, {}
    note = document.cover_note(said)
    return note, {"subject": document.subject(said),
                  "html": "".join(f"<p>{document.linked(line)}</p>" for line in note.splitlines() if line),
                  "attachments": [{"filename": f"{said.reference}.html", "content_type": "text/html",
                                   "content": document.as_html(said)}]}
