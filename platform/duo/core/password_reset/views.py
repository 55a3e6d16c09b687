"""Reset of a forgotten staff password by an e-mail link, through the outbox.

The link sets a new password and nothing else: the user then logs in as always, password
and authenticator code, so the link alone opens no session. The page answers the same
whether or not the address is known. This package sits beside ``duo.core.auth`` and
``duo.core.mail`` because it needs both (and the mail package already needs auth).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.auth.access import personal_link, public
from duo.core.auth.accounts import AccountError, find_user, set_password
from duo.core.auth.forms import ForgotForm, ResetForm
from duo.core.auth.models import PasswordReset, User
from duo.core.db import db, utcnow
from duo.core.extensions import limiter
from duo.core.mail import external_url, queue_mail
from duo.core.tenancy.context import tenant_scope

log = logging.getLogger(__name__)
bp = Blueprint("password_reset", __name__)

RESET_VALID = timedelta(hours=1)
RESET_LIMIT = "5 per 15 minutes"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(user: User) -> bool:
    """Queue a reset link for ``user`` through the outbox of one of their branches.

    Mails live in a branch's outbox (they are personal data under the branch's row-level
    security); an HQ-only account has none, and its password is reset by an operator
    (``duo users set-password``). Returns whether a mail was queued.
    """
    branches = user.branch_ids
    if not branches:
        log.info("password reset asked for an account without branch; nothing sent")
        return False
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + RESET_VALID
        )
    )
    link = external_url("password_reset.reset_password", token=token)
    with force_locale(user.locale or "en"), tenant_scope(branches[0]):
        text = _(
            "Hello %(name)s,\n\nSomeone (you, we hope) asked to reset your DUO for a JOB "
            "password. Open this link within an hour to choose a new one:\n\n%(link)s\n\n"
            "After that you log in with the new password and your authenticator app's code, "
            "as always. If you did not ask for this, ignore this mail: nothing changes.",
            name=user.name,
            link=link,
        )
        queue_mail(user.email, _("Reset your password"), text, kind="auth.password_reset")
    db.session.flush()
    return True


def _reset_row(token: str) -> PasswordReset | None:
    row = db.session.execute(
        select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    return row


def _reset_email_key() -> str:
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


def _to_login(message: str, category: str):
    """Both pages end on the login page: a reset never opens a session by itself."""
    flash(message, category)
    return redirect(url_for("auth.login"))


def _form_page(template: str, form: ForgotForm | ResetForm):
    """The form again, with 400 after a refused submission so clients see the refusal."""
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit(RESET_LIMIT, key_func=_reset_email_key, methods=["POST"])
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active:
            request_reset(user)
        # the same answer whether or not the address is known
        return _to_login(
            _("If this address belongs to an account, a link to reset its password is on its way."),
            "info",
        )
    return _form_page("auth/forgot.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@personal_link
@limiter.limit(RESET_LIMIT, methods=["POST"], deduct_when=lambda r: r.status_code >= 400)
def reset_password(token: str):
    row = _reset_row(token)
    if row is None:
        return render_template("auth/reset_invalid.html"), 404
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.new.data, by=user, reset=True)
        except AccountError as exc:
            form.new.errors = [str(exc)]
        else:
            row.used_at = utcnow()
            return _to_login(
                _("Your password is changed. Log in with it and your authenticator code."),
                "success",
            )
    return _form_page("auth/reset.html", form)
