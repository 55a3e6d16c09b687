"""Alembic environment: migrations run as the database owner, never as the app's role.

On PostgreSQL the application logs in as an unprivileged role (see duo.core.tenancy.rls); the
schema, its policies and the grants to that role are made here with the owner's URL.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

db = current_app.extensions["migrate"].db
target_metadata = db.metadata
owner_url = current_app.config["DUO_OWNER_DATABASE_URL"]


def _options(is_sqlite: bool) -> dict:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        "render_as_batch": is_sqlite,
    }


def run_migrations_offline() -> None:
    context.configure(url=owner_url, literal_binds=True, **_options(owner_url.startswith("sqlite")))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(owner_url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # noqa: ANN001
    context.configure(connection=connection, **_options(connection.dialect.name == "sqlite"))
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "postgresql":
            # Statistics for what the migrations filled or rebuilt (we run as the owner).
            connection.exec_driver_sql("ANALYZE")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
