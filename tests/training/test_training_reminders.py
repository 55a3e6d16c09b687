"""Reminders the day before a training session: who, when, in which language, once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from duo.training.reminders import (
    EnrolmentRef,
    Reminder,
    SessionRef,
    due_reminders,
    reminder_day,
    reminder_key,
)

#: Reminders are worked out from the moment given, not from the clock; a fixed year for its
#: days: a Tuesday in June, summer time, and the eve of the clocks' change on 29 March.
YEAR = 2026

BRUSSELS = ZoneInfo("Europe/Brussels")
TZ = "Europe/Brussels"
UTC = dt.UTC


def session(session_id, day: dt.date, hour=18, *, cancelled=False) -> SessionRef:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=BRUSSELS).astimezone(UTC)
    return SessionRef(session_id, start, cancelled=cancelled)


def enrol(session_id, person_id, locale="fr", **kwargs) -> EnrolmentRef:
    return EnrolmentRef(session_id, person_id, locale, **kwargs)


def pairs(reminders: list[Reminder]) -> list[tuple]:
    return [(r.session_id, r.person_id) for r in reminders]


NOW = dt.datetime(YEAR, 6, 9, 8, 0, tzinfo=UTC)  # Tuesday 9 June, 10:00 in Brussels


def test_reminders_due_for_tomorrows_session_only():
    sessions = [
        session(1, dt.date(YEAR, 6, 9)),  # today
        session(2, dt.date(YEAR, 6, 10)),  # tomorrow
        session(3, dt.date(YEAR, 6, 11)),  # the day after
    ]
    enrolments = [enrol(s, p) for s in (1, 2, 3) for p in (10, 11)]
    due = due_reminders(sessions, enrolments, set(), NOW, TZ)
    assert pairs(due) == [(2, 10), (2, 11)]
    assert all(r.starts_at == dt.datetime(YEAR, 6, 10, 18, tzinfo=BRUSSELS) for r in due)
    assert str(due[0].starts_at.tzinfo) == TZ


def test_each_reminder_carries_the_persons_locale():
    sessions = [session(2, dt.date(YEAR, 6, 10))]
    enrolments = [enrol(2, 10, "nl"), enrol(2, 11, "fr"), enrol(2, 12, None)]
    due = due_reminders(sessions, enrolments, set(), NOW, TZ, default_locale="en")
    assert {(r.person_id, r.locale) for r in due} == {(10, "nl"), (11, "fr"), (12, "en")}


def test_no_reminder_for_cancelled_session():
    sessions = [session(2, dt.date(YEAR, 6, 10), cancelled=True)]
    assert due_reminders(sessions, [enrol(2, 10)], set(), NOW, TZ) == []


def test_no_reminder_for_withdrawn_enrolment():
    sessions = [session(2, dt.date(YEAR, 6, 10))]
    enrolments = [enrol(2, 10, withdrawn=True), enrol(2, 11)]
    assert pairs(due_reminders(sessions, enrolments, set(), NOW, TZ)) == [(2, 11)]


def test_never_twice_for_the_same_session_and_person():
    sessions = [session(2, dt.date(YEAR, 6, 10))]
    enrolments = [enrol(2, 10), enrol(2, 10), enrol(2, 11)]
    first = due_reminders(sessions, enrolments, set(), NOW, TZ)
    assert pairs(first) == [(2, 10), (2, 11)]
    sent = {(r.session_id, r.person_id) for r in first}
    later = NOW + dt.timedelta(hours=6)  # the job runs again the same day
    assert due_reminders(sessions, enrolments, sent, later, TZ) == []


def test_already_sent_may_be_given_as_keys():
    sessions = [session(2, dt.date(YEAR, 6, 10))]
    enrolments = [enrol(2, 10), enrol(2, 11)]
    due = due_reminders(sessions, enrolments, {reminder_key(2, 10)}, NOW, TZ)
    assert pairs(due) == [(2, 11)]


def test_tomorrow_is_the_local_day_just_after_midnight_local():
    # 22:30 UTC on 9 June is 00:30 on 10 June in Brussels: "tomorrow" is 11 June.
    now = dt.datetime(YEAR, 6, 9, 22, 30, tzinfo=UTC)
    sessions = [session(2, dt.date(YEAR, 6, 10)), session(3, dt.date(YEAR, 6, 11))]
    enrolments = [enrol(2, 10), enrol(3, 10)]
    assert pairs(due_reminders(sessions, enrolments, set(), now, TZ)) == [(3, 10)]
    assert reminder_day(now, TZ) == dt.date(YEAR, 6, 11)


def test_tomorrow_is_the_local_day_just_before_midnight_local():
    # 21:30 UTC on 9 June is 23:30 on 9 June in Brussels: "tomorrow" is 10 June.
    now = dt.datetime(YEAR, 6, 9, 21, 30, tzinfo=UTC)
    sessions = [session(2, dt.date(YEAR, 6, 10)), session(3, dt.date(YEAR, 6, 11))]
    enrolments = [enrol(2, 10), enrol(3, 10)]
    assert pairs(due_reminders(sessions, enrolments, set(), now, TZ)) == [(2, 10)]


def test_winter_offset_around_midnight():
    # 23:30 UTC on 8 December is 00:30 on 9 December in Brussels (UTC+1).
    now = dt.datetime(YEAR, 12, 8, 23, 30, tzinfo=UTC)
    sessions = [
        session(2, dt.date(YEAR, 12, 9)),
        session(
            3,
            dt.date(
                YEAR,
                12,
                10,
            ),
            9,
        ),
    ]
    enrolments = [enrol(2, 10), enrol(3, 10)]
    assert pairs(due_reminders(sessions, enrolments, set(), now, TZ)) == [(3, 10)]


def test_early_morning_session_counts_by_its_local_date():
    # 00:30 local on 10 June is 22:30 UTC on 9 June; it is still a 10 June session.
    sessions = [session(2, dt.date(YEAR, 6, 10), hour=0)]
    assert pairs(due_reminders(sessions, [enrol(2, 10)], set(), NOW, TZ)) == [(2, 10)]


def test_now_in_another_zone_is_converted():
    now = dt.datetime(YEAR, 6, 9, 19, 0, tzinfo=ZoneInfo("America/New_York"))  # 01:00 10 June
    sessions = [session(2, dt.date(YEAR, 6, 10)), session(3, dt.date(YEAR, 6, 11))]
    enrolments = [enrol(2, 10), enrol(3, 10)]
    assert pairs(due_reminders(sessions, enrolments, set(), now, TZ)) == [(3, 10)]


def test_day_before_a_dst_change_session():
    # Saturday 28 March 2026 at 12:00 local; Sunday's session is after the clocks change.
    now = dt.datetime(YEAR, 3, 28, 11, 0, tzinfo=UTC)
    sessions = [session(2, dt.date(YEAR, 3, 29), hour=10)]
    due = due_reminders(sessions, [enrol(2, 10)], set(), now, TZ)
    assert pairs(due) == [(2, 10)]
    assert due[0].starts_at.hour == 10


def test_enrolments_of_unknown_sessions_are_ignored():
    sessions = [session(2, dt.date(YEAR, 6, 10))]
    assert due_reminders(sessions, [enrol(99, 10)], set(), NOW, TZ) == []


def test_reminders_are_ordered_by_start_then_ids():
    sessions = [session("b", dt.date(YEAR, 6, 10), 18), session("a", dt.date(YEAR, 6, 10), 9)]
    enrolments = [enrol("b", 2), enrol("b", 1), enrol("a", 3)]
    assert pairs(due_reminders(sessions, enrolments, set(), NOW, TZ)) == [
        ("a", 3),
        ("b", 1),
        ("b", 2),
    ]


def test_naive_times_are_rejected():
    with pytest.raises(ValueError):
        due_reminders([], [], set(), dt.datetime(YEAR, 6, 9, 8), TZ)
    with pytest.raises(ValueError):
        SessionRef(1, dt.datetime(YEAR, 6, 10, 18))
    with pytest.raises(ValueError):
        due_reminders([], [], set(), NOW, "Nowhere/Town")


def test_reminder_key_is_stable_and_distinct():
    assert reminder_key(2, 10) == "training-reminder:2:10"
    assert reminder_key(2, 10) == reminder_key(2, 10)
    assert reminder_key(2, 10) != reminder_key(21, 0)
    reminder = Reminder(2, 10, "fr", dt.datetime(YEAR, 6, 10, 18, tzinfo=BRUSSELS))
    assert reminder.key == reminder_key(2, 10)
