"""A demo-only clock: play a branch's past through the real domain functions.

The demo tells a story that took months (an information session in spring, a training
cycle, a matching session, a duo that ended last month...). The domain functions stamp
everything with :func:`duo.core.db.utcnow` and check "is this session in the past?" against it,
so rather than writing states or timestamps by hand the seed *moves the clock*: inside
:func:`story_clock`, ``utcnow`` returns the moment the story is at, every check runs as it
would have on that day, and every timestamp, history entry, waiting time, planned end of a
duo and mail date is what it would have been.

How (the only bypass of the seed, and it touches no row directly):

- ``utcnow`` is replaced, for the duration of the block, in every loaded ``duo.*`` module
  that imported it (they all do ``from duo.core.db import utcnow``), and restored afterwards.
  Each call returns the story's moment plus one more microsecond, so two steps made "at the
  same time" still keep their order in histories.
- Column defaults (``created_at = mapped_column(..., default=utcnow)``) hold the original
  function; a ``before_flush`` listener fills the columns whose default or ``onupdate`` is
  ``utcnow`` with the story's moment.

It is meant for the single-threaded ``duo setup`` and for tests: other threads running
meanwhile would see the story's time too. Nothing here runs while serving requests.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import event, inspect

import duo.core.db as duo_db
from duo.core.db import db

_REAL_UTCNOW = duo_db.utcnow


class StoryClock:
    """The moment the story is at; :meth:`set` moves it (forwards or backwards)."""

    def __init__(self, moment: datetime) -> None:
        self._moment = moment
        self._tick = 0

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the story clock takes aware datetimes")
        self._moment = moment.astimezone(UTC)
        self._tick = 0

    def now(self) -> datetime:
        self._tick += 1
        return self._moment + timedelta(microseconds=self._tick)


def _is_utcnow(default: Any) -> bool:
    fn = getattr(default, "arg", None)
    return fn is _REAL_UTCNOW or getattr(fn, "__wrapped__", None) is _REAL_UTCNOW


@cache
def _stamped_columns(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Attribute names whose default, and whose ``onupdate``, is ``utcnow``."""
    table = getattr(cls, "__table__", None)
    if table is None:
        return (), ()
    mapper = inspect(cls)
    keys = {column: attr.key for attr in mapper.column_attrs for column in attr.columns}
    defaults = tuple(keys[c] for c in table.columns if c in keys and _is_utcnow(c.default))
    updates = tuple(keys[c] for c in table.columns if c in keys and _is_utcnow(c.onupdate))
    return defaults, updates


def _stamp(clock: StoryClock):  # noqa: ANN202
    def before_flush(session, flush_context, instances) -> None:  # noqa: ANN001
        for obj in session.new:
            for key in _stamped_columns(type(obj))[0]:
                if getattr(obj, key, None) is None:
                    setattr(obj, key, clock.now())
        for obj in session.dirty:
            updates = _stamped_columns(type(obj))[1]
            if not updates or not session.is_modified(obj):
                continue
            attrs = inspect(obj).attrs
            for key in updates:
                if not attrs[key].history.added:
                    setattr(obj, key, clock.now())

    return before_flush


def _patched_modules() -> list[Any]:
    return [
        module
        for name, module in list(sys.modules.items())
        if (name == "duo" or name.startswith("duo."))
        and module is not None
        and getattr(module, "utcnow", None) is _REAL_UTCNOW
    ]


@contextmanager
def story_clock(start: datetime) -> Iterator[StoryClock]:
    """Inside the block, the platform's ``utcnow`` is the story's clock (see module doc)."""
    clock = StoryClock(start)
    modules = _patched_modules()
    listener = _stamp(clock)
    for module in modules:
        module.utcnow = clock.now
    event.listen(db.session, "before_flush", listener)
    try:
        yield clock
    finally:
        event.remove(db.session, "before_flush", listener)
        for module in modules:
            module.utcnow = _REAL_UTCNOW
