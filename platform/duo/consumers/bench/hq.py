"""HQ's dashboard over the whole organisation at scale, and one branch's refresh.

The world: 50 branches (the ten real ones and clones of them) of 10,000 duos each
(``DUO_BENCH_HQ_BRANCHES`` / ``DUO_BENCH_HQ_DUOS`` make it smaller for a quick look), with
their mentees and mentors, histories, outcomes and survey answers written in bulk inside
each branch's scope, then every branch's rollups computed by the real refresh job.

``hq dashboard`` figure: HQ's ``/hq/`` page for a year (every indicator, every branch,
suppressed), warm. Baseline: **one** hand-written SQL aggregate over the raw tables (people
signed up, duos started, completed, stopped per branch in the year: a small part of what
the page shows), run on the same database, interleaved. The page must answer in under
300 ms and faster than that one query (ratio below 1).

``hq refresh one branch`` figure: a branch's rollups recomputed after a change (one more
candidate signed up: this month's cells move), as the debounced job does (goal: under
a second). Baseline: one hand-written statement counting the same branch's raw rows per
month (:data:`_RAW_BRANCH_COUNTS`), interleaved, so the ratio says what the count of every
measure costs over reading the rows, whatever the machine's speed that minute.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Flask
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.pool import NullPool

from duo.consumers.bench import Measurement, Stats, figure, interleaved
from duo.consumers.bench.world import fresh_app
from duo.core.auth.accounts import create_user, enrol_two_factor
from duo.core.db import db, utcnow
from duo.core.db.maintenance import analyze
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.duos import states as duo_states
from duo.duos.models import Duo, DuoStateChange
from duo.evaluation.models import EvaluationAnswer, Outcome
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, StateChange
from duo.people.pipeline import register
from duo.reporting.refresh import refresh_now

HQ_EMAIL = "bench.hq@example.org"
PASSWORD = "bench-password-2026"
YEAR = 2025
CHUNK = 5_000


def _size() -> tuple[int, int]:
    return (
        int(os.environ.get("DUO_BENCH_HQ_BRANCHES", "50")),
        int(os.environ.get("DUO_BENCH_HQ_DUOS", "10000")),
    )


@dataclass
class HqWorld:
    app: Flask
    branch_ids: list[int]
    duos_per_branch: int


def _clone_branches(wanted: int) -> list[int]:
    """The real branches, and clones of them (``brussels-2``...) up to ``wanted``."""
    real = db.session.execute(select(Tenant).order_by(Tenant.id)).scalars().all()
    ids = [t.id for t in real]
    n = 0
    while len(ids) < wanted:
        base = real[n % len(real)]
        copy_no = n // len(real) + 2
        clone = Tenant(
            slug=f"{base.slug}-{copy_no}",
            country=base.country,
            name={k: f"{v} {copy_no}" for k, v in base.name.items()},
            locales=list(base.locales),
            timezone=base.timezone,
            contact_email=base.contact_email,
            config={**base.config, "slug": f"{base.slug}-{copy_no}"},
            digest=f"{base.digest[:56]}{copy_no:08d}",
            active=True,
        )
        db.session.add(clone)
        db.session.flush()
        ids.append(clone.id)
        n += 1
    db.session.commit()
    return ids[:wanted]


def _bulk(model: type, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model.__table__), rows[start : start + CHUNK])


def _moment(rng: random.Random, first: dt.date, days: int) -> dt.datetime:
    day = first + dt.timedelta(days=rng.randint(0, days))
    return dt.datetime.combine(day, dt.time(9 + rng.randint(0, 8)), tzinfo=dt.UTC)


def seed_branch(tenant_id: int, duos: int, rng: random.Random) -> None:
    """``duos`` duos over five years, each with its mentee, a mentor (shared by about three
    duos), their histories, an outcome for most and two survey answers."""
    people: list[dict] = []
    changes: list[dict] = []
    duo_rows: list[dict] = []
    duo_changes: list[dict] = []
    outcomes: list[dict] = []
    answers: list[dict] = []
    first = dt.date(YEAR - 4, 1, 1)

    def person(role: str, created: dt.datetime, path: list[tuple[str, dt.datetime]]) -> uuid.UUID:
        pid = uuid.uuid4()
        people.append(
            {"tenant_id": tenant_id, "id": pid, "role": role, "first_name": "B",
             "last_name": f"{len(people):06d}", "email": f"b{len(people)}@example.org",
             "locale": "fr", "birth_year": created.year - (24 if role == MENTEE else 60),
             "state": path[-1][0], "state_changed_at": path[-1][1], "created_at": created}
        )  # fmt: skip
        previous = None
        for state, at in [(states.REGISTERED, created), *path]:
            changes.append({"tenant_id": tenant_id, "id": uuid.uuid4(), "person_id": pid,
                            "from_state": previous, "to_state": state, "at": at})  # fmt: skip
            previous = state
        return pid

    mentors: list[uuid.UUID] = []
    for k in range(duos):
        proposed = _moment(rng, first, 5 * 365 - 200)
        created = proposed - dt.timedelta(days=rng.randint(30, 120))
        eligible = created + dt.timedelta(days=20)
        alumni = proposed + dt.timedelta(days=200)
        path = [(states.ELIGIBLE, eligible), (states.MATCHED, proposed), (states.ALUMNI, alumni)]
        mentee = person(MENTEE, created, path)
        if k % 3 == 0 or not mentors:
            mentors.append(person(MENTOR, created, [(states.TRAINED, eligible),
                                                    (states.ALUMNI, proposed)]))  # fmt: skip
        mentor = mentors[-1 - rng.randint(0, min(5, len(mentors) - 1))]
        started = proposed + dt.timedelta(days=14)
        stopped = rng.random() < 0.1
        finished = started + dt.timedelta(days=rng.randint(30, 150) if stopped else 183)
        did = uuid.uuid4()
        state = duo_states.STOPPED if stopped else duo_states.EVALUATED
        duo_rows.append(
            {"tenant_id": tenant_id, "id": did, "mentee_id": mentee, "mentor_id": mentor,
             "state": state, "state_changed_at": finished, "proposed_at": proposed,
             "started_at": started, "ends_on": (started + dt.timedelta(days=183)).date(),
             "ended_at": finished}
        )  # fmt: skip
        steps = [(duo_states.PROPOSED, proposed), (duo_states.ACTIVE, started)]
        steps.append((duo_states.STOPPED, finished) if stopped else (duo_states.ENDED, finished))
        previous = None
        for to_state, at in steps:
            duo_changes.append(
                {"tenant_id": tenant_id, "id": uuid.uuid4(), "duo_id": did,
                 "from_state": previous, "to_state": to_state, "at": at}
            )  # fmt: skip
            previous = to_state
        if rng.random() < 0.8:
            status = rng.choices(("job", "training", "looking"), weights=(52, 20, 28))[0]
            outcomes.append(
                {"tenant_id": tenant_id, "id": uuid.uuid4(), "duo_id": did, "person_id": mentee,
                 "months_after": 6, "status": status,
                 "contract_type": "permanent" if status == "job" else None,
                 "recorded_at": finished + dt.timedelta(days=190), "by_coordinator": False}
            )  # fmt: skip
        for party, key in ((MENTEE, "autonomy"), (MENTOR, "useful_to_society")):
            answers.append(
                {"tenant_id": tenant_id, "id": uuid.uuid4(), "duo_id": did, "party": party,
                 "question_key": key, "question_version": 1,
                 "value": "4" if rng.random() < 0.9 else "2",
                 "answered_at": finished + dt.timedelta(days=5)}
            )  # fmt: skip
    for model, rows in (
        (Person, people),
        (StateChange, changes),
        (Duo, duo_rows),
        (DuoStateChange, duo_changes),
        (Outcome, outcomes),
        (EvaluationAnswer, answers),
    ):
        _bulk(model, rows)


@contextlib.contextmanager
def hq_world(branches: int | None = None, duos: int | None = None) -> Iterator[HqWorld]:
    wanted, per_branch = _size()
    branches = branches or wanted
    duos = duos or per_branch
    with fresh_app("duo-bench-hq-", "duo_bench") as (app, _folder, _url):
        with app.app_context():
            user = create_user(HQ_EMAIL, "Bench HQ", PASSWORD, hq=True, locale="en")
            enrol_two_factor(user)
            db.session.commit()
            ids = _clone_branches(branches)
            rng = random.Random(2026)
            for tenant_id in ids:
                with tenant_scope(tenant_id):
                    seed_branch(tenant_id, duos, rng)
                db.session.commit()
                refresh_now(tenant_id)
                db.session.commit()
            analyze()
        yield HqWorld(app, ids, duos)


def _owner_engine(built: HqWorld) -> Engine:
    """The baselines' connection: as the database's owner (``DUO_OWNER_DATABASE_URL``), as a
    person writing the SQL by hand would connect. The application's role would see no
    branch's rows on PostgreSQL (row-level security), and an aggregate of nothing is no
    baseline. No pool: nothing stays open when the world's database is dropped."""
    return _engine(built.app.config["DUO_OWNER_DATABASE_URL"])


