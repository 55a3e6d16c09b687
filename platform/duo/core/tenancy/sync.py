"""Bring the ``tenants`` table in line with the config files, in one transaction.

The files are the source of truth. :func:`plan` compares them with the database and says
what would change; :func:`apply_plan` writes it. Nothing is ever deleted: a branch whose file
was removed becomes inactive (its pages close, HQ keeps its history), and comes back if
the file returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from duo.core.db import db
from duo.core.tenancy.config import BranchConfig, load_tenants
from duo.core.tenancy.models import Tenant

#: Columns mirrored from the file; the rest of the file lives in ``Tenant.config``.
_MIRRORED = ("country", "name", "locales", "timezone", "contact_email")


@dataclass
class Change:
    slug: str
    fields: list[str]


@dataclass
class Plan:
    added: list[BranchConfig] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    configs: dict[str, BranchConfig] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.deactivated)


def _row_values(config: BranchConfig) -> dict[str, object]:
    return {
        "country": config.country,
        "name": dict(config.name),
        "locales": list(config.locales),
        "timezone": config.timezone,
        "contact_email": config.contact_email,
        "config": config.as_dict(),
        "digest": config.digest,
    }


def plan(configs: dict[str, BranchConfig]) -> Plan:
    result = Plan(configs=configs)
    existing = {t.slug: t for t in db.session.execute(select(Tenant)).scalars()}
    for slug in sorted(configs):
        config = configs[slug]
        tenant = existing.get(slug)
        if tenant is None:
            result.added.append(config)
            continue
        values = _row_values(config)
        fields = [name for name in _MIRRORED if getattr(tenant, name) != values[name]]
        if tenant.digest != config.digest and not fields:
            fields.append("config")
        if not tenant.active:
            fields.append("active")
        if fields:
            result.changed.append(Change(slug, fields))
        else:
            result.unchanged.append(slug)
    for slug, tenant in sorted(existing.items()):
        if slug not in configs and tenant.active:
            result.deactivated.append(slug)
    return result


def apply_plan(result: Plan) -> None:
    existing = {t.slug: t for t in db.session.execute(select(Tenant)).scalars()}
    for config in result.added:
        db.session.add(Tenant(slug=config.slug, active=True, **_row_values(config)))
    for change in result.changed:
        tenant = existing[change.slug]
        for name, value in _row_values(result.configs[change.slug]).items():
            setattr(tenant, name, value)
        tenant.active = True
    for slug in result.deactivated:
        existing[slug].active = False
    db.session.flush()


def sync_from_path(root: Path) -> Plan:
    """Load, validate, plan and apply (the caller commits)."""
    result = plan(load_tenants(root))
    apply_plan(result)
    return result
