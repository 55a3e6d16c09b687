"""Stored eligibility decisions: evaluation JSON + rules hash, outdated rules, overrides."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from sqlalchemy import func, select

from duo.eligibility.decisions import (
    DecisionError,
    current_decision,
    decide,
    decisions_of,
    override,
)
from duo.eligibility.engine import Evaluation, rules_hash
from duo.eligibility.models import EVALUATION, OVERRIDE, EligibilityDecision
from duo.people import history, states
from duo.people.models import Profile, StateChange
from support import today

TODAY = today()


@pytest.fixture
def mentor(db, in_tenant, create_person):
    """A Brussels mentor whose intake is done: 68, 40 years of experience, Dutch native."""
    person = create_person(
        "brussels", role="mentor", state=states.INTAKE_DONE, first_name="Marc", last_name="Dupont"
    )
    with in_tenant("brussels"):
        db.session.add(
            Profile(
                person_id=person.id,
                birth_date=date(1958, 3, 1),
                years_experience=40,
                volunteer=True,
                available_six_months=True,
                languages={"nl": "native"},
            )
        )
        db.session.flush()
    return person


def _rules(tenant):
    return tenant.config["eligibility"]["mentor"]


def _change_rules(db, tenant, **changes):
    """Give the branch new mentor rules (as a config change would)."""
    config = copy.deepcopy(tenant.config)
    for rule in config["eligibility"]["mentor"]:
        rule.update(changes.get(rule["id"], {}))
    tenant.config = config
    db.session.flush()


def test_decision_stores_evaluation_hash_outcome_and_author(
    db, tenants, in_tenant, mentor, create_user
) -> None:
    user = create_user(branches=["brussels"])
    rules = _rules(tenants["brussels"])
    with in_tenant("brussels"):
        decision = decide(mentor, rules, today=TODAY, by=user)
        db.session.expire_all()
        stored = current_decision(mentor)
    assert stored.id == decision.id
    assert (stored.kind, stored.audience, stored.outcome) == (EVALUATION, "mentor", "eligible")
    assert stored.evaluated_outcome == "eligible"
    assert stored.rules_hash == rules_hash(rules) and len(stored.rules_hash) == 64
    assert stored.decided_by_user_id == user.id and stored.decided_at is not None
    evaluation = Evaluation.from_dict(stored.evaluation)
    assert [r.rule_id for r in evaluation.results] == [r["id"] for r in rules]
    assert evaluation.result("age").params["age"] == 68
    assert mentor.state == states.ELIGIBLE


def test_decision_is_only_taken_at_the_decision_step(db, tenants, in_tenant, create_person) -> None:
    person = create_person("brussels", role="mentor", state=states.IN_TRAINING)
    with in_tenant("brussels"), pytest.raises(DecisionError):
        decide(person, _rules(tenants["brussels"]), today=TODAY)


def test_missing_facts_give_needs_review_and_a_to_do(
    db, tenants, in_tenant, create_person, coordinator
) -> None:
    person = create_person("brussels", role="mentor", state=states.INTAKE_DONE)
    with in_tenant("brussels"):
        decision = decide(person, _rules(tenants["brussels"]), today=TODAY)
    assert decision.outcome == "needs_review" and person.state == states.NEEDS_REVIEW
    html = coordinator("brussels").get("/brussels/").get_data(as_text=True)
    assert "state=needs_review" in html


def test_a_rules_change_never_changes_a_past_decision(
    db, tenants, in_tenant, mentor, login
) -> None:
    tenant = tenants["brussels"]
    mid = mentor.id
    with in_tenant("brussels"):
        first = decide(mentor, _rules(tenant), today=TODAY)
        stored_json = copy.deepcopy(first.evaluation)
        old_hash = first.rules_hash
    _change_rules(db, tenant, experience={"min": 45})  # Marc has 40 years
    with in_tenant("brussels"):
        db.session.expire_all()
        views = decisions_of(mentor, _rules(tenant))
        assert len(views) == 1 and views[0].outdated
        assert views[0].decision.evaluation == stored_json  # untouched
        assert views[0].decision.rules_hash == old_hash
        assert mentor.state == states.ELIGIBLE

    client = login(branches=["brussels"], locale="en")
    page = client.get(f"/brussels/people/{mid}").get_data(as_text=True)
    assert "Decided under an earlier version of the rules." in page
    assert f"/brussels/people/{mid}/reevaluate" in page

    assert client.post(f"/brussels/people/{mid}/reevaluate").status_code == 302
    with in_tenant("brussels"):
        db.session.expire_all()
        views = decisions_of(mentor, _rules(tenant))
        assert [v.decision.outcome for v in views] == ["not_eligible", "eligible"]
        assert [v.outdated for v in views] == [False, True]
        assert views[1].decision.evaluation == stored_json
        last = db.session.execute(
            select(StateChange)
            .where(StateChange.person_id == mentor.id)
            .order_by(StateChange.at.desc())
            .limit(1)
        ).scalar_one()
        assert (last.from_state, last.to_state) == (states.ELIGIBLE, states.NOT_ELIGIBLE)
        assert history.describe(last.reason)[0] == "Evaluated again under the current rules"
        assert last.by_user_id == client.user.id
    page = client.get(f"/brussels/people/{mid}").get_data(as_text=True)
    assert "Decided under an earlier version of the rules." not in page
    assert "below the minimum of 45" in page


def test_override_requires_a_justification_and_is_audited(
    db, tenants, in_tenant, mentor, create_user
) -> None:
    user = create_user(branches=["brussels"], name="Sofie Coordinator")
    tenant = tenants["brussels"]
    with in_tenant("brussels"):
        decide(mentor, _rules(tenant), today=TODAY)
        for text in ("", "   "):
            with pytest.raises(DecisionError):
                override(mentor, "not_eligible", text, _rules(tenant), today=TODAY, by=user)
        with pytest.raises(DecisionError):  # overrides nothing
            override(mentor, "eligible", "Because", _rules(tenant), today=TODAY, by=user)
        with pytest.raises(DecisionError):
            override(mentor, "maybe", "Because", _rules(tenant), today=TODAY, by=user)
        decision = override(
            mentor,
            "not_eligible",
            " Cannot commit to six months. ",
            _rules(tenant),
            today=TODAY,
            by=user,
        )
        assert (decision.kind, decision.outcome, decision.evaluated_outcome) == (
            OVERRIDE,
            "not_eligible",
            "eligible",
        )
        assert decision.justification == "Cannot commit to six months."
        assert decision.decided_by_user_id == user.id
        assert mentor.state == states.NOT_ELIGIBLE
        change = db.session.execute(
            select(StateChange)
            .where(StateChange.person_id == mentor.id)
            .order_by(StateChange.at.desc())
            .limit(1)
        ).scalar_one()
        assert change.by_user_id == user.id
        assert history.describe(change.reason) == (
            "Eligibility decided by a coordinator",
            "Cannot commit to six months.",
        )


def test_override_through_the_page(db, tenants, in_tenant, mentor, login) -> None:
    mid = mentor.id
    with in_tenant("brussels"):
        decide(mentor, _rules(tenants["brussels"]), today=TODAY)
    client = login(branches=["brussels"], locale="en", name="Sofie Coordinator")
    form = client.get(f"/brussels/people/{mid}/override")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'value="not_eligible"' in html and 'value="eligible"' not in html

    # Missing justification: 400, message at the field, nothing written.
    response = client.post(
        f"/brussels/people/{mid}/override", data={"outcome": "not_eligible", "justification": "  "}
    )
    assert response.status_code == 400
    assert "Write why you decide otherwise than the rules." in response.get_data(as_text=True)
    response = client.post(
        f"/brussels/people/{mid}/override", data={"outcome": "hired", "justification": "x"}
    )
    assert response.status_code == 400
    with in_tenant("brussels"):
        db.session.expire_all()
        count = db.session.execute(
            select(func.count())
            .select_from(EligibilityDecision)
            .where(EligibilityDecision.person_id == mentor.id)
        ).scalar()
        assert count == 1

    response = client.post(
        f"/brussels/people/{mid}/override",
        data={"outcome": "not_eligible", "justification": "Moves abroad in March."},
    )
    assert response.status_code == 302
    page = client.get(f"/brussels/people/{mid}").get_data(as_text=True)
    assert "Moves abroad in March." in page
    assert "Sofie Coordinator" in page
    assert "Eligibility decided by a coordinator" in page  # the history line


def test_override_is_refused_after_the_decision_step(
    db, in_tenant, create_person, coordinator
) -> None:
    person = create_person("brussels", role="mentor", state=states.TRAINED)
    mid = person.id
    client = coordinator("brussels")
    assert client.get(f"/brussels/people/{mid}/override").status_code == 302
    response = client.post(
        f"/brussels/people/{mid}/override", data={"outcome": "not_eligible", "justification": "x"}
    )
    assert response.status_code == 400
    assert client.post(f"/brussels/people/{mid}/reevaluate").status_code == 400
    with in_tenant("brussels"):
        db.session.refresh(person)
        assert person.state == states.TRAINED
