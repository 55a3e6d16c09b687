"""Public lookups of branches (no personal data): the home page's list of branches."""

from __future__ import annotations

from sqlalchemy import select

from duo.core.db import db
from duo.core.tenancy.models import Tenant


def public_branches() -> list[Tenant]:
    return list(
        db.session.execute(
            select(Tenant).where(Tenant.active).order_by(Tenant.country, Tenant.slug)
        ).scalars()
    )
