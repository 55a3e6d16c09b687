"""The people-pipeline moves that training causes: in training, trained, and back.

An *eligible* mentor given a place in a cycle of required modules moves to *in training*;
when the last required module is recorded as attended (in any cycle) they move to
*trained*; a correction of attendance that makes a module missing again moves a *trained*
mentor back to *in training*; a mentor who leaves their last training place before being
trained goes back to *eligible*. Every move goes through
:func:`duo.people.pipeline.transition`; enrolment and attendance call these functions.
"""

from __future__ import annotations

from sqlalchemy import func, select

from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.people import states
from duo.people.models import MENTOR, Person
from duo.people.pipeline import transition
from duo.training import curriculum, status
from duo.training.models import CYCLE_OF_ENROLMENT, ENROLLED, MODULES, Enrolment, TrainingCycle


def _counts_as_training(cycle: TrainingCycle, tenant: Tenant | None = None) -> bool:
    if cycle.kind != MODULES:
        return False
    if tenant is None:
        tenant = db.session.get(Tenant, cycle.tenant_id)
    required = set(curriculum.required_keys(tenant.config, MENTOR))
    return bool(required & set(cycle.module_keys or ()))


def on_place_given(cycle: TrainingCycle, person: Person, by: object | None = None) -> None:
    """An eligible mentor with a place in the training is now in training."""
    if person.role != MENTOR:
        return
    if person.state == states.ELIGIBLE and _counts_as_training(cycle):
        transition(person, states.IN_TRAINING, by=by, reason="Enrolled in the mentor training")
    sync_pipeline(person, by=by)


def sync_pipeline(person: Person, *, by: object | None = None) -> None:
    """Move a mentor to *trained* (or back) as their attendance now says."""
    if person.role != MENTOR:
        return
    trained = status.is_trained(person)
    if trained and person.state == states.IN_TRAINING:
        transition(person, states.TRAINED, by=by, reason="Attended every required training module")
    elif not trained and person.state == states.TRAINED:
        transition(
            person,
            states.IN_TRAINING,
            by=by,
            reason="Attendance corrected: a required module is missing",
        )


def back_to_eligible_if_no_place(person: Person, by: object | None) -> None:
    if person.role != MENTOR or person.state != states.IN_TRAINING:
        return
    if status.is_trained(person):
        return
    places = db.session.execute(
        select(func.count())
        .select_from(Enrolment)
        .join(TrainingCycle, CYCLE_OF_ENROLMENT)
        .where(
            Enrolment.person_id == person.id,
            Enrolment.status == ENROLLED,
            TrainingCycle.kind == MODULES,
        )
    ).scalar_one()
    if not places:
        transition(person, states.ELIGIBLE, by=by, reason="No place left in a mentor training")
