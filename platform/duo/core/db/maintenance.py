"""Table statistics on PostgreSQL: ``ANALYZE`` after bulk writes.

A table filled by ``duo setup``, a migration or an import has no statistics until
autovacuum gets to it, and the planner guesses badly meanwhile (the dashboard ran several
times slower). Only a table's owner may ANALYZE it (PostgreSQL 15), so this connects with
the owner's URL (``DATABASE_URL``), never the application role's, in its own autocommit
connection. SQLite plans without statistics: nothing to do there.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import create_engine, pool


def analyze(tables: Iterable[str] = ()) -> bool:
    """ANALYZE the named tables (every table when none is named); False when not PostgreSQL."""
    from duo.core.db import db

    url = current_app.config.get("DUO_OWNER_DATABASE_URL") or ""
    if not url.startswith("postgresql"):
        return False
    names = list(tables)
    unknown = [name for name in names if name not in db.metadata.tables]
    if unknown:
        raise ValueError(f"unknown tables {unknown}")
    engine = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if not names:
                connection.exec_driver_sql("ANALYZE")
            for name in names:
                connection.exec_driver_sql(f'ANALYZE "{name}"')
    finally:
        engine.dispose()
    return True
