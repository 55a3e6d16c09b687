"""The branch's sessions and registrations as the coordinator pages and the sign-up read them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from duo.core.db import db, utcnow
from duo.sessions.models import ACTIVE, InfoSession, Registration, audiences_for_role


def get_session(session_id: uuid.UUID) -> InfoSession | None:
    return db.session.execute(
        select(InfoSession).where(InfoSession.id == session_id)
    ).scalar_one_or_none()


def lock_session(session_id: uuid.UUID) -> InfoSession | None:
    """The session row, locked until the transaction ends (PostgreSQL; SQLite serialises
    writers anyway), so that seats are counted by one sign-up at a time."""
    return db.session.execute(
        select(InfoSession)
        .where(InfoSession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def upcoming(now: Any) -> tuple:
    """What makes a session upcoming and still on: after ``now`` (a time, or a
    ``bindparam`` in a statement built once), not cancelled."""
    return (InfoSession.starts_at > now, InfoSession.cancelled_at.is_(None))


def upcoming_sessions(
    now: datetime | None = None, *, role: str | None = None, include_cancelled: bool = False
) -> list[InfoSession]:
    after, not_cancelled = upcoming(now or utcnow())
    stmt = select(InfoSession).where(after)
    if not include_cancelled:
        stmt = stmt.where(not_cancelled)
    if role is not None:
        stmt = stmt.where(InfoSession.audience.in_(audiences_for_role(role)))
    return list(db.session.execute(stmt.order_by(InfoSession.starts_at, InfoSession.id)).scalars())


def past_sessions(now: datetime | None = None, limit: int = 100) -> list[InfoSession]:
    stmt = (
        select(InfoSession)
        .where(InfoSession.starts_at <= (now or utcnow()))
        .order_by(InfoSession.starts_at.desc(), InfoSession.id)
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())


def registrations_of(session: InfoSession, statuses: Iterable[str] = ACTIVE) -> list[Registration]:
    """A session's registrations with their people, in sign-up order (one query each)."""
    return list(
        db.session.execute(
            select(Registration)
            .where(Registration.session_id == session.id, Registration.status.in_(list(statuses)))
            .options(selectinload(Registration.person))
            .order_by(Registration.registered_at, Registration.id)
        ).scalars()
    )
