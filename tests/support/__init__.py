"""What tests share: the test database and app, factories, logged-in clients, job running.

Fixtures are registered for every test by ``tests/conftest.py`` (``pytest_plugins``); the
plain helpers are imported by name (``from support import make_session, run_jobs``). Beside
this module: ``support.history`` (a branch's dated history, for reporting) and
``support.smtp`` (a real SMTP server). Test modules define no factories or fixtures of their
own that another module would need, and import nothing from one another.

Dates are relative to the project's one clock (:func:`today`, :func:`days_from_today`,
:func:`a_monday`, :func:`future`, :func:`past`, :func:`years_ago`), never in a fixed year; a
test about a calendar rule may stand on fixed days, derived from one anchor that says why.

Backends are real: SQLite by default; PostgreSQL when ``DATABASE_URL`` is set (each test
session creates its own database and drops it afterwards); Redis when ``REDIS_URL`` is set.
Under ``CI=true`` a configured service that cannot be reached fails the run instead of
skipping.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.orm import scoped_session, sessionmaker

from appfactory import (
    CI,
    DATABASE_URL,
    PASSWORD,
    REDIS_URL,
    build_app,
    log_in,
    make_settings,
    migrate_and_load,
    postgres_database,
)
from duo.consumers.bench.synthetic import TODAY as SYNTHETIC_TODAY
from duo.core.auth.accounts import create_user as _create
from duo.core.auth.accounts import enrol_two_factor
from duo.core.clock import Clock, frozen
from duo.core.db import PlainSession, utcnow
from duo.core.db import db as app_db
from duo.core.jobs import dispatch
from duo.core.jobs.models import OutboxJob
from duo.core.mail.models import OutgoingMail
from duo.core.settings import REPO_ROOT
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.matching.profiles import MenteeProfile, MentorProfile
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange
from duo.privacy.models import Consent
from duo.sessions.models import InfoSession, Registration
from duo.sessions.signup import SignupRequest
from duo.training import curriculum, enrolment, planning
from duo.training.models import MODULES, WORKSHOP, Attendance, TrainingCycle, TrainingSession
from duo.training.schedule import Rhythm

__all__ = ["CI", "DATABASE_URL", "PASSWORD", "REDIS_URL"]


def fuzz_settings(examples: int) -> Any:
    """Hypothesis settings of the fuzz tests: ``examples`` cases, the same ones every run."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )


