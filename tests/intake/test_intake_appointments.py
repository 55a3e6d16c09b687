"""Intake appointments: scheduling from the person page and the dashboard's to-do, the
invitation (its language, its .ics, its link), every path of the link (valid, wrong,
expired, revoked, used, another branch's), asking for another time, moving and
cancelling, the day-before reminder in the branch's local time, the intake form opened
from the appointment, who may see what, and the mail through a real SMTP server.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from duo.core import clock
from duo.core.db import utcnow
from duo.core.jobs.models import OutboxJob
from duo.core.jobs.outbox import execute
from duo.core.links.models import PersonalLink
from duo.core.mail.models import OutgoingMail
from duo.intake import appointments, jobs
from duo.intake.models import CANCELLED, DONE, SCHEDULED, IntakeAppointment, IntakeTimeRequest
from duo.people import states
from support import (
    assert_dead_links,
    days_from_today,
    html_lang,
    mails_where,
    mentee_form,
    reading,
    run_jobs,
    today,
    translated,
)

LOCALES = ("en", "fr", "nl")
BRUSSELS = ZoneInfo("Europe/Brussels")
TOKEN = re.compile(r"/brussels/my-intake/([A-Za-z0-9_-]+)")

#: A year ahead of the clock's, for reminders worked out from a given moment: its intakes
#: are still to come, and in March (before the clocks change) Brussels is at UTC+1.
AHEAD = today().year + 2


def _in_days(days: int, hour: int = 10) -> dt.datetime:
    """A local Brussels time ``days`` days from now, at ``hour``:00."""
    day = utcnow().astimezone(BRUSSELS).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour)).replace(tzinfo=BRUSSELS)


def _form(at: dt.datetime | None = None, **values: object) -> dict[str, str]:
    at = at or _in_days(3)
    data = {
        "appointment-day": at.date().isoformat(),
        "appointment-time": at.strftime("%H:%M"),
        "appointment-minutes": "60",
        "appointment-place": "Rue de la Loi 1, Bruxelles",
        "appointment-video_url": "",
        "appointment-coordinator_id": "",
    }
    data.update({f"appointment-{k}": str(v) for k, v in values.items()})
    return data


def _appointments(db, in_tenant, branch: str = "brussels") -> list[IntakeAppointment]:
    with in_tenant(branch):
        db.session.expire_all()
        return list(db.session.execute(select(IntakeAppointment)).scalars())


def _mails(db, in_tenant, kind: str, branch: str = "brussels") -> list[OutgoingMail]:
    with in_tenant(branch):
        return mails_where(OutgoingMail.kind == kind)


def _ics(mail: OutgoingMail) -> Calendar:
    [attachment] = mail.attachments
    return Calendar.from_ical(base64.b64decode(attachment["data"]))


@pytest.fixture
def setup(db, create_person, coordinator):
    """``setup(locale)``: a Brussels candidate who attended an information session, read
    ``locale``, and the branch's coordinator (reading English)."""

    def make(locale: str = "en", state: str = states.ATTENDED) -> SimpleNamespace:
        person = create_person(
            "brussels", role="mentee", first_name="Amina", last_name="Diallo",
            locale=locale, state=state,
        )  # fmt: skip
        shot = SimpleNamespace(id=person.id, email=person.email)  # read before any commit
        client = coordinator("brussels", locale="en")
        return SimpleNamespace(person=shot, client=client, person_id=shot.id)

    return make


def _scheduled(s, **values) -> str:
    """Schedule through the page; returns the token mailed to the candidate."""
    response = s.client.post(f"/brussels/people/{s.person_id}/appointment", data=_form(**values))
    assert response.status_code == 302, response.get_data(as_text=True)
    run_jobs()
    return response


def _token(db, in_tenant, kind: str = "intake.invited") -> str:
    mail = _mails(db, in_tenant, kind)[-1]
    return TOKEN.search(mail.text).group(1)


# --------------------------------------------------------------------------- scheduling


