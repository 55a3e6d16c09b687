"""Figures per branch and country, computed only through :func:`run_aggregate`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from duo.core.db import db
from duo.core.tenancy.aggregates import run_aggregate
from duo.core.tenancy.models import Tenant
from duo.people.models import Person


@dataclass
class BranchFigures:
    tenant: Tenant
    by_role: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_role.values())


def branch_figures() -> list[BranchFigures]:
    tenants = db.session.execute(select(Tenant).order_by(Tenant.country, Tenant.slug)).scalars()
    figures = {t.id: BranchFigures(t) for t in tenants}
    stmt = select(Person.tenant_id, Person.role, func.count()).group_by(
        Person.tenant_id, Person.role
    )
    for tenant_id, role, n in run_aggregate(stmt):
        if tenant_id in figures:
            figures[tenant_id].by_role[role] = n
    return list(figures.values())
