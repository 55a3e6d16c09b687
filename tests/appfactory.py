"""Building test applications and databases (plain functions, importable by any test).

The fixtures built on them live in the ``support`` package; these helpers are apart so that the
browser suite can build its own live app without loading the fixtures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from duo.core.db.scratch import throwaway_database
from duo.core.settings import REPO_ROOT, Settings

CI = os.environ.get("CI", "").lower() == "true"
DATABASE_URL = os.environ.get("DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")

PASSWORD = "correct horse battery"


def log_in(client, user, password: str = PASSWORD, next: str | None = None):
    """Log ``client`` in as ``user`` the way a person does: password, then the TOTP code.

    The user must be enrolled (the ``create_user`` fixture enrols by default). Returns the
    response of the code step (a redirect to the landing page on success).
    """
    from duo.core.auth.twofactor import current_code

    data = {"email": user.email, "password": password}
    if next is not None:
        data["next"] = next
    first = client.post("/login", data=data)
    if first.status_code != 302 or not first.headers["Location"].endswith("/login/code"):
        return first
    code = current_code(user.totp_secret, after_step=user.totp_last_step)
    return client.post("/login/code", data={"code": code})


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """Create a throw-away database on the server of ``base_url`` and drop it afterwards."""
    prefix = f"{sa.engine.make_url(base_url).database or 'duo'}_t{os.getpid()}"
    scratch = throwaway_database(base_url, prefix)
    try:
        url = scratch.__enter__()
    except sa.exc.OperationalError as exc:
        if CI:
            raise RuntimeError(f"PostgreSQL at {base_url} is unreachable: {exc}") from exc
        raise
    try:
        yield url
    finally:
        scratch.__exit__(None, None, None)


def make_settings(tmp: Path, database_url: str | None) -> Settings:
    return Settings(
        instance_path=tmp,
        secret_key="test-secret",
        database_url=database_url or f"sqlite:///{tmp / 'test.sqlite3'}",
        redis_url=None,
        tenants_path=REPO_ROOT / "tenants",
    )


def build_app(settings: Settings, **overrides: object) -> Flask:
    from duo.app import create_app

    config = {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # A page that wrote no job dispatches only on the app's first request: no idle
        # dispatch every 30 s lands inside a test's statement count (tests run jobs).
        "DUO_IDLE_DISPATCH_SECONDS": float("inf"),
    }
    config.update(overrides)
    return create_app(config, settings=settings)


def migrate_and_load(app: Flask) -> None:
    from flask_migrate import upgrade

    from duo.core.db import db
    from duo.core.tenancy.sync import sync_from_path

    with app.app_context():
        upgrade(revision="heads")
        sync_from_path(Path(app.config["DUO_TENANTS_PATH"]))
        db.session.commit()
        db.session.remove()
