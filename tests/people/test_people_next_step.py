"""Issue 14, item 2: every person's page says what happens next and who acts."""

from __future__ import annotations

import pytest

from duo.people import next_step, states
from duo.people.models import MENTEE, MENTOR


@pytest.mark.parametrize("role", [MENTOR, MENTEE])
def test_every_state_has_a_next_step(app, db, tenants, in_tenant, create_person, role) -> None:
    with app.test_request_context("/brussels/"), in_tenant("brussels"):
        from flask import g

        g.tenant = tenants["brussels"]
        for state in states.STATES:
            person = create_person("brussels", role=role, state=state)
            step = next_step.next_step(person)
            assert step.text and "Nothing to do" not in step.text, (role, state)
            assert step.actor in next_step.ACTORS, (role, state)


def test_an_eligible_mentor_is_told_to_enrol_in_training(db, login, create_person) -> None:
    mentor_id = create_person("brussels", role=MENTOR, state=states.ELIGIBLE).id
    page = login(branches=["brussels"], locale="en").get(f"/brussels/people/{mentor_id}")
    text = page.get_data(as_text=True)
    assert "Nothing to do here for now" not in text
    assert "enrol the mentor in a mentor training" in text
    assert "/brussels/training/#waiting" in text
    assert "You (the coordinator)" in text


def test_a_trained_mentor_waits_for_a_matching_session(db, login, create_person) -> None:
    mentor_id = create_person("brussels", role=MENTOR, state=states.TRAINED).id
    text = (
        login(branches=["brussels"], locale="fr")
        .get(f"/brussels/people/{mentor_id}")
        .get_data(as_text=True)
    )
    assert "Rien à faire" not in text
    assert "séance de matching" in text
    assert "/brussels/matching/" in text


def test_dashboard_todos_include_mentors_and_undecided_intakes(db, login, create_person) -> None:
    create_person("brussels", role=MENTOR, state=states.TRAINED)
    create_person("brussels", role=MENTEE, state=states.INTAKE_DONE)
    text = login(branches=["brussels"], locale="en").get("/brussels/").get_data(as_text=True)
    assert (
        "trained mentor waiting for a mentee" in text
        or "trained mentors waiting for a mentee" in text
    )
    assert "without an eligibility decision" in text
    # Another branch's coordinator sees none of Brussels' to-dos.
    other = login(branches=["antwerp"], locale="en").get("/antwerp/").get_data(as_text=True)
    assert "without an eligibility decision" not in other