@cache
def _engine(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool)


@cache
def _shared() -> HqWorld:
    manager = hq_world()
    built = manager.__enter__()
    atexit.register(manager.__exit__, None, None, None)
    return built


#: The baseline: one aggregate a person would write by hand over the raw tables.
RAW_AGGREGATE = text(
    """
    SELECT t.id, t.country,
           (SELECT count(*) FROM people p WHERE p.tenant_id = t.id
              AND p.created_at >= :start AND p.created_at < :end) AS signed_up,
           (SELECT count(*) FROM duos d WHERE d.tenant_id = t.id
              AND d.started_at >= :start AND d.started_at < :end) AS started,
           (SELECT count(*) FROM duos d WHERE d.tenant_id = t.id AND d.state = 'evaluated'
              AND d.ended_at >= :start AND d.ended_at < :end) AS completed,
           (SELECT count(*) FROM duos d WHERE d.tenant_id = t.id AND d.state = 'stopped'
              AND d.ended_at >= :start AND d.ended_at < :end) AS stopped
    FROM tenants t ORDER BY t.country, t.id
    """
)


def _raw_aggregate(built: HqWorld) -> None:
    """Run as HQ would have before rollups: across every branch at once, as the owner
    (:func:`_owner_engine`)."""
    start = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.UTC)
    with _owner_engine(built).connect() as conn:
        rows = conn.execute(RAW_AGGREGATE, {"start": start, "end": end}).all()
    assert rows and sum(row.started for row in rows) > 0  # it counted rows, not nothing


