"""Recording and checking consent.

Privacy sits below the register of people (every step that collects data records consent
through it), so it knows a person only as something with an ``id``.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.privacy.models import Consent


class Person(Protocol):
    """Whoever gives consent: a candidate of :mod:`duo.people`."""

    @property
    def id(self) -> uuid.UUID: ...


PRIVACY_NOTICE = "privacy_notice"
SENSITIVE_FACTS = "sensitive_facts"

#: The current wording's version per purpose; bump it when the text in the templates changes.
TEXT_VERSIONS = {PRIVACY_NOTICE: "2026-11-v1", SENSITIVE_FACTS: "2026-11-v1"}


def record(person: Person, kind: str, *, locale: str, text_version: str | None = None) -> Consent:
    consent = Consent(
        person_id=person.id,
        kind=kind,
        text_version=text_version or TEXT_VERSIONS[kind],
        locale=locale,
        given_at=utcnow(),
    )
    db.session.add(consent)
    db.session.flush()
    return consent


def has_consent(person: Person, kind: str) -> bool:
    return (
        db.session.execute(
            select(Consent.id).where(
                Consent.person_id == person.id,
                Consent.kind == kind,
                Consent.withdrawn_at.is_(None),
            )
        ).first()
        is not None
    )


def withdraw(person: Person, kind: str) -> int:
    consents = db.session.execute(
        select(Consent).where(
            Consent.person_id == person.id, Consent.kind == kind, Consent.withdrawn_at.is_(None)
        )
    ).scalars()
    n = 0
    for consent in consents:
        consent.withdrawn_at = utcnow()
        n += 1
    db.session.flush()
    return n
