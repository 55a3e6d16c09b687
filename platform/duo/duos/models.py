"""A duo and its history.

Both people are referenced with composite keys ``(tenant_id, person_id)`` so a duo can only
ever join people of its own branch. Two partial unique indexes make "one mentee at a time"
a fact of the database rather than a hope of the code: a person is in at most one *open*
duo (proposed, first meeting, confirmed or active) per side, even if two coordinators accept
at the same moment.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    Uuid,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped
from duo.duos import states
from duo.people.models import Person

_OPEN_SQL = "state IN ({})".format(", ".join(f"'{s}'" for s in states.OPEN))


def _open_unique(name: str, column: str) -> Index:
    return Index(
        name,
        "tenant_id",
        column,
        unique=True,
        sqlite_where=text(_OPEN_SQL),
        postgresql_where=text(_OPEN_SQL),
    )


class Duo(TenantScoped, db.Model):
    __tablename__ = "duos"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "mentee_id"], ["people.tenant_id", "people.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["tenant_id", "mentor_id"], ["people.tenant_id", "people.id"], ondelete="CASCADE"
        ),
        # The matching session that proposed the duo (None for duos made another way).
        ForeignKeyConstraint(
            ["tenant_id", "matching_session_id"],
            ["matching_sessions.tenant_id", "matching_sessions.id"],
        ),
        _open_unique("uq_duos_open_mentee", "mentee_id"),
        _open_unique("uq_duos_open_mentor", "mentor_id"),
    )
    #: HQ counts duos by state and by who declined; never by person.
    __hq_groupable__ = ("state", "declined_by")

    mentee_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    matching_session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    state: Mapped[str] = mapped_column(String(20), default=states.PROPOSED, index=True)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The day of the first meeting, when the coordinator gave it.
    first_meeting_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: The agreement was signed: the official start.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Start + the branch's programme.duration_months (the planned end).
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    stop_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Who said no at the first meeting: mentor, mentee or both (None for other stops).
    declined_by: Mapped[str | None] = mapped_column(String(10), nullable=True)

    # Read-only: the ids are set directly (the composite keys share ``tenant_id``).
    mentee: Mapped[Person] = relationship(
        Person,
        primaryjoin=lambda: and_(
            Person.tenant_id == foreign(Duo.tenant_id), Person.id == foreign(Duo.mentee_id)
        ),
        viewonly=True,
        lazy="raise_on_sql",
    )
    mentor: Mapped[Person] = relationship(
        Person,
        primaryjoin=lambda: and_(
            Person.tenant_id == foreign(Duo.tenant_id), Person.id == foreign(Duo.mentor_id)
        ),
        viewonly=True,
        lazy="raise_on_sql",
    )
    history: Mapped[list[DuoStateChange]] = relationship(
        back_populates="duo",
        order_by="DuoStateChange.at",
        cascade="all, delete-orphan",
        lazy="select",
    )

    @property
    def is_open(self) -> bool:
        return self.state in states.OPEN

    @property
    def declined(self) -> bool:
        return self.state == states.STOPPED and self.declined_by is not None


class DuoStateChange(TenantScoped, db.Model):
    """One step of a duo's history: from, to, when, by whom, why, and what came with it.

    ``details`` keeps what the step was decided on (for a proposal: the matching session,
    the score, whether it was the suggested pair), ids and numbers only.
    """

    __tablename__ = "duo_state_changes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "duo_id"], ["duos.tenant_id", "duos.id"], ondelete="CASCADE"
        ),
    )
    __hq_groupable__ = ("from_state", "to_state")

    duo_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)

    duo: Mapped[Duo] = relationship(back_populates="history")
    by: Mapped[User | None] = relationship(User, viewonly=True)
