"""The agencies, referrals, IOM cohort and information sharing commands, as coordinators use them."""

from __future__ import annotations

import asyncio
import csv
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable

import pytest
from typer.testing import CliRunner

from bot.cli import app
from escalation.referrals.sharing import LawfulBasis
from storage import agencies, audit, people
from storage import referrals as referral_store
from storage.db import create_engine, session_factory
from storage.models import Contact, Person, Referral

UTC = timezone.utc


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(url: str, *args: str, settings: dict[str, str] | None = None) -> Result:
    """The command in this process, with a clean environment (but for ``settings``) and a wide terminal."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("HELPLINE_")}
    env.update({"HELPLINE_DATABASE_URL": url, "HELPLINE_TIMEZONE": "Europe/London", "COLUMNS": "250",
                **(settings or {})})
    result = CliRunner().invoke(app, list(args), env=env)
    return Result(result.exit_code, result.stdout, result.stderr)


def in_db(url: str, work: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run ``work(session)`` in one committed transaction on the test's database."""

    async def go() -> Any:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


@pytest.fixture
def url(tmp_path, sqlite_template) -> str:
    path = tmp_path / "helpline.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


def rows_of(table: str, first_cell: str) -> list[str]:
    return [line for line in table.splitlines() if re.match(rf"│ {re.escape(first_cell)}\b", line)]


# --- agencies -------------------------------------------------------------------------------

def test_agencies_are_added_listed_disabled_and_enabled_and_audited(url):
    marac = run(url, "agencies", "add", "Merseyside MARAC", "--type", "marac", "--channel", "email",
                "--address", "marac@example.org", "--area", "Merseyside")
    iom = run(url, "agencies", "add", "IOM duty officer", "--type", "iom", "--channel", "sms",
              "--address", "+44 7700 900123", "--accepts", "iom", "--accepts", "mappa")
    lead = run(url, "agencies", "add", "Safeguarding lead", "--type", "emergency", "--channel", "telegram",
               "--address", "-1001234567890")
    listing = run(url, "agencies", "list")
    disabled = run(url, "agencies", "disable", "IOM duty officer")
    after = run(url, "agencies", "list")
    everything = run(url, "agencies", "list", "--all")
    enabled = run(url, "agencies", "enable", "IOM duty officer")
    again = run(url, "agencies", "list")

    assert [marac.returncode, iom.returncode, lead.returncode] == [0, 0, 0], marac.stderr + iom.stderr + lead.stderr
    assert "added marac agency Merseyside MARAC (Merseyside)" in marac.stdout
    [marac_row] = rows_of(listing.stdout, "Merseyside MARAC")
    assert "marac@example.org" in marac_row and "MARAC referral" in marac_row, "a type takes its own kind by default"
    [iom_row] = rows_of(listing.stdout, "IOM duty officer")
    assert "+447700900123" in iom_row, "an SMS number is stored in E.164"
    assert "IOM notification, MAPPA notification" in iom_row and "every area" in iom_row
    assert "-1001234567890" in rows_of(listing.stdout, "Safeguarding lead")[0]

    assert disabled.returncode == 0 and "IOM duty officer is disabled" in disabled.stdout
    assert not rows_of(after.stdout, "IOM duty officer") and "1 disabled agency not shown" in after.stdout
    assert rows_of(everything.stdout, "IOM duty officer")[0].rstrip(" │").endswith("no")
    assert enabled.returncode == 0 and rows_of(again.stdout, "IOM duty officer")[0].rstrip(" │").endswith("yes")

    logged = in_db(url, lambda s: audit.entries(s))
    actions = [(e.action, e.actor, e.detail.get("name")) for e in logged if e.action.startswith("agency_")]
    assert actions == [("agency_added", "cli", "Merseyside MARAC"), ("agency_added", "cli", "IOM duty officer"),
                       ("agency_added", "cli", "Safeguarding lead"), ("agency_disabled", "cli", "IOM duty officer"),
                       ("agency_enabled", "cli", "IOM duty officer")]


