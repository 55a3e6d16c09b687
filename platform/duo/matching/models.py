"""A coordinator's matching session and the decisions taken in it.

A **matching session** is one sitting of a branch's coordinators over the pool (one date,
open until closed). Its **constraints** are the pairs they *locked* (keep this pair, optimise
the rest around it) or *excluded* (never suggest this pair) while it is open. A constraint is
never deleted: removing it stamps ``removed_at``/``removed_by``, so the record shows who
decided what and when. Accepted pairs become duos (:mod:`duo.duos`), whose history points
back to the session.

One open session per branch at a time keeps the locks of two coordinators from pulling the
same pool in two directions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.db.types import UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk

OPEN = "open"
CLOSED = "closed"
STATUSES = (OPEN, CLOSED)

LOCK = "lock"
EXCLUDE = "exclude"
KINDS = (LOCK, EXCLUDE)


class MatchingSession(TenantScoped, db.Model):
    __tablename__ = "matching_sessions"
    __table_args__ = (
        # At most one open session per branch.
        Index(
            "uq_matching_sessions_open",
            "tenant_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )
    __hq_groupable__ = ("status",)

    held_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    constraints: Mapped[list[MatchingConstraint]] = relationship(
        back_populates="session",
        order_by="MatchingConstraint.at",
        cascade="all, delete-orphan",
        lazy="select",
    )
    opened_by: Mapped[User | None] = relationship(
        User, foreign_keys=[opened_by_user_id], viewonly=True
    )
    closed_by: Mapped[User | None] = relationship(
        User, foreign_keys=[closed_by_user_id], viewonly=True
    )

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


class MatchingConstraint(TenantScoped, db.Model):
    """A pair locked or excluded by a coordinator in one session."""

    __tablename__ = "matching_constraints"
    __table_args__ = (
        branch_fk("session_id", "matching_sessions"),
        branch_fk("mentee_id", "people"),
        branch_fk("mentor_id", "people"),
    )
    __hq_groupable__ = ("kind",)

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    mentee_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    removed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    session: Mapped[MatchingSession] = relationship(back_populates="constraints")
    by: Mapped[User | None] = relationship(User, foreign_keys=[by_user_id], viewonly=True)

    @property
    def active(self) -> bool:
        return self.removed_at is None

    @property
    def pair(self) -> tuple[uuid.UUID, uuid.UUID]:
        return (self.mentee_id, self.mentor_id)
