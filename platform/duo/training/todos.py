"""The training to-dos on a branch's dashboard."""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import BindParameter, Select, bindparam, exists, func, select

from duo.core.dashboard.todos import Todo
from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.people import listing, next_step, states
from duo.people.models import MENTOR, Person
from duo.training.models import CANCELLED, ENROLLED, Enrolment, TrainingSession


def mentors_waiting(tenant: Tenant) -> int:
    """Eligible mentors who have no place in a training yet (waiting lists included)."""
    return listing.count_of(MENTOR, states.ELIGIBLE)


def _to_record(now: dt.datetime | BindParameter) -> Select:
    """Sessions that are over, had participants, and have no attendance recorded."""
    has_people = exists().where(
        Enrolment.tenant_id == TrainingSession.tenant_id,
        Enrolment.cycle_id == TrainingSession.cycle_id,
        Enrolment.status == ENROLLED,
        (Enrolment.session_id.is_(None)) | (Enrolment.session_id == TrainingSession.id),
    )
    return select(TrainingSession).where(
        TrainingSession.ends_at <= now,
        TrainingSession.status != CANCELLED,
        TrainingSession.attendance_recorded_at.is_(None),
        has_people,
    )


def sessions_to_record(now: dt.datetime | None = None) -> list[TrainingSession]:
    stmt = _to_record(now or utcnow()).order_by(TrainingSession.starts_at)
    return list(db.session.execute(stmt).scalars())


_COUNT_TO_RECORD = BranchRead(
    lambda: select(func.count()).select_from(_to_record(bindparam("now")).subquery())
)


def count_to_record(now: dt.datetime | None = None) -> int:
    return _COUNT_TO_RECORD(now=now or utcnow()).scalar_one()


def training_todos(tenant: Tenant) -> list[Todo]:
    waiting = mentors_waiting(tenant)
    to_record = count_to_record()
    return [
        Todo(
            ngettext(
                "%(num)d training session needs its attendance recorded",
                "%(num)d training sessions need their attendance recorded",
                to_record,
            ),
            to_record,
            url_for("training.index", _anchor="attendance"),
            urgency=20,
        ),
        Todo(
            ngettext(
                "%(num)d mentor is waiting for training",
                "%(num)d mentors are waiting for training",
                waiting,
            ),
            waiting,
            url_for("training.index", _anchor="waiting"),
            urgency=40,
        ),
    ]


# --------------------------------------------------------------------------- next step


def enrol_action(person: Person) -> list[next_step.Action]:
    """An eligible mentor is enrolled from the training page (its waiting list)."""
    return [
        next_step.Action(
            str(_l("Enrol in a mentor training")), url_for("training.index", _anchor="waiting")
        )
    ]


def training_action(person: Person) -> list[next_step.Action]:
    """A mentor in or after training: the training attended."""
    return [
        next_step.Action(
            str(_l("See the training attended")),
            url_for("training.person", person_id=person.id),
            primary=person.state == states.IN_TRAINING,
        )
    ]
