"""Who is trained: required modules attended in any cycle; the pipeline follows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from duo.core.db import db as _db
from duo.core.tenancy.context import tenant_scope
from duo.people import states
from duo.people.models import StateChange
from duo.training import enrolment, planning
from duo.training.status import (
    is_trained,
    missing_modules,
    progress_for,
    trained_mentor_ids,
)
from support import FUTURE, PAST, TUE, make_cycle, required_modules

pytestmark = pytest.mark.usefixtures("training_clock")


def attend(cycle, people, sessions=None, by=None) -> None:  # noqa: ANN001
    for session in sessions if sessions is not None else cycle.sessions:
        enrolment.record_attendance(session, {p.id for p in people}, by=by)


def test_attending_every_required_module_makes_a_mentor_trained(
    db, tenants, create_person, create_user
) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels, start=PAST)
    coordinator = create_user(branches=["brussels"])
    mentor = create_person("brussels", role="mentor", state=states.ELIGIBLE)
    other = create_person("brussels", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(brussels.id):
        enrolment.enrol(cycle, mentor, by=coordinator)
        enrolment.enrol(cycle, other, by=coordinator)
        assert mentor.state == states.IN_TRAINING
        assert missing_modules(mentor) == required_modules(brussels)
        attend(cycle, [mentor, other], cycle.sessions[:-1], by=coordinator)
        assert mentor.state == states.IN_TRAINING
        assert missing_modules(mentor) == [cycle.sessions[-1].module_key]
        attend(cycle, [mentor], cycle.sessions[-1:], by=coordinator)
        assert mentor.state == states.TRAINED
        assert other.state == states.IN_TRAINING
        history = (
            _db.session.execute(
                select(StateChange)
                .where(StateChange.person_id == mentor.id)
                .order_by(StateChange.at)
            )
            .scalars()
            .all()
        )
        assert [h.to_state for h in history][-2:] == [states.IN_TRAINING, states.TRAINED]
        assert all(h.by_user_id == coordinator.id for h in history[-2:])
    assert is_trained(mentor) and not is_trained(other)
    assert missing_modules(mentor) == []
    assert trained_mentor_ids(brussels.id) == {mentor.id}


def test_catch_up_in_a_later_cycle_counts(db, tenants, create_person) -> None:
    antwerp = tenants["antwerp"]
    first = make_cycle(antwerp, start=PAST, title="Spring")
    later = make_cycle(antwerp, start=PAST + dt.timedelta(weeks=12), title="Autumn")
    mentor = create_person("antwerp", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(antwerp.id):
        enrolment.enrol(first, mentor)
        attend(first, [mentor], first.sessions[1:])
        missed = first.sessions[0]
        assert missing_modules(mentor) == [missed.module_key]
        catch_up = next(s for s in later.sessions if s.module_key == missed.module_key)
        enrolment.enrol(later, mentor, session=catch_up)
        enrolment.record_attendance(catch_up, {mentor.id})
        assert mentor.state == states.TRAINED
    assert trained_mentor_ids(antwerp.id) == {mentor.id}


def test_absent_cancelled_and_optional_sessions_do_not_count(db, tenants, create_person) -> None:
    ghent = tenants["ghent"]
    cycle = make_cycle(ghent, start=PAST)
    intervision = make_cycle(ghent, start=PAST, workshop="intervision", count=2)
    mentor = create_person("ghent", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(ghent.id):
        enrolment.enrol(cycle, mentor)
        enrolment.enrol(intervision, mentor)
        attend(intervision, [mentor])
        attend(cycle, [mentor], cycle.sessions[:-1])
        last = cycle.sessions[-1]
        enrolment.record_attendance(last, set())  # absent
        assert not is_trained(mentor)
        enrolment.record_attendance(last, {mentor.id})
        assert mentor.state == states.TRAINED
        # The session turns out cancelled: its attendance no longer counts.
        planning.cancel_session(last)
        assert missing_modules(mentor) == [last.module_key]
        enrolment.sync_pipeline(mentor)
        assert mentor.state == states.IN_TRAINING
    assert trained_mentor_ids(ghent.id) == set()


def test_correcting_attendance_moves_a_trained_mentor_back(db, tenants, create_person) -> None:
    mechelen = tenants["mechelen"]
    cycle = make_cycle(mechelen, start=PAST)
    mentor = create_person("mechelen", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(mechelen.id):
        enrolment.enrol(cycle, mentor)
        attend(cycle, [mentor])
        assert mentor.state == states.TRAINED
        enrolment.record_attendance(cycle.sessions[0], set())
        assert mentor.state == states.IN_TRAINING


def test_attendance_rules(db, tenants, create_person) -> None:
    liege = tenants["liege"]
    future = make_cycle(liege, start=FUTURE)
    past = make_cycle(liege, start=PAST)
    mentor = create_person("liege", role="mentor", state=states.ELIGIBLE)
    stranger = create_person("liege", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(liege.id):
        enrolment.enrol(future, mentor)
        enrolment.enrol(past, mentor)
        with pytest.raises(enrolment.EnrolmentError):
            enrolment.record_attendance(future.sessions[0], {mentor.id})
        with pytest.raises(enrolment.EnrolmentError):
            enrolment.record_attendance(past.sessions[0], {stranger.id})
        planning.cancel_session(past.sessions[1])
        with pytest.raises(enrolment.EnrolmentError):
            enrolment.record_attendance(past.sessions[1], {mentor.id})
        result = enrolment.record_attendance(past.sessions[0], {mentor.id})
        assert result == {mentor.id: True}
        assert past.sessions[0].attendance_recorded_at is not None


def test_only_mentors_of_the_branch_are_counted(db, tenants, create_person) -> None:
    paris, lyon = tenants["paris"], tenants["lyon"]
    paris_cycle = make_cycle(paris, start=PAST)
    lyon_cycle = make_cycle(lyon, start=PAST)
    in_paris = create_person("paris", role="mentor", state=states.ELIGIBLE)
    in_lyon = create_person("lyon", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(paris.id):
        enrolment.enrol(paris_cycle, in_paris)
        attend(paris_cycle, [in_paris])
    with tenant_scope(lyon.id):
        enrolment.enrol(lyon_cycle, in_lyon)
        attend(lyon_cycle, [in_lyon])
    assert trained_mentor_ids(paris.id) == {in_paris.id}
    assert trained_mentor_ids(lyon.id) == {in_lyon.id}
    # Works outside any scope and inside another branch's scope alike.
    with tenant_scope(lyon.id):
        assert trained_mentor_ids(paris.id) == {in_paris.id}
        assert is_trained(in_paris)


def test_a_mentee_is_never_a_trained_mentor(db, tenants, create_person) -> None:
    mentee = create_person("ghent", role="mentee", state=states.ELIGIBLE)
    assert not is_trained(mentee)
    assert missing_modules(mentee) == []


def test_a_branch_without_required_modules_has_every_mentor_trained(
    db, tenants, create_person
) -> None:
    lille = tenants["lille"]
    config = dict(lille.config)
    config["training"] = {
        "modules": [dict(m, required=False) for m in config["training"]["modules"]],
        "recurring": config["training"]["recurring"],
    }
    lille.config = config
    _db.session.flush()
    mentor = create_person("lille", role="mentor", state=states.ELIGIBLE)
    assert is_trained(mentor)
    assert trained_mentor_ids(lille.id) == {mentor.id}


def test_trained_mentor_ids_is_one_query(db, tenants, create_person, count_queries) -> None:
    marseille = tenants["marseille"]
    cycle = make_cycle(marseille, start=PAST, weekdays=(TUE,))
    mentors = [create_person("marseille", role="mentor", state=states.ELIGIBLE) for _ in range(6)]
    with tenant_scope(marseille.id):
        for m in mentors:
            enrolment.enrol(cycle, m)
        attend(cycle, mentors[:4])
    with count_queries() as q:
        ids = trained_mentor_ids(marseille.id)
    assert ids == {m.id for m in mentors[:4]}
    assert q.count <= 2  # the branch (if not cached) and the count
    with count_queries() as q:
        progress = progress_for(mentors)
    assert q.count <= 2
    assert sum(p.trained for p in progress.values()) == 4
