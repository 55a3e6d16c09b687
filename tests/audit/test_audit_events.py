"""The audit trail: one row per event, in the branch's scope, in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select

from duo.core import audit
from duo.core.audit.models import AuditEvent


def test_an_event_belongs_to_its_branch_only(db, in_tenant, create_user) -> None:
    user = create_user(branches=["ghent"])
    with in_tenant("ghent"):
        event = audit.record("export", "people.csv", actor=user, details={"rows": 3})
        assert event.at is not None and event.actor_user_id == user.id
    with in_tenant("ghent"):
        assert db.session.execute(select(AuditEvent)).scalars().one().details == {"rows": 3}
    with in_tenant("lille"):
        assert db.session.execute(select(AuditEvent)).scalars().all() == []
