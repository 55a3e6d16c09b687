"""Shared fixtures: a migrated database per test session, a rollback per test, factories,
a SQL statement counter and logged-in clients per role and branch.

Backends are real: SQLite by default; PostgreSQL when ``DATABASE_URL`` is set (each test
session creates its own database and drops it afterwards); Redis when ``REDIS_URL`` is set.
Under ``CI=true`` a configured service that cannot be reached fails the run instead of
skipping.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker

from appfactory import (
    PASSWORD,
    build_app,
    log_in,
    make_settings,
    migrate_and_load,
    postgres_database,
)
from support import DATABASE_URL, REDIS_URL, need

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
    from duo.core.db import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[object]:
    """The app's ``db`` with a session bound to one connection rolled back after the test."""
    from duo.core.db import db as _db

    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
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
def tenants(db) -> dict[str, object]:  # noqa: ANN001
    from sqlalchemy import select

    from duo.core.tenancy.models import Tenant

    return {t.slug: t for t in db.session.execute(select(Tenant)).scalars()}


@pytest.fixture
def in_tenant(tenants):  # noqa: ANN001, ANN201
    """``with in_tenant("brussels"):`` works for that branch inside the block."""
    from duo.core.tenancy.context import tenant_scope

    def enter(slug: str):  # noqa: ANN202
        return tenant_scope(tenants[slug].id)

    return enter


# --------------------------------------------------------------------------- factories


@pytest.fixture
def create_user(db) -> Callable[..., object]:  # noqa: ANN001
    from duo.core.auth.accounts import create_user as _create

    counter = iter(range(1, 10_000))

    def factory(
        branches: list[str] = (),  # type: ignore[assignment]
        hq: bool = False,
        enrolled: bool = True,
        **kwargs: object,
    ) -> object:
        """A staff user; ``enrolled`` (the default) gives them an authenticator already."""
        from duo.core.auth.accounts import enrol_two_factor

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
def create_person(db, tenants) -> Callable[..., object]:  # noqa: ANN001
    from duo.core.tenancy.context import tenant_scope
    from duo.people.models import Person

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
def client(app: Flask, db) -> FlaskClient:  # noqa: ANN001
    return app.test_client()


@pytest.fixture
def login(app: Flask, db, create_user) -> Callable[..., FlaskClient]:  # noqa: ANN001
    """``login(branches=["brussels"])`` or ``login(hq=True)``: a client logged in as such."""

    def factory(branches: list[str] = (), hq: bool = False, **kwargs: object) -> FlaskClient:  # type: ignore[assignment]
        user = create_user(branches=branches, hq=hq, **kwargs)
        client = app.test_client()
        response = log_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        client.user = user  # type: ignore[attr-defined]
        return client

    return factory


@pytest.fixture
def coordinator(login) -> Callable[[str], FlaskClient]:  # noqa: ANN001
    return lambda slug: login(branches=[slug])


@pytest.fixture
def hq_client(login) -> FlaskClient:  # noqa: ANN001
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


_IGNORED = re.compile(
    r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN|SELECT set_config)",
    re.IGNORECASE,
)


@pytest.fixture
def count_queries(db) -> Callable[[], object]:  # noqa: ANN001
    """``with count_queries() as q: ...; assert q.count <= 5`` (transaction noise excluded)."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        engine = db.engine

        def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
            if not _IGNORED.match(statement):
                counter.statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def redis_url() -> str:
    need(bool(REDIS_URL), "REDIS_URL is not set: real-Redis tests skipped")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        need(False, f"Redis at {REDIS_URL} is unreachable: {exc}")
    return REDIS_URL  # type: ignore[return-value]


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        "duo database: "
        + (f"PostgreSQL {DATABASE_URL}" if DATABASE_URL else "SQLite (temporary file)"),
        f"duo redis: {REDIS_URL or 'none (in-process jobs; real-Redis tests skip)'}",
    ]
