"""Information sessions and the registrations for them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duo.core.db import db, utcnow
from duo.core.db.types import UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk
from duo.core.vocab.audiences import BOTH as FOR_BOTH
from duo.core.vocab.audiences import MENTEES as FOR_MENTEES
from duo.core.vocab.audiences import MENTORS as FOR_MENTORS
from duo.core.vocab.audiences import SESSION_AUDIENCES as AUDIENCES
from duo.core.vocab.audiences import group_of
from duo.people.models import MENTEE, MENTOR, Person

#: A registration with a seat, on the waiting list, or cancelled by the registrant.
REGISTERED = "registered"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
ACTIVE = (REGISTERED, WAITLISTED)

#: How people heard of the programme (asked at sign-up, counted by HQ).
HEARD_FROM = (
    "website",
    "social_media",
    "friends_family",
    "employment_service",
    "partner_organisation",
    "press",
    "event",
    "other",
)


def audiences_for_role(role: str) -> tuple[str, str]:
    """The session audiences a mentor or a mentee may register for."""
    return (group_of(role), FOR_BOTH)


class InfoSession(TenantScoped, db.Model):
    """One collective information session of a branch.

    ``starts_at`` is stored in UTC and entered/shown in the branch's time zone.
    ``sequence`` grows with every change of time or place: calendar apps then update the
    event from an earlier invitation instead of adding a second one.
    """

    __tablename__ = "info_sessions"
    __table_args__ = (Index("ix_info_sessions_tenant_starts", "tenant_id", "starts_at"),)
    __hq_groupable__ = ("audience", "language", "capacity", "starts_at", "cancelled_at")

    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(300), nullable=True)
    online_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    language: Mapped[str] = mapped_column(String(8))
    audience: Mapped[str] = mapped_column(String(10))
    capacity: Mapped[int] = mapped_column(Integer)
    details: Mapped[str | None] = mapped_column(Text, nullable=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or utcnow())

    def accepts(self, role: str) -> bool:
        return self.audience in audiences_for_role(role)


class Registration(TenantScoped, db.Model):
    """A person's place (or place on the waiting list) in one session.

    One row per (session, person): signing up again reuses it. ``attended`` is None until
    the coordinator records attendance. ``heard_from`` is the sign-up's answer to "how did
    you hear of the programme".
    """

    __tablename__ = "info_session_registrations"
    __table_args__ = (
        branch_fk("session_id", "info_sessions"),
        branch_fk("person_id", "people"),
        UniqueConstraint("tenant_id", "session_id", "person_id"),
        Index("ix_info_session_registrations_session", "tenant_id", "session_id", "status"),
    )
    __hq_groupable__ = ("status", "attended", "heard_from")

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(12), default=REGISTERED)
    attended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    heard_from: Mapped[str | None] = mapped_column(String(30), nullable=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # View-only: the ids are set by hand, and the two composite keys share tenant_id.
    session: Mapped[InfoSession] = relationship(viewonly=True, lazy="select")
    person: Mapped[Person] = relationship(viewonly=True, lazy="select")


__all__ = [
    "ACTIVE",
    "AUDIENCES",
    "CANCELLED",
    "FOR_BOTH",
    "FOR_MENTEES",
    "FOR_MENTORS",
    "HEARD_FROM",
    "MENTEE",
    "MENTOR",
    "REGISTERED",
    "WAITLISTED",
    "InfoSession",
    "Registration",
    "audiences_for_role",
]
