"""Benchmark figures of the matching *page* (``make bench``; never part of ``make test``).

"matching page 1000x900": a coordinator opens the session page of a branch whose pool holds
1,000 waiting mentees and 900 trained mentors, each with an intake profile. The page reads
the pool, runs the whole-pool suggestion and shows the first page of suggested pairs with
their explanations folded, the alternatives by score, and everyone left unmatched grouped by
reason; an alternative's details come from a small request of their own when opened. Three
rows:

* server time: the median of GETs through Flask's test client, interleaved (A B A B) with a
  bare Flask page rendering the same number of bytes (:func:`duo.consumers.bench.pages
  .bare_app`), after warm-ups (goal: under 300 ms);
* size of the HTML (goal: under 300 KB);
* SQL statements of one GET, transaction bookkeeping (BEGIN, savepoints) left out as the
  tests' ``count_queries`` leaves it out (goal: at most 10; the tests assert it at two pool
  sizes).

The figures build their own world: a temporary SQLite database (or a throw-away PostgreSQL
database when ``DATABASE_URL`` is set), migrated and loaded with the branch files, its own
application from :func:`duo.app.create_app`, an enrolled coordinator of Brussels, and the
synthetic pool of :mod:`duo.consumers.bench.synthetic` (Belgian languages and postcodes)
written as real people, profiles, history and training attendance with bulk inserts.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from flask import Flask
from sqlalchemy import event, insert, select

from duo.consumers.bench import Measurement, figure, interleaved
from duo.consumers.bench.matching import cpu_seconds
from duo.consumers.bench.pages import bare_app
from duo.consumers.bench.synthetic import make_pool
from duo.consumers.bench.world import fresh_app
from duo.core.auth.accounts import create_user, enrol_two_factor
from duo.core.auth.models import User
from duo.core.auth.twofactor import current_code
from duo.core.db import db, new_id, utcnow
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange
from duo.training.models import Attendance, TrainingSession
from duo.training.past import past_cycle

BRANCH = "brussels"
PASSWORD = "bench-password-2026"
EMAIL = "bench.matching@example.org"
MENTEES, MENTORS = 1000, 900
#: Not counted as statements, as in the tests' ``count_queries``: transaction bookkeeping.
_TRANSACTION_NOISE = re.compile(
    r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN|SET LOCAL duo\."
    r"|UPDATE staff_sessions)",
    re.IGNORECASE,
)


def _seed(app: Flask, n_mentees: int, n_mentors: int) -> None:
    """The synthetic pool as people of the branch, with everything the page reads."""
    pool = make_pool(n_mentees, n_mentors)
    now = utcnow()
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        user = create_user(EMAIL, "Bench Coordinator", PASSWORD, branches=[BRANCH], locale="en")
        enrol_two_factor(user)
        with tenant_scope(tenant.id):
            # The mentors' training, as a branch moving in records it: a past cycle, one
            # session per required module (their attendance is written below, in bulk).
            cycle = past_cycle(tenant, (now - dt.timedelta(days=90)).date())
            sessions = (
                db.session.execute(
                    select(TrainingSession).where(TrainingSession.cycle_id == cycle.id)
                )
                .scalars()
                .all()
            )
            people, profiles, changes, attendance = [], [], [], []
            for k, e in enumerate(pool.mentees):
                pid = new_id()
                state = states.ELIGIBLE if e.eligible else states.NEEDS_REVIEW
                since = dt.datetime.combine(e.waiting_since, dt.time(12), tzinfo=dt.UTC)
                people.append(
                    {
                        "tenant_id": tenant.id,
                        "id": pid,
                        "role": MENTEE,
                        "first_name": f"Mentee{k}",
                        "last_name": f"Bench{k:04d}",
                        "email": f"mentee{k}@example.org",
                        "locale": "fr",
                        "state": state,
                        "state_changed_at": since,
                        "waiting_since": since if state == states.ELIGIBLE else None,
                    }
                )
                changes.append(
                    {
                        "tenant_id": tenant.id,
                        "id": new_id(),
                        "person_id": pid,
                        "from_state": states.INTAKE_DONE,
                        "to_state": state,
                        "at": since,
                    }
                )
                profiles.append(
                    {
                        "tenant_id": tenant.id,
                        "id": new_id(),
                        "person_id": pid,
                        "languages": dict(e.languages),
                        "availability": sorted(e.availability),
                        "interests": sorted(e.interests),
                        "personality": sorted(e.personality),
                        "digital_skills": e.digital_skills,
                        "postcode": e.postcode,
                        "target_sector": e.target_sector,
                        "help_questions": sorted(e.help_questions),
                    }
                )
            for k, m in enumerate(pool.mentors):
                pid = new_id()
                people.append(
                    {
                        "tenant_id": tenant.id,
                        "id": pid,
                        "role": MENTOR,
                        "first_name": f"Mentor{k}",
                        "last_name": f"Bench{k:04d}",
                        "email": f"mentor{k}@example.org",
                        "locale": "fr",
                        "state": states.TRAINED,
                        "state_changed_at": now - dt.timedelta(days=30),
                    }
                )
                profiles.append(
                    {
                        "tenant_id": tenant.id,
                        "id": new_id(),
                        "person_id": pid,
                        "languages": dict(m.languages),
                        "availability": sorted(m.availability),
                        "interests": sorted(m.interests),
                        "personality": sorted(m.personality),
                        "digital_skills": m.digital_skills,
                        "postcode": m.postcode,
                        "sectors": sorted(m.sectors),
                        "help_questions": sorted(m.expertise),
                        "years_experience": m.years_experience,
                    }
                )
                if m.trained:
                    attendance.extend(
                        {
                            "tenant_id": tenant.id,
                            "id": new_id(),
                            "session_id": s.id,
                            "person_id": pid,
                        }
                        for s in sessions
                    )
            for model, rows in (
                (Person, people),
                (StateChange, changes),
                (Profile, profiles),
                (Attendance, attendance),
            ):
                for chunk in range(0, len(rows), 2000):
                    db.session.execute(insert(model), rows[chunk : chunk + 2000])
            db.session.commit()


@dataclass
class _World:
    app: Flask
    client: object
    url: str


@contextlib.contextmanager
def _build() -> Iterator[_World]:
    with fresh_app("duo-bench-matching-", "duo_bench_matching") as (app, _folder, _url):
        _seed(app, MENTEES, MENTORS)
        client = app.test_client()
        response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
        if response.headers.get("Location", "").endswith("/login/code"):
            with app.app_context():
                user = db.session.execute(select(User).where(User.email == EMAIL)).scalar_one()
                code = current_code(user.totp_secret, after_step=user.totp_last_step)
            response = client.post("/login/code", data={"code": code})
        if response.status_code != 302:
            status = response.status_code
            raise RuntimeError(f"the bench coordinator could not log in ({status})")
        start = client.post(f"/{BRANCH}/matching/sessions")
        if start.status_code != 302:
            raise RuntimeError(f"starting a matching session answered {start.status_code}")
        yield _World(app, client, start.headers["Location"])


@cache
def _world() -> _World:
    manager = _build()
    built = manager.__enter__()  # kept for the three figures: seeding is the slow part
    atexit.register(manager.__exit__, None, None, None)
    return built


def _get(built: _World) -> bytes:
    page = built.client.get(built.url)
    if page.status_code != 200:
        raise RuntimeError(f"the matching page answered {page.status_code}")
    return page.data


@figure(f"matching page {MENTEES}x{MENTORS} render", unit="ms", goal="< 300")
def matching_page_render() -> Measurement:
    """GET of the open session page over a pool of 1,000 mentees and 900 mentors."""
    built = _world()
    size = len(_get(built))
    bare = bare_app().test_client()
    ours, baseline = interleaved(
        lambda: _get(built), lambda: bare.get(f"/{size}"), rounds=10, warmup=2
    )
    cpu = statistics.median(cpu_seconds(lambda: _get(built)) for _ in range(5)) * 1000
    return Measurement.in_ms(ours, baseline, note=f"{size // 1024} KB of HTML, CPU {cpu:.0f} ms")


@figure(f"matching page {MENTEES}x{MENTORS}: HTML size", unit="KB", goal="< 300")
def matching_page_size() -> Measurement:
    """Size of the open session page's HTML (first page of pairs)."""
    return Measurement(len(_get(_world())) / 1024)


@figure(f"matching page {MENTEES}x{MENTORS}: SQL statements", unit="statements", goal="<= 10")
def matching_page_statements() -> Measurement:
    """SQL statements one GET of the open session page runs."""
    built = _world()
    _get(built)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if not _TRANSACTION_NOISE.match(statement):
            statements.append(statement)

    with built.app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        _get(built)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return Measurement(float(len(statements)))
