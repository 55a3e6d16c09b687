"""The one clock: a context variable that tests and the demo move; nothing patches modules."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from duo.core import clock
from duo.core.db import utcnow
from support import years_ago

AT = years_ago(3)  # any moment: the clock stands where it is told


def test_frozen_clock_stands_still_and_keeps_order() -> None:
    with clock.frozen(AT) as c:
        first, second = utcnow(), utcnow()
        assert first == AT and second == AT + clock.TICK
        c.advance(timedelta(days=8))
        assert utcnow() == AT + timedelta(days=8)
        c.set(AT + timedelta(days=300))
        assert utcnow() == AT + timedelta(days=300)
    assert clock.current() is None
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(minutes=1)  # real time again


def test_exact_clock_without_ticks() -> None:
    with clock.frozen(AT, step=timedelta(0)):
        assert {utcnow() for _ in range(3)} == {AT}


def test_advance_shifts_frozen_and_real_time() -> None:
    with clock.frozen(AT, step=timedelta(0)):
        with clock.advance(timedelta(weeks=1)):
            assert utcnow() == AT + timedelta(weeks=1)
        assert utcnow() == AT
    with clock.advance(timedelta(days=400)):
        shifted = utcnow()
    assert shifted - utcnow() > timedelta(days=399)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.Clock(AT.replace(tzinfo=None))


def test_other_threads_keep_real_time() -> None:
    seen: list[datetime] = []
    with clock.frozen(AT):
        thread = threading.Thread(target=lambda: seen.append(utcnow()))
        thread.start()
        thread.join()
    assert seen[0] > AT + timedelta(days=1)


def test_column_defaults_are_stamped_by_the_clock(db, tenants) -> None:
    from duo.core.auth.models import User

    with clock.frozen(AT):
        user = User(email="clock@example.org", name="Clock", password_hash="x")
        db.session.add(user)
        db.session.flush()
    stamped = user.created_at if user.created_at.tzinfo else user.created_at.replace(tzinfo=UTC)
    assert stamped == AT


def test_a_served_app_reads_its_bound_clock() -> None:
    """A live server's request threads start with an empty context: the app installs it."""
    from flask import Flask

    probe_app = Flask("probe")
    clock.install_for_requests(probe_app)
    seen: list[datetime] = []

    @probe_app.get("/")
    def probe() -> str:
        seen.append(utcnow())
        return "ok"

    with clock.serve(probe_app, AT, step=timedelta(0)) as c:
        thread = threading.Thread(target=lambda: probe_app.test_client().get("/"))
        thread.start()
        thread.join()
        c.advance(timedelta(days=30))
        probe_app.test_client().get("/")
    assert seen == [AT, AT + timedelta(days=30)]
    assert clock.APP_KEY not in probe_app.extensions
