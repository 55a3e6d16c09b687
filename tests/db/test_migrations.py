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
