"""The outbox as an operator sees it: backlog, the oldest due job, failed mails."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from duo.core.db import db, utcnow
from duo.core.jobs.models import FAILED, PENDING, OutboxJob


@dataclass(frozen=True)
class OutboxState:
    by_status: dict[str, int]
    oldest_due_seconds: float
    mails_failed: int


def outbox_state() -> OutboxState:
    """Counts from the global outbox table (no personal data, no branch scope needed)."""
    now = utcnow()
    by_status = dict(
        db.session.execute(select(OutboxJob.status, func.count()).group_by(OutboxJob.status)).all()
    )
    oldest = db.session.execute(
        select(func.min(OutboxJob.run_after)).where(
            OutboxJob.status == PENDING, OutboxJob.run_after <= now
        )
    ).scalar_one_or_none()
    if oldest is not None and oldest.tzinfo is None:
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    mails_failed = db.session.execute(
        select(func.count()).where(OutboxJob.name == "mail.send", OutboxJob.status == FAILED)
    ).scalar_one()
    return OutboxState(
        by_status={str(k): int(v) for k, v in by_status.items()},
        oldest_due_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        mails_failed=int(mails_failed),
    )
