"""Demo sessions for ``make run``: a few upcoming ones per branch, so the sign-up page works.

Not wired by itself: the demo seed (``duo.consumers.demo.seed``) may call :func:`seed_sessions` for
each branch. Idempotent: a branch that has any session is left alone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.sessions.models import FOR_BOTH, FOR_MENTEES, FOR_MENTORS, InfoSession


def seed_sessions(tenant: Tenant, now: datetime | None = None) -> int:
    """Three upcoming sessions (mentors, mentees, both) in the branch's languages."""
    now = now or utcnow()
    zone = ZoneInfo(tenant.timezone)
    with tenant_scope(tenant.id):
        if db.session.execute(select(InfoSession.id).limit(1)).first() is not None:
            return 0
        plan = [
            (8, FOR_MENTEES, time(14, 0)),
            (12, FOR_MENTORS, time(18, 30)),
            (19, FOR_BOTH, time(10, 0)),
        ]
        for i, (days, audience, at) in enumerate(plan):
            day = (now + timedelta(days=days)).astimezone(zone).date()
            language = tenant.locales[i % len(tenant.locales)]
            db.session.add(
                InfoSession(
                    starts_at=datetime.combine(day, at, tzinfo=zone).astimezone(ZoneInfo("UTC")),
                    duration_minutes=90,
                    place=None if audience == FOR_BOTH else tenant.display_name(language),
                    online_url="https://meet.example.org/duo-info"
                    if audience == FOR_BOTH
                    else None,
                    language=language,
                    audience=audience,
                    capacity=12,
                    sequence=0,
                )
            )
        db.session.flush()
    return len(plan)
