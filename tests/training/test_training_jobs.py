"""Reminders the day before (hourly, never twice, in the participant's language) and the
notices for moved and cancelled sessions, run through the real outbox."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from icalendar import Calendar
from sqlalchemy import select

from duo.core.db import db as _db
from duo.core.jobs.models import DONE, OutboxJob
from duo.core.jobs.outbox import execute
from duo.core.jobs.schedule import schedule
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.people import states
from duo.training import enrolment, jobs, planning
from duo.training.reminders import reminder_key
from support import FUTURE, make_cycle

pytestmark = pytest.mark.usefixtures("training_clock")

UTC = dt.UTC
#: Monday 2 September 2030, 10:00 in Brussels and Amsterdam: "tomorrow" is Tuesday the 3rd.
MONDAY = dt.datetime.combine(FUTURE, dt.time(8), tzinfo=UTC)


def outbox(name: str) -> list[OutboxJob]:
    stmt = select(OutboxJob).where(OutboxJob.name == name).order_by(OutboxJob.id)
    return list(_db.session.execute(stmt).scalars())


def mails(tenant) -> list[OutgoingMail]:
    with tenant_scope(tenant.id):
        stmt = select(OutgoingMail).order_by(OutgoingMail.created_at)
        return list(_db.session.execute(stmt).scalars())


def attachment(mail: OutgoingMail) -> Calendar:
    (item,) = mail.attachments
    return Calendar.from_ical(base64.b64decode(item["data"]))


def test_reminder_selection_runs_hourly(app) -> None:
    with app.app_context():
        (periodic,) = [p for p in schedule() if p.id == "training-reminders"]
    assert periodic.job == "training.send_reminders"
    assert periodic.every == dt.timedelta(hours=1)


def test_reminders_for_tomorrows_session_never_twice(db, tenants, create_person) -> None:
    rotterdam = tenants["rotterdam"]
    cycle = make_cycle(rotterdam, count=3, modules=None)  # Tuesdays from 3 September 2030
    dutch = create_person("rotterdam", role="mentor", state=states.ELIGIBLE, locale="nl")
    english = create_person("rotterdam", role="mentor", state=states.ELIGIBLE, locale="en")
    left = create_person("rotterdam", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(rotterdam.id):
        for person in (dutch, english, left):
            row = enrolment.enrol(cycle, person)
        enrolment.withdraw(row)
        first = cycle.sessions[0]
        due = jobs.select_reminders(rotterdam, MONDAY)
    assert {(r.session_id, r.person_id, r.locale) for r in due} == {
        (str(first.id), str(dutch.id), "nl"),
        (str(first.id), str(english.id), "en"),
    }
    assert jobs.send_reminders(MONDAY.isoformat()) == 2
    rows = outbox(jobs.REMINDER_JOB)
    assert {r.dedupe_key for r in rows} == {
        reminder_key(first.id, dutch.id),
        reminder_key(first.id, english.id),
    }
    assert {r.tenant_id for r in rows} == {rotterdam.id}
    # The next hours find them already queued: nobody is reminded twice.
    for hours in (1, 2, 9):
        assert jobs.send_reminders((MONDAY + dt.timedelta(hours=hours)).isoformat()) == 0
    assert len(outbox(jobs.REMINDER_JOB)) == 2


def test_reminder_mail_is_in_the_participants_language(db, tenants, create_person) -> None:
    brussels = tenants["brussels"]
    cycle = make_cycle(brussels, count=2, modules=None)
    dutch = create_person("brussels", role="mentor", state=states.ELIGIBLE, locale="nl")
    french = create_person("brussels", role="mentor", state=states.ELIGIBLE, locale="fr")
    with tenant_scope(brussels.id):
        enrolment.enrol(cycle, dutch)
        enrolment.enrol(cycle, french)
    to_dutch, to_french = dutch.email, french.email
    jobs.send_reminders(MONDAY.isoformat())
    for row in outbox(jobs.REMINDER_JOB):
        assert execute(row.id) == DONE
    sent = {m.recipient: m for m in mails(brussels) if m.kind == "training.reminder"}
    assert set(sent) == {to_dutch, to_french}
    assert "dinsdag 3 september 2030" in sent[to_dutch].text
    assert "Actief luisteren" in sent[to_dutch].text
    assert "mardi 3 septembre 2030" in sent[to_french].text
    assert "Écoute active" in sent[to_french].text
    assert "18:00" in sent[to_french].text
    invitation = attachment(sent[to_dutch])
    assert str(invitation["METHOD"]) == "REQUEST"
    (event,) = invitation.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event.decoded("DTSTART").hour == 18


def test_no_reminder_for_a_cancelled_session(db, tenants, create_person, enrolled_mentor) -> None:
    ghent = tenants["ghent"]
    cycle = make_cycle(ghent, count=2, modules=None)
    mentor = enrolled_mentor("ghent", cycle)
    # Queued first, cancelled afterwards: the job checks again and sends nothing.
    jobs.send_reminders(MONDAY.isoformat())
    (queued,) = outbox(jobs.REMINDER_JOB)
    with tenant_scope(ghent.id):
        planning.cancel_session(cycle.sessions[0])
    assert execute(queued.id) == DONE
    assert [m for m in mails(ghent) if m.kind == "training.reminder"] == []
    # And a cancelled session is not selected at all.
    other = make_cycle(ghent, count=1, modules=None, title="Other")
    with tenant_scope(ghent.id):
        enrolment.enrol(other, mentor)
        planning.cancel_session(other.sessions[0])
        assert jobs.select_reminders(ghent, MONDAY) == []


def test_reminders_stay_in_their_branch(db, tenants, create_person) -> None:
    paris, lyon = tenants["paris"], tenants["lyon"]
    paris_cycle = make_cycle(paris, count=1, modules=None)
    lyon_cycle = make_cycle(lyon, count=1, modules=None)
    in_paris = create_person("paris", role="mentor", state=states.ELIGIBLE)
    in_lyon = create_person("lyon", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(paris.id):
        enrolment.enrol(paris_cycle, in_paris)
    with tenant_scope(lyon.id):
        enrolment.enrol(lyon_cycle, in_lyon)
    expected = {
        paris.id: [str(paris_cycle.sessions[0].id), str(in_paris.id)],
        lyon.id: [str(lyon_cycle.sessions[0].id), str(in_lyon.id)],
    }
    to_paris, to_lyon = in_paris.email, in_lyon.email
    assert jobs.send_reminders(MONDAY.isoformat()) == 2
    assert {r.tenant_id: r.args for r in outbox(jobs.REMINDER_JOB)} == expected
    for row in outbox(jobs.REMINDER_JOB):
        execute(row.id)
    assert [m.recipient for m in mails(paris) if m.kind == "training.reminder"] == [to_paris]
    assert [m.recipient for m in mails(lyon) if m.kind == "training.reminder"] == [to_lyon]


def test_move_and_cancel_notices_update_the_calendar(db, tenants, create_person) -> None:
    mechelen = tenants["mechelen"]
    cycle = make_cycle(mechelen, count=2, modules=None)
    mentor = create_person("mechelen", role="mentor", state=states.ELIGIBLE, locale="nl")
    with tenant_scope(mechelen.id):
        enrolment.enrol(cycle, mentor)
        first, second = cycle.sessions
        planning.move_session(
            mechelen, first, FUTURE + dt.timedelta(days=2), dt.time(9), dt.time(12)
        )
        planning.cancel_session(second, reason="Zaal bezet")
    for name in ("training.session_moved", "training.session_cancelled"):
        (row,) = outbox(name)
        assert execute(row.id) == DONE
    by_kind = {m.kind: m for m in mails(mechelen)}
    moved = by_kind["training.moved"]
    assert "woensdag 4 september 2030" in moved.text
    (event,) = attachment(moved).walk("VEVENT")
    assert event.decoded("SEQUENCE") == 1 and event.decoded("DTSTART").hour == 9
    cancelled = by_kind["training.cancelled"]
    invitation = attachment(cancelled)
    assert str(invitation["METHOD"]) == "CANCEL"
    assert "Zaal bezet" in cancelled.text
    # Running a notice job again (a retry) sends nothing new.
    (row,) = outbox("training.session_cancelled")
    assert execute(row.id) == "skipped"
    assert len([m for m in mails(mechelen) if m.kind == "training.cancelled"]) == 1


def test_a_notice_for_an_older_move_is_skipped(db, tenants, create_person) -> None:
    lille = tenants["lille"]
    cycle = make_cycle(lille, count=1, modules=None)
    mentor = create_person("lille", role="mentor", state=states.ELIGIBLE)
    with tenant_scope(lille.id):
        enrolment.enrol(cycle, mentor)
        (session,) = cycle.sessions
        planning.move_session(
            lille, session, FUTURE + dt.timedelta(days=2), dt.time(9), dt.time(12)
        )
        planning.move_session(
            lille, session, FUTURE + dt.timedelta(days=3), dt.time(9), dt.time(12)
        )
    rows = outbox("training.session_moved")
    assert [r.args[2] for r in rows] == [1, 2]
    for row in rows:
        execute(row.id)
    moved = [m for m in mails(lille) if m.kind == "training.moved"]
    assert len(moved) == 1 and "5 septembre 2030" in moved[0].text


def test_a_place_is_confirmed_with_the_dates(db, tenants, create_person, enrolled_mentor) -> None:
    lyon = tenants["lyon"]
    cycle = make_cycle(lyon, count=3, modules=None, title="Formation d'automne")
    enrolled_mentor("lyon", cycle)
    (row,) = outbox("training.enrolment_confirmed")
    assert execute(row.id) == DONE
    (mail,) = [m for m in mails(lyon) if m.kind == "training.place"]
    assert "Formation d'automne" in mail.subject
    assert mail.text.count("2030") == 3
