"""A person is a candidate mentor or mentee of one branch.

Only the basics live on :class:`Person`; the intake profile (what matching and the
eligibility rules need) is a :class:`Profile` beside it, and eligibility decisions belong
to :mod:`duo.eligibility.models`. :class:`ImportBatch` keeps an uploaded spreadsheet between
its preview and its confirmation (server-side, never in the cookie).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk

# The roles, offered beside the model that carries them (defined in the core vocabulary).
from duo.core.vocab.audiences import MENTEE as MENTEE
from duo.core.vocab.audiences import MENTOR as MENTOR

#: ``ImportBatch.kind`` of the candidates import.
CANDIDATES = "candidates"


#: The enrolment chooser's first sort keys: eligible mentors first (false sorts first),
#: then those in training, then the others. Written out with their values (not bound
#: parameters), so that the chooser's ORDER BY is the index's expressions, as both
#: databases need to use the index; plain comparisons, which PostgreSQL gives back in a
#: form the migrations' check can compare with the model's.
CHOOSER_KEYS_SQL = ("(state <> 'eligible')", "(state <> 'in_training')")


class Person(TenantScoped, db.Model):
    __tablename__ = "people"
    __table_args__ = (
        # Every coordinator page counts the branch's people by role and state (the
        # dashboard, the list's tabs), and the list sorts a step by how long its people
        # have been in it: read from this index alone, not from 5,000 rows.
        Index(
            "ix_people_tenant_role_state", "tenant_id", "role", "state", "state_changed_at", "id"
        ),
        # Who waits, and since when the longest: the dashboard's summary, from the index.
        Index(
            "ix_people_tenant_role_waiting",
            "tenant_id",
            "role",
            "state",
            "waiting_since",
            "state_changed_at",
        ),
        # The list's default order, so a page of it is read in order rather than sorted.
        Index(
            "ix_people_tenant_name",
            "tenant_id",
            func.lower(text("last_name")),
            func.lower(text("first_name")),
            "id",
        ),
        # The training enrolment chooser's order (waiting for a training first, then by
        # name), so its first page is read in order: sorting every trained mentor of a
        # large branch was most of the training cycle page's SQL.
        Index(
            "ix_people_tenant_role_chooser",
            "tenant_id",
            "role",
            *(text(key) for key in CHOOSER_KEYS_SQL),
            func.lower(text("last_name")),
            func.lower(text("first_name")),
            "id",
        ),
    )
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
    #: Since when the person waits in ``eligible`` (``duo.people.states.starts_a_wait``);
    #: None before the first time (read as ``state_changed_at``). Kept on the row by the
    #: one transition function, not looked up in the history: the dashboard asks on every
    #: visit, and at 700 waiting mentees the look-ups were a third of the page.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    history: Mapped[list[StateChange]] = relationship(
        back_populates="person",
        order_by="StateChange.at",
        cascade="all, delete-orphan",
        lazy="select",
    )
    profile: Mapped[Profile | None] = relationship(
        back_populates="person",
        uselist=False,
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
        branch_fk("person_id", "people"),
        # "Waiting since": the last time each person became eligible (other than back from
        # a match), for the dashboard and the matching pool, read from the index alone.
        Index(
            "ix_person_state_changes_tenant_to",
            "tenant_id",
            "to_state",
            "person_id",
            "at",
            "from_state",
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


def waited_since() -> Any:
    """Since when a person waits, as SQL: their ``waiting_since``, or before a first wait
    their last change of state (what the dashboard and the matching pool count from)."""
    return func.coalesce(Person.waiting_since, Person.state_changed_at)


class Profile(TenantScoped, db.Model):
    """What the intake interview captured: the matching profile and the eligibility facts.

    One row per person (created at the first intake). Lists and the language mapping are
    JSON, read whole by matching; the yes/no facts are ``None`` while unknown, which the
    eligibility rules turn into *needs review*. ``migration_background`` and
    ``allowed_to_work`` are special-category data: they are kept only while the person's
    ``sensitive_facts`` consent stands (see :mod:`duo.intake.interview`).
    """

    __tablename__ = "person_profiles"
    __table_args__ = (
        branch_fk("person_id", "people"),
        UniqueConstraint("tenant_id", "person_id"),
    )
    #: Non-personal categories HQ may count by.
    __hq_groupable__ = ("education_level", "working_status", "target_sector", "digital_skills")

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid)

    # Both audiences
    postcode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    languages: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    availability: Mapped[list[str]] = mapped_column(JSONType, default=list)
    interests: Mapped[list[str]] = mapped_column(JSONType, default=list)
    digital_skills: Mapped[int | None] = mapped_column(Integer, nullable=True)
    personality: Mapped[list[str]] = mapped_column(JSONType, default=list)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    help_questions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)

    # Mentors: experience (help_questions above = what they can help with)
    sectors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    occupations: Mapped[list[str]] = mapped_column(JSONType, default=list)
    years_experience: Mapped[int | None] = mapped_column(Integer, nullable=True)
    working_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    volunteer: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    available_six_months: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    # Mentees: ambition (help_questions above = what they ask help with)
    target_sector: Mapped[str | None] = mapped_column(String(30), nullable=True)
    professional_goal: Mapped[str | None] = mapped_column(Text, nullable=True)
    education_level: Mapped[str | None] = mapped_column(String(30), nullable=True)
    seeking_job_study_or_internship: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    registered_jobseeker: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    other_barriers: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # Special-category facts: only with consent.
    migration_background: Mapped[str | None] = mapped_column(String(40), nullable=True)
    allowed_to_work: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    intake_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    intake_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(back_populates="profile")


class ImportBatch(TenantScoped, db.Model):
    """An uploaded spreadsheet waiting for the coordinator's confirmation.

    The parsed cells are kept as text and validated again on every preview and at the
    confirmation, so errors read in the coordinator's current language and a person who
    registered in the meantime is not created twice. The id (a random UUID) is the token
    in the preview's URL; only the uploader can open it, and it expires after a while.
    """

    __tablename__ = "people_import_batches"
    __hq_groupable__ = ("status", "kind")

    #: What the file holds: candidates, or a kind of the branch move-in (mentors, duos...).
    kind: Mapped[str] = mapped_column(String(20), default=CANDIDATES, server_default=CANDIDATES)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    columns: Mapped[list[str]] = mapped_column(JSONType, default=list)
    ignored_columns: Mapped[list[str]] = mapped_column(JSONType, default=list)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    imported_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
