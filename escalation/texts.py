"""What the helpline says, in English source form; ``escalation.i18n.translate`` localises it.

The first reply of a contact is built from pieces (who we are, what happens next at this hour,
the safety question, the emergency number), so that it never promises what is not happening.
The reply words (NOW / WAIT, NU / WACHT, ORA / ASPETTA) are part of each translation.
"""

from escalation.i18n import N_

WELCOME = N_(
    "Hello, this is the mentoring helpline. We keep a record of what you send so that mentors "
    "can help you; mentors never see your number."
)

RETURNING = N_("Thanks for getting in touch again.")

TOLD = N_("The mentor on call has been told you wrote.")

TOLD_GAP_UNTIL = N_(
    "No mentor is on duty right now: the coordinators have been told you wrote, and a mentor "
    "will answer you here from {when}."
)

TOLD_GAP = N_(
    "No mentor is on duty right now: the coordinators have been told you wrote and will answer "
    "as soon as they can."
)

ASK_SMS = N_("Are you safe right now? Reply NOW if you need someone now, or WAIT if it can wait.")

ASK_SMS_UNTIL = N_(
    "Are you safe right now? Reply NOW if you need someone now, or WAIT if it can wait until {when}."
)

ASK_TELEGRAM = N_("Are you safe right now? Tap a button below, or write NOW if you need someone now.")

ASK_TELEGRAM_UNTIL = N_(
    "Are you safe right now? If it can wait, a mentor will answer you here from {when}. "
    "Tap a button below, or write NOW if you need someone now."
)

DANGER = N_("If your life or someone else's is in danger, call {emergency_number}.")

BUTTON_NOW = N_("I need someone now")

BUTTON_WAIT = N_("I'm safe, it can wait")

EMERGENCY = N_(
    "This is the mentoring helpline. If your life or someone else's is in danger right now, "
    "call {emergency_number} now. A mentor is being alerted now and will answer you here. "
    "You can also call {crisis_line}, free, day or night."
)

EMERGENCY_GAP_UNTIL = N_(
    "This is the mentoring helpline. If your life or someone else's is in danger right now, "
    "call {emergency_number} now. No mentor is on duty right now: the coordinators have been "
    "told, and a mentor will answer you here from {when}. You can also call {crisis_line}, free, "
    "day or night."
)

EMERGENCY_GAP = N_(
    "This is the mentoring helpline. If your life or someone else's is in danger right now, "
    "call {emergency_number} now. No mentor is on duty right now: the coordinators have been "
    "told and will answer as soon as they can. You can also call {crisis_line}, free, day or night."
)

GAP_UNTIL = N_(
    "No mentor is on duty right now. A mentor will answer you here from {when}, and the "
    "coordinators have been told you wrote. Reply NOW if you need someone now. "
    "If your life or someone else's is in danger now, call {emergency_number}."
)

GAP_UNKNOWN = N_(
    "No mentor is on duty right now. The coordinators have been told you wrote and will answer "
    "as soon as they can. Reply NOW if you need someone now. "
    "If your life or someone else's is in danger now, call {emergency_number}."
)

WAIT_UNTIL = N_(
    "Thank you. A mentor will answer you here from {when}. If that changes, reply NOW at any "
    "time. If your life or someone else's is in danger, call {emergency_number}."
)

WAIT_SOON = N_(
    "Thank you. A mentor will answer you here as soon as they can. If that changes, reply NOW "
    "at any time."
)

MORE_TOLD = N_(
    "Your mentor has not been able to answer yet, so more of the team have been told. Someone "
    "will answer you here. If your life or someone else's is in danger, call {emergency_number}."
)

CLOSING = N_(
    "Thanks for talking with us. Whenever you need to, just write here again, day or night. "
    "If your life or someone else's is in danger, call {emergency_number}."
)

# --- said to a caller (Twilio <Say>, in the caller's language) ---------------------------------

CALL_HELLO = N_("Hello, this is the mentoring helpline.")

CALL_CHOOSE = N_("For English, press {key}.")

CALL_DANGER = N_("If you are in danger now, hang up and call {emergency_number}.")

CALL_CONNECTING = N_("We are putting you through to a mentor. Please stay on the line.")

CALL_HOLD = N_("We are still trying to reach a mentor for you. Please stay on the line.")

CALL_VOICEMAIL = N_(
    "Nobody could answer just now. Please leave a message after the tone, then hang up. A mentor "
    "will be told at once and will get back to you."
)

CALL_THANKS = N_("Thank you. A mentor has been told, and will get back to you by text message.")

# SMS STOP / START (escalation/data/opt_out_words.txt): the helpline's own confirmation
OPTED_OUT = N_(
    "You will get no more texts from the helpline. If you write to us, we will still answer. To "
    "get texts again, send START. If your life or someone else's is in danger, call {emergency_number}."
)

OPTED_IN = N_(
    "You will get texts from the helpline again. To stop them, send STOP. If your life or someone "
    "else's is in danger, call {emergency_number}."
)

# The privacy notice (escalation/privacy.py): after a new person's first reply, never before the
# safety question; the full text is a data file per language (data/privacy_<language>.txt)
PRIVACY_NOTICE_SMS = N_(
    "About your privacy: we keep what you send, your number and who helped you for {months} months "
    "after the conversation ends. Mentors never see your number. We share it without asking you "
    "only if a life is at risk or to keep a child or an adult at risk safe. Reply PRIVACY for the "
    "full text."
)

PRIVACY_NOTICE_TELEGRAM = N_(
    "About your privacy: we keep what you send and who helped you for {months} months after the "
    "conversation ends. Mentors never see your number. We share it without asking you only if a "
    "life is at risk or to keep a child or an adult at risk safe. Tap the button below, or write "
    "PRIVACY, for the full text."
)

BUTTON_PRIVACY = N_("Your privacy")
