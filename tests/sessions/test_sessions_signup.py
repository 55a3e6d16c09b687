"""Signing up (domain): person, consent, registration, confirmation, and no duplicates."""

from __future__ import annotations

import base64

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from duo.core.db import db
from duo.core.jobs.models import OutboxJob
from duo.people import states
from duo.people.models import Person, StateChange
from duo.privacy.consent import PRIVACY_NOTICE, TEXT_VERSIONS
from duo.privacy.models import Consent
from duo.sessions.domain import SessionError
from duo.sessions.models import REGISTERED, WAITLISTED, Registration
from duo.sessions.signup import sign_up
from support import mails_to, make_session, past, request_for


def test_sign_up_registers_the_person_with_consent_and_a_confirmation(tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, online_url="https://meet.example.org/duo")
    with in_tenant("brussels"):
        result = sign_up(
            request_for(info.id, email="Amina.B@Example.org", locale="fr"), tenant=tenant
        )
        person = result.person
        assert result.created and result.status == REGISTERED
        assert (person.state, person.role, person.locale) == (states.REGISTERED, "mentee", "fr")
        assert person.email == "Amina.B@Example.org"
        history = (
            db.session.execute(select(StateChange).where(StateChange.person_id == person.id))
            .scalars()
            .all()
        )
        assert [(h.from_state, h.to_state) for h in history] == [(None, states.REGISTERED)]
        consent = db.session.execute(
            select(Consent).where(Consent.person_id == person.id)
        ).scalar_one()
        assert consent.kind == PRIVACY_NOTICE
        assert consent.text_version == TEXT_VERSIONS[PRIVACY_NOTICE]
        assert consent.locale == "fr" and consent.given_at is not None
        assert result.registration.heard_from == "website"
        jobs = db.session.execute(select(OutboxJob.name)).scalars().all()
        assert "mail.send" in jobs
    [mail] = mails_to(tenant, "Amina.B@Example.org")
    assert mail.kind == "sessions.confirmation"
    assert mail.person_id == person.id
    assert "/brussels/join/registration/" in mail.text
    assert "https://meet.example.org/duo" in mail.text  # a seat: the link is sent
    assert mail.html and "<html" in mail.html
    filename, content_type = mail.attachments[0]["filename"], mail.attachments[0]["content_type"]
    assert filename.endswith(".ics") and "method=REQUEST" in content_type
    calendar = Calendar.from_ical(base64.b64decode(mail.attachments[0]["data"]))
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(f"info-session-brussels-{info.id}")
    assert "mailto:Amina.B@Example.org" in str(event["ATTENDEE"])


def test_the_same_address_and_role_reuses_the_person(tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    one, two = make_session(tenant), make_session(tenant)
    with in_tenant("brussels"):
        first = sign_up(request_for(one.id, email="sam@example.org"), tenant=tenant)
        again = sign_up(
            request_for(two.id, email=" SAM@example.ORG ", first_name="Someone", last_name="Else"),
            tenant=tenant,
        )
        assert again.created and again.person.id == first.person.id
        assert (first.person.first_name, first.person.last_name) == ("Amina", "Benali")
        mentor = sign_up(
            request_for(two.id, email="sam@example.org", role="mentor", birth_year=1960),
            tenant=tenant,
        )
        assert mentor.person.id != first.person.id and mentor.person.role == "mentor"
        assert db.session.execute(select(func.count()).select_from(Person)).scalar_one() == 2
    with in_tenant("antwerp"):  # another branch: another person
        antwerp = make_session(tenants["antwerp"])
        other = sign_up(
            request_for(antwerp.id, email="sam@example.org", locale="nl"), tenant=tenants["antwerp"]
        )
        assert other.person.tenant_id == tenants["antwerp"].id


def test_the_same_session_twice_changes_nothing(tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant)
    with in_tenant("brussels"):
        first = sign_up(request_for(info.id, email="twice@example.org"), tenant=tenant)
        second = sign_up(request_for(info.id, email="Twice@example.org"), tenant=tenant)
        assert not second.created
        assert second.registration.id == first.registration.id
        assert db.session.execute(select(func.count()).select_from(Registration)).scalar_one() == 1
        assert db.session.execute(select(func.count()).select_from(Consent)).scalar_one() == 1
    assert len(mails_to(tenant, "twice@example.org")) == 1


def test_signing_up_again_after_cancelling_reuses_the_registration(tenants, in_tenant) -> None:
    from duo.sessions.domain import cancel_registration

    tenant = tenants["brussels"]
    info = make_session(tenant)
    with in_tenant("brussels"):
        first = sign_up(request_for(info.id, email="back@example.org"), tenant=tenant)
        cancel_registration(first.registration)
        back = sign_up(request_for(info.id, email="back@example.org"), tenant=tenant)
        assert back.created and back.registration.id == first.registration.id
        assert back.registration.status == REGISTERED and back.registration.cancelled_at is None


def test_a_withdrawn_person_signing_up_again_is_registered_again(tenants, in_tenant) -> None:
    from duo.people import pipeline

    tenant = tenants["brussels"]
    info, later = make_session(tenant), make_session(tenant)
    with in_tenant("brussels"):
        first = sign_up(request_for(info.id, email="w@example.org"), tenant=tenant)
        pipeline.transition(first.person, states.WITHDRAWN)
        sign_up(request_for(later.id, email="w@example.org"), tenant=tenant)
        assert first.person.state == states.REGISTERED


def test_a_full_session_needs_the_waiting_list_choice(tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=1)
    with in_tenant("brussels"):
        sign_up(request_for(info.id), tenant=tenant)
        with pytest.raises(SessionError) as err:
            sign_up(request_for(info.id, email="late@example.org"), tenant=tenant)
        assert err.value.field == "waitlist"
        assert (
            db.session.execute(select(Person).where(Person.email == "late@example.org")).first()
            is None
        )
        waiting = sign_up(
            request_for(info.id, email="late@example.org", waitlist=True), tenant=tenant
        )
        assert waiting.status == WAITLISTED
    [mail] = mails_to(tenant, "late@example.org")
    assert not mail.attachments and "waiting list" in mail.subject


@pytest.mark.parametrize("case", ["past", "cancelled", "audience", "other_branch", "consent"])
def test_sessions_that_cannot_be_chosen(tenants, in_tenant, case) -> None:
    from duo.core.db import utcnow

    tenant = tenants["brussels"]
    values: dict[str, object] = {}
    if case == "past":
        values["starts_at"] = past()
    if case == "cancelled":
        values["cancelled_at"] = utcnow()
    if case == "audience":
        values["audience"] = "mentors"
    target = tenants["antwerp"] if case == "other_branch" else tenant
    info = make_session(target, **values)
    with in_tenant("brussels"), pytest.raises(SessionError) as err:
        sign_up(request_for(info.id, consent=case != "consent"), tenant=tenant)
    assert err.value.field == ("consent" if case == "consent" else "session")
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(Person)).scalar_one() == 0
