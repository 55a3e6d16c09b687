"""Issue, find, use and revoke personal links (domain functions: no request needed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Row, Select, bindparam, or_, select

from duo.core.db import db, utcnow
from duo.core.links.models import PersonalLink
from duo.core.tenancy.context import current_tenant_id
from duo.core.tenancy.scoping import BranchRead

OK = "ok"
WRONG = "wrong"
EXPIRED = "expired"
REVOKED = "revoked"
USED = "used"

#: Longer than any token we make; anything longer is not looked up at all.
MAX_TOKEN_LENGTH = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Lookup:
    """What a token turned out to be: ``status`` and, unless :data:`WRONG`, the link."""

    status: str
    link: PersonalLink | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK


def issue(
    person_id: uuid.UUID,
    object_type: str,
    object_id: uuid.UUID,
    purpose: str,
    *,
    valid_for: timedelta,
    single_use: bool = False,
    by: object | None = None,
    replace: bool = True,
) -> tuple[PersonalLink, str]:
    """A new link for the current branch; returns the row and the token (to mail, once).

    With ``replace`` the person's other live links for the same object and purpose are
    revoked: "send a fresh link" leaves one working link.
    """
    now = utcnow()
    if replace:
        revoke_all(person_id, object_type, object_id, purpose)
    token = secrets.token_urlsafe(32)
    link = PersonalLink(
        person_id=person_id,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        token_hash=_hash(token),
        single_use=single_use,
        created_at=now,
        created_by_user_id=getattr(by, "id", None),
        expires_at=now + valid_for,
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def lookup(token: str, *, purposes: tuple[str, ...] | None = None) -> Lookup:
    """Find ``token`` in the current branch; a token of another branch is :data:`WRONG`."""
    if not token or len(token) > MAX_TOKEN_LENGTH or current_tenant_id() is None:
        return Lookup(WRONG)
    link = db.session.execute(
        select(PersonalLink).where(PersonalLink.token_hash == _hash(token))
    ).scalar_one_or_none()
    if link is None or (purposes is not None and link.purpose not in purposes):
        return Lookup(WRONG)
    now = utcnow()
    if link.revoked_at is not None:
        return Lookup(REVOKED, link)
    if link.single_use and link.used_at is not None:
        return Lookup(USED, link)
    if link.expires_at <= now:
        return Lookup(EXPIRED, link)
    return Lookup(OK, link)


def opened(link: PersonalLink) -> None:
    """Note that the link was opened (shown to the coordinator: "last opened")."""
    link.last_opened_at = utcnow()


def mark_used(link: PersonalLink) -> None:
    """A single-use link was acted upon: from now on it reads as used."""
    link.used_at = utcnow()


def revoke(link: PersonalLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()


def revoke_all(
    person_id: uuid.UUID, object_type: str, object_id: uuid.UUID, purpose: str | None = None
) -> int:
    """Revoke every live link of a person for an object (and purpose); returns how many."""
    stmt = select(PersonalLink).where(
        PersonalLink.person_id == person_id,
        PersonalLink.object_type == object_type,
        PersonalLink.object_id == object_id,
        PersonalLink.revoked_at.is_(None),
    )
    if purpose is not None:
        stmt = stmt.where(PersonalLink.purpose == purpose)
    links = db.session.execute(stmt).scalars().all()
    for link in links:
        revoke(link)
    return len(links)


def _live() -> Select:
    return (
        select(
            PersonalLink.id,
            PersonalLink.person_id,
            PersonalLink.purpose,
            PersonalLink.expires_at,
            PersonalLink.last_opened_at,
        )
        .where(
            PersonalLink.object_type == bindparam("object_type"),
            PersonalLink.object_id == bindparam("object_id", type_=PersonalLink.object_id.type),
            PersonalLink.revoked_at.is_(None),
            PersonalLink.expires_at > bindparam("now", type_=PersonalLink.expires_at.type),
            or_(PersonalLink.single_use.is_(False), PersonalLink.used_at.is_(None)),
        )
        .order_by(PersonalLink.created_at)
    )


#: The coordinator's pages ask on every visit: built once per branch.
_LIVE = BranchRead(_live)


def live_links(object_type: str, object_id: uuid.UUID) -> list[Row]:
    """The object's links that still work (for the coordinator's page), as rows of their
    id, person, purpose, expiry and last opening: the page counts them, never changes them."""
    return list(_LIVE(object_type=object_type, object_id=object_id, now=utcnow()))
