"""Reading a branch's rows for counting: values as the database driver hands them over, and
UTC moments turned into branch-local days once per hour rather than once per value.

A refresh reads a few hundred thousand ids and moments only to compare them with each other
and to find the local day they fell on. Letting SQLAlchemy turn each into a ``UUID`` or
parse SQLite's text into an aware ``datetime``, then converting each to the branch's zone,
was a third of a refresh. Values read through :func:`raw` stay as the driver gives them
(text on SQLite, in one fixed format that sorts like time; ``datetime``/``UUID`` objects on
PostgreSQL): equal, ordered and hashable like the typed values, which is all counting needs.
They never leave :mod:`duo.reporting` (facts → tally → rollups hold dates and counts only).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, type_coerce
from sqlalchemy.sql.elements import ColumnElement

_LAST = timedelta(hours=1, microseconds=-1)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a refresh counts.

    A count allocates a few hundred thousand small objects that all live until it ends and
    hold no cycles. With the collector running, its passes over them cost more than the
    count; resumed only once they are gone (freed by reference counting as the count
    returns), its next pass finds nothing of them left. Nested pauses resume once.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def raw(column: Any) -> ColumnElement:
    """``column`` read without SQLAlchemy's per-value processing (see the module's note)."""
    return type_coerce(column, String)


class LocalDays:
    """The branch-local day of a UTC moment (aware ``datetime`` or SQLite's naive UTC text).

    The day is the same for every moment of one UTC hour unless the zone's offset is not a
    whole number of hours or it changes within that hour; such hours are not cached and each
    moment is converted on its own.
    """

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self._hours: dict[Any, date] = {}

    def __call__(self, moment: Any) -> date:
        if isinstance(moment, str):
            key: Any = moment[:13]  # "YYYY-MM-DD HH"
        else:
            key = int(moment.timestamp()) // 3600
        day = self._hours.get(key)
        if day is not None:
            return day
        exact = _moment(moment)
        start = exact.replace(minute=0, second=0, microsecond=0)
        first = start.astimezone(self.zone).date()
        if first == (start + _LAST).astimezone(self.zone).date():
            self._hours[key] = first
            return first
        return exact.astimezone(self.zone).date()


def _moment(value: Any) -> datetime:
    """An aware UTC ``datetime`` of a raw moment (naive values count as UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
