"""Mentor training of a person, for their rights (see :mod:`duo.privacy.gdpr`): the copy
holds enrolments and attendance; the erasure keeps both (the reports count who was
trained) and deletes the person's calendar links; withdrawing the privacy consent gives up
their places (the next on the waiting list moves up)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from duo.core.db import db
from duo.privacy.gdpr import rows
from duo.training.enrolment import withdraw
from duo.training.models import ENROLLED, WAITING, Attendance, Enrolment, FeedToken


def personal_data(person_id: uuid.UUID) -> dict[str, Any]:
    return {
        "training_enrolments": rows(
            Enrolment, Enrolment.person_id == person_id, order_by=Enrolment.requested_at
        ),
        "training_attendance": rows(
            Attendance, Attendance.person_id == person_id, order_by=Attendance.recorded_at
        ),
        "training_calendar_links": rows(FeedToken, FeedToken.person_id == person_id),
    }


def erase(person_id: uuid.UUID) -> None:
    db.session.execute(delete(FeedToken).where(FeedToken.person_id == person_id))


def last_activity() -> dict[uuid.UUID, datetime]:
    return dict(
        db.session.execute(
            select(Attendance.person_id, func.max(Attendance.recorded_at)).group_by(
                Attendance.person_id
            )
        ).all()
    )


def on_consent_withdrawn(person_id: uuid.UUID, by: object | None) -> None:
    for enrolment in (
        db.session.execute(
            select(Enrolment).where(
                Enrolment.person_id == person_id, Enrolment.status.in_((ENROLLED, WAITING))
            )
        )
        .scalars()
        .all()
    ):
        withdraw(enrolment, by=by)
