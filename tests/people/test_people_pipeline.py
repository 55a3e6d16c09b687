"""The one transition function: validated, timestamped, attributed; and the state table."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duo.people import history, states
from duo.people.models import Person, StateChange
from duo.people.pipeline import InvalidTransition, register, transition


def _changes(db, person):
    return (
        db.session.execute(
            select(StateChange).where(StateChange.person_id == person.id).order_by(StateChange.at)
        )
        .scalars()
        .all()
    )


def test_register_records_the_first_step(db, tenants, in_tenant) -> None:
    with in_tenant("ghent"):
        person = Person(
            role="mentor",
            first_name="Jan",
            last_name="Peeters",
            email="jan@example.org",
            locale="nl",
        )
        change = register(person, reason=history.reason(history.IMPORTED, "list.csv"))
        assert person.state == states.REGISTERED
        assert change.from_state is None and change.to_state == states.REGISTERED
        assert history.describe(change.reason) == ("Imported from a spreadsheet", "list.csv")


def test_transition_is_recorded_with_who_when_and_why(
    db, in_tenant, create_person, create_user
) -> None:
    user = create_user(branches=["ghent"])
    person = create_person("ghent", role="mentee", state=states.REGISTERED)
    with in_tenant("ghent"):
        before = person.state_changed_at
        change = transition(person, states.ATTENDED, by=user, reason="  came on Tuesday ")
        assert person.state == states.ATTENDED
        assert change.by_user_id == user.id
        assert change.reason == "came on Tuesday"
        assert change.at == person.state_changed_at and change.at >= before
        assert [c.to_state for c in _changes(db, person)] == [states.ATTENDED]


def test_the_row_keeps_since_when_the_person_waits(db, in_tenant, create_person) -> None:
    """A wait starts on becoming eligible; a proposal that does not go on keeps the mentee's
    place (the wait goes on from its first day); a duo that stopped starts a new wait."""
    import datetime as dt

    person = create_person("ghent", role="mentee", state=states.INTAKE_DONE)
    first = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    with in_tenant("ghent"):
        assert person.waiting_since is None
        transition(person, states.ELIGIBLE, at=first)
        transition(person, states.MATCHED, at=first + dt.timedelta(days=30))
        assert person.waiting_since == first  # still there, unused while matched
        transition(person, states.ELIGIBLE, at=first + dt.timedelta(days=40))
        assert person.waiting_since == first
        transition(person, states.MATCHED, at=first + dt.timedelta(days=45))
        transition(person, states.IN_DUO, at=first + dt.timedelta(days=50))
        transition(person, states.ELIGIBLE, at=first + dt.timedelta(days=90))
        assert person.waiting_since == first + dt.timedelta(days=90)


@pytest.mark.parametrize(
    ("role", "current", "target"),
    [
        ("mentee", states.REGISTERED, states.ELIGIBLE),  # skips the intake
        ("mentee", states.ELIGIBLE, states.IN_TRAINING),  # mentees are not trained
        ("mentor", states.ELIGIBLE, states.MATCHED),  # mentors are trained first
        ("mentor", states.IN_DUO, states.REGISTERED),
        ("mentee", states.WITHDRAWN, states.ELIGIBLE),  # back only before the decision
        ("mentee", states.WITHDRAWN, states.WITHDRAWN),
    ],
)
def test_invalid_moves_are_refused_and_change_nothing(
    db, in_tenant, create_person, role, current, target
) -> None:
    person = create_person("paris", role=role, state=current)
    with in_tenant("paris"), pytest.raises(InvalidTransition) as err:
        transition(person, target)
    assert "Cannot go from" in str(err.value)
    assert person.state == current
    with in_tenant("paris"):
        assert _changes(db, person) == []


def test_unknown_state_is_refused(db, in_tenant, create_person) -> None:
    person = create_person("paris")
    with in_tenant("paris"), pytest.raises(InvalidTransition):
        transition(person, "hired")


def test_decision_states_reach_each_other_and_withdrawn_from_everywhere() -> None:
    decisions = (states.ELIGIBLE, states.NOT_ELIGIBLE, states.NEEDS_REVIEW)
    for role in ("mentor", "mentee"):
        for a in decisions:
            assert states.allowed(role, states.INTAKE_DONE, a)
            for b in decisions:
                assert states.allowed(role, a, b) == (a != b)
        for s in states.STATES:
            assert states.allowed(role, s, states.WITHDRAWN) == (s != states.WITHDRAWN)


def test_history_reason_codes_are_shown_translated_and_free_text_verbatim() -> None:
    assert history.describe(None) == (None, None)
    assert history.describe("moved abroad") == (None, "moved abroad")
    assert history.describe(history.reason(history.OVERRIDE, "Seen the papers")) == (
        "Eligibility decided by a coordinator",
        "Seen the papers",
    )
    assert history.describe("duo:some.future.code") == ("some.future.code", None)
