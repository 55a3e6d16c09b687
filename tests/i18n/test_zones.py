"""Local days in a branch's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from duo.core.i18n.zones import local_date, local_today


def test_a_utc_evening_is_already_tomorrow_in_europe() -> None:
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert local_date(moment, "Europe/Brussels") == date(2027, 1, 1)
    assert local_date(moment.replace(tzinfo=None), "Europe/Paris") == date(2027, 1, 1)
    assert local_today("Europe/Amsterdam", now=moment) == date(2027, 1, 1)
