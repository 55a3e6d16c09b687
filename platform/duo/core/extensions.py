"""Flask extensions, created unbound here and initialised in order by :func:`duo.app.create_app`."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
#: Degrade, never drop: when the counters' Redis is down the limiter counts in memory
#: (per process) and, should even that fail, lets the request through rather than
#: answering a sign-up or a login with a 500. It checks Redis again with back-off.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[],
    in_memory_fallback_enabled=True,
    swallow_errors=True,
)

#: A dead Redis must cost a request milliseconds, not the client's default timeouts.
REDIS_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def init_migrate(app: Flask, db: object, directory: str) -> None:
    """Flask-Migrate's ``flask db`` commands and ``upgrade()`` for this app.

    Imported here, not at the top: Flask-Migrate brings Alembic, Mako and Pygments (about
    11 MB), which a web worker never uses; ``duo.wsgi`` creates its app without them.
    """
    from flask_migrate import Migrate

    Migrate().init_app(app, db, directory=directory)


def init_limiter(app: Flask) -> None:
    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    if uri.startswith(("redis://", "rediss://", "redis+")):
        options = dict(REDIS_STORAGE_OPTIONS)
        options.update(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        app.config["RATELIMIT_STORAGE_OPTIONS"] = options
    limiter.init_app(app)
