"""Inbound edges: provider payloads in, domain calls, provider-shaped answers out."""
