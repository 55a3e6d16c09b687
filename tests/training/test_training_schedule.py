"""Mentor-training schedules: rhythms, holidays, closed days, daylight saving."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duo.training.schedule import (
    CLOSED_DAY,
    ERROR,
    PUBLIC_HOLIDAY,
    WARNING,
    PlannedSession,
    Problem,
    Rhythm,
    ScheduleError,
    SkippedDay,
    generate,
    holiday_language,
    move,
    problem_message,
    rhythm_problems,
    skip_reason_text,
)

#: The calendar these cases are about, so a fixed year: its public holidays (Easter Monday on
#: 6 April, Armistice on a Wednesday, Christmas on a Friday) and its clock changes (29 March,
#: 25 October). The generator takes its days as input and reads no clock.
YEAR = 2026

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
TUESDAY_EVENING = Rhythm((TUE,), dt.time(18), dt.time(21))

ZONES = [
    ("Europe/Brussels", "BE"),
    ("Europe/Amsterdam", "NL"),
    ("Europe/Paris", "FR"),
]


def gen(start, rhythm, count=None, *, country="BE", tz=None, **kwargs):
    tz = tz or {"BE": "Europe/Brussels", "NL": "Europe/Amsterdam", "FR": "Europe/Paris"}[country]
    return generate(start, rhythm, count, timezone=tz, holidays_country=country, **kwargs)


def on(weekday: int, start=dt.time(18), end=dt.time(21), every_weeks=1) -> Rhythm:
    return Rhythm((weekday,), start, end, every_weeks)


# --------------------------------------------------------------------------- rhythm


def test_rhythm_normalises_weekdays():
    rhythm = Rhythm((THU, MON, THU), dt.time(9), dt.time(12, 30))
    assert rhythm.weekdays == (MON, THU)
    assert rhythm.every_weeks == 1


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        (
            {"weekdays": (TUE,), "start": dt.time(21), "end": dt.time(18)},
            "end_not_after_start",
            "end",
        ),
        (
            {"weekdays": (TUE,), "start": dt.time(18), "end": dt.time(18)},
            "end_not_after_start",
            "end",
        ),
        ({"weekdays": (), "start": dt.time(18), "end": dt.time(21)}, "no_weekday", "weekdays"),
        ({"weekdays": (7,), "start": dt.time(18), "end": dt.time(21)}, "bad_weekday", "weekdays"),
        ({"weekdays": (-1,), "start": dt.time(18), "end": dt.time(21)}, "bad_weekday", "weekdays"),
        (
            {"weekdays": (TUE,), "start": dt.time(18), "end": dt.time(21), "every_weeks": 0},
            "bad_every_weeks",
            "every_weeks",
        ),
    ],
)
def test_invalid_rhythm_raises_with_problem(kwargs, code, field):
    with pytest.raises(ScheduleError) as info:
        Rhythm(**kwargs)
    assert [(p.code, p.field) for p in info.value.problems] == [(code, field)]
    assert isinstance(info.value, ValueError)
    assert all(p.message for p in info.value.problems)


def test_rhythm_in_words():
    assert TUESDAY_EVENING.text == "Tuesday, 18:00-21:00"
    rhythm = Rhythm((THU, MON), dt.time(9), dt.time(12, 30), every_weeks=2)
    assert rhythm.text == "Every 2 weeks: Monday, Thursday, 09:00-12:30"


def test_rhythm_problems_reports_everything_at_once():
    problems = rhythm_problems((), dt.time(21), dt.time(9), 0)
    assert {p.code for p in problems} == {"no_weekday", "end_not_after_start", "bad_every_weeks"}


# --------------------------------------------------------------------------- basic cycles


def test_weekly_tuesday_cycle_in_branch_zone():
    preview = gen(dt.date(YEAR, 9, 1), TUESDAY_EVENING, 3)
    assert preview.ok and preview.problems == ()
    assert preview.dates == [dt.date(YEAR, 9, 1), dt.date(YEAR, 9, 8), dt.date(YEAR, 9, 15)]
    first = preview.sessions[0]
    assert first.index == 0 and first.number == 1 and first.module_key is None
    assert first.starts_at == dt.datetime(YEAR, 9, 1, 18, tzinfo=ZoneInfo("Europe/Brussels"))
    assert str(first.starts_at.tzinfo) == "Europe/Brussels"
    assert first.starts_at_utc == dt.datetime(YEAR, 9, 1, 16, tzinfo=dt.UTC)
    assert first.utc == (first.starts_at_utc, first.ends_at_utc)
    assert first.duration == dt.timedelta(hours=3)


def test_start_date_off_rhythm_begins_on_next_matching_day():
    preview = gen(dt.date(YEAR, 9, 2), TUESDAY_EVENING, 1)  # a Wednesday
    assert preview.dates == [dt.date(YEAR, 9, 8)]


def test_module_keys_set_count_and_order():
    keys = ["active-listening", "intercultural", "shortage-occupations", "support-orgs"]
    preview = gen(dt.date(YEAR, 9, 7), on(MON), module_keys=keys)
    assert [s.module_key for s in preview.sessions] == keys
    assert [s.index for s in preview.sessions] == [0, 1, 2, 3]


def test_more_sessions_than_modules_leaves_the_rest_without_module():
    preview = gen(dt.date(YEAR, 9, 7), on(MON), 3, module_keys=["a", "b"])
    assert [s.module_key for s in preview.sessions] == ["a", "b", None]


def test_fewer_sessions_than_modules_warns():
    preview = gen(dt.date(YEAR, 9, 7), on(MON), 1, module_keys=["a", "b", "c"])
    assert [s.module_key for s in preview.sessions] == ["a"]
    assert preview.ok
    (problem,) = preview.problems
    assert problem.code == "modules_not_scheduled" and problem.severity == WARNING
    assert problem.params["missing"] == 2
    assert "2" in problem.message


@pytest.mark.parametrize("count", [0, -3, None])
def test_bad_count_is_a_problem(count):
    preview = gen(dt.date(YEAR, 9, 7), on(MON), count)
    assert not preview.ok
    assert [p.code for p in preview.problems] == ["bad_count"]
    assert preview.sessions == ()


def test_several_weekdays_a_week():
    rhythm = Rhythm((MON, TUE, THU, FRI), dt.time(9), dt.time(16))
    preview = gen(dt.date(YEAR, 9, 21), rhythm, 4)
    assert preview.dates == [
        dt.date(YEAR, 9, 21),
        dt.date(YEAR, 9, 22),
        dt.date(YEAR, 9, 24),
        dt.date(YEAR, 9, 25),
    ]


def test_every_two_weeks():
    preview = gen(dt.date(YEAR, 9, 1), on(TUE, every_weeks=2), 4)
    assert preview.dates == [
        dt.date(YEAR, 9, 1),
        dt.date(YEAR, 9, 15),
        dt.date(YEAR, 9, 29),
        dt.date(YEAR, 10, 13),
    ]


def test_every_two_weeks_counts_weeks_from_the_start_week():
    # Start on a Wednesday: Thursday of that week is week 0; the Monday after is week 1.
    rhythm = Rhythm((MON, THU), dt.time(9), dt.time(12), every_weeks=2)
    preview = gen(dt.date(YEAR, 9, 2), rhythm, 3)
    assert preview.dates == [dt.date(YEAR, 9, 3), dt.date(YEAR, 9, 14), dt.date(YEAR, 9, 17)]


def test_every_two_weeks_holiday_pushes_by_a_full_interval():
    # Armistice Day, Wednesday 11 November 2026.
    preview = gen(dt.date(YEAR, 10, 28), on(WED, every_weeks=2), 3)
    assert preview.dates == [dt.date(YEAR, 10, 28), dt.date(YEAR, 11, 25), dt.date(YEAR, 12, 9)]
    assert [(s.date, s.reason) for s in preview.skipped] == [
        (dt.date(YEAR, 11, 11), PUBLIC_HOLIDAY)
    ]


def test_cannot_place_all_sessions_within_max_weeks():
    preview = gen(dt.date(YEAR, 9, 1), TUESDAY_EVENING, 10, max_weeks=3)
    assert len(preview.sessions) == 3
    assert not preview.ok
    (problem,) = preview.problems
    assert problem.code == "not_all_placed" and problem.severity == ERROR
    assert dict(problem.params) == {"placed": 3, "count": 10, "weeks": 3}
    assert problem.message == "Only 3 of 10 sessions fit within 3 weeks."


def test_cycle_across_new_year_uses_both_years_holidays():
    preview = gen(dt.date(YEAR, 12, 18), on(FRI, dt.time(9), dt.time(12)), 3)
    assert preview.dates == [
        dt.date(YEAR, 12, 18),
        dt.date(YEAR + 1, 1, 8),
        dt.date(YEAR + 1, 1, 15),
    ]
    assert [s.date for s in preview.skipped] == [dt.date(YEAR, 12, 25), dt.date(YEAR + 1, 1, 1)]


# --------------------------------------------------------------------------- daylight saving


@pytest.mark.parametrize(("tz", "country"), ZONES)
def test_weekly_tuesday_keeps_local_time_over_spring_change(tz, country):
    # Clocks go forward on Sunday 29 March 2026.
    preview = gen(dt.date(YEAR, 3, 17), TUESDAY_EVENING, 3, country=country, tz=tz)
    assert preview.ok and preview.problems == ()
    assert preview.dates == [dt.date(YEAR, 3, 17), dt.date(YEAR, 3, 24), dt.date(YEAR, 3, 31)]
    assert {s.starts_at.time() for s in preview.sessions} == {dt.time(18)}
    assert {s.ends_at.time() for s in preview.sessions} == {dt.time(21)}
    offsets = [s.starts_at.utcoffset() for s in preview.sessions]
    assert offsets == [dt.timedelta(hours=1), dt.timedelta(hours=1), dt.timedelta(hours=2)]
    assert [s.starts_at_utc.hour for s in preview.sessions] == [17, 17, 16]
    assert all(s.duration == dt.timedelta(hours=3) for s in preview.sessions)


@pytest.mark.parametrize(("tz", "country"), ZONES)
def test_weekly_tuesday_keeps_local_time_over_autumn_change(tz, country):
    # Clocks go back on Sunday 25 October 2026.
    preview = gen(dt.date(YEAR, 10, 13), TUESDAY_EVENING, 3, country=country, tz=tz)
    assert preview.dates == [dt.date(YEAR, 10, 13), dt.date(YEAR, 10, 20), dt.date(YEAR, 10, 27)]
    assert {s.starts_at.time() for s in preview.sessions} == {dt.time(18)}
    assert [s.starts_at_utc.hour for s in preview.sessions] == [16, 16, 17]
    assert [s.starts_at.tzname() for s in preview.sessions] == ["CEST", "CEST", "CET"]


def test_nonexistent_start_time_is_moved_forward_with_a_warning():
    rhythm = Rhythm((SUN,), dt.time(2, 30), dt.time(4))
    preview = gen(dt.date(YEAR, 3, 29), rhythm, 1)
    (session,) = preview.sessions
    assert session.starts_at.time() == dt.time(3, 30)
    assert session.starts_at.utcoffset() == dt.timedelta(hours=2)
    assert session.ends_at.time() == dt.time(4)
    assert session.duration == dt.timedelta(minutes=30)
    assert preview.ok
    (problem,) = preview.problems
    assert problem.code == "nonexistent_local_time" and problem.severity == WARNING
    assert "03:30" in problem.message and f"{YEAR}-03-29" in problem.message


def test_ambiguous_start_time_uses_first_occurrence_with_a_warning():
    rhythm = Rhythm((SUN,), dt.time(2, 30), dt.time(4))
    preview = gen(dt.date(YEAR, 10, 25), rhythm, 1)
    (session,) = preview.sessions
    assert session.starts_at.fold == 0
    assert session.starts_at.utcoffset() == dt.timedelta(hours=2)  # still summer time
    assert session.starts_at_utc == dt.datetime(YEAR, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert session.duration == dt.timedelta(hours=2, minutes=30)
    assert [p.code for p in preview.problems] == ["ambiguous_local_time"]


# --------------------------------------------------------------------------- holidays

COMMON_HOLIDAYS_2026 = [
    ("Easter Monday", dt.date(YEAR, 4, 6)),
    ("Ascension Day", dt.date(YEAR, 5, 14)),
    ("Whit Monday", dt.date(YEAR, 5, 25)),
]


def skipped_when_starting_on(day, country, **kwargs):
    """Generate one session on ``day``'s weekday from ``day`` on; return (preview, skip)."""
    preview = gen(day, on(day.weekday()), 1, country=country, **kwargs)
    return preview, {s.date: s for s in preview.skipped}.get(day)


