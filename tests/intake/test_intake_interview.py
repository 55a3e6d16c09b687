"""Recording the intake: profile, consent for sensitive facts, decision, bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from duo.eligibility.models import EligibilityDecision
from duo.intake import interview
from duo.intake.interview import record_intake
from duo.people import states
from duo.people.models import Profile, StateChange
from duo.privacy.consent import SENSITIVE_FACTS, has_consent
from support import ADULT_BIRTH_YEAR, days_from_today, mentee_form, today

TODAY = today()
#: The mentee's day of birth: 25 years old, well inside every branch's age range.
BIRTH = date(ADULT_BIRTH_YEAR, 5, 4)


def mentee_answers(**changes: object) -> dict:
    answers = {
        "birth_date": BIRTH,
        "postcode": "1000",
        "languages": {"fr": "B2", "ar": "native"},
        "availability": ["tue-evening", "sat-morning"],
        "interests": ["football"],
        "digital_skills": 2,
        "personality": ["calm"],
        "notes": None,
        "help_questions": ["cv", "interview"],
        "target_sector": "it",
        "professional_goal": "Developer",
        "education_level": "bachelor",
        "seeking_job_study_or_internship": True,
        "registered_jobseeker": None,
        "other_barriers": False,
        "migration_background": "parent_born_outside_eu",
        "allowed_to_work": True,
    }
    answers.update(changes)
    return answers


def mentor_answers(**changes: object) -> dict:
    answers = {
        "birth_date": date(1958, 2, 1),
        "languages": {"fr": "native", "nl": "B2"},
        "availability": ["mon-morning"],
        "sectors": ["finance"],
        "occupations": ["accountant"],
        "years_experience": 35,
        "working_status": "retired",
        "help_questions": ["network", "cv"],
        "volunteer": True,
        "available_six_months": True,
    }
    answers.update(changes)
    return answers


def rules(tenants, slug, audience):
    return tenants[slug].config["eligibility"][audience]


def _record(person, answers, *, consent, tenants, slug="brussels", user=None):
    return record_intake(
        person,
        answers,
        consent_given=consent,
        rules=rules(tenants, slug, person.role),
        today=TODAY,
        by=user,
        locale="fr",
    )


# --------------------------------------------------------------------------- domain


def test_mentee_with_consent_is_eligible_and_history_shows_both_steps(
    db, tenants, in_tenant, create_person, create_user
) -> None:
    user = create_user(branches=["brussels"])
    person = create_person("brussels", role="mentee", state=states.ATTENDED)
    with in_tenant("brussels"):
        result = _record(person, mentee_answers(), consent=True, tenants=tenants, user=user)
        assert person.state == states.ELIGIBLE
        assert result.decision.outcome == "eligible" and not result.sensitive_dropped
        assert result.profile.migration_background == "parent_born_outside_eu"
        assert has_consent(person, SENSITIVE_FACTS)
        steps = db.session.execute(
            select(StateChange.to_state, StateChange.by_user_id)
            .where(StateChange.person_id == person.id)
            .order_by(StateChange.at)
        ).all()
        assert steps == [(states.INTAKE_DONE, user.id), (states.ELIGIBLE, user.id)]
        assert person.birth_year == BIRTH.year


def test_without_consent_sensitive_facts_are_not_stored_and_rules_need_review(
    db, tenants, in_tenant, create_person
) -> None:
    person = create_person("brussels", role="mentee", state=states.ATTENDED)
    with in_tenant("brussels"):
        result = _record(person, mentee_answers(), consent=False, tenants=tenants)
        assert result.sensitive_dropped
        assert result.profile.migration_background is None
        assert result.profile.allowed_to_work is None
        assert not has_consent(person, SENSITIVE_FACTS)
        assert person.state == states.NEEDS_REVIEW
        codes = {r["rule_id"]: r["code"] for r in result.decision.evaluation["results"]}
        assert codes["migration"] == "fact.missing" and codes["work_permit"] == "fact.missing"


def test_unticking_consent_withdraws_it_and_erases_the_answers(
    db, tenants, in_tenant, create_person
) -> None:
    person = create_person("brussels", role="mentee", state=states.ATTENDED)
    with in_tenant("brussels"):
        _record(person, mentee_answers(), consent=True, tenants=tenants)
        result = _record(
            person,
            mentee_answers(migration_background=None, allowed_to_work=None),
            consent=False,
            tenants=tenants,
        )
        assert not has_consent(person, SENSITIVE_FACTS)
        assert result.profile.migration_background is None
        assert person.state == states.NEEDS_REVIEW


def test_lyon_other_barriers_meet_the_migration_rule_without_sensitive_facts(
    db, tenants, in_tenant, create_person
) -> None:
    person = create_person("lyon", role="mentee", state=states.REGISTERED, locale="fr")
    with in_tenant("lyon"):
        result = _record(
            person,
            mentee_answers(languages={"fr": "C1"}, other_barriers=True),
            consent=False,
            tenants=tenants,
            slug="lyon",
        )
        outcomes = {r["rule_id"]: r["outcome"] for r in result.decision.evaluation["results"]}
        assert outcomes["migration"] == "eligible"  # any_of: other barriers
        assert outcomes["work_permit"] == "needs_review"  # residence status needs consent
        assert person.state == states.NEEDS_REVIEW


def test_mentor_intake_decides_on_mentor_rules(db, tenants, in_tenant, create_person) -> None:
    mentor = create_person("brussels", role="mentor", state=states.ATTENDED)
    young = create_person("brussels", role="mentor", state=states.ATTENDED)
    with in_tenant("brussels"):
        _record(mentor, mentor_answers(), consent=False, tenants=tenants)
        _record(young, mentor_answers(birth_date=date(1990, 1, 1)), consent=False, tenants=tenants)
        assert mentor.state == states.ELIGIBLE
        assert young.state == states.NOT_ELIGIBLE
        profile = db.session.execute(
            select(Profile).where(Profile.person_id == mentor.id)
        ).scalar_one()
        assert profile.sectors == ["finance"] and profile.years_experience == 35
        assert profile.migration_background is None


def test_editing_the_intake_later_keeps_the_decision(db, tenants, in_tenant, create_person) -> None:
    person = create_person("brussels", role="mentor", state=states.IN_TRAINING)
    with in_tenant("brussels"):
        result = _record(
            person, mentor_answers(availability=["wed-evening"]), consent=False, tenants=tenants
        )
        assert result.decision is None
        assert person.state == states.IN_TRAINING
        assert result.profile.availability == ["wed-evening"]
        n = db.session.execute(select(func.count()).select_from(EligibilityDecision)).scalar()
        assert n == 0


def test_a_second_intake_with_the_same_outcome_adds_no_state_change(
    db, tenants, in_tenant, create_person
) -> None:
    person = create_person("brussels", role="mentor", state=states.ATTENDED)
    with in_tenant("brussels"):
        _record(person, mentor_answers(), consent=False, tenants=tenants)
        _record(person, mentor_answers(interests=["chess"]), consent=False, tenants=tenants)
        n_changes = db.session.execute(
            select(func.count()).where(StateChange.person_id == person.id)
        ).scalar()
        n_decisions = db.session.execute(
            select(func.count()).where(EligibilityDecision.person_id == person.id)
        ).scalar()
        assert (n_changes, n_decisions) == (2, 2)


# --------------------------------------------------------------------------- views


def test_intake_form_shows_every_question(coordinator, create_person) -> None:
    client = coordinator("brussels")
    mentee = create_person("brussels", role="mentee", state=states.ATTENDED).id
    mentor = create_person("brussels", role="mentor", state=states.ATTENDED).id
    html = client.get(f"/brussels/people/{mentee}/intake").get_data(as_text=True)
    for name in (
        "birth_date",
        "postcode",
        "languages-0-language",
        "availability-tue-evening",
        "target_sector",
        "help_questions",
        "education_level",
        "sensitive_consent",
        "migration_background",
        "allowed_to_work",
        "seeking_job_study_or_internship",
        "digital_skills",
        "personality",
        "interests",
    ):
        assert f'id="{name}' in html or f'name="{name}"' in html, name
    html = client.get(f"/brussels/people/{mentor}/intake").get_data(as_text=True)
    for name in interview.MENTOR_FIELDS:  # every question the mentor's interview asks
        assert f'name="{name}"' in html, name
    assert "sensitive_consent" not in html


def test_posting_the_intake_saves_and_decides(db, login, create_person, in_tenant) -> None:
    client = login(branches=["brussels"], locale="en")
    person = create_person("brussels", role="mentee", state=states.ATTENDED)
    pid = person.id
    response = client.post(f"/brussels/people/{pid}/intake", data=mentee_form())
    assert response.status_code == 302
    with in_tenant("brussels"):
        db.session.refresh(person)
        assert person.state == states.ELIGIBLE
        profile = db.session.execute(
            select(Profile).where(Profile.person_id == person.id)
        ).scalar_one()
        assert profile.languages == {"fr": "B2", "ar": "native"}
        assert profile.availability == ["tue-evening", "sat-morning"]
        assert profile.interests == ["Football", "cooking"]  # as typed
        assert profile.personality == ["calm", "direct"]
    page = client.get(f"/brussels/people/{pid}").get_data(as_text=True)
    assert "Non-EU nationality" in page
    # the form comes back filled in
    form = client.get(f"/brussels/people/{pid}/intake").get_data(as_text=True)
    assert 'value="tue-evening" id="availability-tue-evening" checked' in form


def test_intake_without_consent_warns_and_stores_no_sensitive_fact(
    db, login, create_person, in_tenant
) -> None:
    client = login(branches=["brussels"], locale="en")
    person = create_person("brussels", role="mentee", state=states.ATTENDED)
    response = client.post(
        f"/brussels/people/{person.id}/intake",
        data=mentee_form(sensitive_consent=None),
        follow_redirects=True,
    )
    assert "not recorded" in response.get_data(as_text=True)
    with in_tenant("brussels"):
        db.session.refresh(person)
        assert person.state == states.NEEDS_REVIEW
        profile = db.session.execute(
            select(Profile).where(Profile.person_id == person.id)
        ).scalar_one()
        assert profile.migration_background is None and profile.allowed_to_work is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": str(days_from_today(30))}, "cannot be in the future"),
        ({"birth_date": BIRTH.strftime("%d/%m/%Y")}, "Not a valid date value"),
        ({"postcode": "<script>"}, "Enter a valid postcode."),
        ({"languages-0-level": ""}, "Choose the level for this language."),
        ({"languages-1-language": "fr"}, "This language is listed twice."),
        ({"languages-0-language": "xx"}, "Choose a language."),
        ({"digital_skills": "9"}, "Not a valid choice"),
        ({"target_sector": "astronaut"}, "Not a valid choice"),
        ({"help_questions": ["cv", "magic"]}, "not a valid choice"),
        ({"availability": ["mon-night"]}, "not a valid choice"),
        ({"allowed_to_work": "maybe"}, "Not a valid choice"),
        ({"interests": ", ".join(f"tag{i}" for i in range(30))}, "at most 20"),
    ],
)
def test_bad_intake_input_is_400_at_the_field_and_writes_nothing(
    db, coordinator, create_person, in_tenant, changes, message
) -> None:
    person = create_person("brussels", role="mentee", state=states.ATTENDED)
    pid = person.id
    client = coordinator("brussels")  # logging in commits the fixtures: a 400 rolls back
    client.post("/language", data={"locale": "en"})  # WTForms' own messages are translated
    response = client.post(f"/brussels/people/{pid}/intake", data=mentee_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message.lower() in html.lower(), html[html.find("field-error") - 300 :][:800]
    assert 'class="field-error"' in html
    with in_tenant("brussels"):
        db.session.refresh(person)
        assert person.state == states.ATTENDED
        assert (
            db.session.execute(select(func.count()).where(Profile.person_id == person.id)).scalar()
            == 0
        )
        assert not has_consent(person, SENSITIVE_FACTS)


def test_bad_mentor_input_is_400(coordinator, create_person) -> None:
    mentor = create_person("brussels", role="mentor", state=states.ATTENDED).id
    client = coordinator("brussels")
    client.post("/language", data={"locale": "en"})
    response = client.post(
        f"/brussels/people/{mentor}/intake",
        data={"years_experience": "-3", "working_status": "astronaut", "sectors": ["space"]},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "between 0 and 70" in html
    assert "Choose working or retired." in html
