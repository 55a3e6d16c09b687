"""Dates in a branch's time zone: the one place that turns UTC moments into local days.

Deadlines, ages and "today" change at the branch's midnight, not UTC's; every capability
asks here rather than converting on its own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from duo.core.db import utcnow


def local_date(moment: datetime, timezone: str) -> date:
    """The local calendar day of ``moment`` in ``timezone`` (naive values count as UTC)."""
    if moment.tzinfo is None:  # e.g. SQLite's max() bypasses the column type
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


def local_today(timezone: str, now: datetime | None = None) -> date:
    """Today in ``timezone``."""
    return local_date(now or utcnow(), timezone)