@pytest.mark.parametrize("country", ["BE", "NL", "FR"])
@pytest.mark.parametrize(("name", "day"), COMMON_HOLIDAYS_2026)
def test_christian_holidays_skipped_in_every_country(country, name, day):
    preview, skip = skipped_when_starting_on(day, country)
    assert skip is not None, f"{name} not skipped in {country}"
    assert skip.reason == PUBLIC_HOLIDAY and skip.label
    assert preview.dates == [day + dt.timedelta(weeks=1)]


@pytest.mark.parametrize(
    ("country", "day", "expected"),
    [
        ("NL", dt.date(YEAR, 4, 27), True),  # King's Day
        ("BE", dt.date(YEAR, 4, 27), False),
        ("FR", dt.date(YEAR, 7, 14), True),  # Fête nationale
        ("BE", dt.date(YEAR, 7, 14), False),
        ("BE", dt.date(YEAR, 7, 21), True),  # Belgian National Day
        ("FR", dt.date(YEAR, 7, 21), False),
        ("BE", dt.date(YEAR, 11, 11), True),  # Armistice
        ("FR", dt.date(YEAR, 11, 11), True),
        ("NL", dt.date(YEAR, 11, 11), False),
    ],
)
def test_national_holidays(country, day, expected):
    preview, skip = skipped_when_starting_on(day, country)
    assert (skip is not None) is expected
    assert preview.dates == [day + dt.timedelta(weeks=1) if expected else day]


