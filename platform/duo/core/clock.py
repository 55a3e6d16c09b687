"""The platform's one clock: every "now" is read here, and tests and the demo move it.

All code reads the time through :func:`duo.core.db.utcnow` (which calls :func:`now`);
nothing calls ``datetime.now()`` or ``date.today()``. The time it returns is real time
unless a :class:`Clock` is installed in the current *context* (a ``ContextVar``), so
moving time never patches a module and never leaks into another thread or request:

- ``with frozen(at) as clock:`` time stands at ``at`` (each read is one microsecond after
  the previous one, so events recorded "at the same moment" keep their order in
  histories; pass ``step=timedelta(0)`` for a clock that does not move at all);
  ``clock.advance(timedelta(days=8))`` or ``clock.set(moment)`` moves it inside the block.
- ``with advance(timedelta(weeks=1)):`` time inside the block is a week later than
  outside it (the real time, or the frozen clock around it).
- A live server (a real-browser test, the demo served by hand) runs each request in its
  own thread, which starts with an empty context: :func:`serve` binds a clock to an app,
  and the app installs it around every request (see ``duo.app``). Production binds none.

Column defaults (``default=utcnow``) are evaluated at flush time in the caller's context,
so rows written inside a block carry the clock's time too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Any

from flask import g

#: The step a frozen clock moves by on each read, so that successive events stay ordered.
TICK = timedelta(microseconds=1)

#: Key under ``app.extensions`` of the clock bound to an app by :func:`serve`.
APP_KEY = "duo.clock"


class Clock:
    """A settable clock: a moment, moved by :meth:`set` / :meth:`advance`, or real time.

    ``Clock(None, offset=d)`` is real time shifted by ``d``. Reads are thread-safe (a live
    server reads one bound clock from several request threads).
    """

    def __init__(
        self, at: datetime | None, *, step: timedelta = TICK, offset: timedelta = timedelta(0)
    ) -> None:
        self._lock = Lock()
        self._step = step
        self._offset = offset
        self._at: datetime | None = None
        self._ticks = 0
        if at is not None:
            self.set(at)

    def set(self, at: datetime) -> None:
        """Move the clock to ``at`` (an aware datetime; forwards or backwards)."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("the clock takes timezone-aware datetimes")
        with self._lock:
            self._at = at.astimezone(UTC)
            self._offset = timedelta(0)
            self._ticks = 0

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock by ``delta`` from the moment it was last set or advanced to.

        (The microsecond ticks of reads in between are dropped, so that ``set(at)`` then
        ``advance(d)`` reads exactly ``at + d``.)
        """
        with self._lock:
            if self._at is None:
                self._offset += delta
            else:
                self._at = self._at + delta
                self._ticks = 0
        return self.peek()

    def peek(self) -> datetime:
        """The current moment, without moving a frozen clock's tick."""
        with self._lock:
            if self._at is None:
                return datetime.now(UTC) + self._offset
            return self._at + self._ticks * self._step

    def now(self) -> datetime:
        """The current moment; a frozen clock then ticks by its step."""
        with self._lock:
            if self._at is None:
                return datetime.now(UTC) + self._offset
            moment = self._at + self._ticks * self._step
            self._ticks += 1
            return moment


_current: ContextVar[Clock | None] = ContextVar("duo_clock", default=None)


def now() -> datetime:
    """Timezone-aware UTC now, from the clock of the current context (or real time)."""
    clock = _current.get()
    if clock is None:
        return datetime.now(UTC)
    return clock.now()


def current() -> Clock | None:
    """The clock installed in this context, if any."""
    return _current.get()


@contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    """Install ``clock`` for the current context for the duration of the block."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


@contextmanager
def frozen(at: datetime, *, step: timedelta = TICK) -> Iterator[Clock]:
    """Time stands at ``at`` inside the block (moved only by the returned clock)."""
    with use(Clock(at, step=step)) as clock:
        yield clock


@contextmanager
def advance(delta: timedelta) -> Iterator[Clock]:
    """Inside the block, time is ``delta`` later than around it."""
    outer = _current.get()
    clock = Clock(None, offset=delta) if outer is None else Clock(outer.peek() + delta)
    with use(clock):
        yield clock


@contextmanager
def serve(app: Any, at: datetime | None = None, *, step: timedelta = TICK) -> Iterator[Clock]:
    """Bind a clock to ``app`` for every request it serves (and to this context).

    Meant for live-server tests and a demo served by hand: the app installs the bound
    clock around each request (``duo.app``), so moving it here moves the server's time.
    """
    clock = Clock(at, step=step)
    previous = app.extensions.get(APP_KEY)
    app.extensions[APP_KEY] = clock
    try:
        with use(clock):
            yield clock
    finally:
        if previous is None:
            app.extensions.pop(APP_KEY, None)
        else:
            app.extensions[APP_KEY] = previous


def install_for_requests(app: Any) -> None:
    """Install the app's bound clock (if any) for the length of each request."""

    @app.before_request
    def _install_clock() -> None:
        clock = app.extensions.get(APP_KEY)
        if clock is not None:
            g._duo_clock_token = _current.set(clock)

    @app.teardown_request
    def _remove_clock(exc: BaseException | None) -> None:
        token = g.pop("_duo_clock_token", None)
        if token is not None:
            _current.reset(token)
