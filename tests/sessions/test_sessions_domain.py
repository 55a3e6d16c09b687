"""Planning, editing, cancelling sessions and recording attendance (domain, no HTTP)."""

from __future__ import annotations

import base64
import uuid
from datetime import date, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from duo.core.jobs.models import OutboxJob
from duo.people import states
from duo.people.models import Person, StateChange
from duo.sessions import domain
from duo.sessions.domain import SessionData, SessionError
from duo.sessions.models import CANCELLED, REGISTERED, WAITLISTED, InfoSession, Registration
from duo.sessions.signup import sign_up
from support import future, mails_to, make_session, next_spring_forward, past, request_for, run_jobs


def data(**values: object) -> SessionData:
    defaults: dict[str, object] = {
        "starts_at": future(),
        "duration_minutes": 90,
        "language": "fr",
        "audience": "both",
        "capacity": 12,
        "place": "Rue du Progrès 1, Bruxelles",
    }
    defaults.update(values)
    return SessionData(**defaults)


def ics(mail) -> Calendar:
    assert mail.attachments, "expected an .ics attachment"
    return Calendar.from_ical(base64.b64decode(mail.attachments[0]["data"]))


# --------------------------------------------------------------------------- times


def test_local_time_is_converted_with_the_branch_zone() -> None:
    year = next_spring_forward().year
    winter = domain.local_to_utc(date(year, 1, 12), time(18, 0), "Europe/Brussels")
    summer = domain.local_to_utc(date(year, 6, 15), time(18, 0), "Europe/Brussels")
    assert (winter.hour, summer.hour) == (17, 16)
    assert winter.utcoffset() == timedelta(0)


def test_a_time_that_does_not_exist_is_refused() -> None:
    with pytest.raises(SessionError) as err:
        domain.local_to_utc(next_spring_forward(), time(2, 30), "Europe/Brussels")
    assert err.value.field == "start_time"


# --------------------------------------------------------------------------- planning


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"starts_at": past()}, "start_date"),
        ({"place": None, "online_url": None}, "place"),
        ({"place": None, "online_url": "javascript:alert(1)"}, "online_url"),
        ({"language": "de"}, "language"),
        ({"capacity": 0}, "capacity"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"audience": "everyone"}, "audience"),
    ],
)
def test_bad_session_data_names_the_field(tenants, in_tenant, values, field) -> None:
    with in_tenant("brussels"), pytest.raises(SessionError) as err:
        domain.create_session(data(**values), tenant=tenants["brussels"])
    assert err.value.field == field
    assert err.value.message


def test_a_branch_may_hold_sessions_in_its_working_languages(db, tenants, in_tenant) -> None:
    with in_tenant("antwerp"):
        created = domain.create_session(data(language="en"), tenant=tenants["antwerp"])
        assert created.language == "en"
        assert db.session.execute(select(InfoSession)).scalars().all() == [created]


# --------------------------------------------------------------------------- waiting list


def test_a_freed_seat_goes_to_the_first_in_line_who_is_told(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=1)
    with in_tenant("brussels"):
        first = sign_up(request_for(info.id), tenant=tenant)
        second = sign_up(request_for(info.id, waitlist=True), tenant=tenant)
        third = sign_up(request_for(info.id, waitlist=True), tenant=tenant)
        assert (second.status, third.status) == (WAITLISTED, WAITLISTED)
        promoted = domain.cancel_registration(first.registration)
        assert [r.id for r in promoted] == [second.registration.id]
        assert first.registration.status == CANCELLED
        assert (second.registration.status, third.registration.status) == (REGISTERED, WAITLISTED)
        email = second.person.email
    db.session.commit()
    run_jobs()
    mails = mails_to(tenant, email)
    assert [m.kind for m in mails] == ["sessions.confirmation", "sessions.promoted"]
    assert not mails[0].attachments  # waiting list: no invitation yet
    event = ics(mails[1]).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_leaving_the_waiting_list_promotes_nobody(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=1)
    with in_tenant("brussels"):
        sign_up(request_for(info.id), tenant=tenant)
        waiting = sign_up(request_for(info.id, waitlist=True), tenant=tenant)
        after = sign_up(request_for(info.id, waitlist=True), tenant=tenant)
        assert domain.cancel_registration(waiting.registration) == []
        assert after.registration.status == WAITLISTED
        assert domain.cancel_registration(waiting.registration) == []  # twice: nothing


