"""Who may open what. Branch pages answer 404 to anyone but that branch's coordinators.

404 rather than 403: a coordinator of Brussels must not learn what exists in Antwerp, and
HQ staff never open a branch page (they see figures, not people).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from sqlalchemy import select

from duo.core.auth.models import User
from duo.core.db import db

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.execute(select(User).where(User.id == int(user_id))).scalar_one_or_none()
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)

    @app.before_request
    def _reload_user() -> None:
        # Flask-Login caches the user on the app context, which may outlive a request
        # (tests, CLI); load it afresh so a changed password or deactivation counts now.
        g.pop("_login_user", None)


def _login_redirect():  # noqa: ANN202
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def coordinator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A branch page: only coordinators of the branch in the URL."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        tenant = g.get("tenant")
        if tenant is None:
            abort(404)
        if not current_user.is_authenticated:
            return _login_redirect()
        if not current_user.coordinates(tenant.id):
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """A branch page anyone may open (candidates have no account), e.g. the sign-up page.

    Nothing is checked: the mark tells the route tests that this page is open on purpose.
    """
    view.duo_public = True  # type: ignore[attr-defined]
    return view


def hq_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """An HQ page: only users with the HQ role; coordinators get 404."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _login_redirect()
        if not current_user.is_hq:
            abort(404)
        return view(*args, **kwargs)

    return wrapper
