"""Throw-away PostgreSQL databases, for the test suite and the benchmarks.

Each run gets a database of its own on the configured server, dropped afterwards (its
sessions terminated first), so that runs never share or leave behind data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from duo.core.settings import normalise_database_url


@contextmanager
def throwaway_database(base_url: str, prefix: str) -> Iterator[str]:
    """Create ``<prefix>_<random>`` on the server of ``base_url``; yield its URL; drop it.

    A server that cannot be reached raises ``sqlalchemy.exc.OperationalError`` before
    anything is yielded.
    """
    url = sa.engine.make_url(normalise_database_url(base_url))
    name = f"{prefix}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError:
        admin.dispose()
        raise
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()
