"""Enrolment (with capacity and a waiting list), attendance, and the pipeline moves they cause.

Rules (where the issue is silent, chosen here):

- **Who.** A cycle for mentors takes mentors, one for mentees takes mentees, one for
  duos takes both, from the intake interview on: a mentor whose eligibility is still
  being decided may already be given a place; a candidate not yet met, one found not
  eligible, or one who withdrew cannot be enrolled.
- **Where.** In the whole cycle, or in one session of it (a catch-up, one workshop).
  Enrolling someone in the whole cycle absorbs their single-session enrolments in it.
- **Capacity** is per session: a session holds the whole-cycle enrolments plus its own.
  A whole-cycle place needs room in every session still to come. When there is none,
  the enrolment goes on the **waiting list**; places freed by a withdrawal or a larger
  capacity go to the waiting list in the order people asked.
- **Pipeline.** An *eligible* mentor given a place in a cycle of required modules moves
  to *in training*; when the last required module is recorded as attended (in any
  cycle) they move to *trained*; if a correction of attendance makes a module missing
  again, a *trained* mentor goes back to *in training*. A mentor who leaves their last
  training place before being trained goes back to *eligible* (and shows up again among
  the mentors waiting for training). The moves are made in :mod:`duo.training.pipeline`,
  through :func:`duo.people.pipeline.transition`.
- **Attendance** is recorded for a session that has started and is not cancelled, for
  each participant: present or absent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import Row, Select, and_, bindparam, func, or_, select

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue
from duo.core.tenancy.scoping import BranchRead
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person
from duo.training import curriculum
from duo.training.models import (
    ACTIVE_ENROLMENT,
    CANCELLED,
    ENROLLED,
    WAITING,
    WHOLE_CYCLE,
    WITHDRAWN,
    Attendance,
    Enrolment,
    TrainingCycle,
    TrainingSession,
)
from duo.training.pipeline import back_to_eligible_if_no_place, on_place_given, sync_pipeline

#: Roles each cycle audience takes.
ROLES_OF_AUDIENCE = {
    curriculum.MENTORS: (MENTOR,),
    curriculum.MENTEES: (MENTEE,),
    curriculum.DUOS: (MENTOR, MENTEE),
}

#: States from which nobody is enrolled.
CLOSED_STATES = (states.WITHDRAWN, states.NOT_ELIGIBLE, states.REGISTERED, states.ATTENDED)


class EnrolmentError(ValueError):
    """An enrolment or attendance that cannot be made; the message is shown at ``field``."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --------------------------------------------------------------------------- who is where


def participants(session: TrainingSession) -> list[Person]:
    """People with a place in ``session`` (via its cycle or the session itself)."""
    stmt = (
        select(Person)
        .join(
            Enrolment,
            and_(Enrolment.tenant_id == Person.tenant_id, Enrolment.person_id == Person.id),
        )
        .where(
            Enrolment.cycle_id == session.cycle_id,
            Enrolment.status == ENROLLED,
            or_(Enrolment.session_id.is_(None), Enrolment.session_id == session.id),
        )
        .order_by(Person.last_name, Person.first_name, Person.id)
        .distinct()
    )
    return list(db.session.execute(stmt).scalars())


def _participants() -> Select:
    return (
        select(
            Enrolment.id,
            Enrolment.person_id,
            Enrolment.session_id,
            Enrolment.status,
            Enrolment.requested_at,
            Person.first_name,
            Person.last_name,
            Person.state,
        )
        .join(
            Person,
            and_(Person.tenant_id == Enrolment.tenant_id, Person.id == Enrolment.person_id),
        )
        .where(Enrolment.cycle_id == bindparam("cycle_id", type_=Enrolment.cycle_id.type))
        .order_by(Enrolment.requested_at, Enrolment.id)
    )


#: The cycle page lists its people on every visit: built once per branch.
_PARTICIPANTS = BranchRead(_participants)


def cycle_enrolments(cycle: TrainingCycle) -> list[Row]:
    """Every enrolment of a cycle with its person's name and step, waiting list in queue
    order: rows for the page to show (an enrolment changed is read as an entity)."""
    return list(_PARTICIPANTS(cycle_id=cycle.id))


