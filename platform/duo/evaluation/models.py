"""Evaluation answers, outcome asks and outcomes: the rows the impact indicators count.

Reporting reads these inside each branch's scope and writes aggregates; nothing here is
shown to HQ as rows. Column meanings are written for the indicator definitions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk

#: A mentee's situation (an outcome). "Positive" outcomes are job, internship, training.
JOB, INTERNSHIP, TRAINING, LOOKING, OTHER = "job", "internship", "training", "looking", "other"
STATUSES = (JOB, INTERNSHIP, TRAINING, LOOKING, OTHER)
POSITIVE = (JOB, INTERNSHIP, TRAINING)
#: Contract types of a job outcome.
CONTRACTS = ("permanent", "fixed_term", "temporary_agency", "self_employed", "other")


def _duo_fk() -> ForeignKeyConstraint:
    return branch_fk("duo_id", "duos")


def _person_fk() -> ForeignKeyConstraint:
    return branch_fk("person_id", "people")


class EvaluationAnswer(TenantScoped, db.Model):
    """One answer of one side of a duo to one question of the end-of-duo survey.

    ``party`` mentee or mentor; ``question_key`` and ``question_version`` identify the
    question as configured when it was answered (an indicator counts answers of the
    versions that mean the same thing). ``value``: for ``agree`` questions "1" (strongly
    disagree) to "4" (strongly agree), agreeing = 3 or 4; for ``yes_no`` "yes"/"no"; for
    ``text`` the text. ``recorded_by_user_id`` is set when a coordinator typed it in.
    """

    __tablename__ = "evaluation_answers"
    __table_args__ = (
        _duo_fk(),
        UniqueConstraint("tenant_id", "duo_id", "party", "question_key", "question_version"),
    )
    __hq_groupable__ = ("party", "question_key", "question_version", "value")

    duo_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    party: Mapped[str] = mapped_column(String(10))
    question_key: Mapped[str] = mapped_column(String(60))
    question_version: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class OutcomeAsk(TenantScoped, db.Model):
    """A scheduled question to the mentee: "what is your situation now?".

    ``months_after`` the end of the duo (0 = at the end); ``due_on`` the local day it is
    asked. ``sent_at`` / ``reminded_at`` (once each), ``answered_at`` when an outcome was
    recorded for it, ``lost_at`` when it was never answered: *lost to follow-up*, which an
    indicator leaves out of its denominator rather than counting as a failure.
    """

    __tablename__ = "outcome_asks"
    __table_args__ = (
        _duo_fk(),
        _person_fk(),
        UniqueConstraint("tenant_id", "duo_id", "months_after"),
    )
    __hq_groupable__ = ("months_after",)

    duo_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    months_after: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lost_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Outcome(TenantScoped, db.Model):
    """The mentee's situation ``months_after`` the end of the duo.

    ``status`` one of :data:`STATUSES`. For a job: ``contract_type`` (:data:`CONTRACTS`),
    ``hours_per_week`` and ``job_started_on``, so that "a stable job of 3+ months" can be
    counted (a job outcome whose ``job_started_on`` is at least three months before the
    ask's date, or a permanent contract). ``recorded_by_user_id`` marks an outcome a
    coordinator recorded (told by phone...); None when the mentee answered by link.
    """

    __tablename__ = "outcomes"
    __table_args__ = (
        _duo_fk(),
        _person_fk(),
        UniqueConstraint("tenant_id", "duo_id", "months_after"),
    )
    __hq_groupable__ = ("months_after", "status", "contract_type", "by_coordinator")

    duo_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    months_after: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    contract_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    hours_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    job_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    by_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
