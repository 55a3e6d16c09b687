"""Local days in a branch's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from duo.core.i18n.zones import local_date, local_today
from support import today

YEAR = today().year


def test_a_utc_evening_is_already_tomorrow_in_europe() -> None:
    moment = datetime(YEAR, 12, 31, 23, 30, tzinfo=UTC)
    assert local_date(moment, "Europe/Brussels") == date(YEAR + 1, 1, 1)
    assert local_date(moment.replace(tzinfo=None), "Europe/Paris") == date(YEAR + 1, 1, 1)
    assert local_today("Europe/Amsterdam", now=moment) == date(YEAR + 1, 1, 1)
