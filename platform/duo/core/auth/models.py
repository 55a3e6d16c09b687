"""Staff users and their roles. Global tables: a person may coordinate several branches."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duo.core.db import db, utcnow
from duo.core.db.types import UTCDateTime

COORDINATOR = "coordinator"
HQ = "hq"
ROLES = (COORDINATOR, HQ)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session id: rotating it (password change, "log out everywhere") ends
    # every other session of this user.
    session_token: Mapped[str] = mapped_column(
        String(64), default=lambda: secrets.token_urlsafe(24)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def is_hq(self) -> bool:
        return any(r.role == HQ for r in self.roles)

    def coordinates(self, tenant_id: int) -> bool:
        return any(r.role == COORDINATOR and r.tenant_id == tenant_id for r in self.roles)

    @property
    def branch_ids(self) -> list[int]:
        return sorted({r.tenant_id for r in self.roles if r.role == COORDINATOR and r.tenant_id})


class RoleGrant(db.Model):
    """``coordinator`` of one branch (tenant_id set) or ``hq`` (tenant_id empty)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "tenant_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"), nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
