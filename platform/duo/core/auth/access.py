"""Who may open what, declared next to every route, and refused when not declared.

Every view carries one of five marks, set by the decorators below:

* ``public`` — anyone (the sign-up page, the home page, the API's public endpoints);
* ``personal_link`` — a person without an account, through a token in the URL; the view
  checks the token (wrong, expired or revoked gives a clear page and changes nothing);
* ``signed_in`` — any logged-in staff user (the branch chooser, logout);
* ``coordinator`` — a coordinator of the branch in the URL; anyone else gets 404;
* ``hq`` — a user with the HQ role; coordinators get 404.

Deny by default: a ``before_request`` hook answers 404 to any endpoint whose view has no
mark (Flask's ``static`` aside), so a route that forgets its declaration is closed rather
than open, and ``tests/auth/test_route_access.py`` fails on it.

404 rather than 403: a coordinator of Brussels must not learn what exists in Antwerp, and
HQ staff never open a branch page (they see figures, not people).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from duo.core.auth import staff_sessions
from duo.core.auth.models import User

PUBLIC = "public"
PERSONAL_LINK = "personal_link"
SIGNED_IN = "signed_in"
COORDINATOR = "coordinator"
HQ = "hq"
KINDS = (PUBLIC, PERSONAL_LINK, SIGNED_IN, COORDINATOR, HQ)

#: Endpoints Flask itself adds; they serve files from the package, nothing else.
UNMARKED_OK = frozenset({"static"})

#: Attribute holding a view's kind of access (copied to wrappers by ``functools.wraps``).
ATTR = "duo_access"

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The cookie's ``<user id>:<session key>``: let in only an open staff session.

    The session row (not the cookie) decides: logout, the timeouts, a password or 2FA
    change and deactivation close it, and a cookie saved before then opens nothing.
    """
    user_id, _, key = session_id.partition(":")
    if not user_id.isdigit() or not key:
        return None
    user = staff_sessions.find(int(user_id), key)  # one query: the session and its user
    if user is None:
        return None
    if not user.active or not user.has_two_factor:
        return None
    user.session_key = key
    return user


def access_of(view: Callable[..., Any] | None) -> str | None:
    """The declared kind of access of a view function, or None when it declares none."""
    kind = getattr(view, ATTR, None)
    return kind if kind in KINDS else None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)

    @app.before_request
    def _reload_user() -> None:
        # Flask-Login caches the user on the app context, which may outlive a request
        # (tests, CLI); load it afresh so a changed password or deactivation counts now.
        g.pop("_login_user", None)

    @app.after_request  # runs after the request's commit (registered before it)
    def _touch_session(response):
        if response.status_code < 400:
            staff_sessions.touch_after_request()
        else:
            g.pop("duo_session_touch", None)
        return response

    @app.before_request
    def _deny_undeclared() -> None:
        endpoint = request.endpoint
        if endpoint is None or endpoint in UNMARKED_OK:
            return  # no route matched: the routing error (404/405) follows
        if access_of(current_app.view_functions.get(endpoint)) is None:
            current_app.logger.error("route %s declares no access; refused", endpoint)
            abort(404)


def _mark(view: Callable[..., Any], kind: str) -> Callable[..., Any]:
    setattr(view, ATTR, kind)
    return view


def _login_redirect():
    if request.blueprint and request.path.startswith("/api/"):
        abort(401)  # an API caller gets JSON, not a login page
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page anyone may open (candidates have no account), e.g. the sign-up page.

    Nothing is checked: the mark says this page is open on purpose.
    """
    return _mark(view, PUBLIC)


def personal_link(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page opened through a personal link (a token in the URL) by a person without account.

    Nothing is checked here: the view looks the token up and answers a clear page for a
    wrong, expired, revoked or used one. The mark also tells the response headers to send
    no referrer, so the token never leaves in a ``Referer``.
    """
    return _mark(view, PERSONAL_LINK)


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Any logged-in staff user (coordinator or HQ); anonymous visitors go to the login."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _login_redirect()
        return view(*args, **kwargs)

    return _mark(wrapper, SIGNED_IN)


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

    return _mark(wrapper, COORDINATOR)


def hq_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """An HQ page: only users with the HQ role; coordinators get 404."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _login_redirect()
        if not current_user.is_hq:
            abort(404)
        return view(*args, **kwargs)

    return _mark(wrapper, HQ)
