"""HQ API tokens: made once, shown once, kept hashed, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.reporting.models import HqApiToken

PREFIX = "duohq_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(name: str) -> tuple[HqApiToken, str]:
    """A new token named ``name``; returns the row and the token (never stored as such)."""
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    if db.session.execute(select(HqApiToken.id).where(HqApiToken.name == name)).first():
        raise ValueError(f"a token named {name!r} exists already")
    token = PREFIX + secrets.token_urlsafe(32)
    row = HqApiToken(name=name, token_hash=_hash(token))
    db.session.add(row)
    db.session.flush()
    return row, token


def check(token: str | None) -> HqApiToken | None:
    """The live token matching ``token``, or None."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    digest = _hash(token)
    row = db.session.execute(
        select(HqApiToken).where(HqApiToken.token_hash == digest)
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, digest):
        return None
    row.last_used_at = utcnow()
    return row


def revoke(name: str) -> bool:
    row = db.session.execute(select(HqApiToken).where(HqApiToken.name == name)).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True
