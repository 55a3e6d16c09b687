"""Seats: how many are taken, the figures of a session, and which sessions are nearly full.

Only registrations with a seat count against the capacity; the waiting list does not.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, func, select

from duo.core.db import db, utcnow
from duo.core.tenancy.scoping import BranchRead
from duo.sessions.domain.queries import upcoming
from duo.sessions.models import ACTIVE, CANCELLED, REGISTERED, WAITLISTED, InfoSession, Registration

#: A session counts as nearly full from this share of its seats taken.
NEARLY_FULL = 0.8


@dataclass(frozen=True)
class Figures:
    capacity: int
    registered: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    attended: int = 0
    absent: int = 0

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.registered)

    @property
    def full(self) -> bool:
        return self.registered >= self.capacity

    @property
    def nearly_full(self) -> bool:
        return self.registered >= self.capacity * NEARLY_FULL

    @property
    def expected(self) -> int:
        """Everyone who may come: seats taken plus the waiting list."""
        return self.registered + self.waitlisted


def seats_taken(session_id: uuid.UUID) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Registration)
        .where(Registration.session_id == session_id, Registration.status == REGISTERED)
    ).scalar_one()


def figures_for(sessions: Iterable[InfoSession]) -> dict[uuid.UUID, Figures]:
    """The figures of many sessions in one query (no query per session)."""
    sessions = list(sessions)
    if not sessions:
        return {}
    counts: dict[uuid.UUID, dict[str, int]] = {s.id: {} for s in sessions}
    rows = db.session.execute(
        select(Registration.session_id, Registration.status, Registration.attended, func.count())
        .where(Registration.session_id.in_([s.id for s in sessions]))
        .group_by(Registration.session_id, Registration.status, Registration.attended)
    ).all()
    for session_id, status, attended, n in rows:
        bucket = counts[session_id]
        bucket[status] = bucket.get(status, 0) + n
        if status in ACTIVE and attended is True:
            bucket["attended"] = bucket.get("attended", 0) + n
        elif status in ACTIVE and attended is False:
            bucket["absent"] = bucket.get("absent", 0) + n
    return {
        s.id: Figures(
            capacity=s.capacity,
            registered=counts[s.id].get(REGISTERED, 0),
            waitlisted=counts[s.id].get(WAITLISTED, 0),
            cancelled=counts[s.id].get(CANCELLED, 0),
            attended=counts[s.id].get("attended", 0),
            absent=counts[s.id].get("absent", 0),
        )
        for s in sessions
    }


def _nearly_full() -> Select:
    taken = (
        select(func.count())
        .where(Registration.session_id == InfoSession.id, Registration.status == REGISTERED)
        .correlate(InfoSession)
        .scalar_subquery()
    )
    return (
        select(func.count())
        .select_from(InfoSession)
        .where(
            *upcoming(bindparam("now", type_=InfoSession.starts_at.type)),
            taken >= InfoSession.capacity * NEARLY_FULL,  # as Figures.nearly_full says
        )
    )


#: The dashboard asks on every visit: one count, built once per branch.
_NEARLY_FULL = BranchRead(_nearly_full)


def nearly_full_count(now: datetime | None = None) -> int:
    """Upcoming sessions (not cancelled) with at least :data:`NEARLY_FULL` of their seats
    taken."""
    return _NEARLY_FULL(now=now or utcnow()).scalar_one()
