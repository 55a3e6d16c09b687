"""The application factory: every subsystem initialised in one visible order.

Nothing here touches the database or Redis: a pre-forking server must not share
connections opened at start-up, and tests create many apps.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import Any

from flask import (
    Flask,
    Response,
    g,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException, SecurityError

from duo.core import clock, extensions, headers, logmask, validation
from duo.core.auth import access
from duo.core.auth.views import landing_url
from duo.core.dashboard.navigation import navigation_for
from duo.core.db import db
from duo.core.i18n import init_app as init_i18n
from duo.core.jobs import dispatch, register_jobs, registered
from duo.core.jobs.outbox import take_touched
from duo.core.plugins import Plugin, install
from duo.core.settings import REPO_ROOT, Settings
from duo.core.tenancy import rls as _rls  # noqa: F401  (importing registers the RLS hook)
from duo.core.tenancy import routing
from duo.core.tenancy import scoping as _scoping  # noqa: F401  (registers the tenant filter)
from duo.core.tenancy.directory import public_branches

log = logging.getLogger(__name__)

#: Every package that plugs into the app, in the order the factory reads them: the core
#: first, then the capabilities in the order of their layers (the method's steps, see
#: ARCHITECTURE.md for the few places the layers differ from it), then the consumers.
#: Adding a capability means adding its package here and to the import-linter contract.
CORE = (
    "core.tenancy",
    "core.auth",
    "core.i18n",
    "core.jobs",
    "core.mail",
    "core.audit",
    "core.links",
    "core.password_reset",
    "core.dashboard",
    "core.observability",
)
CAPABILITIES = (
    "privacy",
    "people",
    "sessions",
    "eligibility",
    "intake",
    "training",
    "duos",
    "matching",
    "evaluation",
    "moving_in",
    "reporting",
)
CONSUMERS = ("consumers.hq", "consumers.demo")


def capabilities() -> list[str]:
    """Dotted names (below ``duo``) of every package the factory reads, in order."""
    return [*CORE, *CAPABILITIES, *CONSUMERS]


def _import_optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def plugins() -> list[tuple[str, Plugin]]:
    """Each package's declaration (its ``plugin.py``), in the factory's order.

    A package without a ``plugin.py`` adds nothing but its models.
    """
    found = []
    for name in capabilities():
        module = _import_optional(f"duo.{name}.plugin")
        if module is not None:
            found.append((name, module.PLUGIN))
    return found


def load_models() -> None:
    """Import every capability's models so the metadata (and Alembic) sees all tables."""
    for cap in capabilities():
        _import_optional(f"duo.{cap}.models")


def create_app(overrides: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask(
        "duo",
        instance_path=str(settings.instance_path),
        template_folder="templates",
        static_folder="static",
    )
    app.config.from_mapping(settings.flask_config())
    if overrides:
        app.config.update(overrides)

    load_models()
    clock.install_for_requests(app)  # first: every later hook reads the same clock
    db.init_app(app)
    if app.config.get("DUO_MIGRATE_COMMANDS", True):  # duo.wsgi: a web worker needs none
        extensions.init_migrate(app, db, directory=str(REPO_ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.init_limiter(app)
    init_i18n(app)
    access.init_app(app)
    validation.init_app(app)
    headers.init_app(app)
    logmask.install()
    routing.init_app(app)
    install(app, plugins(), _register_jobs)
    _register_home(app)
    _register_request_cycle(app)
    _register_errors(app)
    return app


def _register_jobs(funcs) -> set[str]:
    register_jobs(funcs)
    return set(registered())


def _register_home(app: Flask) -> None:
    @app.route("/")
    @access.public
    def home():
        if current_user.is_authenticated:
            return redirect(landing_url(current_user))
        return render_template("home.html", branches=public_branches())

    @app.route("/favicon.ico")
    @access.public
    def favicon():
        """Browsers ask for it at the root whatever the page says: the static icon."""
        g.duo_no_dispatch = True
        return send_from_directory(
            app.static_folder or "static",
            "favicon.ico",
            mimetype="image/vnd.microsoft.icon",
            max_age=86400,
        )


#: Seconds between the dispatches a request runs although it wrote no job: what hands out
#: jobs that became due meanwhile (a retry after its back-off, a reminder's ``run_after``)
#: when no ``duo worker`` loop runs (the embedded mode without Redis).
IDLE_DISPATCH_SECONDS = 30.0


def _register_request_cycle(app: Flask) -> None:
    """One commit per request, in one place; jobs are dispatched only after it.

    A request that wrote a job dispatches at once, so its mail leaves now. One that wrote
    none (nearly every page a coordinator opens) skips the dispatcher's claim, except once
    every :data:`IDLE_DISPATCH_SECONDS` per process, so that jobs due later still run
    without a worker.
    """
    idle = {"next": 0.0}
    idle_seconds = float(app.config.get("DUO_IDLE_DISPATCH_SECONDS", IDLE_DISPATCH_SECONDS))

    @app.after_request
    def _commit(response: Response) -> Response:
        if response.status_code >= 400:
            db.session.rollback()
            return response
        db.session.commit()
        if g.get("duo_no_dispatch"):  # probes and scrapes: frequent, and they write nothing
            return response
        now = time.monotonic()
        if not take_touched() and now < idle["next"]:
            return response
        idle["next"] = now + idle_seconds
        try:
            dispatch()
        except Exception:
            log.exception("dispatch after request failed; jobs stay in the outbox")
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()

    @app.context_processor
    def _layout_context() -> dict[str, Any]:
        return {"navigation": navigation_for}


def _is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _json_error(status: int, message: str) -> Response:
    """API callers read JSON, whatever failed (an unknown URL, a method, a crash)."""
    response = jsonify({"message": message, "errors": {}})
    response.status_code = status
    return response


def _register_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        titles = {
            400: _("This request could not be understood."),
            403: _("You cannot open this page."),
            404: _("This page does not exist."),
            405: _("This action is not allowed here."),
            413: _("The file is too large."),
            429: _("Too many attempts. Please wait a minute and try again."),
        }
        title = titles.get(exc.code or 500, _("Something went wrong."))
        if has_request_context() and _is_api():
            return _json_error(exc.code or 500, title)
        if isinstance(exc, SecurityError) or not has_request_context():
            # e.g. an untrusted Host: no URL can be built for it, so no page either
            return Response(title, status=exc.code or 400, mimetype="text/plain")
        return render_template("error.html", code=exc.code, title=title), exc.code or 500

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if app.testing:
            raise exc
        log.exception("unhandled error")
        db.session.rollback()
        title = _("Something went wrong. Nothing was saved; please try again.")
        if has_request_context() and _is_api():
            return _json_error(500, title)
        return render_template("error.html", code=500, title=title), 500
