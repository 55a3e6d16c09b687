"""Cycles as stored: UTC times over daylight saving, holidays, capacity and the waiting list."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from duo.core.db import db as _db
from duo.core.jobs.models import OutboxJob
from duo.core.tenancy.context import CrossTenantWriteError, tenant_scope
from duo.people import states
from duo.training import chooser, enrolment, planning
from duo.training.models import (
    CANCELLED,
    ENROLLED,
    WAITING,
    WITHDRAWN,
    Enrolment,
    TrainingCycle,
    TrainingSession,
)
from duo.training.schedule import Rhythm, ScheduleError
from support import FUTURE, MON, THU, TUE, make_cycle

#: The year of the branches' closing days in ``tenants/*.toml`` (24 to 31 December 2026), so a
#: fixed one, with the holidays and clock changes its cycles meet.
YEAR = 2026

pytestmark = pytest.mark.usefixtures("training_clock")

UTC = dt.UTC


def outbox(name: str) -> list[OutboxJob]:
    return list(_db.session.execute(select(OutboxJob).where(OutboxJob.name == name)).scalars())


# --------------------------------------------------------------------------- planning


def test_cycle_of_modules_gets_one_session_per_module_in_order(db, tenants) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels)
    keys = [m["key"] for m in brussels.config["training"]["modules"]]
    assert [s.module_key for s in cycle.sessions] == keys
    assert [s.index for s in cycle.sessions] == list(range(len(keys)))
    assert cycle.audience == "mentors"
    assert all(s.starts_at.tzinfo == UTC for s in cycle.sessions)


def test_weekly_session_keeps_local_time_over_the_autumn_change_in_rotterdam(db, tenants) -> None:
    rotterdam = tenants["rotterdam"]
    cycle = make_cycle(rotterdam, start=dt.date(YEAR, 10, 13), modules=None, count=3)
    with tenant_scope(rotterdam.id):
        stored = list(
            _db.session.execute(
                select(TrainingSession)
                .where(TrainingSession.cycle_id == cycle.id)
                .order_by(TrainingSession.starts_at)
            ).scalars()
        )
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert [s.starts_at.astimezone(amsterdam).hour for s in stored] == [18, 18, 18]
    assert [s.starts_at.hour for s in stored] == [16, 16, 17]  # UTC moves, local does not
    assert [s.starts_at.astimezone(amsterdam).date() for s in stored] == [
        dt.date(YEAR, 10, 13),
        dt.date(YEAR, 10, 20),
        dt.date(YEAR, 10, 27),
    ]


def test_spring_change_in_paris(db, tenants) -> None:
    paris = tenants["paris"]
    cycle = make_cycle(paris, start=dt.date(YEAR, 3, 23), weekdays=(MON,), count=2)
    local = [s.starts_at.astimezone(ZoneInfo("Europe/Paris")) for s in cycle.sessions]
    assert [(d.date(), d.hour) for d in local] == [
        (dt.date(YEAR, 3, 23), 18),
        (dt.date(YEAR, 3, 30), 18),
    ]
    assert [s.starts_at.hour for s in cycle.sessions] == [17, 16]


def test_public_holidays_and_closed_days_are_skipped_and_recorded(db, tenants) -> None:
    rotterdam = tenants["rotterdam"]
    # Thursdays from 17 December 2026: 24 and 31 December are closing days of the branch.
    cycle = make_cycle(rotterdam, start=dt.date(YEAR, 12, 17), weekdays=(THU,), count=3)
    local = [s.starts_at.astimezone(ZoneInfo("Europe/Amsterdam")).date() for s in cycle.sessions]
    assert local == [dt.date(YEAR, 12, 17), dt.date(YEAR + 1, 1, 7), dt.date(YEAR + 1, 1, 14)]
    assert [(d["date"], d["reason"]) for d in cycle.skipped] == [
        (f"{YEAR}-12-24", "closed_day"),
        (f"{YEAR}-12-31", "closed_day"),
    ]


def test_regional_holiday_of_a_subdivision(db, tenants) -> None:
    """Alsace-Moselle keeps Good Friday: a branch there skips it, Paris does not."""
    paris = tenants["paris"]
    fridays = {"start": dt.date(YEAR, 3, 27), "weekdays": (4,), "count": 2}
    plain = make_cycle(paris, **fridays)
    paris.config = {**paris.config, "holidays": {"country": "FR", "subdivision": "57"}}
    _db.session.flush()
    regional = make_cycle(paris, **fridays)
    zone = ZoneInfo("Europe/Paris")
    assert [s.starts_at.astimezone(zone).date() for s in plain.sessions] == [
        dt.date(YEAR, 3, 27),
        dt.date(YEAR, 4, 3),
    ]
    assert [s.starts_at.astimezone(zone).date() for s in regional.sessions] == [
        dt.date(YEAR, 3, 27),
        dt.date(YEAR, 4, 10),
    ]
    assert regional.skipped == [
        {"date": f"{YEAR}-04-03", "reason": "public_holiday", "label": "Good Friday"}
    ]


def test_workshop_series_sessions_all_carry_the_workshop(db, tenants) -> None:
    ghent = tenants["ghent"]
    cycle = make_cycle(ghent, workshop="job-application-training", count=3, weekdays=(MON,))
    assert {s.module_key for s in cycle.sessions} == {"job-application-training"}
    assert cycle.audience == "mentees"
    assert cycle.kind == "workshop"


def test_a_plan_that_does_not_fit_is_not_saved(db, tenants) -> None:
    brussels = tenants["brussels"]
    plan = planning.CyclePlan(
        title="Too long",
        kind="workshop",
        workshop_key="intervision",
        start_date=FUTURE,
        rhythm=Rhythm((TUE,), dt.time(18), dt.time(20)),
        count=500,
    )
    with tenant_scope(brussels.id), pytest.raises(ScheduleError):
        planning.create_cycle(brussels, plan, language="en")
    with tenant_scope(brussels.id):
        assert _db.session.execute(select(TrainingCycle)).first() is None


def test_move_keeps_local_time_raises_sequence_and_tells_participants(
    db, tenants, create_person
) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels)
    mentor = create_person("brussels", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(brussels.id):
        enrolment.enrol(cycle, mentor)
        session = cycle.sessions[0]
        moved = planning.move_session(
            brussels, session, FUTURE + dt.timedelta(days=57), dt.time(9), dt.time(12)
        )
        assert moved
        local = session.starts_at.astimezone(ZoneInfo("Europe/Brussels"))
        assert (local.date(), local.hour) == (FUTURE + dt.timedelta(days=57), 9)
        assert session.sequence == 1
        jobs = outbox("training.session_moved")
        assert [j.args for j in jobs] == [[str(session.id), str(mentor.id), 1]]
        # The same values again change nothing and tell nobody.
        assert not planning.move_session(
            brussels, session, FUTURE + dt.timedelta(days=57), dt.time(9), dt.time(12)
        )
        assert len(outbox("training.session_moved")) == 1
        with pytest.raises(ScheduleError) as info:
            planning.move_session(
                brussels, session, FUTURE + dt.timedelta(days=57), dt.time(12), dt.time(9)
            )
        assert info.value.problems[0].field == "end"


def test_cancel_tells_participants_once(db, tenants, create_person) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels)
    mentors = [create_person("brussels", role="mentor", state=states.ELIGIBLE) for _ in range(2)]
    with tenant_scope(brussels.id):
        for m in mentors:
            enrolment.enrol(cycle, m)
        session = cycle.sessions[1]
        assert planning.cancel_session(session, reason="Trainer ill")
        assert session.status == CANCELLED
        assert not planning.cancel_session(session)
        assert len(outbox("training.session_cancelled")) == 2
        with pytest.raises(ScheduleError):
            planning.move_session(
                brussels, session, FUTURE + dt.timedelta(days=64), dt.time(9), dt.time(12)
            )


# --------------------------------------------------------------------------- enrolment


def test_capacity_waiting_list_and_promotion(db, tenants, create_person) -> None:
    lyon = tenants["lyon"]
    cycle = make_cycle(lyon, capacity=2)
    people = [create_person("lyon", role="mentor", state=states.ELIGIBLE) for _ in range(4)]
    with tenant_scope(lyon.id):
        rows = [enrolment.enrol(cycle, p) for p in people]
        assert [r.status for r in rows] == [ENROLLED, ENROLLED, WAITING, WAITING]
        assert [p.state for p in people] == [states.IN_TRAINING] * 2 + [states.ELIGIBLE] * 2
        promoted = enrolment.withdraw(rows[0])
        assert [r.id for r in promoted] == [rows[2].id]
        assert rows[0].status == WITHDRAWN and rows[2].status == ENROLLED
        assert people[0].state == states.ELIGIBLE  # no place left: back among those waiting
        assert people[2].state == states.IN_TRAINING
        promoted = enrolment.set_capacity(cycle, 5)
        assert [r.id for r in promoted] == [rows[3].id]
        confirmations = outbox("training.enrolment_confirmed")
        assert len(confirmations) == 4


def test_single_session_enrolment_counts_in_that_session_only(db, tenants, create_person) -> None:
    lyon = tenants["lyon"]
    cycle = make_cycle(lyon, capacity=1)
    first, second = (create_person("lyon", role="mentor", state=states.ELIGIBLE) for _ in range(2))
    with tenant_scope(lyon.id):
        one = enrolment.enrol(cycle, first, session=cycle.sessions[2])
        assert one.status == ENROLLED
        taken = enrolment.occupancy(cycle)
        assert taken[cycle.sessions[2].id] == 1 and taken[cycle.sessions[0].id] == 0
        # The whole cycle needs room in every session: session 3 is full.
        whole = enrolment.enrol(cycle, second)
        assert whole.status == WAITING
        with pytest.raises(enrolment.EnrolmentError):  # already waiting for the whole cycle
            enrolment.enrol(cycle, second, session=cycle.sessions[0])
        enrolment.withdraw(whole)
        other = enrolment.enrol(cycle, second, session=cycle.sessions[0])
        assert other.status == ENROLLED
        # A whole-cycle place absorbs the single-session ones.
        enrolment.withdraw(one)
        again = enrolment.enrol(cycle, second)
        assert again.status == ENROLLED and again.id == whole.id
        assert other.status == WITHDRAWN


def test_enrolment_rules(db, tenants, create_person) -> None:
    ghent = tenants["ghent"]
    cycle = make_cycle(ghent)
    mentee = create_person("ghent", role="mentee", state=states.ELIGIBLE)
    gone = create_person("ghent", role="mentor", state=states.WITHDRAWN)
    refused = create_person("ghent", role="mentor", state=states.NOT_ELIGIBLE)
    not_met = create_person("ghent", role="mentor", state=states.REGISTERED)
    mentor = create_person("ghent", role="mentor", state=states.INTAKE_DONE)
    with tenant_scope(ghent.id):
        assert {p.id for p in chooser.candidates(cycle)} == {mentor.id}
        for person in (mentee, gone, refused, not_met):
            with pytest.raises(enrolment.EnrolmentError):
                enrolment.enrol(cycle, person)
        row = enrolment.enrol(cycle, mentor)  # eligibility pending: a place, no state change
        assert row.status == ENROLLED and mentor.state == states.INTAKE_DONE
        with pytest.raises(enrolment.EnrolmentError):
            enrolment.enrol(cycle, mentor)
        with pytest.raises(enrolment.EnrolmentError):
            enrolment.enrol(cycle, mentor, session=cycle.sessions[0])
        assert mentor.id not in {p.id for p in chooser.candidates(cycle)}


def test_workshop_for_mentees_takes_mentees_and_changes_no_state(
    db, tenants, create_person
) -> None:
    ghent = tenants["ghent"]
    cycle = make_cycle(ghent, workshop="job-application-training", count=2)
    mentee = create_person("ghent", role="mentee", state=states.IN_DUO)
    mentor = create_person("ghent", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(ghent.id):
        assert enrolment.enrol(cycle, mentee).status == ENROLLED
        assert mentee.state == states.IN_DUO
        with pytest.raises(enrolment.EnrolmentError):
            enrolment.enrol(cycle, mentor)


def test_rows_of_one_branch_cannot_be_written_for_another(db, tenants, create_person) -> None:
    paris_cycle = make_cycle(tenants["paris"])
    with tenant_scope(tenants["rotterdam"].id):
        assert (
            _db.session.execute(
                select(TrainingCycle).where(TrainingCycle.id == paris_cycle.id)
            ).first()
            is None
        )
        paris_cycle.title = "hijacked"
        with pytest.raises(CrossTenantWriteError):
            _db.session.flush()
    _db.session.rollback()


def test_enrolments_are_unique_per_person_and_target(db, tenants, create_person) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels)
    mentor = create_person("brussels", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(brussels.id):
        enrolment.enrol(cycle, mentor)
        rows = (
            _db.session.execute(select(Enrolment).where(Enrolment.person_id == mentor.id))
            .scalars()
            .all()
        )
        assert len(rows) == 1 and rows[0].scope == "cycle"


def test_moving_to_a_holiday_or_closed_day_is_pointed_out(db, tenants) -> None:
    rotterdam = tenants["rotterdam"]
    (christmas,) = planning.day_notes(rotterdam, dt.date(YEAR, 12, 25), "nl")
    assert christmas.reason == "public_holiday" and christmas.label.lower() == "eerste kerstdag"
    (closed,) = planning.day_notes(rotterdam, dt.date(YEAR, 12, 28), "nl")
    assert closed.reason == "closed_day"
    assert planning.day_notes(rotterdam, dt.date(YEAR, 12, 22), "nl") == []
