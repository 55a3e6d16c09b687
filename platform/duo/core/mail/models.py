"""The outbox of e-mails of one branch."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk

QUEUED = "queued"
SENT = "sent"
KEPT = "kept"  # no MAIL_SERVER configured: kept in the outbox, readable on the dev page
FAILED = "failed"  # every attempt failed: staff see it and may retry
STATUSES = (QUEUED, SENT, KEPT, FAILED)


class OutgoingMail(TenantScoped, db.Model):
    """One e-mail to one recipient, exactly as it will be (or was) sent.

    Branch-owned: the recipient, subject and body are personal data. ``person_id`` ties
    the mail to the person it concerns, so erasing the person erases their mails.
    ``message_id`` is fixed when the mail is queued, so a retry after a lost SMTP answer
    sends the same Message-ID and the receiving side can tell a duplicate. ``effect_key``
    names the job run that wrote the mail (``job:<outbox id>:<n>``, unique per branch):
    a job that runs twice finds its mail and writes no second one.
    """

    __tablename__ = "outgoing_mails"
    __table_args__ = (
        branch_fk("person_id", "people"),
        Index("ix_outgoing_mails_tenant_created", "tenant_id", "created_at"),
        UniqueConstraint("tenant_id", "effect_key"),
    )
    __hq_groupable__ = ("status", "kind")

    kind: Mapped[str | None] = mapped_column(String(60), nullable=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: [{"filename", "content_type", "data" (base64)}]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    effect_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: Delivery attempts that failed so far, the last error and when the next try is due.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