@pytest.mark.parametrize("options, option, says", [
    (["--type", "police", "--channel", "email", "--address", "a@example.org"], "--type", "safeguarding_children"),
    (["--type", "marac", "--channel", "fax", "--address", "a@example.org"], "--channel", "email, sms, telegram"),
    (["--type", "marac", "--channel", "email", "--address", "marac.example.org"], "--address", "not an e-mail address"),
    (["--type", "iom", "--channel", "sms", "--address", "07700 900123"], "--address", "E.164"),
    (["--type", "iom", "--channel", "sms", "--address", "call the office"], "--address", "E.164"),
    (["--type", "iom", "--channel", "telegram", "--address", "@iom_team"], "--address", "Telegram chat id"),
    (["--type", "iom", "--channel", "email", "--address", "a@example.org", "--accepts", "probation"], "--accepts",
     "not a kind of share"),
])
def test_a_bad_agency_option_is_one_line_naming_it_and_nothing_is_added(url, options, option, says):
    refused = run(url, "agencies", "add", "Team", *options)
    listing = run(url, "agencies", "list", "--all")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith(f"helpline: {option}: "), refused.stderr
    assert says in refused.stderr
    assert "no agencies" in listing.stdout


def test_a_duplicate_or_unknown_agency_is_one_line(url):
    run(url, "agencies", "add", "MARAC", "--type", "marac", "--channel", "email", "--address", "m@example.org")
    duplicate = run(url, "agencies", "add", "MARAC", "--type", "marac", "--channel", "email", "--address", "x@example.org")
    unknown = run(url, "agencies", "disable", "Nobody")
    assert duplicate.returncode == 1 and duplicate.stderr == "helpline: there is already an agency called 'MARAC'\n"
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "no agency called 'Nobody'" in unknown.stderr


# --- referrals ------------------------------------------------------------------------------

PHONE = "+447700900555"


async def _person(session: Any, phone: str = PHONE) -> Person:
    return await people.create_person(session, "phone", phone, datetime(2026, 1, 1, tzinfo=UTC))


async def _referral(session: Any, person: Person, kind: str, agency_id: int | None, proposed: datetime, *,
                    state: str = "proposed", sent: datetime | None = None, acked: datetime | None = None,
                    basis: str | None = None) -> Referral:
    contact = Contact(person_id=person.id, channel="sms", status="closed", urgency="high", opened_at=proposed,
                      last_activity_at=proposed, closed_at=proposed)  # one open contact per person
    session.add(contact)
    await session.flush()
    referral = await referral_store.create(session, contact_id=contact.id, person_id=person.id, kind=kind,
                                           reason="rule", actor="triage", now=proposed, agency_id=agency_id)
    assert referral is not None
    referral_store.set_details(referral, {"victim_name": "Jane Whitlock", "what_happened": "he hit her"})
    referral.criteria = ["visible_high_risk"] if kind == "marac" else []
    if basis == "consent":
        referral.basis = LawfulBasis("consent", "mentor:1", proposed, "ISA 2026", how="said_on_call",
                                     given_at=proposed).check().as_dict()
    elif basis == "no_consent":
        referral.basis = LawfulBasis("no_consent", "mentor:1", proposed, "ISA 2026", reason="serious_harm",
                                     condition="safeguarding").check().as_dict()
    referral.state, referral.sent_at, referral.acknowledged_at = state, sent, acked
    await session.flush()
    return referral


async def _agency(session: Any, name: str, kind: str, **extra: Any) -> int:
    found = await agencies.add_agency(session, kind=kind, area=extra.get("area", "Merseyside"), name=name,
                                      channel="email", address=f"{kind}@example.org",
                                      accepts=extra.get("accepts", [kind]), now=datetime(2026, 1, 1, tzinfo=UTC))
    return found.id


