"""Persistence: SQLAlchemy models and queries, migrations, the outbox and the key-value store.

Nothing here knows about Telegram or Twilio; channels are plain strings.
"""
