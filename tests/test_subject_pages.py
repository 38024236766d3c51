"""Subject rights on the dashboard, as a coordinator answers a request: the person page reached
from a contact shows what is held in counts only; the export downloads everything about this
person and nothing about another; a legal hold needs a reason and blocks erasure until released;
erasure needs the alias typed and leaves only counts; every step is audited without contents.
Mentors get 403, a post without the form's token 403, bad names 404, bad forms 400; on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import unquote_plus

import pytest

from storage import audit
from storage.mentors import all_mentors
from storage.models import Contact, Identity, Message, Person
from storage.sealing import lookup_key
from tests.dashboard_kit import another_browser, log_in, post_form, staffed_dashboard
from tests.db_queries import rows
from tests.routing_kit import sms

MINE, THEIRS = "+447700900111", "+447700900222"
MINE_WORD, THEIRS_WORD = "wombatfence", "axolotlpier"
DIGITS = re.compile(r"7700\s?900\s?(111|222)|900(111|222)")
SUBJECT_ACTIONS = {"subject_export", "subject_erase", "legal_hold_set", "legal_hold_released"}


@pytest.fixture
async def helpline(backend, start_helpline):
    running = await staffed_dashboard(backend, start_helpline)
    await log_in(running.client, "cora")
    return running


async def _contact(helpline: Any, sender: str, word: str, close: bool = True) -> tuple[int, str]:
    """A contact as the pipeline makes one: the person writes, Anne accepts and answers, and closes it."""
    result = await helpline.services.intake.receive(sms(f"I keep thinking about the {word}", sender=sender))
    assert (await helpline.services.router.accept(result.contact_id, helpline.team.anne)).outcome == "accepted"
    desk = helpline.services.desk
    async with helpline.services.sessions() as session:
        anne = next(m for m in await all_mentors(session) if m.id == helpline.team.anne)
        alias = (await session.get(Person, (await session.get(Contact, result.contact_id)).person_id)).alias
    await desk.mentor_text(anne, f"Tell me about the {word}")
    if close:
        await desk.closing.outcome(anne, result.contact_id, "sup")
        await desk.closing.pathway(anne, result.contact_id, "dru")
        await desk.closing.finish(anne, result.contact_id, 20)
    return result.contact_id, alias


async def _page(client: Any, path: str) -> str:
    response = await client.get(path)
    assert response.status == 200, (path, response.status)
    return unescape(await response.text())


def _shows_private(text: str) -> bool:
    return any(secret in text for secret in (MINE, THEIRS, MINE_WORD, THEIRS_WORD)) or DIGITS.search(text) is not None


def _counts(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="(\w+)-count">(\d+)<', html))


def _said(response: Any) -> str:
    assert response.status == 303, response.status
    return unquote_plus(response.headers["Location"])


async def _audit(helpline: Any) -> list[audit.AuditEntry]:
    async with helpline.services.sessions() as session:
        return [e for e in await audit.entries(session) if e.action in SUBJECT_ACTIONS]


async def _person(helpline: Any, alias: str) -> Person:
    [person] = await rows(helpline.services.sessions, Person, Person.alias == alias)
    return person


async def _bodies(helpline: Any, contact_id: int) -> list[str]:
    return [m.body for m in await rows(helpline.services.sessions, Message, Message.contact_id == contact_id)]


async def test_the_contact_page_leads_to_the_person_page_which_shows_counts_only(helpline):
    contact, alias = await _contact(helpline, MINE, MINE_WORD)
    await _contact(helpline, THEIRS, THEIRS_WORD)
    html = await _page(helpline.client, f"/dash/contacts/{contact}")
    assert f'href="/dash/people/{alias}"' in html
    page = await _page(helpline.client, f"/dash/people/{alias}")
    counts = _counts(page)
    assert counts["contacts"] == "1" and counts["referrals"] == "0" and int(counts["messages"]) >= 2
    assert "1 phone" in page and f'href="/dash/contacts/{contact}"' in page and "none" in page.split('id="hold"')[1][:40]
    assert not _shows_private(page), "counts only: no number, nothing anyone wrote"
    person = await _person(helpline, alias)
    by_number = await helpline.client.get(f"/dash/people/{person.id}", allow_redirects=False)
    assert by_number.status == 303 and by_number.headers["Location"] == f"/dash/people/{alias}"
    lower = await helpline.client.get(f"/dash/people/{alias.lower()}", allow_redirects=False)
    assert lower.status == 303 and lower.headers["Location"] == f"/dash/people/{alias}"


async def test_the_export_holds_this_persons_messages_and_nothing_of_anothers(helpline):
    contact, alias = await _contact(helpline, MINE, MINE_WORD)
    await _contact(helpline, THEIRS, THEIRS_WORD)
    response = await post_form(helpline.client, f"/dash/people/{alias}/export", {}, f"/dash/people/{alias}")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"].startswith("application/json")
    assert re.fullmatch(rf'attachment; filename="{alias}-export-\d{{8}}-\d{{4}}\.json"',
                        response.headers["Content-Disposition"])
    text = await response.text()
    data = json.loads(text)
    assert data["person"]["alias"] == alias and [i["address"] for i in data["identities"]] == [MINE]
    [held] = data["contacts"]
    assert held["id"] == contact
    said = [m["text"] for m in held["messages"]]
    assert any(MINE_WORD in (t or "") for t in said if t) and len(said) >= 2, "both sides of the conversation"
    assert THEIRS_WORD not in text and THEIRS not in text and "900222" not in text, "nothing about another person"
    [entry] = await _audit(helpline)
    assert (entry.action, entry.actor) == ("subject_export", "user:cora") and entry.at is not None
    assert entry.detail["person"] == data["person"]["id"] and entry.detail["contacts"] == 1
    assert not _shows_private(json.dumps(entry.detail)), "the audit holds who, when and counts, not the contents"
    assert not _shows_private(await _page(helpline.client, "/dash/audit"))


async def test_a_mentor_gets_403_everywhere_and_changes_nothing(helpline):
    contact, alias = await _contact(helpline, MINE, MINE_WORD)
    async with another_browser(helpline.client) as anne:
        await log_in(anne, "anne")
        contact_page = await _page(anne, f"/dash/contacts/{contact}")
        assert "/dash/people/" not in contact_page, "no link to a page the mentor cannot open"
        assert (await anne.get(f"/dash/people/{alias}", allow_redirects=False)).status == 403
        assert (await anne.get("/dash/people/P-ZZZZZZ", allow_redirects=False)).status == 403, "not even a 404"
        for action, fields in (("export", {}), ("hold", {"reason": "court order"}), ("hold/release", {}),
                               ("erase", {"reason": "SAR-1", "confirm": alias})):
            response = await post_form(anne, f"/dash/people/{alias}/{action}", fields, f"/dash/contacts/{contact}")
            assert response.status == 403, action
            assert not _shows_private(await response.text())
    person = await _person(helpline, alias)
    assert person.legal_hold is None and person.erased_at is None
    assert await _audit(helpline) == []


async def test_a_hold_needs_a_reason_and_blocks_erasure_until_released(helpline):
    contact, alias = await _contact(helpline, MINE, MINE_WORD)
    page = f"/dash/people/{alias}"
    for reason in ("", "   ", "x" * 501):
        refused = await post_form(helpline.client, f"{page}/hold", {"reason": reason}, page)
        assert refused.status == 400
        assert "no hold was placed" in unescape(await refused.text())
    placed = await post_form(helpline.client, f"{page}/hold", {"reason": "Court order 2027/15, ring 07700 900111"}, page)
    assert "Legal hold on" in _said(placed)
    html = await _page(helpline.client, page)
    assert "Court order 2027/15" in html and "Release the hold" in html and "Refused while the legal hold" in html
    erase = {"reason": "SAR-2027-04", "confirm": alias}
    refused = await post_form(helpline.client, f"{page}/erase", erase, page)
    assert refused.status == 409
    assert f"Not erased: {alias} is under a legal hold (Court order 2027/15" in unescape(await refused.text())
    assert any(MINE_WORD in (b or "") for b in await _bodies(helpline, contact)), "nothing was erased"
    assert (await _person(helpline, alias)).erased_at is None

    released = await post_form(helpline.client, f"{page}/hold/release", {}, page)
    assert "lifted" in _said(released)
    again = await post_form(helpline.client, f"{page}/hold/release", {}, page)
    assert "has no legal hold" in _said(again)
    assert (await post_form(helpline.client, f"{page}/erase", erase, page)).status == 303
    actions = [(e.action, e.actor) for e in await _audit(helpline)]
    assert actions == [("legal_hold_set", "user:cora"), ("legal_hold_released", "user:cora"),
                       ("subject_erase", "user:cora")]
    held = (await _audit(helpline))[0]
    assert held.detail["reason"] == "Court order 2027/15, ring [number]", "the audit masks a number typed in"


async def test_erasure_needs_the_alias_typed_and_leaves_counts_only(helpline):
    contact, alias = await _contact(helpline, MINE, MINE_WORD)
    other, _ = await _contact(helpline, THEIRS, THEIRS_WORD)
    page = f"/dash/people/{alias}"
    before = _counts(await _page(helpline.client, page))
    for fields, words in (({"reason": "SAR-1", "confirm": ""}, f"type the alias {alias} exactly"),
                          ({"reason": "SAR-1", "confirm": "P-ABCDEF"}, f"type the alias {alias} exactly"),
                          ({"confirm": alias}, "Say why"), ({"reason": " ", "confirm": alias}, "Say why")):
        refused = await post_form(helpline.client, f"{page}/erase", fields, page)
        assert refused.status == 400, fields
        assert words in unescape(await refused.text()) and "nothing was erased" in unescape(await refused.text())
    assert (await _person(helpline, alias)).erased_at is None and await _audit(helpline) == []

    erased = await post_form(helpline.client, f"{page}/erase", {"reason": "SAR-2027-04", "confirm": alias.lower()},
                             page)
    notice = _said(erased)
    assert f"Erased {alias}: 1 number(s) or chat id(s)" in notice and not _shows_private(notice)
    html = await _page(helpline.client, erased.headers["Location"])
    assert "erased" in html.split('id="person-state"')[1][:40] and "the counts below remain" in html
    assert _counts(html) == before, "what remains is the counts"
    assert "0 phone" not in html and "none" in html.split('id="channels"')[1][:20]
    assert not _shows_private(html) and 'action="/dash/people/' + alias + '/erase"' not in html

    bodies = await _bodies(helpline, contact)
    assert len(bodies) == int(before["messages"]) and not any(MINE_WORD in (b or "") for b in bodies)
    assert await rows(helpline.services.sessions, Identity, Identity.address_key == lookup_key(MINE)) == []
    assert any(THEIRS_WORD in (b or "") for b in await _bodies(helpline, other)), "another person's stay"
    export = await post_form(helpline.client, f"{page}/export", {}, page)
    assert not _shows_private(await export.text())

    twice = await post_form(helpline.client, f"{page}/erase", {"reason": "SAR-2027-04", "confirm": alias}, page)
    assert twice.status == 409 and "already erased" in await twice.text()
    [entry] = [e for e in await _audit(helpline) if e.action == "subject_erase"]
    assert entry.actor == "user:cora" and entry.detail["reason"] == "SAR-2027-04" and entry.detail["identities"] == 1
    assert not _shows_private(json.dumps(entry.detail))


async def test_an_open_contact_blocks_erasure(helpline):
    contact, alias = await _contact(helpline, MINE, MINE_WORD, close=False)
    page = f"/dash/people/{alias}"
    html = await _page(helpline.client, page)
    assert f'Refused while <a href="/dash/contacts/{contact}">contact #{contact}</a> is open' in html
    refused = await post_form(helpline.client, f"{page}/erase", {"reason": "SAR-1", "confirm": alias}, page)
    assert refused.status == 409
    assert f"Not erased: {alias} has an open contact #{contact}: close it first" in unescape(await refused.text())
    assert (await _person(helpline, alias)).erased_at is None
    assert [e.action for e in await _audit(helpline)] == []


async def test_a_post_without_the_forms_token_is_refused_and_does_nothing(helpline):
    _, alias = await _contact(helpline, MINE, MINE_WORD)
    for action, fields in (("export", {}), ("hold", {"reason": "court order"}),
                           ("erase", {"reason": "SAR-1", "confirm": alias})):
        for token in ({}, {"csrf": "forged"}):
            response = await helpline.client.post(f"/dash/people/{alias}/{action}", data={**fields, **token},
                                                  allow_redirects=False)
            assert response.status == 403, (action, token)
            assert "did not come from the dashboard" in await response.text()
    person = await _person(helpline, alias)
    assert person.legal_hold is None and person.erased_at is None
    assert await _audit(helpline) == []


@pytest.mark.parametrize("name", ["P-ZZZZZZ", "0", "99999999", "99999999999999999999", "nobody", "P-0O1I00",
                                  "%00", "%C2%B2", "P-ABCDEF%00"])
async def test_an_unknown_or_malformed_person_is_404(helpline, name):
    response = await helpline.client.get(f"/dash/people/{name}", allow_redirects=False)
    assert response.status == 404, name
    for action in ("export", "hold", "hold/release", "erase"):
        posted = await post_form(helpline.client, f"/dash/people/{name}/{action}", {"reason": "x", "confirm": name})
        assert posted.status == 404, (name, action)