def test_referrals_are_listed_pending_first_in_local_time_without_personal_data(backend):
    url = backend.database_url

    async def seed(session: Any) -> list[int]:
        person = await _person(session)
        marac = await _agency(session, "Merseyside MARAC", "marac")
        iom = await _agency(session, "Merseyside IOM team", "iom")
        done = await _referral(session, person, "marac", marac, datetime(2026, 6, 1, 9, tzinfo=UTC),
                               state="acknowledged", sent=datetime(2026, 6, 1, 10, tzinfo=UTC),
                               acked=datetime(2026, 6, 1, 13, 30, tzinfo=UTC), basis="no_consent")
        waiting_long = await _referral(session, person, "iom", iom, datetime(2026, 7, 1, 11, tzinfo=UTC),
                                       state="sent", sent=datetime(2026, 7, 1, 12, tzinfo=UTC), basis="consent")
        waiting_new = await _referral(session, person, "marac", None, datetime(2026, 7, 2, 8, tzinfo=UTC))
        return [done.id, waiting_long.id, waiting_new.id]

    done, waiting_long, waiting_new = in_db(url, seed)
    listing = run(url, "referrals", "list")
    pending = run(url, "referrals", "list", "--pending")

    assert listing.returncode == 0, listing.stderr
    order = re.findall(r"│ (HL-\d+)", listing.stdout)
    assert order == [f"HL-{waiting_long}", f"HL-{waiting_new}", f"HL-{done}"], "pending first, oldest waiting at the top"
    [iom_row] = rows_of(listing.stdout, f"HL-{waiting_long}")
    assert "IOM notification" in iom_row and "Merseyside IOM team" in iom_row and "sent" in iom_row
    assert "2026-07-01 12:00" in iom_row and "2026-07-01 13:00" in iom_row, "times in the helpline's zone (BST)"
    assert "consent: the person said yes on a call" in iom_row
    [done_row] = rows_of(listing.stdout, f"HL-{done}")
    assert "acknowledged" in done_row and "2026-06-01 14:30" in done_row and "visible_high_risk" in done_row
    assert "shared without consent" in done_row
    assert "no lawful basis recorded" in rows_of(listing.stdout, f"HL-{waiting_new}")[0]
    for private in ("Jane Whitlock", "he hit her", PHONE, "7700900555", "P-"):
        assert private not in listing.stdout, f"{private!r} is personal data"

    assert re.findall(r"│ (HL-\d+)", pending.stdout) == [f"HL-{waiting_long}", f"HL-{waiting_new}"]


# --- people import --------------------------------------------------------------------------

@pytest.fixture
def cohort(url, tmp_path) -> dict[str, Any]:
    """Two people the helpline knows (one by phone, one by Telegram and alias) and three agencies."""

    async def seed(session: Any) -> dict[str, Any]:
        by_phone = await _person(session, "+447700900201")
        by_alias = await people.create_person(session, "telegram", "555001", datetime(2026, 1, 1, tzinfo=UTC))
        return {"by_phone": by_phone.id, "by_alias": by_alias.id, "alias": by_alias.alias,
                "iom": await _agency(session, "Merseyside IOM team", "iom"),
                "marac": await _agency(session, "Merseyside MARAC", "marac"),
                "old": await _agency(session, "Old IOM unit", "iom")}

    found = in_db(url, seed)
    in_db(url, lambda s: agencies.set_active(s, found["old"], False))
    return found


def write(tmp_path, text: str) -> str:
    path = tmp_path / "cohort.csv"
    path.write_text(text)
    return str(path)


def person_of(url: str, person_id: int) -> Person:
    return in_db(url, lambda s: s.get(Person, person_id))


def test_people_import_updates_the_cohort_by_phone_and_by_alias(url, tmp_path, cohort):
    file = write(tmp_path, "phone,alias,case_ref,iom_contact,in_cohort\n"
                           "+44 7700 900201,,IOM-1001,Merseyside IOM team,yes\n"
                           f",{cohort['alias'].lower()},IOM-1002,Merseyside IOM team,\n"
                           "+447700900299,,IOM-1003,Merseyside IOM team,yes\n")
    imported = run(url, "people", "import", file)

    assert imported.returncode == 0, imported.stderr
    assert "2 updated, 0 created, 1 skipped" in imported.stdout
    assert "line 4: no person with that phone" in imported.stdout
    first, second = person_of(url, cohort["by_phone"]), person_of(url, cohort["by_alias"])
    assert (first.iom_cohort, first.iom_case_ref, first.iom_agency_id) == (True, "IOM-1001", cohort["iom"])
    assert (second.iom_cohort, second.iom_case_ref, second.iom_agency_id) == (True, "IOM-1002", cohort["iom"])
    assert "7700" not in imported.output and "900201" not in imported.output, "no phone number is printed"

    leaving = run(url, "people", "import", write(tmp_path, "phone,case_ref,iom_contact,in_cohort\n+447700900201,,,no\n"))
    assert leaving.returncode == 0 and "1 updated" in leaving.stdout
    assert person_of(url, cohort["by_phone"]).iom_cohort is False

    [entry, _] = in_db(url, lambda s: audit.entries(s, "iom_cohort_imported"))
    assert entry.actor == "cli" and (entry.detail["updated"], entry.detail["created"], entry.detail["skipped"]) == (2, 0, 1)
    assert "7700" not in str(entry.detail)


