"""Telling registrants what happened to their session. Arguments are ids only.

Each job looks at the current state before writing: a registration cancelled since, a
session changed again since (a newer job will write), or a session already over is left
alone, so running a job twice or late never misinforms anyone.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.jobs import job
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.models import Tenant
from duo.people.models import Person
from duo.sessions import notify
from duo.sessions.models import ACTIVE, REGISTERED, InfoSession, Registration


def _load(reg_id: str) -> tuple[Registration, InfoSession, Person, Tenant] | None:
    reg = db.session.execute(
        select(Registration).where(Registration.id == uuid.UUID(reg_id))
    ).scalar_one_or_none()
    if reg is None:
        return None
    session = db.session.execute(
        select(InfoSession).where(InfoSession.id == reg.session_id)
    ).scalar_one()
    person = db.session.execute(select(Person).where(Person.id == reg.person_id)).scalar_one()
    tenant = db.session.get(Tenant, require_tenant_id())
    return reg, session, person, tenant


@job("sessions.promoted")
def promoted(reg_id: str) -> str:
    loaded = _load(reg_id)
    if loaded is None:
        return "skipped"
    reg, session, person, tenant = loaded
    if reg.status != REGISTERED or session.is_cancelled or session.has_started(utcnow()):
        return "skipped"
    notify.promoted(reg, session=session, person=person, tenant=tenant)
    return "sent"


@job("sessions.changed")
def changed(reg_id: str, sequence: int) -> str:
    loaded = _load(reg_id)
    if loaded is None:
        return "skipped"
    reg, session, person, tenant = loaded
    if (
        reg.status not in ACTIVE
        or session.sequence != sequence
        or session.is_cancelled
        or session.has_started(utcnow())
    ):
        return "skipped"
    notify.changed(reg, session=session, person=person, tenant=tenant)
    return "sent"


@job("sessions.session_cancelled")
def session_cancelled(session_id: str, person_id: str) -> str:
    reg = db.session.execute(
        select(Registration).where(
            Registration.session_id == uuid.UUID(session_id),
            Registration.person_id == uuid.UUID(person_id),
        )
    ).scalar_one_or_none()
    if reg is None or reg.status not in ACTIVE:
        return "skipped"
    loaded = _load(str(reg.id))
    if loaded is None:
        return "skipped"
    reg, session, person, tenant = loaded
    if not session.is_cancelled:
        return "skipped"
    notify.session_cancelled(reg, session=session, person=person, tenant=tenant)
    return "sent"
