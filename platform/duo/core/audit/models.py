"""The audit events table (see :mod:`duo.core.audit`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped


class AuditEvent(TenantScoped, db.Model):
    """``actor`` did ``action`` on ``object`` at ``at`` in the branch ``tenant_id``."""

    __tablename__ = "audit_events"

    actor_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    object: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
