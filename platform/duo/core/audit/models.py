"""The audit events table (see :mod:`duo.core.audit`), append-only for the application.

The ORM refuses to change or delete a row once written (:class:`AuditLogIsAppendOnly`): at
flush for ORM objects, and for Core ``update``/``delete`` statements run through the
session. On PostgreSQL the application role also lacks the UPDATE, DELETE and TRUNCATE
privileges on the table (migration ``0015_audit_log``), so raw SQL cannot do it either.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Uuid, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped


class AuditLogIsAppendOnly(RuntimeError):
    """An audit row was about to be changed or deleted."""


class AuditEvent(TenantScoped, db.Model):
    """``actor`` did ``action`` on ``object`` (about ``person_id``) at ``at`` in a branch."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_tenant_id_at", "tenant_id", "at"),)

    actor_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    object: Mapped[str] = mapped_column(String(200))
    #: The person whose data was read or changed (no foreign key: the log outlives them).
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj, include_collections=False):
            raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is AuditEvent.__table__ or any(m.class_ is AuditEvent for m in state.all_mappers):
        raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