def test_people_import_refuses_a_wrong_agency_by_line_and_changes_nothing(url, tmp_path, cohort):
    file = write(tmp_path, "phone,case_ref,iom_contact\n"
                           "+447700900201,IOM-1001,Merseyside IOM team\n"
                           "+447700900298,IOM-1002,Nowhere IOM\n"
                           "+447700900297,IOM-1003,Merseyside MARAC\n"
                           "+447700900296,IOM-1004,Old IOM unit\n"
                           "07700 900295,IOM-1005,Merseyside IOM team\n")
    refused = run(url, "people", "import", file)

    assert refused.returncode == 1
    assert "line 3: no agency called 'Nowhere IOM'" in refused.stderr
    assert "line 4: 'Merseyside MARAC' does not take IOM notifications" in refused.stderr
    assert "line 5: agency 'Old IOM unit' is disabled" in refused.stderr
    assert "line 6: the phone is not a number in international form" in refused.stderr
    assert "line 2" not in refused.stderr and "nothing imported: 4 line(s) to correct" in refused.stderr
    assert person_of(url, cohort["by_phone"]).iom_cohort is False, "nothing is applied while any line is wrong"
    for digits in ("7700", "900295", "900298"):
        assert digits not in refused.output, "no phone number in any error"


def test_people_import_creates_unknown_people_with_create(url, tmp_path, cohort):
    file = write(tmp_path, "phone,case_ref,iom_contact\n"
                           "+447700900201,IOM-1001,Merseyside IOM team\n"
                           "+31 6 12345678,IOM-2001,Merseyside IOM team\n")
    imported = run(url, "people", "import", file, "--create")

    assert imported.returncode == 0, imported.stderr
    assert "1 updated, 1 created, 0 skipped" in imported.stdout
    created = in_db(url, lambda s: people.find_person(s, "phone", "+31612345678"))
    assert created is not None and created.iom_cohort and created.iom_case_ref == "IOM-2001"
    assert created.iom_agency_id == cohort["iom"]
    assert "612345678" not in imported.output


def test_people_import_names_a_file_without_the_columns(url, tmp_path):
    refused = run(url, "people", "import", write(tmp_path, "name,case_ref\nJoe,IOM-1\n"))
    missing = run(url, "people", "import", str(tmp_path / "nope.csv"))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "phone or an alias column" in refused.stderr
    assert missing.returncode == 2 and "no such file" in missing.stderr


# --- the information sharing report ---------------------------------------------------------

def test_the_sharing_report_shows_each_month_and_the_median_hours_to_acknowledge(backend, tmp_path):
    url = backend.database_url

    async def seed(session: Any) -> None:
        person = await _person(session)
        marac = await _agency(session, "Merseyside MARAC", "marac")
        iom = await _agency(session, "Merseyside IOM team", "iom")
        for day, hours in ((10, 2), (20, 6)):  # March: acknowledged after 2 h and after 6 h
            sent = datetime(2026, 3, day, 10, tzinfo=UTC)
            await _referral(session, person, "marac", marac, sent - timedelta(hours=1), state="acknowledged",
                            sent=sent, acked=sent + timedelta(hours=hours), basis="no_consent")
        sent = datetime(2026, 4, 5, 10, tzinfo=UTC)  # April: one not acknowledged yet
        await _referral(session, person, "iom", iom, sent, state="delivered", sent=sent, basis="consent")
        sent = datetime(2026, 5, 5, 10, tzinfo=UTC)  # after the period
        await _referral(session, person, "iom", iom, sent, state="delivered", sent=sent, basis="consent")

    in_db(url, seed)
    out = tmp_path / "sharing.csv"
    report = run(url, "report", "sharing", "--from", "2026-03-01", "--to", "2026-04-30", "--csv", str(out))

    assert report.returncode == 0, report.stderr
    assert re.search(r"2026-03\s+│\s+2\s+│", report.stdout) and re.search(r"2026-04\s+│\s+1\s+│", report.stdout)
    assert "2026-05" not in report.stdout
    [march] = [line for line in report.stdout.splitlines() if "Merseyside MARAC" in line]
    assert re.search(r"MARAC referral\s+│\s+without consent\s+│\s+2\s+│\s+2\s+│\s+4\s+│", march), march
    assert "3 share(s); 1 not acknowledged" in report.stdout
    assert f"wrote 2 line(s) to {out}" in report.stdout
    assert list(csv.reader(out.open())) == [
        ["month", "agency", "kind", "basis", "shared", "acknowledged", "median_hours_to_ack"],
        ["2026-03", "Merseyside MARAC", "MARAC referral", "without consent", "2", "2", "4.0"],
        ["2026-04", "Merseyside IOM team", "IOM notification", "consent", "1", "0", ""]]


