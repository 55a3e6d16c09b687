"""Lookups of branches (no personal data): the home page's list, the branches a periodic job
goes through."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from duo.core.db import db
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant


def public_branches() -> list[Tenant]:
    return list(
        db.session.execute(
            select(Tenant).where(Tenant.active).order_by(Tenant.country, Tenant.slug)
        ).scalars()
    )


def each_active_branch() -> Iterator[Tenant]:
    """Every active branch in turn, its scope set while the caller works on it: a job that
    runs for all branches reads and writes each branch's rows only in that branch's scope."""
    tenants = db.session.execute(select(Tenant).where(Tenant.active).order_by(Tenant.id))
    for tenant in tenants.scalars().all():
        with tenant_scope(tenant.id):
            yield tenant
