"""Referrals: sharing risk with MARAC, IOM and safeguarding contacts, lawfully and on record.

Channel-free, like the rest of ``escalation``: agencies are reached through the outbox (e-mail,
SMS or Telegram, by ``bot.senders``); every step is an event on the contact and an audit entry."""
