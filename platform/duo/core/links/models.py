"""The stored side of a personal link: its hash, whom and what it is for, and its life."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk


class PersonalLink(TenantScoped, db.Model):
    """One link sent to one person. The token itself is never stored, only its hash.

    ``object_type``/``object_id`` name what the link acts on (``"duo"`` and the duo's id;
    ``"outcome_ask"`` and the ask's id); ``purpose`` what it lets the person do (``"duo"``
    opens their duo page; ``"outcome"`` answers one outcome question, once). The person is a
    branch row (composite key): erasing them erases their links.
    """

    __tablename__ = "personal_links"
    __table_args__ = (
        branch_fk("person_id", "people"),
        Index("ix_personal_links_object", "tenant_id", "object_type", "object_id"),
        # a link is looked up by its hash inside the branch of its URL (Citus: keys by branch)
        UniqueConstraint("tenant_id", "token_hash"),
    )
    __hq_groupable__ = ("purpose", "object_type")

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    purpose: Mapped[str] = mapped_column(String(30))
    #: SHA-256 of the token, hex; unique over all branches (a token is found by it).
    token_hash: Mapped[str] = mapped_column(String(64))
    single_use: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
