"""Every dashboard URL in one place."""

from __future__ import annotations

from aiohttp import web

from handlers import referral_ack
from handlers.dashboard import (agencies, blocks, contacts, login, mentors, queue, recordings, referrals, reports,
                                rota, simulator, subject_rights, users)


async def _home(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther("/dash")


def add_routes(app: web.Application) -> None:
    r = app.router
    r.add_get("/", _home)
    r.add_get("/dash/login", login.login_page)
    r.add_post("/dash/login", login.login)
    r.add_post("/dash/logout", login.logout)
    r.add_get("/dash", queue.queue_page)
    r.add_get("/dash/queue/rows", queue.queue_rows)
    r.add_get("/dash/contacts", contacts.contact_log_page)
    r.add_get("/dash/contacts.csv", contacts.contact_log_csv)
    r.add_get("/dash/contacts/{contact_id}", contacts.contact_page)
    r.add_post("/dash/contacts/{contact_id}/identity", contacts.link_identity)
    r.add_post("/dash/contacts/{contact_id}/reveal", contacts.reveal_number)
    r.add_post("/dash/contacts/{contact_id}/iom", contacts.set_iom_flag)
    r.add_post("/dash/contacts/{contact_id}/level", contacts.correct_level)
    r.add_post("/dash/contacts/{contact_id}/referrals", referrals.propose)
    r.add_get("/dash/contacts/{contact_id}/calls/{call_id}/recording", recordings.play_recording)
    r.add_get("/dash/people/{person}", subject_rights.person_page)
    r.add_post("/dash/people/{person}/export", subject_rights.export_person)
    r.add_post("/dash/people/{person}/hold", subject_rights.place_hold)
    r.add_post("/dash/people/{person}/hold/release", subject_rights.release_hold)
    r.add_post("/dash/people/{person}/erase", subject_rights.erase_person)
    r.add_get("/dash/blocks", blocks.blocks_page)
    r.add_post("/dash/blocks", blocks.block_person)
    r.add_post("/dash/blocks/{person_id}/lift", blocks.lift_block)
    r.add_get("/dash/rota", rota.rota_page)
    r.add_post("/dash/rota/shifts", rota.add_shift)
    r.add_post("/dash/rota/overrides", rota.add_override)
    r.add_post("/dash/rota/{kind}/{entry_id}/remove", rota.remove_entry)
    r.add_get("/dash/mentors", mentors.mentors_page)
    r.add_post("/dash/mentors", mentors.add_mentor)
    r.add_post("/dash/mentors/{mentor_id}/deactivate", mentors.deactivate_mentor)
    r.add_post("/dash/mentors/{mentor_id}/invite", mentors.invite_mentor)
    r.add_post("/dash/users/{user_id}/disable", users.disable_user)
    r.add_post("/dash/users/{user_id}/enable", users.enable_user)
    r.add_get("/dash/audit", mentors.audit_page)
    r.add_get("/dash/reports", reports.reports_page)
    r.add_get("/dash/reports/sharing", referrals.sharing_page)
    r.add_get("/dash/reports/sharing.csv", referrals.sharing_csv)
    r.add_get("/dash/referrals", referrals.referrals_page)
    r.add_get("/dash/referrals/{referral_id}", referrals.referral_page)
    r.add_post("/dash/referrals/{referral_id}/checklist", referrals.save_checklist)
    r.add_post("/dash/referrals/{referral_id}/draft", referrals.save_draft)
    r.add_post("/dash/referrals/{referral_id}/approve", referrals.approve)
    r.add_post("/dash/referrals/{referral_id}/end", referrals.end)
    r.add_post("/dash/referrals/{referral_id}/acknowledge", referrals.acknowledge)
    r.add_post("/dash/referrals/{referral_id}/send-again", referrals.send_again)
    r.add_get("/dash/agencies", agencies.agencies_page)
    r.add_post("/dash/agencies", agencies.add_agency)
    r.add_post("/dash/agencies/{agency_id}/disable", agencies.disable_agency)
    r.add_post("/dash/agencies/{agency_id}/enable", agencies.enable_agency)
    r.add_get("/dash/outbox", referrals.outbox_page)
    # the agencies' acknowledgement link: public, no log-in, no CSRF (the token is the credential)
    r.add_get("/referrals/ack/{token}", referral_ack.ack_page)
    r.add_post("/referrals/ack/{token}", referral_ack.acknowledge)
    r.add_get("/dash/simulator", simulator.simulator_page)
    r.add_post("/dash/simulator/person", simulator.person_says)
    r.add_post("/dash/simulator/mentor", simulator.mentor_says)
    r.add_post("/dash/simulator/close", simulator.mentor_closes)
    r.add_post("/dash/simulator/call", simulator.person_calls)
    r.add_post("/dash/simulator/answer", simulator.mentor_answers)
