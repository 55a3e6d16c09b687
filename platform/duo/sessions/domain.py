"""Planning sessions, their figures, cancelling them and recording attendance.

Plain functions over the current branch's rows: they flush, never commit, and raise
:class:`SessionError` (a translated message and the field it concerns) for anything a
coordinator must correct. Notifications are jobs written in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from duo.core.db import db, utcnow
from duo.core.i18n import sentences, zones
from duo.core.jobs import enqueue
from duo.core.tenancy.models import Tenant
from duo.people import pipeline, states
from duo.people.models import Person
from duo.sessions.models import (
    ACTIVE,
    AUDIENCES,
    CANCELLED,
    FOR_BOTH,
    FOR_MENTORS,
    MENTEE,
    MENTOR,
    REGISTERED,
    WAITLISTED,
    InfoSession,
    Registration,
    audiences_for_role,
)

MIN_DURATION, MAX_DURATION = 15, 8 * 60
MIN_CAPACITY, MAX_CAPACITY = 1, 1000
#: A session counts as nearly full from this share of its seats taken.
NEARLY_FULL = 0.8


class SessionError(ValueError):
    """Something a coordinator (or a candidate) must correct; ``field`` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class SessionData:
    """What a coordinator enters for a session (times already converted to UTC)."""

    starts_at: datetime
    duration_minutes: int
    language: str
    audience: str
    capacity: int
    place: str | None = None
    online_url: str | None = None
    details: str | None = None


@dataclass(frozen=True)
class Figures:
    capacity: int
    registered: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    attended: int = 0
    absent: int = 0

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.registered)

    @property
    def full(self) -> bool:
        return self.registered >= self.capacity

    @property
    def nearly_full(self) -> bool:
        return self.registered >= self.capacity * NEARLY_FULL

    @property
    def expected(self) -> int:
        """Everyone who may come: seats taken plus the waiting list."""
        return self.registered + self.waitlisted


# --------------------------------------------------------------------------- times


def local_to_utc(day: date, at: time, timezone: str) -> datetime:
    """A wall-clock time in the branch's zone, as UTC; refuses a time that does not exist.

    On the night clocks go forward, 02:30 does not exist: rather than silently moving the
    session an hour, the coordinator is asked to pick another time. In the repeated hour
    in autumn the first occurrence is taken.
    """
    zone = ZoneInfo(timezone)
    naive = datetime.combine(day, at.replace(tzinfo=None, second=0, microsecond=0))
    aware = naive.replace(tzinfo=zone, fold=0)
    if aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != naive:
        raise SessionError(
            _("This time does not exist on that day (the clocks change). Choose another time."),
            "start_time",
        )
    return aware.astimezone(ZoneInfo("UTC"))


def local_today(tenant: Tenant, now: datetime | None = None) -> date:
    return zones.local_today(tenant.timezone, now)


# --------------------------------------------------------------------------- queries


def get_session(session_id: uuid.UUID) -> InfoSession | None:
    return db.session.execute(
        select(InfoSession).where(InfoSession.id == session_id)
    ).scalar_one_or_none()


def lock_session(session_id: uuid.UUID) -> InfoSession | None:
    """The session row, locked until the transaction ends (PostgreSQL; SQLite serialises
    writers anyway), so that seats are counted by one sign-up at a time."""
    return db.session.execute(
        select(InfoSession)
        .where(InfoSession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def seats_taken(session_id: uuid.UUID) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Registration)
        .where(Registration.session_id == session_id, Registration.status == REGISTERED)
    ).scalar_one()


def figures_for(sessions: Iterable[InfoSession]) -> dict[uuid.UUID, Figures]:
    """The figures of many sessions in one query (no query per session)."""
    sessions = list(sessions)
    if not sessions:
        return {}
    counts: dict[uuid.UUID, dict[str, int]] = {s.id: {} for s in sessions}
    rows = db.session.execute(
        select(Registration.session_id, Registration.status, Registration.attended, func.count())
        .where(Registration.session_id.in_([s.id for s in sessions]))
        .group_by(Registration.session_id, Registration.status, Registration.attended)
    ).all()
    for session_id, status, attended, n in rows:
        bucket = counts[session_id]
        bucket[status] = bucket.get(status, 0) + n
        if status in ACTIVE and attended is True:
            bucket["attended"] = bucket.get("attended", 0) + n
        elif status in ACTIVE and attended is False:
            bucket["absent"] = bucket.get("absent", 0) + n
    return {
        s.id: Figures(
            capacity=s.capacity,
            registered=counts[s.id].get(REGISTERED, 0),
            waitlisted=counts[s.id].get(WAITLISTED, 0),
            cancelled=counts[s.id].get(CANCELLED, 0),
            attended=counts[s.id].get("attended", 0),
            absent=counts[s.id].get("absent", 0),
        )
        for s in sessions
    }