#: Asked by the cycle page on every visit and by every enrolment: built once per branch.
_TAKEN = BranchRead(
    lambda: (
        select(Enrolment.session_id, func.count())
        .where(
            Enrolment.cycle_id == bindparam("cycle_id", type_=Enrolment.cycle_id.type),
            Enrolment.status == ENROLLED,
        )
        .group_by(Enrolment.session_id)
    )
)


def occupancy(cycle: TrainingCycle) -> dict[uuid.UUID, int]:
    """Places taken in each session of the cycle."""
    rows = _TAKEN(cycle_id=cycle.id).all()
    per_session = {session_id: n for session_id, n in rows}
    whole = per_session.pop(None, 0)
    return {s.id: whole + per_session.get(s.id, 0) for s in cycle.sessions}


def _counted_sessions(cycle: TrainingCycle, session: TrainingSession | None) -> list:
    if session is not None:
        return [session]
    now = utcnow()
    return [s for s in cycle.sessions if s.status != CANCELLED and s.ends_at > now]


def has_room(cycle: TrainingCycle, session: TrainingSession | None = None) -> bool:
    if cycle.capacity is None:
        return True
    taken = occupancy(cycle)
    return all(taken.get(s.id, 0) < cycle.capacity for s in _counted_sessions(cycle, session))


# --------------------------------------------------------------------------- enrol


def _check_person(cycle: TrainingCycle, person: Person) -> None:
    if person.role not in ROLES_OF_AUDIENCE.get(cycle.audience, (MENTOR,)):
        if cycle.audience == curriculum.MENTEES:
            raise EnrolmentError(_("This cycle is for mentees."), "person_id")
        raise EnrolmentError(_("This cycle is for mentors."), "person_id")
    if person.state == states.WITHDRAWN:
        raise EnrolmentError(_("This person has withdrawn from the programme."), "person_id")
    if person.state == states.NOT_ELIGIBLE:
        raise EnrolmentError(_("This person is not eligible."), "person_id")
    if person.state in CLOSED_STATES:
        raise EnrolmentError(_("Hold the intake interview first."), "person_id")


def _rows_of(cycle: TrainingCycle, person: Person) -> list[Enrolment]:
    stmt = select(Enrolment).where(Enrolment.cycle_id == cycle.id, Enrolment.person_id == person.id)
    return list(db.session.execute(stmt).scalars())


def enrol(
    cycle: TrainingCycle,
    person: Person,
    *,
    session: TrainingSession | None = None,
    by: object | None = None,
) -> Enrolment:
    """Give ``person`` a place in the cycle (or one session), or a place on the waiting list."""
    _check_person(cycle, person)
    if session is not None:
        if session.cycle_id != cycle.id:
            raise EnrolmentError(_("This session is not part of this cycle."), "session_id")
        if session.status == CANCELLED:
            raise EnrolmentError(_("This session is cancelled."), "session_id")
    scope = WHOLE_CYCLE if session is None else str(session.id)
    rows = _rows_of(cycle, person)
    active = [r for r in rows if r.status in ACTIVE_ENROLMENT]
    if any(r.scope == WHOLE_CYCLE for r in active):
        raise EnrolmentError(_("Already enrolled in this cycle."), "person_id")
    if any(r.scope == scope for r in active):
        raise EnrolmentError(_("Already enrolled in this session."), "session_id")
    now = utcnow()
    if session is None:
        # The whole-cycle place replaces the single-session ones.
        for row in active:
            row.status, row.withdrawn_at = WITHDRAWN, now
        db.session.flush()
    room = has_room(cycle, session)  # before the new row exists: it must not count itself
    row = next((r for r in rows if r.scope == scope), None)
    if row is None:
        row = Enrolment(
            cycle_id=cycle.id,
            session_id=getattr(session, "id", None),
            person_id=person.id,
            scope=scope,
            status=WAITING,
        )
        db.session.add(row)
    row.status = WAITING
    row.requested_at = now
    row.withdrawn_at = None
    row.created_by_user_id = getattr(by, "id", None)
    if room:
        _give_place(row, cycle, person, by)
    db.session.flush()
    return row


