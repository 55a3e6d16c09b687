"""Training jobs: the hourly reminder selection, and one message per participant.

``training.send_reminders`` runs every hour (registered below as a periodic job, so the
scheduler enqueues each hour's run exactly once). For every active branch it selects the
reminders due (:func:`duo.training.reminders.due_reminders`: sessions taking place
tomorrow in the branch's time zone, not cancelled) and writes one outbox row per person
and session whose ``dedupe_key`` is :func:`~duo.training.reminders.reminder_key`. The
outbox refuses a key it already holds, and the selection leaves out keys already there,
so a person is never reminded twice of the same session, however often the job runs.

The message jobs take ids only and check the state again before sending: a session
cancelled after the reminder was queued gets no reminder; a move notice for a session
that has moved again since is skipped (the newer notice follows).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlalchemy import and_, or_, select

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue, job
from duo.core.jobs.models import OutboxJob
from duo.core.jobs.schedule import Periodic
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.directory import each_active_branch
from duo.core.tenancy.models import Tenant
from duo.people.models import Person
from duo.training import notify
from duo.training.enrolment import participants
from duo.training.models import (
    CANCELLED,
    ENROLLED,
    Enrolment,
    TrainingSession,
)
from duo.training.reminders import EnrolmentRef, Reminder, SessionRef, due_reminders

log = logging.getLogger(__name__)

REMINDER_JOB = "training.send_reminder"
#: How far ahead the selection looks (it keeps only "tomorrow", locally).
LOOKAHEAD = dt.timedelta(hours=60)

#: Every hour: the reminders due for tomorrow's sessions (listed in ``training/plugin.py``).
REMINDERS = Periodic("training-reminders", "training.send_reminders", dt.timedelta(hours=1))


# --------------------------------------------------------------------------- selection


def select_reminders(tenant: Tenant, now: dt.datetime) -> list[Reminder]:
    """The reminders due at ``now`` in ``tenant`` (call inside that branch's scope)."""
    sessions = list(
        db.session.execute(
            select(TrainingSession).where(
                TrainingSession.starts_at > now,
                TrainingSession.starts_at <= now + LOOKAHEAD,
            )
        ).scalars()
    )
    if not sessions:
        return []
    by_id = {s.id: s for s in sessions}
    cycle_ids = {s.cycle_id for s in sessions}
    rows = db.session.execute(
        select(Enrolment, Person.locale)
        .join(
            Person,
            and_(Person.tenant_id == Enrolment.tenant_id, Person.id == Enrolment.person_id),
        )
        .where(
            Enrolment.cycle_id.in_(cycle_ids),
            Enrolment.status == ENROLLED,
            or_(Enrolment.session_id.is_(None), Enrolment.session_id.in_(list(by_id))),
        )
    ).all()
    refs: list[EnrolmentRef] = []
    for enrolment, locale in rows:
        targets = (
            [s for s in sessions if s.cycle_id == enrolment.cycle_id]
            if enrolment.session_id is None
            else [by_id[enrolment.session_id]]
        )
        for session in targets:
            refs.append(EnrolmentRef(str(session.id), str(enrolment.person_id), locale))
    session_refs = [
        SessionRef(str(s.id), s.starts_at, cancelled=s.status == CANCELLED) for s in sessions
    ]
    due = due_reminders(
        session_refs, refs, set(), now, tenant.timezone, default_locale=tenant.default_locale
    )
    if not due:
        return []
    keys = [r.key for r in due]
    sent = set(
        db.session.execute(
            select(OutboxJob.dedupe_key).where(OutboxJob.dedupe_key.in_(keys))
        ).scalars()
    )
    return [r for r in due if r.key not in sent]


def queue_reminders(tenant: Tenant, now: dt.datetime) -> int:
    """Write the due reminders of ``tenant`` to the outbox; returns how many."""
    count = 0
    for reminder in select_reminders(tenant, now):
        if enqueue(
            REMINDER_JOB,
            str(reminder.session_id),
            str(reminder.person_id),
            tenant_id=tenant.id,
            dedupe_key=reminder.key,
        ):
            count += 1
    return count


@job("training.send_reminders")
def send_reminders(now_iso: str | None = None) -> int:
    """Every active branch's reminders for tomorrow's sessions."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else utcnow()
    return sum(queue_reminders(tenant, now) for tenant in each_active_branch())


# --------------------------------------------------------------------------- messages


def _load(session_id: str, person_id: str) -> tuple[Tenant, TrainingSession, Person] | None:
    tenant = db.session.get(Tenant, require_tenant_id())
    session = db.session.execute(
        select(TrainingSession).where(TrainingSession.id == uuid.UUID(session_id))
    ).scalar_one_or_none()
    person = db.session.execute(
        select(Person).where(Person.id == uuid.UUID(person_id))
    ).scalar_one_or_none()
    if tenant is None or session is None or person is None:
        return None
    return tenant, session, person


def _has_place(session: TrainingSession, person: Person) -> bool:
    return any(p.id == person.id for p in participants(session))


@job(REMINDER_JOB)
def send_reminder(session_id: str, person_id: str) -> bool:
    """The day-before reminder; nothing if the session is cancelled, past or left."""
    loaded = _load(session_id, person_id)
    if loaded is None:
        return False
    tenant, session, person = loaded
    if session.status == CANCELLED or session.starts_at <= utcnow():
        return False
    if not _has_place(session, person):
        return False
    notify.send(notify.REMINDER, tenant, session, person)
    return True


@job("training.session_moved")
def session_moved(session_id: str, person_id: str, sequence: int | None = None) -> bool:
    loaded = _load(session_id, person_id)
    if loaded is None:
        return False
    tenant, session, person = loaded
    if session.status == CANCELLED or not _has_place(session, person):
        return False
    if sequence is not None and sequence != session.sequence:
        return False  # moved again since: the newer notice says where it is now
    notify.send(notify.MOVED, tenant, session, person)
    return True


@job("training.session_cancelled")
def session_cancelled(session_id: str, person_id: str) -> bool:
    loaded = _load(session_id, person_id)
    if loaded is None:
        return False
    tenant, session, person = loaded
    if session.status != CANCELLED:
        return False
    notify.send(notify.CANCELLED, tenant, session, person)
    return True


@job("training.enrolment_confirmed")
def enrolment_confirmed(enrolment_id: str) -> bool:
    """The "you have a place" mail: the dates to come, with the first as an invitation."""
    enrolment = db.session.execute(
        select(Enrolment).where(Enrolment.id == uuid.UUID(enrolment_id))
    ).scalar_one_or_none()
    if enrolment is None or enrolment.status != ENROLLED:
        return False
    tenant = db.session.get(Tenant, require_tenant_id())
    person = enrolment.person
    now = utcnow()
    sessions = [enrolment.session] if enrolment.session_id else enrolment.cycle.sessions
    upcoming = [s for s in sessions if s.status != CANCELLED and s.starts_at > now]
    if not upcoming:
        return False
    notify.send(notify.PLACE, tenant, upcoming[0], person, sessions=upcoming)
    return True
