"""Outbound senders: one per channel, all behind the same small interface."""
