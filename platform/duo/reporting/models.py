"""Aggregate tables: counts and sums per branch and month, never a person's row.

These tables are deliberately *not* :class:`~duo.core.tenancy.models.TenantScoped`: HQ reads
every branch's rollups, and the rows hold nothing about any one person (a count, a sum, the
name of a category such as an age band or a histogram bucket of waiting days). Writing is
still confined to one branch: on PostgreSQL the policies let anyone read but insert, update
or delete only rows of the branch set for the transaction (see the migration
``0008_reporting_rollups``), so a refresh job can only ever replace its own branch's figures.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime

#: ``bucket`` of a row that is not part of a histogram.
NO_BUCKET = -1
#: ``dimension`` / ``category`` of the all-people row of a measure.
ALL = ""


class RollupCell(db.Model):
    """One figure: ``count`` (people, duos) and ``total`` (a sum: days, hours, meetings).

    ``month`` is the first day of the branch-local month the counted event fell in.
    ``dimension``/``category`` split a measure by a reporting dimension (``age_band`` /
    ``25-29``); the row with both empty is the measure over everybody. Histogram measures
    (waiting days) keep one row per ``bucket`` so medians and percentiles can be computed
    from counts alone.
    """

    __tablename__ = "report_rollups"
    __table_args__ = (Index("ix_report_rollups_measure_month", "measure", "month"),)

    tenant_id: Mapped[int] = mapped_column(Integer, ForeignKey("tenants.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    measure: Mapped[str] = mapped_column(String(60), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(30), primary_key=True, default=ALL)
    category: Mapped[str] = mapped_column(String(60), primary_key=True, default=ALL)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True, default=NO_BUCKET)
    count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)


class RollupRefresh(db.Model):
    """When a branch's rollups were last computed, and a hash of what they hold.

    The hash is what the annual report prints: the same rollups give the same hash.
    """

    __tablename__ = "report_refreshes"

    tenant_id: Mapped[int] = mapped_column(Integer, ForeignKey("tenants.id"), primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cells: Mapped[int] = mapped_column(Integer, default=0)
    data_hash: Mapped[str] = mapped_column(String(64))
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    #: ``{"2025-03-01": digest}``: what each month's stored rows hash to (None before the
    #: first refresh that kept them: then every month is written).
    month_digests: Mapped[dict[str, str] | None] = mapped_column(JSONType, nullable=True)


class HqApiToken(db.Model):
    """A token a BI tool sends to read HQ's figures through ``/api/v1/hq/``.

    Only the SHA-256 of the token is kept: ``duo tokens create --hq`` prints the token once.
    A token reads exactly what HQ's pages show (suppressed figures), nothing else.
    """

    __tablename__ = "hq_api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReportRun(db.Model):
    """One making of the annual impact report, asked for at HQ; the PDF is kept with it.

    ``progress`` (0-100) is what HQ's page shows while the job runs; ``data_hash`` is the
    hash of the rollups the report was made from (printed in the report itself).
    """

    __tablename__ = "report_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    data_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
