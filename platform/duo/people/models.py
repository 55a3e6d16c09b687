"""A person is a candidate mentor or mentee of one branch.

Only the basics live here; the pipeline, the intake profile and eligibility decisions
belong to the steps that own them.
"""

from __future__ import annotations

from datetime import datetime

import uuid

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duo.db import db, utcnow
from duo.db.types import UTCDateTime
from duo.tenancy.models import TenantScoped

MENTOR = "mentor"
MENTEE = "mentee"
AUDIENCES = (MENTOR, MENTEE)


class Person(TenantScoped, db.Model):
    __tablename__ = "people"
    #: Columns HQ may group its counts by (never names, contacts or ages of one person).
    __hq_groupable__ = ("role", "state")

    role: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    locale: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(30), default="registered", index=True)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    history: Mapped[list[StateChange]] = relationship(
        back_populates="person",
        order_by="StateChange.at",
        cascade="all, delete-orphan",
        lazy="select",
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StateChange(TenantScoped, db.Model):
    """One step of a person's history: from, to, when, by whom and why."""

    __tablename__ = "person_state_changes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "person_id"], ["people.tenant_id", "people.id"], ondelete="CASCADE"
        ),
    )
    __hq_groupable__ = ("from_state", "to_state")

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    from_state: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_state: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    person: Mapped[Person] = relationship(back_populates="history")
