"""Demo data never goes into a production installation.

A configuration counts as production when any of these holds: ``DUO_ENV`` is
``production``; ``DUO_PUBLIC_URL`` points at a host that is not this machine; session cookies
are marked secure (``SESSION_COOKIE_SECURE``, only set behind HTTPS). ``duo setup`` then
refuses to seed demo people and logins (``--no-demo`` runs the rest), and so does
``duo demo seed``.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}


def production_reasons(app: Flask) -> list[str]:
    """Why this configuration looks like production (empty: it does not)."""
    reasons = []
    if (os.environ.get("DUO_ENV") or "").strip().lower() == "production":
        reasons.append("DUO_ENV=production")
    host = urlsplit(app.config.get("DUO_PUBLIC_URL") or "").hostname or ""
    if host not in LOCAL_HOSTS:
        reasons.append(f"DUO_PUBLIC_URL points at {host}")
    if app.config.get("SESSION_COOKIE_SECURE"):
        reasons.append("SESSION_COOKIE_SECURE is on")
    return reasons
