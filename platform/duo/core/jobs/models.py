"""The outbox: what must happen, written in the same transaction as the change that caused it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime

PENDING = "pending"
DISPATCHED = "dispatched"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


class OutboxJob(db.Model):
    """One unit of background work. Arguments are ids only: no personal data in Redis.

    Global rather than branch-owned: the dispatcher reads every branch's rows, and
    ``tenant_id`` tells the runner which branch to work for.
    """

    __tablename__ = "outbox_jobs"
    __table_args__ = (Index("ix_outbox_jobs_due", "status", "run_after"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    tenant_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: In-process runs only (no Redis to ask): when a running row counts as abandoned.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: How often the row was claimed; part of the RQ job id, so each hand-out is distinct.
    claims: Mapped[int] = mapped_column(Integer, default=0)
    #: The RQ job the row was last handed to: RQ's own state tells whether it was lost.
    rq_job_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
