"""The retention job: every branch, daily, in that branch's scope (idempotent)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.jobs import job
from duo.core.plugins import Periodic
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.privacy.gdpr import RetentionPlan, apply_retention, plan_retention

RETENTION_JOB = "privacy.retention"
#: Daily (listed in ``privacy/plugin.py``).
DAILY = Periodic("privacy-retention", RETENTION_JOB, timedelta(days=1))


def each_branch(*, dry_run: bool, now: datetime | None = None, slug: str | None = None):
    """The retention plan of every active branch (or one), applied unless ``dry_run``."""
    now = now or utcnow()
    stmt = select(Tenant).where(Tenant.active.is_(True)).order_by(Tenant.slug)
    if slug is not None:
        stmt = select(Tenant).where(Tenant.slug == slug)
    plans: list[RetentionPlan] = []
    for tenant in db.session.execute(stmt).scalars().all():
        with tenant_scope(tenant.id):
            plans.append(plan_retention(tenant, now) if dry_run else apply_retention(tenant, now))
    return plans


@job(RETENTION_JOB)
def retention(now_iso: str | None = None) -> int:
    """Pseudonymise people inactive for the retention period, carry out scheduled erasures
    and delete old mail bodies, in every branch; returns how many people were erased."""
    now = datetime.fromisoformat(now_iso) if now_iso else None
    plans = each_branch(dry_run=False, now=now)
    return sum(len(p.pseudonymise) + len(p.scheduled) for p in plans)
