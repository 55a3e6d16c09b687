"""The branch (tenant) itself, and the mixin every branch-owned model uses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, ForeignKeyConstraint, Integer, String, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from duo.core.db import db, new_id, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.config.branch import name_in
from duo.core.tenancy.context import require_tenant_id


class Tenant(db.Model):
    """A branch. Its row mirrors ``tenants/<slug>.toml``; the file is the source of truth.

    A branch whose file disappears is made inactive, never deleted: HQ's history keeps it.
    """

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[dict[str, str]] = mapped_column(JSONType)
    locales: Mapped[list[str]] = mapped_column(JSONType)
    timezone: Mapped[str] = mapped_column(String(64))
    contact_email: Mapped[str] = mapped_column(String(254))
    config: Mapped[dict[str, Any]] = mapped_column(JSONType)
    digest: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    def display_name(self, locale: str | None = None) -> str:
        return name_in(self.name, locale, self.default_locale)

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantScoped:
    """Mixin for every row that belongs to one branch.

    The primary key is ``(tenant_id, id)`` so that the schema can be distributed by tenant
    later (Citus) and foreign keys between branch rows carry the branch too. ``tenant_id``
    defaults to the current branch; :mod:`duo.core.tenancy.scoping` filters every query and
    refuses writes for another branch.
    """

    __tenant_scoped__ = True

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer,
            ForeignKey("tenants.id"),
            primary_key=True,
            default=require_tenant_id,
        )

    @declared_attr
    def id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(Uuid, primary_key=True, default=new_id)


def branch_fk(column: str, table: str, ondelete: str | None = "CASCADE") -> ForeignKeyConstraint:
    """A branch row's reference to a row of ``table`` in the same branch: the key carries
    ``tenant_id`` too, so a row can never point into another branch."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


def tenant_owned_tables() -> list[str]:
    """Every table that carries branch rows (RLS must be on for each)."""
    names = []
    for mapper in db.Model.registry.mappers:
        if getattr(mapper.class_, "__tenant_scoped__", False):
            names.append(mapper.local_table.name)
    return sorted(set(names))
