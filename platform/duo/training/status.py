"""Who is trained: the answer matching relies on.

A mentor is *trained* when they attended every **required module** of their branch's
curriculum (``curriculum.required_keys``). Attendance is the only source of truth: any
cycle counts (a module missed in spring and caught up in autumn is attended), a session
that was cancelled counts for nothing, and a module the branch drops from its curriculum
stops being asked for. A branch without required modules has every mentor trained.

The pipeline state ``trained`` follows from this (``pipeline.sync_pipeline``), but this
module never reads it: a state set by hand cannot make an untrained mentor matchable.

Public API (stable, used by matching): :func:`trained_mentor_ids`, :func:`is_trained`,
:func:`missing_modules`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import and_, bindparam, distinct, func, select

from duo.core.db import db
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.people.models import MENTOR, Person
from duo.training.curriculum import required_keys
from duo.training.models import CANCELLED, SESSION_OF_ATTENDANCE, Attendance, TrainingSession


def _config(tenant_id: int) -> dict:
    tenant = g.get("tenant") if has_request_context() else None
    if tenant is None or tenant.id != tenant_id:
        tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"no branch with id {tenant_id}")
    return tenant.config


def _attended_stmt():
    return (
        select(Attendance.person_id, TrainingSession.module_key)
        .join(TrainingSession, SESSION_OF_ATTENDANCE)
        .where(
            Attendance.present.is_(True),
            TrainingSession.status != CANCELLED,
            TrainingSession.module_key.is_not(None),
        )
        .distinct()
    )


#: The duo page asks for both people on every visit: built once per branch.
_ATTENDED_BY = BranchRead(
    lambda: _attended_stmt().where(Attendance.person_id.in_(bindparam("ids", expanding=True)))
)


def attended_modules(tenant_id: int, person_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """Module (and workshop) keys each person attended, in any cycle; one query."""
    ids = list(person_ids)
    result: dict[uuid.UUID, set[str]] = {pid: set() for pid in ids}
    if not ids:
        return result
    with tenant_scope(tenant_id):
        rows = _ATTENDED_BY(ids=ids).all()
    for person_id, key in rows:
        result.setdefault(person_id, set()).add(key)
    return result


@dataclass(frozen=True)
class Progress:
    """A person's training: the required modules, those attended and those missing."""

    required: tuple[str, ...]
    attended: frozenset[str]

    @property
    def missing(self) -> list[str]:
        return [key for key in self.required if key not in self.attended]

    @property
    def done(self) -> int:
        return len(self.required) - len(self.missing)

    @property
    def trained(self) -> bool:
        return not self.missing


def progress_for(people: Iterable[Person]) -> dict[uuid.UUID, Progress]:
    """Training progress of several people of one branch, in two queries at most."""
    people = list(people)
    if not people:
        return {}
    tenant_id = people[0].tenant_id
    if any(p.tenant_id != tenant_id for p in people):
        raise ValueError("progress_for takes people of one branch")
    config = _config(tenant_id)
    attended = attended_modules(tenant_id, [p.id for p in people])
    return {
        p.id: Progress(tuple(required_keys(config, p.role)), frozenset(attended.get(p.id, ())))
        for p in people
    }


def missing_modules(person: Person) -> list[str]:
    """The required module keys ``person`` has not attended yet, in curriculum order."""
    return progress_for([person])[person.id].missing


def is_trained(person: Person) -> bool:
    """True for a mentor who attended every required module (see the module docstring)."""
    if person.role != MENTOR:
        return False
    return not missing_modules(person)


def trained_mentor_ids(tenant_id: int) -> set[uuid.UUID]:
    """Ids of the branch's mentors who attended every required module; one query."""
    required = required_keys(_config(tenant_id), MENTOR)
    with tenant_scope(tenant_id):
        if not required:
            stmt = select(Person.id).where(Person.role == MENTOR)
            return set(db.session.execute(stmt).scalars())
        stmt = (
            select(Attendance.person_id)
            .join(TrainingSession, SESSION_OF_ATTENDANCE)
            .join(
                Person,
                and_(Person.tenant_id == Attendance.tenant_id, Person.id == Attendance.person_id),
            )
            .where(
                Person.role == MENTOR,
                Attendance.present.is_(True),
                TrainingSession.status != CANCELLED,
                TrainingSession.module_key.in_(required),
            )
            .group_by(Attendance.person_id)
            .having(func.count(distinct(TrainingSession.module_key)) == len(required))
        )
        return set(db.session.execute(stmt).scalars())
