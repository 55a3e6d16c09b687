"""Scheduling the intake interview: plan, move, cancel, ask for another time, remind.

Domain functions (no request): each change writes the appointment and enqueues the mail
job that tells the candidate, in the caller's transaction, so a change and its notice
commit together. Rules (a refusal is an :class:`AppointmentError` naming the field, and
changes nothing):

- An intake is scheduled for a candidate before the interview (registered or attended
  an information session), at a time in the future, at a place or by video (one of the
  two at least). The form bounds the date (:mod:`duo.core.validation`); this module adds
  "not in the past".
- A candidate has at most one scheduled intake: scheduling again *moves* it (same
  calendar event, higher ``sequence``; older personal links revoked, a new one mailed).
- Cancelling tells the candidate (``METHOD:CANCEL``) and revokes their links.
- Through their link the candidate asks for another time, with a short message and up to
  two times that would suit them; the link is then used up, and the request is a to-do
  for the coordinator until the appointment is moved or cancelled.
- Recording the intake marks the appointment done.
- The day before (the branch's local calendar day) the candidate gets a reminder, once per
  appointment and time: the outbox key holds the appointment's ``sequence``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Select, and_, bindparam, exists, func, select
from sqlalchemy.orm import contains_eager

from duo.core import links
from duo.core.db import db, utcnow
from duo.core.jobs import enqueue
from duo.core.jobs.models import OutboxJob
from duo.core.links.models import PersonalLink
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchLoad, BranchRead
from duo.intake.models import (
    CANCELLED,
    DONE,
    SCHEDULED,
    IntakeAppointment,
    IntakeTimeRequest,
)
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person

#: The personal link of an appointment: object type and purpose.
OBJECT = "intake_appointment"
PURPOSE = "intake"
#: Lengths a coordinator may choose for an intake, in minutes.
DURATIONS = (30, 45, 60, 90, 120)
#: Candidates whose intake can be scheduled: before the interview.
SCHEDULABLE = (states.REGISTERED, states.ATTENDED)
#: How long after the start a link still opens the appointment page.
LINK_GRACE = dt.timedelta(hours=12)

INVITED = "invited"
MOVED = "moved"
CANCELLED_NOTICE = "cancelled"
REMINDER = "reminder"

SEND_JOB = "intake.send_notice"
REMINDER_JOB = "intake.send_reminder"


class AppointmentError(ValueError):
    """A refused change, with the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Plan:
    """What the coordinator chose: a local day and time in the branch, where, who."""

    day: dt.date
    time: dt.time
    minutes: int = 60
    place: str | None = None
    video_url: str | None = None
    coordinator_id: int | None = None


#: The person page asks on every visit: built once per branch.
_CURRENT = BranchLoad(
    lambda: (
        select(IntakeAppointment)
        .where(
            IntakeAppointment.person_id
            == bindparam("person_id", type_=IntakeAppointment.person_id.type),
            IntakeAppointment.status == SCHEDULED,
        )
        .order_by(IntakeAppointment.starts_at.desc())
        .limit(1)
    )
)


def current(person: Person) -> IntakeAppointment | None:
    """The person's scheduled intake, if any."""
    return _CURRENT(person_id=person.id).scalar_one_or_none()


def get(appointment_id: uuid.UUID) -> IntakeAppointment | None:
    return db.session.execute(
        select(IntakeAppointment).where(IntakeAppointment.id == appointment_id)
    ).scalar_one_or_none()


def open_requests(appointment: IntakeAppointment) -> list[IntakeTimeRequest]:
    return [r for r in appointment.requests if r.handled_at is None]


def _moment(plan: Plan, tenant: Tenant) -> dt.datetime:
    local = dt.datetime.combine(plan.day, plan.time).replace(tzinfo=ZoneInfo(tenant.timezone))
    return local.astimezone(dt.UTC)


def _checked(plan: Plan, tenant: Tenant) -> tuple[dt.datetime, str | None, str | None]:
    starts_at = _moment(plan, tenant)
    if starts_at <= utcnow():
        raise AppointmentError(_("Choose a time in the future."), "day")
    if plan.minutes not in DURATIONS:
        raise AppointmentError(_("Choose one of the lengths offered."), "minutes")
    place = (plan.place or "").strip() or None
    video = (plan.video_url or "").strip() or None
    if place is None and video is None:
        raise AppointmentError(_("Give a place or a video link."), "place")
    if video is not None and not video.startswith(("https://", "http://")):
        raise AppointmentError(_("A video link starts with https:// or http://."), "video_url")
    return starts_at, place, video


