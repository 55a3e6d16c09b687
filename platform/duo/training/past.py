"""A mentor training that took place before the branch used the platform.

A branch that moves onto the platform brings mentors trained the old way. Training status
is read from attendance only (:mod:`duo.training.status`), so such a mentor is recorded as
having attended every required module on the day they finished their training: one
*past* cycle per day (``every_weeks`` :data:`PAST_RHYTHM`, which no planned cycle has),
one session per required module, attendance present. The cycles show in the training
pages as past ones; nothing is sent, since their sessions are over. Recording the same
mentor again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.people.models import MENTOR, Person
from duo.training import curriculum
from duo.training.models import MODULES, SCHEDULED, Attendance, TrainingCycle, TrainingSession

#: ``TrainingCycle.every_weeks`` of a cycle recorded from the past (planned cycles have 1+).
PAST_RHYTHM = 0
_START, _END = dt.time(9, 0), dt.time(17, 0)


def _utc(day: dt.date, at: dt.time, timezone: str) -> dt.datetime:
    local = dt.datetime.combine(day, at, tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC)


def past_cycle(tenant: Tenant, day: dt.date, *, by: object | None = None) -> TrainingCycle | None:
    """The branch's past cycle of ``day`` (created with its sessions when missing); None
    when the branch requires no module."""
    keys = curriculum.required_keys(tenant.config, MENTOR)
    if not keys:
        return None
    cycle = db.session.execute(
        select(TrainingCycle).where(
            TrainingCycle.kind == MODULES,
            TrainingCycle.every_weeks == PAST_RHYTHM,
            TrainingCycle.start_date == day,
        )
    ).scalar_one_or_none()
    if cycle is not None:
        return cycle
    with force_locale(tenant.default_locale):
        title = _("Mentor training before the platform")
    cycle = TrainingCycle(
        tenant_id=tenant.id,
        title=title,
        kind=MODULES,
        module_keys=list(keys),
        audience="mentors",
        start_date=day,
        weekdays=[day.weekday()],
        start_time=_START,
        end_time=_END,
        every_weeks=PAST_RHYTHM,
        timezone=tenant.timezone,
        created_by_user_id=getattr(by, "id", None),
    )
    db.session.add(cycle)
    db.session.flush()
    now = utcnow()
    for index, key in enumerate(keys):
        db.session.add(
            TrainingSession(
                tenant_id=tenant.id,
                cycle_id=cycle.id,
                index=index,
                module_key=key,
                starts_at=_utc(day, _START, tenant.timezone),
                ends_at=_utc(day, _END, tenant.timezone),
                status=SCHEDULED,
                attendance_recorded_at=now,
            )
        )
    db.session.flush()
    return cycle


def record_trained(
    person: Person,
    day: dt.date,
    tenant: Tenant,
    *,
    by: object | None,
    sessions: dict[dt.date, list] | None = None,
    new: bool = False,
) -> None:
    """Record that ``person`` attended every required module on ``day`` (idempotent).

    A bulk import passes ``sessions`` (a dict it keeps: the past sessions of each day, read
    once) and ``new`` for a person created just now (no attendance to look up); the
    attendance rows are flushed by the caller then.
    """
    sessions = {} if sessions is None else sessions
    if day not in sessions:
        cycle = past_cycle(tenant, day, by=by)
        sessions[day] = (
            []
            if cycle is None
            else list(
                db.session.execute(
                    select(TrainingSession.id).where(TrainingSession.cycle_id == cycle.id)
                ).scalars()
            )
        )
    present: set = set()
    if not new:
        present = set(
            db.session.execute(
                select(Attendance.session_id).where(Attendance.person_id == person.id)
            ).scalars()
        )
    for session_id in sessions[day]:
        if session_id not in present:
            db.session.add(
                Attendance(
                    tenant_id=tenant.id,
                    session_id=session_id,
                    person_id=person.id,
                    present=True,
                    recorded_at=utcnow(),
                    recorded_by_user_id=getattr(by, "id", None),
                )
            )