def test_kings_day_named_in_english_and_dutch():
    _, skip_en = skipped_when_starting_on(dt.date(YEAR, 4, 27), "NL", language="en")
    _, skip_nl = skipped_when_starting_on(dt.date(YEAR, 4, 27), "NL", language="nl")
    assert skip_en.label == "King's Day"
    assert skip_nl.label == "Koningsdag"


@pytest.mark.parametrize(
    ("day", "name"),
    [(dt.date(YEAR, 12, 26), "Saint Stephen's Day"), (dt.date(YEAR, 4, 3), "Good Friday")],
)
def test_alsace_moselle_holidays_only_with_subdivision(day, name):
    _, national = skipped_when_starting_on(day, "FR")
    assert national is None
    _, regional = skipped_when_starting_on(day, "FR", holidays_subdivision="57")
    assert regional is not None and regional.label == name


def test_unknown_country_or_subdivision_is_a_config_error():
    with pytest.raises(ValueError):
        gen(dt.date(YEAR, 9, 1), TUESDAY_EVENING, 1, country="BE", holidays_subdivision="Nope")
    with pytest.raises(ValueError):
        generate(
            dt.date(YEAR, 9, 1),
            TUESDAY_EVENING,
            1,
            timezone="Europe/Brussels",
            holidays_country="XX",
        )


