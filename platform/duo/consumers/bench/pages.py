"""Coordinator pages at the size of the biggest branch, each beside a bare Flask page.

Baseline: a bare Flask application (no database, no login, no tenancy, no translations)
whose one route renders a Jinja template producing the same number of bytes as the real
page, requested through the same kind of test client. The two are requested alternately
(A B A B ...) in the same run, so the ratio says how much the platform's own work per
request costs over Flask and Jinja doing nothing but rendering (goal: at most 3x).

Each page also gets a row for the SQL statements one request runs (goal: at most 10,
whatever the size of the branch).
"""

from __future__ import annotations

import atexit
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from flask import Flask
from sqlalchemy import event

from duo.consumers.bench import Measurement, figure, interleaved
from duo.consumers.bench.bare import bare_app
from duo.consumers.bench.world import BIG_BRANCH, World, world
from duo.core.db import db


@cache
def _shared_world() -> tuple[World, Iterator[World]]:
    manager = world()
    built = manager.__enter__()  # kept for the whole bench run: seeding is the slow part
    atexit.register(manager.__exit__, None, None, None)
    return built, manager


def _login(built: World):
    return built.client()


#: Not the page's own work (as in the tests' ``count_queries``): transaction control, the
#: row-level security setting, and the staff session's "last seen" (once a minute at most).
NOT_THE_PAGE = re.compile(
    r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN|SET LOCAL duo\."
    r"|UPDATE staff_sessions)",
    re.IGNORECASE,
)


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if not NOT_THE_PAGE.match(statement):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _page(path: Callable[[World], str]) -> Callable[[], Measurement]:
    def measure() -> Measurement:
        built, _ = _shared_world()
        client = _login(built)
        url = path(built)
        first = client.get(url)
        if first.status_code != 200:
            raise RuntimeError(f"{url} answered {first.status_code}")
        size = len(first.data)
        bare = bare_app().test_client()

        def ours() -> None:
            assert client.get(url).status_code == 200

        def baseline() -> None:
            assert bare.get(f"/{size}").status_code == 200

        a, b = interleaved(ours, baseline, rounds=15, warmup=2)
        return Measurement.in_ms(
            a, b, note=f"{size // 1024} KB, {built.counts.get('people', 0)} people"
        )

    return measure


def _statements(path: Callable[[World], str]) -> Callable[[], Measurement]:
    def measure() -> Measurement:
        built, _ = _shared_world()
        client = _login(built)
        url = path(built)
        client.get(url)
        with counting_statements(built.app) as statements:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return Measurement(float(len(statements)))

    return measure


PAGES: dict[str, Callable[[World], str]] = {
    "dashboard": lambda w: f"/{BIG_BRANCH}/",
    "people list": lambda w: f"/{BIG_BRANCH}/people/",
    "person": lambda w: f"/{BIG_BRANCH}/people/{w.person_id}",
    "duos list": lambda w: f"/{BIG_BRANCH}/duos/",
    "duo": lambda w: f"/{BIG_BRANCH}/duos/{w.duo_id}",
    "training cycle": lambda w: f"/{BIG_BRANCH}/training/cycles/{w.cycle_id}",
}

for _name, _path in PAGES.items():
    figure(f"page {_name} @5000 people", unit="ms", ratio_goal="<= 3")(_page(_path))
    figure(f"page {_name} @5000 people: SQL statements", unit="statements", goal="<= 10")(
        _statements(_path)
    )
