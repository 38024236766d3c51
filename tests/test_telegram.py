"""Telegram in through the webhook and by polling, replies out through the Bot API fake."""

from __future__ import annotations

import json

from storage.models import Message, OutboxItem
from tests.conftest import eventually, helpline_settings, privacy_notice
from tests.db_queries import rows, summary

CHAT = 424242


async def test_webhook_message_is_stored_and_welcomed(backend, sessions, fake_bot, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None))

    response = await helpline.telegram(fake_bot.message_update(CHAT, "can someone call me back"))

    assert response.status == 200
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 1, "outbox": 2}
    assert (await rows(sessions, Message, Message.direction == "in"))[0].body == "can someone call me back"
    await eventually(lambda: len(fake_bot.sent()) == 2)
    welcome, notice = fake_bot.sent()
    assert welcome["chat_id"] == CHAT
    assert "mentoring helpline" in welcome["text"] and "999" in welcome["text"]
    assert "Are you safe right now?" in welcome["text"] and "privacy" not in welcome["text"].lower()
    assert notice["chat_id"] == CHAT and notice["text"] == privacy_notice(telegram=True), "after the question"


async def test_start_up_registers_the_webhook_with_its_secret(backend, fake_bot, start_helpline):
    await start_helpline(helpline_settings(backend, fake_bot, None))

    [webhook] = fake_bot.sent("setWebhook")
    assert webhook["url"] == "https://helpline.test/telegram/webhook"
    assert webhook["secret_token"] == "test-webhook-secret-0123456789"


async def test_wrong_or_missing_secret_is_403_and_stores_nothing(backend, sessions, fake_bot, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None))
    update = fake_bot.message_update(CHAT, "hello")

    missing = await helpline.telegram(update, secret=None)
    wrong = await helpline.telegram(update, secret="guessed")

    assert (missing.status, wrong.status) == (403, 403)
    assert (await summary(sessions))["messages_in"] == 0


async def test_malformed_update_is_400_and_oversize_is_413(backend, sessions, fake_bot, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None, max_webhook_bytes=4096))
    headers = {"X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret-0123456789",
               "Content-Type": "application/json"}

    not_json = await helpline.client.post("/telegram/webhook", data=b"{not json", headers=headers)
    no_update_id = await helpline.client.post("/telegram/webhook", data=b'{"message": {}}', headers=headers)
    oversize = await helpline.telegram(fake_bot.message_update(CHAT, "x" * 5000))

    assert (not_json.status, no_update_id.status, oversize.status) == (400, 400, 413)
    assert (await summary(sessions))["messages_in"] == 0


async def test_a_retried_update_stores_one_message_and_sends_one_reply(backend, sessions, fake_bot, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None))
    update = fake_bot.message_update(CHAT, "anyone there?")

    assert (await helpline.telegram(update)).status == 200
    assert (await helpline.telegram(json.loads(json.dumps(update)))).status == 200

    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 1, "outbox": 1}
    await eventually(lambda: len(fake_bot.sent()) == 1)
    await eventually(lambda: _all_sent(sessions))
    assert len(fake_bot.sent()) == 1


async def _all_sent(sessions) -> bool:
    items = await rows(sessions, OutboxItem)
    return bool(items) and all(i.status == "sent" for i in items)


async def test_webhook_answers_500_until_the_update_is_stored(backend, sessions, fake_bot, start_helpline, monkeypatch):
    """A 200 always means stored: when intake fails, Telegram is told to deliver again."""
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None))
    update = fake_bot.message_update(CHAT, "please help")
    real_store = helpline.services.intake._store

    async def broken_store(message):
        raise ConnectionError("database went away")

    monkeypatch.setattr(helpline.services.intake, "_store", broken_store)
    failed = await helpline.telegram(update)
    monkeypatch.setattr(helpline.services.intake, "_store", real_store)
    retried = await helpline.telegram(update)

    assert (failed.status, retried.status) == (500, 200)
    assert (await summary(sessions))["messages_in"] == 1


async def test_polling_mode_takes_messages_too(backend, sessions, fake_bot, start_helpline):
    await start_helpline(helpline_settings(backend, fake_bot, None, telegram_mode="polling",
                                           telegram_webhook_secret=None))

    fake_bot.queue_update(fake_bot.message_update(CHAT, "texting from polling"))

    await eventually(lambda: len(fake_bot.sent()) == 2)
    welcome, notice = fake_bot.sent()
    assert welcome["chat_id"] == CHAT and "Are you safe right now?" in welcome["text"]
    assert notice["chat_id"] == CHAT and notice["text"] == privacy_notice(telegram=True)
    assert fake_bot.sent("deleteWebhook"), "polling must clear any webhook first"
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 1, "outbox": 2}


async def test_flood_control_retry_after_is_honoured(backend, sessions, fake_bot, start_helpline):
    fake_bot.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None))

    await helpline.telegram(fake_bot.message_update(CHAT, "hi"))

    await eventually(lambda: _all_sent(sessions), seconds=15)
    attempts = [c for c in fake_bot.calls if c.method == "sendMessage"]
    assert len(attempts) == 3  # the welcome twice, then the privacy notice after it
    item, notice = await rows(sessions, OutboxItem)
    assert item.attempts == 1 and item.sent_at is not None  # a flood-control wait is not a failed try
    assert (item.sent_at - item.created_at).total_seconds() >= 1.0
    assert notice.body == privacy_notice(telegram=True) and notice.attempts == 1
    assert notice.sent_at >= item.sent_at, "the wait held the notice back too: it never overtakes"


async def test_media_without_text_is_stored_with_a_marker(backend, sessions, fake_bot, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None))
    update = fake_bot.message_update(CHAT, "")
    del update["message"]["text"]
    update["message"]["voice"] = {"file_id": "AwAD", "file_unique_id": "u1", "duration": 4}

    assert (await helpline.telegram(update)).status == 200
    assert (await rows(sessions, Message, Message.direction == "in"))[0].body == "[voice message]"


async def test_polling_retries_an_update_whose_storing_failed(backend, sessions, fake_bot, start_helpline, monkeypatch):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None, telegram_mode="polling",
                                                      telegram_webhook_secret=None))
    real_store = helpline.services.intake._store
    calls = []

    async def flaky_store(message):
        calls.append(message.provider_message_id)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        return await real_store(message)

    monkeypatch.setattr(helpline.services.intake, "_store", flaky_store)
    fake_bot.queue_update(fake_bot.message_update(CHAT, "first try fails"))

    await eventually(lambda: len(fake_bot.sent()) == 2)
    assert len(calls) == 2
    assert (await summary(sessions))["messages_in"] == 1
    welcome, notice = fake_bot.sent()  # answered once: the welcome and the privacy notice after it
    assert "Are you safe right now?" in welcome["text"] and notice["text"] == privacy_notice(telegram=True)