def need(condition: bool, reason: str) -> None:
    """Skip visibly on a developer's machine; fail under CI where everything must run."""
    if condition:
        return
    if CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    if not DATABASE_URL:
        yield None
        return
    with postgres_database(DATABASE_URL) as url:
        yield url


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, database_url: str | None) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("instance")
    application = build_app(make_settings(tmp, database_url))
    migrate_and_load(application)
    yield application
    with application.app_context():
        app_db.session.remove()
        app_db.engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[object]:
    """The app's ``db`` with a session bound to one connection rolled back after the test."""
    _db = app_db
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = scoped_session(
            sessionmaker(
                class_=PlainSession, bind=connection, join_transaction_mode="create_savepoint"
            ),
            scopefunc=original.registry.scopefunc,
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def postgres_only() -> None:
    """For a module of PostgreSQL-only tests (row-level security):
    ``pytestmark = pytest.mark.usefixtures("postgres_only")``."""
    need(bool(DATABASE_URL), "DATABASE_URL is not set: PostgreSQL row-level security tests skipped")


def raw_sql(sql: str) -> sa.TextClause:
    """Raw SQL through the session on purpose: the tests of the second layer (RLS) use it."""
    return sa.text(sql).execution_options(duo_raw_sql=True)


@pytest.fixture
def tenants(db) -> dict[str, object]:
    return {t.slug: t for t in db.session.execute(select(Tenant)).scalars()}


@pytest.fixture
def in_tenant(tenants):
    """``with in_tenant("brussels"):`` works for that branch inside the block."""

    def enter(slug: str):
        return tenant_scope(tenants[slug].id)

    return enter


# --------------------------------------------------------------------------- tenant files

#: The real ``tenants/`` folder, read by the config tests.
TENANTS_DIR = REPO_ROOT / "tenants"


@pytest.fixture
def tenants_copy(tmp_path: Path) -> Path:
    """A private copy of the real ``tenants/`` folder, for a test to break."""
    copy = tmp_path / "tenants"
    shutil.copytree(TENANTS_DIR, copy)
    return copy


# --------------------------------------------------------------------------- factories


@pytest.fixture
def create_user(db) -> Callable[..., object]:
    counter = iter(range(1, 10_000))

    def factory(
        branches: Sequence[str] = (), hq: bool = False, enrolled: bool = True, **kwargs: Any
    ) -> Any:
        """A staff user; ``enrolled`` (the default) gives them an authenticator already."""
        n = next(counter)
        email = kwargs.pop("email", None) or f"user{n}-{uuid.uuid4().hex[:6]}@test.duo"
        user = _create(
            email,
            kwargs.pop("name", f"User {n}"),
            PASSWORD,
            branches=list(branches),
            hq=hq,
            **kwargs,
        )
        if enrolled:
            enrol_two_factor(user)
            db.session.flush()
        return user

    return factory


@pytest.fixture
def create_person(db, tenants) -> Callable[..., object]:
    def factory(branch: str, **values: object) -> object:
        defaults = {
            "role": "mentee",
            "first_name": "Amina",
            "last_name": f"Test{uuid.uuid4().hex[:4]}",
            "email": f"{uuid.uuid4().hex[:8]}@example.org",
            "locale": tenants[branch].locales[0],
        }
        defaults.update(values)
        with tenant_scope(tenants[branch].id):
            person = Person(**defaults)
            db.session.add(person)
            db.session.flush()
        return person

    return factory


# --------------------------------------------------------------------------- clients


@pytest.fixture
def client(app: Flask, db) -> FlaskClient:
    return app.test_client()


def reading(client: FlaskClient, locale: str) -> FlaskClient:
    """``client`` once its visitor chose ``locale`` (kept in their session)."""
    with client.session_transaction() as session:
        session["locale"] = locale
    return client


@pytest.fixture
def login(app: Flask, db, create_user) -> Callable[..., FlaskClient]:
    """``login(branches=["brussels"])`` or ``login(hq=True)``: a client logged in as such."""

    def factory(branches: Sequence[str] = (), hq: bool = False, **kwargs: Any) -> FlaskClient:
        user = create_user(branches=branches, hq=hq, **kwargs)
        client = app.test_client()
        response = log_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        client.user = user
        return client

    return factory


@pytest.fixture
def coordinator(login) -> Callable[..., FlaskClient]:
    """``coordinator("brussels")``: a client of that branch's coordinator, who reads the
    branch's language; ``coordinator("brussels", locale="en")`` reads English."""
    return lambda slug, locale=None: login(branches=[slug], locale=locale)


@pytest.fixture
def hq_client(login) -> FlaskClient:
    return login(hq=True)


# --------------------------------------------------------------------------- SQL counter


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    @property
    def count(self) -> int:
        return len(self.statements)


#: Not a page's own work: transaction control, the RLS setting, and the staff session's
#: "last seen" bookkeeping (at most one UPDATE a minute, whatever the page).
_IGNORED = re.compile(
    r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN|SET LOCAL duo\."
    r"|UPDATE staff_sessions)",
    re.IGNORECASE,
)


@pytest.fixture
def count_queries(db) -> Callable[[], object]:
    """``with count_queries() as q: ...; assert q.count <= 5`` (transaction noise excluded)."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        engine = db.engine

        def before(conn, cursor, statement, parameters, context, executemany):
            if not _IGNORED.match(statement):
                counter.statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting


@contextmanager
def sent_sql(connection: Any) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their values) sent on ``connection``'s engine meanwhile."""
    sent: list[tuple[str, Any]] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append((statement, parameters))

    sa.event.listen(connection.engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        sa.event.remove(connection.engine, "before_cursor_execute", keep)


def query_plan(connection: Any, sql: str, values: Any) -> list[str]:
    """The lines of the database's plan for a statement as it was sent (``sent_sql``); on
    PostgreSQL with sequential scans off, as a tiny test table would otherwise get one."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return connection.exec_driver_sql(f"EXPLAIN {sql}", values).scalars().all()
    return [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", values)]


@pytest.fixture
def redis_url() -> str:
    need(bool(REDIS_URL), "REDIS_URL is not set: real-Redis tests skipped")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        need(False, f"Redis at {REDIS_URL} is unreachable: {exc}")
    assert REDIS_URL is not None
    return REDIS_URL


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        "duo database: "
        + (f"PostgreSQL {DATABASE_URL}" if DATABASE_URL else "SQLite (temporary file)"),
        f"duo redis: {REDIS_URL or 'none (in-process jobs; real-Redis tests skip)'}",
    ]


# --------------------------------------------------------------------------- sessions


def today() -> dt.date:
    """The clock's day (UTC): tests date things from it, never in a fixed year."""
    return utcnow().date()


def days_from_today(days: int) -> dt.date:
    """The day ``days`` days after the clock's (before it when negative)."""
    return today() + dt.timedelta(days=days)


def years_ago(years: int) -> datetime:
    """The clock's moment ``years`` years back, counted in days (a leap day is no trouble)."""
    return utcnow() - timedelta(days=round(365.25 * years))


def a_monday(weeks: int = 0, hour: int = 9) -> datetime:
    """``hour`` o'clock UTC on the Monday of the clock's week moved by ``weeks`` weeks: an
    anchor for tests that count in weeks from a Monday."""
    monday = today() - dt.timedelta(days=today().weekday()) + dt.timedelta(weeks=weeks)
    return datetime.combine(monday, dt.time(hour), tzinfo=dt.UTC)


def future(days: int = 30, hour: int = 17) -> datetime:
    """A moment well in the future, on a whole hour (UTC)."""
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def past(days: int = 2) -> datetime:
    return (utcnow() - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


#: The year of birth of the candidates that sign up in tests: 25 this year, an adult in every
#: branch's age range.
ADULT_BIRTH_YEAR = utcnow().year - 25


def make_session(tenant: Any, **values: object) -> InfoSession:
    """An InfoSession of ``tenant`` written directly (past ones too), flushed."""
    defaults: dict[str, Any] = {
        "starts_at": future(),
        "duration_minutes": 90,
        "place": "Rue du Progrès 1",
        "online_url": None,
        "language": tenant.locales[0],
        "audience": "both",
        "capacity": 10,
        "sequence": 0,
    }
    defaults.update(values)
    with tenant_scope(tenant.id):
        info = InfoSession(**defaults)
        app_db.session.add(info)
        app_db.session.flush()
    return info


def request_for(session_id: uuid.UUID, **values: object) -> SignupRequest:
    defaults: dict[str, Any] = {
        "session_id": session_id,
        "role": "mentee",
        "first_name": "Amina",
        "last_name": "Benali",
        "email": f"amina.{uuid.uuid4().hex[:6]}@example.org",
        "locale": "en",
        "consent": True,
        "phone": "+32 470 12 34 56",
        "birth_year": ADULT_BIRTH_YEAR,
        "heard_from": "website",
        "waitlist": False,
    }
    defaults.update(values)
    return SignupRequest(**defaults)


def form_for(session_id: uuid.UUID | str, **values: object) -> dict[str, str]:
    """The public sign-up form's fields, filled in."""
    data = {
        "audience": "mentee",
        "session": str(session_id),
        "first_name": "Amina",
        "last_name": "Benali",
        "email": f"amina.{uuid.uuid4().hex[:6]}@example.org",
        "phone": "+32 470 12 34 56",
        "birth_year": str(ADULT_BIRTH_YEAR),
        "heard_from": "website",
        "consent": "y",
        "website": "",
    }
    data.update({k: str(v) for k, v in values.items() if v is not None})
    for key in [k for k, v in values.items() if v is None]:
        data.pop(key, None)
    return data


def mentee_form(**changes: object) -> dict:
    """The coordinator's intake form of an eligible mentee, filled in (``None`` leaves a
    field out)."""
    data = {
        "birth_date": f"{ADULT_BIRTH_YEAR}-05-04",
        "postcode": "1000",
        "languages-0-language": "fr",
        "languages-0-level": "B2",
        "languages-1-language": "ar",
        "languages-1-level": "native",
        "availability": ["tue-evening", "sat-morning"],
        "interests": "Football, cooking",
        "digital_skills": "2",
        "personality": "calm, direct",
        "target_sector": "it",
        "help_questions": ["cv", "network"],
        "education_level": "bachelor",
        "seeking_job_study_or_internship": "yes",
        "registered_jobseeker": "unknown",
        "other_barriers": "no",
        "sensitive_consent": "y",
        "migration_background": "non_eu_nationality",
        "allowed_to_work": "yes",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def session_form(**values: object) -> dict[str, str]:
    """The coordinator's new-session form, filled in for a Brussels evening 40 days ahead."""
    day = future(days=40).astimezone(ZoneInfo("Europe/Brussels"))
    data = {
        "start_date": day.date().isoformat(),
        "start_time": "18:30",
        "duration_minutes": "90",
        "place": "Rue du Progrès 1, Bruxelles",
        "online_url": "",
        "language": "fr",
        "audience": "mentees",
        "capacity": "15",
        "details": "",
    }
    data.update({k: str(v) for k, v in values.items()})
    return data


def run_jobs(rounds: int = 10) -> int:
    """Run due outbox jobs in-process until none is left (jobs may enqueue jobs); how many ran.

    The one way tests empty the outbox: a query count then measures the page, not the jobs.
    """
    total = 0
    for _ in range(rounds):
        ran = dispatch()
        total += ran
        if not ran:
            break
    return total


def counts(tenant: Any) -> dict[str, int]:
    """Rows a sign-up writes, in one branch: to check that bad input writes nothing."""
    with tenant_scope(tenant.id):
        result = {
            model.__name__: app_db.session.scalar(select(func.count()).select_from(model))
            for model in (Person, StateChange, Consent, Registration, OutgoingMail, InfoSession)
        }
    result["OutboxJob"] = app_db.session.execute(
        select(func.count()).select_from(OutboxJob)
    ).scalar_one()
    return result


def mails_where(*conditions: Any) -> list[OutgoingMail]:
    """The mails of the current branch scope that match ``conditions``, oldest first."""
    query = select(OutgoingMail).where(*conditions).order_by(OutgoingMail.created_at)
    return list(app_db.session.execute(query).scalars())


def mails_to(tenant: Any, address: str) -> list[OutgoingMail]:
    with tenant_scope(tenant.id):
        return mails_where(OutgoingMail.recipient == address)


# --------------------------------------------------------------------------- pages


def translated(locale: str, message: str, **values: object) -> str:
    """``message`` as a reader of ``locale`` sees it (needs an app context)."""
    with force_locale(locale):
        return gettext(message, **values)


def html_lang(html: str) -> str:
    """The language a page declares on its ``<html>`` element."""
    found = re.search(r'<html lang="([a-z]+)"', html)
    assert found, "the page declares no language"
    return found.group(1)


def assert_dead_links(client: FlaskClient, paths: Sequence[str], locale: str) -> None:
    """Each personal-link page of ``paths`` is a 404 in ``locale`` that says the link does not
    work and that nothing changed."""
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.get_data(as_text=True)
        assert html_lang(html) == locale
        assert translated(locale, "This link does not work") in html
        assert translated(locale, "Nothing has been changed.") in html


# --------------------------------------------------------------------------- training

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

#: The training tests stand on fixed days (their texts quote "dinsdag 3 september 2030",
#: the clocks change on 27 October 2030), so they run on a clock set before them: with
#: ``pytestmark = pytest.mark.usefixtures("training_clock")`` FUTURE stays in the future
#: and PAST in the past whatever year the suite runs in.
TRAINING_NOW = dt.datetime(2030, 6, 3, 8, tzinfo=dt.UTC)
FUTURE = TRAINING_NOW.date() + dt.timedelta(weeks=13)  # Monday 2 September 2030
PAST = FUTURE - dt.timedelta(weeks=261)  # Monday 1 September 2025: over, for attendance


@pytest.fixture
def training_clock() -> Iterator[Clock]:
    """The clock of the training tests, standing at :data:`TRAINING_NOW`."""
    with frozen(TRAINING_NOW) as clock:
        yield clock


@pytest.fixture
def enrolled_mentor(create_person, tenants) -> Callable[[str, TrainingCycle], Person]:
    """``enrolled_mentor(branch, cycle)``: an eligible mentor of ``branch`` enrolled in it."""

    def enrol(branch: str, cycle: TrainingCycle) -> Person:
        mentor = create_person(branch, role="mentor", state=states.ELIGIBLE)
        with tenant_scope(tenants[branch].id):
            enrolment.enrol(cycle, mentor)
        return mentor

    return enrol


def next_spring_forward() -> dt.date:
    """The next day the European clocks go forward (the last Sunday of March), from now."""
    today = utcnow().date()
    for year in (today.year, today.year + 1):
        last = dt.date(year, 3, 31)
        day = last - dt.timedelta(days=(last.weekday() - SUN) % 7)
        if day > today:
            return day
    raise AssertionError("unreachable")


def required_modules(tenant) -> list[str]:
    return curriculum.required_keys(tenant.config)


def cycle_form(tenant: Any = None, **values: object) -> dict[str, Any]:
    """The new-cycle form (a preview), for ``tenant``'s required modules when one is given."""
    data: dict[str, Any] = {
        "title": "Autumn training",
        "content": "modules",
        "modules": required_modules(tenant) if tenant is not None else None,
        "start_date": future(days=30).date().isoformat(),
        "weekdays": ["1"],
        "start_time": "18:00",
        "end_time": "21:00",
        "every_weeks": "1",
        "count": "",
        "location": "Rue Royale 1",
        "capacity": "12",
        "action": "preview",
    }
    data.update(values)
    return data


def make_cycle(
    tenant,
    *,
    start: dt.date = FUTURE,
    weekdays: tuple[int, ...] = (TUE,),
    start_time: dt.time = dt.time(18),
    end_time: dt.time = dt.time(21),
    modules: list[str] | None = None,
    workshop: str | None = None,
    count: int | None = None,
    capacity: int | None = None,
    title: str = "Test cycle",
    every_weeks: int = 1,
) -> TrainingCycle:
    """A saved cycle of ``tenant`` (modules by default: every module of its curriculum)."""
    if workshop is None and modules is None:
        modules = [m.key for m in curriculum.modules(tenant.config)]
    plan = planning.CyclePlan(
        title=title,
        kind=WORKSHOP if workshop else MODULES,
        start_date=start,
        rhythm=Rhythm(weekdays, start_time, end_time, every_weeks),
        module_keys=modules or (),
        workshop_key=workshop,
        count=count,
        capacity=capacity,
    )
    with tenant_scope(tenant.id):
        cycle = planning.create_cycle(tenant, plan, language="en")
        app_db.session.flush()
    return cycle


# --------------------------------------------------------------------------- profiles


def mentee_profile(ident: str = "e", **kw: Any) -> MenteeProfile:
    """A matching profile of an eligible French-speaking mentee waiting since TODAY."""
    values: dict[str, Any] = {
        "languages": {"fr": "C1"},
        "country": "be",
        "waiting_since": SYNTHETIC_TODAY,
        "eligible": True,
    }
    values.update(kw)
    return MenteeProfile(id=ident, **values)


def mentor_profile(ident: str = "m", **kw: Any) -> MentorProfile:
    """A matching profile of a trained, free French-speaking mentor."""
    values: dict[str, Any] = {
        "languages": {"fr": "C1"},
        "country": "be",
        "trained": True,
        "free": True,
        "eligible": True,
    }
    values.update(kw)
    return MentorProfile(id=ident, **values)


# --------------------------------------------------------------------------- pool

DUTCH = {"nl": "native", "en": "B2"}


class PoolFactory:
    """Creates pool members in a branch; every object is flushed in that branch's scope."""

    def __init__(self, db: Any, tenants: dict[str, Any]) -> None:
        self.db = db
        self.tenants = tenants
        self._training: dict[str, list[uuid.UUID]] = {}

    @contextmanager
    def scope(self, branch: str) -> Iterator[None]:
        with tenant_scope(self.tenants[branch].id):
            yield

    def _person(self, branch: str, role: str, state: str, first_name: str, **values: Any) -> Person:
        tenant = self.tenants[branch]
        person = Person(
            role=role,
            first_name=first_name,
            last_name=values.pop("last_name", None) or f"T{uuid.uuid4().hex[:5]}",
            email=values.pop("email", None) or f"{uuid.uuid4().hex[:8]}@example.org",
            locale=values.pop("locale", None) or tenant.default_locale,
            state=state,
            state_changed_at=values.pop("since", None) or utcnow(),
        )
        self.db.session.add(person)
        self.db.session.flush()
        return person

    def _profile(self, person: Person, languages: dict[str, str] | None, **facts: Any) -> None:
        if languages is None:
            return
        for key in ("availability", "interests", "personality", "sectors", "help_questions"):
            if key in facts:
                facts[key] = sorted(facts[key])
        self.db.session.add(Profile(person_id=person.id, languages=dict(languages), **facts))
        self.db.session.flush()

    def mentee(
        self,
        branch: str,
        first_name: str = "Amina",
        *,
        weeks: int = 0,
        languages: dict[str, str] | None = DUTCH,
        state: str = states.ELIGIBLE,
        **facts: Any,
    ) -> Person:
        """A mentee who became eligible ``weeks`` weeks ago (``languages=None``: no intake).

        ``weeks`` are counted in the branch's calendar days, the way the pages count them:
        the moment is the same local time of day ``7 * weeks`` days earlier, so a daylight-
        saving change in between (late in the evening, UTC and local dates differ) does
        not make nine weeks read as 62 days.
        """
        zone = ZoneInfo(self.tenants[branch].timezone)
        now = utcnow().astimezone(zone)
        earlier = now.replace(tzinfo=None) - dt.timedelta(weeks=weeks)
        since = earlier.replace(tzinfo=zone).astimezone(dt.UTC)
        names = {k: facts.pop(k) for k in ("last_name", "email", "locale") if k in facts}
        with self.scope(branch):
            person = self._person(branch, MENTEE, state, first_name, since=since, **names)
            person.waiting_since = since  # as the transition to the step below keeps it
            self.db.session.add(
                StateChange(
                    person_id=person.id,
                    from_state=states.NEEDS_REVIEW,
                    to_state=states.ELIGIBLE,
                    at=since,
                )
            )
            self._profile(person, languages, **facts)
        return person

    def mentor(
        self,
        branch: str,
        first_name: str = "Jan",
        *,
        languages: dict[str, str] | None = DUTCH,
        trained: bool = True,
        state: str = states.TRAINED,
        **facts: Any,
    ) -> Person:
        """A mentor in state ``trained``; ``trained=False`` leaves out the training attendance."""
        names = {k: facts.pop(k) for k in ("last_name", "email", "locale") if k in facts}
        facts.setdefault("years_experience", 20)
        facts.setdefault("digital_skills", 2)
        with self.scope(branch):
            person = self._person(branch, MENTOR, state, first_name, **names)
            self._profile(person, languages, **facts)
            if trained:
                self.train(branch, person)
        return person

    def train(self, branch: str, person: Person) -> None:
        """Record ``person`` present at one session of every required module of the branch."""
        tenant = self.tenants[branch]
        with self.scope(branch):
            if branch not in self._training:
                keys = curriculum.required_keys(tenant.config, MENTOR)
                start = utcnow() - dt.timedelta(days=60)
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
                self.db.session.add(cycle)
                self.db.session.flush()
                sessions = []
                for index, key in enumerate(keys):
                    at = start + dt.timedelta(days=7 * index)
                    session = TrainingSession(
                        cycle_id=cycle.id,
                        index=index,
                        module_key=key,
                        starts_at=at,
                        ends_at=at + dt.timedelta(hours=3),
                    )
                    self.db.session.add(session)
                    sessions.append(session)
                self.db.session.flush()
                self._training[branch] = [s.id for s in sessions]
            for session_id in self._training[branch]:
                self.db.session.add(Attendance(session_id=session_id, person_id=person.id))
            self.db.session.flush()


PERSON_FIELDS = ("id", "tenant_id", "role", "first_name", "last_name", "full_name", "email")


def snapshot(obj: Any, fields: tuple[str, ...] = PERSON_FIELDS) -> SimpleNamespace:
    """Plain values of a row, still readable after a request committed and expired it.

    (On PostgreSQL, reloading an expired row outside its branch's scope finds nothing.)
    """
    return SimpleNamespace(**{name: getattr(obj, name) for name in fields})


@pytest.fixture
def pool_factory(db, tenants) -> PoolFactory:
    return PoolFactory(db, tenants)
