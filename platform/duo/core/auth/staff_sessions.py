"""Staff sessions kept on the server, so that logging out (or anything else) really ends them.

The signed cookie holds ``<user id>:<session key>``; the key's SHA-256 names a
:class:`~duo.core.auth.models.StaffSession` row. A request is let in only while the row is
open, was used less than :data:`IDLE` ago and was opened less than :data:`ABSOLUTE` ago.
Times come from the platform's clock, so tests move it rather than wait.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache
from typing import Any

from flask import g, has_request_context
from sqlalchemy import Row, Select, bindparam, inspect, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from duo.core.auth import events
from duo.core.auth.models import RoleGrant, StaffSession, User
from duo.core.db import db, utcnow

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
#: ``last_seen_at`` is written at most this often (one UPDATE per minute, not per request).
TOUCH_EVERY = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, user_agent: str | None = None) -> str:
    """Open a session for ``user``; return the key for the cookie (never stored as is)."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        StaffSession(
            user_id=user.id,
            key_hash=_hash(key),
            created_at=now,
            last_seen_at=now,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    db.session.flush()
    return key


#: What a request needs of its staff session (not the key's hash or the browser).
_SESSION_COLUMNS = ("id", "user_id", "created_at", "last_seen_at", "ended_at")


@cache
def _session_statement() -> Select:
    """The session, its user and the user's roles, as plain columns: one row per role."""
    sessions, users, roles = StaffSession.__table__, User.__table__, RoleGrant.__table__
    return (
        select(
            *[c.label(f"s_{c.name}") for c in sessions.c if c.name in _SESSION_COLUMNS],
            *[c.label(f"u_{c.name}") for c in users.c],
            *[c.label(f"r_{c.name}") for c in roles.c],
        )
        .select_from(
            sessions.join(users, users.c.id == sessions.c.user_id).outerjoin(
                roles, roles.c.user_id == users.c.id
            )
        )
        .where(sessions.c.key_hash == bindparam("key_hash"))
        .order_by(roles.c.id)
    )


def _persistent(model: type, values: dict) -> Any:
    """The session's object for this row: the one it already holds, or one made from the row.

    Made from the row as a query would make it (loaded, unchanged), without the ORM's
    loading machinery, which cost about a millisecond of every signed-in request.
    """
    key = identity_key(model, values["id"])
    found = db.session.identity_map.get(key)
    if found is not None:  # e.g. expired by a commit: refreshed from the row, as a query would
        for name in inspect(found).expired_attributes & values.keys():
            set_committed_value(found, name, values[name])
        return found
    obj = model(**values)
    make_transient_to_detached(obj)
    db.session.add(obj)
    return obj


def _user_of(rows: list[Row]) -> User:
    first = rows[0]._mapping
    user = _persistent(User, {c.name: first[f"u_{c.name}"] for c in User.__table__.c})
    if "roles" not in inspect(user).unloaded:
        return user  # already in the session, with its roles
    grants = []
    for row in rows:
        values = row._mapping
        if values["r_id"] is not None:
            grant = _persistent(
                RoleGrant, {c.name: values[f"r_{c.name}"] for c in RoleGrant.__table__.c}
            )
            set_committed_value(grant, "user", user)
            grants.append(grant)
    set_committed_value(user, "roles", grants)
    return user


def find(user_id: int, key: str) -> User | None:
    """The user of the open, unexpired session of ``user_id`` with ``key``; touches it.

    None otherwise. One statement for every signed-in request: the session, its user and the
    user's roles (which every access check reads) come back together, as plain rows.
    """
    rows = db.session.connection().execute(_session_statement(), {"key_hash": _hash(key)}).all()
    if not rows:
        return None
    first = rows[0]
    if first.s_user_id != user_id or first.s_ended_at is not None:
        return None
    now = utcnow()
    if now - first.s_last_seen_at > IDLE or now - first.s_created_at > ABSOLUTE:
        row = db.session.get(StaffSession, first.s_id)
        row.ended_at = now
        events.emit(events.SESSION_END, row.user, how="timeout")
        return None
    user = _user_of(rows)
    if now - first.s_last_seen_at > TOUCH_EVERY:
        if has_request_context():
            g.duo_session_touch = (first.s_id, now)  # written after the page's own commit
        else:
            db.session.get(StaffSession, first.s_id).last_seen_at = now
    return user


def touch_after_request() -> None:
    """Write the ``last_seen_at`` that :func:`find` postponed, in a transaction of its own.

    Postponed, because on SQLite several requests of one coordinator (a page and its
    assets, two tabs) would otherwise each turn their read transaction into a write at once,
    and all but one fail with "database is locked". Here it is a short write of its own
    after the page is committed; should it still meet a lock, it is skipped: the next
    request within the minute writes it.
    """
    pending = g.pop("duo_session_touch", None)
    if pending is None:
        return
    row_id, now = pending
    try:
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.id == row_id, StaffSession.ended_at.is_(None))
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except OperationalError:
        db.session.rollback()


def end(key: str) -> None:
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.key_hash == _hash(key), StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_one(user: User, session_id: int) -> bool:
    """End one of ``user``'s own sessions (from their sessions page); False if not theirs."""
    row = db.session.get(StaffSession, session_id)
    if row is None or row.user_id != user.id or row.ended_at is not None:
        return False
    row.ended_at = utcnow()
    return True


def end_all(user: User, *, keep: str | None = None) -> int:
    """End every open session of ``user`` (but ``keep``'s): password or 2FA change, ..."""
    query = update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.ended_at.is_(None)
    )
    if keep:
        query = query.where(StaffSession.key_hash != _hash(keep))
    return db.session.execute(query.values(ended_at=utcnow())).rowcount or 0


def open_sessions(user: User) -> list[StaffSession]:
    now = utcnow()
    rows = db.session.execute(
        select(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .order_by(StaffSession.created_at.desc())
    ).scalars()
    return [r for r in rows if now - r.last_seen_at <= IDLE and now - r.created_at <= ABSOLUTE]


def is_current(row: StaffSession, key: str | None) -> bool:
    return key is not None and row.key_hash == _hash(key)
