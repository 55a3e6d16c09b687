"""The jobs layer's own jobs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from duo.core.db import db, utcnow
from duo.core.db.maintenance import analyze
from duo.core.jobs.models import DONE, OutboxJob
from duo.core.jobs.registry import job

KEEP_DONE = timedelta(days=30)


@job("jobs.housekeeping")
def housekeeping() -> None:
    """Forget finished jobs after a month; failed ones stay until someone looks at them."""
    db.session.execute(
        delete(OutboxJob).where(
            OutboxJob.status == DONE, OutboxJob.finished_at < utcnow() - KEEP_DONE
        )
    )


@job("db.analyze", max_attempts=3)
def analyze_tables(*tables: str) -> bool:
    """Fresh planner statistics after a bulk write (an import): see duo.core.db.maintenance."""
    return analyze(tables)