def test_unknown_time_zone_is_a_config_error():
    with pytest.raises(ValueError):
        gen(dt.date(YEAR, 9, 1), TUESDAY_EVENING, 1, tz="Europe/Atlantis")


def test_four_consecutive_mondays_with_easter_monday_end_on_the_fifth():
    preview = gen(dt.date(YEAR, 3, 30), on(MON, dt.time(9), dt.time(16)), 4)
    assert preview.dates == [
        dt.date(YEAR, 3, 30),
        dt.date(YEAR, 4, 13),
        dt.date(YEAR, 4, 20),
        dt.date(YEAR, 4, 27),
    ]
    assert preview.skipped == (SkippedDay(dt.date(YEAR, 4, 6), PUBLIC_HOLIDAY, "Easter Monday"),)


@pytest.mark.parametrize(
    ("country", "language", "label"),
    [
        ("BE", "en", "Easter Monday"),
        ("BE", "fr", "Lundi de Pâques"),
        ("BE", "nl", "Paasmaandag"),
        ("NL", "nl", "Tweede paasdag"),
        ("NL", "fr", "Tweede paasdag"),  # no French in the package: the country's language
        ("FR", "fr", "Lundi de Pâques"),
        ("FR", "nl", "Lundi de Pâques"),
        ("FR", "en", "Easter Monday"),
    ],
)
def test_skipped_holiday_named_in_requested_language(country, language, label):
    _, skip = skipped_when_starting_on(dt.date(YEAR, 4, 6), country, language=language)
    assert skip.label == label


