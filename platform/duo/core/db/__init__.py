"""The database handle and the few column conventions every capability shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as _FlaskSession
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Session as _Session

from duo.core import clock

# Stable constraint names: Alembic can then compare and drop them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


#: ``(obj) -> bool`` checks every object :meth:`VisibleGet.get` returns must pass. The tenancy
#: layer adds one (an object of another branch is not visible), so that the identity map
#: (which ``get()`` reads before any query, and so before the branch filter) never hands out
#: a cached object of the branch worked for before.
_visibility_checks: list[Callable[[Any], bool]] = []


def add_visibility_check(check: Callable[[Any], bool]) -> None:
    if check not in _visibility_checks:
        _visibility_checks.append(check)


class VisibleGet:
    """Session mixin: ``get()`` (and ``get_one()``) return only objects every check allows."""

    def get(self, *args: Any, **kwargs: Any) -> Any:
        obj = super().get(*args, **kwargs)
        if obj is not None and not all(check(obj) for check in _visibility_checks):
            return None
        return obj


class Session(VisibleGet, _FlaskSession):
    """The application's session (Flask-SQLAlchemy's, with :class:`VisibleGet`)."""


class PlainSession(VisibleGet, _Session):
    """The same on a plain SQLAlchemy session (tests bind one to a single connection)."""


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})


def utcnow() -> datetime:
    """Timezone-aware now from the one clock (:mod:`duo.core.clock`); stored as UTC.

    Shown in the branch's zone. Tests and the demo move it with ``clock.frozen`` /
    ``clock.advance``; nothing patches this function.
    """
    return clock.now()


def new_id() -> uuid.UUID:
    return uuid.uuid4()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, and let SQLAlchemy (not pysqlite) manage transactions.

    pysqlite's own BEGIN handling breaks SAVEPOINTs, which the per-test rollback relies on.
    A database file is written ahead (WAL): readers no longer wait for a writer, and a
    commit no longer waits for the disk (``synchronous=NORMAL``: a power cut may lose the
    last commits, never corrupt the file). Without it every page paid two disk syncs,
    its own commit and the audit's, about 2 ms each.
    """
    module = type(dbapi_connection).__module__
    if "sqlite3" not in module:
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")  # stays "memory" for an in-memory database
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")