def _give_place(row: Enrolment, cycle: TrainingCycle, person: Person, by: object | None) -> None:
    row.status = ENROLLED
    row.enrolled_at = utcnow()
    db.session.flush()
    enqueue(
        "training.enrolment_confirmed",
        str(row.id),
        dedupe_key=f"training.enrolment_confirmed:{row.id}:{row.enrolled_at.timestamp():.0f}",
    )
    on_place_given(cycle, person, by)


def withdraw(enrolment: Enrolment, *, by: object | None = None) -> list[Enrolment]:
    """Take a person off a cycle (or session) or its waiting list; returns who moved up."""
    if enrolment.status == WITHDRAWN:
        return []
    had_place = enrolment.status == ENROLLED
    enrolment.status = WITHDRAWN
    enrolment.withdrawn_at = utcnow()
    db.session.flush()
    person = db.session.execute(select(Person).where(Person.id == enrolment.person_id)).scalar_one()
    back_to_eligible_if_no_place(person, by)
    return promote_waiting(enrolment.cycle, by=by) if had_place else []


def promote_waiting(cycle: TrainingCycle, *, by: object | None = None) -> list[Enrolment]:
    """Give free places to the waiting list, first come first served."""
    promoted: list[Enrolment] = []
    waiting = db.session.execute(
        select(Enrolment)
        .where(Enrolment.cycle_id == cycle.id, Enrolment.status == WAITING)
        .order_by(Enrolment.requested_at, Enrolment.id)
    ).scalars()
    sessions = {s.id: s for s in cycle.sessions}
    for row in list(waiting):
        session = sessions.get(row.session_id) if row.session_id else None
        if not has_room(cycle, session):
            continue
        person = db.session.execute(select(Person).where(Person.id == row.person_id)).scalar_one()
        _give_place(row, cycle, person, by)
        promoted.append(row)
    return promoted


def set_capacity(cycle: TrainingCycle, capacity: int | None, *, by: object | None = None) -> list:
    """Change the places per session; a larger capacity moves the waiting list up."""
    cycle.capacity = capacity
    db.session.flush()
    return promote_waiting(cycle, by=by)


# --------------------------------------------------------------------------- attendance


def record_attendance(
    session: TrainingSession,
    present_ids: Iterable[uuid.UUID],
    *,
    by: object | None = None,
) -> dict[uuid.UUID, bool]:
    """Record who came to ``session`` (everyone else with a place was absent)."""
    if session.status == CANCELLED:
        raise EnrolmentError(_("This session is cancelled."), "present")
    if session.starts_at > utcnow():
        raise EnrolmentError(_("This session has not taken place yet."), "present")
    people = {p.id: p for p in participants(session)}
    existing = {
        a.person_id: a
        for a in db.session.execute(
            select(Attendance).where(Attendance.session_id == session.id)
        ).scalars()
    }
    present = set(present_ids)
    unknown = present - set(people) - set(existing)
    if unknown:
        raise EnrolmentError(_("Only people enrolled in this session can be marked."), "present")
    now = utcnow()
    result: dict[uuid.UUID, bool] = {}
    for person_id in set(people) | set(existing):
        row = existing.get(person_id)
        came = person_id in present
        if row is None:
            row = Attendance(session_id=session.id, person_id=person_id, present=came)
            db.session.add(row)
        elif row.present == came:
            result[person_id] = came
            continue
        row.present = came
        row.recorded_at = now
        row.recorded_by_user_id = getattr(by, "id", None)
        result[person_id] = came
    session.attendance_recorded_at = now
    db.session.flush()
    if existing:
        missing = set(existing) - set(people)
        if missing:
            people.update(
                {
                    p.id: p
                    for p in db.session.execute(
                        select(Person).where(Person.id.in_(missing))
                    ).scalars()
                }
            )
    for person in people.values():
        sync_pipeline(person, by=by)
    return result


def attendance_of(session: TrainingSession) -> dict[uuid.UUID, bool]:
    rows = db.session.execute(
        select(Attendance.person_id, Attendance.present).where(Attendance.session_id == session.id)
    ).all()
    return dict(rows)
