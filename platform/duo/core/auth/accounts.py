"""Operations on staff accounts (used by the CLI, the demo seed and tests)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from functools import cache

from sqlalchemy import func, select

from duo.core.auth.models import COORDINATOR, HQ, RoleGrant, User
from duo.core.auth.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from duo.core.db import db, utcnow
from duo.core.emails import is_email
from duo.core.tenancy.models import Tenant


class AccountError(ValueError):
    pass


def find_user(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    branches: Sequence[str] = (),
    hq: bool = False,
    locale: str | None = None,
) -> User:
    """Create a staff user with coordinator roles for ``branches`` (slugs) and/or HQ."""
    email = email.strip()
    if not is_email(email):
        raise AccountError(f"not an e-mail address: {email!r}")
    if len(password) < MIN_LENGTH:
        raise AccountError(f"password must have at least {MIN_LENGTH} characters")
    if find_user(email) is not None:
        raise AccountError(f"a user with e-mail {email} already exists")
    if not branches and not hq:
        raise AccountError("give at least one branch or the HQ role")
    user = User(email=email, name=name, password_hash=hash_password(password), locale=locale)
    for slug in branches:
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none()
        if tenant is None:
            raise AccountError(f"unknown branch: {slug}")
        user.roles.append(RoleGrant(role=COORDINATOR, tenant_id=tenant.id))
    if hq:
        user.roles.append(RoleGrant(role=HQ))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None or not user.active:
        # Spend the same time as a real check so response time does not reveal accounts.
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError(f"password must have at least {MIN_LENGTH} characters")
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_urlsafe(24)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))
