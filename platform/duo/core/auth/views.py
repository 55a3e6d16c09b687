"""Login, logout and the branch chooser: one login page for every kind of staff."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from duo.core.auth.access import public, signed_in
from duo.core.auth.accounts import authenticate
from duo.core.auth.forms import LoginForm
from duo.core.auth.models import User
from duo.core.db import db
from duo.core.extensions import limiter
from duo.core.tenancy.models import Tenant

bp = Blueprint("auth", __name__, template_folder="templates")


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


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if current_user.is_authenticated:
            return redirect(_safe_next(form.next.data) or landing_url(current_user))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("That e-mail address and password do not match an active account."), "error")
        else:
            login_user(user)
            return redirect(_safe_next(form.next.data) or landing_url(user))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public  # logging out must work for a session that has already expired
def logout():
    logout_user()
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