def _hq_client(built: HqWorld):
    from duo.core.auth.accounts import find_user
    from duo.core.auth.twofactor import current_code

    client = built.app.test_client()
    response = client.post("/login", data={"email": HQ_EMAIL, "password": PASSWORD})
    if response.headers.get("Location", "").endswith("/login/code"):
        with built.app.app_context():
            user = find_user(HQ_EMAIL)
            code = current_code(user.totp_secret, after_step=user.totp_last_step)
        client.post("/login/code", data={"code": code})
    return client


@figure("hq dashboard @50 branches x 10,000 duos", unit="ms", goal="< 300", ratio_goal="< 1")
def hq_dashboard() -> Measurement:
    built = _shared()
    client = _hq_client(built)
    url = f"/hq/?year={YEAR}"
    first = client.get(url)
    if first.status_code != 200:
        raise RuntimeError(f"{url} answered {first.status_code}")

    def ours() -> None:
        assert client.get(url).status_code == 200

    a, b = interleaved(ours, lambda: _raw_aggregate(built), rounds=9, warmup=2)
    return Measurement.in_ms(
        a, b, note=f"{len(built.branch_ids)} branches x {built.duos_per_branch} duos"
    )


def _a_candidate_signs_up() -> None:
    """A change that moves figures (this month's sign-ups, in every dimension row), written
    as the public sign-up writes it: the person and the first step of their history."""
    now = utcnow()
    register(
        Person(role=MENTEE, first_name="B", last_name="New", locale="nl", created_at=now,
               email=f"new.{uuid.uuid4().hex[:12]}@example.org", birth_year=now.year - 23),
        at=now,
    )  # fmt: skip
    db.session.commit()


#: The refresh's baseline: the branch's raw rows counted by hand in one statement, per month,
#: from every table the refresh reads (sign-ups, history steps, duos' steps, outcomes,
#: survey answers). A small part of what the refresh computes (no person's path, no
#: dimension, no wait, no outcome window), but the same rows to read.
_RAW_BRANCH_COUNTS = """
    SELECT 'signed_up', {created_at}, count(*) FROM people WHERE tenant_id = :t GROUP BY 2
    UNION ALL SELECT to_state, {at}, count(*) FROM person_state_changes
      WHERE tenant_id = :t GROUP BY 1, 2
    UNION ALL SELECT to_state, {at}, count(*) FROM duo_state_changes
      WHERE tenant_id = :t GROUP BY 1, 2
    UNION ALL SELECT state, {proposed_at}, count(*) FROM duos WHERE tenant_id = :t GROUP BY 1, 2
    UNION ALL SELECT status, {recorded_at}, count(*) FROM outcomes
      WHERE tenant_id = :t GROUP BY 1, 2
    UNION ALL SELECT party || question_key || value, {answered_at}, count(*)
      FROM evaluation_answers WHERE tenant_id = :t GROUP BY 1, 2
"""
#: Each moment's month, as text: SQLite keeps moments as ISO text.
_MONTH = {"postgresql": "to_char({}, 'YYYY-MM')", "sqlite": "substr({}, 1, 7)"}


def _raw_branch_counts(built: HqWorld, tenant_id: int) -> None:
    with _owner_engine(built).connect() as conn:
        month = _MONTH[conn.dialect.name]
        moments = ("created_at", "at", "proposed_at", "recorded_at", "answered_at")
        sql = _RAW_BRANCH_COUNTS.format(**{name: month.format(name) for name in moments})
        rows = conn.execute(text(sql), {"t": tenant_id}).all()
    assert sum(row[2] for row in rows) > 0  # it counted rows, not nothing


@figure("hq refresh one branch after a change @10,000 duos", unit="ms", goal="< 1000")
def hq_refresh_one_branch() -> Measurement:
    """Each round: a candidate signs up (not timed), the branch is refreshed, then the
    baseline counts the same branch's raw rows by hand (A B A B: a slow spell of the
    machine slows both, and the ratio shows it)."""
    built = _shared()
    tenant_id = built.branch_ids[0]
    ours: list[float] = []
    baseline: list[float] = []
    with built.app.app_context():
        for _round in range(9):
            with tenant_scope(tenant_id):
                _a_candidate_signs_up()
            started = time.perf_counter()
            refresh_now(tenant_id)
            db.session.commit()
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            _raw_branch_counts(built, tenant_id)
            baseline.append(time.perf_counter() - started)
    return Measurement.in_ms(
        Stats.of(ours), Stats.of(baseline), note=f"{built.duos_per_branch} duos in the branch"
    )
