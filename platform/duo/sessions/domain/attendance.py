"""Recording who came to a session, and which held sessions still lack their attendance.

Attendance moves each person who came to ``attended_info_session`` (through the people
pipeline); it can be recorded from the session's local day on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select

from duo.core.db import db, utcnow
from duo.core.i18n import sentences, zones
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.people import pipeline, states
from duo.people.models import Person
from duo.sessions.domain.errors import SessionError
from duo.sessions.domain.queries import registrations_of
from duo.sessions.models import ACTIVE, InfoSession, Registration


def local_today(tenant: Tenant, now: datetime | None = None) -> date:
    return zones.local_today(tenant.timezone, now)


def attendance_open(session: InfoSession, tenant: Tenant, now: datetime | None = None) -> bool:
    """From the day of the session on (local date), unless it was cancelled."""
    if session.is_cancelled:
        return False
    zone = ZoneInfo(tenant.timezone)
    return session.starts_at.astimezone(zone).date() <= local_today(tenant, now)


@dataclass
class AttendanceResult:
    attended: int = 0
    absent: int = 0
    moved: list[uuid.UUID] = field(default_factory=list)
    reverted: list[uuid.UUID] = field(default_factory=list)


#: History sentences of attendance; the date is formatted when (and for whom) it is read.
ATTENDED_SESSION = sentences.register(
    "sessions.attended", _l("Attended the information session of %(date)s.")
)
ATTENDANCE_CORRECTED = sentences.register(
    "sessions.attendance_corrected",
    _l("Attendance of the information session of %(date)s corrected."),
)


def record_attendance(
    session: InfoSession,
    attended_ids: Iterable[uuid.UUID],
    *,
    tenant: Tenant,
    by: object | None = None,
    now: datetime | None = None,
) -> AttendanceResult:
    """Mark who came; each person who came moves to ``attended_info_session``.

    Unticking someone recorded by mistake moves them back to ``registered`` when this
    session was their only attended one and they have not gone further since.
    """
    now = now or utcnow()
    if not attendance_open(session, tenant, now):
        raise SessionError(_("Attendance can be recorded from the day of the session on."))
    regs = registrations_of(session)
    wanted = set(attended_ids)
    unknown = wanted - {reg.id for reg in regs}
    if unknown:
        raise SessionError(_("Someone in the list is not registered for this session."))
    result = AttendanceResult()
    for reg in regs:
        came = reg.id in wanted
        was = reg.attended
        reg.attended = came
        person = reg.person
        if came:
            result.attended += 1
            if person.state == states.REGISTERED:
                _move(person, states.ATTENDED, ATTENDED_SESSION, session, by)
                result.moved.append(person.id)
        else:
            result.absent += 1
            if was is True and person.state == states.ATTENDED and not _attended_elsewhere(reg):
                _move(person, states.REGISTERED, ATTENDANCE_CORRECTED, session, by)
                result.reverted.append(person.id)
    session.attendance_recorded_at = now
    db.session.flush()
    return result


def _move(person: Person, to: str, why: str, session: InfoSession, by: object | None) -> None:
    """Attendance moves a person's step; the history says why, with the session's date."""
    pipeline.transition(person, to, by=by, reason=sentences.encode(why, date=session.starts_at))


def local_start_label(session: InfoSession, tenant: Tenant) -> str:
    return session.starts_at.astimezone(ZoneInfo(tenant.timezone)).strftime("%Y-%m-%d %H:%M")


def _attended_elsewhere(reg: Registration) -> bool:
    return (
        db.session.execute(
            select(Registration.id)
            .where(
                Registration.person_id == reg.person_id,
                Registration.id != reg.id,
                Registration.attended.is_(True),
            )
            .limit(1)
        ).first()
        is not None
    )


def attendance_missing(tenant: Tenant, now: datetime | None = None, days: int = 30) -> int:
    """Sessions held in the last ``days`` with people expected and no attendance recorded."""
    now = now or utcnow()
    return _MISSING(now=now, since=now - timedelta(days=days)).scalar_one()


def _missing() -> Select:
    has_people = (
        select(Registration.id)
        .where(Registration.session_id == InfoSession.id, Registration.status.in_(ACTIVE))
        .exists()
    )
    return (
        select(func.count())
        .select_from(InfoSession)
        .where(
            InfoSession.starts_at <= bindparam("now"),
            InfoSession.starts_at > bindparam("since"),
            InfoSession.cancelled_at.is_(None),
            InfoSession.attendance_recorded_at.is_(None),
            has_people,
        )
    )


_MISSING = BranchRead(_missing)
