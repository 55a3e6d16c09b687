"""A duo's state machine: one place, validated, timestamped, attributed, with consequences."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy import select

import steps
from duo.core import clock
from duo.core.jobs.models import OutboxJob
from duo.duos import lifecycle, states
from duo.duos.lifecycle import InvalidDuoTransition, add_months
from duo.duos.models import Duo, DuoStateChange
from duo.people import states as person_states
from support import a_monday


@pytest.fixture
def pair(pool_factory):
    mentee = pool_factory.mentee("rotterdam", "Amina")
    mentor = pool_factory.mentor("rotterdam", "Jan")
    return mentee, mentor


def test_propose_takes_both_out_of_the_pool_and_records_who(
    db, in_tenant, create_user, pair
) -> None:
    mentee, mentor = pair
    user = create_user(branches=["rotterdam"])
    with in_tenant("rotterdam"):
        duo = lifecycle.propose(mentee, mentor, by=user, details={"score": 71.5})
        assert duo.state == states.PROPOSED
        assert mentee.state == mentor.state == person_states.MATCHED
        (change,) = duo.history
        assert (change.from_state, change.to_state, change.by_user_id) == (
            None,
            "proposed",
            user.id,
        )
        assert change.details == {"score": 71.5}
        assert mentee.history[-1].to_state == person_states.MATCHED
        assert mentee.history[-1].by_user_id == user.id
        job = db.session.execute(
            select(OutboxJob).where(OutboxJob.name == "duos.proposed")
        ).scalar_one()
        assert job.args == [str(duo.id)]


#: A Monday 39 weeks ago, where the clock stands while a duo is taken through its steps.
START = a_monday(-39)


def test_the_whole_flow_moves_the_people_with_the_duo(
    db, in_tenant, tenants, create_user, pair
) -> None:
    mentee, mentor = pair
    tenant = tenants["rotterdam"]
    coordinator = create_user(branches=["rotterdam"])
    with in_tenant("rotterdam"), clock.frozen(START) as c:
        duo = lifecycle.propose(mentee, mentor)
        steps.plan(duo, tenant, by=coordinator, at=START + dt.timedelta(days=8))
        assert duo.first_meeting_at == START + dt.timedelta(days=8)
        c.advance(dt.timedelta(days=9))
        steps.both_yes(duo, tenant, mentee, mentor)
        assert duo.state == states.CONFIRMED
        c.advance(dt.timedelta(days=3))
        steps.sign_all(duo, tenant, mentee, mentor, coordinator)
        assert duo.started_at.replace(microsecond=0) == START + dt.timedelta(days=12)
        months = tenant.config["programme"]["duration_months"]
        zone = ZoneInfo(tenant.timezone)
        assert duo.ends_on == add_months(duo.started_at.astimezone(zone).date(), months)
        assert mentee.state == mentor.state == person_states.IN_DUO
        with pytest.raises(InvalidDuoTransition) as early:
            lifecycle.transition(duo, states.ENDED)
        assert early.value.field == "confirm_early"
        c.advance(dt.timedelta(days=190))
        lifecycle.transition(duo, states.ENDED)
        assert mentee.state == person_states.ALUMNI
        assert mentor.state == person_states.TRAINED  # free for a next mentee
        lifecycle.transition(duo, states.EVALUATED)
        assert [c.to_state for c in duo.history] == [
            "proposed",
            "first_meeting",
            "confirmed",
            "active",
            "ended",
            "evaluated",
        ]


def test_no_state_skips_a_step(in_tenant, tenants, pair) -> None:
    """The probes: no first meeting without a plan, no 'both continue' without both
    decisions, no 'active' without the signatures, no end before the start."""
    mentee, mentor = pair
    tenant = tenants["rotterdam"]
    with in_tenant("rotterdam"), clock.frozen(START):
        duo = lifecycle.propose(mentee, mentor)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.transition(duo, states.FIRST_MEETING)
        steps.plan(duo, tenant)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.transition(duo, states.CONFIRMED)
        assert duo.state == states.FIRST_MEETING


def test_moves_outside_the_flow_are_refused(in_tenant, pair) -> None:
    mentee, mentor = pair
    with in_tenant("rotterdam"):
        duo = lifecycle.propose(mentee, mentor)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.transition(duo, states.ACTIVE)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.transition(duo, "married")
        assert duo.state == states.PROPOSED
        assert len(duo.history) == 1


def test_a_stop_needs_a_reason_and_returns_both_to_the_pool(in_tenant, pair) -> None:
    mentee, mentor = pair
    with in_tenant("rotterdam"):
        duo = lifecycle.propose(mentee, mentor)
        with pytest.raises(InvalidDuoTransition) as excinfo:
            lifecycle.transition(duo, states.STOPPED, reason="   ")
        assert excinfo.value.field == "reason"
        lifecycle.transition(duo, states.STOPPED, reason="Mentor moved abroad")
        assert duo.stop_reason == "Mentor moved abroad"
        assert duo.declined_by is None
        assert mentee.state == person_states.ELIGIBLE
        assert mentor.state == person_states.TRAINED
        # Stopped before the first meeting is not a declined pair.
        assert lifecycle.declined_pairs() == set()


def test_a_decline_at_the_first_meeting_is_remembered(in_tenant, tenants, pair) -> None:
    mentee, mentor = pair
    tenant = tenants["rotterdam"]
    with in_tenant("rotterdam"), clock.frozen(START) as c:
        duo = lifecycle.propose(mentee, mentor)
        with pytest.raises(InvalidDuoTransition):  # not at the first meeting yet
            lifecycle.transition(duo, states.STOPPED, reason="No click", declined_by="mentee")
        steps.plan(duo, tenant)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.transition(duo, states.STOPPED, reason="No click", declined_by="cat")
        c.advance(dt.timedelta(days=3))
        lifecycle.transition(duo, states.STOPPED, reason="No click", declined_by="both")
        assert duo.declined_by == "both"
        assert duo.history[-1].details == {"declined_by": "both"}
        assert lifecycle.declined_pairs() == {(mentee.id, mentor.id)}


def test_an_active_duo_stopped_early_frees_both(in_tenant, tenants, create_user, pair) -> None:
    mentee, mentor = pair
    coordinator = create_user(branches=["rotterdam"])
    with in_tenant("rotterdam"), clock.frozen(START):
        duo = lifecycle.propose(mentee, mentor)
        steps.to_active(duo, tenants["rotterdam"], mentee, mentor, coordinator)
        lifecycle.transition(duo, states.STOPPED, reason="Mentee found a job")
        assert (mentee.state, mentor.state) == (person_states.ELIGIBLE, person_states.TRAINED)
        assert lifecycle.busy_mentor_ids() == set()


def test_propose_checks_the_people(in_tenant, pool_factory, pair) -> None:
    mentee, mentor = pair
    waiting_elsewhere = pool_factory.mentee("lyon", "Awa", languages={"fr": "C1"})
    not_eligible = pool_factory.mentee("rotterdam", "Omar", state=person_states.INTAKE_DONE)
    with in_tenant("rotterdam"):
        with pytest.raises(InvalidDuoTransition):
            lifecycle.propose(waiting_elsewhere, mentor)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.propose(not_eligible, mentor)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.propose(mentor, mentee)
        lifecycle.propose(mentee, mentor)
        with pytest.raises(InvalidDuoTransition):
            lifecycle.propose(mentee, mentor)


def test_the_database_keeps_one_open_duo_per_mentee(db, in_tenant, pool_factory, pair) -> None:
    mentee, mentor = pair
    other_mentor = pool_factory.mentor("rotterdam", "Piet")
    with in_tenant("rotterdam"):
        lifecycle.propose(mentee, mentor)
        with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
            db.session.add(Duo(mentee_id=mentee.id, mentor_id=other_mentor.id))
            db.session.flush()


def test_duo_rows_stay_in_their_branch(db, in_tenant, pair) -> None:
    mentee, mentor = pair
    with in_tenant("rotterdam"):
        lifecycle.propose(mentee, mentor)
    with in_tenant("lyon"):
        assert db.session.execute(select(Duo)).scalars().all() == []
        assert db.session.execute(select(DuoStateChange)).scalars().all() == []
