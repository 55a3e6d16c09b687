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
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk
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


def _party(column: str) -> Any:
    """The duo's mentee or mentor (``column`` holds their id), read-only: the ids are set
    directly, since the composite keys share ``tenant_id``."""
    return relationship(
        Person,
        primaryjoin=lambda: and_(
            Person.tenant_id == foreign(Duo.tenant_id), Person.id == foreign(getattr(Duo, column))
        ),
        viewonly=True,
        lazy="raise_on_sql",
    )


class Duo(TenantScoped, db.Model):
    __tablename__ = "duos"
    __table_args__ = (
        branch_fk("mentee_id", "people"),
        branch_fk("mentor_id", "people"),
        # The matching session that proposed the duo (None for duos made another way).
        branch_fk("matching_session_id", "matching_sessions", ondelete=None),
        _open_unique("uq_duos_open_mentee", "mentee_id"),
        _open_unique("uq_duos_open_mentor", "mentor_id"),
        # The duos list and the dashboard count a branch's duos by state, and the list
        # sorts them by state and waiting time: both read from this index alone.
        Index("ix_duos_tenant_state_since", "tenant_id", "state", "state_changed_at", "id"),
    )
    #: HQ counts duos by state and by who declined; never by person.
    __hq_groupable__ = ("state", "declined_by")

    mentee_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    matching_session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    state: Mapped[str] = mapped_column(String(20), default=states.PROPOSED, index=True)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the first meeting is planned (step 5); decisions open from then on.
    first_meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    first_meeting_place: Mapped[str | None] = mapped_column(String(300), nullable=True)
    first_meeting_video_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: The coordinator who attends the first meeting.
    first_meeting_coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: The language the pair's agreement is written and signed in (a branch locale).
    agreement_locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    #: The agreement was signed: the official start.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Start + the branch's programme.duration_months (the planned end).
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    stop_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Who said no at the first meeting: mentor, mentee or both (None for other stops).
    declined_by: Mapped[str | None] = mapped_column(String(10), nullable=True)

    mentee: Mapped[Person] = _party("mentee_id")
    mentor: Mapped[Person] = _party("mentor_id")
    history: Mapped[list[DuoStateChange]] = relationship(
        back_populates="duo",
        order_by="DuoStateChange.at",
        cascade="all, delete-orphan",
        lazy="select",
    )
    # For the duo page, loaded with the duo in one statement (``pages.load``). Each is
    # bounded by a unique key (one decision and one signature per party, one document per
    # kind, one open alert per kind), so joining them all stays a few dozen rows at most.
    # Read-only and never lazily loaded: the step functions query their own rows, which
    # sees what the same transaction just wrote.
    decisions: Mapped[list[DuoDecision]] = relationship(viewonly=True, lazy="raise_on_sql")
    signatures: Mapped[list[DuoSignature]] = relationship(viewonly=True, lazy="raise_on_sql")
    documents: Mapped[list[DuoDocument]] = relationship(viewonly=True, lazy="raise_on_sql")
    open_alerts: Mapped[list[DuoAlert]] = relationship(
        primaryjoin=lambda: and_(
            DuoAlert.tenant_id == Duo.tenant_id,
            DuoAlert.duo_id == Duo.id,
            DuoAlert.cleared_at.is_(None),
        ),
        order_by=lambda: DuoAlert.raised_at,
        viewonly=True,
        lazy="raise_on_sql",
    )
    first_meeting_coordinator: Mapped[User | None] = relationship(
        User,
        primaryjoin=lambda: User.id == foreign(Duo.first_meeting_coordinator_id),
        viewonly=True,
        lazy="raise_on_sql",
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
    __table_args__ = (branch_fk("duo_id", "duos"),)
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


def _duo_fk() -> ForeignKeyConstraint:
    return branch_fk("duo_id", "duos")


class _OfDuo:
    """Mixin for a row that belongs to one duo: its ``duo_id``, tied to the duo of the same
    branch by the table's ``_duo_fk()``."""

    duo_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)


#: The two people of a duo, as the words used in decisions, signatures and links.
PARTIES = ("mentee", "mentor")