def test_holiday_language_mapping():
    assert holiday_language("BE", "en") == "en_US"
    assert holiday_language("BE", "fr") == "fr"
    assert holiday_language("FR", "nl") == "fr"
    assert holiday_language("NL", "fr") == "nl"
    assert holiday_language("NL", "en-GB") == "en_US"
    assert holiday_language("NL", None) == "nl"


# --------------------------------------------------------------------------- closed days


def test_closed_days_skipped_with_reason():
    preview = gen(
        dt.date(YEAR, 12, 15),
        TUESDAY_EVENING,
        2,
        closed_days=[f"{YEAR}-12-22", dt.date(YEAR, 12, 29)],
    )
    assert preview.dates == [dt.date(YEAR, 12, 15), dt.date(YEAR + 1, 1, 5)]
    assert preview.skipped == (
        SkippedDay(dt.date(YEAR, 12, 22), CLOSED_DAY, None),
        SkippedDay(dt.date(YEAR, 12, 29), CLOSED_DAY, None),
    )
    assert preview.skipped[0].message == "Branch closed"


def test_closed_days_may_carry_a_label():
    preview = gen(
        dt.date(YEAR, 9, 1), TUESDAY_EVENING, 1, closed_days={dt.date(YEAR, 9, 1): "Move"}
    )
    assert preview.skipped == (SkippedDay(dt.date(YEAR, 9, 1), CLOSED_DAY, "Move"),)
    assert preview.skipped[0].message == "Branch closed: Move"


def test_holiday_that_is_also_a_closed_day_is_reported_as_holiday():
    preview = gen(dt.date(YEAR, 7, 21), TUESDAY_EVENING, 1, closed_days=[f"{YEAR}-07-21"])
    assert [(s.date, s.reason) for s in preview.skipped] == [(dt.date(YEAR, 7, 21), PUBLIC_HOLIDAY)]


def test_closed_days_not_on_the_rhythm_are_not_listed():
    preview = gen(dt.date(YEAR, 9, 1), TUESDAY_EVENING, 2, closed_days=[f"{YEAR}-09-02"])
    assert preview.skipped == ()


def test_bad_closed_day_is_rejected():
    with pytest.raises(ValueError):
        gen(dt.date(YEAR, 9, 1), TUESDAY_EVENING, 1, closed_days=["next tuesday"])


# --------------------------------------------------------------------------- messages


def test_skip_reason_text():
    assert (
        skip_reason_text(SkippedDay(dt.date(YEAR, 4, 6), PUBLIC_HOLIDAY, "Easter Monday"))
        == "Public holiday: Easter Monday"
    )
    assert skip_reason_text(SkippedDay(dt.date(YEAR, 4, 6), PUBLIC_HOLIDAY)) == "Public holiday"


