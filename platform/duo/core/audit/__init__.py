"""An audit trail of what staff did with people's data: who, what, on which object, when.

One row per event in ``audit_events`` (branch-owned: scoped and row-level secured like the
people it is about). Exports write one today; the security work extends it to reads of a
person's page and other sensitive actions. :func:`record` adds the row in the caller's
transaction, so an action and its audit entry commit together or not at all.
"""

from __future__ import annotations

from typing import Any

from duo.core.audit.models import AuditEvent
from duo.core.db import db, utcnow


def record(action: str, obj: str, *, actor: Any = None, details: dict | None = None) -> AuditEvent:
    """Record ``actor`` did ``action`` on ``obj`` (e.g. "export", "people.csv") now."""
    event = AuditEvent(
        actor_user_id=getattr(actor, "id", None),
        action=action,
        object=obj,
        details=details or {},
        at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    return event
