"""The waiting list: free seats go to the next in line, first come first served.

A seat frees up when someone cancels or the capacity grows; each person promoted is told by
a job keyed by the registration, so promoting twice sends one mail.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue
from duo.sessions.domain.capacity import seats_taken
from duo.sessions.domain.errors import SessionError
from duo.sessions.domain.queries import lock_session
from duo.sessions.models import CANCELLED, REGISTERED, WAITLISTED, InfoSession, Registration


def promote_waitlist(session: InfoSession, *, now: datetime | None = None) -> list[Registration]:
    """Give free seats to the waiting list, first come first served, and tell them (job)."""
    now = now or utcnow()
    if session.is_cancelled or session.has_started(now):
        return []
    free = session.capacity - seats_taken(session.id)
    if free <= 0:
        return []
    waiting = list(
        db.session.execute(
            select(Registration)
            .where(Registration.session_id == session.id, Registration.status == WAITLISTED)
            .order_by(Registration.registered_at, Registration.id)
            .limit(free)
        ).scalars()
    )
    for reg in waiting:
        reg.status = REGISTERED
        reg.promoted_at = now
        enqueue(
            "sessions.promoted",
            str(reg.id),
            dedupe_key=f"sessions.promoted:{reg.id}:{int(reg.registered_at.timestamp())}",
        )
    db.session.flush()
    return waiting


def cancel_registration(reg: Registration, *, now: datetime | None = None) -> list[Registration]:
    """The registrant leaves (seat or waiting list); a freed seat goes to the next in line."""
    now = now or utcnow()
    session = lock_session(reg.session_id)
    if reg.status == CANCELLED or session is None:
        return []
    if session.has_started(now):
        raise SessionError(_("This session has already started; there is nothing to cancel."))
    had_seat = reg.status == REGISTERED
    reg.status = CANCELLED
    reg.cancelled_at = now
    db.session.flush()
    return promote_waitlist(session, now=now) if had_seat else []
