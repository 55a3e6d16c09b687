"""Mentor training and workshops: cycles, their sessions, who is enrolled, who came.

A **cycle** is what a coordinator plans in one go: the branch's mentor-training modules
(one session per module, in curriculum order) or a series of one recurring workshop
(intervision, job-application training), from a start date and a rhythm. Its
**sessions** are stored in UTC; the rhythm that produced them is kept for the record.

**Enrolment** is per cycle (the usual case) or per session (a catch-up of one module, a
single workshop). A person is counted in a session when enrolled in its cycle or in the
session itself. ``waiting`` enrolments queue for a place, first come first served.

**Attendance** is one row per session and person. Training status (``status.py``) is
computed from it, across cycles: a module attended in any cycle counts.

**Feed tokens** open the iCalendar feeds without a login: the branch's feed (for the
coordinators' calendar apps) and each participant's own. Only a SHA-256 of the token is
stored; revoking sets ``revoked_at`` and the link answers 404 from then on.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk
from duo.people.models import Person

# Cycle contents.
MODULES = "modules"  # the initial mentor training (training.modules)
WORKSHOP = "workshop"  # a series of one recurring workshop (training.recurring)
CYCLE_KINDS = (MODULES, WORKSHOP)

# Session status.
SCHEDULED = "scheduled"
CANCELLED = "cancelled"
SESSION_STATUSES = (SCHEDULED, CANCELLED)

# Enrolment status.
ENROLLED = "enrolled"
WAITING = "waiting"
WITHDRAWN = "withdrawn"
ENROLMENT_STATUSES = (ENROLLED, WAITING, WITHDRAWN)
ACTIVE_ENROLMENT = (ENROLLED, WAITING)

#: ``Enrolment.scope`` for a whole-cycle enrolment (else the session id as text).
WHOLE_CYCLE = "cycle"

# Feed token kinds.
BRANCH_FEED = "branch"
PERSON_FEED = "person"
FEED_KINDS = (BRANCH_FEED, PERSON_FEED)


class TrainingCycle(TenantScoped, db.Model):
    __tablename__ = "training_cycles"
    __hq_groupable__ = ("kind", "audience")

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=MODULES)
    #: ``training.recurring`` key for a workshop series, None for the modules.
    workshop_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: The module keys planned, in order (for a workshop series: its key once).
    module_keys: Mapped[list[str]] = mapped_column(JSONType, default=list)
    audience: Mapped[str] = mapped_column(String(10))  # mentors | mentees | duos
    start_date: Mapped[dt.date] = mapped_column(Date)
    weekdays: Mapped[list[int]] = mapped_column(JSONType, default=list)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    every_weeks: Mapped[int] = mapped_column(Integer, default=1)
    timezone: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: Places per session; None means no limit.
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: The days the generator skipped, as shown in the preview: [{date, reason, label}].
    skipped: Mapped[list[dict]] = mapped_column(JSONType, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="cycle",
        order_by="TrainingSession.starts_at",
        cascade="all, delete-orphan",
        lazy="select",
    )


class TrainingSession(TenantScoped, db.Model):
    __tablename__ = "training_sessions"
    __table_args__ = (
        branch_fk("cycle_id", "training_cycles"),
        Index("ix_training_sessions_starts_at", "tenant_id", "starts_at"),
    )
    __hq_groupable__ = ("module_key", "status")

    cycle_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    #: 0-based position in the cycle as planned (the number people see is ``index + 1``).
    index: Mapped[int] = mapped_column(Integer)
    module_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: Overrides the cycle's location when set.
    location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=SCHEDULED)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: iCalendar SEQUENCE: +1 on every change of date, time or place.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    moved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attendance_recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    cycle: Mapped[TrainingCycle] = relationship(back_populates="sessions")

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def place(self) -> str | None:
        return self.location or self.cycle.location


class Enrolment(TenantScoped, db.Model):
    """A person in a cycle (``session_id`` None) or in one session of it."""

    __tablename__ = "training_enrolments"
    __table_args__ = (
        branch_fk("person_id", "people"),
        branch_fk("cycle_id", "training_cycles"),
        branch_fk("session_id", "training_sessions"),
        # One row per person and target; a withdrawn row is reused on re-enrolment.
        UniqueConstraint("tenant_id", "cycle_id", "person_id", "scope"),
    )
    __hq_groupable__ = ("status",)

    cycle_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    #: ``"cycle"`` or the session id as text: NULLs are never equal in a unique constraint.
    scope: Mapped[str] = mapped_column(String(40), default=WHOLE_CYCLE)
    status: Mapped[str] = mapped_column(String(20), default=ENROLLED)
    #: Queue position for the waiting list (reset when someone enrols again).
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set the first time a place was given: the personal feed keeps a withdrawn
    #: enrolment's sessions as cancelled events only if they were ever in the calendar.
    enrolled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    # Read-only: the ids are set directly (the composite keys share ``tenant_id``).
    cycle: Mapped[TrainingCycle] = relationship(viewonly=True)
    session: Mapped[TrainingSession | None] = relationship(viewonly=True)
    person: Mapped[Person] = relationship(viewonly=True)

    @property
    def whole_cycle(self) -> bool:
        return self.session_id is None


class Attendance(TenantScoped, db.Model):
    __tablename__ = "training_attendance"
    __table_args__ = (
        branch_fk("person_id", "people"),
        branch_fk("session_id", "training_sessions"),
        UniqueConstraint("tenant_id", "session_id", "person_id"),
    )
    __hq_groupable__ = ("present",)

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    session: Mapped[TrainingSession] = relationship(viewonly=True)
    person: Mapped[Person] = relationship(viewonly=True)


class FeedToken(TenantScoped, db.Model):
    """A secret calendar link: the branch's feed, or one person's."""

    __tablename__ = "training_feed_tokens"
    # The token's hash is unique within its branch (with tenant_id: distributable by branch).
    __table_args__ = (branch_fk("person_id", "people"), UniqueConstraint("tenant_id", "token_hash"))
    __hq_groupable__ = ("kind",)

    kind: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    #: SHA-256 (hex) of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64))
    #: The language the feed's titles are written in.
    locale: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


# Joins along the composite keys (tenant_id and id), for queries that read two tables.
#: An enrolment's cycle.
CYCLE_OF_ENROLMENT = and_(
    TrainingCycle.tenant_id == Enrolment.tenant_id, TrainingCycle.id == Enrolment.cycle_id
)
#: An attendance's session.
SESSION_OF_ATTENDANCE = and_(
    TrainingSession.tenant_id == Attendance.tenant_id, TrainingSession.id == Attendance.session_id
)
