"""Intake appointments: when and where a coordinator meets a candidate for the interview.

An :class:`IntakeAppointment` is planned by a coordinator (a time, a place or a video link,
who attends), moved or cancelled; each change raises ``sequence`` so that calendar apps
update the event they already hold. A candidate who cannot come asks for another time
through their personal link: that is an :class:`IntakeTimeRequest`, shown to the
coordinator as a to-do until the appointment is moved or cancelled.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk
from duo.people.models import Person

SCHEDULED = "scheduled"
CANCELLED = "cancelled"
DONE = "done"
STATUSES = (SCHEDULED, CANCELLED, DONE)


class IntakeAppointment(TenantScoped, db.Model):
    __tablename__ = "intake_appointments"
    __table_args__ = (
        branch_fk("person_id", "people"),
        Index("ix_intake_appointments_status_starts_at", "tenant_id", "status", "starts_at"),
    )
    __hq_groupable__ = ("status",)

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=60)
    place: Mapped[str | None] = mapped_column(String(300), nullable=True)
    video_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    coordinator_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(12), default=SCHEDULED)
    #: Raised at every move or cancellation (the calendar event's SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    person: Mapped[Person] = relationship(lazy="joined", viewonly=True)
    requests: Mapped[list[IntakeTimeRequest]] = relationship(
        back_populates="appointment",
        order_by="IntakeTimeRequest.requested_at",
        cascade="all, delete-orphan",
        lazy="select",
    )


class IntakeTimeRequest(TenantScoped, db.Model):
    """The candidate asked for another time (a message, times that suit them)."""

    __tablename__ = "intake_time_requests"
    __table_args__ = (branch_fk("appointment_id", "intake_appointments"),)

    appointment_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    message: Mapped[str] = mapped_column(Text)
    #: Times that would suit the candidate, as UTC ISO strings.
    preferred: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    appointment: Mapped[IntakeAppointment] = relationship(back_populates="requests")
