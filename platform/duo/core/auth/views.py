"""Login in two steps (password, then an authenticator code), logout, the branch chooser.

Step one checks the password and remembers, for five minutes, who is half logged in;
step two asks for a TOTP code or a recovery code, or enrols an authenticator when the
account has none. Only then is a staff session opened (a fresh cookie session and a new
server-side row, see :mod:`duo.core.auth.staff_sessions`).

Failed attempts are limited per address and per account (:data:`ACCOUNT_LIMIT`); the
lock ends by itself when the window passes, and the page says so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from duo.core.auth import events, staff_sessions, twofactor
from duo.core.auth.access import public, signed_in
from duo.core.auth.account import account_bp
from duo.core.auth.accounts import authenticate, find_user
from duo.core.auth.forms import CodeForm, EnrolForm, LoginForm
from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.extensions import limiter
from duo.core.tenancy.models import Tenant

bp = Blueprint("auth", __name__, template_folder="templates")
blueprints = [bp, account_bp]

#: Failed attempts one account may have in a window (password, code or reset alike).
ACCOUNT_LIMIT = "5 per 15 minutes"
#: Attempts one address may make, failed or not.
ADDRESS_LIMIT = "10 per minute;50 per hour"
PENDING = "duo.pending_login"
ENROL_SECRET = "duo.enrol_secret"
PENDING_FOR = timedelta(minutes=5)


def _failed(response: Response) -> bool:
    return response.status_code >= 400


def _login_account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _pending_account_key() -> str:
    return f"account-id:{(session.get(PENDING) or {}).get('user')}"


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect would make our login page a phishing tool."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None  # browsers read a backslash as a slash and drop tabs: "//evil.org"
    return target


def landing_url(user: User) -> str:
    if user.is_hq:
        return url_for("hq.index")
    branches = user.branch_ids
    if len(branches) == 1:
        tenant = db.session.get(Tenant, branches[0])
        if tenant is not None and tenant.active:
            return url_for("dashboard.index", tenant=tenant.slug)
    return url_for("auth.choose_branch")


@bp.errorhandler(429)
def _locked(exc: Exception):
    message = _(
        "Too many attempts for this account or from this address. "
        "It unlocks by itself: please wait 15 minutes and try again."
    )
    return render_template("error.html", code=429, title=message), 429


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    try:
        started = datetime.fromisoformat(pending["at"])
        user_id = int(pending["user"])
    except (KeyError, TypeError, ValueError):
        return None
    if utcnow() - started > PENDING_FOR:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def _second_step(rule: str) -> Callable[[Callable[[User], Any]], Callable[[], Any]]:
    """A route of step two (code or enrolment): public, since the half-logged-in state is
    checked here, and limited per address and per pending account. The view gets the user
    half logged in; when that state is missing or too old, the login starts again."""

    def decorate(view: Callable[[User], Any]) -> Callable[[], Any]:
        @functools.wraps(view)
        def step() -> Any:
            user = _pending_user()
            if user is None:
                flash(_("Please log in again: the login took too long."), "info")
                return redirect(url_for("auth.login"))
            return view(user)

        per_account = limiter.limit(
            ACCOUNT_LIMIT, key_func=_pending_account_key, methods=["POST"], deduct_when=_failed
        )
        limited = limiter.limit(ADDRESS_LIMIT, methods=["POST"])(per_account(step))
        return bp.route(rule, methods=["GET", "POST"])(public(limited))

    return decorate


def _complete_login(user: User, next_url: str | None) -> str:
    """A fresh cookie session and a new server-side session; returns where to go next."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    user.session_key = staff_sessions.start(user, request.user_agent.string)
    user.last_login_at = utcnow()
    login_user(user)
    events.emit(events.LOGIN, user, actor=user)
    generate_csrf()  # a new CSRF token for the new session
    return _safe_next(next_url) or landing_url(user)


def _record_failure(user: User | None, step: str) -> None:
    """Audit a failed attempt, and keep it: the failed request's rollback must not undo it."""
    events.emit(events.LOGIN_FAILED, user if user is not None and user.active else None, step=step)
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=_login_account_key, methods=["POST"], deduct_when=_failed)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if current_user.is_authenticated:
            return redirect(_safe_next(form.next.data) or landing_url(current_user))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            _record_failure(find_user(form.email.data or ""), "password")
            flash(_("That e-mail address and password do not match an active account."), "error")
        else:
            session.pop(ENROL_SECRET, None)
            session[PENDING] = {
                "user": user.id,
                "at": utcnow().isoformat(),
                "next": _safe_next(form.next.data) or "",
            }
            step = "auth.two_factor" if user.has_two_factor else "auth.enrol"
            return redirect(url_for(step))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@_second_step("/login/code")
def two_factor(user: User):
    if not user.has_two_factor:
        return redirect(url_for("auth.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        recovery = False
        if twofactor.verify_code(user, code) or (
            recovery := twofactor.use_recovery_code(user, code)
        ):
            if recovery:
                left = twofactor.recovery_codes_left(user)
                events.emit(events.RECOVERY_CODE_USED, user, actor=user, left=left)
            pending = session.get(PENDING) or {}
            return redirect(_complete_login(user, pending.get("next")))
        _record_failure(user, "code")
        form.code.errors = [_("That code is not right, or was already used.")]
    status = 400 if request.method == "POST" else 200
    return render_template("auth/two_factor.html", form=form), status


@_second_step("/login/enrol")
def enrol(user: User):
    if user.has_two_factor:
        return redirect(url_for("auth.two_factor"))
    secret = session.get(ENROL_SECRET)
    if not secret:
        secret = session[ENROL_SECRET] = twofactor.new_secret()
    form = EnrolForm()
    if form.validate_on_submit():
        if twofactor.verify_code(user, form.code.data, secret=secret):
            codes = twofactor.enable(user, secret)
            staff_sessions.end_all(user)
            events.emit(events.TWO_FACTOR_ENROL, user, actor=user)
            pending = session.get(PENDING) or {}
            target = _complete_login(user, pending.get("next"))
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
        _record_failure(user, "enrol")
        form.code.errors = [_("That code is not right. Check the time on your phone.")]
    uri = twofactor.provisioning_uri(user, secret)
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "auth/enrol.html", form=form, secret=secret, qr=twofactor.qr_svg(uri), uri=uri
        ),
        status,
    )


@bp.route("/logout", methods=["POST"])
@public  # logging out must work for a session that has already expired
def logout():
    if current_user.is_authenticated and current_user.session_key:
        staff_sessions.end(current_user.session_key)
        events.emit(events.SESSION_END, current_user, actor=current_user, how="logout")
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/branches")
@signed_in
def choose_branch():
    ids = current_user.branch_ids
    if not ids:
        if current_user.is_hq:
            return redirect(url_for("hq.index"))
        abort(404)
    tenants = (
        db.session.execute(select(Tenant).where(Tenant.id.in_(ids), Tenant.active)).scalars().all()
    )
    return render_template("auth/choose_branch.html", tenants=tenants)
