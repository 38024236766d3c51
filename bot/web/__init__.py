"""The coordinator dashboard's wiring: templates, the encrypted session cookie, log-in and CSRF
checks on every request, security headers, and the routes of ``handlers.dashboard``."""