@pytest.mark.parametrize("locale", LOCALES)
def test_scheduling_invites_the_candidate_in_their_language_with_an_ics(
    db, in_tenant, setup, locale
) -> None:
    s = setup(locale)
    at = _in_days(3, 14)
    _scheduled(s, at=at)
    [appointment] = _appointments(db, in_tenant)
    assert appointment.status == SCHEDULED and appointment.starts_at == at.astimezone(dt.UTC)
    [mail] = _mails(db, in_tenant, "intake.invited")
    assert mail.subject == translated(locale, "DUO for a JOB: your intake interview")
    assert translated(locale, "Hello %(name)s,", name="Amina") in mail.text
    assert "14:00" in mail.text and "14:00:00" not in mail.text
    assert "Rue de la Loi 1, Bruxelles" in mail.text
    assert TOKEN.search(mail.text)
    calendar = _ics(mail)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == at
    assert event.decoded("DTEND") == at + dt.timedelta(hours=1)
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ATTENDEE"]).lower() == f"mailto:{s.person.email}".lower()


def test_running_the_invitation_job_again_mails_once(db, in_tenant, setup) -> None:
    s = setup()
    _scheduled(s)
    with in_tenant("brussels"):
        job = db.session.execute(
            select(OutboxJob).where(OutboxJob.name == appointments.SEND_JOB)
        ).scalar_one()
        job_id = job.id
    execute(job_id)  # a retry after the first run: nothing new
    run_jobs()
    assert len(_mails(db, in_tenant, "intake.invited")) == 1


def test_the_person_page_and_the_todo_lead_to_scheduling(db, in_tenant, setup) -> None:
    s = setup()
    html = s.client.get("/brussels/").get_data(as_text=True)
    assert "/brussels/people/intakes#intake-to-schedule" in html
    assert "waits for an intake" in html
    page = s.client.get("/brussels/people/intakes").get_data(as_text=True)
    assert f"/brussels/people/{s.person_id}/appointment" in page
    person_page = s.client.get(f"/brussels/people/{s.person_id}").get_data(as_text=True)
    assert 'id="intake-appointment"' in person_page
    assert "Schedule the intake" in person_page
    form = s.client.get(f"/brussels/people/{s.person_id}/appointment")
    assert form.status_code == 200 and 'id="appointment-form"' in form.get_data(as_text=True)
    _scheduled(s)
    html = s.client.get("/brussels/").get_data(as_text=True)
    assert "waits for an intake" not in html  # scheduled: off the to-do
    page = s.client.get("/brussels/people/intakes").get_data(as_text=True)
    assert "Amina Diallo" in page.split('id="intake-upcoming"')[1].split("</section>")[0]
    person_page = s.client.get(f"/brussels/people/{s.person_id}").get_data(as_text=True)
    assert "Open the intake form" in person_page
    assert f"/brussels/people/{s.person_id}/intake" in person_page


@pytest.mark.parametrize(
    "values, field_message",
    [
        ({"at": None, "day": str(days_from_today(-30))}, "Choose a time in the future."),
        ({"day": "9999-01-01"}, "Enter a date between"),
        ({"day": "not a date"}, None),
        ({"time": ""}, "Give the time of the intake."),
        ({"place": ""}, "Give a place or a video link."),
        ({"place": "Rue\x00de la Loi"}, "Remove the invisible control characters"),
        ({"place": "x" * 301}, None),
        ({"place": "", "video_url": "javascript:alert(1)"}, None),
        ({"minutes": "7"}, None),
    ],
)
def test_bad_input_is_refused_at_the_field_and_writes_nothing(
    db, in_tenant, setup, values, field_message
) -> None:
    s = setup()
    values = {k: v for k, v in values.items() if k != "at"}
    response = s.client.post(f"/brussels/people/{s.person_id}/appointment", data=_form(**values))
    assert response.status_code == 400
    if field_message:
        assert field_message in response.get_data(as_text=True)
    assert _appointments(db, in_tenant) == []
    with in_tenant("brussels"):
        assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == 0


def test_an_intake_cannot_be_scheduled_after_the_interview(db, in_tenant, setup) -> None:
    s = setup(state=states.ELIGIBLE)
    response = s.client.post(f"/brussels/people/{s.person_id}/appointment", data=_form())
    assert response.status_code == 400
    assert _appointments(db, in_tenant) == []
    get = s.client.get(f"/brussels/people/{s.person_id}/appointment")
    assert get.status_code == 302