def _notice(appointment: IntakeAppointment, kind: str) -> None:
    enqueue(
        SEND_JOB,
        str(appointment.id),
        kind,
        appointment.sequence,
        dedupe_key=f"intake.{kind}:{appointment.id}:{appointment.sequence}",
    )


def schedule(person: Person, plan: Plan, *, by: object, tenant: Tenant) -> IntakeAppointment:
    """Schedule the intake of ``person``, or move the one already scheduled."""
    existing = current(person)
    if existing is None and person.state not in SCHEDULABLE:
        raise AppointmentError(
            _("An intake can be scheduled only before the interview is recorded."), "day"
        )
    starts_at, place, video = _checked(plan, tenant)
    now = utcnow()
    if existing is not None:
        unchanged = (
            existing.starts_at == starts_at
            and existing.minutes == plan.minutes
            and existing.place == place
            and existing.video_url == video
        )
        existing.coordinator_user_id = plan.coordinator_id
        if unchanged:
            return existing
        existing.starts_at, existing.minutes = starts_at, plan.minutes
        existing.place, existing.video_url = place, video
        existing.sequence += 1
        existing.changed_at = now
        for request in open_requests(existing):
            request.handled_at = now
        links.revoke_all(person.id, OBJECT, existing.id, PURPOSE)
        _notice(existing, MOVED)
        return existing
    appointment = IntakeAppointment(
        person_id=person.id,
        starts_at=starts_at,
        minutes=plan.minutes,
        place=place,
        video_url=video,
        coordinator_user_id=plan.coordinator_id,
        status=SCHEDULED,
        sequence=0,
        created_at=now,
        changed_at=now,
        created_by_user_id=getattr(by, "id", None),
    )
    db.session.add(appointment)
    db.session.flush()
    _notice(appointment, INVITED)
    return appointment


def cancel(appointment: IntakeAppointment, *, by: object) -> None:
    """Cancel a scheduled intake; the candidate is told, their links stop working."""
    if appointment.status != SCHEDULED:
        raise AppointmentError(_("This intake is no longer scheduled."))
    now = utcnow()
    appointment.status = CANCELLED
    appointment.cancelled_at = appointment.changed_at = now
    for request in open_requests(appointment):
        request.handled_at = now
    links.revoke_all(appointment.person_id, OBJECT, appointment.id, PURPOSE)
    _notice(appointment, CANCELLED_NOTICE)


def mark_done(person: Person) -> None:
    """The intake was recorded: its appointment (if any) is done, its links close."""
    appointment = current(person)
    if appointment is None:
        return
    now = utcnow()
    appointment.status = DONE
    appointment.changed_at = now
    for request in open_requests(appointment):
        request.handled_at = now
    links.revoke_all(person.id, OBJECT, appointment.id, PURPOSE)


def link_for(appointment: IntakeAppointment) -> str:
    """A new personal link (token) to the appointment's page, valid until just after it."""
    valid_for = max(appointment.starts_at + LINK_GRACE - utcnow(), dt.timedelta(hours=1))
    _link, token = links.issue(
        appointment.person_id,
        OBJECT,
        appointment.id,
        PURPOSE,
        valid_for=valid_for,
        single_use=True,
        replace=False,
    )
    return token


def request_other_time(
    appointment: IntakeAppointment,
    link: PersonalLink,
    message: str,
    preferred: list[dt.datetime],
) -> IntakeTimeRequest:
    """The candidate cannot come: record why and when would suit; the link is used up."""
    if appointment.status != SCHEDULED:
        raise AppointmentError(_("This intake is no longer scheduled."))
    now = utcnow()
    if any(moment <= now for moment in preferred):
        raise AppointmentError(_("Choose times in the future."), "preferred_1")
    request = IntakeTimeRequest(
        appointment_id=appointment.id,
        message=message.strip(),
        preferred=[m.astimezone(dt.UTC).isoformat() for m in preferred],
        requested_at=now,
    )
    db.session.add(request)
    links.mark_used(link)
    db.session.flush()
    return request


