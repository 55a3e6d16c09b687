"""The consent ledger: every grant and every withdrawal is a row, never rewritten.

Privacy sits below the register of people (every step that collects data records consent
through it), so it knows a person only as something with an ``id``. The purposes and their
text versions come from the branch's ``[privacy]`` configuration (:mod:`duo.privacy.config`).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy import bindparam, select

from duo.core.db import db, utcnow
from duo.core.tenancy.context import current_tenant_id
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.privacy import config
from duo.privacy.config import PRIVACY_NOTICE, SENSITIVE_FACTS
from duo.privacy.models import COORDINATOR, FORM, GRANT, WITHDRAW, Consent


class Person(Protocol):
    """Whoever gives consent: a candidate of :mod:`duo.people`."""

    @property
    def id(self) -> uuid.UUID: ...


__all__ = [
    "PRIVACY_NOTICE",
    "SENSITIVE_FACTS",
    "TEXT_VERSIONS",
    "current_version",
    "has_consent",
    "ledger",
    "record",
    "standing",
    "withdraw",
]

#: The code's default version per purpose (a branch's configuration names the current one).
TEXT_VERSIONS = config.DEFAULT_VERSIONS


def _tenant() -> Tenant | None:
    tenant_id = current_tenant_id()
    return db.session.get(Tenant, tenant_id) if tenant_id is not None else None


def current_version(kind: str) -> str:
    """The version of ``kind``'s wording the current branch shows now."""
    return config.text_version(_tenant(), kind)


def record(
    person: Person,
    kind: str,
    *,
    locale: str,
    text_version: str | None = None,
    channel: str = FORM,
    by: object | None = None,
) -> Consent:
    """Add a grant of ``kind`` to the ledger (the wording's current version by default)."""
    consent = Consent(
        person_id=person.id,
        kind=kind,
        text_version=text_version or current_version(kind),
        locale=locale,
        given_at=utcnow(),
        action=GRANT,
        channel=channel,
        by_user_id=getattr(by, "id", None),
    )
    db.session.add(consent)
    db.session.flush()
    return consent


def _standing_grants(person: Person, kind: str) -> list[Consent]:
    return list(
        db.session.execute(
            select(Consent)
            .where(
                Consent.person_id == person.id,
                Consent.kind == kind,
                Consent.action == GRANT,
                Consent.withdrawn_at.is_(None),
            )
            .order_by(Consent.given_at)
        ).scalars()
    )


#: Asked on every visit of a person page: built once per branch.
_STANDING = BranchRead(
    lambda: (
        select(Consent.id)
        .where(
            Consent.person_id == bindparam("person_id", type_=Consent.person_id.type),
            Consent.kind == bindparam("kind"),
            Consent.action == GRANT,
            Consent.withdrawn_at.is_(None),
        )
        .limit(1)
    )
)


def has_consent(person: Person, kind: str) -> bool:
    return _STANDING(person_id=person.id, kind=kind).first() is not None


def withdraw(
    person: Person,
    kind: str,
    *,
    channel: str = COORDINATOR,
    by: object | None = None,
    locale: str | None = None,
) -> int:
    """End the standing grants of ``kind``: one withdrawal row; returns the grants ended.

    Withdrawing what is not given changes nothing (0): a repeated click writes no row.
    """
    grants = _standing_grants(person, kind)
    if not grants:
        return 0
    now = utcnow()
    for grant in grants:
        grant.withdrawn_at = now
    last = grants[-1]
    db.session.add(
        Consent(
            person_id=person.id,
            kind=kind,
            text_version=last.text_version,
            locale=locale or last.locale,
            given_at=now,
            action=WITHDRAW,
            channel=channel,
            by_user_id=getattr(by, "id", None),
        )
    )
    db.session.flush()
    return len(grants)


def ledger(person: Person) -> list[Consent]:
    """Every grant and withdrawal of the person, oldest first."""
    return list(
        db.session.execute(
            select(Consent)
            .where(Consent.person_id == person.id)
            .order_by(Consent.given_at, Consent.action)
        ).scalars()
    )


def standing(person: Person) -> dict[str, Consent]:
    """The grant that stands now, per purpose (purposes not given are absent)."""
    found: dict[str, Consent] = {}
    for row in ledger(person):
        if row.action == GRANT and row.withdrawn_at is None:
            found[row.kind] = row
    return found