# --------------------------------------------------------------------------- the link


@pytest.mark.parametrize("locale", LOCALES)
def test_a_valid_link_opens_the_appointment_in_my_language(
    app, db, in_tenant, setup, locale
) -> None:
    s = setup(locale)
    _scheduled(s, at=_in_days(4, 9))
    token = _token(db, in_tenant)
    response = app.test_client().get(f"/brussels/my-intake/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_lang(html) == locale
    assert translated(locale, "My intake interview") in html
    assert 'id="other-time-form"' in html
    assert "09:00" in html and "09:00:00" not in html


@pytest.mark.parametrize("locale", LOCALES)
def test_a_wrong_link_says_so_and_changes_nothing(app, db, in_tenant, setup, locale) -> None:
    s = setup()
    _scheduled(s)
    token = _token(db, in_tenant)
    client = reading(app.test_client(), locale)
    paths = ("/brussels/my-intake/not-a-token", f"/brussels/my-intake/{token}x",
             "/brussels/my-intake/" + "a" * 300)  # fmt: skip
    assert_dead_links(client, paths, locale)
    post = client.post("/brussels/my-intake/not-a-token/other-time", data={"message": "Hi"})
    assert post.status_code == 404
    with in_tenant("brussels"):
        assert db.session.scalar(select(func.count()).select_from(IntakeTimeRequest)) == 0


def test_another_branch_does_not_know_the_link(app, db, in_tenant, setup) -> None:
    s = setup()
    _scheduled(s)
    token = _token(db, in_tenant)
    for branch in ("antwerp", "paris"):
        response = app.test_client().get(f"/{branch}/my-intake/{token}")
        assert response.status_code == 404
        assert "Amina" not in response.get_data(as_text=True)
        post = app.test_client().post(
            f"/{branch}/my-intake/{token}/other-time", data={"message": "Another day"}
        )
        assert post.status_code == 404
    with in_tenant("brussels"):
        assert db.session.scalar(select(func.count()).select_from(IntakeTimeRequest)) == 0


@pytest.mark.parametrize("locale", LOCALES)
def test_an_expired_link_says_so_and_changes_nothing(app, db, in_tenant, setup, locale) -> None:
    s = setup(locale)
    _scheduled(s, at=_in_days(2))
    token = _token(db, in_tenant)
    with clock.frozen(_in_days(3).astimezone(dt.UTC)):  # the day after the intake
        client = app.test_client()
        response = client.get(f"/brussels/my-intake/{token}")
        assert response.status_code == 410
        html = response.get_data(as_text=True)
        assert html_lang(html) == locale
        assert translated(locale, "This link has expired") in html
        post = client.post(f"/brussels/my-intake/{token}/other-time", data={"message": "Hi"})
        assert post.status_code == 410
    with in_tenant("brussels"):
        assert db.session.scalar(select(func.count()).select_from(IntakeTimeRequest)) == 0


@pytest.mark.parametrize("locale", LOCALES)
def test_asking_for_another_time_becomes_a_todo_and_uses_the_link(
    app, db, in_tenant, setup, locale
) -> None:
    s = setup(locale)
    _scheduled(s)
    token = _token(db, in_tenant)
    client = app.test_client()
    wish = _in_days(6, 15)
    response = client.post(
        f"/brussels/my-intake/{token}/other-time",
        data={
            "message": "Je travaille ce jour-là.",
            "preferred_1": wish.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html_lang(html) == locale
    assert translated(locale, "Thank you: your request is sent") in html
    with in_tenant("brussels"):
        request = db.session.execute(select(IntakeTimeRequest)).scalar_one()
        assert request.message == "Je travaille ce jour-là."
        assert appointments.preferred_times(request) == [wish.astimezone(dt.UTC)]
        link = db.session.execute(select(PersonalLink)).scalar_one()
        assert link.used_at is not None
    # used: the link now says so, and a second request changes nothing
    again = client.get(f"/brussels/my-intake/{token}")
    assert again.status_code == 410
    assert translated(locale, "This link was already used") in again.get_data(as_text=True)
    post = client.post(f"/brussels/my-intake/{token}/other-time", data={"message": "Encore"})
    assert post.status_code == 410
    with in_tenant("brussels"):
        assert db.session.scalar(select(func.count()).select_from(IntakeTimeRequest)) == 1
    # the coordinator's to-do and lists show it
    dashboard = s.client.get("/brussels/").get_data(as_text=True)
    assert "candidate asked for another intake time" in dashboard
    assert "/brussels/people/intakes#intake-requests" in dashboard
    intakes = s.client.get("/brussels/people/intakes").get_data(as_text=True)
    assert "Je travaille ce jour-là." in intakes
    person_page = s.client.get(f"/brussels/people/{s.person_id}").get_data(as_text=True)
    assert "Je travaille ce jour-là." in person_page


@pytest.mark.parametrize(
    "data",
    [
        {"message": ""},
        {"message": "x" * 1001},
        {"message": "Hi\x00"},
        {"message": "Hi", "preferred_1": f"{days_from_today(-30)}T10:00"},
        {"message": "Hi", "preferred_1": "9999-01-01T10:00"},
        {"message": "Hi", "preferred_2": "tomorrow"},
    ],
)
def test_a_bad_request_for_another_time_changes_nothing(app, db, in_tenant, setup, data) -> None:
    s = setup()
    _scheduled(s)
    token = _token(db, in_tenant)
    response = app.test_client().post(f"/brussels/my-intake/{token}/other-time", data=data)
    assert response.status_code == 400
    with in_tenant("brussels"):
        assert db.session.scalar(select(func.count()).select_from(IntakeTimeRequest)) == 0
        assert db.session.execute(select(PersonalLink)).scalar_one().used_at is None


# --------------------------------------------------------------------------- move, cancel


@pytest.mark.parametrize("locale", LOCALES)
def test_moving_sends_a_notice_and_revokes_the_older_link(
    app, db, in_tenant, setup, locale
) -> None:
    s = setup(locale)
    _scheduled(s)
    old = _token(db, in_tenant)
    app.test_client().post(f"/brussels/my-intake/{old}/other-time", data={"message": "Busy"})
    later = _in_days(5, 16)
    _scheduled(s, at=later, place="", video_url="https://meet.example.org/duo")
    [appointment] = _appointments(db, in_tenant)
    assert appointment.sequence == 1 and appointment.video_url == "https://meet.example.org/duo"
    [mail] = _mails(db, in_tenant, "intake.moved")
    assert mail.subject == translated(locale, "DUO for a JOB: your intake interview has moved")
    assert "https://meet.example.org/duo" in mail.text
    [event] = _ics(mail).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == later
    with in_tenant("brussels"):
        assert all(r.handled_at for r in db.session.execute(select(IntakeTimeRequest)).scalars())
    revoked = app.test_client().get(f"/brussels/my-intake/{old}")
    assert revoked.status_code == 410  # used, then revoked: either way it no longer works
    new = _token(db, in_tenant, "intake.moved")
    assert app.test_client().get(f"/brussels/my-intake/{new}").status_code == 200
    # saving again without a change sends nothing
    _scheduled(s, at=later, place="", video_url="https://meet.example.org/duo")
    assert len(_mails(db, in_tenant, "intake.moved")) == 1
    assert "asked for another intake time" not in s.client.get("/brussels/").get_data(as_text=True)


def test_a_revoked_link_says_so(app, db, in_tenant, setup) -> None:
    s = setup("fr")
    _scheduled(s)
    old = _token(db, in_tenant)
    _scheduled(s, at=_in_days(6))
    response = app.test_client().get(f"/brussels/my-intake/{old}")
    assert response.status_code == 410
    assert 'data-reason="revoked"' in response.get_data(as_text=True)
    assert translated("fr", "This link no longer works") in response.get_data(as_text=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_cancelling_sends_a_cancel_and_closes_the_link(app, db, in_tenant, setup, locale) -> None:
    s = setup(locale)
    _scheduled(s)
    token = _token(db, in_tenant)
    response = s.client.post(f"/brussels/people/{s.person_id}/appointment/cancel")
    assert response.status_code == 302
    run_jobs()
    [appointment] = _appointments(db, in_tenant)
    assert appointment.status == CANCELLED
    [mail] = _mails(db, in_tenant, "intake.cancelled")
    assert mail.subject == translated(locale, "DUO for a JOB: your intake interview is cancelled")
    calendar = _ics(mail)
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert app.test_client().get(f"/brussels/my-intake/{token}").status_code == 410
    # nothing left to cancel
    assert s.client.post(f"/brussels/people/{s.person_id}/appointment/cancel").status_code == 400
    # the candidate is back on the to-do
    assert "waits for an intake" in s.client.get("/brussels/").get_data(as_text=True)


def test_recording_the_intake_marks_the_appointment_done(app, db, in_tenant, setup) -> None:
    s = setup()
    _scheduled(s)
    token = _token(db, in_tenant)
    form = s.client.get(f"/brussels/people/{s.person_id}/intake")
    assert form.status_code == 200
    response = s.client.post(f"/brussels/people/{s.person_id}/intake", data=mentee_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    [appointment] = _appointments(db, in_tenant)
    assert appointment.status == DONE
    assert app.test_client().get(f"/brussels/my-intake/{token}").status_code == 410
    page = s.client.get(f"/brussels/people/{s.person_id}").get_data(as_text=True)
    assert "Open the intake form" not in page


# --------------------------------------------------------------------------- reminders


def _schedule_at(db, in_tenant, person, at: dt.datetime, tenant) -> IntakeAppointment:
    with in_tenant("brussels"), clock.frozen(at - dt.timedelta(days=5)):
        appointment = appointments.schedule(
            person,
            appointments.Plan(day=at.date(), time=at.time(), place="Office"),
            by=None,
            tenant=tenant,
        )
        db.session.flush()
        return appointment


@pytest.mark.parametrize("locale", LOCALES)
def test_the_reminder_goes_out_the_day_before_in_local_time_once(
    db, in_tenant, tenants, create_person, locale
) -> None:
    tenant = tenants["brussels"]
    person = create_person("brussels", state=states.ATTENDED, locale=locale)
    at = dt.datetime(AHEAD, 3, 12, 9, 30, tzinfo=BRUSSELS)
    appointment = _schedule_at(db, in_tenant, person, at, tenant)
    appointment_id = appointment.id
    # 22:30 UTC on 10 March is 23:30 in Brussels, still the 10th: the intake is two local
    # days away; an hour later (00:30 on the 11th in Brussels, still the 10th in UTC) it is
    # tomorrow
    with in_tenant("brussels"):
        late = dt.datetime(AHEAD, 3, 10, 22, 30, tzinfo=dt.UTC)
        assert jobs.send_reminders(late.isoformat()) == 0
        evening = dt.datetime(AHEAD, 3, 10, 23, 30, tzinfo=dt.UTC)
        assert jobs.send_reminders(evening.isoformat()) == 1
        assert jobs.send_reminders(evening.isoformat()) == 0  # idempotent
        assert jobs.send_reminders((evening + dt.timedelta(hours=1)).isoformat()) == 0
    with clock.frozen(dt.datetime(AHEAD, 3, 11, 8, tzinfo=dt.UTC)):
        run_jobs()
    [mail] = _mails(db, in_tenant, "intake.reminder")
    assert mail.subject == translated(locale, "Tomorrow: your intake interview with DUO for a JOB")
    assert "09:30" in mail.text
    with in_tenant("brussels"):
        reminder_jobs = db.session.scalar(
            select(func.count())
            .select_from(OutboxJob)
            .where(OutboxJob.dedupe_key.like(f"intake-reminder:{appointment_id}:%"))
        )
    assert reminder_jobs == 1


def test_a_moved_intake_is_reminded_of_its_new_time_and_a_cancelled_one_not(
    db, in_tenant, tenants, create_person
) -> None:
    tenant = tenants["brussels"]
    moved = create_person("brussels", state=states.ATTENDED)
    dropped = create_person("brussels", state=states.ATTENDED)
    at = dt.datetime(AHEAD, 5, 20, 14, tzinfo=BRUSSELS)
    first = _schedule_at(db, in_tenant, moved, at, tenant)
    second = _schedule_at(db, in_tenant, dropped, at, tenant)
    day_before = dt.datetime(AHEAD, 5, 19, 8, tzinfo=dt.UTC)
    with in_tenant("brussels"):
        assert jobs.send_reminders(day_before.isoformat()) == 2
        appointments.cancel(second, by=None)
        later = at + dt.timedelta(days=7)
        with clock.frozen(day_before):
            appointments.schedule(
                moved,
                appointments.Plan(day=later.date(), time=later.time(), place="Office"),
                by=None,
                tenant=tenant,
            )
        assert first.sequence == 1
    # the jobs queued before the move and the cancellation send nothing
    with clock.frozen(day_before + dt.timedelta(hours=1)):
        run_jobs()
    assert _mails(db, in_tenant, "intake.reminder") == []
    week_later = day_before + dt.timedelta(days=7)
    with in_tenant("brussels"):
        assert jobs.send_reminders(week_later.isoformat()) == 1
        assert jobs.send_reminders(week_later.isoformat()) == 0
    with clock.frozen(week_later + dt.timedelta(hours=1)):
        run_jobs()
    assert len(_mails(db, in_tenant, "intake.reminder")) == 1


def test_the_reminder_job_is_declared_every_hour() -> None:
    from duo.intake.plugin import PLUGIN

    assert jobs.REMINDERS in PLUGIN.periodic
    assert jobs.REMINDERS.every == dt.timedelta(hours=1)


# --------------------------------------------------------------------------- who sees what


def _routes(person_id) -> list[tuple[str, str]]:
    return [
        ("GET", f"/brussels/people/{person_id}/appointment"),
        ("POST", f"/brussels/people/{person_id}/appointment"),
        ("POST", f"/brussels/people/{person_id}/appointment/cancel"),
        ("GET", "/brussels/people/intakes"),
    ]


def test_another_branch_coordinator_and_hq_get_404(db, in_tenant, setup, login, hq_client) -> None:
    s = setup()
    _scheduled(s)
    antwerp = login(branches=["antwerp"])
    for client in (antwerp, hq_client):
        for method, path in _routes(s.person_id):
            response = client.open(path, method=method, data=_form())
            assert response.status_code == 404, (method, path)
            assert "Amina" not in response.get_data(as_text=True)
        # their own branch's paths with Brussels' person: 404 too
        for method, path in _routes(s.person_id)[:3]:
            response = client.open(path.replace("/brussels/", "/antwerp/"), method=method)
            assert response.status_code in (404,), (method, path)
    [appointment] = _appointments(db, in_tenant)
    assert appointment.status == SCHEDULED and appointment.sequence == 0
    antwerp_page = antwerp.get("/antwerp/people/intakes").get_data(as_text=True)
    assert "Amina" not in antwerp_page


def test_anonymous_visitors_are_sent_to_log_in(client, setup) -> None:
    s = setup()
    for method, path in _routes(s.person_id):
        response = client.open(path, method=method, data=_form())
        assert response.status_code in (302, 401, 404), (method, path)
        assert "Amina" not in response.get_data(as_text=True)


# --------------------------------------------------------------------------- real SMTP


@pytest.mark.smtp
def test_the_invitation_goes_through_a_real_smtp_server(
    db,
    in_tenant,
    setup,
    smtp,
) -> None:
    s = setup("nl")
    _scheduled(s, at=_in_days(3, 11))
    [message] = smtp.messages
    assert message["To"] == s.person.email
    assert message["Subject"] == translated("nl", "DUO for a JOB: your intake interview")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert TOKEN.search(body)
    [ics] = [part for part in message.iter_attachments() if part.get_filename() == "intake.ics"]
    assert ics.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(ics.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == _in_days(3, 11)


def test_a_coordinator_opening_the_link_sees_the_candidates_page(db, in_tenant, setup) -> None:
    s = setup()
    _scheduled(s)
    token = _token(db, in_tenant)
    response = s.client.get(f"/brussels/my-intake/{token}")
    assert response.status_code == 200
