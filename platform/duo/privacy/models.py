"""What a person agreed to, with the exact text version and time."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import UTCDateTime
from duo.core.tenancy.models import TenantScoped


class Consent(TenantScoped, db.Model):
    """One consent given (and possibly withdrawn) by one person, for one purpose.

    ``kind`` names the purpose (``privacy_notice`` at sign-up, ``sensitive_facts`` at the
    intake for migration background and residence status); ``text_version`` identifies the
    exact wording shown, so that a later change of text never rewrites what was agreed.
    """

    __tablename__ = "consents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "person_id"], ["people.tenant_id", "people.id"], ondelete="CASCADE"
        ),
    )
    __hq_groupable__ = ("kind",)

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    text_version: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(8))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