def preferred_times(request: IntakeTimeRequest) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(value) for value in request.preferred or []]


# --------------------------------------------------------------------------- lists


def upcoming() -> list[IntakeAppointment]:
    """The branch's scheduled intakes, soonest first (those of today included)."""
    since = utcnow() - dt.timedelta(hours=12)
    return list(
        db.session.execute(
            select(IntakeAppointment)
            .where(IntakeAppointment.status == SCHEDULED, IntakeAppointment.starts_at >= since)
            .order_by(IntakeAppointment.starts_at)
        ).scalars()
    )


def pending_requests() -> list[IntakeTimeRequest]:
    """Requests for another time not handled yet, oldest first."""
    return list(
        db.session.execute(
            select(IntakeTimeRequest)
            .join(IntakeTimeRequest.appointment)
            .options(contains_eager(IntakeTimeRequest.appointment))
            .where(IntakeTimeRequest.handled_at.is_(None))
            .order_by(IntakeTimeRequest.requested_at)
        ).scalars()
    )


def _has_scheduled():
    return exists().where(
        and_(
            IntakeAppointment.tenant_id == Person.tenant_id,
            IntakeAppointment.person_id == Person.id,
            IntakeAppointment.status == SCHEDULED,
        )
    )


def to_schedule(limit: int = 200) -> list[Person]:
    """Candidates who attended an information session and have no intake scheduled."""
    return list(
        db.session.execute(
            select(Person)
            .where(Person.state == states.ATTENDED, ~_has_scheduled())
            .order_by(Person.state_changed_at, Person.id)
            .limit(limit)
        ).scalars()
    )


def todo_counts() -> tuple[int, int]:
    """(candidates to schedule, requests for another time) in one statement.

    Both roles are named so the count reads people by role and state from their index
    rather than every person row.
    """
    row = _TODO_COUNTS().one()
    return int(row[0] or 0), int(row[1] or 0)


def _todo_counts() -> Select:
    unscheduled = (
        select(func.count())
        .select_from(Person)
        .where(
            Person.role.in_((MENTEE, MENTOR)),
            Person.state == states.ATTENDED,
            ~_has_scheduled(),
        )
        .scalar_subquery()
    )
    asked = (
        select(func.count())
        .select_from(IntakeTimeRequest)
        .where(IntakeTimeRequest.handled_at.is_(None))
        .scalar_subquery()
    )
    return select(unscheduled, asked)


_TODO_COUNTS = BranchRead(_todo_counts)


# --------------------------------------------------------------------------- reminders


def reminder_key(appointment: IntakeAppointment) -> str:
    return f"intake-reminder:{appointment.id}:{appointment.sequence}"


def due_reminders(tenant: Tenant, now: dt.datetime) -> list[IntakeAppointment]:
    """Scheduled intakes on the branch's local tomorrow not reminded yet at this time."""
    zone = ZoneInfo(tenant.timezone)
    tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time()).replace(tzinfo=zone)
    end = dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time()).replace(tzinfo=zone)
    rows = list(
        db.session.execute(
            select(IntakeAppointment).where(
                IntakeAppointment.status == SCHEDULED,
                IntakeAppointment.starts_at >= start.astimezone(dt.UTC),
                IntakeAppointment.starts_at < end.astimezone(dt.UTC),
                IntakeAppointment.starts_at > now,
            )
        ).scalars()
    )
    if not rows:
        return []
    keys = [reminder_key(a) for a in rows]
    sent = set(
        db.session.execute(
            select(OutboxJob.dedupe_key).where(OutboxJob.dedupe_key.in_(keys))
        ).scalars()
    )
    return sorted(
        (a for a in rows if reminder_key(a) not in sent), key=lambda a: (a.starts_at, str(a.id))
    )


def queue_reminders(tenant: Tenant, now: dt.datetime) -> int:
    count = 0
    for appointment in due_reminders(tenant, now):
        if enqueue(
            REMINDER_JOB,
            str(appointment.id),
            appointment.sequence,
            tenant_id=tenant.id,
            dedupe_key=reminder_key(appointment),
        ):
            count += 1
    return count
