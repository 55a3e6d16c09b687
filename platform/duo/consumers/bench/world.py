"""The bench's own world: a migrated database with branches the size of the real ones.

``make bench`` must measure pages at the size of the biggest branch (Brussels has run more
than 2,600 duos), not at the size of the demo. The demo seeds through the domain's functions
one person at a time, which is right for a story and far too slow for 5,000 people; here
rows are written with bulk ``INSERT``s of the same tables, inside each branch's own tenant
scope, so every row is as the application would have written it (states, history, profiles,
duos) and row-level security on PostgreSQL sees nothing unusual.

The same seed gives the same world. SQLite by default (a temporary file); PostgreSQL when
``DATABASE_URL`` is set (a throw-away database on that server, dropped afterwards).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select

from duo.app import create_app
from duo.consumers.bench.synthetic import SECTORS
from duo.core.auth.accounts import create_user, enrol_two_factor
from duo.core.auth.twofactor import current_code
from duo.core.db import db, utcnow
from duo.core.db.maintenance import analyze
from duo.core.db.scratch import throwaway_database
from duo.core.settings import REPO_ROOT, Settings
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.sync import sync_from_path
from duo.duos import states as duo_states
from duo.duos.models import Duo, DuoStateChange
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange
from duo.training import curriculum, planning
from duo.training.models import Attendance, Enrolment
from duo.training.schedule import Rhythm

BIG_BRANCH = "brussels"
PASSWORD = "bench-password-2026"
EMAIL = "bench.coordinator@example.org"
CHUNK = 2_000


@dataclass
class World:
    """What a page figure needs: the app, its coordinator and a few ids to open."""

    app: Flask
    tenant_id: int
    folder: Path = Path()
    database_url: str = ""
    person_id: uuid.UUID | None = None
    duo_id: uuid.UUID | None = None
    counts: dict[str, int] = field(default_factory=dict)
    totp_secret: str = ""
    cycle_id: uuid.UUID | None = None
    mentor_ids: list[uuid.UUID] = field(default_factory=list)
    _client: Any = field(default=None, repr=False)

    def client(self):
        """The bench coordinator's test client, logged in once for the whole run.

        Once: an authenticator code is accepted once, so a second login within the same
        30 seconds would be refused, as it is for a person.
        """
        if self._client is None:
            client = self.app.test_client()
            self.log_in(client)
            self._client = client
        return self._client

    def log_in(self, client) -> None:
        """Log ``client`` in as the bench coordinator: password, then the authenticator code."""
        first = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
        if first.status_code != 302:
            raise RuntimeError(f"the bench coordinator could not log in ({first.status_code})")
        second = client.post("/login/code", data={"code": current_code(self.totp_secret)})
        if second.status_code != 302:
            raise RuntimeError(f"the bench coordinator's code was refused ({second.status_code})")


def _settings(folder: Path, database_url: str) -> Settings:
    return Settings(
        instance_path=folder,
        secret_key="bench",
        database_url=database_url,
        redis_url=None,
        tenants_path=REPO_ROOT / "tenants",
    )


@contextlib.contextmanager
def _database(folder: Path, name: str) -> Iterator[str]:
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    with throwaway_database(base, name) as url:
        yield url


@contextlib.contextmanager
def fresh_app(prefix: str, database: str) -> Iterator[tuple[Flask, Path, str]]:
    """(app, its folder, its database URL): migrated, with the branches of ``tenants/``.

    The database is a throw-away one named ``database`` (SQLite in the temporary folder
    ``prefix…`` without ``DATABASE_URL``); its connections are closed on the way out.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp, _database(Path(tmp), database) as url:
        settings = _settings(Path(tmp), url)
        app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}, settings)
        with app.app_context():
            upgrade(revision="heads")
            sync_from_path(settings.tenants_path)
            db.session.commit()
        try:
            yield app, Path(tmp), url
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@contextlib.contextmanager
def world(people: int = 5_000, duos: int = 2_600, *, seed: int = 2026) -> Iterator[World]:
    """A migrated database with one branch of ``people`` people and ``duos`` duos."""
    with fresh_app("duo-bench-", "duo_bench") as (app, folder, url):
        with app.app_context():
            tenant = db.session.execute(
                select(Tenant).where(Tenant.slug == BIG_BRANCH)
            ).scalar_one()
            user = create_user(
                EMAIL, "Bench Coordinator", PASSWORD, branches=[BIG_BRANCH], locale="en"
            )
            secret, _codes = enrol_two_factor(user)
            db.session.commit()
            built = World(app, tenant.id, folder, url, totp_secret=secret)
            with tenant_scope(tenant.id):
                seed_branch(built, people, duos, random.Random(seed))
                seed_training(built, tenant, enrolled=30)
            db.session.commit()
            analyze()
        yield built


