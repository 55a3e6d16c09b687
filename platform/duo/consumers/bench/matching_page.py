"""Benchmark figure of the matching *page* (``make bench``; never part of ``make test``).

"matching page 200x300 render": a coordinator opens the session page of a branch whose pool
holds 200 waiting mentees and 300 trained mentors, each with an intake profile, and the page
is rendered in full (pool read, whole-pool suggestion, explanations of every suggested pair
and of three alternatives per mentee, reasons for everyone left unmatched). The figure is the
median of 10 GETs through Flask's test client, interleaved with a bare Flask page of the
same size (see :mod:`duo.consumers.bench.pages`), after warm-ups.

The figure builds its own world: a temporary instance folder with a SQLite database, migrated
and loaded with the branch files, its own application from :func:`duo.app.create_app`, a
coordinator of Brussels, and the synthetic pool of :mod:`duo.consumers.bench.synthetic` (Belgian
languages and postcodes) written as real people, profiles, history and training attendance.
The goal is absolute (a page that answers within 300 ms), the ratio shows where the time goes.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from duo.app import create_app
from duo.consumers.bench import Measurement, figure, interleaved
from duo.consumers.bench.pages import bare_app
from duo.consumers.bench.synthetic import make_pool
from duo.core.auth.accounts import create_user
from duo.core.db import db, utcnow
from duo.core.settings import REPO_ROOT, Settings
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.sync import sync_from_path
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange
from duo.training.curriculum import required_keys
from duo.training.models import Attendance, TrainingCycle, TrainingSession

BRANCH = "brussels"
PASSWORD = "bench-password-2026"
EMAIL = "bench.coordinator@example.org"


def _seed(app, n_mentees: int, n_mentors: int) -> None:
    """The synthetic pool as people of the branch, with everything the page reads."""
    pool = make_pool(n_mentees, n_mentors)
    now = utcnow()
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == BRANCH)).scalar_one()
        create_user(EMAIL, "Bench Coordinator", PASSWORD, branches=[BRANCH], locale="en")
        with tenant_scope(tenant.id):
            keys = required_keys(tenant.config, MENTOR)
            start = now - dt.timedelta(days=90)
            cycle = TrainingCycle(
                title="Mentor training",
                module_keys=keys,
                audience="mentors",
                start_date=start.date(),
                weekdays=[start.weekday()],
                start_time=dt.time(9),
                end_time=dt.time(12),
                timezone=tenant.timezone,
            )
            db.session.add(cycle)
            db.session.flush()
            sessions = [
                TrainingSession(
                    cycle_id=cycle.id,
                    index=i,
                    module_key=key,
                    starts_at=start + dt.timedelta(days=7 * i),
                    ends_at=start + dt.timedelta(days=7 * i, hours=3),
                )
                for i, key in enumerate(keys)
            ]
            db.session.add_all(sessions)
            db.session.flush()
            for k, e in enumerate(pool.mentees):
                person = Person(
                    role=MENTEE,
                    first_name=f"Mentee{k}",
                    last_name=f"Bench{k:04d}",
                    email=f"mentee{k}@example.org",
                    locale="fr",
                    state=states.ELIGIBLE if e.eligible else states.NEEDS_REVIEW,
                )
                db.session.add(person)
                db.session.flush()
                since = dt.datetime.combine(e.waiting_since, dt.time(12), tzinfo=dt.UTC)
                db.session.add(
                    StateChange(
                        person_id=person.id,
                        from_state=states.INTAKE_DONE,
                        to_state=person.state,
                        at=since,
                    )
                )
                db.session.add(
                    Profile(
                        person_id=person.id,
                        languages=dict(e.languages),
                        availability=sorted(e.availability),
                        interests=sorted(e.interests),
                        personality=sorted(e.personality),
                        digital_skills=e.digital_skills,
                        postcode=e.postcode,
                        target_sector=e.target_sector,
                        help_questions=sorted(e.help_questions),
                    )
                )
            for k, m in enumerate(pool.mentors):
                person = Person(
                    role=MENTOR,
                    first_name=f"Mentor{k}",
                    last_name=f"Bench{k:04d}",
                    email=f"mentor{k}@example.org",
                    locale="fr",
                    state=states.TRAINED,
                )
                db.session.add(person)
                db.session.flush()
                db.session.add(
                    Profile(
                        person_id=person.id,
                        languages=dict(m.languages),
                        availability=sorted(m.availability),
                        interests=sorted(m.interests),
                        personality=sorted(m.personality),
                        digital_skills=m.digital_skills,
                        postcode=m.postcode,
                        sectors=sorted(m.sectors),
                        help_questions=sorted(m.expertise),
                        years_experience=m.years_experience,
                    )
                )
                if m.trained:
                    db.session.add_all(
                        Attendance(session_id=s.id, person_id=person.id) for s in sessions
                    )
            db.session.commit()


@figure("matching page 200x300 render", unit="ms", goal="< 300")
def matching_page_200x300() -> Measurement:
    """GET of a matching session page over a pool of 200 mentees and 300 mentors."""
    with tempfile.TemporaryDirectory(prefix="duo-bench-") as tmp:
        folder = Path(tmp)
        settings = Settings(
            instance_path=folder,
            secret_key="bench",
            database_url=f"sqlite:///{folder / 'bench.sqlite3'}",
            redis_url=None,
            tenants_path=REPO_ROOT / "tenants",
        )
        app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}, settings)
        with app.app_context():
            upgrade(revision="heads")
            sync_from_path(settings.tenants_path)
            db.session.commit()
        _seed(app, 200, 300)

        client = app.test_client()
        response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
        assert response.status_code == 302, "the bench coordinator could not log in"
        url = client.post(f"/{BRANCH}/matching/sessions").headers["Location"]

        size = len(client.get(url).data)
        bare = bare_app().test_client()

        def get() -> None:
            page = client.get(url)
            assert page.status_code == 200, page.status_code

        ours, baseline = interleaved(get, lambda: bare.get(f"/{size}"), rounds=10, warmup=1)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return Measurement(
        ours.median * 1000,
        baseline.median * 1000,
        p95=ours.p95 * 1000,
        baseline_p95=baseline.p95 * 1000,
        note=f"{size // 1024} KB of HTML",
    )
