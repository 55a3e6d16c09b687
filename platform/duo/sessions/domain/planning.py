"""Planning a session, editing it and cancelling it.

Plain functions over the current branch's rows: they flush, never commit, and raise
:class:`SessionError` for anything a coordinator must correct. Notifications are jobs
written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue
from duo.core.tenancy.models import Tenant
from duo.people.models import Person
from duo.sessions.domain.capacity import seats_taken
from duo.sessions.domain.errors import SessionError
from duo.sessions.domain.queries import lock_session, registrations_of
from duo.sessions.domain.waitlist import promote_waitlist
from duo.sessions.models import (
    ACTIVE,
    AUDIENCES,
    FOR_BOTH,
    FOR_MENTORS,
    MENTEE,
    MENTOR,
    InfoSession,
    Registration,
)

MIN_DURATION, MAX_DURATION = 15, 8 * 60
MIN_CAPACITY, MAX_CAPACITY = 1, 1000


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

    def columns(self) -> dict[str, object]:
        """The session's columns as stored: free texts stripped, an empty one as None."""
        return {
            "starts_at": self.starts_at,
            "duration_minutes": self.duration_minutes,
            "place": _text(self.place),
            "online_url": _text(self.online_url),
            "language": self.language,
            "audience": self.audience,
            "capacity": self.capacity,
            "details": _text(self.details),
        }


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


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
    session = InfoSession(**data.columns(), sequence=0, created_by_user_id=getattr(by, "id", None))
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
            .join(
                Person,
                (Person.tenant_id == Registration.tenant_id)
                & (Person.id == Registration.person_id),
            )
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
    new_values = data.columns()
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
