"""Reading a branch's rows for counting: moments and ids as text, the rest as the driver hands
them over, and UTC moments turned into branch-local days once per UTC day, not per value.

A refresh reads a few hundred thousand ids and moments only to compare them with each other
and to find the local day they fell on. Building a ``UUID`` or an aware ``datetime`` of each
(SQLAlchemy's processing on SQLite, the driver's on PostgreSQL), then converting each to the
branch's zone, was a third of a refresh. Read through :func:`raw`, moments and ids come as
text in one fixed format on both databases, which sorts like time: equal, ordered and
hashable like the typed values, which is all counting needs.
They never leave :mod:`duo.reporting` (facts → tally → rollups hold dates and counts only).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, String, Uuid, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)


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


class _AsText(FunctionElement):
    """A column read as the text SQLite stores it (the default compilation)."""

    inherit_cache = True
    type = String()


class _RawMoment(_AsText):
    """A UTC moment as text, ``YYYY-MM-DD HH:MM:SS.ffffff``, on either database."""

    inherit_cache = True


class _RawId(_AsText):
    """An id as text (a UUID's canonical form on PostgreSQL, SQLite's stored hex)."""

    inherit_cache = True


@compiles(_AsText)
def _as_stored(element: _AsText, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)  # SQLite keeps moments and ids as text


@compiles(_RawMoment, "postgresql")
def _moment_as_text(element: _RawMoment, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"


@compiles(_RawId, "postgresql")
def _id_as_text(element: _RawId, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


def raw(column: Any) -> ColumnElement:
    """``column`` read without per-value processing (see the module's note).

    Moments and ids come as text in one format on both databases: on PostgreSQL the
    driver would otherwise build a ``datetime`` or a ``UUID`` of every value, and the
    text sorts and compares like the values. Anything else is read as the driver gives it.
    """
    kind = getattr(column.type, "impl", column.type)  # a TypeDecorator's stored type
    if isinstance(kind, DateTime):
        return _RawMoment(column)
    if isinstance(kind, Uuid):
        return _RawId(column)
    return type_coerce(column, String)


class LocalDays:
    """The branch-local day of a UTC moment (aware ``datetime`` or SQLite's naive UTC text).

    Worked out once per UTC day: the local day the UTC day starts in and, when the local
    date turns within it, the moment it turns and the day after. A UTC day in which the
    local date would turn twice (an offset moving by more than the day allows) is not
    cached and each of its moments is converted on its own.
    """

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        #: By "YYYY-MM-DD " (text; the separator kept, as the moments compare as text) or by
        #: the day's number since 1970 (aware moments): (first day, turn, day after) or None.
        self._days: dict[Any, tuple[date, Any, date] | None] = {}

    def __call__(self, moment: Any) -> date:
        if isinstance(moment, str):
            key: Any = moment[:11]
            value: Any = moment
        else:
            value = moment.timestamp()
            key = int(value // 86400)
        found = self._days.get(key, False)
        if found is False:
            found = self._days[key] = self._day(key, moment)
        if found is None:
            return _moment(moment).astimezone(self.zone).date()
        first, turn, after = found
        return first if turn is None or value < turn else after

    def _day(self, key: Any, moment: Any) -> tuple[date, Any, date] | None:
        start = _moment(moment).replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + _DAY
        first = start.astimezone(self.zone).date()
        last = (end - _TICK).astimezone(self.zone).date()
        if first == last:
            return first, None, first
        if last != first + _DAY:
            return None
        turn = datetime.combine(last, time(0), tzinfo=self.zone).astimezone(UTC)
        if not (
            start < turn < end
            and (turn - _TICK).astimezone(self.zone).date() == first
            and turn.astimezone(self.zone).date() == last
        ):
            return None
        if isinstance(moment, str):
            return first, turn.strftime(f"%Y-%m-%d{key[10:]}%H:%M:%S"), last
        return first, turn.timestamp(), last


def _moment(value: Any) -> datetime:
    """An aware UTC ``datetime`` of a raw moment (naive values count as UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
