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
    # Two-factor authentication (TOTP, RFC 6238): the base32 secret, when it was confirmed
    # (None: not enrolled yet, the next login asks for enrolment), and the last time step
    # accepted, so that a code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    #: The staff session this user object was loaded for (set at login and by the loader).
    session_key = None  # type: str | None  (a plain attribute, not a column)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key or self.session_token}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:
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


class RecoveryCode(db.Model):
    """A single-use code that replaces a TOTP code when the phone is lost (hashed, SHA-256:
    the codes are long random strings, so a slow hash adds nothing)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StaffSession(db.Model):
    """One logged-in browser of a staff user, kept on the server so that it can be ended.

    The cookie holds only the session's random key; its SHA-256 is stored here. A session
    ends at logout, after 30 minutes without a request, 12 hours after login, when the
    password or the two-factor setting changes, when the account is deactivated, or when
    the user ends it from their sessions page.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(200), nullable=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class PasswordReset(db.Model):
    """A password-reset link sent by e-mail: hashed, single-use, expiring after an hour."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
