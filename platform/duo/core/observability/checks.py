"""What ``/readyz`` checks, as plain functions: each returns a :class:`Check`.

A check never raises: a part that is down is a failed check with a short reason (the
kind of error, never a connection string or a password).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import text

from duo.core.db import db
from duo.core.settings import REPO_ROOT


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def _reason(exc: BaseException) -> str:
    return type(exc).__name__


def database() -> Check:
    try:
        db.session.execute(text("SELECT 1"))
        return Check("database", True)
    except Exception as exc:  # noqa: BLE001 - a failed check, not an error page
        db.session.rollback()
        return Check("database", False, {"error": _reason(exc)})


@functools.cache
def migration_heads() -> frozenset[str]:
    """The revisions the code expects (read once per process from ``migrations/``)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def migrations() -> Check:
    try:
        current = frozenset(
            db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
        )
    except Exception as exc:  # noqa: BLE001
        db.session.rollback()
        return Check("migrations", False, {"error": _reason(exc)})
    expected = migration_heads()
    detail = {"database": sorted(current), "code": sorted(expected)}
    return Check("migrations", current == expected, detail)


def redis() -> Check | None:
    """None when no Redis is configured (jobs run in-process): nothing to check."""
    url = current_app.config.get("DUO_REDIS_URL")
    if not url:
        return None
    from redis import Redis

    try:
        Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return Check("redis", True)
    except Exception as exc:  # noqa: BLE001
        return Check("redis", False, {"error": _reason(exc)})


def outbox() -> Check:
    """The oldest due job's age; too old means the workers are not keeping up (or down)."""
    from duo.core.jobs.health import outbox_state

    limit = float(current_app.config.get("DUO_READY_OUTBOX_MAX_AGE") or 0)
    try:
        state = outbox_state()
    except Exception as exc:  # noqa: BLE001
        db.session.rollback()
        return Check("outbox", False, {"error": _reason(exc)})
    age = round(state.oldest_due_seconds, 1)
    ok = limit <= 0 or age <= limit
    return Check("outbox", ok, {"oldest_due_seconds": age, "max_age_seconds": limit})


def readiness() -> list[Check]:
    checks = [database()]
    if checks[0].ok:
        checks += [migrations(), outbox()]
    redis_check = redis()
    if redis_check is not None:
        checks.append(redis_check)
    return checks