def test_a_larger_capacity_serves_the_waiting_list(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=1)
    with in_tenant("brussels"):
        sign_up(request_for(info.id), tenant=tenant)
        waiting = sign_up(request_for(info.id, waitlist=True), tenant=tenant)
        changed = domain.update_session(
            info,
            data(starts_at=info.starts_at, language=info.language, capacity=2, place=info.place),
            tenant=tenant,
        )
        assert changed == ["capacity"]
        assert waiting.registration.status == REGISTERED


def test_capacity_cannot_drop_below_the_seats_taken(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=3)
    with in_tenant("brussels"):
        sign_up(request_for(info.id), tenant=tenant)
        sign_up(request_for(info.id), tenant=tenant)
        with pytest.raises(SessionError) as err:
            domain.update_session(
                info, data(starts_at=info.starts_at, capacity=1, place=info.place), tenant=tenant
            )
    assert err.value.field == "capacity"


def test_the_audience_cannot_shut_out_people_registered(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant)
    with in_tenant("brussels"):
        sign_up(request_for(info.id, role="mentee"), tenant=tenant)
        with pytest.raises(SessionError) as err:
            domain.update_session(
                info,
                data(starts_at=info.starts_at, audience="mentors", place=info.place),
                tenant=tenant,
            )
    assert err.value.field == "audience"


# --------------------------------------------------------------------------- changes


def test_a_new_time_is_sent_with_an_updated_invitation(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant)
    with in_tenant("brussels"):
        seat = sign_up(request_for(info.id), tenant=tenant)
        email = seat.person.email
        later = info.starts_at + timedelta(days=1)
        domain.update_session(info, data(starts_at=later, place=info.place), tenant=tenant)
        assert info.sequence == 1
        # a change of the practical details alone tells nobody
        domain.update_session(
            info, data(starts_at=later, place=info.place, details="Bring your ID"), tenant=tenant
        )
        assert info.sequence == 1
    db.session.commit()
    run_jobs()
    mails = mails_to(tenant, email)
    assert [m.kind for m in mails] == ["sessions.confirmation", "sessions.changed"]
    event = ics(mails[1]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(later.tzinfo) == later


def test_a_changed_session_already_changed_again_sends_only_the_last(
    db, tenants, in_tenant
) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant)
    with in_tenant("brussels"):
        seat = sign_up(request_for(info.id), tenant=tenant)
        for days in (1, 2):
            domain.update_session(
                info,
                data(starts_at=info.starts_at + timedelta(days=days), place=info.place),
                tenant=tenant,
            )
        email = seat.person.email
    db.session.commit()
    run_jobs()
    kinds = [m.kind for m in mails_to(tenant, email)]
    assert kinds == ["sessions.confirmation", "sessions.changed"]


# --------------------------------------------------------------------------- cancelling


def test_cancelling_tells_everyone_once(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=1)
    with in_tenant("brussels"):
        seat = sign_up(request_for(info.id), tenant=tenant)
        waiting = sign_up(request_for(info.id, waitlist=True), tenant=tenant)
        gone = sign_up(request_for(info.id, waitlist=True), tenant=tenant)
        domain.cancel_registration(gone.registration)
        assert domain.cancel_session(info, reason="The room is not available.") == 2
        assert domain.cancel_session(info) == 0
        assert info.cancelled_at is not None
        emails = (seat.person.email, waiting.person.email, gone.person.email)
        keys = (
            db.session.execute(
                select(OutboxJob.dedupe_key).where(OutboxJob.name == "sessions.session_cancelled")
            )
            .scalars()
            .all()
        )
        assert sorted(keys) == sorted(
            f"sessions.cancelled:{info.id}:{p}" for p in (seat.person.id, waiting.person.id)
        )
    db.session.commit()
    run_jobs()
    run_jobs()
    seat_mails = mails_to(tenant, emails[0])
    assert [m.kind for m in seat_mails] == ["sessions.confirmation", "sessions.cancelled"]
    calendar = ics(seat_mails[1])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert "The room is not available." in seat_mails[1].text
    waiting_mails = mails_to(tenant, emails[1])
    assert [m.kind for m in waiting_mails] == ["sessions.confirmation", "sessions.cancelled"]
    assert not waiting_mails[1].attachments
    assert [m.kind for m in mails_to(tenant, emails[2])] == ["sessions.confirmation"]


