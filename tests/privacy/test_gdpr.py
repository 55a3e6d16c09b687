"""GDPR in the domain: the consent ledger, withdrawal, the copy, erasure and retention."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta

from sqlalchemy import select

from duo.core import links
from duo.core.db import utcnow
from duo.core.links.models import PersonalLink
from duo.core.mail import queue_mail
from duo.core.mail.models import KEPT, QUEUED, OutgoingMail
from duo.core.plugins import PERIODIC
from duo.duos import states as duo_states
from duo.duos.models import Duo, DuoCheckIn
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange
from duo.privacy import consent, gdpr
from duo.privacy.config import PRIVACY_NOTICE, SENSITIVE_FACTS
from duo.privacy.models import GRANT, LINK, RETENTION, WITHDRAW, WITHDRAWAL, Consent, Erasure
from duo.reporting.refresh import refresh_now
from support import years_ago
from support.history import REPORT_YEAR, History, at


def _mail(person, text: str = "Hello", created_at: datetime | None = None) -> OutgoingMail:
    mail = queue_mail(person.email, "Subject", text, person=person, kind="test")
    if created_at is not None:
        mail.created_at = created_at
    return mail


# --------------------------------------------------------------------------- the ledger


def test_every_grant_and_withdrawal_is_a_row_of_the_ledger(db, create_person, in_tenant) -> None:
    person = create_person("ghent")
    with in_tenant("ghent"):
        consent.record(person, PRIVACY_NOTICE, locale="nl")
        consent.record(person, SENSITIVE_FACTS, locale="nl", channel="coordinator")
        assert consent.withdraw(person, SENSITIVE_FACTS, channel=LINK) == 1
        assert consent.withdraw(person, SENSITIVE_FACTS) == 0  # nothing standing: no row
        rows = consent.ledger(person)
        assert [(r.kind, r.action, r.channel) for r in rows] == [
            (PRIVACY_NOTICE, GRANT, "form"),
            (SENSITIVE_FACTS, GRANT, "coordinator"),
            (SENSITIVE_FACTS, WITHDRAW, LINK),
        ]
        assert rows[1].withdrawn_at == rows[2].at
        assert all(r.text_version == "2026-11-v1" for r in rows)
        assert set(consent.standing(person)) == {PRIVACY_NOTICE}


def test_text_versions_come_from_the_branch_configuration(db, tenants, create_person, in_tenant):
    tenant = tenants["ghent"]
    config = copy.deepcopy(tenant.config)
    for purpose in config["privacy"]["purposes"]:
        if purpose["key"] == PRIVACY_NOTICE:
            purpose["version"] = "ghent-2027-v2"
    tenant.config = config
    db.session.flush()
    person = create_person("ghent")
    with in_tenant("ghent"):
        assert consent.record(person, PRIVACY_NOTICE, locale="nl").text_version == "ghent-2027-v2"
        assert consent.record(person, SENSITIVE_FACTS, locale="nl").text_version == "2026-11-v1"


# --------------------------------------------------------------------------- withdrawal


def test_withdrawing_the_privacy_consent_stops_processing(db, tenants, create_person, in_tenant):
    person = create_person("ghent", state=states.ELIGIBLE)
    with in_tenant("ghent"):
        consent.record(person, PRIVACY_NOTICE, locale="nl")
        consent.record(person, SENSITIVE_FACTS, locale="nl")
        queued = _mail(person)
        duo_link, _token = links.issue(
            person.id, "duo", person.id, "duo", valid_for=timedelta(days=30)
        )
        privacy_link, _token = links.issue(
            person.id, gdpr.LINK_OBJECT, person.id, gdpr.LINK_PURPOSE, valid_for=timedelta(days=9)
        )
        queued_id = queued.id

        result = gdpr.withdraw(person.id, PRIVACY_NOTICE, channel=LINK)

        assert set(result.purposes) == {PRIVACY_NOTICE, SENSITIVE_FACTS}
        assert consent.standing(person) == {}
        assert person.state == states.WITHDRAWN
        assert db.session.get(OutgoingMail, (tenants["ghent"].id, queued_id)) is None
        assert duo_link.revoked_at is not None and privacy_link.revoked_at is None
        erasure = result.erasure
        assert erasure.reason == WITHDRAWAL and erasure.done_at is None
        assert erasure.due_at - utcnow() > timedelta(days=29)  # ghent (be): 30 days
        # No mail goes to them any more: a new one is never stored.
        _mail(person)
        count = db.session.execute(
            select(OutgoingMail).where(OutgoingMail.person_id == person.id)
        ).all()
        assert count == []
        # A second withdrawal changes nothing.
        assert gdpr.withdraw(person.id, PRIVACY_NOTICE).purposes == ()
        last = db.session.execute(
            select(StateChange.reason)
            .where(StateChange.person_id == person.id)
            .order_by(StateChange.at.desc())
        ).scalars()
        assert next(iter(last)) == "duo:privacy.withdrawn"


def test_withdrawing_sensitive_facts_only_forgets_them(db, create_person, in_tenant) -> None:
    person = create_person("ghent", state=states.ELIGIBLE)
    with in_tenant("ghent"):
        consent.record(person, PRIVACY_NOTICE, locale="nl")
        consent.record(person, SENSITIVE_FACTS, locale="nl")
        result = gdpr.withdraw(person.id, SENSITIVE_FACTS)
        assert result.purposes == (SENSITIVE_FACTS,) and result.erasure is None
        assert person.state == states.ELIGIBLE
        assert consent.has_consent(person, PRIVACY_NOTICE)


def test_withdrawal_stops_an_open_duo(db, tenants, in_tenant) -> None:
    history = History(db, tenants)
    mentee = history.person("ghent", MENTEE, signed_up=at(REPORT_YEAR, 1), steps=[])
    mentor = history.person("ghent", MENTOR, signed_up=at(REPORT_YEAR, 1), steps=[])
    duo = history.duo(
        "ghent", mentee, mentor, proposed=at(REPORT_YEAR, 2), started=at(REPORT_YEAR, 3)
    )
    with in_tenant("ghent"):
        consent.record(mentee, PRIVACY_NOTICE, locale="nl")
        gdpr.withdraw(mentee.id, PRIVACY_NOTICE)
        assert duo.state == duo_states.STOPPED
        assert mentee.state == states.WITHDRAWN


# --------------------------------------------------------------------------- the copy


def test_the_export_holds_everything_about_the_person(db, tenants, in_tenant) -> None:
    history = History(db, tenants)
    mentee = history.person("ghent", MENTEE, signed_up=at(REPORT_YEAR, 1), sector="care")
    mentor = history.person("ghent", MENTOR, signed_up=at(REPORT_YEAR, 1))
    duo = history.duo(
        "ghent", mentee, mentor, proposed=at(REPORT_YEAR, 2), started=at(REPORT_YEAR, 3)
    )
    with in_tenant("ghent"):
        consent.record(mentee, PRIVACY_NOTICE, locale="nl")
        _mail(mentee, "Your information session")
        links.issue(mentee.id, "duo", duo.id, "duo", valid_for=timedelta(days=3))
        db.session.add(
            DuoCheckIn(
                duo_id=duo.id,
                week_start=at(REPORT_YEAR, 3).date(),
                kind="link",
                by_person_id=mentee.id,
                met=True,
                note="We met at the library",
            )
        )
        db.session.flush()
        document = gdpr.export(mentee.id)
    text = json.dumps(document)  # JSON all the way down
    assert document["format"] == gdpr.EXPORT_FORMAT and document["branch"] == "ghent"
    assert document["person"]["email"] == mentee.email
    assert document["profile"]["target_sector"] == "care"
    for section in (
        "history",
        "consents",
        "emails",
        "personal_links",
        "eligibility_decisions",
        "training_enrolments",
        "training_attendance",
        "info_session_registrations",
        "duos",
        "duo_history",
        "check_ins",
        "survey_answers",
        "outcomes",
    ):
        assert section in document, section
    assert document["emails"][0]["text"] == "Your information session"
    assert document["consents"][0]["kind"] == PRIVACY_NOTICE
    assert document["duos"][0]["id"] == str(duo.id)
    assert document["check_ins"][0]["note"] == "We met at the library"
    assert "token_hash" not in text


def test_the_export_of_another_branch_is_empty(db, tenants, create_person, in_tenant) -> None:
    person = create_person("ghent")
    with in_tenant("antwerp"):
        document = gdpr.export(person.id)
    assert document["person"] is None and document["consents"] == []


# --------------------------------------------------------------------------- erasure


def test_erasure_removes_personal_data_and_keeps_the_figures(db, tenants, in_tenant) -> None:
    history = History(db, tenants)
    mentee = history.person(
        "ghent",
        MENTEE,
        signed_up=at(REPORT_YEAR, 1),
        birth_year=2000,
        sector="care",
        steps=[(states.ATTENDED, at(REPORT_YEAR, 1, 20)), (states.IN_DUO, at(REPORT_YEAR, 3))],
        first_name="Samira",
    )
    mentor = history.person("ghent", MENTOR, signed_up=at(REPORT_YEAR, 1), birth_year=1958)
    history.duo("ghent", mentee, mentor, proposed=at(REPORT_YEAR, 2), started=at(REPORT_YEAR, 3))
    with in_tenant("ghent"):
        mentee.phone = "+32 470 00 00 00"
        profile = db.session.execute(
            select(Profile).where(Profile.person_id == mentee.id)
        ).scalar_one()
        profile.notes, profile.migration_background = "Lives with her aunt", "non_eu_parent"
        db.session.add(
            StateChange(
                person_id=mentor.id,
                from_state=states.TRAINED,
                to_state=states.MATCHED,
                at=at(REPORT_YEAR, 2),
                reason='duo:duos.proposed_with {"name": "Samira ' + mentee.last_name + '"}',
            )
        )
        consent.record(mentee, PRIVACY_NOTICE, locale="nl")
        _mail(mentee)
        db.session.flush()
    before = refresh_now(tenants["ghent"].id)

    with in_tenant("ghent"):
        gdpr.erase(mentee.id)
        again = gdpr.erase(mentee.id)  # idempotent
        erased = db.session.execute(select(Person).where(Person.id == mentee.id)).scalar_one()
        assert erased.first_name.startswith("#") and "Samira" not in erased.full_name
        assert erased.email.endswith("@erased.invalid") and erased.phone is None
        assert (erased.role, erased.state, erased.birth_year) == (MENTEE, states.IN_DUO, 2000)
        profile = db.session.execute(
            select(Profile).where(Profile.person_id == mentee.id)
        ).scalar_one()
        assert profile.notes is None and profile.migration_background is None
        assert profile.target_sector == "care"
        assert (
            db.session.execute(
                select(OutgoingMail).where(OutgoingMail.person_id == mentee.id)
            ).first()
            is None
        )
        partner_reasons = db.session.execute(
            select(StateChange.reason).where(StateChange.person_id == mentor.id)
        ).scalars()
        assert not any("Samira" in (r or "") for r in partner_reasons)
        assert consent.ledger(mentee)  # the ledger stays: proof of what was agreed
        assert gdpr.is_erased(mentee.id) and again.done_at is not None
        assert len(db.session.execute(select(Erasure)).scalars().all()) == 1
    after = refresh_now(tenants["ghent"].id)
    assert after["hash"] == before["hash"]  # every rollup counts exactly as before
    assert after["cells"] == before["cells"]


# --------------------------------------------------------------------------- retention


def test_the_retention_job_is_declared_daily(app) -> None:
    with app.app_context():
        [periodic] = [p for p in PERIODIC.items() if p.id == "privacy-retention"]
    assert periodic.job == "privacy.retention" and periodic.every == timedelta(days=1)


def test_retention_pseudonymises_the_inactive_and_deletes_old_mail_bodies(
    db, tenants, create_person, in_tenant
) -> None:
    now = utcnow()
    old = years_ago(7)
    tenant = tenants["ghent"]
    sleeping = create_person("ghent", created_at=old, state_changed_at=old)
    awake = create_person("ghent", created_at=now - timedelta(days=30))
    with in_tenant("ghent"):
        _mail(awake, "An old mail", created_at=now - timedelta(days=400)).status = KEPT
        _mail(awake, "A recent mail", created_at=now - timedelta(days=10)).status = KEPT
        db.session.flush()

        plan = gdpr.plan_retention(tenant, now)
        assert plan.pseudonymise == [sleeping.id] and plan.mail_bodies == 1
        assert not gdpr.is_erased(sleeping.id)  # a plan changes nothing

        gdpr.apply_retention(tenant, now)
        assert gdpr.is_erased(sleeping.id) and not gdpr.is_erased(awake.id)
        assert gdpr.erasure_of(sleeping.id).reason == RETENTION
        bodies = sorted(
            db.session.execute(
                select(OutgoingMail.text).where(OutgoingMail.person_id == awake.id)
            ).scalars()
        )
        assert bodies == ["", "A recent mail"]
        assert gdpr.plan_retention(tenant, now).empty  # run again: nothing left to do


def test_a_scheduled_erasure_runs_when_due_or_is_cancelled_by_a_new_sign_up(
    db, tenants, create_person, in_tenant
) -> None:
    tenant = tenants["ghent"]
    gone = create_person("ghent")
    back = create_person("ghent")
    with in_tenant("ghent"):
        for person in (gone, back):
            consent.record(person, PRIVACY_NOTICE, locale="nl")
            gdpr.withdraw(person.id, PRIVACY_NOTICE)
        consent.record(back, PRIVACY_NOTICE, locale="nl")  # signed up again
        assert gdpr.plan_retention(tenant).scheduled == []  # not due yet
        later = utcnow() + timedelta(days=31)
        plan = gdpr.apply_retention(tenant, later)
        assert plan.scheduled == [gone.id] and plan.cancelled == [back.id]
        assert gdpr.is_erased(gone.id) and gdpr.erasure_of(back.id) is None
        queue_mail(back.email, "S", "T", person=back)
        assert db.session.execute(
            select(OutgoingMail.status).where(OutgoingMail.person_id == back.id)
        ).scalars().all() == [QUEUED]


def test_the_cli_dry_run_prints_and_changes_nothing(app, db, tenants, create_person, in_tenant):
    old = years_ago(8)
    person = create_person("ghent", created_at=old, state_changed_at=old)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "retention", "--dry-run", "--branch", "ghent"])
    assert result.exit_code == 0, result.output
    assert "would pseudonymise 1 inactive" in result.output
    assert str(person.id) in result.output and "nothing written" in result.output
    with in_tenant("ghent"):
        assert not gdpr.is_erased(person.id)
        assert db.session.execute(select(Person.first_name).where(Person.id == person.id)).scalar()
    assert runner.invoke(args=["privacy", "retention", "--branch", "nowhere"]).exit_code != 0


def test_links_of_an_erased_person_are_gone(db, create_person, in_tenant) -> None:
    person = create_person("ghent")
    with in_tenant("ghent"):
        links.issue(person.id, "duo", person.id, "duo", valid_for=timedelta(days=3))
        gdpr.erase(person.id)
        assert db.session.execute(select(PersonalLink)).first() is None
        assert db.session.execute(select(Consent)).first() is None
        assert db.session.execute(select(Duo)).first() is None


def test_the_cli_without_dry_run_does_it_once(app, db, tenants, create_person, in_tenant) -> None:
    old = years_ago(8)
    person = create_person("ghent", created_at=old, state_changed_at=old)
    person_id = person.id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "retention", "--branch", "ghent"])
    assert result.exit_code == 0, result.output
    assert "did pseudonymise 1 inactive" in result.output
    with in_tenant("ghent"):
        assert gdpr.is_erased(person_id)
    again = runner.invoke(args=["privacy", "retention", "--branch", "ghent"])
    assert "did pseudonymise 0 inactive" in again.output