def _bulk(model: type, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def seed_branch(target: World, people: int, duos: int, rng: random.Random) -> None:
    """Mentees and mentors at every step of the pipeline, and duos in every state.

    About a third of the people are mentors; the duos pair the first mentees and mentors
    (each mentor may have had several duos over the years, as real mentors do).
    """
    now = utcnow()
    tenant_id = target.tenant_id
    n_mentors = max(1, people // 3)
    n_mentees = people - n_mentors
    pipeline = (
        states.REGISTERED,
        states.ATTENDED,
        states.INTAKE_DONE,
        states.ELIGIBLE,
        states.NEEDS_REVIEW,
    )
    person_rows: list[dict[str, Any]] = []
    history_rows: list[dict[str, Any]] = []
    profile_rows: list[dict[str, Any]] = []
    mentee_ids: list[uuid.UUID] = []
    mentor_ids: list[uuid.UUID] = []
    for k in range(people):
        role = MENTEE if k < n_mentees else MENTOR
        pid = uuid.uuid4()
        (mentee_ids if role == MENTEE else mentor_ids).append(pid)
        state = rng.choice(pipeline) if role == MENTEE else states.TRAINED
        created = now - dt.timedelta(days=rng.randint(1, 3650))
        person_rows.append(
            {
                "tenant_id": tenant_id,
                "id": pid,
                "role": role,
                "first_name": f"{role.title()}{k}",
                "last_name": f"Bench{k:05d}",
                "email": f"bench{k}@example.org",
                "locale": rng.choice(("fr", "nl", "en")),
                "state": state,
                "state_changed_at": created,
                "waiting_since": created if states.starts_a_wait(None, state) else None,
                "created_at": created,
            }
        )
        history_rows.append(
            {
                "tenant_id": tenant_id,
                "id": uuid.uuid4(),
                "person_id": pid,
                "from_state": None,
                "to_state": state,
                "at": created,
            }
        )
        profile_rows.append(
            {
                "tenant_id": tenant_id,
                "id": uuid.uuid4(),
                "person_id": pid,
                "postcode": str(1000 + rng.randint(0, 210)),
                "languages": {"fr": "C1", "nl": rng.choice(("A2", "B1", "B2"))},
                "availability": sorted(rng.sample(["mon_am", "tue_pm", "wed_am", "thu_pm"], 2)),
                "interests": [],
                "personality": [],
                "help_questions": ["cv"],
                "sectors": [rng.choice(SECTORS)] if role == MENTOR else [],
                "target_sector": rng.choice(SECTORS) if role == MENTEE else None,
                "updated_at": created,
            }
        )
    _bulk(Person, person_rows)
    _bulk(StateChange, history_rows)
    _bulk(Profile, profile_rows)

    duo_rows: list[dict[str, Any]] = []
    duo_history: list[dict[str, Any]] = []
    closed = (duo_states.ENDED, duo_states.EVALUATED, duo_states.STOPPED)
    for k in range(min(duos, len(mentee_ids))):
        proposed = now - dt.timedelta(days=rng.randint(30, 3650))
        # The open-duo unique indexes allow one open duo per person: only the last
        # few hundred are open, the rest are history.
        state = duo_states.ACTIVE if k >= duos - 300 else rng.choice(closed)
        did = uuid.uuid4()
        duo_rows.append(
            {
                "tenant_id": tenant_id,
                "id": did,
                "mentee_id": mentee_ids[k],
                "mentor_id": mentor_ids[k % len(mentor_ids)]
                if state in closed
                else mentor_ids[(k - (duos - 300)) % len(mentor_ids)],
                "state": state,
                "state_changed_at": proposed + dt.timedelta(days=180),
                "proposed_at": proposed,
                "started_at": proposed + dt.timedelta(days=14),
                "ends_on": (proposed + dt.timedelta(days=194)).date(),
            }
        )
        duo_history.append(
            {
                "tenant_id": tenant_id,
                "id": uuid.uuid4(),
                "duo_id": did,
                "from_state": None,
                "to_state": state,
                "at": proposed,
            }
        )
    _bulk(Duo, duo_rows)
    _bulk(DuoStateChange, duo_history)
    target.person_id = mentee_ids[0]
    target.duo_id = duo_rows[-1]["id"] if duo_rows else None
    target.counts = {"people": people, "duos": len(duo_rows)}
    target.mentor_ids = mentor_ids


def seed_training(target: World, tenant: Tenant, enrolled: int) -> None:
    """A mentor training cycle planned by the domain's own planner, half of it held.

    ``enrolled`` mentors are enrolled in the whole cycle and present at the sessions
    already held: the cycle page shows them with their attendance.
    """
    start = (utcnow() - dt.timedelta(days=28)).date()
    plan = planning.CyclePlan(
        title="Bench mentor training",
        kind="modules",
        start_date=start,
        rhythm=Rhythm((start.weekday(),), dt.time(9), dt.time(12)),
        module_keys=[m.key for m in curriculum.modules(tenant.config)],
    )
    cycle = planning.create_cycle(tenant, plan, language="en")
    db.session.flush()
    now = utcnow()
    people = target.mentor_ids[:enrolled]
    _bulk(
        Enrolment,
        [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "cycle_id": cycle.id,
                "person_id": pid,
                "requested_at": now,
                "enrolled_at": now,
            }
            for pid in people
        ],
    )
    held = [s for s in cycle.sessions if s.starts_at < now]
    _bulk(
        Attendance,
        [
            {"tenant_id": tenant.id, "id": uuid.uuid4(), "session_id": s.id, "person_id": pid}
            for s in held
            for pid in people
        ],
    )
    target.cycle_id = cycle.id
