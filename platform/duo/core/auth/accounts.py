"""Operations on staff accounts (used by the views, the CLI, the demo seed and tests).

Every change that must end a user's sessions (password, two-factor setting, deactivation)
ends them here, so no caller can forget it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from duo.core.auth import events, staff_sessions, twofactor
from duo.core.auth.models import COORDINATOR, HQ, RoleGrant, User
from duo.core.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
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
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise AccountError(problem)
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


def set_password(
    user: User,
    password: str,
    *,
    keep_session: str | None = None,
    by: User | None = None,
    reset: bool = False,
) -> None:
    """A new password; every session of the user ends (but ``keep_session``, the caller's).

    ``by`` is who did it (None: an operator); ``reset`` says it came by a reset link. Both
    go to the audit log.
    """
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_urlsafe(24)
    user.password_changed_at = utcnow()
    ended = staff_sessions.end_all(user, keep=keep_session)
    action = events.PASSWORD_RESET if reset else events.PASSWORD_CHANGE
    events.emit(action, user, actor=by, sessions_ended=ended)


def deactivate(user: User, *, by: User | None = None) -> None:
    """The account can no longer log in, and its open sessions end now."""
    user.active = False
    user.session_token = secrets.token_urlsafe(24)
    ended = staff_sessions.end_all(user)
    events.emit(events.ACCOUNT_DEACTIVATE, user, actor=by, sessions_ended=ended)


def reset_two_factor(user: User, *, by: User | None = None) -> None:
    """Forget the user's authenticator and recovery codes; the next login enrols again."""
    twofactor.disable(user)
    user.session_token = secrets.token_urlsafe(24)
    ended = staff_sessions.end_all(user)
    events.emit(events.TWO_FACTOR_RESET, user, actor=by, sessions_ended=ended)


def enrol_two_factor(user: User, secret: str | None = None) -> tuple[str, list[str]]:
    """Enrol without the login pages (the demo seed, tests): (secret, recovery codes)."""
    secret = secret or twofactor.new_secret()
    return secret, twofactor.enable(user, secret)


def all_users() -> list[User]:
    return list(db.session.execute(select(User).order_by(User.email)).scalars())


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def coordinators_of(tenant_id: int) -> list[User]:
    """The coordinators of a branch, by name: who may attend a meeting it plans."""
    return list(
        db.session.execute(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == COORDINATOR, RoleGrant.tenant_id == tenant_id)
            .order_by(User.name)
            .options(lazyload(User.roles))  # the names are shown; their roles are not read
        ).scalars()
    )


def attending_coordinator(choice: str | None, tenant_id: int) -> int | None:
    """The id chosen in a meeting form's coordinator list, if they coordinate the branch."""
    ids = {str(u.id) for u in coordinators_of(tenant_id)}
    return int(choice) if choice in ids else None