def test_the_sharing_report_covers_the_last_twelve_months_by_default(url):
    from storage.types import utcnow

    now = utcnow()

    async def seed(session: Any) -> None:
        person = await _person(session)
        marac = await _agency(session, "Merseyside MARAC", "marac")
        for sent in (now - timedelta(days=3), now - timedelta(days=400)):
            await _referral(session, person, "marac", marac, sent, state="delivered", sent=sent, basis="no_consent")

    in_db(url, seed)
    report = run(url, "report", "sharing")
    bad = run(url, "report", "sharing", "--from", "2026-05-01", "--to", "2026-04-01")

    assert report.returncode == 0, report.stderr
    assert "1 share(s); 1 not acknowledged" in report.stdout, "the share of 400 days ago is outside the default"
    assert len(re.findall(r"│ \d{4}-\d\d\s+│\s+\d+\s+│", report.stdout)) >= 12, "every month shown, empty ones too"
    assert bad.returncode == 2 and bad.stderr == "helpline: --to: must not be before --from\n"


def test_helpline_report_keeps_its_options_beside_the_sharing_report(url):
    impact = run(url, "report", "--from", "2026-11-01", "--to", "2026-11-30")
    missing = run(url, "report", "--to", "2026-11-30")
    assert impact.returncode == 0 and "Helpline impact 2026-11-01 to 2026-11-30" in impact.stdout, impact.output
    assert missing.returncode == 2 and "Missing option '--from'" in missing.stderr


# --- the demo -------------------------------------------------------------------------------

def test_the_demo_has_agencies_and_an_iom_contact_to_show_referrals_end_to_end(url, tmp_path, sqlite_template):
    """A demo database (here one seeded before agencies existed: the sample's people, no agencies)
    gets the three agencies once; a database of real people never gets them."""
    from bot.demo import ensure_demo
    from escalation.triage.classifier import default_triage
    from storage.models import Mentor

    now = datetime(2026, 11, 23, 12, tzinfo=UTC)

    async def sample(session: Any, alias: str) -> None:
        session.add(Mentor(name="Anne Rowe", role="mentor", languages=["en"], created_at=now))
        session.add_all([Person(alias=alias, language="en", created_at=now, iom_cohort=True, iom_case_ref="IOM-2400"),
                         Person(alias="P-DEMO04", language="en", created_at=now, iom_cohort=True)])
        await session.flush()

    in_db(url, lambda s: sample(s, "P-DEMO00"))
    in_db(url, lambda s: ensure_demo(s, default_triage(), now))
    in_db(url, lambda s: ensure_demo(s, default_triage(), now))
    listing = run(url, "agencies", "list")

    assert "marac@example.org" in rows_of(listing.stdout, "Merseyside MARAC")[0]
    assert "iom@example.org" in rows_of(listing.stdout, "Merseyside IOM team")[0]
    assert "every area" in rows_of(listing.stdout, "Safeguarding lead on call")[0]
    assert listing.stdout.count("example.org") == 3, "seeded once"

    async def linked(session: Any) -> list[tuple[str, str | None]]:
        from sqlalchemy import select

        team = await agencies.by_name(session, "Merseyside IOM team")
        return list((await session.execute(select(Person.alias, Person.iom_case_ref)
                                           .where(Person.iom_agency_id == team.id))).all())

    assert in_db(url, linked) == [("P-DEMO00", "IOM-2400")]

    real = tmp_path / "real.db"
    shutil.copy(sqlite_template, real)
    real_url = f"sqlite+aiosqlite:///{real}"
    in_db(real_url, lambda s: sample(s, "P-7KQ2MD"))
    in_db(real_url, lambda s: ensure_demo(s, default_triage(), now))
    assert "no agencies" in run(real_url, "agencies", "list", "--all").stdout
