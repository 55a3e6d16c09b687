"""iCalendar feeds and invitations, checked by parsing them back with ``icalendar``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from duo.core.calendar import (
    DEFAULT_PRODID,
    FeedEvent,
    build_calendar,
    invitation_content_type,
    invitation_method,
    single_event_invitation,
    stable_uid,
)
from duo.training.schedule import Rhythm, generate

#: A fixed year for the feeds' days: the cases stand around its clock changes (29 March and
#: 25 October); a feed is written from the events given and reads no clock.
YEAR = 2026

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = dt.UTC
STAMP = dt.datetime(YEAR, 3, 1, 9, 0, tzinfo=UTC)


def event(day=24, month=3, *, uid=None, hour=18, **kwargs) -> FeedEvent:
    return FeedEvent(
        uid=uid or stable_uid("training", "brussels", f"{month}-{day}"),
        starts_at=dt.datetime(YEAR, month, day, hour, tzinfo=BRUSSELS),
        ends_at=dt.datetime(YEAR, month, day, hour + 3, tzinfo=BRUSSELS),
        summary=kwargs.pop("summary", "Active listening"),
        **kwargs,
    )


def parse(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def events_of(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def feed(events, **kwargs) -> Calendar:
    kwargs.setdefault("name", "DUO for a JOB Brussels - training")
    kwargs.setdefault("timezone", "Europe/Brussels")
    kwargs.setdefault("stamp", STAMP)
    return parse(build_calendar(events, **kwargs))


def test_feed_has_the_calendar_properties_apps_read():
    calendar = feed([event()])
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == DEFAULT_PRODID
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "DUO for a JOB Brussels - training"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Brussels"
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=1)


def test_feed_vtimezone_has_standard_and_daylight_rules_that_work():
    calendar = feed([event(24, 3), event(27, 10)])
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Brussels"
    kinds = {component.name for component in vtimezone.subcomponents}
    assert {"STANDARD", "DAYLIGHT"} <= kinds
    # The VTIMEZONE itself (not our zoneinfo) gives the right offsets on both sides.
    tz = vtimezone.to_tz(lookup_tzid=False)
    assert dt.datetime(YEAR, 3, 24, 18, tzinfo=tz).utcoffset() == dt.timedelta(hours=1)
    assert dt.datetime(YEAR, 3, 31, 18, tzinfo=tz).utcoffset() == dt.timedelta(hours=2)
    assert dt.datetime(YEAR, 10, 27, 18, tzinfo=tz).utcoffset() == dt.timedelta(hours=1)


def test_every_tzid_used_has_its_vtimezone():
    calendar = feed([event(), event(31)])
    assert calendar.get_missing_tzids() == set()
    assert calendar.get_used_tzids() == {"Europe/Brussels"}


def test_event_properties_round_trip():
    original = event(
        description="Bring: notebook; pen, and curiosity.\nSecond line",
        location="Rue Royale 1, 1000 Bruxelles",
        url="https://duo.example/brussels/training/1",
    )
    (vevent,) = events_of(feed([original]))
    assert str(vevent["UID"]) == original.uid
    assert vevent["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert vevent["DTEND"].params["TZID"] == "Europe/Brussels"
    assert vevent.decoded("DTSTART") == original.starts_at
    assert vevent.decoded("DTEND") == original.ends_at
    assert vevent.decoded("DTSTART").tzinfo.key == "Europe/Brussels"
    assert vevent.decoded("DTSTAMP") == STAMP
    assert str(vevent["SUMMARY"]) == "Active listening"
    assert str(vevent["DESCRIPTION"]) == original.description
    assert str(vevent["LOCATION"]) == original.location
    assert str(vevent["URL"]) == original.url
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("SEQUENCE") == 0


def test_optional_text_properties_left_out_when_empty():
    (vevent,) = events_of(feed([event()]))
    for name in ("DESCRIPTION", "LOCATION", "URL"):
        assert name not in vevent


def test_times_given_in_utc_are_written_in_the_branch_zone():
    utc_event = FeedEvent(
        uid="u-1@duo",
        starts_at=dt.datetime(YEAR, 3, 31, 16, tzinfo=UTC),
        ends_at=dt.datetime(YEAR, 3, 31, 19, tzinfo=UTC),
        summary="Intercultural relations",
    )
    data = build_calendar([utc_event], name="x", timezone="Europe/Brussels", stamp=STAMP)
    assert b"DTSTART;TZID=Europe/Brussels:20260331T180000" in data
    (vevent,) = events_of(parse(data))
    assert vevent.decoded("DTSTART") == utc_event.starts_at


@pytest.mark.parametrize("tz", ["Europe/Brussels", "Europe/Amsterdam", "Europe/Paris"])
def test_generated_cycle_over_dst_keeps_18h_in_the_feed(tz):
    country = {"Europe/Brussels": "BE", "Europe/Amsterdam": "NL", "Europe/Paris": "FR"}[tz]
    preview = generate(
        dt.date(YEAR, 10, 13),
        Rhythm((1,), dt.time(18), dt.time(21)),
        3,
        timezone=tz,
        holidays_country=country,
    )
    events = [
        FeedEvent(stable_uid("training", s.index), s.starts_at, s.ends_at, "Training")
        for s in preview.sessions
    ]
    data = build_calendar(events, name="x", timezone=tz, stamp=STAMP)
    calendar = parse(data)
    starts = [e.decoded("DTSTART") for e in events_of(calendar)]
    assert [s.hour for s in starts] == [18, 18, 18]
    assert [s.astimezone(UTC).hour for s in starts] == [16, 16, 17]
    assert data.count(f"DTSTART;TZID={tz}:".encode()) == 3


def test_output_is_stable_for_the_same_events_in_any_order():
    events = [event(17), event(24), event(31)]
    first = build_calendar(events, name="x", timezone="Europe/Brussels", stamp=STAMP)
    again = build_calendar(events[::-1], name="x", timezone="Europe/Brussels", stamp=STAMP)
    assert first == again
    uids = [str(e["UID"]) for e in events_of(parse(first))]
    assert uids == [e.uid for e in events]


def test_stable_uid():
    assert stable_uid("training", "brussels", 42) == "training-brussels-42@duoforajob.org"
    assert stable_uid("training", "brussels", 42) == stable_uid("training", "brussels", 42)
    assert stable_uid("a b/c", domain="duo.test") == "a-b-c@duo.test"
    with pytest.raises(ValueError):
        stable_uid("", "  ")


def test_cancelled_event_stays_with_status_cancelled_and_higher_sequence():
    live = event(sequence=2)
    cancelled = event(sequence=2, cancelled=True)
    (before,) = events_of(feed([live]))
    (after,) = events_of(feed([cancelled]))
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["STATUS"]) == "CANCELLED"
    assert after.decoded("SEQUENCE") == 3 > before.decoded("SEQUENCE") == 2
    assert str(after["TRANSP"]) == "TRANSPARENT"


def test_empty_feed_is_valid():
    calendar = feed([])
    assert events_of(calendar) == []
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert {"STANDARD", "DAYLIGHT"} <= {c.name for c in vtimezone.subcomponents}


def test_feed_rejects_duplicate_uids_and_bad_zone():
    with pytest.raises(ValueError, match="duplicate"):
        build_calendar([event(uid="same"), event(31, uid="same")], name="x", timezone="UTC")
    with pytest.raises(ValueError):
        build_calendar([event()], name="x", timezone="Mars/Olympus")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ends_at": dt.datetime(YEAR, 3, 24, 17, tzinfo=BRUSSELS)},
        {"starts_at": dt.datetime(YEAR, 3, 24, 18)},
        {"uid": ""},
        {"uid": "a\nb"},
        {"sequence": -1},
    ],
)
def test_feed_event_validation(kwargs):
    base = {
        "uid": "u@duo",
        "starts_at": dt.datetime(YEAR, 3, 24, 18, tzinfo=BRUSSELS),
        "ends_at": dt.datetime(YEAR, 3, 24, 21, tzinfo=BRUSSELS),
        "summary": "s",
    }
    with pytest.raises(ValueError):
        FeedEvent(**{**base, **kwargs})


def test_names_with_non_ascii_and_long_text_survive_folding():
    long_description = "Écoute active — " * 40
    calendar = feed([event(summary="Écoute active", description=long_description)])
    (vevent,) = events_of(calendar)
    assert str(vevent["SUMMARY"]) == "Écoute active"
    assert str(vevent["DESCRIPTION"]) == long_description


# --------------------------------------------------------------------------- invitations


def test_invitation_is_a_request_with_organizer_and_attendee():
    data = single_event_invitation(
        event(location="Rue Royale 1"),
        organizer_email="brussels@duoforajob.be",
        organizer_name="DUO for a JOB Brussels",
        attendee_email="ana@example.org",
        attendee_name="Ana, B.",
        timezone="Europe/Brussels",
        stamp=STAMP,
    )
    calendar = parse(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert calendar.get_missing_tzids() == set()
    (vevent,) = events_of(calendar)
    assert str(vevent["ORGANIZER"]) == "mailto:brussels@duoforajob.be"
    assert vevent["ORGANIZER"].params["CN"] == "DUO for a JOB Brussels"
    assert str(vevent["ATTENDEE"]) == "mailto:ana@example.org"
    assert vevent["ATTENDEE"].params["CN"] == "Ana, B."
    assert vevent["ATTENDEE"].params["RSVP"] == "FALSE"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert str(vevent["STATUS"]) == "CONFIRMED"


def test_cancelled_invitation_is_a_cancel_with_same_uid():
    cancelled = event(cancelled=True, sequence=1)
    data = single_event_invitation(
        cancelled,
        organizer_email="brussels@duoforajob.be",
        attendee_email="ana@example.org",
        timezone="Europe/Brussels",
        stamp=STAMP,
    )
    calendar = parse(data)
    assert str(calendar["METHOD"]) == "CANCEL"
    (vevent,) = events_of(calendar)
    assert str(vevent["UID"]) == cancelled.uid
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent.decoded("SEQUENCE") == 2


def test_invitation_without_attendee_is_published():
    data = single_event_invitation(
        event(), organizer_email="lyon@duoforajob.fr", timezone="Europe/Paris", stamp=STAMP
    )
    calendar = parse(data)
    assert str(calendar["METHOD"]) == "PUBLISH"
    (vevent,) = events_of(calendar)
    assert "ATTENDEE" not in vevent
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTSTART").hour == 18


def test_invitation_rejects_bad_addresses():
    for bad in ("not-an-address", "a@b.be\r\nBcc: x@y", ""):
        with pytest.raises(ValueError):
            single_event_invitation(event(), organizer_email=bad, timezone="Europe/Brussels")


def test_invitation_method_and_content_type():
    assert invitation_method(event(), "a@b.be") == "REQUEST"
    assert invitation_method(event(cancelled=True), "a@b.be") == "CANCEL"
    assert invitation_method(event(), None) == "PUBLISH"
    assert invitation_content_type("REQUEST") == "text/calendar; charset=utf-8; method=REQUEST"