class DuoEvent(_OfDuo, TenantScoped, db.Model):
    """Something that happened to a duo that is not a change of state: a decision, a
    signature, a link sent or revoked, a check-in, a first meeting planned again.

    Exactly one of ``by_user_id`` (a staff user) and ``by_person_id`` (the mentor or
    mentee acting through their personal link) is set, or neither for the system.
    ``on_behalf`` marks a step a coordinator recorded for a person; ``note`` then says why.
    """

    __tablename__ = "duo_events"
    __table_args__ = (
        _duo_fk(),
        branch_fk("by_person_id", "people"),
    )
    __hq_groupable__ = ("kind",)

    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    by_person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)

    by: Mapped[User | None] = relationship(User, viewonly=True)


class DuoDecision(_OfDuo, TenantScoped, db.Model):
    """One side's decision after the first meeting (step 5): go on, or not.

    Private: the other side never sees it; ``reason`` is for the coordinator only.
    ``recorded_by_user_id`` is set when a coordinator recorded it on the person's behalf,
    with ``on_behalf_reason``.
    """

    __tablename__ = "duo_decisions"
    __table_args__ = (_duo_fk(), UniqueConstraint("tenant_id", "duo_id", "party"))
    __hq_groupable__ = ("party", "go_on")

    #: mentee or mentor
    party: Mapped[str] = mapped_column(String(10))
    go_on: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    on_behalf_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class DuoSignature(_OfDuo, TenantScoped, db.Model):
    """A signature of the mentoring agreement and charter (step 6).

    ``party`` is mentee, mentor or coordinator; ``full_name`` as typed, ``accepted`` the
    explicit checkbox, ``text_version`` the version of the agreement text read and
    ``locale`` its language. The coordinator's countersignature carries ``by_user_id``.
    """

    __tablename__ = "duo_signatures"
    __table_args__ = (_duo_fk(), UniqueConstraint("tenant_id", "duo_id", "party"))
    __hq_groupable__ = ("party",)

    party: Mapped[str] = mapped_column(String(12))
    full_name: Mapped[str] = mapped_column(String(200))
    accepted: Mapped[bool] = mapped_column(Boolean)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text_version: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(8))
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class DuoDocument(_OfDuo, TenantScoped, db.Model):
    """A file kept with the duo: the signed agreement as a PDF, in the pair's language."""

    __tablename__ = "duo_documents"
    __table_args__ = (_duo_fk(), UniqueConstraint("tenant_id", "duo_id", "kind"))
    __hq_groupable__ = ("kind",)

    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(8))
    text_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


#: How a check-in was made: through the person's link, or logged by the coordinator.
CHECK_IN_KINDS = ("link", "call", "visit", "intervision", "meeting")


class DuoCheckIn(_OfDuo, TenantScoped, db.Model):
    """A check-in of the accompaniment (step 7), for one week of one duo.

    Through a link (``kind`` "link", ``by_person_id`` the mentor or mentee): ``met`` this
    week, for ``minutes``, about ``topics`` (keys of the branch's ``duos.topics``), a
    ``note``, and ``contact_me`` when they want the coordinator to call (a concern). By
    the coordinator (``by_user_id``; kind call, visit, intervision or meeting): a note.
    ``week_start`` is the Monday of the branch-local week it is about.
    """

    __tablename__ = "duo_check_ins"
    __table_args__ = (
        _duo_fk(),
        branch_fk("by_person_id", "people"),
    )
    __hq_groupable__ = ("kind", "met", "contact_me")

    week_start: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    met: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    topics: Mapped[list[str]] = mapped_column(JSONType, default=list)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_me: Mapped[bool] = mapped_column(Boolean, default=False)

    by: Mapped[User | None] = relationship(User, viewonly=True)


_OPEN_ALERT_SQL = "cleared_at IS NULL"


class DuoAlert(_OfDuo, TenantScoped, db.Model):
    """A health alert of a duo, raised once by the daily job and cleared when resolved.

    One open alert per duo and kind (a partial unique index): running the job again
    raises nothing new. ``kind`` is one of :data:`duo.duos.health.KINDS`.
    """

    __tablename__ = "duo_alerts"
    __table_args__ = (
        _duo_fk(),
        Index(
            "uq_duo_alerts_open",
            "tenant_id",
            "duo_id",
            "kind",
            unique=True,
            sqlite_where=text(_OPEN_ALERT_SQL),
            postgresql_where=text(_OPEN_ALERT_SQL),
        ),
    )
    __hq_groupable__ = ("kind",)

    kind: Mapped[str] = mapped_column(String(30))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
