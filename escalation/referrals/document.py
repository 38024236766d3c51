"""The referral document: what an agency receives, as plain text and as HTML.

Only what the agency needs, following the SafeLives MARAC referral form as a guide. Message
transcripts are never included: the referrer writes what happened, and may quote on purpose.
A phone number appears only when the person said this number is a safe way to call back."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from escalation.referrals import dash
from escalation.referrals.sharing import describe, share_kinds, share_label

Section = tuple[str, list[tuple[str, str]]]

CALLBACK_SAFE = {"this_number_message_ok": "yes, messages may be left",
                 "this_number_no_message": "yes, but do NOT leave messages"}


@dataclass(frozen=True)
class Facts:
    """Everything the document may say, gathered by the workflow from storage."""

    reference: str  # HL-12
    kind: str
    helpline: str
    agency: str
    referrer: str
    approved_by: str | None
    sent_on: str
    alias: str
    language: str
    level: str
    categories: tuple[str, ...]
    criteria: tuple[str, ...]
    answers: dict[str, str]
    details: dict[str, str]
    basis: dict[str, object] | None
    safe_number: str | None  # only when the person said it is safe
    iom_case_ref: str | None
    ack_link: str | None
    ack_code: str | None


def sections(facts: Facts) -> list[Section]:
    d = facts.details
    found: list[Section] = [
        ("Referral", [("Type", share_label(facts.kind)), ("Reference", facts.reference), ("To", facts.agency),
                      ("From", f"{facts.helpline}: {facts.referrer}"),
                      ("Approved by", facts.approved_by or "not needed (emergency)"), ("Sent", facts.sent_on)]),
        ("The person", [("Helpline reference", facts.alias), ("Name as given", d.get("person_name", "")),
                        ("Role", d.get("role", "")), ("Language", facts.language),
                        ("Interpreter needed", d.get("interpreter", "")),
                        ("IOM case reference", facts.iom_case_ref or "")]),
    ]
    if facts.kind != "emergency":
        found.append(("Safe contact", _safe_contact(facts)))
    if facts.kind in ("marac", "safeguarding_children", "safeguarding_adults"):
        found.append(("Other party and household", [
            ("Other party (what is known)", d.get("other_party", "")), ("Relationship", d.get("relationship", "")),
            ("Children in the household", d.get("children", ""))]))
    found.append(("Risk", _risk(facts)))
    if facts.kind == "marac" and facts.answers:
        found.append(("Dash risk checklist", _answers(facts.answers)))
    found.append(("What happened", [("What happened and when", d.get("what_happened", "")),
                                     ("Action asked of you", d.get("ask", ""))]))
    found.append(("Consent and lawful basis", [("The person knows of this referral", d.get("person_knows", "")),
                                                ("Lawful basis", describe(facts.basis)),
                                                ("Information sharing agreement",
                                                 str((facts.basis or {}).get("agreement", "")))]))
    kept = [(title, [(k, v) for k, v in rows if v]) for title, rows in found]
    return [(title, rows) for title, rows in kept if rows]


def _safe_contact(facts: Facts) -> list[tuple[str, str]]:
    before = facts.answers
    callback = before.get("safe_callback", "not_known")
    number = facts.safe_number if callback in CALLBACK_SAFE else None
    return [("Safe to talk when asked", before.get("safe_to_talk", "not asked").replace("_", " ")),
            ("Safe number to call back", f"{number} ({CALLBACK_SAFE[callback]})" if number
             else "none known: contact the person through the helpline"),
            ("Helpline contact for this referral", facts.helpline)]


def _risk(facts: Facts) -> list[tuple[str, str]]:
    rows = [("Urgency at the helpline", facts.level),
            ("Risk categories", ", ".join(c.replace("_", " ") for c in facts.categories))]
    if facts.criteria:
        rows.append(("Criteria met", ", ".join(c.replace("_", " ") for c in facts.criteria)))
    if facts.kind == "marac" and facts.answers:
        assessment = dash.score({k: v for k, v in facts.answers.items() if k in _keys()})
        rows.append(("Checklist", dash.summary(assessment)))  # with the red flags answered yes
    if facts.details.get("judgement_reason"):
        rows.append(("Professional judgement", facts.details["judgement_reason"]))
    return rows


def _keys() -> set[str]:
    return {q.key for q in dash.questions()}


def _answers(answers: dict[str, str]) -> list[tuple[str, str]]:
    return [(f"{q.number}. {q.text}", answers.get(q.key, "not asked").replace("_", " "))
            for q in dash.form_order()]


def subject(facts: Facts) -> str:
    """The agreed subject line of the kind of share (``data/sharing.json``): an emergency says so."""
    said = share_kinds().get(facts.kind, {}).get("subject") or share_label(facts.kind)
    return f"[{facts.reference}] {said} from {facts.helpline} ({facts.alias})"


def acknowledge_lines(facts: Facts) -> list[str]:
    lines = []
    if facts.ack_link:
        lines.append(f"Please acknowledge receipt: {facts.ack_link}")
    if facts.ack_code:
        lines.append(f"Or reply ACK {facts.ack_code} by text or Telegram from this contact.")
    return lines


def as_text(facts: Facts) -> str:
    out = [subject(facts), ""]
    for title, rows in sections(facts):
        out += [title.upper()] + [f"  {k}: {v}" for k, v in rows] + [""]
    return "\n".join(out + acknowledge_lines(facts)).strip() + "\n"


def as_html(facts: Facts) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(subject(facts))}</title></head><body>",
             f"<h1>{escape(share_label(facts.kind))}</h1>"]
    for title, rows in sections(facts):
        parts.append(f"<h2>{escape(title)}</h2><table>")
        parts += [f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
    parts += [f"<p>{linked(line)}</p>" for line in acknowledge_lines(facts)]
    return "".join(parts) + "</body></html>"


def linked(line: str) -> str:
    head, sep, url = line.rpartition(": ")
    if sep and url.startswith("http"):
        return f"{escape(head)}: <a href='{escape(url, quote=True)}'>{escape(url)}</a>"
    return escape(line)


def cover_note(facts: Facts) -> str:
    """The e-mail's own text: the document is attached, and the note says how to acknowledge."""
    return "\n".join([f"{share_label(facts.kind)} {facts.reference} from {facts.helpline}.",
                      "The referral is attached. It holds personal data: keep it within the sharing agreement.",
                      "", *acknowledge_lines(facts)]) + "\n"
