"""The TwiML the helpline answers calls with, built with the ``twilio`` library's VoiceResponse.

Pure functions of what the domain decided: no database, no request. Every prompt is said in
the caller's language (Twilio's voices by locale); what a mentor hears is English.
"""

from __future__ import annotations

from urllib.parse import urlencode

from twilio.twiml.voice_response import Gather, VoiceResponse

from escalation import texts
from escalation.i18n import translate

VOICES = {"en": "en-GB", "nl": "nl-NL", "it": "it-IT"}
KEY_WAIT_SECONDS = 8  # for a caller's or a mentor's key press


def url(base: str, path: str, **query: object) -> str:
    return f"{base}{path}" + (f"?{urlencode(query)}" if query else "")


def say(response: VoiceResponse | Gather, text: str, language: str = "en") -> None:
    response.say(text, language=VOICES.get(language, "en-GB"))


def language_choice(languages: tuple[str, ...], action: str) -> str:
    """"For English, press 1. Voor Nederlands, druk op 2. ...", each in its own language; no
    key goes on in the language the caller's number suggests."""
    response = VoiceResponse()
    say(response, translate(texts.CALL_HELLO, languages[0]), languages[0])
    gather = Gather(num_digits=1, timeout=KEY_WAIT_SECONDS, action=action, method="POST")
    for key, language in enumerate(languages, start=1):
        say(gather, translate(texts.CALL_CHOOSE, language, key=key), language)
    response.append(gather)
    response.redirect(action, method="POST")
    return str(response)


def greeting(language: str, emergency_number: str, dial: str, hello: bool = True) -> str:
    """Hello, the emergency number first (a caller in danger must not wait for a mentor),
    then on to the first mentor."""
    response = VoiceResponse()
    if hello:
        say(response, translate(texts.CALL_HELLO, language), language)
    say(response, translate(texts.CALL_DANGER, language, emergency_number=emergency_number), language)
    say(response, translate(texts.CALL_CONNECTING, language), language)
    response.redirect(dial, method="POST")
    return str(response)


def dial(language: str, caller_id: str, phone: str, ring_seconds: int, action: str, whisper: str,
         hold: bool) -> str:
    """Ring one mentor, with the helpline's number as caller id; the whisper asks them to press 1
    before the caller is connected. Between legs the caller hears a holding message, not silence."""
    response = VoiceResponse()
    if hold:
        say(response, translate(texts.CALL_HOLD, language), language)
    leg = response.dial(caller_id=caller_id, timeout=ring_seconds, action=action, method="POST")
    leg.number(phone, url=whisper, method="POST")
    return str(response)


def voicemail(language: str, emergency_number: str, max_seconds: int, action: str, recording: str,
              transcription: str | None) -> str:
    """The voicemail, with a transcription asked for when ``transcription`` (its callback) is given."""
    response = VoiceResponse()
    say(response, translate(texts.CALL_VOICEMAIL, language), language)
    say(response, translate(texts.CALL_DANGER, language, emergency_number=emergency_number), language)
    words = {"transcribe": True, "transcribe_callback": transcription} if transcription else {}
    response.record(max_length=max_seconds, play_beep=True, recording_status_callback=recording,
                    recording_status_callback_method="POST", action=action, method="POST", **words)
    return str(response)


def thanks(language: str) -> str:
    response = VoiceResponse()
    say(response, translate(texts.CALL_THANKS, language), language)
    response.hangup()
    return str(response)


def spelt(alias: str) -> str:
    """An alias as a voice says it, so that it can be written down: "P 7 K Q 2 M D"."""
    return " ".join(alias.replace("-", ""))


def _key_prompt(text: str, action: str, no_key: str) -> str:
    """Said twice while waiting for one key; with none, ``no_key`` and the call hangs up."""
    response = VoiceResponse()
    gather = Gather(num_digits=1, timeout=KEY_WAIT_SECONDS, action=action, method="POST")
    say(gather, text)
    say(gather, text)
    response.append(gather)
    say(response, no_key)
    response.hangup()
    return str(response)


def whisper(text: str, action: str) -> str:
    """To the mentor who picked up: who is calling; 1 takes it. No key (their voicemail picked
    up, or they did not hear) hangs up this leg, so the next one rings."""
    return _key_prompt(text, action, "Not taken. Goodbye.")


def connect(text: str) -> str:
    """The mentor pressed 1: a word, then the end of the whisper connects the two calls."""
    response = VoiceResponse()
    say(response, text)
    return str(response)


def ask_key(text: str, action: str) -> str:
    """An alert that wakes a mentor: the card in words, and 1 or 2."""
    return _key_prompt(text, action, "No key pressed. The alert is still open on your phone. Goodbye.")


def spoken(text: str, then_hang_up: bool = True) -> str:
    response = VoiceResponse()
    say(response, text)
    if then_hang_up:
        response.hangup()
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)


def empty() -> str:
    return str(VoiceResponse())


def fallback_dial(emergency_number: str, caller_id: str, phone: str, ring_seconds: int) -> str:
    """The fallback URL's answer: the emergency number, then straight to the on-call primary
    known from memory (no whisper: the server that would answer it is what failed)."""
    response = VoiceResponse()
    say(response, translate(texts.CALL_DANGER, "en", emergency_number=emergency_number))
    say(response, translate(texts.CALL_CONNECTING, "en"))
    response.dial(phone, caller_id=caller_id, timeout=ring_seconds)
    say(response, "Nobody could answer just now. Please text this number and a mentor will answer you.")
    return str(response)