@pytest.mark.parametrize(
    "problem",
    [
        Problem("end_not_after_start"),
        Problem("no_weekday"),
        Problem("bad_weekday", params={"value": 9}),
        Problem("bad_every_weeks"),
        Problem("bad_count"),
        Problem("not_all_placed", params={"placed": 1, "count": 2, "weeks": 3}),
        Problem("modules_not_scheduled", params={"missing": 1, "keys": "x"}),
        Problem(
            "nonexistent_local_time",
            params={"date": dt.date(YEAR, 3, 29), "time": dt.time(2), "actual": dt.time(3)},
        ),
        Problem("ambiguous_local_time", params={"date": dt.date(YEAR, 3, 29), "time": dt.time(2)}),
        Problem("bad_session_times"),
        Problem("something_new"),
    ],
)
def test_every_problem_has_a_message(problem):
    text = problem_message(problem)
    assert text and "%(" not in text


def test_problems_are_hashable():
    assert len({Problem("a", params={"x": 1}), Problem("a", params={"x": 1})}) == 1


# --------------------------------------------------------------------------- move


def test_move_keeps_zone_and_revalidates():
    session = gen(dt.date(YEAR, 3, 24), TUESDAY_EVENING, 1).sessions[0]
    moved = move(session, dt.date(YEAR, 3, 31), dt.time(18, 30), dt.time(20))
    assert moved.index == session.index and moved.module_key == session.module_key
    assert moved.starts_at.time() == dt.time(18, 30)
    assert moved.starts_at.utcoffset() == dt.timedelta(hours=2)
    assert moved.local_date == dt.date(YEAR, 3, 31)
    with pytest.raises(ScheduleError):
        move(session, dt.date(YEAR, 3, 31), dt.time(20), dt.time(18))


def test_planned_session_requires_aware_ordered_times():
    tz = ZoneInfo("Europe/Paris")
    with pytest.raises(ValueError):
        PlannedSession(
            0, None, dt.date(YEAR, 1, 6), dt.datetime(YEAR, 1, 6, 18), dt.datetime(YEAR, 1, 6, 21)
        )
    with pytest.raises(ScheduleError):
        PlannedSession(
            0,
            None,
            dt.date(YEAR, 1, 6),
            dt.datetime(YEAR, 1, 6, 21, tzinfo=tz),
            dt.datetime(YEAR, 1, 6, 18, tzinfo=tz),
        )


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(min_value=dt.date(YEAR - 2, 1, 1), max_value=dt.date(YEAR + 4, 12, 31)),
    weekdays=st.sets(st.integers(0, 6), min_size=1, max_size=3),
    hour=st.integers(7, 19),
    every_weeks=st.integers(1, 3),
    count=st.integers(1, 10),
    zone=st.sampled_from(ZONES),
)
def test_generated_sessions_follow_the_rhythm(start, weekdays, hour, every_weeks, count, zone):
    tz, country = zone
    rhythm = Rhythm(tuple(weekdays), dt.time(hour), dt.time(hour + 2), every_weeks)
    preview = gen(start, rhythm, count, country=country, tz=tz)
    assert preview.ok and len(preview.sessions) == count
    skipped_days = {s.date for s in preview.skipped}
    previous = None
    for session in preview.sessions:
        assert session.local_date >= start
        assert session.local_date.weekday() in weekdays
        assert session.starts_at.time() == dt.time(hour)
        assert session.starts_at.date() == session.local_date
        assert session.local_date not in skipped_days
        if previous is not None:
            assert session.starts_at > previous
        previous = session.starts_at
    # Nothing skipped after the last session, and skipped days are on the rhythm too.
    assert all(s.date < preview.sessions[-1].local_date for s in preview.skipped)
    assert all(s.date.weekday() in weekdays for s in preview.skipped)