def test_a_past_session_cannot_be_cancelled_or_changed(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, starts_at=past())
    with in_tenant("brussels"):
        with pytest.raises(SessionError):
            domain.cancel_session(info)
        with pytest.raises(SessionError):
            domain.update_session(info, data(), tenant=tenant)


# --------------------------------------------------------------------------- attendance


def test_attendance_moves_who_came_and_can_be_corrected(
    db, tenants, in_tenant, create_user
) -> None:
    tenant = tenants["brussels"]
    coordinator = create_user(branches=["brussels"])
    info = make_session(tenant, starts_at=future(days=3))
    with in_tenant("brussels"):
        came = sign_up(request_for(info.id), tenant=tenant)
        absent = sign_up(request_for(info.id), tenant=tenant)
        info.starts_at = past()
        db.session.flush()
        result = domain.record_attendance(
            info, {came.registration.id}, tenant=tenant, by=coordinator
        )
        assert (result.attended, result.absent) == (1, 1)
        assert came.person.state == states.ATTENDED
        assert absent.person.state == states.REGISTERED
        change = db.session.execute(
            select(StateChange).where(
                StateChange.person_id == came.person.id, StateChange.to_state == states.ATTENDED
            )
        ).scalar_one()
        assert change.by_user_id == coordinator.id
        assert info.attendance_recorded_at is not None
        assert domain.figures_for([info])[info.id].attended == 1

        # a mistake: the other one came, not the first
        result = domain.record_attendance(
            info, {absent.registration.id}, tenant=tenant, by=coordinator
        )
        assert came.person.state == states.REGISTERED
        assert absent.person.state == states.ATTENDED
        assert result.reverted == [came.person.id]


def test_attendance_leaves_people_who_went_further_alone(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, starts_at=future(days=3))
    with in_tenant("brussels"):
        seat = sign_up(request_for(info.id), tenant=tenant)
        seat.person.state = states.INTAKE_DONE  # the intake happened before the session
        info.starts_at = past()
        db.session.flush()
        domain.record_attendance(info, {seat.registration.id}, tenant=tenant)
        assert seat.person.state == states.INTAKE_DONE
        assert seat.registration.attended is True


def test_attendance_is_refused_before_the_day_and_for_strangers(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, starts_at=future(days=3))
    with in_tenant("brussels"):
        seat = sign_up(request_for(info.id), tenant=tenant)
        with pytest.raises(SessionError):
            domain.record_attendance(info, {seat.registration.id}, tenant=tenant)
        info.starts_at = past()
        db.session.flush()
        with pytest.raises(SessionError):
            domain.record_attendance(info, {uuid.uuid4()}, tenant=tenant)
        assert seat.registration.attended is None


def test_figures_and_todo_counts(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    soon = make_session(tenant, capacity=2)
    held = make_session(tenant, starts_at=future(days=2))
    with in_tenant("brussels"):
        assert domain.nearly_full_count() == 0
        sign_up(request_for(soon.id), tenant=tenant)
        sign_up(request_for(soon.id), tenant=tenant)
        sign_up(request_for(soon.id, waitlist=True), tenant=tenant)
        sign_up(request_for(held.id), tenant=tenant)
        held.starts_at = past()
        db.session.flush()
        figures = domain.figures_for([soon, held])
        assert (figures[soon.id].registered, figures[soon.id].waitlisted) == (2, 1)
        assert figures[soon.id].full and figures[soon.id].seats_left == 0
        assert domain.nearly_full_count() == 1
        assert domain.attendance_missing(tenant) == 1
        people = db.session.execute(select(Person)).scalars().all()
        assert len(people) == 4
        assert db.session.execute(select(Registration)).scalars().all()
    with in_tenant("antwerp"):
        assert domain.attendance_missing(tenants["antwerp"]) == 0
        assert domain.nearly_full_count() == 0


def test_demo_sessions_are_seeded_once(db, tenants, in_tenant) -> None:
    from duo.sessions.demo import seed_sessions

    assert seed_sessions(tenants["ghent"]) == 3
    assert seed_sessions(tenants["ghent"]) == 0
    with in_tenant("ghent"):
        upcoming = domain.upcoming_sessions()
        assert {s.audience for s in upcoming} == {"mentors", "mentees", "both"}
