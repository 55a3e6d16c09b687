"""After the demo's story is played, count it: every branch's rollups refreshed at once.

The platform counts a branch's figures in a debounced job after changes; the demo does not
wait for it, so HQ's dashboard shows the story's figures as soon as ``duo setup`` is done.
The story's changes, made over months of story time, each asked for that job (one per
branch and minute of story time, hundreds in all): once every branch is counted here, they
would only count the same rows again, each over years of past activity, so they are
dropped.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from duo.core.db import db
from duo.core.jobs.models import PENDING, OutboxJob
from duo.core.tenancy.models import Tenant
from duo.reporting.refresh import REFRESH_JOB, refresh_now


def refresh_figures() -> int:
    """Refresh the rollups of every active branch now; returns how many branches."""
    db.session.execute(
        delete(OutboxJob).where(OutboxJob.name == REFRESH_JOB, OutboxJob.status == PENDING)
    )
    ids = db.session.execute(select(Tenant.id).where(Tenant.active)).scalars().all()
    for tenant_id in ids:
        refresh_now(tenant_id)
    return len(ids)