def upcoming_sessions(
    now: datetime | None = None, *, role: str | None = None, include_cancelled: bool = False
) -> list[InfoSession]:
    stmt = select(InfoSession).where(InfoSession.starts_at > (now or utcnow()))
    if not include_cancelled:
        stmt = stmt.where(InfoSession.cancelled_at.is_(None))
    if role is not None:
        stmt = stmt.where(InfoSession.audience.in_(audiences_for_role(role)))
    return list(db.session.execute(stmt.order_by(InfoSession.starts_at, InfoSession.id)).scalars())


def past_sessions(now: datetime | None = None, limit: int = 100) -> list[InfoSession]:
    stmt = (
        select(InfoSession)
        .where(InfoSession.starts_at <= (now or utcnow()))
        .order_by(InfoSession.starts_at.desc(), InfoSession.id)
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())


def registrations_of(session: InfoSession, statuses: Iterable[str] = ACTIVE) -> list[Registration]:
    """A session's registrations with their people, in sign-up order (one query each)."""
    return list(
        db.session.execute(
            select(Registration)
            .where(Registration.session_id == session.id, Registration.status.in_(list(statuses)))
            .options(selectinload(Registration.person))
            .order_by(Registration.registered_at, Registration.id)
        ).scalars()
    )


# --------------------------------------------------------------------------- planning


def _check(data: SessionData, languages: Iterable[str], now: datetime) -> None:
    if data.starts_at <= now:
        raise SessionError(_("Choose a date and time in the future."), "start_date")
    if not MIN_DURATION <= data.duration_minutes <= MAX_DURATION:
        raise SessionError(
            _(
                "Enter a duration between %(min)s and %(max)s minutes.",
                min=MIN_DURATION,
                max=MAX_DURATION,
            ),
            "duration_minutes",
        )
    if not MIN_CAPACITY <= data.capacity <= MAX_CAPACITY:
        raise SessionError(
            _("Enter a capacity between %(min)s and %(max)s.", min=MIN_CAPACITY, max=MAX_CAPACITY),
            "capacity",
        )
    if data.audience not in AUDIENCES:
        raise SessionError(_("Choose who the session is for."), "audience")
    if data.language not in set(languages):
        raise SessionError(_("Choose one of the branch's languages."), "language")
    if not (data.place or data.online_url):
        raise SessionError(_("Enter a place, an online link, or both."), "place")
    if data.online_url and not data.online_url.startswith(("https://", "http://")):
        raise SessionError(_("Enter a link that starts with https://."), "online_url")


def session_languages(tenant: Tenant) -> list[str]:
    """The languages a branch holds sessions in: its site's, then its working languages."""
    extra = (tenant.config or {}).get("working_languages") or []
    return list(dict.fromkeys([*tenant.locales, *extra]))


def create_session(
    data: SessionData, *, tenant: Tenant, by: object | None = None, now: datetime | None = None
) -> InfoSession:
    _check(data, session_languages(tenant), now or utcnow())
    session = InfoSession(
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=(data.place or "").strip() or None,
        online_url=(data.online_url or "").strip() or None,
        language=data.language,
        audience=data.audience,
        capacity=data.capacity,
        details=(data.details or "").strip() or None,
        sequence=0,
        created_by_user_id=getattr(by, "id", None),
    )
    db.session.add(session)
    db.session.flush()
    return session


#: Fields whose change the people registered must hear about (a new invitation).
_NOTIFIED_FIELDS = ("starts_at", "duration_minutes", "place", "online_url", "language")


def update_session(
    session: InfoSession, data: SessionData, *, tenant: Tenant, now: datetime | None = None
) -> list[str]:
    """Apply a coordinator's edit; returns the names of the fields that changed.

    People registered or waiting are told of a change of time, place, link or language
    (with an updated invitation); a larger capacity serves the waiting list.
    """
    now = now or utcnow()
    session = lock_session(session.id) or session
    if session.is_cancelled:
        raise SessionError(_("This session was cancelled; it can no longer be changed."))
    if session.has_started(now):
        raise SessionError(_("This session has already taken place; it can no longer be changed."))
    _check(data, session_languages(tenant), now)
    taken = seats_taken(session.id)
    if data.capacity < taken:
        raise SessionError(
            ngettext(
                "%(num)d person already has a seat: the capacity cannot be lower.",
                "%(num)d people already have a seat: the capacity cannot be lower.",
                taken,
            ),
            "capacity",
        )
    if data.audience != session.audience and data.audience != FOR_BOTH:
        excluded = MENTEE if data.audience == FOR_MENTORS else MENTOR
        has_excluded = db.session.execute(
            select(Registration.id)
            .join(Person, Person.id == Registration.person_id)
            .where(
                Registration.session_id == session.id,
                Registration.status.in_(ACTIVE),
                Person.role == excluded,
            )
            .limit(1)
        ).first()
        if has_excluded is not None:
            raise SessionError(
                _(
                    "People of the other audience are registered: the session must stay open "
                    "to them."
                ),
                "audience",
            )
    new_values = {
        "starts_at": data.starts_at,
        "duration_minutes": data.duration_minutes,
        "place": (data.place or "").strip() or None,
        "online_url": (data.online_url or "").strip() or None,
        "language": data.language,
        "audience": data.audience,
        "capacity": data.capacity,
        "details": (data.details or "").strip() or None,
    }
    changed = [name for name, value in new_values.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, new_values[name])
    if any(name in _NOTIFIED_FIELDS for name in changed):
        session.sequence += 1
        for reg in registrations_of(session):
            enqueue(
                "sessions.changed",
                str(reg.id),
                session.sequence,
                dedupe_key=f"sessions.changed:{reg.id}:{session.sequence}",
            )
    db.session.flush()
    if "capacity" in changed:
        promote_waitlist(session, now=now)
    return changed


