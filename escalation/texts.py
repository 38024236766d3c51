"""What the helpline says, in English source form; ``escalation.i18n.translate`` localises it."""

from escalation.i18n import N_

WELCOME = N_(
    "Hello, this is the mentoring helpline. A mentor will answer you here as soon as they can, "
    "day or night. We keep a record of what you send so that mentors can help you; "
    "mentors never see your number. "
    "If your life or someone else's is in danger now, call {emergency_number}."
)

NEW_CONTACT = N_(
    "Thanks for getting in touch again. A mentor will answer you here as soon as they can. "
    "If your life or someone else's is in danger now, call {emergency_number}."
)

EMERGENCY = N_(
    "This is the mentoring helpline. If your life or someone else's is in danger right now, "
    "call {emergency_number} now. A mentor is being alerted now and will answer you here. "
    "You can also call {crisis_line}, free, day or night."
)

GAP_UNTIL = N_(
    "No mentor is on duty right now. A mentor will answer you here from {when}, and the "
    "coordinators have been told you wrote. "
    "If your life or someone else's is in danger now, call {emergency_number}."
)

GAP_UNKNOWN = N_(
    "No mentor is on duty right now. The coordinators have been told you wrote and will answer "
    "as soon as they can. If your life or someone else's is in danger now, call {emergency_number}."
)

CLOSING = N_(
    "Thanks for talking with us. Whenever you need to, just write here again, day or night. "
    "If your life or someone else's is in danger, call {emergency_number}."
)
