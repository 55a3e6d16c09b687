"""What gunicorn's workers import for the served figures: the application and nothing else.

Its own small module (not :mod:`duo.consumers.bench.served`, which imports the seeder,
Alembic and the harness), so that a worker's memory is the application's, as under
``duo.wsgi``.
"""

from __future__ import annotations

import os
from pathlib import Path

from duo.app import create_app
from duo.core.settings import REPO_ROOT, Settings

ENV_FOLDER = "DUO_BENCH_FOLDER"
ENV_DATABASE = "DUO_BENCH_DATABASE_URL"


def bench_app():
    """gunicorn's factory for ``ours``: the bench world's app, from the environment."""
    settings = Settings(
        instance_path=Path(os.environ[ENV_FOLDER]),
        secret_key="bench",
        database_url=os.environ[ENV_DATABASE],
        redis_url=None,
        tenants_path=REPO_ROOT / "tenants",
    )
    overrides = {
        "WTF_CSRF_ENABLED": False,  # the burst posts the public form without a page first
        "RATELIMIT_ENABLED": False,  # 500 sign-ups from one address
        "DUO_MIGRATE_COMMANDS": False,  # as duo.wsgi: a web worker loads no Alembic
    }
    return create_app(overrides, settings)