def cancel_session(
    session: InfoSession, *, reason: str | None = None, now: datetime | None = None
) -> int:
    """Cancel a session and tell everyone registered or waiting; returns how many.

    Cancelling twice does nothing the second time, and each (session, person) is told at
    most once (the job's dedupe key).
    """
    now = now or utcnow()
    session = lock_session(session.id) or session
    if session.is_cancelled:
        return 0
    if session.has_started(now):
        raise SessionError(_("This session has already taken place; it cannot be cancelled."))
    session.cancelled_at = now
    session.cancel_reason = (reason or "").strip() or None
    told = 0
    for reg in registrations_of(session):
        if enqueue(
            "sessions.session_cancelled",
            str(session.id),
            str(reg.person_id),
            dedupe_key=f"sessions.cancelled:{session.id}:{reg.person_id}",
        ):
            told += 1
    db.session.flush()
    return told


# --------------------------------------------------------------------------- waiting list


def promote_waitlist(session: InfoSession, *, now: datetime | None = None) -> list[Registration]:
    """Give free seats to the waiting list, first come first served, and tell them (job)."""
    now = now or utcnow()
    if session.is_cancelled or session.has_started(now):
        return []
    free = session.capacity - seats_taken(session.id)
    if free <= 0:
        return []
    waiting = list(
        db.session.execute(
            select(Registration)
            .where(Registration.session_id == session.id, Registration.status == WAITLISTED)
            .order_by(Registration.registered_at, Registration.id)
            .limit(free)
        ).scalars()
    )
    for reg in waiting:
        reg.status = REGISTERED
        reg.promoted_at = now
        enqueue(
            "sessions.promoted",
            str(reg.id),
            dedupe_key=f"sessions.promoted:{reg.id}:{int(reg.registered_at.timestamp())}",
        )
    db.session.flush()
    return waiting


def cancel_registration(reg: Registration, *, now: datetime | None = None) -> list[Registration]:
    """The registrant leaves (seat or waiting list); a freed seat goes to the next in line."""
    now = now or utcnow()
    session = lock_session(reg.session_id)
    if reg.status == CANCELLED or session is None:
        return []
    if session.has_started(now):
        raise SessionError(_("This session has already started; there is nothing to cancel."))
    had_seat = reg.status == REGISTERED
    reg.status = CANCELLED
    reg.cancelled_at = now
    db.session.flush()
    return promote_waitlist(session, now=now) if had_seat else []


# --------------------------------------------------------------------------- attendance


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
                pipeline.transition(
                    person,
                    states.ATTENDED,
                    by=by,
                    reason=sentences.encode(ATTENDED_SESSION, date=session.starts_at),
                )
                result.moved.append(person.id)
        else:
            result.absent += 1
            if was is True and person.state == states.ATTENDED and not _attended_elsewhere(reg):
                pipeline.transition(
                    person,
                    states.REGISTERED,
                    by=by,
                    reason=sentences.encode(ATTENDANCE_CORRECTED, date=session.starts_at),
                )
                result.reverted.append(person.id)
    session.attendance_recorded_at = now
    db.session.flush()
    return result


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


# --------------------------------------------------------------------------- to-dos


def attendance_missing(tenant: Tenant, now: datetime | None = None, days: int = 30) -> int:
    """Sessions held in the last ``days`` with people expected and no attendance recorded."""
    now = now or utcnow()
    has_people = (
        select(Registration.id)
        .where(Registration.session_id == InfoSession.id, Registration.status.in_(ACTIVE))
        .exists()
    )
    return db.session.execute(
        select(func.count())
        .select_from(InfoSession)
        .where(
            InfoSession.starts_at <= now,
            InfoSession.starts_at > now - timedelta(days=days),
            InfoSession.cancelled_at.is_(None),
            InfoSession.attendance_recorded_at.is_(None),
            has_people,
        )
    ).scalar_one()


def nearly_full_count(now: datetime | None = None) -> int:
    sessions = upcoming_sessions(now)
    figures = figures_for(sessions)
    return sum(1 for s in sessions if figures[s.id].nearly_full)
