"""The migrated schema is exactly the models' schema, and migrations go down again."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from appfactory import build_app, make_settings, postgres_database
from support import DATABASE_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path: Path):
    if request.param == "postgresql":
        if not DATABASE_URL:
            pytest.skip("DATABASE_URL is not set: PostgreSQL migration check skipped")
        with postgres_database(DATABASE_URL) as url:
            yield build_app(make_settings(tmp_path, url))
    else:
        if DATABASE_URL:
            pytest.skip("SQLite migration check runs in the SQLite pass")
        yield build_app(make_settings(tmp_path, None))


#: Where SQLAlchemy cannot reflect SQLite's expression indexes (it warns and skips them),
#: :func:`_sqlite_expression_indexes` compares them by the SQL SQLite keeps.
_UNREFLECTED = r".*expression-based index"


def _diff(app) -> list:
    from duo.core.db import db

    engine = sa.create_engine(app.config["DUO_OWNER_DATABASE_URL"])
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            if conn.dialect.name == "sqlite":
                warnings.filterwarnings("ignore", message=_UNREFLECTED)
                assert _sqlite_expression_indexes(conn, db.metadata) == {}
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def _columns(sql: str) -> list[str]:
    inside = sql[sql.index("(") + 1 : sql.rindex(")")]
    return [part.strip().lower().replace(" ", "") for part in inside.split(",")]


def _sqlite_expression_indexes(conn, metadata: sa.MetaData) -> dict[str, tuple]:
    """Each expression index of the models against the one the migrations made on SQLite
    (its columns and expressions as written in its SQL); the differences, by name."""
    made = dict(
        conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index'")).all()
    )
    differences = {}
    for table in metadata.tables.values():
        for index in table.indexes:
            if all(isinstance(e, sa.Column) for e in index.expressions):
                continue  # reflected and compared by alembic
            wanted = _columns(str(sa.schema.CreateIndex(index).compile(dialect=conn.dialect)))
            found = _columns(made[index.name]) if made.get(index.name) else None
            if found != wanted:
                differences[index.name] = (wanted, found)
    return differences


def test_upgrade_to_head_matches_models_and_downgrades_to_base(empty_app) -> None:
    with empty_app.app_context():
        upgrade(revision="heads")
        assert _diff(empty_app) == []
        downgrade(revision="base")
        engine = sa.create_engine(empty_app.config["DUO_OWNER_DATABASE_URL"])
        try:
            tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        finally:
            engine.dispose()
        assert tables == set()
        upgrade(revision="heads")
        assert _diff(empty_app) == []


def test_migrations_have_a_single_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from duo.core.settings import REPO_ROOT

    config = Config()
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several heads {heads}: add a merge revision"


def test_0023_fills_in_since_when_people_wait_from_their_history(empty_app) -> None:
    """The backfill follows the transition rule: a wait starts on becoming eligible, except
    back from a proposal that did not go on; someone never eligible has none."""
    import datetime as dt
    import uuid

    from duo.core.db.types import JSONType, UTCDateTime

    day = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    tenants = sa.table(
        "tenants",
        *(sa.column(c) for c in ("id", "slug", "country", "timezone", "contact_email")),
        *(sa.column(c, JSONType) for c in ("name", "locales", "config")),
        sa.column("digest"),
        sa.column("active"),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    people = sa.table(
        "people",
        sa.column("tenant_id"),
        sa.column("id", sa.Uuid()),
        *(sa.column(c) for c in ("role", "first_name", "last_name")),
        *(sa.column(c) for c in ("email", "locale", "state")),
        sa.column("state_changed_at", UTCDateTime()),
        sa.column("created_at", UTCDateTime()),
    )
    changes = sa.table(
        "person_state_changes",
        sa.column("tenant_id"),
        *(sa.column(c, sa.Uuid()) for c in ("id", "person_id")),
        *(sa.column(c) for c in ("from_state", "to_state")),
        sa.column("at", UTCDateTime()),
    )
    returned, stopped, never = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    paths = {
        # eligible, proposed, declined: the wait goes on from the first day
        returned: [(None, "eligible", 0), ("eligible", "matched", 30), ("matched", "eligible", 40)],
        # a duo that stopped: a new wait from the day it ended
        stopped: [
            (None, "eligible", 0),
            ("eligible", "matched", 5),
            ("matched", "in_duo", 9),
            ("in_duo", "eligible", 50),
        ],  # fmt: skip
        never: [(None, "registered", 0)],
    }
    with empty_app.app_context():
        upgrade(revision="0022_chooser_index")
        engine = sa.create_engine(empty_app.config["DUO_OWNER_DATABASE_URL"])
        try:
            with engine.begin() as conn:
                conn.execute(
                    tenants.insert(),
                    [
                        {"id": 7, "slug": "ghent", "country": "BE", "timezone": "Europe/Brussels",
                         "contact_email": "g@example.org", "name": {}, "locales": ["nl"],
                         "config": {}, "digest": "x", "active": True, "created_at": day,
                         "updated_at": day}
                    ],
                )  # fmt: skip
                for pid, path in paths.items():
                    last = path[-1]
                    conn.execute(
                        people.insert(),
                        {"tenant_id": 7, "id": pid, "role": "mentee", "first_name": "A",
                         "last_name": "B", "email": "a@example.org", "locale": "nl",
                         "state": last[1], "state_changed_at": day + dt.timedelta(days=last[2]),
                         "created_at": day},
                    )  # fmt: skip
                    conn.execute(
                        changes.insert(),
                        [
                            {"tenant_id": 7, "id": uuid.uuid4(), "person_id": pid,
                             "from_state": a, "to_state": b, "at": day + dt.timedelta(days=d)}
                            for a, b, d in path
                        ],
                    )  # fmt: skip
            upgrade(revision="heads")
            read = sa.select(sa.column("id", sa.Uuid()), sa.column("waiting_since", UTCDateTime()))
            with engine.connect() as conn:
                found = dict(conn.execute(read.select_from(sa.table("people"))).all())
        finally:
            engine.dispose()
    assert found == {returned: day, stopped: day + dt.timedelta(days=50), never: None}
