"""Wiring of the helpline: settings, server, channels, senders and the command line."""

__version__ = "0.1.0"
