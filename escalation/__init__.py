"""The domain: intake, triage, rota, routing, the escalation chain and referrals.

Nothing here imports Telegram, Twilio or aiohttp; channels are names, and sending goes through
the outbox or a notifier interface.
"""
